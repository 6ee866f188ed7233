"""Plain `pumptui`: open the TUI on the configured server (the real API by default).

Also the one place the command line's server options become `Settings`: every subcommand calls
`settings_from_args`, so `--api-url`, the per-host URLs and the budgets mean the same everywhere.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from pumptui.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from pumptui.api.budget import HostBudgets

# swap-api's Cloudflare rule (reference §2): about 20 requests a minute per IP, then a block.
SWAP_RULE_PER_MINUTE = 20.0


def settings_from_args(args: argparse.Namespace, *, warn: bool = True) -> Settings:
    """The config file (`--config` / `PUMPTUI_CONFIG`), then the URL, budget and push options.

    Raises ConfigError for a broken config, a retired option (`--advanced-url`), a budget that is
    not a positive number, or a `--push` value that is not a ws(s) URL. `--requests-per-minute`
    (deprecated) sets swap-api's budget, with a note on stderr.
    """
    from pumptui.cli import RETIRED_OPTIONS

    for flag, why in RETIRED_OPTIONS.items():
        if getattr(args, flag.lstrip("-").replace("-", "_"), None) is not None:
            raise ConfigError(f"{flag} is gone: {why}")
    settings = load_settings(getattr(args, "config", None))
    try:
        settings = settings.with_api_urls(
            getattr(args, "api_url", None),
            frontend_url=getattr(args, "frontend_url", None),
            swap_url=getattr(args, "swap_url", None),
            indexer_url=getattr(args, "indexer_url", None),
            chat_url=getattr(args, "chat_url", None),
        )
    except ValueError as exc:
        raise ConfigError(f"bad server URL: {exc}") from None
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


def run_app(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        print(f"pumptui: {exc}", file=sys.stderr)
        return 2
    from pumptui.tui.app import PumpApp
    from pumptui.tui.services import AppServices

    services = AppServices.connect(settings, resolve_login=True)
    app = PumpApp(services)
    app.social.print_local_problem(sys.stderr)
    app.run(mouse=settings.ui.mouse)
    return app.return_code or 0
