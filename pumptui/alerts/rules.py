"""An alert rule: a condition, the coins it watches, a window, a cooldown, where to deliver.

Rules come from two places and look the same once read: the user's config (`[[alerts]]`, read
by `pumptui.config`, never rewritten) and the rules made in the app (`AppRules`, a file the app
owns). `rule_from_table` reads one TOML/JSON table and raises `AlertRuleError` with one line
that says what is wrong (a bad condition carries the expression's own message and column)::

    [[alerts]]
    name = "dev dumps"                                   # optional: the notification's title
    when = "event = trade and side = sell and by = dev"  # the condition (pumptui.rules)
    scope = "watchlist"        # new (every new coin) | watchlist | mint (with mint = "...")
    window = "5m"              # the window of `change`, `vol`... when the condition names none
    cooldown = "10m"           # per coin: at most one firing in this time (0: every match)
    deliver = ["app", "bell", "osc", "notify-send", "command"]   # default ["app"]
    command = "~/bin/telegram-send"                      # gets the firing as JSON on stdin
    command_timeout = 10       # seconds, then the command is killed (a failure)
    enabled = true

A rule's `id` is derived from what it does (origin, condition, scope, mint, window), so the
cooldowns persisted under it survive a restart and are forgotten when the rule changes.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal

from pumptui.alerts.fields import EVENT_FIELDS, TRADE_FIELDS, alert_fields
from pumptui.rules import Expr, ExprError, parse

Scope = Literal["new", "watchlist", "mint"]
SCOPES: Final = ("new", "watchlist", "mint")
Origin = Literal["config", "app", "command-line"]
# Where a firing can go. "desktop" in a rule means both desktop channels.
CHANNELS: Final = ("app", "bell", "osc", "notify-send", "command")
CHANNEL_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {"desktop": ("osc", "notify-send")}
DEFAULT_CHANNELS: Final = ("app",)
DEFAULT_COOLDOWN: Final = 300.0
DEFAULT_COMMAND_TIMEOUT: Final = 10.0
KEYS: Final = frozenset(
    {
        "name",
        "when",
        "scope",
        "mint",
        "window",
        "cooldown",
        "deliver",
        "command",
        "command_timeout",
        "enabled",
    }
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhd]?)\s*$")
_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_MINT = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")


class AlertRuleError(ValueError):
    """A rule that cannot be used; the message is one line naming the problem."""


@dataclass(frozen=True)
class AlertRule:
    """One rule, parsed and checked. `expr` is the condition, parsed with the alert fields."""

    when: str
    expr: Expr = field(compare=False, repr=False)
    scope: Scope = "new"
    mint: str | None = None
    name: str = ""
    window: float | None = None
    cooldown: float = DEFAULT_COOLDOWN
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    command: str | None = None
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT
    enabled: bool = True
    origin: Origin = "config"
    id: str = ""

    @property
    def title(self) -> str:
        """What a notification is headed with: the rule's name, else its condition."""
        return self.name or self.when

    @cached_property
    def reads(self) -> frozenset[str]:
        """The field names the condition reads (the evaluator indexes rules by them)."""
        return self.expr.fields

    @cached_property
    def is_event_rule(self) -> bool:
        """True when the condition is about what happened (`event`, a trade's side...): it may
        fire on every matching happening. Otherwise it is about a state (`mc > 20k`) and fires
        when the state becomes true."""
        return bool(self.reads & EVENT_FIELDS.keys())

    @cached_property
    def trade_only(self) -> bool:
        """The condition reads a trade's fields and not `event`: only a trade can match."""
        return "event" not in self.reads and bool(self.reads & TRADE_FIELDS)

    def to_table(self) -> dict[str, Any]:
        """The rule as `[[alerts]]` / the app's file spell it (what `rule_from_table` reads)."""
        table: dict[str, Any] = {"when": self.when, "scope": self.scope}
        if self.name:
            table["name"] = self.name
        if self.mint:
            table["mint"] = self.mint
        if self.window is not None:
            table["window"] = self.window
        table["cooldown"] = self.cooldown
        table["deliver"] = list(self.channels)
        if self.command:
            table["command"] = self.command
            table["command_timeout"] = self.command_timeout
        table["enabled"] = self.enabled
        return table


def parse_duration(value: object, what: str) -> float:
    """Seconds from `30`, `30s`, `10m`, `2h`, `1d` (or a number); AlertRuleError otherwise."""
    if isinstance(value, bool):
        raise AlertRuleError(f"{what} should be a duration like 30s, 10m or 2h, not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match[1]) * _SECONDS[match[2]]
    else:
        raise AlertRuleError(f"{what} should be a duration like 30s, 10m or 2h, not {value!r}")
    if not 0 <= seconds < math.inf:
        raise AlertRuleError(f"{what} must not be negative, not {value!r}")
    return seconds


def parse_condition(text: str, window: float | None = None) -> Expr:
    """The condition parsed with the alert fields; AlertRuleError with the expression's message
    and the column it points at."""
    try:
        return parse(text, alert_fields(window))
    except ExprError as exc:
        column = getattr(exc, "position", None)
        where = f" (column {column + 1})" if isinstance(column, int) else ""
        message = exc.args[0] if exc.args else str(exc)
        raise AlertRuleError(f"condition {text[:80]!r}: {message}{where}") from None


def as_scope(value: object) -> Scope | None:
    """A scope as written (None: not given); AlertRuleError for anything else."""
    if value is None:
        return None
    if value == "new":
        return "new"
    if value == "watchlist":
        return "watchlist"
    if value == "mint":
        return "mint"
    raise AlertRuleError(f"scope should be one of {', '.join(SCOPES)}, not {value!r}")


def rule_id(origin: str, when: str, scope: str, mint: str | None, window: float | None) -> str:
    key = "\x1f".join((origin, " ".join(when.split()), scope, mint or "", repr(window)))
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def make_rule(
    when: str,
    *,
    scope: Scope | None = None,
    mint: str | None = None,
    name: str = "",
    window: float | None = None,
    cooldown: float = DEFAULT_COOLDOWN,
    channels: tuple[str, ...] = DEFAULT_CHANNELS,
    command: str | None = None,
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
    enabled: bool = True,
    origin: Origin = "config",
) -> AlertRule:
    """A checked rule (the app and the command line make theirs here); AlertRuleError if not.
    A `mint` without a scope means scope "mint"."""
    if scope is None:
        scope = "mint" if mint else "new"
    if scope not in SCOPES:
        raise AlertRuleError(f"scope should be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "mint":
        if not mint:
            raise AlertRuleError('scope "mint" needs mint = "<the coin\'s mint>"')
        if not _MINT.match(mint):
            raise AlertRuleError(f"not a valid mint: {mint[:60]!r}")
    elif mint:
        raise AlertRuleError(f'mint is only for scope "mint", not {scope!r}')
    if not when.strip():
        raise AlertRuleError("the condition (when) is empty")
    expanded: list[str] = []
    for channel in channels:
        for name_ in CHANNEL_ALIASES.get(channel, (channel,)):
            if name_ not in CHANNELS:
                raise AlertRuleError(
                    f"unknown delivery {channel!r} (choose from "
                    f"{', '.join((*CHANNELS, *CHANNEL_ALIASES))})"
                )
            if name_ not in expanded:
                expanded.append(name_)
    if "command" in expanded and not (command and command.strip()):
        raise AlertRuleError('deliver has "command" but no command = "..." is given')
    if command and "command" not in expanded:
        expanded.append("command")  # a command given is a command wanted
    if not 0 < command_timeout < math.inf:
        raise AlertRuleError(f"command_timeout must be a positive number, not {command_timeout!r}")
    expr = parse_condition(when, window)
    return AlertRule(
        when=when.strip(),
        expr=expr,
        scope=scope,
        mint=mint,
        name=name.strip(),
        window=window,
        cooldown=cooldown,
        channels=tuple(expanded),
        command=command.strip() if command else None,
        command_timeout=command_timeout,
        enabled=enabled,
        origin=origin,
        id=rule_id(origin, when, scope, mint, window),
    )


def rule_from_table(raw: object, origin: Origin = "config") -> AlertRule:
    """One `[[alerts]]` table (or an entry of the app's file) as a rule; AlertRuleError if not."""
    if not isinstance(raw, Mapping):
        raise AlertRuleError("should be a table of settings (when = ..., scope = ...)")
    unknown = sorted(str(key) for key in raw if key not in KEYS)
    if unknown:
        raise AlertRuleError(
            f"unknown setting {unknown[0]!r} (the settings are {', '.join(sorted(KEYS))})"
        )
    when = raw.get("when")
    if not isinstance(when, str):
        raise AlertRuleError('needs when = "<condition>", e.g. when = "mc > 20k"')
    name = _text(raw, "name", "")
    scope = as_scope(raw.get("scope"))
    mint = raw.get("mint")
    if mint is not None and not isinstance(mint, str):
        raise AlertRuleError(f"mint should be text, not {type(mint).__name__}")
    window = raw.get("window")
    window_seconds = None if window is None else parse_duration(window, "window")
    if window_seconds == 0:
        raise AlertRuleError("window must be longer than 0")
    cooldown = parse_duration(raw.get("cooldown", DEFAULT_COOLDOWN), "cooldown")
    deliver = raw.get("deliver", list(DEFAULT_CHANNELS))
    if isinstance(deliver, str):
        deliver = [deliver]
    if not isinstance(deliver, list) or not all(isinstance(c, str) for c in deliver):
        raise AlertRuleError('deliver should be a list of names, e.g. ["app", "bell"]')
    command = raw.get("command")
    if command is not None and not isinstance(command, str):
        raise AlertRuleError(f"command should be text, not {type(command).__name__}")
    timeout = raw.get("command_timeout", DEFAULT_COMMAND_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise AlertRuleError(f"command_timeout should be a number of seconds, not {timeout!r}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise AlertRuleError(f"enabled should be true or false, not {enabled!r}")
    return make_rule(
        when,
        scope=scope,
        mint=mint,
        name=name,
        window=window_seconds,
        cooldown=cooldown,
        channels=tuple(deliver),
        command=command,
        command_timeout=float(timeout),
        enabled=enabled,
        origin=origin,
    )


def _text(raw: Mapping[str, Any], key: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise AlertRuleError(f"{key} should be text, not {type(value).__name__}")
    return value
