"""Feed health: what each live feed is doing right now, in a form a status bar can show.

A feed is never silently stalled: every state change (and, at most every few seconds, fresh data)
is published as a `FeedHealthChanged` event carrying one of these records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum


class FeedState(StrEnum):
    STARTING = "starting"
    LIVE = "live"
    # Data flows, but the feed is behind: a backfill is still open or the budget delays it.
    SLOW = "slow"
    RATE_LIMITED = "rate_limited"
    # Said live, but its last answer is older than its own interval allows (a server that went
    # quiet without an error yet): derived by `stale()` when shown, never set by a runner.
    STALE = "stale"
    FAILING = "failing"
    PAUSED = "paused"
    # Nothing to do: hidden, or no coin focused / watched.
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """One feed's state. Times are Unix seconds; `since` is when the current state began."""

    feed: str
    state: FeedState
    since: float
    last_good_at: float | None = None
    reason: str | None = None
    retry_at: float | None = None
    interval: float = 0.0

    def describe(self, now: float) -> str:
        """Status-bar text: "live", "rate limited · retry in 12s", "failing 40s: timeout"."""
        if self.state is FeedState.RATE_LIMITED:
            if self.retry_at is None:
                return "rate limited"
            wait = max(0, math.ceil(self.retry_at - now))
            return f"rate limited · retry in {wait}s"
        if self.state is FeedState.FAILING:
            text = f"failing {_span(now - self.since)}"
            return f"{text}: {self.reason}" if self.reason else text
        if self.state is FeedState.SLOW and self.reason:
            return f"slow: {self.reason}"
        if self.state is FeedState.STALE and self.last_good_at is not None:
            return f"stale: no answer for {_span(now - self.last_good_at)}"
        return self.state.value.replace("_", " ")

    def to_api(self) -> dict[str, object]:
        return {
            "feed": self.feed,
            "state": self.state.value,
            "since": self.since,
            "last_good_at": self.last_good_at,
            "reason": self.reason,
            "retry_at": self.retry_at,
            "interval": round(self.interval, 3),
        }


def _span(seconds: float) -> str:
    """Whole seconds under two minutes, then minutes, then hours: "40s", "5m", "2h"."""
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


# A live feed counts as stale once its last answer is older than this many of its intervals,
# plus STALE_SLACK seconds for the request itself and the once-a-second health refresh.
STALE_INTERVALS = 1.5
STALE_SLACK = 5.0


def stale(health: FeedHealth, now: float) -> FeedHealth:
    """`health`, or the same feed marked STALE when it says live but has not had an answer for
    longer than its own polling interval allows: a server that died shows within seconds,
    whatever the feed's next poll has still to find out."""
    if health.state is not FeedState.LIVE or health.last_good_at is None or health.interval <= 0:
        return health
    if now - health.last_good_at <= health.interval * STALE_INTERVALS + STALE_SLACK:
        return health
    return replace(health, state=FeedState.STALE)
