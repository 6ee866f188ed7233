"""What every command shares: exit statuses, the server options, and settings from the args.

Each command that talks to the service adds the server options with `add_api_options` (and
`add_push_options` if it follows live news), so they are accepted before the command
(`pumptui --api-url URL coins`) and after it (`pumptui coins --api-url URL`), and builds its
`Settings` with `settings_from_args`, so `--config`, `--api-url`, the per-host URLs and the
budgets mean the same everywhere. A `ConfigError` from here is one line and status 2 (see
`pumptui.cli.main`).

Nothing heavier than argparse is imported at module level: `pumptui --help` builds every parser
with these functions, and the config (TOML, platformdirs, dataclasses) is read only by a command
that runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pumptui.api.budget import HostBudgets
    from pumptui.config import Settings

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # something could not be done (failed items, drift, a refused token)
EXIT_USAGE: Final = 2  # bad arguments or config: nothing was tried
EXIT_INTERRUPTED: Final = 130  # Ctrl-C, after saying what was done


def run_stream(main: Coroutine[Any, Any, int]) -> int:
    """Run a streaming command (`watch`, `alerts`) to its exit status: Ctrl-C is 130, and a
    reader that went away (`| head`) is not an error (Python is kept from complaining at exit)."""
    import asyncio
    import contextlib
    import os

    try:
        return asyncio.run(main)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK


# swap-api's Cloudflare rule (reference §2): about 20 requests a minute per IP, then a block.
SWAP_RULE_PER_MINUTE: Final = 20.0

HOST_OPTIONS: Final = (
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
RETIRED_OPTIONS: Final = {
    "--advanced-url": "the advanced API host is dead (2026): bulk look-ups moved to the frontend "
    "host; use --api-url, --frontend-url, --swap-url or --indexer-url",
}


def add_api_options(parser: argparse.ArgumentParser) -> None:
    """Hosts, config file and request budgets, for the main parser and each subcommand.

    Every default is SUPPRESS: a value given before the command is never overwritten by the
    subcommand parser's default, and one given after it wins.
    """
    group = parser.add_argument_group("server")
    for flag, text in HOST_OPTIONS:
        group.add_argument(flag, metavar="URL", default=argparse.SUPPRESS, help=text)
    group.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file, which must exist (default: the user config dir, or PUMPTUI_CONFIG)",
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


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Only `--config`, for a command whose servers are not the user's (`pumptui demo`)."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file, which must exist (default: the user config dir, or PUMPTUI_CONFIG)",
    )


def add_run_options(parser: argparse.ArgumentParser, *, counted: str) -> None:
    """When a streaming command (`watch`, `alerts`) stops, `--count` counting `counted`, and
    `--quiet` for its health lines; then the push and API options every command takes."""
    parser.add_argument("--count", type=int, metavar="N", help=f"stop after N {counted}")
    parser.add_argument(
        "--duration", type=float, metavar="SECONDS", help="stop after this many seconds"
    )
    add_push_options(parser)
    add_api_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no health lines on stderr")


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
        action=_PushOption,
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


class _PushOption(argparse.Action):
    """`--push` alone means `PUSH_AUTO`, looked up only when `--push` is given (not a `const`,
    which would need the config module to build the parser)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from pumptui.config import PUSH_AUTO

        setattr(namespace, self.dest, PUSH_AUTO if values is None else values)


def _push_value(value: str) -> str:
    """A `--push` value, checked while parsing: `pumptui --push watch` must not read as a URL."""
    from pumptui.cli import SUBCOMMANDS
    from pumptui.config import PUSH_AUTO, check_push_url

    if value in SUBCOMMANDS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is a command, not a WebSocket URL: write `pumptui {value} --push`, "
            f"or `pumptui --push {PUSH_AUTO} {value}`"
        )
    try:
        return check_push_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def settings_from_args(args: argparse.Namespace, *, warn: bool = True) -> Settings:
    """The config file (`--config`, which must exist, or `PUMPTUI_CONFIG`), then the URL,
    budget and push options.

    Raises ConfigError (one line, never echoing a secret) for a missing or broken config, a
    retired option (`--advanced-url`), a server URL that cannot be one or holds credentials, a
    budget that is not a positive number, or a `--push` value that is not a ws(s) URL.
    `--requests-per-minute` (deprecated) sets swap-api's budget, with a note on stderr.
    """
    from dataclasses import replace

    from pumptui.config import ConfigError, load_settings

    for flag, why in RETIRED_OPTIONS.items():
        if getattr(args, flag.lstrip("-").replace("-", "_"), None) is not None:
            raise ConfigError(f"{flag} is gone: {why}")
    config = getattr(args, "config", None)
    settings = load_settings(config, required=config is not None)
    for flag, _ in HOST_OPTIONS:
        value = getattr(args, flag.lstrip("-").replace("-", "_"), None)
        if value is not None:
            _check_url_option(flag, value)
    settings = settings.with_api_urls(
        getattr(args, "api_url", None),
        frontend_url=getattr(args, "frontend_url", None),
        swap_url=getattr(args, "swap_url", None),
        indexer_url=getattr(args, "indexer_url", None),
        chat_url=getattr(args, "chat_url", None),
    )
    swap = getattr(args, "swap_rpm", None)
    alias = getattr(args, "requests_per_minute", None)
    if alias is not None:
        if warn:
            print(
                "pumptui: --requests-per-minute is deprecated: it now sets swap-api's budget "
                "only (use --swap-rpm; v3's per-group budget is --frontend-rpm)",
                file=sys.stderr,
            )
        swap = alias if swap is None else swap
    front = getattr(args, "frontend_rpm", None)
    for flag, value in (("--swap-rpm", swap), ("--frontend-rpm", front)):
        if value is not None and not 0 < value < float("inf"):
            raise ConfigError(f"{flag} must be a positive number, not {value:g}")
    api = settings.api
    settings = replace(
        settings,
        api=replace(
            api,
            swap_requests_per_minute=swap if swap is not None else api.swap_requests_per_minute,
            frontend_requests_per_minute=front
            if front is not None
            else api.frontend_requests_per_minute,
        ),
    )
    if (
        warn
        and swap is not None
        and swap > SWAP_RULE_PER_MINUTE
        and not _loopback(settings.api.swap_url)
    ):
        print(
            f"pumptui: warning: --swap-rpm {swap:g} is above swap-api's limit (about "
            f"{SWAP_RULE_PER_MINUTE:g} a minute per IP); expect blocks of up to a minute",
            file=sys.stderr,
        )
    push = getattr(args, "push", None)
    if push is not None:
        try:
            settings = settings.with_push_url(push)
        except ValueError as exc:
            raise ConfigError(f"--push {exc}") from None
    return settings


def _check_url_option(flag: str, value: str) -> None:
    """ConfigError naming the option when `value` cannot be a base URL (redacted if it holds
    credentials)."""
    from pumptui.config import ConfigError, check_base_url

    try:
        check_base_url(value)
    except ValueError as exc:
        raise ConfigError(f"bad server URL in {flag}: {exc}") from None


def client_budgets(settings: Settings) -> HostBudgets:
    """This process's request budgets, sized from the settings: one bucket for swap-api as a
    whole, one per v3 route group, one for the indexer. A command runs one client, so its
    budgets are the process's (a fresh set, so that options given on this command line hold)."""
    from pumptui.api.budget import HostBudgets

    api = settings.api
    return HostBudgets(
        frontend_per_minute=api.frontend_requests_per_minute,
        swap_per_minute=api.swap_requests_per_minute,
        indexer_per_minute=api.indexer_requests_per_minute,
        burst=api.burst,
    )


def _loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    from pumptui.api.client import is_loopback

    return is_loopback(urlsplit(url).hostname or "")
