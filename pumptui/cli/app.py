"""Plain `pumptui`: open the TUI on the configured server (the real API by default)."""

from __future__ import annotations

import argparse
import sys

from pumptui.config import ConfigError, Settings, load_settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The config file (`--config` / `PUMPTUI_CONFIG`), then the URL and push options on top.

    Raises ConfigError for a broken config or a `--push` value that is not a ws(s) URL.
    """
    settings = load_settings(getattr(args, "config", None))
    settings = settings.with_api_urls(
        getattr(args, "api_url", None),
        getattr(args, "frontend_url", None),
        getattr(args, "advanced_url", None),
    )
    push = getattr(args, "push", None)
    if push is not None:
        try:
            settings = settings.with_push_url(push)
        except ValueError as exc:
            raise ConfigError(f"--push {exc}") from None
    return settings


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
    app.run(mouse=settings.ui.mouse)
    return app.return_code or 0
