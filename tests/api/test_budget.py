"""The request budget, on a fake clock: rate, burst, priorities, and listening to the server."""

from __future__ import annotations

import asyncio

import pytest

from pumptui.api.budget import Clock, Priority, RequestBudget


class FakeClock(Clock):
    """Virtual time: sleeping moves the clock instead of waiting."""

    def __init__(self, wall_start: float = 1_700_000_000.0) -> None:
        self.now = 0.0
        self.wall_start = wall_start

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.wall_start + self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def grant_times(budget: RequestBudget, clock: FakeClock, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await budget.acquire()
        times.append(clock.now)
    return times


async def test_a_burst_goes_at_once_then_requests_follow_the_rate() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=60, burst=3, clock=clock)

    times = await grant_times(budget, clock, 8)

    assert times[:3] == [0.0, 0.0, 0.0]
    assert times[3:] == pytest.approx([1.0, 2.0, 3.0, 4.0, 5.0])


async def test_concurrent_callers_never_exceed_burst_plus_rate() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=120, burst=4, clock=clock)
    granted: list[float] = []

    async def caller() -> None:
        for _ in range(10):
            await budget.acquire()
            granted.append(clock.now)

    await asyncio.gather(*(caller() for _ in range(6)))

    assert len(granted) == 60
    for start in granted:
        for window in (0.5, 1.0, 5.0, 20.0):
            inside = sum(1 for t in granted if start <= t < start + window)
            assert inside <= 4 + 2 * window + 1e-9, (start, window, inside)
    assert budget.stats.granted == 60


async def test_foreground_waiters_go_before_normal_and_background() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=60, burst=1, clock=clock)
    await budget.acquire()  # the bucket is now empty
    order: list[str] = []

    async def wait(name: str, priority: Priority) -> None:
        await budget.acquire(priority)
        order.append(name)

    tasks = [
        asyncio.create_task(wait("background-1", Priority.BACKGROUND)),
        asyncio.create_task(wait("normal-1", Priority.NORMAL)),
        asyncio.create_task(wait("background-2", Priority.BACKGROUND)),
        asyncio.create_task(wait("foreground", Priority.FOREGROUND)),
        asyncio.create_task(wait("normal-2", Priority.NORMAL)),
    ]
    await asyncio.gather(*tasks)

    assert order == ["foreground", "normal-1", "normal-2", "background-1", "background-2"]


async def test_a_cancelled_wait_takes_no_token() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=60, burst=1, clock=clock)
    await budget.acquire()
    impatient = asyncio.create_task(budget.acquire(Priority.FOREGROUND))
    await asyncio.sleep(0)
    impatient.cancel()
    with pytest.raises(asyncio.CancelledError):
        await impatient

    await budget.acquire()

    assert budget.stats.granted == 2
    assert clock.now == pytest.approx(1.0)


async def test_a_429_pause_holds_every_caller_until_it_ends() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=600, burst=5, clock=clock)
    await budget.acquire()

    budget.pause_for(7.5)
    times = await grant_times(budget, clock, 2)

    assert min(times) >= 7.5
    assert budget.paused_until is None


async def test_an_exhausted_server_window_pauses_until_its_reset() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=600, burst=5, clock=clock)
    await budget.acquire()

    budget.observe(
        {
            "x-ratelimit-limit": "100",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(int(clock.wall()) + 12),
        }
    )
    times = await grant_times(budget, clock, 1)

    assert times[0] >= 12.0


async def test_an_exhausted_window_holds_everyone_until_its_reset() -> None:
    """'0 left' is a wall until the reset, not a spacing from the last request."""
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=600, burst=5, clock=clock)
    await budget.acquire()
    clock.now = 30.0  # the last request went out 30 s ago

    budget.observe(
        {"x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "12"}
    )
    times = await grant_times(budget, clock, 3)

    assert min(times) >= 42.0
    assert budget.stats.paused_until is None


async def test_a_low_server_remaining_spreads_requests_over_the_window() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=6000, burst=10, clock=clock)
    await budget.acquire()

    # 3 left of 100, window resets in 40 s: one request every 10 s, not a burst of 3.
    budget.observe(
        {
            "x-ratelimit-limit": "100",
            "x-ratelimit-remaining": "3",
            "x-ratelimit-reset": str(int(clock.wall()) + 40),
        }
    )
    times = await grant_times(budget, clock, 3)

    assert times == pytest.approx([10.0, 20.0, 30.0])


async def test_plenty_of_server_remaining_does_not_slow_anything() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=6000, burst=10, clock=clock)
    budget.observe(
        {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "90", "x-ratelimit-reset": "30"}
    )

    times = await grant_times(budget, clock, 10)

    assert times == [0.0] * 10


async def test_garbage_rate_limit_headers_are_ignored() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=60, burst=2, clock=clock)
    budget.observe(
        {"x-ratelimit-limit": "lots", "x-ratelimit-remaining": "-3", "x-ratelimit-reset": "nan"}
    )

    assert await grant_times(budget, clock, 2) == [0.0, 0.0]


async def test_stats_count_requests_of_the_last_minute_only() -> None:
    clock = FakeClock()
    budget = RequestBudget(requests_per_minute=600, burst=5, clock=clock)
    await grant_times(budget, clock, 3)
    clock.now += 61
    await grant_times(budget, clock, 2)

    stats = budget.stats
    assert stats.granted == 5
    assert stats.granted_last_minute == 2


def test_a_budget_needs_a_positive_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        RequestBudget(requests_per_minute=0)
