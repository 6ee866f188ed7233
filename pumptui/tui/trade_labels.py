"""Who made a trade, in words the tape can show: DEV, a top-holder rank, SNIPER, BUNDLER, WHALE.

The facts come from the store: the coin's creator (its record) and its largest holders with their
flags (`HoldersChanged`, the holders feed). Nothing here assumes the bonding curve: a graduated
coin's trades on PumpSwap carry the same labels. Every label is text, so it reads without colour;
each has a short form for a narrow tape.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pumptui.api.models import Trade
from pumptui.live.events import HoldersChanged


class LabelFilter(Enum):
    """Which trades the tape shows, by who made them (cycled with a key)."""

    ALL = "all"
    DEV = "dev"
    WHALE = "whales"
    TOP = "top holders"
    SNIPER = "snipers"
    BUNDLER = "bundlers"

    def next(self, direction: int = 1) -> LabelFilter:
        members = list(LabelFilter)
        return members[(members.index(self) + direction) % len(members)]


@dataclass(frozen=True, slots=True)
class TraderBook:
    """What the app knows of a coin's traders: who created it, and its top holders' ranks (1 the
    largest) and flags. Empty until the coin and its holders are read."""

    creator: str | None = None
    ranks: dict[str, int] | None = None
    devs: frozenset[str] = frozenset()
    snipers: frozenset[str] = frozenset()
    bundlers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, creator: str | None, holders: HoldersChanged | None) -> TraderBook:
        top = holders.top if holders is not None else ()
        return cls(
            creator=creator,
            ranks={h.address: rank for rank, h in enumerate(top, start=1)},
            devs=frozenset(h.address for h in top if h.is_dev),
            snipers=frozenset(h.address for h in top if h.is_sniper),
            bundlers=frozenset(h.address for h in top if h.is_bundler),
        )


@dataclass(frozen=True, slots=True)
class TradeLabels:
    """The labels of one trade."""

    dev: bool = False
    rank: int | None = None
    sniper: bool = False
    bundler: bool = False
    whale: bool = False

    def words(self, short: bool = False) -> list[str]:
        """ "DEV", "#3", "SNIPER", "BUNDLER", "WHALE" (short: "DEV", "#3", "SNP", "BND", "WHL")."""
        words: list[str] = []
        if self.dev:
            words.append("DEV")
        if self.rank is not None:
            words.append(f"#{self.rank}")
        if self.sniper:
            words.append("SNP" if short else "SNIPER")
        if self.bundler:
            words.append("BND" if short else "BUNDLER")
        if self.whale:
            words.append("WHL" if short else "WHALE")
        return words

    def text(self, cells: int) -> str:
        """The labels in at most `cells` cells: in full, else short, else as many short ones
        as fit (the first are the most telling)."""
        full = " ".join(self.words())
        if len(full) <= cells:
            return full
        kept: list[str] = []
        for word in self.words(short=True):
            if len(" ".join([*kept, word])) > cells:
                break
            kept.append(word)
        return " ".join(kept)

    def matches(self, wanted: LabelFilter) -> bool:
        match wanted:
            case LabelFilter.ALL:
                return True
            case LabelFilter.DEV:
                return self.dev
            case LabelFilter.WHALE:
                return self.whale
            case LabelFilter.TOP:
                return self.rank is not None
            case LabelFilter.SNIPER:
                return self.sniper
            case LabelFilter.BUNDLER:
                return self.bundler


NO_LABELS = TradeLabels()


def labels_of(trade: Trade, book: TraderBook, whale_sol: float) -> TradeLabels:
    """The labels of `trade`: DEV if the coin's creator (or a holder the API flags as the dev)
    made it, the trader's rank among the top holders, their sniper and bundler flags, WHALE at
    `whale_sol` SOL or more."""
    user = trade.user
    whale = trade.sol >= whale_sol
    if not user:
        return TradeLabels(whale=whale) if whale else NO_LABELS
    ranks = book.ranks or {}
    return TradeLabels(
        dev=user == book.creator or user in book.devs,
        rank=ranks.get(user),
        sniper=user in book.snipers,
        bundler=user in book.bundlers,
        whale=whale,
    )
