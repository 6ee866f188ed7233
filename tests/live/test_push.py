"""The push source: a WebSocket wakes the feeds; REST fills in what the push lacks."""

from __future__ import annotations

import time

from pumptui.live import CoinUpdated, FeedState, NewTrade
from pumptui.live.push import PushSource, push_url_for
from pumptui.sim import SimServer
from tests.live.conftest import MANUAL, EngineFactory, wait_until


def test_the_socket_lives_on_the_api_origin() -> None:
    assert push_url_for("http://127.0.0.1:8787") == "ws://127.0.0.1:8787/api/data"
    assert push_url_for("https://frontend-api-v3.pump.fun/") == (
        "wss://frontend-api-v3.pump.fun/api/data")


async def test_pushed_trades_arrive_complete_without_waiting_for_a_poll(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    source = PushSource.for_api(sim.base_url)
    # MANUAL: the feeds would not poll by themselves within this test; only pushes wake them.
    engine = engine_factory(sim, visible={"trades", "market"}, settings=MANUAL, source=source)
    reader = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(hot)
    await wait_until(lambda: engine.store.coin(hot) is not None)  # the market feed's first read
    await wait_until(lambda: source.connected and engine.health.get("push") is not None)
    await wait_until(lambda: engine.runners["trades"].health is not None
                     and engine.runners["trades"].health.last_good_at is not None)
    await wait_until(lambda: hot in source._subscribed)
    reader.drain()

    made = sim.inject_trades(hot, 25)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]), message="a pushed poll")

    events = reader.drain()
    trades = [e.trade for e in events if isinstance(e, NewTrade) and e.trade.mint == hot]
    assert [t.signature for t in trades] == made
    assert all(t.timestamp > 0 and t.slot > 0 for t in trades)  # full trades, from REST
    assert any(isinstance(e, CoinUpdated) and e.coin.mint == hot for e in events)
    served = await engine.client.coin(hot)
    assert engine.store.coin(hot).virtual_sol_reserves == served.virtual_sol_reserves
    assert engine.health["push"].state is FeedState.LIVE
    assert engine.health["push"].describe(time.time()) == "live"


async def test_when_the_socket_is_unreachable_the_feeds_keep_polling(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    source = PushSource("ws://127.0.0.1:9/api/data")  # nothing listens there
    engine = engine_factory(sim, visible={"trades"}, source=source)
    await engine.start()
    engine.focus(hot)
    await wait_until(lambda: engine.health.get("push") is not None
                     and engine.health["push"].state is FeedState.FAILING)
    made = sim.inject_trades(hot, 5)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]))
    assert not engine.feeds["trades"].pushed
