"""Where every file pumptui reads or writes lives: one module, so a location changes in one place.

platformdirs picks the per-user directories; `PUMPTUI_CONFIG` and `PUMPTUI_DATA_DIR` override
them (tests, portable installs). The demo keeps its social cache and drafts apart from the real
account's, since simulated mints mean nothing to the real API. Nothing here opens a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import platformdirs

APP_NAME: Final = "pumptui"
CONFIG_FILE_NAME: Final = "config.toml"
STATE_FILE_NAME: Final = "social.sqlite3"
DRAFTS_FILE_NAME: Final = "drafts.sqlite3"
DEMO_STATE_FILE_NAME: Final = "demo-social.sqlite3"
DEMO_DRAFTS_FILE_NAME: Final = "demo-drafts.sqlite3"
INSECURE_TOKEN_FILE_NAME: Final = "token-insecure.json"


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """Where local state lives: the social cache (with the watchlist), drafts, an opted-in token."""
    override = os.environ.get("PUMPTUI_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME)


def config_file() -> Path:
    override = os.environ.get("PUMPTUI_CONFIG")
    return Path(override) if override else config_dir() / CONFIG_FILE_NAME


def state_file(*, demo: bool = False) -> Path:
    """The social cache: likes, follows, bookmarks (per account) and the watchlist."""
    return data_dir() / (DEMO_STATE_FILE_NAME if demo else STATE_FILE_NAME)


def drafts_file(*, demo: bool = False) -> Path:
    """Unsent posts: the user's words, never reset by a schema problem."""
    return data_dir() / (DEMO_DRAFTS_FILE_NAME if demo else DRAFTS_FILE_NAME)


def insecure_token_file() -> Path:
    """The token in plain text, only when the user asked for it (`--insecure-storage`)."""
    return data_dir() / INSECURE_TOKEN_FILE_NAME


ALERTS_FILE_NAME: Final = "alerts.json"
ALERTS_FIRED_FILE_NAME: Final = "alerts-fired.json"


def alerts_file() -> Path:
    """The alert rules made in the app (the config's `[[alerts]]` are the user's, never
    rewritten)."""
    return data_dir() / ALERTS_FILE_NAME


def alerts_fired_file() -> Path:
    """When each alert last fired, per coin: cooldowns survive a restart."""
    return data_dir() / ALERTS_FIRED_FILE_NAME
