"""Plain `pumptui`: open the TUI on the configured server (the real API by default).

Everything that can be wrong with the settings is found before the screen switches to the app,
so it is said in one line on a normal terminal (status 2), never inside a crashed TUI.
"""

from __future__ import annotations

import argparse
import sys

from pumptui.cli.options import EXIT_OK, settings_from_args
from pumptui.config import ConfigError, Settings


def run_app(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    check_keymap(settings)
    from pumptui.tui.app import PumpApp
    from pumptui.tui.services import AppServices

    services = AppServices.connect(settings, resolve_login=True)
    app = PumpApp(services)
    app.social.print_local_problem(sys.stderr)
    app.run(mouse=settings.ui.mouse)
    return app.return_code or EXIT_OK


def check_keymap(settings: Settings) -> None:
    """ConfigError for a `[keymap]` id that no binding has (a typo would silently do nothing)."""
    if not settings.keymap:
        return
    unknown = sorted(set(settings.keymap) - known_binding_ids())
    if unknown:
        where = f"{settings.path}: " if settings.path else ""
        raise ConfigError(
            f"{where}[keymap] has no binding {', '.join(map(repr, unknown))}; the ids are in "
            "the README's keys table and in the app's help (?)"
        )


def known_binding_ids() -> frozenset[str]:
    """Every binding id of the app's screens and widgets (what `[keymap]` can remap).

    Found by walking the widget classes once the app's modules are imported, so a binding added
    to any screen is known without a list to keep up to date.
    """
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import pumptui.tui

    for module in pkgutil.walk_packages(pumptui.tui.__path__, "pumptui.tui."):
        if not module.name.endswith(".screenshots"):  # a tool, not part of the app
            importlib.import_module(module.name)
    ids: set[str] = set()
    pending: list[type] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        bindings = cls.__dict__.get("BINDINGS", ())
        ids.update(b.id for b in _bindings(bindings) if isinstance(b, Binding) and b.id)
    return frozenset(ids)


def _bindings(raw: object) -> list[object]:
    return list(raw) if isinstance(raw, list | tuple) else []
