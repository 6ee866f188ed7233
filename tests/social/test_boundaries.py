"""The layers' boundaries, checked at run time.

The static contracts live in `pyproject.toml` (`[tool.importlinter]`, run by `make test`): they
read every import statement. What they cannot see is an import made at run time (importlib, a
dependency that pulls Textual in); this test imports each layer in a fresh interpreter and looks
at what was actually loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pumptui

# Each layer in turn, with the modules it must not load. The order matters: a layer may load
# what an earlier one forbids only if that one was loaded already, so the simulator goes first.
# Rich is only forbidden statically: httpx loads it for its command line when click is present.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pumptui.sim", ("textual", "pumptui.tui", "pumptui.api", "pumptui.live")),
    ("pumptui.api", ("textual", "pumptui.tui", "pumptui.live", "pumptui.social")),
    ("pumptui.live", ("textual", "pumptui.tui", "pumptui.social")),
    ("pumptui.social", ("textual", "pumptui.tui")),
    ("pumptui.auth", ("textual", "pumptui.tui")),
    ("pumptui.session", ("textual", "pumptui.tui")),
    ("pumptui.config", ("textual", "pumptui.tui")),
    ("pumptui.paths", ("textual", "pumptui.tui")),
)

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    layers = json.loads(sys.argv[1])
    loaded = {}
    for layer, _ in layers:
        before = set(sys.modules)
        package = importlib.import_module(layer)
        for info in pkgutil.walk_packages(getattr(package, "__path__", []), layer + "."):
            importlib.import_module(info.name)
        loaded[layer] = sorted(set(sys.modules) - before)
    print(json.dumps(loaded))
    """
)


def test_no_layer_loads_what_its_contract_forbids() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(LAYERS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded: dict[str, list[str]] = json.loads(done.stdout)
    for layer, forbidden in LAYERS:
        offending = [
            module
            for module in loaded[layer]
            if any(module == name or module.startswith(f"{name}.") for name in forbidden)
        ]
        assert offending == [], layer


PACKAGE = Path(pumptui.__file__).parent


def test_one_module_decides_where_every_file_lives() -> None:
    """State, drafts, the demo's state, the opted-in token file and the config: all in paths."""
    deciders = [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if "platformdirs" in imported_modules(path)
        or any(
            name in path.read_text(encoding="utf-8") for name in ("PUMPTUI_DATA_DIR", ".sqlite3")
        )
    ]
    assert deciders == ["paths.py"]


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found
