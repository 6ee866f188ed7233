"""What an alert's condition may name: every coin field of the screener, plus the event fields.

An alert is evaluated on a happening (a launch, a trade, a graduation...), so besides the coin's
figures (`pumptui.rules.COIN_FIELDS`) its condition can say what happened: `event = trade and
side = sell and by = dev`. The event fields are unknown (None) on a happening they do not
describe, so `sol > 5` is false on anything but a trade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Final

from pumptui.rules import COIN_FIELDS, Field

# What can happen to a coin, as `event` names it.
EVENT_KINDS: Final = ("new", "trade", "graduating", "graduated", "callout", "reply")

EVENT_FIELDS: Final[Mapping[str, Field]] = {
    "event": Field(
        "event",
        "text",
        "what happened: new (a launch), trade, graduating (reached the final stretch), "
        "graduated, callout, reply",
        choices=EVENT_KINDS,
    ),
    "side": Field("side", "text", "a trade's side: buy or sell", choices=("buy", "sell")),
    "sol": Field("sol", "sol", "a trade's size in SOL"),
    "usd": Field("usd", "usd", "a trade's size in USD (at the SOL price of the moment)"),
    "trader": Field("trader", "text", "the trader's wallet (or name, when the service gives one)"),
    "by": Field(
        "by", "text", "who traded: dev (the coin's creator) or trader", choices=("dev", "trader")
    ),
    "whale": Field(
        "whale",
        "text",
        "yes for a trade of at least the whale size ([ui] whale_sol, 5 SOL unless set)",
        choices=("yes", "no"),
    ),
}
# Fields known only on a trade: a condition reading one can only match a trade.
TRADE_FIELDS: Final = frozenset({"side", "sol", "usd", "trader", "by", "whale"})

ALERT_FIELDS: Final[Mapping[str, Field]] = {**COIN_FIELDS, **EVENT_FIELDS}


def alert_fields(window: float | None = None) -> Mapping[str, Field]:
    """The fields a rule's condition is parsed with; `window` (seconds) replaces the default
    window of the windowed ones (a rule with `window = "3m"` reads `change` as `change 3m`)."""
    if window is None:
        return ALERT_FIELDS
    return {
        name: replace(field, default_window=window) if field.windowed else field
        for name, field in ALERT_FIELDS.items()
    }
