"""The `pumptui` command line: one subcommand per module, each a thin layer over the library.

Each module in `SUBCOMMANDS` exposes `register(subparsers)`, which adds its parser and sets
`handler` (a callable taking the parsed namespace and returning an exit status). Heavy imports
stay inside handlers so that `pumptui --help` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pumptui import __version__
from pumptui.config import PUSH_AUTO, check_push_url

SUBCOMMANDS = ("demo", "sim", "coins", "moderate", "watch", "account")


def add_api_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that talks to a Pump.fun-compatible server."""
    group = parser.add_argument_group("server")
    group.add_argument(
        "--api-url",
        metavar="URL",
        help="base URL of a Pump.fun-compatible server; sets both the frontend and advanced URLs",
    )
    group.add_argument("--frontend-url", metavar="URL", help="frontend API base URL")
    group.add_argument("--advanced-url", metavar="URL", help="advanced API base URL (bulk)")
    group.add_argument("--config", metavar="PATH", help="config file (default: user config dir)")


def add_push_options(parser: argparse.ArgumentParser) -> None:
    """`--push [WS_URL]` / `--no-push`, overriding the config's `[push] url`.

    Both store into `args.push`: absent (the config decides), "" (off), "auto" or a URL. The
    default is SUPPRESS so that a subcommand's parser never overwrites a value given before it.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--push", metavar="WS_URL", nargs="?", const=PUSH_AUTO, default=argparse.SUPPRESS,
        type=_push_value,
        help="take live news from a PumpPortal-style WebSocket as well as polling (default URL: "
        "the API host's /api/data); the API key comes from PUMPTUI_PUSH_API_KEY",
    )
    group.add_argument(
        "--no-push", dest="push", action="store_const", const="", default=argparse.SUPPRESS,
        help="poll only, whatever the config says",
    )


def _push_value(value: str) -> str:
    """A `--push` value, checked while parsing: `pumptui --push watch` must not read as a URL."""
    if value in SUBCOMMANDS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is a command, not a WebSocket URL: write `pumptui {value} --push`, "
            f"or `pumptui --push {PUSH_AUTO} {value}`"
        )
    try:
        return check_push_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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

        return run_app(args)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
