"""Fixtures for the shell's tests: frozen market data, a frozen clock, and apps built on them.

Frozen data is a `MarketStore` filled through `store.apply(event)` with hand-made models (hostile
ones built through the real `from_api`, so they are sanitised the way the API's would be), and a
clock stuck at `FROZEN_NOW`. Snapshot and Pilot tests on it are deterministic to the cell.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator

import pytest
from textual.widgets import Input

from pumptui.api.models import INITIAL_REAL_TOKEN_RESERVES, Coin, Trade
from pumptui.base58 import b58encode
from pumptui.config import Settings
from pumptui.live.events import (
    FeedHealthChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.store import MarketStore
from pumptui.tui.app import PumpApp
from pumptui.tui.services import AppServices, MemoryWatchlist

FROZEN_NOW = 1_750_000_000.0
SOL_USD = 187.42
VIRTUAL_TOKENS_AT_START = 1_073_000_000_000_000
VIRTUAL_SOL_AT_START = 30_000_000_000
NAMES = (
    ("Based Frog", "BFROG"),
    ("Moon Cat", "MCAT"),
    ("Giga Whale", "GIGA"),
    ("Sad Pepe", "SPEPE"),
    ("Turbo Otter", "TURBO"),
    ("Baby Goat", "BGOAT"),
    ("Cyber Duck", "CDUCK"),
    ("Golden Shiba", "GSHIB"),
    ("Wild Panda", "WPANDA"),
    ("Dank Toad", "DTOAD"),
    ("Cosmic Llama", "CLLAMA"),
    ("Lazy Corgi", "LAZY"),
    ("Rich Sloth", "RSLOTH"),
    ("Degen Banana", "DBAN"),
    ("Silly Rocket", "SROCK"),
    ("Mega Wizard", "MWIZ"),
    ("Smol Ninja", "SMOL"),
    ("Chad Pirate", "CHAD"),
    ("Dark Robot", "DROBO"),
    ("Pixel Taco", "PTACO"),
    ("Laser Pickle", "LASER"),
    ("Retro Bear", "RBEAR"),
    ("Holy Bull", "HOLY"),
    ("Feral Raccoon", "FERAL"),
    ("Crispy Hamster", "CRISP"),
)
LEADER_INDEX = 2
GRADUATED_INDEX = 7


def make_mint(label: str) -> str:
    """A deterministic 32-byte base58 address (what real mints look like)."""
    return b58encode(hashlib.sha256(label.encode()).digest())


def curve_coin(index: int, name: str, symbol: str, progress: float, **extra: object) -> Coin:
    """A coin at `progress` along the bonding curve, with consistent reserves and market cap."""
    sold = int(INITIAL_REAL_TOKEN_RESERVES * progress)
    virtual_tokens = VIRTUAL_TOKENS_AT_START - sold
    virtual_sol = VIRTUAL_SOL_AT_START * VIRTUAL_TOKENS_AT_START // virtual_tokens
    market_cap = virtual_sol / 1e9 / (virtual_tokens / 1e6) * 1e9
    fields: dict[str, object] = dict(
        mint=make_mint(f"coin-{index}"),
        name=name,
        symbol=symbol,
        creator=make_mint(f"creator-{index}"),
        created_at=FROZEN_NOW - 7 - index * 53,
        virtual_sol_reserves=virtual_sol,
        virtual_token_reserves=virtual_tokens,
        real_sol_reserves=virtual_sol - VIRTUAL_SOL_AT_START,
        real_token_reserves=INITIAL_REAL_TOKEN_RESERVES - sold,
        market_cap_sol=market_cap,
        market_cap_usd=market_cap * SOL_USD,
        reply_count=(index * 7) % 23,
    )
    fields.update(extra)
    return Coin(**fields)  # type: ignore[arg-type]


def frozen_coins() -> list[Coin]:
    coins = []
    for index, (name, symbol) in enumerate(NAMES):
        progress = ((index * 37) % 97) / 100
        extra: dict[str, object] = {}
        if index == LEADER_INDEX:
            progress = 0.95  # the highest still on the curve (13 is at 0.93)
        if index == GRADUATED_INDEX:
            progress = 1.0
            extra["complete"] = True
        coins.append(curve_coin(index, name, symbol, progress, **extra))
    return coins


def frozen_trades(coins: list[Coin]) -> list[Trade]:
    """Thirty trades over the last minute, spread over a few coins, oldest first."""
    trades = []
    for n in range(30):
        coin = coins[(n * 5) % 9]
        is_buy = n % 3 != 0
        lamports = 50_000_000 + (n * 137_000_000) % 2_400_000_000
        price = coin.price_sol * (1 + ((n % 7) - 3) / 100)
        trades.append(
            Trade(
                signature=make_mint(f"sig-{n}"),
                mint=coin.mint,
                is_buy=is_buy,
                lamports=lamports,
                raw_tokens=int(lamports / 1e9 / price * 1e6),
                timestamp=FROZEN_NOW - 60 + n * 2,
                slot=1000 + n,
                user=make_mint(f"user-{n % 6}"),
                username=("alice", None, "bob_the_degen", None, "whale42", None)[n % 6],
            )
        )
    return trades


def live_health(feed: str, state: FeedState = FeedState.LIVE, **extra: object) -> FeedHealth:
    fields: dict[str, object] = dict(
        feed=feed, state=state, since=FROZEN_NOW - 120, last_good_at=FROZEN_NOW - 2, interval=2.0
    )
    fields.update(extra)
    return FeedHealth(**fields)  # type: ignore[arg-type]


def frozen_store(*, extra_coins: tuple[Coin, ...] = ()) -> MarketStore:
    store = MarketStore()
    coins = frozen_coins()
    for coin in [*coins, *extra_coins]:
        store.apply(NewCoin(coin))
    for trade in frozen_trades(coins):
        store.apply(NewTrade(trade))
    store.apply(LeaderChanged(coins[LEADER_INDEX]))
    store.apply(SolPriceChanged(SOL_USD))
    for feed in ("coins", "leader", "sol-price"):
        store.apply(FeedHealthChanged(live_health(feed)))
    return store


def frozen_services(
    store: MarketStore | None = None, *, watched: tuple[str, ...] = (), sim_mode: bool = False
) -> AppServices:
    return AppServices(
        Settings(),
        store=store if store is not None else frozen_store(),
        watchlist=MemoryWatchlist(watched),
        clock=lambda: FROZEN_NOW,
        sim_mode=sim_mode,
    )


@pytest.fixture(autouse=True)
def _utc_and_still_cursor(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Wall-clock times render in UTC and text cursors do not blink, so frames are repeatable."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def coins() -> list[Coin]:
    return frozen_coins()


@pytest.fixture
def make_app() -> Callable[..., PumpApp]:
    """`make_app(store=None, watched=(), sim_mode=False)`: an app on frozen data, no engine."""

    def build(
        store: MarketStore | None = None, *, watched: tuple[str, ...] = (), sim_mode: bool = False
    ) -> PumpApp:
        return PumpApp(frozen_services(store, watched=watched, sim_mode=sim_mode))

    return build


def screen_text(app: PumpApp) -> str:
    """What the terminal shows right now, as plain text lines (no styles)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)
