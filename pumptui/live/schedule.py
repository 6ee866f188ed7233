"""When each feed polls next: adaptive intervals, backoff, and a fair share of the budget.

- `AdaptiveInterval`: shrinks while a feed finds news, grows while it is quiet, within bounds.
- `trade_interval`: for trade feeds the interval follows the measured trade rate. Polling every
  T seconds costs 1/T requests a second and delays a trade by T/2 on average; minimising
  `cost_per_request / T + rate * T / 2` gives T = sqrt(2 * cost / rate): a busy coin is polled
  often, a quiet one rarely, and never more often than its share of the budget allows.
- `Backoff`: exponential with full jitter, never shorter than the server's Retry-After.
- `fair_shares`: weighted max-min split of the request budget over the feeds that run now, so
  the coin on screen gets most of it and background feeds still make progress.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping


class AdaptiveInterval:
    def __init__(
        self,
        low: float,
        high: float,
        start: float | None = None,
        shrink: float = 0.6,
        grow: float = 1.5,
    ) -> None:
        self.low = max(0.05, low)
        self.high = max(self.low, high)
        self.shrink = shrink
        self.grow = grow
        self.value = self._clamp(self.low if start is None else start)

    def _clamp(self, value: float) -> float:
        return min(self.high, max(self.low, value))

    def active(self) -> float:
        self.value = self._clamp(self.value * self.shrink)
        return self.value

    def quiet(self) -> float:
        self.value = self._clamp(self.value * self.grow)
        return self.value

    def set(self, value: float) -> float:
        self.value = self._clamp(value)
        return self.value

    def reset(self) -> float:
        self.value = self.low
        return self.value


class RateEstimate:
    """Items per second, smoothed over polls (an exponentially weighted average)."""

    def __init__(self, weight: float = 0.4) -> None:
        self.weight = weight
        self.rate: float | None = None

    def add(self, count: int, seconds: float) -> float:
        if seconds <= 0:
            return self.rate or 0.0
        sample = count / seconds
        self.rate = (
            sample if self.rate is None else (self.weight * sample + (1 - self.weight) * self.rate)
        )
        return self.rate


# What one request is worth in trade-seconds of delay: with 18, a coin trading 10 times a
# second is polled every 1.9 s, one trading once a second every 6 s, a dead one at the bound.
TRADE_POLL_COST = 18.0
# The coin on screen is worth more of swap-api's 15 requests a minute: with 8, a coin trading once
# a second is polled every 4 s (the budget's own floor), one trading every 5 s every 9 s.
FOCUSED_TRADE_POLL_COST = 8.0


def trade_interval(
    rate: float | None, low: float, high: float, cost: float = TRADE_POLL_COST
) -> float:
    """The interval that minimises requests plus total trade delay: sqrt(2 * cost / rate)."""
    if rate is None:
        return low
    if rate <= 0:
        return high
    return min(high, max(low, math.sqrt(2 * cost / rate)))


class Backoff:
    """Delays after consecutive failures: uniform(0, min(cap, base * 2**n)), at least `floor`
    and at least the server's Retry-After."""

    def __init__(
        self,
        base: float = 1.0,
        cap: float = 60.0,
        floor: float = 0.5,
        rng: random.Random | None = None,
    ) -> None:
        self.base = base
        self.cap = cap
        self.floor = floor
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self, retry_after: float | None = None) -> float:
        delay = self._rng.uniform(0.0, min(self.cap, self.base * 2**self.failures))
        self.failures += 1
        delay = max(self.floor, delay)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    def reset(self) -> None:
        self.failures = 0


def fair_shares(
    demand: Mapping[str, float], weight: Mapping[str, float], capacity: float
) -> dict[str, float]:
    """Split `capacity` (requests a minute) between feeds: each gets at most what it asks for,
    and what is left over is shared by weight among those that want more."""
    shares = {name: 0.0 for name in demand}
    hungry = {name for name, want in demand.items() if want > 0}
    left = capacity
    while hungry and left > 1e-9:
        total = sum(weight.get(name, 1.0) for name in hungry)
        if total <= 0:
            break
        spent = 0.0
        for name in sorted(hungry):
            offer = left * weight.get(name, 1.0) / total
            take = min(offer, demand[name] - shares[name])
            shares[name] += take
            spent += take
        left -= spent
        hungry = {n for n in hungry if demand[n] - shares[n] > 1e-9}
        if spent <= 1e-9:
            break
    return shares
