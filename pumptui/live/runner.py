"""Runs one feed forever: schedule, backoff, health. A feed never dies from an error.

Polls of one feed never overlap: the runner starts the next poll only after the previous one
finished, at `start + max(interval, budget floor)`. Errors back off exponentially with full
jitter (never sooner than `Retry-After`); every state change is published as feed health.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol

from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    BadResponse,
    ConnectionFailed,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from pumptui.api.routes import Host
from pumptui.live.events import EngineError, Event, FeedHealthChanged
from pumptui.live.feeds import Feed, PollOutcome
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.schedule import Backoff

log = logging.getLogger("pumptui.live")

# Fresh-data health updates (same state, newer last_good_at) at most this often.
HEALTH_REFRESH = 1.0
# How often a running poll checks whether the shared budget is held back by a 429.
RATE_LIMIT_CHECK = 0.25
# A poll slower than this (and than three intervals) marks the feed "slow".
SLOW_POLL = 10.0


class RunnerHost(Protocol):
    """What a runner needs from the engine."""

    def emit(self, event: Event) -> None: ...
    def blocked(self, feed: Feed) -> FeedState | None: ...
    def floor(self, feed: Feed) -> float: ...
    def rebalance(self) -> None: ...
    def rate_limited_until(self, host: Host | None = None) -> float | None: ...


def describe_error(error: BaseException) -> str:
    """A short reason for a status bar."""
    if isinstance(error, RequestTimeout):
        return "timeout"
    if isinstance(error, ConnectionFailed):
        return "connection failed"
    if isinstance(error, ServerError):
        return f"server error {error.status}"
    if isinstance(error, BadResponse):
        return "bad response"
    if isinstance(error, NotFound):
        return "not found"
    if isinstance(error, AuthRequired):
        return "login required"
    if isinstance(error, RateLimited):
        return "rate limited"
    if isinstance(error, ApiError):
        return error.message[:60]
    return f"internal error ({type(error).__name__})"


class FeedRunner:
    def __init__(
        self,
        feed: Feed,
        host: RunnerHost,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
    ) -> None:
        self.feed = feed
        self.host = host
        self._wall = wall
        self._mono = monotonic
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self._wake = asyncio.Event()
        self._next_at = 0.0
        self._poll_task: asyncio.Task[PollOutcome] | None = None
        self._health: FeedHealth | None = None
        self._published_at = 0.0
        self._failing_since: float | None = None
        self._last_good_at: float | None = None
        self._last_start: float | None = None
        self._nudged = False
        self._asap = False
        # Polls that finished (successfully or not), and of those, the failed ones.
        self.polls = 0
        self.failures = 0

    @property
    def name(self) -> str:
        return self.feed.name

    @property
    def health(self) -> FeedHealth | None:
        return self._health

    # -- control ------------------------------------------------------------------------------

    def wake(self) -> None:
        """Re-check state now (visibility, pause, a changed schedule)."""
        self._wake.set()

    def refresh(self) -> None:
        """Poll as soon as possible (again, if a poll is running: it may have asked too early)."""
        self._asap = True
        self._next_at = 0.0
        self.wake()

    def nudge(self) -> None:
        """Poll soon, but not sooner than the budget floor allows (pushed news)."""
        self._nudged = True
        earliest = (self._last_start or 0.0) + self.host.floor(self.feed)
        if earliest < self._next_at:
            self._next_at = earliest
            self.wake()

    def restart(self) -> None:
        """The feed's subject changed: drop a poll in flight and start again."""
        task = self._poll_task
        if task is not None and not task.done():
            task.cancel()
        self._failing_since = None
        self.backoff.reset()
        self.refresh()

    # -- loop ---------------------------------------------------------------------------------

    async def run(self) -> None:
        self._set_health(FeedState.STARTING, force=True)
        while True:
            blocked = self.host.blocked(self.feed)
            if blocked is not None:
                self._set_health(blocked)
                await self._wait(None)
                continue
            delay = self._next_at - self._mono()
            if delay > 0:
                await self._wait(delay)
                continue
            until = self.host.rate_limited_until(self.feed.host)
            if until is not None and until > self._wall():
                self._set_health(FeedState.RATE_LIMITED, retry_at=until)
                await self._wait(until - self._wall())
                continue
            await self._poll_once()

    async def _wait(self, seconds: float | None) -> None:
        """Sleep until woken or `seconds` pass. (Not `asyncio.wait_for`: on Python 3.11 it can
        swallow a cancellation that races with the wake-up, and the runner would never stop.)"""
        self._wake.clear()
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({waiter}, timeout=seconds)
        finally:
            waiter.cancel()

    async def _poll_once(self) -> None:
        started = self._mono()
        self._last_start = started
        self._nudged = self._asap = False
        task = asyncio.ensure_future(self.feed.poll())
        self._poll_task = task
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=RATE_LIMIT_CHECK)
                if done:
                    break
                until = self.host.rate_limited_until(self.feed.host)
                if until is not None and until > self._wall():
                    self._set_health(FeedState.RATE_LIMITED, retry_at=until)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            self._poll_task = None
        if task.cancelled():
            return  # restarted: the feed's subject changed
        self.polls += 1
        error = task.exception()
        if error is None:
            self._succeeded(task.result(), started)
        else:
            self._failed(error)

    def _succeeded(self, outcome: PollOutcome, started: float) -> None:
        self.backoff.reset()
        self._failing_since = None
        now = self._mono()
        self._last_good_at = self._wall()
        wanted = self.feed.next_interval(outcome)
        self.host.rebalance()
        floor = self.host.floor(self.feed)
        # News pushed while this poll ran may not be in its answer: look again soon.
        interval = floor if self._nudged else max(wanted, floor)
        # Steady cadence from the poll's start, but never back to back after a long poll.
        self._next_at = max(started + interval, now + min(interval, 1.0) * 0.1)
        if self._asap:
            self._next_at = now  # a refresh asked for while this poll ran
        took = now - started
        if outcome.gave_up:
            # Trades the budget cannot read were given up (a `TradesSkipped` says which).
            count = f"~{outcome.skipped:,}" if outcome.skipped else "trades"
            self._set_health(FeedState.SLOW, reason=f"{count} skipped (budget)", interval=interval)
        elif outcome.behind:
            self._set_health(
                FeedState.SLOW, reason=f"catching up, {outcome.held} held", interval=interval
            )
        elif took > max(SLOW_POLL, 3 * interval):
            self._set_health(FeedState.SLOW, reason=f"answers took {took:.0f}s", interval=interval)
        else:
            self._set_health(FeedState.LIVE, interval=interval)

    def _failed(self, error: BaseException) -> None:
        self.failures += 1
        reason = describe_error(error)
        if not isinstance(error, ApiError):
            log.error("feed %s: %s", self.feed.name, reason, exc_info=error)
        now = self._wall()
        if isinstance(error, RateLimited):
            delay = self.backoff.next(error.retry_after)
            self._next_at = self._mono() + delay
            self._set_health(FeedState.RATE_LIMITED, retry_at=now + delay, interval=delay)
            return
        delay = 0.0 if self._asap else self.backoff.next()
        self._next_at = self._mono() + delay
        first = self._failing_since is None
        if first:
            self._failing_since = now
        self._set_health(
            FeedState.FAILING,
            reason=reason,
            retry_at=now + delay,
            since=self._failing_since,
            interval=delay,
        )
        if first:
            self.host.emit(EngineError(self.feed.name, f"{self.feed.name}: {reason}"))

    # -- health -------------------------------------------------------------------------------

    def _set_health(
        self,
        state: FeedState,
        *,
        reason: str | None = None,
        retry_at: float | None = None,
        since: float | None = None,
        interval: float | None = None,
        force: bool = False,
    ) -> None:
        now = self._wall()
        previous = self._health
        same_state = previous is not None and previous.state is state
        if since is None:
            since = previous.since if same_state and previous is not None else now
        health = FeedHealth(
            feed=self.feed.name,
            state=state,
            since=since,
            last_good_at=self._last_good_at,
            reason=reason,
            retry_at=retry_at,
            interval=interval if interval is not None else self.feed.interval.value,
        )
        if previous is not None and not force:
            unchanged = (
                same_state and previous.reason == reason and _close(previous.retry_at, retry_at)
            )
            if unchanged and (
                previous.last_good_at == health.last_good_at
                or now - self._published_at < HEALTH_REFRESH
            ):
                return
        self._health = health
        self._published_at = now
        self.host.emit(FeedHealthChanged(health))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1.0
