"""One event bus, any number of subscribers, and no subscriber can slow the engine down.

`publish` is synchronous, never blocks and never raises. Each subscriber has its own bounded
queue. State-like events (a coin's market data, a feed's health, the SOL price) are coalesced: a
newer one replaces the one still queued for the same key, so a slow reader sees the latest state
rather than a backlog. When a queue is full anyway, the oldest *trade* in that queue is dropped
(counted in `Subscription.overflowed`); the market store still holds every trade, so a reader that
fell behind can re-read it from there.

Everything runs on the event loop that owns the engine; subscribers are served on that loop.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable

from pumptui.live.events import (
    ChatMessagesChanged,
    CoinUpdated,
    Event,
    FeedHealthChanged,
    LeaderChanged,
    NewTrade,
    SolPriceChanged,
    ViewerCountChanged,
)

DEFAULT_QUEUE_SIZE = 10_000


class SubscriptionClosed(Exception):
    """`get()` on a subscription that was closed and has nothing left to give."""


def coalesce_key(event: Event) -> Hashable | None:
    """The key under which a newer event supersedes a queued one (None: it never does)."""
    if isinstance(event, CoinUpdated):
        return ("coin", event.coin.mint)
    if isinstance(event, FeedHealthChanged):
        return ("health", event.health.feed)
    if isinstance(event, SolPriceChanged):
        return ("sol",)
    if isinstance(event, LeaderChanged):
        return ("leader",)
    if isinstance(event, ChatMessagesChanged):
        return ("chat", event.mint)
    if isinstance(event, ViewerCountChanged):
        return ("viewers", event.mint)
    return None


class _Slot:
    """A queue entry; coalescing rewrites `event` in place, eviction clears `alive`."""

    __slots__ = ("alive", "event", "key")

    def __init__(self, event: Event, key: Hashable | None) -> None:
        self.event: Event | None = event
        self.key = key
        self.alive = True


class Subscription:
    """A reader's bounded view of the bus. Iterate with `async for`, or `get()` / `drain()`."""

    def __init__(
        self,
        bus: EventBus,
        maxsize: int,
        coalesce: bool,
        accept: Callable[[Event], bool] | None,
    ) -> None:
        self._bus = bus
        self.maxsize = max(1, maxsize)
        self.coalesce = coalesce
        self._accept = accept
        self._queue: deque[_Slot] = deque()
        self._trades: deque[_Slot] = deque()
        self._keyed: dict[Hashable, _Slot] = {}
        self._size = 0
        self._waiter: asyncio.Future[None] | None = None
        self.closed = False
        # Events dropped from this queue because it was full (the store still has them).
        self.overflowed = 0
        # Events replaced by a newer one with the same key before they were read.
        self.coalesced = 0

    def __len__(self) -> int:
        return self._size

    def _put(self, event: Event) -> None:
        if self.closed or (self._accept is not None and not self._accept(event)):
            return
        key = coalesce_key(event) if self.coalesce else None
        if key is not None:
            queued = self._keyed.get(key)
            if queued is not None and queued.alive:
                queued.event = event
                self.coalesced += 1
                return
        if self._size >= self.maxsize:
            self._evict()
        slot = _Slot(event, key)
        self._queue.append(slot)
        if key is not None:
            self._keyed[key] = slot
        if isinstance(event, NewTrade):
            self._trades.append(slot)
        self._size += 1
        self._wake()

    def _evict(self) -> None:
        """Drop the oldest queued trade, or failing that the oldest event of any kind."""
        victim: _Slot | None = None
        while self._trades:
            candidate = self._trades.popleft()
            if candidate.alive:
                victim = candidate
                break
        if victim is None:
            while self._queue:
                candidate = self._queue.popleft()
                if candidate.alive:
                    victim = candidate
                    break
        if victim is None:
            return
        victim.alive = False
        if victim.key is not None and self._keyed.get(victim.key) is victim:
            del self._keyed[victim.key]
        self._size -= 1
        self.overflowed += 1
        # A reader that stalls while the flood goes on would otherwise keep every evicted
        # trade's slot in `_queue` (and its event) until it read again: memory without end.
        victim.event = None
        if len(self._queue) > 2 * self.maxsize:
            self._queue = deque(slot for slot in self._queue if slot.alive)

    def _pop(self) -> Event | None:
        while self._queue:
            slot = self._queue.popleft()
            if not slot.alive:
                continue
            slot.alive = False
            if slot.key is not None and self._keyed.get(slot.key) is slot:
                del self._keyed[slot.key]
            self._size -= 1
            trades = self._trades
            while trades and not trades[0].alive:
                trades.popleft()
            return slot.event
        return None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def drain(self) -> list[Event]:
        """Everything queued right now, oldest first, without waiting."""
        events: list[Event] = []
        while (event := self._pop()) is not None:
            events.append(event)
        self._trades.clear()
        return events

    async def get(self) -> Event:
        """The next event; waits for one. Raises `SubscriptionClosed` once closed and empty."""
        while True:
            event = self._pop()
            if event is not None:
                return event
            if self.closed:
                raise SubscriptionClosed
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    def close(self) -> None:
        """Stop receiving; a reader waiting in `get()` gets what is queued, then the end."""
        if self.closed:
            return
        self.closed = True
        self._bus._remove(self)
        self._wake()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while True:
            try:
                yield await self.get()
            except SubscriptionClosed:
                return


class EventBus:
    """Fan-out of engine events to independent, bounded subscriber queues."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []
        self.published = 0

    def subscribe(
        self,
        maxsize: int = DEFAULT_QUEUE_SIZE,
        coalesce: bool = True,
        accept: Callable[[Event], bool] | None = None,
    ) -> Subscription:
        """A new reader. `accept` filters what it receives (e.g. only trades)."""
        subscription = Subscription(self, maxsize, coalesce, accept)
        self._subscriptions.append(subscription)
        return subscription

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def publish(self, event: Event) -> None:
        """Hand `event` to every subscriber. Never blocks, never raises."""
        self.published += 1
        for subscription in tuple(self._subscriptions):
            try:
                subscription._put(event)
            except Exception:
                # A broken filter must not stop the engine or the other readers.
                continue

    def close(self) -> None:
        for subscription in tuple(self._subscriptions):
            subscription.close()

    def _remove(self, subscription: Subscription) -> None:
        try:
            self._subscriptions.remove(subscription)
        except ValueError:
            pass
