"""The social code's shape, checked: the core knows nothing of Textual, and no service opens a
screen (screens are opened by the app in answer to messages), so no import cycle can form
between the social service and the screens it asks for."""

from __future__ import annotations

import ast
from pathlib import Path

import pumptui

PACKAGE = Path(pumptui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside functions, typing-only or not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_social_core_and_the_session_know_nothing_of_textual() -> None:
    files = [*sorted((PACKAGE / "social").glob("*.py")), PACKAGE / "session.py"]
    assert len(files) > 3
    for path in files:
        modules = imported_modules(path)
        assert not {m for m in modules if m.split(".")[0] in ("textual", "rich")}, path
        assert not {m for m in modules if m.startswith("pumptui.tui")}, path


def test_no_service_imports_a_screen() -> None:
    for name in ("social.py", "services.py", "messages.py"):
        modules = imported_modules(PACKAGE / "tui" / name)
        assert not {m for m in modules if m.startswith("pumptui.tui.screens")}, name


def test_the_api_client_and_the_live_engine_know_nothing_of_the_social_layer_or_textual() -> None:
    for package in ("api", "live"):
        for path in sorted((PACKAGE / package).glob("*.py")):
            modules = imported_modules(path)
            assert not {m for m in modules if m.startswith(("pumptui.social", "pumptui.tui"))}, path
            assert not {m for m in modules if m.split(".")[0] == "textual"}, path
