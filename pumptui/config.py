"""Settings, from one place: defaults < TOML file < environment < command line.

The file lives at `<user config dir>/pumptui/config.toml` (platformdirs), or wherever
`PUMPTUI_CONFIG` / `--config` points. A missing file is fine; a broken one is reported with its
path and line, in one line, never a traceback; so is a `--config` path that does not exist, a
section or setting pumptui does not know, a budget or timeout that is not positive, and a URL
that holds credentials (said redacted). The token is never read from or written to this file (see
`pumptui.auth`): a config holding one (`[auth]`, `token = …`) is refused.

Example::

    [api]              # three hosts and the chat; PUMPTUI_API_URL / --api-url sets them all
    frontend_url = "https://frontend-api-v3.pump.fun"   # coins, holders, users, SOL price
    swap_url = "https://swap-api.pump.fun"              # trades, candles, market activity
    indexer_url = "https://advanced-indexer.pump.fun"   # boards, /ws/trenches
    chat_url = "https://livechat.pump.fun"              # coin chat (Socket.IO at /socket.io/)
    swap_requests_per_minute = 15      # one bucket for every swap route (Cloudflare: ~20/min/IP)
    frontend_requests_per_minute = 24  # per v3 route group (half the smallest common limit)
    indexer_requests_per_minute = 6
    timeout = 10

    [refresh]          # seconds: each feed polls between its min and max
    trades_min = 1.0
    trades_max = 30.0

    [ui]
    theme = "textual-dark"
    whale_sol = 5.0                    # trades of at least this size are marked WHALE
    explorer_account_url = "https://solscan.io/account/{address}"
    explorer_tx_url = "https://solscan.io/tx/{signature}"

    [keymap]           # binding id = keys
    "coin.cycle-timeframe" = "t"

    [push]             # a PumpPortal-style WebSocket: "" off, "auto" the API host's /api/data
    url = ""

    [[alerts]]         # one table per rule (pumptui.alerts.rules has every setting)
    name = "dev dumps"
    when = "event = trade and side = sell and by = dev"
    scope = "watchlist"
    deliver = ["app", "osc"]

    [screener.presets] # name = filter expression; `@name` in the `/` filter (adds to the defaults)
    runners = "change 5m > 30% and vol 5m >= 10k"

The push API key (PumpPortal ties it to a wallet) is a secret like the token: it comes only from
`PUMPTUI_PUSH_API_KEY` and is held in a `Secret`.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from pumptui import explorer, paths
from pumptui.secret import Secret

if TYPE_CHECKING:
    from pumptui.alerts.rules import AlertRule

DEFAULT_FRONTEND_URL = "https://frontend-api-v3.pump.fun"
DEFAULT_SWAP_URL = "https://swap-api.pump.fun"
DEFAULT_INDEXER_URL = "https://advanced-indexer.pump.fun"
DEFAULT_CHAT_URL = "https://livechat.pump.fun"
SITE_URL = "https://pump.fun"
# `[push] url` value meaning "the WebSocket on the API host itself" (what the simulator serves).
PUSH_AUTO = "auto"
# The key sent when none is configured: the simulator accepts any; PumpPortal wants a real one.
DEFAULT_PUSH_API_KEY = "pumptui"
PUSH_API_KEY_ENV = "PUMPTUI_PUSH_API_KEY"
PUSH_URL_ENV = "PUMPTUI_PUSH_URL"
API_URL_ENV = "PUMPTUI_API_URL"
# Kept as an alias of the v3 per-group figure, the only one a single number can still mean.
REQUESTS_PER_MINUTE_ENV = "PUMPTUI_REQUESTS_PER_MINUTE"
# Settings of the 2025 API per section, and what to do instead (a file naming them gets a
# ConfigError).
RETIRED_SETTINGS: dict[str, dict[str, str]] = {
    "api": {
        "advanced_url": "use swap_url (trades, candles) and indexer_url (boards); the advanced "
        "API host is dead and bulk look-ups moved to frontend_url",
        "requests_per_minute": "use swap_requests_per_minute, frontend_requests_per_minute and "
        "indexer_requests_per_minute (one budget per host)",
    },
    "refresh": dict.fromkeys(
        ("replies_min", "replies_max"),
        "threaded replies are gone; a coin's callouts are polled between callouts_min and "
        "callouts_max, and its chat is live",
    ),
    "ui": {
        "captcha_command": "captchas are not needed by today's Pump.fun routes (callouts, "
        "follows, the chat); remove the line",
    },
}


# Numbers that must be above zero: a budget of 0 never sends, a timeout of 0 fails every request,
# a polling bound of 0 spins. Those that may be zero but not negative are in NOT_NEGATIVE.
POSITIVE_SETTINGS: dict[str, frozenset[str]] = {
    "api": frozenset(
        {
            "swap_requests_per_minute",
            "frontend_requests_per_minute",
            "indexer_requests_per_minute",
            "burst",
            "timeout",
        }
    ),
    "refresh": frozenset(
        {
            "coins_min",
            "coins_max",
            "trades_min",
            "trades_max",
            "callouts_min",
            "callouts_max",
            "market_min",
            "market_max",
        }
    ),
    "ui": frozenset({"whale_sol"}),
}
NOT_NEGATIVE: dict[str, frozenset[str]] = {
    "api": frozenset({"max_retries"}),
    "ui": frozenset({"min_trade_sol"}),
}
SECTIONS = ("api", "refresh", "ui", "keymap", "push", "alerts", "screener")
# Keys that can only hold a credential; found in any section (or as `[auth]`), the file is refused.
_TOKEN_KEYS = frozenset({"token", "auth_token", "access_token", "jwt", "auth"})
# Words in a URL's query that name a credential (`?token=…`, `?api-key=…`).
_SECRET_QUERY_WORDS = ("token", "key", "secret", "auth", "password", "jwt", "sig")
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?[^/?#@\s]*@")


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ApiSettings:
    """The three hosts of the 2026 API and a request budget for each.

    The limits differ per host (reference §2): swap is one Cloudflare rule of about 20 requests a
    minute per IP over every route and mint, whose breach blocks the whole IP for up to a minute,
    so the client stays well under it; v3 counts per route group (the tightest common group
    allows 30 a minute), so each group gets its own bucket at about half; the indexer is only
    polled while its socket is down.
    """

    frontend_url: str = DEFAULT_FRONTEND_URL
    swap_url: str = DEFAULT_SWAP_URL
    indexer_url: str = DEFAULT_INDEXER_URL
    # The coin chat's Socket.IO server (one socket per process; reference §3.6).
    chat_url: str = DEFAULT_CHAT_URL
    swap_requests_per_minute: float = 15.0
    frontend_requests_per_minute: float = 24.0
    indexer_requests_per_minute: float = 6.0
    burst: int = 3
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
    # A coin's callouts change slowly: at most every 10 s.
    callouts_min: float = 10.0
    callouts_max: float = 60.0
    market_min: float = 15.0
    market_max: float = 120.0


DEFAULT_WHALE_SOL: Final = 5.0


@dataclass(frozen=True)
class UiSettings:
    theme: str = "textual-dark"
    min_trade_sol: float = 0.0
    mouse: bool = True
    # Draw with ASCII only (pumptui.tui.glyphs); also chosen for TERM=linux and non-UTF-8 locales.
    ascii: bool = False
    # A trade of at least this many SOL is a whale's: WHALE on the tape, `whale = yes` in alerts.
    whale_sol: float = DEFAULT_WHALE_SOL
    # Block explorer pages of a wallet and of a transaction (pumptui.explorer), Solscan's default.
    explorer_account_url: str = explorer.ACCOUNT_URL
    explorer_tx_url: str = explorer.TX_URL


@dataclass(frozen=True)
class PushSettings:
    """Where live news comes from besides polling: a PumpPortal-shaped WebSocket.

    Off by default: PumpPortal is a third party, and polling alone is complete. `url` is "" (off),
    `PUSH_AUTO` (the API host's own `/api/data`) or a ws:// / wss:// URL (checked on load).
    """

    url: str = ""
    api_key: Secret | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    @property
    def socket_url(self) -> str | None:
        """The explicit WebSocket URL, or None for the API host's own (`auto`) or when off."""
        return self.url if self.url and self.url != PUSH_AUTO else None

    def key(self) -> Secret:
        """The API key to send; a placeholder when none is set (enough for the simulator)."""
        return self.api_key if self.api_key is not None else Secret(DEFAULT_PUSH_API_KEY)


def redact_url(url: str) -> str:
    """`url` fit to print: a `user:password@` part and every query value become `***`."""
    url = _USERINFO.sub(lambda m: f"{m['scheme'] or ''}***@", url, count=1)
    head, hash_mark, _fragment = url.partition("#")
    base, question, query = head.partition("?")
    if question:
        items = (
            part.split("=", 1)[0] + "=***" if "=" in part else "***" for part in query.split("&")
        )
        base = f"{base}?{'&'.join(items)}"
    return f"{base}#***" if hash_mark else base


def url_credentials_problem(url: str) -> str | None:
    """Why `url` must not be used or printed as it is (it holds a credential), or None."""
    if _USERINFO.match(url.strip()):
        return (
            f"the URL holds credentials (user:password@), shown redacted: {redact_url(url)[:80]!r}"
        )
    query = urlsplit(url.strip()).query.lower()
    if any(word in query for word in _SECRET_QUERY_WORDS):
        return f"the URL holds credentials in its query, shown redacted: {redact_url(url)[:80]!r}"
    return None


def check_base_url(value: str) -> str:
    """A server's base URL as stored: http(s)://host[:port][/path], nothing after; else
    ValueError saying what is wrong, in words a user can act on, never echoing a credential
    (a token belongs in `pumptui login` or PUMPTUI_TOKEN, never in a URL)."""
    url = value.strip()
    problem = url_credentials_problem(url)
    if problem:
        raise ValueError(f"{problem}; a token goes in `pumptui login` or PUMPTUI_TOKEN, not a URL")
    shown = redact_url(url)[:80]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        hint = f" (did you mean http://{shown}?)" if "://" not in url else ""
        raise ValueError(f"not an http(s) URL: {shown!r}{hint}")
    if not parts.hostname:
        raise ValueError(f"no host in {shown!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"a base URL has no query or fragment: {shown!r}")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError(f"not a valid port in {shown!r}") from None
    return url


def check_push_url(value: str) -> str:
    """The push URL as stored: "" (off), "auto", or a ws:// or wss:// URL; else ValueError,
    with the URL redacted (PumpPortal's own form carries the key: `?api-key=…`)."""
    url = value.strip()
    if url.lower() in ("", PUSH_AUTO):
        return url.lower()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("ws", "wss") or not parts.netloc:
        raise ValueError(
            f'should be "" (off), "{PUSH_AUTO}" or a ws:// or wss:// URL, '
            f"not {redact_url(url)[:80]!r}"
        )
    return url


# The screener's built-in presets (`@name` in the `/` filter); `[screener.presets]` adds to them
# and may replace one by its name. Units as the filter reads them (pumptui.rules): `mc` and `vol`
# in USD, `age` a duration, shares in percent.
DEFAULT_PRESETS: Mapping[str, str] = {
    # Near the end of the bonding curve and still trading: the coins about to move to PumpSwap.
    "about-to-graduate": "curve >= 85% and stage != graduated and vol 5m >= 2k",
    # Young, spread out, the dev holding little: the usual checks before an early buy.
    "fresh-and-clean": "age < 15m and dev < 5% and top10 <= 30% and holders >= 25",
    # Big money from few wallets in the last five minutes, price going up: whales buying.
    "whales-in": "vol 5m >= 20k and buyers 5m <= 25 and change 5m > 0%",
}
# What a preset may be called (what follows `@` in the filter).
PRESET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ScreenerSettings:
    """Named filters for Home and Watchlist: the defaults plus the file's `[screener.presets]`,
    each checked by the filter language when the config is loaded."""

    presets: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PRESETS))


@dataclass(frozen=True)
class Settings:
    api: ApiSettings = field(default_factory=ApiSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    keymap: Mapping[str, str] = field(default_factory=dict)
    push: PushSettings = field(default_factory=PushSettings)
    path: Path | None = None
    # The `[[alerts]]` rules, checked (pumptui.alerts.rules); the app's own are kept elsewhere.
    alerts: tuple[AlertRule, ...] = ()
    screener: ScreenerSettings = field(default_factory=ScreenerSettings)

    def with_push_url(self, url: str) -> Settings:
        """Push from `url` ("" off, "auto", ws:// or wss://); ValueError if it is none of them."""
        return replace(self, push=replace(self.push, url=check_push_url(url)))

    def with_api_urls(
        self,
        api_url: str | None = None,
        frontend_url: str | None = None,
        swap_url: str | None = None,
        indexer_url: str | None = None,
        chat_url: str | None = None,
    ) -> Settings:
        """`api_url` sets every base URL (the three API hosts and the chat) to one server (the
        simulator, or any server that speaks the 2026 routes: their paths do not collide); the
        specific options win over it. ValueError names a URL that cannot be a base URL
        ("127.0.0.1:8765" has no scheme)."""
        front = check_base_url(frontend_url or api_url or self.api.frontend_url)
        swap = check_base_url(swap_url or api_url or self.api.swap_url)
        indexer = check_base_url(indexer_url or api_url or self.api.indexer_url)
        chat = check_base_url(chat_url or api_url or self.api.chat_url)
        return replace(
            self,
            api=replace(
                self.api,
                frontend_url=front.rstrip("/"),
                swap_url=swap.rstrip("/"),
                indexer_url=indexer.rstrip("/"),
                chat_url=chat.rstrip("/"),
            ),
        )


def default_config_path() -> Path:
    return paths.config_file()


def load_settings(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    required: bool = False,
) -> Settings:
    """Read the config file (if any) and the `PUMPTUI_*` environment overrides.

    A missing file is the defaults, unless `required` (a path the user named with `--config`).
    """
    env = os.environ if env is None else env
    file_path = Path(path) if path else default_config_path()
    data: dict[str, Any] = {}
    if required and not file_path.is_file():
        what = "is not a file" if file_path.exists() else "does not exist"
        raise ConfigError(f"{file_path}: the config file {what}")
    if file_path.is_file():
        try:
            data = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{file_path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
        except OSError as exc:
            raise ConfigError(f"{file_path}: {exc.strerror}") from None
    _refuse_tokens(data, file_path)
    for name, value in data.items():
        if name not in SECTIONS:
            kind = "section" if isinstance(value, dict) else "setting"
            raise ConfigError(
                f"{file_path}: unknown {kind} {name!r} (the sections are {', '.join(SECTIONS)})"
            )
    settings = Settings(
        api=_section(ApiSettings, data.get("api"), file_path, "api"),
        refresh=_section(RefreshSettings, data.get("refresh"), file_path, "refresh"),
        ui=_section(UiSettings, data.get("ui"), file_path, "ui"),
        keymap=_keymap(data.get("keymap"), file_path),
        push=_push(data.get("push"), file_path),
        path=file_path,
        alerts=_alerts(data.get("alerts"), file_path),
        screener=_screener(data.get("screener"), file_path),
    )
    for key, placeholder in (
        ("explorer_account_url", explorer.ADDRESS),
        ("explorer_tx_url", explorer.SIGNATURE),
    ):
        try:
            explorer.check_template(getattr(settings.ui, key), placeholder)
        except ValueError as exc:
            raise ConfigError(f"{file_path}: ui.{key} {exc}") from None
    try:
        settings = settings.with_api_urls()  # the file's own URLs
    except ValueError as exc:
        raise ConfigError(f"{file_path}: [api] {exc}") from None
    if env.get(API_URL_ENV):
        try:
            settings = settings.with_api_urls(env[API_URL_ENV])
        except ValueError as exc:
            raise ConfigError(f"{API_URL_ENV}: {exc}") from None
    rpm = env.get(REQUESTS_PER_MINUTE_ENV)
    if rpm:
        try:
            value = float(rpm)
        except ValueError:
            raise ConfigError(f"{REQUESTS_PER_MINUTE_ENV} is not a number: {rpm!r}") from None
        if not 0 < value < math.inf:
            raise ConfigError(f"{REQUESTS_PER_MINUTE_ENV} must be a positive number: {rpm!r}")
        settings = replace(settings, api=replace(settings.api, frontend_requests_per_minute=value))
    if PUSH_URL_ENV in env:  # set but empty turns push off
        try:
            settings = settings.with_push_url(env[PUSH_URL_ENV])
        except ValueError as exc:
            raise ConfigError(f"{PUSH_URL_ENV} {exc}") from None
    key = env.get(PUSH_API_KEY_ENV, "")
    if key.strip():
        settings = replace(settings, push=replace(settings.push, api_key=Secret(key)))
    return settings


def _refuse_tokens(data: Mapping[str, Any], path: Path) -> None:
    """ConfigError (naming no value) when the file holds a token anywhere: `[auth]`, or a
    token-like key at the top or in any section."""
    keys = set(data) | {key for value in data.values() if isinstance(value, dict) for key in value}
    if keys & _TOKEN_KEYS:
        raise ConfigError(
            f"{path}: a token does not belong in the config file; "
            "use `pumptui login` (OS keyring) or PUMPTUI_TOKEN"
        )


def _check_number(name: str, key: str, value: object, path: Path) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    if key in POSITIVE_SETTINGS.get(name, ()) and not 0 < value < math.inf:
        raise ConfigError(f"{path}: {name}.{key} must be a positive number, not {value!r}")
    if key in NOT_NEGATIVE.get(name, ()) and not 0 <= value < math.inf:
        raise ConfigError(f"{path}: {name}.{key} must not be negative, not {value!r}")


def _section(cls: type, raw: Any, path: Path, name: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        retired = RETIRED_SETTINGS.get(name, {})
        if key in retired:
            raise ConfigError(
                f"{path}: {name}.{key} belongs to the 2025 API and is gone; {retired[key]}"
            )
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
        _check_number(name, key, value, path)
        values[key] = value
    return cls(**values)


def _push(raw: Any, path: Path) -> PushSettings:
    if isinstance(raw, dict) and "api_key" in raw:
        raise ConfigError(
            f"{path}: the push API key does not belong in the config file; "
            f"set {PUSH_API_KEY_ENV} in the environment"
        )
    push: PushSettings = _section(PushSettings, raw, path, "push")
    try:
        return replace(push, url=check_push_url(push.url))
    except ValueError as exc:
        raise ConfigError(f"{path}: push.url {exc}") from None


def _keymap(raw: Any, path: Path) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        raise ConfigError(f"{path}: [keymap] maps binding ids to key strings")
    return dict(raw)


def _alerts(raw: Any, path: Path) -> tuple[AlertRule, ...]:
    """The `[[alerts]]` tables as rules; the first bad one is refused in one line that names
    it (by number, and by name when it has one) and says what is wrong."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: alerts is a list of tables: write each rule as [[alerts]]")
    from pumptui.alerts.rules import AlertRuleError, rule_from_table  # only when there are any

    rules: list[AlertRule] = []
    for number, table in enumerate(raw, start=1):
        try:
            rules.append(rule_from_table(table, origin="config"))
        except AlertRuleError as exc:
            named = table.get("name") if isinstance(table, dict) else None
            label = f"[[alerts]] #{number}" + (
                f" ({named[:40]!r})" if isinstance(named, str) and named else ""
            )
            raise ConfigError(f"{path}: {label}: {exc}") from None
    return tuple(rules)


def _screener(raw: Any, path: Path) -> ScreenerSettings:
    """The defaults plus the file's presets, each a filter the language reads; ConfigError (one
    line, naming the preset, the problem and where it is) for one it cannot."""
    if raw is None:
        return ScreenerSettings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [screener] must be a table")
    for key in raw:
        if key != "presets":
            raise ConfigError(f"{path}: unknown setting screener.{key}")
    presets = raw.get("presets", {})
    if not isinstance(presets, dict):
        raise ConfigError(f"{path}: [screener.presets] maps names to filter expressions")
    from pumptui.rules import ExprError, parse  # only a file with presets pays for the parser

    merged = dict(DEFAULT_PRESETS)
    for name, text in presets.items():
        where = f"{path}: screener.presets.{name}"
        if not PRESET_NAME.match(name):
            raise ConfigError(f"{where}: a preset name is letters, digits, - and _")
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(f"{where} should be a filter expression in a string")
        try:
            parse(text)
        except ExprError as error:
            token = text[error.position : error.position + error.length]
            raise ConfigError(
                f"{where}: {error.message} (at {token!r}, column {error.position + 1})"
            ) from None
        merged[name] = text.strip()
    return ScreenerSettings(merged)
