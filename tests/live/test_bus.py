"""The event bus: many readers, none of which can hold the engine up."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from pumptui.live.bus import EventBus, SubscriptionClosed
from pumptui.live.events import (
    CoinUpdated,
    FeedHealthChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.health import FeedHealth, FeedState
from tests.live.factories import coin, trade


def test_every_subscriber_gets_every_event_in_order() -> None:
    bus = EventBus()
    first, second = bus.subscribe(), bus.subscribe()
    events = [NewTrade(trade(n)) for n in range(5)]
    for event in events:
        bus.publish(event)
    assert first.drain() == events
    assert second.drain() == events
    assert first.drain() == []


def test_a_full_queue_drops_its_oldest_trades_only_and_counts_them() -> None:
    bus = EventBus()
    slow = bus.subscribe(maxsize=10)
    fast = bus.subscribe(maxsize=10_000)
    bus.publish(NewCoin(coin(1)))
    for n in range(100):
        bus.publish(NewTrade(trade(n)))
    assert len(slow) == 10
    assert slow.overflowed == 91
    kept = slow.drain()
    assert kept[0] == NewCoin(coin(1))  # not a trade: kept
    assert [e.trade.signature for e in kept[1:]] == [trade(n).signature for n in range(91, 100)]
    assert len(fast.drain()) == 101  # the other reader lost nothing


def test_a_reader_that_stalls_under_a_flood_holds_no_more_than_its_queue() -> None:
    bus = EventBus()
    stalled = bus.subscribe(maxsize=10)
    bus.publish(NewCoin(coin(1)))
    for n in range(10_000):
        bus.publish(NewTrade(trade(n)))
    # What it held: the slots of the trades it never read, dropped from the queue as they go.
    held = [slot.event for slot in stalled._queue if slot.event is not None]
    assert len(stalled._queue) <= 2 * stalled.maxsize
    assert len(held) == 10
    kept = stalled.drain()
    assert kept[0] == NewCoin(coin(1))
    last = [trade(n).signature for n in range(9991, 10_000)]
    assert [e.trade.signature for e in kept[1:]] == last


def test_state_events_are_coalesced_to_the_latest_per_key() -> None:
    bus = EventBus()
    reader = bus.subscribe()
    for vsol in range(31, 36):
        bus.publish(CoinUpdated(replace(coin(1), virtual_sol_reserves=vsol * 10**9)))
    bus.publish(CoinUpdated(coin(2)))
    for usd in (100.0, 101.0):
        bus.publish(SolPriceChanged(usd))
    health = [FeedHealth("trades", state, 0.0) for state in (FeedState.LIVE, FeedState.SLOW)]
    for h in health:
        bus.publish(FeedHealthChanged(h))
    events = reader.drain()
    assert events == [
        CoinUpdated(replace(coin(1), virtual_sol_reserves=35 * 10**9)),
        CoinUpdated(coin(2)),
        SolPriceChanged(101.0),
        FeedHealthChanged(health[-1]),
    ]
    assert reader.coalesced == 4 + 1 + 1


def test_a_reader_can_ask_for_every_state_change() -> None:
    bus = EventBus()
    reader = bus.subscribe(coalesce=False)
    for usd in (100.0, 101.0):
        bus.publish(SolPriceChanged(usd))
    assert reader.drain() == [SolPriceChanged(100.0), SolPriceChanged(101.0)]


def test_a_broken_filter_never_reaches_the_publisher() -> None:
    bus = EventBus()

    def broken(event: object) -> bool:
        raise RuntimeError("bug in a reader")

    bus.subscribe(accept=broken)
    healthy = bus.subscribe(accept=lambda e: isinstance(e, NewTrade))
    bus.publish(NewCoin(coin(1)))
    bus.publish(NewTrade(trade(1)))
    assert healthy.drain() == [NewTrade(trade(1))]


async def test_readers_wait_for_events_and_stop_when_closed() -> None:
    bus = EventBus()
    reader = bus.subscribe()
    received: list[object] = []

    async def read() -> None:
        async for event in reader:
            received.append(event)

    task = asyncio.create_task(read())
    await asyncio.sleep(0)
    bus.publish(NewTrade(trade(1)))
    bus.publish(NewTrade(trade(2)))
    await asyncio.sleep(0)
    reader.close()
    await asyncio.wait_for(task, 1)
    assert received == [NewTrade(trade(1)), NewTrade(trade(2))]
    assert bus.subscriber_count == 0
    with pytest.raises(SubscriptionClosed):
        await reader.get()
