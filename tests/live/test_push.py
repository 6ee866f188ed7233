"""The push source: trades of followed coins arrive from the WebSocket at once; REST confirms them
(block time, slot), delivers any the socket dropped, and takes over when the socket is gone."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pumptui.live import (
    TIMEFRAMES,
    CoinUpdated,
    EngineError,
    FeedState,
    NewTrade,
    TradeConfirmed,
    candles_from_trades,
)
from pumptui.live.push import PushSource, push_url_for
from pumptui.secret import Secret
from pumptui.sim import SimServer
from tests.conftest import TEST_SERVER
from tests.live.conftest import MANUAL, EngineFactory, wait_until


def test_auto_is_the_socket_on_the_api_origin_which_only_the_simulator_serves() -> None:
    assert push_url_for("http://127.0.0.1:8787") == "ws://127.0.0.1:8787/api/data"
    assert push_url_for("https://127.0.0.1:8787/") == "wss://127.0.0.1:8787/api/data"


def test_the_key_never_travels_in_clear_to_another_machine() -> None:
    key = Secret("portal-key-bound-to-a-wallet")
    # Plain ws:// to a remote host: connect without the key (launches and migrations still come).
    clear = PushSource("ws://push.example.net/api/data", api_key=key)
    assert clear.key_withheld
    assert "portal-key" not in clear._socket_url()
    # Encrypted, or not leaving the machine: the key goes in the URL, as PumpPortal wants it.
    for url in (
        "wss://pumpportal.fun/api/data",
        "ws://127.0.0.1:8787/api/data",
        "ws://localhost:8787/api/data",
    ):
        source = PushSource(url, api_key=key)
        assert not source.key_withheld
        assert "api-key=portal-key-bound-to-a-wallet" in source._socket_url()


async def _focused_and_pushed(
    sim: SimServer, engine_factory: EngineFactory, source: PushSource
) -> tuple[object, str]:
    """An engine following the hot coin, its REST history read, its trades subscribed."""
    hot = sim.hot_mint
    # MANUAL: no feed polls by itself within a test; REST reads happen when the test asks.
    engine = engine_factory(sim, visible={"trades", "market"}, settings=MANUAL, source=source)
    await engine.start()
    engine.focus(hot)
    await wait_until(lambda: engine.store.coin(hot) is not None)  # the market feed's first read
    await wait_until(
        lambda: (
            engine.runners["trades"].health is not None
            and engine.runners["trades"].health.last_good_at is not None
        )
    )
    await wait_until(lambda: source.covered_since(hot) is not None, message="the subscription")
    return engine, hot


async def test_pushed_trades_are_delivered_before_any_poll_then_confirmed_by_rest(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    source = PushSource.for_api(sim.base_url, candles=False)
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    assert engine.feeds["trades"].pushed
    reader = engine.bus.subscribe(coalesce=False)
    requests_before = engine.client.stats.requests

    made = sim.inject_trades(hot, 25)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]), message="the pushed trades")

    # Straight from the socket: no request was needed, every trade once, in chain order.
    assert engine.client.stats.requests == requests_before
    events = reader.drain()
    pushed = [e.trade for e in events if isinstance(e, NewTrade) and e.mint == hot]
    assert [t.signature for t in pushed] == made
    truth = {t["tx"]: t for t in sim.trades_of(hot)}
    for trade in pushed:
        assert trade.provisional
        assert trade.slot == 0
        row = truth[trade.signature]
        # swap-api's decimal strings: SOL to 9 places, whole tokens to 6.
        assert trade.lamports == int(Decimal(row["amountSol"]) * 10**9)
        assert trade.raw_tokens == int(Decimal(row["baseAmount"]) * 10**6)
        assert trade.user == row["userAddress"]
        assert trade.is_buy == (row["type"] == "buy")
    # The reserves in the messages update the coin at once.
    assert any(isinstance(e, CoinUpdated) and e.coin.mint == hot for e in events)
    served = await engine.client.coin(hot)
    assert engine.store.coin(hot).virtual_sol_reserves == served.virtual_sol_reserves

    # The REST read confirms them: same signatures, real times and slots, no second NewTrade.
    engine.refresh("trades")
    await wait_until(lambda: not engine.store.is_provisional(pushed[-1]), message="REST")
    events = reader.drain()
    assert not [e for e in events if isinstance(e, NewTrade) and e.mint == hot]
    confirmed = [e.trade for e in events if isinstance(e, TradeConfirmed)]
    assert [t.signature for t in confirmed] == made
    for trade in confirmed:
        assert not trade.provisional
        row = truth[trade.signature]
        assert trade.slot == int(row["slotIndexId"][:12])  # the first 12 digits are the slot
        assert trade.timestamp == datetime.fromisoformat(row["timestamp"]).timestamp()
    stored = engine.store.trades(hot)
    assert [t.signature for t in stored[:25]] == made[::-1]
    assert not any(t.provisional for t in stored)
    # Candles placed the trades at their receive time first; now they sit at their block time.
    trades = list(reversed(stored))
    for seconds in TIMEFRAMES:
        assert engine.store.candles(hot, seconds) == candles_from_trades(trades, seconds)
    assert engine.health["push"].state is FeedState.LIVE
    assert engine.health["push"].describe(time.time()) == "live"


async def test_trades_the_socket_dropped_still_arrive_from_rest(
    sim_factory, engine_factory: EngineFactory
) -> None:
    # A client queue of 5: a burst of 40 overflows it, as PumpPortal drops for slow readers.
    sim = sim_factory(server=replace(TEST_SERVER, push_queue=5))
    source = PushSource.for_api(sim.base_url, candles=False)
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    reader = engine.bus.subscribe(coalesce=False)

    made = sim.inject_trades(hot, 40)
    await wait_until(lambda: source.trades > 0, message="some pushed trades")
    assert sim.push_dropped() > 0
    engine.refresh("trades")
    await wait_until(lambda: all(engine.store.has_trade(hot, s) for s in made), message="REST")

    events = reader.drain()
    new = [e.trade.signature for e in events if isinstance(e, NewTrade) and e.mint == hot]
    assert sorted(new) == sorted(made)  # each exactly once, pushed or read
    assert len(new) == len(set(new))
    assert not [e for e in events if isinstance(e, EngineError)]
    assert [t.signature for t in engine.store.trades(hot)[:40]] == made[::-1]


async def test_a_coin_trading_faster_than_checks_read_is_never_held_back(
    sim_factory, engine_factory: EngineFactory
) -> None:
    # More trades arrive between two checks than a check may read (two pages): holding the
    # rest would only grow, showing the feed "catching up" for good and delaying confirmations.
    sim = sim_factory(start_time=time.time())  # block times near the wall clock, as for real
    source = PushSource.for_api(sim.base_url, candles=False)
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    reader = engine.bus.subscribe(coalesce=False)
    runner = engine.runners["trades"]
    follower = engine.feeds["trades"]._stream.follower  # type: ignore[attr-defined]
    made: list[str] = []
    synced = time.time()
    for burst in (100, 600, 600, 600, 600):  # the first check reads all: it knows the rate
        now = time.time()
        sim.advance(now - synced)  # the market's clock keeps up with the wall clock
        synced = now
        made += sim.inject_trades(hot, burst)
        newest, polls = made[-1], runner.polls
        await wait_until(
            lambda: engine.store.has_trade(hot, newest),  # noqa: B023
            message="the push",
        )
        engine.refresh("trades")
        await wait_until(lambda: runner.polls > polls, message="the check")  # noqa: B023

    assert follower.abandoned_gaps > 0
    assert follower.held == 0
    assert runner.health is not None
    assert runner.health.state is FeedState.LIVE
    events = reader.drain()
    new = [e.trade.signature for e in events if isinstance(e, NewTrade) and e.mint == hot]
    assert len(new) == len(set(new))  # no REST copy came back as a second trade
    assert set(made) <= set(new)
    confirmed = {e.trade.signature for e in events if isinstance(e, TradeConfirmed)}
    assert made[-1] in confirmed  # each check confirms the newest at once
    # The gaps given up were covered by the socket: nothing to report.
    assert not [e for e in events if isinstance(e, EngineError)]


async def test_after_the_socket_drops_polling_takes_over_and_fills_the_gap(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    source = PushSource.for_api(sim.base_url, candles=False)
    source.backoff.base = source.backoff.cap = 30.0  # stay disconnected for this test
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    reader = engine.bus.subscribe(coalesce=False)

    assert sim.drop_push_connections() == 1
    await wait_until(lambda: not source.connected, message="the drop")
    assert not engine.feeds["trades"].pushed
    assert source.covered_since(hot) is None
    assert engine.health["push"].state is FeedState.FAILING
    made = sim.inject_trades(hot, 30)  # nobody pushes these
    engine.refresh("trades")
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]), message="the REST read")
    trades = [e.trade for e in reader.drain() if isinstance(e, NewTrade) and e.mint == hot]
    assert [t.signature for t in trades] == made
    assert not any(t.provisional for t in trades)


async def test_the_socket_comes_back_and_resubscribes(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    source = PushSource.for_api(sim.base_url, candles=False)
    source.backoff.base = source.backoff.cap = 0.05
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    sim.drop_push_connections()
    await wait_until(lambda: not source.connected)
    await wait_until(lambda: source.covered_since(hot) is not None, message="resubscription")
    reader = engine.bus.subscribe(coalesce=False)
    made = sim.inject_trades(hot, 5)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]))
    trades = [e.trade for e in reader.drain() if isinstance(e, NewTrade) and e.mint == hot]
    assert [t.signature for t in trades] == made
    assert all(t.provisional for t in trades)  # pushed: no poll was asked for


async def test_a_refused_trade_subscription_keeps_the_feed_polling_and_says_why(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    source = PushSource.for_api(sim.base_url, api_key=None, candles=False)  # no API key
    engine = engine_factory(sim, visible={"trades"}, source=source)
    await engine.start()
    engine.focus(hot)
    await wait_until(
        lambda: (
            engine.health.get("push") is not None and engine.health["push"].state is FeedState.SLOW
        ),
        message="refusal",
    )
    assert "API key" in (engine.health["push"].reason or "")
    assert not engine.feeds["trades"].pushed
    made = sim.inject_trades(hot, 5)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]))  # the polls still read them


async def test_hostile_push_messages_are_ignored(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    source = PushSource.for_api(sim.base_url, candles=False)
    engine, hot = await _focused_and_pushed(sim, engine_factory, source)
    reader = engine.bus.subscribe(coalesce=False)
    for raw in (
        "not json",
        "[1, 2]",
        '{"txType": "buy"}',
        f'{{"txType": "buy", "mint": "{hot}", "signature": "\\u001b[31m"}}',
        f'{{"txType": "sell", "mint": "{hot}", "signature": "5abc", "solAmount": -1,'
        ' "tokenAmount": 1}',
        f'{{"txType": "buy", "mint": "{hot}", "signature": "5abc", "solAmount": "x",'
        ' "tokenAmount": 1}',
    ):
        source._on_message(raw)
    assert not [e for e in reader.drain() if isinstance(e, NewTrade)]
    assert source.connected


async def test_when_the_socket_is_unreachable_the_feeds_keep_polling(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    source = PushSource("ws://127.0.0.1:9/api/data")  # nothing listens there
    engine = engine_factory(sim, visible={"trades"}, source=source)
    await engine.start()
    engine.focus(hot)
    await wait_until(
        lambda: (
            engine.health.get("push") is not None
            and engine.health["push"].state is FeedState.FAILING
        )
    )
    made = sim.inject_trades(hot, 5)
    await wait_until(lambda: engine.store.has_trade(hot, made[-1]))
    assert not engine.feeds["trades"].pushed
