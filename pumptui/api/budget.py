"""Request budgets for the whole process: token buckets with priorities, one per limit.

The service counts per IP, whoever in the process sent the requests, and since 2026 each host
counts differently (reference §2): swap has ONE Cloudflare rule over every route and mint (about
20 a minute, a breach blocks the IP for up to a minute); v3 counts per route group; the indexer
is polled only while its socket is down. So `HostBudgets` holds one bucket for swap, one per v3
group and one for the indexer, and every request, from every feed and command, first takes a
token from its bucket. Waiters are served by priority (the coin on screen before background
refreshes), then first come first served.

Besides its own rate, the budget listens to the server: when `x-ratelimit-remaining` runs low it
spreads what is left over the time until `x-ratelimit-reset`, when it reaches 0 it pauses until
the reset, and a 429 pauses it for `Retry-After` seconds (`pause_until`).

The clock is injectable so the arithmetic can be tested without waiting.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum


class Priority(IntEnum):
    """Lower goes first."""

    FOREGROUND = 0
    NORMAL = 1
    BACKGROUND = 2


class Clock:
    """Monotonic time for spacing requests, wall time for `x-ratelimit-reset` (Unix seconds)."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class BudgetStats:
    granted: int
    granted_last_minute: int
    waiting: int
    paused_until: float | None  # monotonic seconds, None when not paused
    server_remaining: int | None
    server_limit: int | None


# Below this share of the server's window limit, the budget starts spreading requests out.
LOW_WATER_SHARE = 0.2
LOW_WATER_MIN = 2


class RequestBudget:
    """Token bucket: `burst` tokens, refilled at `requests_per_minute / 60` a second."""

    def __init__(
        self,
        requests_per_minute: float = 25.0,
        burst: int = 5,
        *,
        clock: Clock | None = None,
    ) -> None:
        if requests_per_minute <= 0:
            raise ValueError("requests_per_minute must be positive")
        self.requests_per_minute = float(requests_per_minute)
        self.burst = max(1, int(burst))
        self._clock = clock or Clock()
        self._tokens = float(self.burst)
        self._refilled_at = self._clock.monotonic()
        self._paused_until = 0.0
        self._spacing = 0.0
        self._spacing_until = 0.0
        self._server_remaining: int | None = None
        self._server_limit: int | None = None
        self._last_grant = float("-inf")
        self._grants: deque[float] = deque()
        self._granted = 0
        self._seq = itertools.count()
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._dispatcher: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None

    # -- public ---------------------------------------------------------------------------------

    @property
    def rate(self) -> float:
        """Tokens per second."""
        return self.requests_per_minute / 60.0

    async def acquire(self, priority: Priority = Priority.NORMAL) -> None:
        """Wait for a token. Cancelling the wait gives nothing back and takes nothing."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiters, (int(priority), next(self._seq), future))
        self._ensure_dispatcher(loop)
        await future

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from `x-ratelimit-*` headers of any answer."""
        limit = _header_int(headers, "x-ratelimit-limit")
        remaining = _header_int(headers, "x-ratelimit-remaining")
        reset = _header_float(headers, "x-ratelimit-reset")
        if limit is not None:
            self._server_limit = limit
        if remaining is None:
            return
        self._server_remaining = remaining
        now = self._clock.monotonic()
        reset_in = self._reset_in(reset)
        if remaining <= 0:
            # Nothing left in this window: wait for the next one (or a short pause if the
            # server did not say when that is).
            self.pause_until(now + (reset_in if reset_in is not None else 1.0))
            return
        low_water = max(LOW_WATER_MIN, int((self._server_limit or 0) * LOW_WATER_SHARE))
        if remaining <= low_water and reset_in is not None and reset_in > 0:
            # Spread what is left evenly over the rest of the window.
            self._spacing = reset_in / (remaining + 1)
            self._spacing_until = now + reset_in
        else:
            self._spacing = 0.0
        self._kick()

    def pause_until(self, monotonic_time: float) -> None:
        """Hold every waiter until then (a 429's Retry-After, or an exhausted window)."""
        if monotonic_time > self._paused_until:
            self._paused_until = monotonic_time
            self._kick()

    def pause_for(self, seconds: float) -> None:
        self.pause_until(self._clock.monotonic() + max(0.0, seconds))

    @property
    def paused_until(self) -> float | None:
        """Monotonic time the budget is paused until, or None."""
        return self._paused_until if self._paused_until > self._clock.monotonic() else None

    @property
    def stats(self) -> BudgetStats:
        now = self._clock.monotonic()
        self._forget_old(now)
        return BudgetStats(
            granted=self._granted,
            granted_last_minute=len(self._grants),
            waiting=sum(1 for *_, f in self._waiters if not f.done()),
            paused_until=self.paused_until,
            server_remaining=self._server_remaining,
            server_limit=self._server_limit,
        )

    def wait_time(self) -> float:
        """Seconds until the next token could be granted (0 when one is free now)."""
        now = self._clock.monotonic()
        self._refill(now)
        waits = [self._paused_until - now, (1.0 - self._tokens) / self.rate]
        if self._spacing > 0 and now < self._spacing_until:
            waits.append(self._last_grant + self._spacing - now)
        return max(0.0, *waits)

    # -- internals ------------------------------------------------------------------------------

    def _refill(self, now: float) -> None:
        elapsed = now - self._refilled_at
        if elapsed > 0:
            self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
            self._refilled_at = now

    def _grant(self, now: float) -> None:
        self._tokens -= 1.0
        self._last_grant = now
        self._granted += 1
        self._grants.append(now)
        self._forget_old(now)

    def _forget_old(self, now: float) -> None:
        while self._grants and self._grants[0] <= now - 60.0:
            self._grants.popleft()

    def _reset_in(self, reset: float | None) -> float | None:
        """Seconds until the server's window resets. The header is Unix seconds by the docs;
        small values are taken as a delay, which some servers send instead."""
        if reset is None:
            return None
        if reset > 1e9:
            return max(0.0, reset - self._clock.wall())
        return max(0.0, reset)

    def _ensure_dispatcher(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._dispatcher
        if task is None or task.done() or task.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._dispatcher = loop.create_task(self._dispatch(), name="request-budget")
        else:
            self._kick()

    def _kick(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _drop_cancelled(self) -> None:
        while self._waiters and self._waiters[0][2].done():
            heapq.heappop(self._waiters)

    async def _dispatch(self) -> None:
        """The one task that hands out tokens, so the order is decided in one place."""
        wake = self._wake
        assert wake is not None
        while True:
            self._drop_cancelled()
            if not self._waiters:
                self._dispatcher = None
                return
            wait = self.wait_time()
            if wait > 0:
                wake.clear()
                await self._sleep_or_wake(wait, wake)
                continue
            _, _, future = heapq.heappop(self._waiters)
            if future.done():
                continue
            self._grant(self._clock.monotonic())
            future.set_result(None)
            # Let the winner run before the next grant, so grants interleave with requests.
            await asyncio.sleep(0)

    async def _sleep_or_wake(self, seconds: float, wake: asyncio.Event) -> None:
        """Sleep, but recompute early if something changed (a pause, a new waiter)."""
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        waker = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                if not task.done():
                    task.cancel()


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = _header_float(headers, name)
    return None if value is None else int(value)


def _header_float(headers: Mapping[str, str], name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if value == value and value >= 0 else None


# v3 groups whose own limit is below what the default v3 budget would spend (reference §2), by
# the group names `routes` gives them: (requests a minute, burst), at about half the limit.
# `/users*` allows 30 a minute; `/callout/top` and `/following/v3/*/count` 50; a burst on
# `/callout/list` sets off a block of 30 minutes and more: one request per 3 s, never two at once.
# A group's bucket never exceeds the v3 default either.
V3_GROUP_BUDGETS: dict[str, tuple[float, int]] = {
    "users": (15.0, 3),
    "callout-top": (25.0, 3),
    "follow-counts": (25.0, 3),
    "callout-list": (20.0, 1),
}


class HostBudgets:
    """One bucket per limit the service applies: swap as a whole, each v3 route group, the
    indexer. Buckets are made on first use. Hosts are named by string ("frontend", "swap",
    "indexer": `routes.Host` values) so this module needs nothing from the routes. A v3 group
    with a tighter limit of its own gets its own rate and burst (`group_budgets`, by default
    `V3_GROUP_BUDGETS`).

    `single` replaces them all with one bucket (the simulator's demo, tests that must not be
    slowed): a caller that wants one figure for everything gets exactly that.
    """

    def __init__(
        self,
        *,
        frontend_per_minute: float = 24.0,
        swap_per_minute: float = 15.0,
        indexer_per_minute: float = 6.0,
        burst: int = 3,
        clock: Clock | None = None,
        single: RequestBudget | None = None,
        group_budgets: Mapping[str, tuple[float, int]] | None = None,
    ) -> None:
        self.rates = {
            "frontend": frontend_per_minute,
            "swap": swap_per_minute,
            "indexer": indexer_per_minute,
        }
        self.group_budgets = dict(V3_GROUP_BUDGETS if group_budgets is None else group_budgets)
        for host, rate in self.rates.items():
            if rate <= 0:
                raise ValueError(f"{host} requests per minute must be positive")
        self.burst = burst
        self._clock = clock
        self._single = single
        self._buckets: dict[tuple[str, str], RequestBudget] = {}

    def bucket(self, host: str, group: str | None = None) -> RequestBudget:
        """The bucket a request to `host` (and, on v3, its route `group`) draws on."""
        if self._single is not None:
            return self._single
        # Only v3 counts per group; swap and the indexer count the host as a whole.
        key = (host, (group or "") if host == "frontend" else "")
        budget = self._buckets.get(key)
        if budget is None:
            rate, burst = self.rates.get(host, min(self.rates.values())), self.burst
            own = self.group_budgets.get(key[1]) if host == "frontend" else None
            if own is not None:
                rate, burst = min(rate, own[0]), min(burst, own[1])
            budget = RequestBudget(rate, burst, clock=self._clock)
            self._buckets[key] = budget
        return budget

    @property
    def buckets(self) -> dict[tuple[str, str], RequestBudget]:
        """Every bucket made so far, by (host, group); one ("*", "") when single."""
        if self._single is not None:
            return {("*", ""): self._single}
        return dict(self._buckets)


_shared: HostBudgets | None = None


def shared_budgets(
    frontend_per_minute: float = 24.0,
    swap_per_minute: float = 15.0,
    indexer_per_minute: float = 6.0,
    burst: int = 3,
) -> HostBudgets:
    """The process-wide budgets every client uses unless given its own.

    The first caller sizes them; later callers get the same ones whatever they ask for, because
    the server counts the whole process (the IP), not each caller.
    """
    global _shared
    if _shared is None:
        _shared = HostBudgets(
            frontend_per_minute=frontend_per_minute,
            swap_per_minute=swap_per_minute,
            indexer_per_minute=indexer_per_minute,
            burst=burst,
        )
    return _shared
