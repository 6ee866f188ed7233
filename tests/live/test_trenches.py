"""The trenches boards: pushed by the indexer's keyless socket, read over HTTP while it is down,
and never a cost to the REST budgets while it is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from pumptui.api.models import BoardEntry
from pumptui.live import FeedState
from pumptui.live.events import BoardChanged, FeedHealthChanged
from pumptui.live.store import BoardRead, MarketStore
from pumptui.live.trenches import TrenchesWatcher
from pumptui.sim import SimServer
from tests.live.conftest import MANUAL, EngineFactory, wait_until


async def test_the_new_board_arrives_by_socket_and_a_launch_shows_up_without_rest(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible=set(), settings=MANUAL, boards=("new", "graduating"))
    reader = engine.bus.subscribe(coalesce=False)
    await engine.start()
    await wait_until(lambda: engine.store.board("new"), message="the new board's snapshot")
    await wait_until(
        lambda: (
            engine.health.get("trenches") is not None
            and engine.health["trenches"].state is FeedState.LIVE
        )
    )
    newest = sim.mints()[0]
    assert engine.store.board("new")[0].mint == newest
    requests = engine.client.stats.requests

    launched = sim.create_coin(name="Fresh Launch", symbol="FRESH")
    sim.advance(1.0)  # deltas go out once a simulated second
    await wait_until(
        lambda: any(e.mint == launched for e in engine.store.board("new")),
        message="the launch in the new board",
    )
    entry = engine.store.board_entry(launched)
    assert entry is not None
    assert entry.symbol == "FRESH"
    assert entry.market_cap_usd is not None
    assert entry.market_cap_usd > 0
    assert engine.client.stats.requests == requests  # pushed: no REST request spent
    boards = {e.board for e in reader.drain() if isinstance(e, BoardChanged)}
    assert {"new", "graduating"} <= boards


async def test_a_board_whose_socket_is_down_is_read_over_http_and_says_so(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible=set(), settings=MANUAL)
    # Nothing listens on port 9: the socket fails, the HTTP fallback (on the simulator) answers.
    engine.trenches = TrenchesWatcher("http://127.0.0.1:9", ("new",), http_interval=0.2)
    await engine.start()
    await wait_until(lambda: engine.store.board("new"), message="the board over HTTP")
    assert engine.store.board("new")[0].mint == sim.mints()[0]
    health = engine.health["trenches"]
    assert health.state is FeedState.FAILING
    assert "over HTTP" in (health.reason or "")


def test_an_unknown_board_is_refused() -> None:
    with pytest.raises(ValueError, match="kings"):
        TrenchesWatcher("http://127.0.0.1:9", ("kings",))


async def test_a_board_on_screen_is_kept_live_while_shown_and_closed_after(
    sim_factory: Callable[..., SimServer], engine_factory: EngineFactory
) -> None:
    """The trenches screen shows `graduated`, which the engine does not keep otherwise: its
    socket opens when shown, brings each graduation, and closes when no longer shown."""
    sim = sim_factory(nsfw_share=0.0, trades_per_second=0.0, launches_per_minute=0.0)
    engine = engine_factory(sim, visible=set(), settings=MANUAL, boards=("new",))
    await engine.start()
    trenches = engine.trenches
    assert trenches is not None
    await wait_until(lambda: engine.store.board("new"), message="the new board")
    assert engine.store.board_read("graduated") is None

    def listed(board: str, mint: str) -> bool:
        return mint in {e.mint for e in engine.store.board(board)}

    async def launch(name: str) -> str:
        mint = sim.create_coin(name=name, symbol=name.upper()[:5])
        sim.advance(1.0)
        await wait_until(lambda: listed("new", mint), message=f"{name} on the new board")
        return mint

    def graduate(mint: str) -> None:
        while not sim.call(lambda: sim.market.coins[mint].curve.complete):
            sim.buy(mint, sol=5.0)
        sim.advance(1.0)

    reader = engine.bus.subscribe(coalesce=False)
    engine.show_boards(("new", "graduated"))
    assert trenches.boards == ("new", "graduated")
    await wait_until(lambda: engine.store.board_read("graduated"), message="its snapshot")
    said = [
        e.health.state
        for e in reader.drain()
        if isinstance(e, FeedHealthChanged) and e.health.feed == "trenches"
    ]
    assert FeedState.STARTING in said, "a socket opening is said to be connecting"
    assert FeedState.FAILING not in said, "and never a failure"
    read = engine.store.board_read("graduated")
    assert read is not None
    assert read.version is not None, "by socket"
    first = await launch("First")
    graduate(first)
    await wait_until(lambda: listed("graduated", first), message="the graduation, pushed")
    assert engine.store.board_trend(first), "its market cap, kept for the trend"

    def subscribers(board: str) -> int:
        return sim.call(lambda: sum(board in c.boards for c in sim.state.trench_sockets))

    assert subscribers("graduated") == 1
    engine.show_boards(())
    assert trenches.boards == ("new",), "the engine's own boards stay"
    await wait_until(lambda: subscribers("graduated") == 0, message="its socket closed")
    assert subscribers("new") == 1
    second = await launch("Second")
    graduate(second)
    await wait_until(lambda: not listed("new", second), message="the new board's delta")
    assert not listed("graduated", second), "no longer followed"
    assert engine.health["trenches"].state is FeedState.LIVE, "a closed board is not a failure"


def test_the_store_keeps_how_each_board_came_and_each_coins_market_cap_over_time() -> None:
    """What the trenches screen shows besides the rows: each board's age and whether it came
    by socket or over HTTP, and a coin's market cap on the boards (its trend), one point per
    price step, the latest of each."""
    store = MarketStore(price_step=15.0, price_points=3)
    entry = BoardEntry(mint="M", symbol="M", market_cap_usd=1000.0)
    store.apply(BoardChanged("new", (entry,), version=4, read_at=100.0))
    assert store.board_read("new") == BoardRead(4, 100.0)
    # The same board again: nothing changed but its age.
    assert not store.apply(BoardChanged("new", (entry,), version=5, read_at=101.0))
    assert store.board_read("new") == BoardRead(5, 101.0)
    for at, cap in ((110.0, 1100.0), (125.0, 1200.0), (140.0, 1300.0), (160.0, 1400.0)):
        store.apply(BoardChanged("new", (replace(entry, market_cap_usd=cap),), None, at))
    assert store.board_read("new") == BoardRead(None, 160.0), "read over HTTP"
    assert store.board_trend("M") == [(125.0, 1200.0), (140.0, 1300.0), (160.0, 1400.0)]
    assert store.board_trend("other") == []
