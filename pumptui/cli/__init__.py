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

SUBCOMMANDS = ("demo", "sim", "coins", "moderate", "watch", "doctor", "account")

# Options shared by every command that talks to the service. Each is accepted before the command
# (`pumptui --api-url URL coins`) and after it (`pumptui coins --api-url URL`); SUPPRESS keeps a
# value given before the command from being overwritten by the subcommand parser's default.
_HOST_OPTIONS = (
    (
        "--api-url",
        "one server for every host (frontend, swap, indexer, chat): the simulator, or "
        "any server that speaks the 2026 routes; the options below win over it",
    ),
    ("--frontend-url", "frontend-api-v3 base URL (coins, holders, users, SOL price)"),
    ("--swap-url", "swap-api base URL (trades, candles, market activity, ATH)"),
    ("--indexer-url", "advanced-indexer base URL (boards, /ws/trenches)"),
    ("--chat-url", "live chat base URL (livechat, Socket.IO at /socket.io/)"),
)
RETIRED_OPTIONS = {
    "--advanced-url": "the advanced API host is dead (2026): bulk look-ups moved to the frontend "
    "host; use --api-url, --frontend-url, --swap-url or --indexer-url",
}


def add_api_options(parser: argparse.ArgumentParser) -> None:
    """Hosts, config file and request budgets, for the main parser and each subcommand."""
    group = parser.add_argument_group("server")
    for flag, text in _HOST_OPTIONS:
        group.add_argument(flag, metavar="URL", default=argparse.SUPPRESS, help=text)
    group.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: the user config dir, or PUMPTUI_CONFIG)",
    )
    for flag in RETIRED_OPTIONS:
        group.add_argument(
            flag,
            metavar="URL",
            dest=flag.lstrip("-").replace("-", "_"),
            default=argparse.SUPPRESS,
            help=argparse.SUPPRESS,
        )
    budget = parser.add_argument_group("request budgets (requests a minute)")
    budget.add_argument(
        "--swap-rpm",
        type=float,
        metavar="N",
        default=argparse.SUPPRESS,
        help="swap-api: ONE budget over trades, candles and stats (default 15; swap-api's "
        "Cloudflare rule blocks the whole IP for up to a minute beyond about 20)",
    )
    budget.add_argument(
        "--frontend-rpm",
        type=float,
        metavar="N",
        default=argparse.SUPPRESS,
        help="frontend-api-v3: a budget per route group, e.g. POST /coins-v2/mints (default 24)",
    )
    budget.add_argument(
        "--requests-per-minute",
        type=float,
        metavar="N",
        dest="requests_per_minute",
        default=argparse.SUPPRESS,
        help="deprecated alias of --swap-rpm (it once meant one budget for every host)",
    )


def add_push_options(parser: argparse.ArgumentParser) -> None:
    """`--push [WS_URL]` / `--no-push`, overriding the config's `[push] url`.

    Both store into `args.push`: absent (the config decides), "" (off), "auto" or a URL. The
    default is SUPPRESS so that a subcommand's parser never overwrites a value given before it.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--push",
        metavar="WS_URL",
        nargs="?",
        const=PUSH_AUTO,
        default=argparse.SUPPRESS,
        type=_push_value,
        help="take live news from a PumpPortal-style WebSocket as well as polling (default URL: "
        "the API host's /api/data); the API key comes from PUMPTUI_PUSH_API_KEY",
    )
    group.add_argument(
        "--no-push",
        dest="push",
        action="store_const",
        const="",
        default=argparse.SUPPRESS,
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
