"""The live engine against the simulator, over real loopback HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from pumptui.api.models import Trade
from pumptui.config import RefreshSettings
from pumptui.live import (
    TIMEFRAMES,
    CalloutsChanged,
    CoinUpdated,
    EngineError,
    FeedHealthChanged,
    FeedState,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
    candles_from_trades,
)
from pumptui.live import engine as engine_module
from pumptui.live.bus import Subscription
from pumptui.sim import ServerConfig, SimServer
from tests.live.conftest import FAST, MANUAL, EngineFactory, make_client, wait_until


def live_trades(subscription: Subscription, mint: str) -> list[str]:
    """Signatures of the non-historical trades of `mint` delivered so far."""
    return [
        e.trade.signature
        for e in subscription.drain()
        if isinstance(e, NewTrade) and e.trade.mint == mint and not e.historical
    ]


def first_poll_done(engine: object, feed: str) -> Callable[[], bool]:
    runner = engine.runners[feed]  # type: ignore[attr-defined]
    return lambda: runner.health is not None and runner.health.last_good_at is not None


async def test_a_burst_of_1000_trades_between_two_polls_arrives_complete_in_order_once(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    engine = engine_factory(sim, visible={"trades"}, settings=MANUAL)
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(hot)
    await wait_until(first_poll_done(engine, "trades"), message="the first poll")
    polls = engine.runners["trades"].polls
    subscription.drain()

    burst = sim.inject_trades(hot, 1000)
    assert len(burst) == 1000
    engine.refresh("trades")
    await wait_until(lambda: engine.store.has_trade(hot, burst[-1]), message="the burst")
    # A poll is counted when it has finished, a moment after its trades are delivered.
    await wait_until(lambda: engine.runners["trades"].polls > polls, message="the poll's end")

    assert engine.runners["trades"].polls == polls + 1
    assert live_trades(subscription, hot) == burst  # complete, chain order, no duplicates


async def test_a_60s_outage_loses_nothing_once_service_returns(
    sim_factory: Callable[..., SimServer], engine_factory: EngineFactory
) -> None:
    sim = sim_factory(hot_trades_per_second=10.0)
    hot = sim.hot_mint
    engine = engine_factory(sim, visible={"trades"})
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(hot)
    await wait_until(first_poll_done(engine, "trades"))
    history = [t["tx"] for t in sim.trades_of(hot)]
    await wait_until(lambda: engine.store.has_trade(hot, history[-1]))
    before = set(history)

    sim.set_faults("error=1.0")
    for _ in range(12):
        sim.advance(5.0)  # a minute of market, 10 trades a second, every request failing
    await wait_until(lambda: engine.health["trades"].state is FeedState.FAILING)
    assert engine.health["trades"].describe(time.time()).startswith("failing")
    sim.clear_faults()

    expected = [t["tx"] for t in sim.trades_of(hot) if t["tx"] not in before]
    assert len(expected) > 500
    await wait_until(lambda: engine.store.has_trade(hot, expected[-1]), message="the backfill")
    await wait_until(lambda: engine.health["trades"].state is FeedState.LIVE)
    events = subscription.drain()
    delivered = [
        e.trade.signature
        for e in events
        if isinstance(e, NewTrade) and e.trade.mint == hot and not e.historical
    ]
    assert delivered[-len(expected) :] == expected
    assert len(delivered) == len(set(delivered))
    assert any(isinstance(e, EngineError) and e.feed == "trades" for e in events)


@pytest.mark.slow
async def test_a_429_storm_slows_the_engine_within_budget_and_shows_rate_limited(
    sim_factory: Callable[..., SimServer], engine_factory: EngineFactory
) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, rate_limit_window=60.0))
    hot = sim.hot_mint
    rpm, burst = 120.0, 5
    client = make_client(sim, requests_per_minute=rpm, burst=burst, max_retries=2)
    engine = engine_factory(sim, visible={"trades", "coins", "leader"}, client=client)
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(hot)
    await wait_until(first_poll_done(engine, "trades"))

    sim.set_faults("429=1.0,retry_after=1")
    sent_before, started = sim.state.requests, time.monotonic()
    limited = sim.inject_trades(hot, 30)
    await wait_until(lambda: engine.health["trades"].state is FeedState.RATE_LIMITED)
    assert engine.health["trades"].describe(time.time()).startswith("rate limited")
    await wait_until(lambda: time.monotonic() - started > 3.0)
    sent = sim.state.requests - sent_before
    allowed = burst + rpm / 60 * (time.monotonic() - started)
    assert sent <= allowed, f"{sent} requests in a 429 storm; the budget allows {allowed:.0f}"

    sim.clear_faults()
    await wait_until(lambda: engine.store.has_trade(hot, limited[-1]), message="recovery")
    await wait_until(lambda: engine.health["trades"].state is FeedState.LIVE)
    assert live_trades(subscription, hot) == limited


async def test_unchanged_answers_304_produce_no_events(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    mint = sim.mints()[0]
    feeds = {"coins", "leader", "sol-price", "trades", "callouts"}
    engine = engine_factory(sim, visible=feeds, settings=MANUAL)
    await engine.start()
    engine.focus(mint)
    for feed in feeds:
        await wait_until(
            first_poll_done(engine, feed),
            message=lambda feed=feed: f"{feed}: {engine.health.get(feed)}",
        )
    subscription = engine.bus.subscribe(coalesce=False)

    async def poll_all() -> None:
        before = {name: engine.runners[name].polls for name in feeds}
        engine.refresh()
        await wait_until(
            lambda: all(engine.runners[n].polls > before[n] for n in feeds),
            message=lambda: (
                f"a poll of every feed after {before}: "
                f"{ {n: engine.runners[n].polls for n in feeds} } {engine.health}"
            ),
        )

    for _ in range(3):
        await poll_all()
    not_modified = engine.client.stats.not_modified
    await poll_all()

    assert engine.client.stats.not_modified >= not_modified + len(feeds)
    data = (NewCoin, CoinUpdated, NewTrade, CalloutsChanged, LeaderChanged, SolPriceChanged)
    assert [e for e in subscription.drain() if isinstance(e, data)] == []


async def test_candles_built_from_trades_match_candles_computed_from_the_same_trades(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    mint = sim.create_coin(name="Candle Test", symbol="CNDL")
    engine = engine_factory(sim, visible={"trades"}, settings=MANUAL)
    await engine.start()
    engine.focus(mint)
    await wait_until(first_poll_done(engine, "trades"))
    for step in range(40):
        sim.inject_trades(mint, 1 + step % 4)
        sim.advance(13.0)
    last = sim.inject_trades(mint, 3)[-1]
    engine.refresh("trades")
    await wait_until(lambda: engine.store.has_trade(mint, last))

    trades = [Trade.from_swap(record, mint) for record in sim.trades_of(mint)]
    for seconds in TIMEFRAMES:
        assert engine.store.candles(mint, seconds) == candles_from_trades(trades, seconds)
    # And the simulator's own one-minute candles agree on closes and volumes. (The app opens
    # each candle at the previous close, as charts do; the series served need not.)
    served = await engine.client.candles(mint, interval="1m", currency="SOL")
    built = engine.store.candles(mint, 60)
    assert [c.start for c in built] == [c.start for c in served]
    for mine, theirs in zip(built, served, strict=True):
        assert abs(mine.close - theirs.close) <= 1e-9 * theirs.close
        assert abs(mine.volume_sol - theirs.volume_sol) <= 1e-9 * theirs.volume_sol


async def test_hidden_feeds_do_not_poll_and_a_paused_engine_stays_quiet(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible={"coins"})
    await engine.start()
    await wait_until(first_poll_done(engine, "coins"))
    await wait_until(lambda: engine.runners["coins"].polls >= 3)
    assert engine.runners["leader"].polls == 0
    assert engine.health["leader"].state is FeedState.IDLE

    engine.set_visible({"coins", "leader"})
    await wait_until(first_poll_done(engine, "leader"))

    engine.pause()
    await wait_until(lambda: engine.health["coins"].state is FeedState.PAUSED)
    polls = engine.runners["coins"].polls
    engine.refresh()
    before = time.monotonic()
    await wait_until(lambda: time.monotonic() - before > 0.6)
    assert engine.runners["coins"].polls <= polls + 1  # at most the poll already in flight
    assert engine.health["leader"].describe(time.time()) == "paused"

    engine.resume()
    await wait_until(lambda: engine.runners["coins"].polls > polls + 1)


async def test_a_reader_that_never_reads_cannot_hold_the_engine_back(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    hot = sim.hot_mint
    engine = engine_factory(sim, visible={"trades"}, settings=MANUAL)
    stuck = engine.bus.subscribe(maxsize=5)
    reader = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(hot)
    await wait_until(first_poll_done(engine, "trades"))
    reader.drain()
    burst = sim.inject_trades(hot, 600)
    engine.refresh("trades")
    await wait_until(lambda: engine.store.has_trade(hot, burst[-1]))
    assert live_trades(reader, hot) == burst
    assert len(stuck) <= 5
    assert stuck.overflowed > 0
    assert [t.signature for t in engine.store.trades(hot, limit=600)][::-1] == burst


async def test_watched_coins_are_refreshed_in_bulk_and_their_trades_followed(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    first = sim.create_coin(name="Watched One", symbol="W1")
    second = sim.create_coin(name="Watched Two", symbol="W2")
    engine = engine_factory(sim, visible={"watchlist"})
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.watch([first, second])
    await wait_until(lambda: engine.store.coin(first) and engine.store.coin(second))
    one, two = sim.inject_trades(first, 40), sim.inject_trades(second, 25)
    await wait_until(
        lambda: engine.store.has_trade(first, one[-1]) and engine.store.has_trade(second, two[-1])
    )
    events = subscription.drain()
    for mint, made in ((first, one), (second, two)):
        got = [
            e.trade.signature for e in events if isinstance(e, NewTrade) and e.trade.mint == mint
        ]
        assert got[-len(made) :] == made
        assert len(got) == len(set(got))
    assert engine.store.coin(first).name == "Watched One"  # type: ignore[union-attr]

    engine.unwatch([first, second])
    await wait_until(lambda: engine.health["watchlist"].state is FeedState.IDLE)


async def test_switching_focus_follows_the_new_coin(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    old, new = sim.create_coin(name="Old", symbol="OLD"), sim.create_coin(name="New", symbol="NEW")
    engine = engine_factory(sim, visible={"trades", "callouts", "market"})
    await engine.start()
    engine.focus(old)
    await wait_until(first_poll_done(engine, "trades"))
    engine.focus(new)
    callout_id = sim.post_callout(new, "gm [bold]not bold[/bold]")
    made = sim.inject_trades(new, 10)
    await wait_until(lambda: engine.store.has_trade(new, made[-1]))
    await wait_until(lambda: any(c.id == callout_id for c in engine.store.callouts(new) or ()))
    assert [c.thesis for c in engine.store.callouts(new) or ()] == ["gm [bold]not bold[/bold]"]
    await wait_until(lambda: engine.store.coin(new) is not None, message="the coin's data")


async def test_health_changes_are_published_for_the_status_bar(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible={"leader"}, settings=RefreshSettings())
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    await wait_until(first_poll_done(engine, "leader"))
    states = [
        e.health.state
        for e in subscription.drain()
        if isinstance(e, FeedHealthChanged) and e.health.feed == "leader"
    ]
    assert states[0] is FeedState.STARTING
    assert states[-1] is FeedState.LIVE
    assert engine.store.freshest_at is not None
    assert FAST.trades_min < RefreshSettings().trades_min  # the fixtures really are faster


async def test_stopping_never_waits_for_ever_on_a_socket_that_will_not_close(
    sim: SimServer, engine_factory: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A peer that never answers a goodbye (a half-open connection over SSH, say) must not keep
    # Ctrl-C from ending `pumptui watch`: each socket has a bounded time to close.
    engine = engine_factory(sim, visible={"trades"}, settings=MANUAL)
    await engine.start()
    never = asyncio.Event()

    async def stuck() -> None:
        await never.wait()

    monkeypatch.setattr(engine_module, "STOP_TIMEOUT", 0.2)
    monkeypatch.setattr(engine.source, "stop", stuck)
    await asyncio.wait_for(engine.stop(), 10)
