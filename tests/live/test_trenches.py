"""The trenches boards: pushed by the indexer's keyless socket, read over HTTP while it is down,
and never a cost to the REST budgets while it is up."""

from __future__ import annotations

import pytest

from pumptui.live import FeedState
from pumptui.live.events import BoardChanged
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
