"""The `pumptui` command line: one subcommand per module, each a thin layer over the library.

Each module in `SUBCOMMANDS` exposes `register(subparsers)`, which adds its parser and sets
`handler` (a callable taking the parsed namespace and returning an exit status). Heavy imports
stay inside handlers so that `pumptui --help` is instant. What the commands share (exit
statuses, server options, settings from the args) is in `pumptui.cli.options`; a `ConfigError`
that reaches `main` is said in one line, with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pumptui import __version__
from pumptui.cli.options import EXIT_INTERRUPTED, EXIT_USAGE, add_api_options, add_push_options
from pumptui.config import ConfigError

SUBCOMMANDS = ("demo", "sim", "coins", "moderate", "watch", "doctor", "account")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pumptui",
        description="Watch the Pump.fun market live and take part from the keyboard.",
    )
    parser.add_argument("--version", action="version", version=f"pumptui {__version__}")
    add_api_options(parser)
    add_push_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"pumptui.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from pumptui.cli.app import run_app

        handler = run_app
    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        print(f"pumptui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
