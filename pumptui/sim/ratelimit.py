"""The two kinds of rate limit the 2026 service applies (pumpfun-api-2026.md §2).

- v3 (`frontend-api-v3`): a fixed 60 s window per route group and client, reported in
  `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds until the window
  resets); a spent budget gets 429 + `Retry-After`.
- swap (`swap-api`): a Cloudflare rule over every swap path: about 20 requests per 60 s per client
  IP (a sliding window). The next request is answered 429 `error code: 1015` and the whole client is
  blocked for 35–60 s; each request during the block extends it to a fresh 35–60 s from then.

Both run on wall time (rate limits are about real request rates, whatever the market clock does)
through an injectable clock, and draw block lengths from a seeded RNG.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_in: int  # seconds until the window resets
    retry_after: int  # seconds, for a 429

    def headers(self) -> dict[str, str]:
        headers = {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset_in),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """`limit` requests per `window` seconds per key (one key per group and client)."""

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def check(self, key: str) -> Verdict:
        now = self._clock()
        start, used = self._windows.get(key, (-math.inf, 0))
        if now >= start + self.window:
            start, used = now, 0
            if len(self._windows) > 10_000:
                self._windows.clear()
        reset_in = max(1, math.ceil(start + self.window - now - 1e-9))
        if used >= self.limit:
            return Verdict(False, self.limit, 0, reset_in, reset_in)
        used += 1
        self._windows[key] = (start, used)
        return Verdict(True, self.limit, self.limit - used, reset_in, 0)


class GroupLimits:
    """v3's limits: one `RateLimiter` per route group."""

    def __init__(
        self, limits: dict[str, int], window: float, clock: Clock = time.monotonic
    ) -> None:
        self._limiters = {
            group: RateLimiter(limit, window, clock) for group, limit in limits.items()
        }

    def check(self, group: str, client: str) -> Verdict:
        limiter = self._limiters.get(group) or self._limiters["other"]
        return limiter.check(client)


@dataclass(frozen=True, slots=True)
class ShieldVerdict:
    allowed: bool
    retry_after: int = 0


class CloudflareShield:
    """swap-api's rule: `limit` requests per sliding `window` per client, then a block of
    `block` = (shortest, longest) seconds that every request made during it renews."""

    def __init__(
        self,
        limit: int,
        window: float,
        block: tuple[float, float],
        seed: int,
        clock: Clock = time.monotonic,
    ) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = window
        self.block = block
        self._clock = clock
        self._rng = random.Random(seed ^ 0x1015)
        self._recent: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    def blocked_until(self, client: str) -> float | None:
        until = self._blocked_until.get(client)
        return until if until is not None and until > self._clock() else None

    def check(self, client: str) -> ShieldVerdict:
        now = self._clock()
        until = self._blocked_until.get(client)
        if until is not None:
            if now < until:
                return self._block(client, now)  # a request during the block renews it
            del self._blocked_until[client]
            self._recent.pop(client, None)
        recent = self._recent.setdefault(client, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            return self._block(client, now)
        recent.append(now)
        if len(self._recent) > 10_000:
            self._recent = {client: recent}
        return ShieldVerdict(True)

    def _block(self, client: str, now: float) -> ShieldVerdict:
        shortest, longest = self.block
        until = max(
            self._blocked_until.get(client, now), now + self._rng.uniform(shortest, longest)
        )
        self._blocked_until[client] = until
        return ShieldVerdict(False, max(1, min(60, math.ceil(until - now))))


class BurstBlock:
    """v3 `/callout/list`'s rule, as a single 2026 client reported it: a burst — `burst`
    requests from one client within `within` seconds — sets off a block of that client's calls
    to the route for `block` seconds (30 minutes and more). Whether a request during the block
    extends it is unknown; here it does not."""

    def __init__(
        self, burst: int, within: float, block: float, clock: Clock = time.monotonic
    ) -> None:
        if burst < 2 or within <= 0 or block <= 0:
            raise ValueError("a burst is 2 requests or more, within and block positive")
        self.burst = burst
        self.within = within
        self.block = block
        self._clock = clock
        self._recent: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    def check(self, client: str) -> ShieldVerdict:
        now = self._clock()
        until = self._blocked_until.get(client)
        if until is not None:
            if now < until:
                return ShieldVerdict(False, max(1, math.ceil(until - now)))
            del self._blocked_until[client]
        recent = self._recent.setdefault(client, deque(maxlen=self.burst))
        recent.append(now)
        if len(recent) == self.burst and now - recent[0] < self.within:
            self._blocked_until[client] = now + self.block
            recent.clear()
            return ShieldVerdict(False, max(1, math.ceil(self.block)))
        if len(self._recent) > 10_000:
            self._recent = {client: recent}
        return ShieldVerdict(True)
