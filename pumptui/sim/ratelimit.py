"""Per-client fixed-window rate limiting, with the headers the real service documents."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # Unix seconds at which the window resets
    retry_after: int  # seconds, for a 429

    def headers(self) -> dict[str, str]:
        headers = {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(math.ceil(self.reset_at)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """`limit` requests per `window` seconds per client key (wall time: rate limits are about
    real request rates, whatever the market clock does)."""

    def __init__(self, limit: int, window: float) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = window
        self._windows: dict[str, tuple[float, int]] = {}

    def check(self, key: str) -> Verdict:
        now = time.time()
        start, used = self._windows.get(key, (0.0, 0))
        if now >= start + self.window:
            start, used = now - (now % self.window), 0
            if len(self._windows) > 10_000:
                self._windows.clear()
        reset_at = start + self.window
        if used >= self.limit:
            return Verdict(False, self.limit, 0, reset_at, max(1, math.ceil(reset_at - now)))
        used += 1
        self._windows[key] = (start, used)
        return Verdict(True, self.limit, self.limit - used, reset_at, 0)
