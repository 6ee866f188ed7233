"""How often feeds poll: faster when busy, slower when quiet, within bounds and the budget."""

from __future__ import annotations

import random

from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.schedule import AdaptiveInterval, Backoff, fair_shares, trade_interval


def test_an_interval_shrinks_while_active_and_grows_while_quiet_within_bounds() -> None:
    interval = AdaptiveInterval(2.0, 30.0, start=10.0)
    assert interval.active() < 10.0
    for _ in range(20):
        interval.active()
    assert interval.value == 2.0
    for _ in range(20):
        interval.quiet()
    assert interval.value == 30.0


def test_busier_coins_are_polled_more_often_and_dead_ones_at_the_bound() -> None:
    rates = [0.05, 0.5, 1.0, 10.0, 200.0]
    intervals = [trade_interval(rate, 1.0, 30.0) for rate in rates]
    assert intervals == sorted(intervals, reverse=True)
    assert 1.8 <= trade_interval(10.0, 1.0, 30.0) <= 2.0
    assert trade_interval(0.0, 1.0, 30.0) == 30.0
    assert trade_interval(200.0, 1.0, 30.0) == 1.0


def test_backoff_grows_is_jittered_capped_and_honours_retry_after() -> None:
    backoff = Backoff(base=1.0, cap=8.0, floor=0.0, rng=random.Random(4))
    delays = [backoff.next() for _ in range(30)]
    assert max(delays) <= 8.0
    assert len(set(delays)) == 30  # jitter: no two feeds retry in lockstep
    assert backoff.next(retry_after=20.0) >= 20.0
    backoff.reset()
    assert backoff.next() <= 1.0


def test_the_budget_is_shared_by_weight_and_nobody_gets_more_than_it_asks() -> None:
    shares = fair_shares(
        {"trades": 60, "coins": 30, "leader": 1},
        {"trades": 6, "coins": 3, "leader": 1},
        capacity=25,
    )
    assert abs(sum(shares.values()) - 25) < 1e-6
    assert shares["leader"] == 1
    assert shares["trades"] == 2 * shares["coins"]
    assert fair_shares({"a": 5, "b": 5}, {"a": 1, "b": 1}, capacity=100) == {"a": 5, "b": 5}


def test_health_reads_well_in_a_status_bar() -> None:
    now = 1000.0
    assert FeedHealth("coins", FeedState.LIVE, now).describe(now) == "live"
    limited = FeedHealth("trades", FeedState.RATE_LIMITED, now, retry_at=now + 11.2)
    assert limited.describe(now) == "rate limited · retry in 12s"
    failing = FeedHealth("trades", FeedState.FAILING, now - 40, reason="timeout")
    assert failing.describe(now) == "failing 40s: timeout"
    assert FeedHealth("x", FeedState.PAUSED, now).describe(now) == "paused"
    assert FeedHealth("x", FeedState.SLOW, now, reason="catching up").describe(now) == (
        "slow: catching up"
    )
