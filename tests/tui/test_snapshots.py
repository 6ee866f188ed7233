"""What the shell looks like, to the cell, on frozen data with a frozen clock.

Every comparison is asserted (`snap_compare` returns a bool). Baselines live in
`tests/tui/__snapshots__/`; after an intended change, review `snapshot_report.html` and rerun with
`--snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pumptui.live.events import FeedHealthChanged, RouteMoved
from pumptui.live.health import FeedState
from pumptui.tui.app import PumpApp
from tests.tui.conftest import FROZEN_NOW, frozen_coins, frozen_store, live_health, make_mint
from tests.tui.test_home import HOSTILE_COINS
from tests.tui.trenches_support import trenches_store

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
Snap = Callable[..., bool]
AppFactory = Callable[..., PumpApp]


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_watchlist(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    coins = frozen_coins()
    watched = (coins[2].mint, coins[5].mint, make_mint("not-loaded-yet"))
    assert snap_compare(make_app(watched=watched), press=["W"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=size)


def test_filter_and_sort(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), press=["s", "slash", "a", "n"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_hostile_names(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(frozen_store(extra_coins=HOSTILE_COINS))
    assert snap_compare(app, terminal_size=size)


def test_feed_problems_in_sim_mode(snap_compare: Snap, make_app: AppFactory) -> None:
    store = frozen_store()
    store.apply(
        FeedHealthChanged(live_health("market", FeedState.RATE_LIMITED, retry_at=FROZEN_NOW + 12))
    )
    store.apply(
        FeedHealthChanged(
            live_health("coins", FeedState.FAILING, since=FROZEN_NOW - 40, reason="timeout")
        )
    )

    async def move(pilot: Any) -> None:
        await pilot.press("j", "j", "w")

    assert snap_compare(make_app(store, sim_mode=True), run_before=move, terminal_size=(80, 24))


def test_moved_route_and_blocked_swap_api_in_the_status_bar(
    snap_compare: Snap, make_app: AppFactory
) -> None:
    """The engine's health while swap-api blocks us (1015), and a route that moved to its
    fallback: both read in the status bar."""
    store = frozen_store()
    store.apply(RouteMoved("candles", "/v2/coins/{mint}/candles → /v1/coins/{mint}/candles"))
    for feed in ("trades", "activity"):
        store.apply(
            FeedHealthChanged(live_health(feed, FeedState.RATE_LIMITED, retry_at=FROZEN_NOW + 42))
        )
    assert snap_compare(make_app(store, sim_mode=True), terminal_size=(120, 36))


def test_home_without_colour(
    snap_compare: Snap, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: buys and sells, the leader and the graduated mark still read (▲▼ ⚑ ✓ ★)."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(watched=(frozen_coins()[1].mint,)), terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_trenches(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """The three boards (one at a time at 80 columns), the cursor on the third coin of New,
    and a coin that just crossed into Graduating, marked on its new row."""
    from dataclasses import replace

    from pumptui.live.events import BoardChanged
    from pumptui.tui.screens.trenches import TrenchesScreen

    store = trenches_store()

    async def cross(pilot: Any) -> None:
        await pilot.press("N", "j", "j")
        screen = pilot.app.screen
        assert isinstance(screen, TrenchesScreen)
        new = store.board("new")
        crossing = replace(new[1], curve_percent=71.0)
        graduating = (*store.board("graduating"), crossing)
        store.apply(BoardChanged("graduating", graduating, version=50, read_at=FROZEN_NOW - 1))
        await pilot.pause()
        screen.redraw()
        await pilot.pause()

    assert snap_compare(make_app(store), run_before=cross, terminal_size=size)
