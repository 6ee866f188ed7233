"""The `pumptui` command line: one subcommand per module, each a thin layer over the library.

Each module named in `COMMANDS` exposes `register(subparsers)`, which adds its parsers and sets
`handler` (a callable taking the parsed namespace and returning an exit status). A module is
imported only when one of its commands is on the command line: `pumptui --version` and
`pumptui --help` import none of them (nor asyncio, Rich, httpx or Textual), and
`pumptui watch --help` imports `watch` alone. What the commands share (exit statuses, server
options, settings from the args) is in `pumptui.cli.options`; a `ConfigError` that reaches
`main` is said in one line, with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from pumptui import __version__
from pumptui.cli.options import EXIT_INTERRUPTED, EXIT_USAGE, add_api_options, add_push_options

# command -> (the module that registers it, the line `pumptui --help` shows for it). The line
# is the `help=` its module gives (tests/cli/test_lazy_commands.py keeps the two the same).
COMMANDS: Final[Mapping[str, tuple[str, str]]] = {
    "demo": ("demo", "open the TUI on the embedded simulator (no network needed)"),
    "sim": ("sim", "run the embedded Pump.fun simulator"),
    "coins": ("coins", "look up coins by mint, in bulk (name, socials, market data)"),
    "moderate": ("moderate", "bulk moderation: mark NSFW, hide, ban (admin token needed)"),
    "watch": ("watch", "stream live market events to stdout (JSON lines or a table)"),
    "alerts": ("alerts", "run the alert rules without the UI: one JSON line per firing"),
    "doctor": ("doctor", "check that the service still answers every route the app uses"),
    "login": ("account", "log in: paste a token, or sign in with a Solana keypair file"),
    "logout": ("account", "end the session on the server and forget the token"),
    "whoami": ("account", "who you are logged in as, and where the token is from"),
}
SUBCOMMANDS: Final = tuple(COMMANDS)

if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _SubParsers = argparse._SubParsersAction


class CommandParsers(_SubParsers):
    """The subcommands, each a name and a summary until it is chosen: then its module is
    imported and registers its real parser in place of the placeholder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._registered: set[str] = set()

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)

    def load(self, command: str) -> None:
        """Import the module behind `command` and let it register its parsers (once)."""
        entry = COMMANDS.get(command)
        if entry is None or entry[0] in self._registered:
            return  # an unknown command is argparse's error to report
        module = entry[0]
        self._registered.add(module)
        names = {name for name, (owner, _) in COMMANDS.items() if owner == module}
        for name in names:
            del self._name_parser_map[name]
        self._choices_actions = [a for a in self._choices_actions if a.dest not in names]
        importlib.import_module(f"pumptui.cli.{module}").register(self)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pumptui",
        description="Watch the Pump.fun market live and take part from the keyboard.",
    )
    parser.add_argument("--version", action="version", version=f"pumptui {__version__}")
    add_api_options(parser)
    add_push_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=CommandParsers)
    for name, (_, summary) in COMMANDS.items():
        sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Ctrl-C while the command line is still being read and its command imported (a second or
    # more on a busy machine, before the command's own handling) is the same quiet 130 as
    # Ctrl-C later: a traceback of whichever import it interrupted helps nobody.
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from pumptui.config import ConfigError  # after parsing: `--help` needs no config

    handler = getattr(args, "handler", None)
    if handler is None:
        from pumptui.cli.app import run_app

        handler = run_app
    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        print(f"pumptui: {exc}", file=sys.stderr)
        return EXIT_USAGE
