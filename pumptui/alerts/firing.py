"""`Firing`: one rule matched on one coin, with everything a channel needs to say so.

A firing says how sure it is: `late` when the happening reached us well after it happened (a
trade read back by back-fill after an outage), `provisional` when a figure came from a push
message not yet confirmed by REST, and `stale` naming the figures that were old or flagged stale
(the SOL price, the market activity...). `text` puts those words in the body, so a toast, a
desktop notification and a JSON line all say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pumptui.numbers import sol as sol_text
from pumptui.numbers import usd as usd_text


@dataclass(frozen=True, slots=True)
class Firing:
    rule_id: str
    rule_name: str
    condition: str
    mint: str
    symbol: str
    name: str
    event: str  # new, trade, graduating, graduated, callout, reply; "change" for a state rule
    at: float  # when it fired, Unix seconds
    event_at: float | None = None  # when the happening happened (a trade's block time)
    late: bool = False
    late_by: float | None = None  # seconds between the happening and us learning of it
    provisional: bool = False
    stale: tuple[str, ...] = ()
    signature: str | None = None
    side: str | None = None
    sol: float | None = None
    usd: float | None = None
    trader: str | None = None
    by_dev: bool = False
    market_cap_usd: float | None = None
    callout_id: str | None = None
    channels: tuple[str, ...] = ()

    @property
    def coin(self) -> str:
        return self.symbol or self.name or f"{self.mint[:4]}…{self.mint[-4:]}"

    @property
    def title(self) -> str:
        return f"pumptui: {self.rule_name or self.condition}"

    @property
    def text(self) -> str:
        """One line for people: what happened, then the caveats."""
        match self.event:
            case "trade":
                who = "dev" if self.by_dev else (self.trader or "someone")[:12]
                size = f"{sol_text(self.sol)} SOL" if self.sol is not None else "?"
                what = f"{who} {'bought' if self.side == 'buy' else 'sold'} {size}"
            case "new":
                what = "new coin"
            case "graduating":
                what = "in the final stretch"
            case "graduated":
                what = "graduated"
            case "callout":
                what = "new callout"
            case "reply":
                what = "new reply"
            case _:
                what = self.condition
        line = f"{self.coin}: {what}"
        if self.market_cap_usd is not None:
            line += f", mc {usd_text(self.market_cap_usd)}"
        line += "".join(f" ({note})" for note in self.caveats)
        return line

    @property
    def caveats(self) -> tuple[str, ...]:
        notes: list[str] = []
        if self.late:
            late_by = f" by {round(self.late_by)}s" if self.late_by is not None else ""
            notes.append(f"late{late_by}: read back after a gap")
        if self.provisional:
            notes.append("provisional: not confirmed yet")
        if self.stale:
            notes.append("stale: " + ", ".join(self.stale))
        return tuple(notes)

    def to_json(self) -> dict[str, Any]:
        """The JSON line of `pumptui alerts` and what a command hook reads on stdin."""
        return {
            "type": "alert",
            "rule": self.rule_id,
            "name": self.rule_name,
            "when": self.condition,
            "mint": self.mint,
            "symbol": self.symbol,
            "event": self.event,
            "at": self.at,
            "event_at": self.event_at,
            "late": self.late,
            "late_by": self.late_by,
            "provisional": self.provisional,
            "stale": list(self.stale),
            "signature": self.signature,
            "side": self.side,
            "sol": self.sol,
            "usd": self.usd,
            "trader": self.trader,
            "by_dev": self.by_dev,
            "market_cap_usd": self.market_cap_usd,
            "callout": self.callout_id,
            "text": self.text,
        }
