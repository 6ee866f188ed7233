"""Frozen trenches boards for the trenches screen's tests: the frozen coins as the indexer's
boards would list them, with five minutes of board history (the trends)."""

from __future__ import annotations

from dataclasses import replace

from pumptui.api.models import BoardEntry, Coin
from pumptui.live.events import BoardChanged
from pumptui.live.store import MarketStore
from tests.tui.conftest import FROZEN_NOW, frozen_coins, frozen_store

# Where boards list a coin from (the simulator's rule, pumptui.sim.trenches): 70 % of the curve.
GRADUATING = 0.70


def board_entry(coin: Coin, index: int) -> BoardEntry:
    """A board entry for a frozen coin, with holder figures that vary from coin to coin."""
    return BoardEntry(
        mint=coin.mint,
        name=coin.name,
        symbol=coin.symbol,
        market_cap_usd=coin.market_cap_usd,
        age_seconds=FROZEN_NOW - (coin.created_at or FROZEN_NOW),
        curve_percent=100.0 if coin.complete else round(coin.progress * 100, 1),
        volume_usd_5m=float(250 + (index * 1931) % 40_000),
        txs_5m=index * 3,
        holders=12 + (index * 37) % 400,
        top10_percent=float(18 + (index * 13) % 60),
        dev_percent=float((index * 7) % 16),
        snipers=(index * 5) % 9,
        graduated_at=FROZEN_NOW - 90 if coin.complete else None,
        program="pump_amm" if coin.complete else "pump",
    )


def frozen_boards(coins: list[Coin] | None = None) -> dict[str, tuple[BoardEntry, ...]]:
    """The boards as the simulator makes them: `new` every coin on the curve, newest first;
    `graduating` those past 70 %, furthest first; `graduated` the complete ones."""
    coins = coins if coins is not None else frozen_coins()
    entries = {coin.mint: board_entry(coin, n) for n, coin in enumerate(coins)}
    on_curve = [c for c in coins if not c.complete]
    new = sorted(on_curve, key=lambda c: -(c.created_at or 0.0))
    graduating = sorted(
        (c for c in on_curve if c.progress >= GRADUATING), key=lambda c: -c.progress
    )
    graduated = [c for c in coins if c.complete]
    return {
        "new": tuple(entries[c.mint] for c in new),
        "graduating": tuple(entries[c.mint] for c in graduating),
        "graduated": tuple(entries[c.mint] for c in graduated),
    }


def trenches_store(store: MarketStore | None = None) -> MarketStore:
    """The frozen store with the three boards, their last five minutes read every 30 seconds
    (market caps drifting, so the trends have a shape), the last read 2 seconds ago."""
    store = store if store is not None else frozen_store()
    boards = frozen_boards()
    for step in range(11):
        at = FROZEN_NOW - 302 + step * 30
        for name, entries in boards.items():
            drifted = tuple(
                replace(e, market_cap_usd=(e.market_cap_usd or 1.0) * _drift(n, step))
                for n, e in enumerate(entries)
            )
            store.apply(BoardChanged(name, drifted, version=step + 1, read_at=at))
    return store


def _drift(index: int, step: int) -> float:
    """A market cap's factor at `step` of 10 (1.0 at the last): some rise, some fall."""
    slope = ((index * 17) % 9 - 4) / 40
    return 1.0 + slope * (step - 10) / 10
