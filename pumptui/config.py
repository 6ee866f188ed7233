"""Settings, from one place: defaults < TOML file < environment < command line.

The file lives at `<user config dir>/pumptui/config.toml` (platformdirs), or wherever
`PUMPTUI_CONFIG` / `--config` points. A missing file is fine; a broken one is reported with its
path and line, never a traceback. The token is never read from or written to this file (see
`pumptui.auth`).

Example::

    [api]
    frontend_url = "https://frontend-api-v3.pump.fun"
    advanced_url = "https://advanced-api-v2.pump.fun"
    requests_per_minute = 25
    timeout = 10

    [refresh]          # seconds: each feed polls between its min and max
    trades_min = 1.0
    trades_max = 30.0

    [ui]
    theme = "textual-dark"
    captcha_command = ""

    [keymap]           # binding id = keys
    "coin.cycle-timeframe" = "t"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "pumptui"
DEFAULT_FRONTEND_URL = "https://frontend-api-v3.pump.fun"
DEFAULT_ADVANCED_URL = "https://advanced-api-v2.pump.fun"
SITE_URL = "https://pump.fun"


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ApiSettings:
    frontend_url: str = DEFAULT_FRONTEND_URL
    advanced_url: str = DEFAULT_ADVANCED_URL
    # The real service answers 429 above roughly 25 requests a minute per IP.
    requests_per_minute: float = 25.0
    burst: int = 5
    timeout: float = 10.0
    max_retries: int = 4
    include_nsfw: bool = False


@dataclass(frozen=True)
class RefreshSettings:
    """Per-feed polling bounds in seconds; the engine adapts between them."""

    coins_min: float = 2.0
    coins_max: float = 30.0
    trades_min: float = 1.0
    trades_max: float = 30.0
    replies_min: float = 5.0
    replies_max: float = 60.0
    market_min: float = 15.0
    market_max: float = 120.0


@dataclass(frozen=True)
class UiSettings:
    theme: str = "textual-dark"
    # A command that prints a captcha token on stdout (used for follows and replies).
    captcha_command: str = ""
    min_trade_sol: float = 0.0
    mouse: bool = True


@dataclass(frozen=True)
class Settings:
    api: ApiSettings = field(default_factory=ApiSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    keymap: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None

    def with_api_urls(
        self,
        api_url: str | None = None,
        frontend_url: str | None = None,
        advanced_url: str | None = None,
    ) -> Settings:
        """`api_url` sets both base URLs; the specific options win over it."""
        front = frontend_url or api_url or self.api.frontend_url
        adv = advanced_url or api_url or self.api.advanced_url
        return replace(self, api=replace(self.api, frontend_url=front.rstrip("/"),
                                         advanced_url=adv.rstrip("/")))


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """Where local state lives (social cache, drafts, watchlist)."""
    override = os.environ.get("PUMPTUI_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME)


def default_config_path() -> Path:
    override = os.environ.get("PUMPTUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (if any) and the `PUMPTUI_*` environment overrides."""
    env = os.environ if env is None else env
    file_path = Path(path) if path else default_config_path()
    data: dict[str, Any] = {}
    if file_path.is_file():
        try:
            data = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"{file_path}: {exc.strerror}") from None
    settings = Settings(
        api=_section(ApiSettings, data.get("api"), file_path, "api"),
        refresh=_section(RefreshSettings, data.get("refresh"), file_path, "refresh"),
        ui=_section(UiSettings, data.get("ui"), file_path, "ui"),
        keymap=_keymap(data.get("keymap"), file_path),
        path=file_path,
    )
    if "token" in data or "token" in (data.get("api") or {}):
        raise ConfigError(
            f"{file_path}: a token does not belong in the config file; "
            "use `pumptui login` (OS keyring) or PUMPTUI_TOKEN"
        )
    if env.get("PUMPTUI_API_URL"):
        settings = settings.with_api_urls(env["PUMPTUI_API_URL"])
    rpm = env.get("PUMPTUI_REQUESTS_PER_MINUTE")
    if rpm:
        try:
            settings = replace(settings, api=replace(settings.api, requests_per_minute=float(rpm)))
        except ValueError:
            raise ConfigError(f"PUMPTUI_REQUESTS_PER_MINUTE is not a number: {rpm!r}") from None
    return settings


def _section(cls: type, raw: Any, path: Path, name: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {name}.{key}")
        default = known[key].default
        expected = type(default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(
                f"{path}: {name}.{key} should be {expected.__name__}, not {type(value).__name__}"
            )
        values[key] = value
    return cls(**values)


def _keymap(raw: Any, path: Path) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ConfigError(f"{path}: [keymap] maps binding ids to key strings")
    return dict(raw)
