"""The alert rules the app's forms make, from a few words the user types (no Textual here).

On a coin's screen (`CoinAlertForm`): its market cap crossing a value up or down, a move of N %
within M minutes, the dev selling, a whale buying; each a rule on that one mint. On Home: the
filter in force, as a rule on every new coin. Both are ordinary rules (`make_rule`), written in
the rules language, so the alerts screen shows them as the config file would spell them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from pumptui.alerts import AlertRule, AlertRuleError, make_rule
from pumptui.numbers import usd
from pumptui.rules.units import UnitError, format_value, read_value

CoinAlertKind = Literal["above", "below", "move", "dev-sells", "whale-buys"]


@dataclass(frozen=True, slots=True)
class CoinAlertChoice:
    kind: CoinAlertKind
    label: str
    value_hint: str = ""  # what the value box asks for ("" when it needs none)


COIN_ALERT_CHOICES: Final = (
    CoinAlertChoice("above", "market cap rises above…", "market cap in USD: 50k, 1.2m"),
    CoinAlertChoice("below", "market cap falls below…", "market cap in USD: 20k, 900"),
    CoinAlertChoice("move", "moves by N % within M minutes", "percent, up or down: 20%"),
    CoinAlertChoice("dev-sells", "the dev sells"),
    CoinAlertChoice("whale-buys", "a whale buys"),
)
# Where a firing of an app-made rule goes: the toast and the history, and the terminal's bell.
APP_CHANNELS: Final = ("app", "bell")
# A happening rule (the dev selling in several trades) says so at most once a minute per coin.
EVENT_COOLDOWN: Final = 60.0
MAX_MOVE_MINUTES: Final = 24 * 60


def coin_alert(
    kind: CoinAlertKind,
    mint: str,
    label: str,
    value: str = "",
    minutes: str = "",
    market_cap_usd: float | None = None,
) -> AlertRule:
    """The rule for one of `COIN_ALERT_CHOICES` on `mint` (named after `label`, the coin's
    symbol). `value` and `minutes` as typed; `market_cap_usd` (now) refuses a cross that is
    already crossed. AlertRuleError with one line for the form when something does not do."""
    match kind:
        case "above" | "below":
            cap = _read(value, "usd", "the market cap")
            if cap <= 0:
                raise AlertRuleError("the market cap must be more than 0")
            typed = format_value(cap, "usd")
            if market_cap_usd is not None:
                if kind == "above" and market_cap_usd >= cap:
                    raise AlertRuleError(
                        f"the market cap is {usd(market_cap_usd)} now: already above {usd(cap)}"
                    )
                if kind == "below" and market_cap_usd <= cap:
                    raise AlertRuleError(
                        f"the market cap is {usd(market_cap_usd)} now: already below {usd(cap)}"
                    )
            sign = ">=" if kind == "above" else "<="
            word = "above" if kind == "above" else "below"
            return make_rule(
                f"mc {sign} {typed}",
                mint=mint,
                name=f"{label} mc {word} {usd(cap)}",
                channels=APP_CHANNELS,
                origin="app",
            )
        case "move":
            percent = _read(value.strip().rstrip("%") + "%", "percent", "the move")
            if percent <= 0:
                raise AlertRuleError("the move must be more than 0 %")
            typed_minutes = minutes.strip().removesuffix("min").removesuffix("m").strip()
            window = _read(typed_minutes or "5", "count", "the minutes")
            if not 0 < window <= MAX_MOVE_MINUTES or window != int(window):
                raise AlertRuleError(f"the minutes must be a whole number, 1 to {MAX_MOVE_MINUTES}")
            span = f"{int(window)}m"
            moved = format_value(percent, "percent")
            return make_rule(
                f"change {span} >= {moved} or change {span} <= -{moved}",
                mint=mint,
                name=f"{label} moves {moved} in {span}",
                cooldown=max(60.0, window * 60),
                channels=APP_CHANNELS,
                origin="app",
            )
        case "dev-sells":
            when, name = "event = trade and side = sell and by = dev", f"{label} dev sells"
        case "whale-buys":
            when, name = "event = trade and side = buy and whale = yes", f"{label} whale buys"
    return make_rule(
        when,
        mint=mint,
        name=name,
        cooldown=EVENT_COOLDOWN,
        channels=APP_CHANNELS,
        origin="app",
    )


def _read(text: str, kind: str, what: str) -> float:
    if not text.strip():
        raise AlertRuleError(f"type {what}")
    try:
        return read_value(text.strip(), kind, what)
    except UnitError as exc:
        raise AlertRuleError(str(exc)) from None


def quoted(text: str) -> str:
    """`text` as a string of the rules language (`\\` and `"` escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_alert(text: str, expression: str | None = None) -> AlertRule:
    """A rule on every new coin from Home's filter: the expression it stands for when it is
    one (the screener's filter), else plain words as the table reads them, by name or symbol.
    AlertRuleError when there is no filter."""
    words = " ".join(text.split())
    if expression is not None and expression.strip():
        when = expression.strip()
        name = f"new: {words or when}"
    elif words:
        when = f"name ~ {quoted(words)} or symbol ~ {quoted(words)}"
        name = f'new: "{words}"'
    else:
        raise AlertRuleError("no filter: type one with / first")
    return make_rule(when, scope="new", name=name[:60], channels=APP_CHANNELS, origin="app")
