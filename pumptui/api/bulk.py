"""Bulk look-ups and moderation that account for every item exactly once.

`fetch_coins(client, mints)` (and the others) take any number of items and return a `BulkResult`
with one `ItemResult` per distinct input item, in input order, each settled as exactly one of:
found / not_found (look-ups), done / not_found (moderation), invalid (never sent), or failed
with a reason. Nothing is dropped silently: duplicates are counted, records the server sent but
we could not use are retried and then reported, and an interrupted run reports what is left.

How a run proceeds:
- items are validated (a mint is base58 that decodes to 32 bytes; an id a positive integer or
  a mint); invalid ones are reported without being sent, duplicates are dropped and counted;
- batches (at most 100, default 50) go out on `concurrency` workers (default 4, at most 5), each
  request through the client's budget (coin look-ups: `POST /coins-v2/mints`, a v3 group of its
  own, 30 a minute at the server);
- a failed batch is retried with exponential backoff and full jitter; a 429 does not count as
  the batch's fault (the budget holds everyone for Retry-After, a block holds the whole host);
  a batch that keeps failing is
  split in halves until the bad items are isolated; an item alone that keeps failing is failed;
- the batch size halves when the server's answers are slow (its answer time, never the wait
  for the budget; a failed answer says nothing of it) or time out, and grows back when fast;
- losing the token or the rights (401/403) stops the run: the rest is failed with that reason.

`BulkJob` is the stateful form: its `result` is usable after a cancellation (Ctrl-C), with the
unfinished items failed as "interrupted".
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pumptui.api.budget import Priority
from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    ClientError,
    Forbidden,
    InsecureTransport,
    NotFound,
    RateLimited,
    RequestTimeout,
)
from pumptui.api.routes import BULK_LIMIT
from pumptui.api.sanitize import clean_text
from pumptui.base58 import is_pubkey
from pumptui.words import plural

if TYPE_CHECKING:
    from pumptui.api.client import PumpClient

V = TypeVar("V")

DEFAULT_BATCH_SIZE = 50
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 5
MIN_BATCH_SIZE = 5


class Outcome(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    DONE = "done"
    INVALID = "invalid"
    FAILED = "failed"


SETTLED_OK = (Outcome.FOUND, Outcome.NOT_FOUND, Outcome.DONE)


@dataclass(slots=True)
class ItemResult(Generic[V]):
    """One distinct input item. `key` is the item as sent (a mint, or an id as text); for an
    invalid item it is a display-safe version of what was given."""

    key: str
    index: int
    outcome: Outcome | None = None
    value: V | None = None
    reason: str | None = None
    occurrences: int = 1
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class BulkProgress:
    """A snapshot for progress displays, sent after every batch answer or failure."""

    items_total: int
    items_settled: int
    failed: int
    batches_done: int
    batches_failed: int
    requests: int
    batch_size: int
    elapsed: float

    @property
    def items_per_second(self) -> float:
        return self.items_settled / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(slots=True)
class BulkResult(Generic[V]):
    operation: str
    items: list[ItemResult[V]]
    duplicates: int = 0
    requests: int = 0
    batches: int = 0
    elapsed: float = 0.0
    interrupted: bool = False
    stopped_reason: str | None = None

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.items if item.outcome is outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def success_rate(self) -> float:
        """Share of distinct items that got a definite answer (found, not found or done)."""
        if not self.items:
            return 0.0
        return sum(1 for i in self.items if i.outcome in SETTLED_OK) / len(self.items)

    @property
    def failed(self) -> list[ItemResult[V]]:
        return [item for item in self.items if item.outcome is Outcome.FAILED]

    @property
    def failed_keys(self) -> list[str]:
        return [item.key for item in self.failed]

    @property
    def valid_count(self) -> int:
        return sum(1 for item in self.items if item.outcome is not Outcome.INVALID)

    def summary(self) -> str:
        counts = self.counts
        parts = [
            plural(len(self.items), "item"),
            *(f"{counts[o.value]} {o.value.replace('_', ' ')}" for o in Outcome if counts[o.value]),
        ]
        line = ", ".join(parts)
        if self.duplicates:
            line += f" · {plural(self.duplicates, 'duplicate')} dropped"
        line += (
            f" · {plural(self.requests, 'request')} in {self.elapsed:.1f}s"
            f" · success {self.success_rate:.1%}"
        )
        if self.interrupted:
            line += " · interrupted"
        elif self.stopped_reason:
            line += f" · stopped: {self.stopped_reason}"
        return line


# -- operations ----------------------------------------------------------------------------------


@dataclass(slots=True)
class BatchAnswer(Generic[V]):
    """What one request settled. Keys in `unsettled` got no usable answer and are retried."""

    settled: dict[str, tuple[Outcome, V | None]]
    unsettled: list[str] = field(default_factory=list)
    reason: str = ""
    # How long the server took, when the client measured it apart from budget waits.
    latency: float | None = None


class Operation(Protocol[V]):
    @property
    def name(self) -> str: ...

    def normalise(self, raw: str) -> str | None:
        """The key to send for an input item, or None when it is invalid."""

    async def send(
        self, client: PumpClient, keys: list[str], priority: Priority
    ) -> BatchAnswer[V]: ...


def normalise_mint(raw: str) -> str | None:
    text = raw.strip()
    return text if is_pubkey(text) else None


def normalise_id(raw: str) -> str | None:
    """Moderation targets: a mint, or a positive integer id (ids named 2025 replies, which are
    gone; what ids the service's moderation takes today is unverified)."""
    text = raw.strip()
    if text.isascii() and text.isdigit():
        number = int(text)
        return str(number) if number > 0 else None
    return normalise_mint(text)


def _lookup_answer(keys: list[str], page: Any) -> BatchAnswer[Any]:
    by_mint = {item.mint: item for item in page.items}
    settled: dict[str, tuple[Outcome, Any]] = {}
    unsettled: list[str] = []
    for key in keys:
        if key in by_mint:
            settled[key] = (Outcome.FOUND, by_mint[key])
        elif page.skipped:
            # The server sent records we could not use: a missing key may be one of them.
            unsettled.append(key)
        else:
            settled[key] = (Outcome.NOT_FOUND, None)
    return BatchAnswer(
        settled,
        unsettled,
        "the server sent an unusable record",
        latency=getattr(page, "latency", None),
    )


@dataclass(frozen=True, slots=True)
class CoinLookup:
    name: str = "coins"

    def normalise(self, raw: str) -> str | None:
        return normalise_mint(raw)

    async def send(
        self, client: PumpClient, keys: list[str], priority: Priority
    ) -> BatchAnswer[Any]:
        page = await client.coins_by_mints(keys, priority=priority, max_retries=0)
        return _lookup_answer(keys, page)


@dataclass(frozen=True, slots=True)
class Moderation:
    """`action` is "nsfw" (mints), "hide" or "ban" (ids, or mints); `reason` only for bans."""

    action: str
    reason: str = ""

    @property
    def name(self) -> str:
        return self.action

    def normalise(self, raw: str) -> str | None:
        return normalise_mint(raw) if self.action == "nsfw" else normalise_id(raw)

    async def send(
        self, client: PumpClient, keys: list[str], priority: Priority
    ) -> BatchAnswer[None]:
        if self.action == "nsfw":
            outcome = await client.bulk_nsfw(keys, max_retries=0)
        else:
            targets: list[int | str] = [int(k) if k.isdigit() else k for k in keys]
            if self.action == "hide":
                outcome = await client.bulk_hide(targets, max_retries=0)
            else:
                outcome = await client.bulk_ban(targets, self.reason, max_retries=0)
        if not outcome.complete:
            return BatchAnswer({key: (Outcome.DONE, None) for key in keys})
        updated, missing = set(outcome.updated), set(outcome.not_found)
        settled: dict[str, tuple[Outcome, None]] = {}
        unsettled: list[str] = []
        for key in keys:
            if key in updated:
                settled[key] = (Outcome.DONE, None)
            elif key in missing:
                settled[key] = (Outcome.NOT_FOUND, None)
            else:
                unsettled.append(key)
        return BatchAnswer(settled, unsettled, "the server did not report on it")


# -- the job -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Batch:
    indices: list[int]
    attempt: int = 0
    rate_limited: int = 0


class _Stop(Exception):
    """A failure that makes every further request pointless (no token, no rights)."""


class BulkJob(Generic[V]):
    """One bulk run. Await `run()`; read `result` at any time (also after a cancellation)."""

    def __init__(
        self,
        client: PumpClient,
        operation: Operation[V],
        items: Iterable[str],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_attempts: int = 3,
        max_rate_limited: int = 12,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
        slow_after: float = 3.0,
        fast_under: float = 1.0,
        priority: Priority = Priority.NORMAL,
        on_progress: Callable[[BulkProgress], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not 1 <= batch_size <= BULK_LIMIT:
            raise ValueError(f"batch size must be between 1 and {BULK_LIMIT}")
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}")
        self.client = client
        self.operation = operation
        self.ceiling = batch_size
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.max_attempts = max(1, max_attempts)
        self.max_rate_limited = max_rate_limited
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.slow_after = slow_after
        self.fast_under = fast_under
        self.priority = priority
        self.on_progress = on_progress
        self._rng = rng or random.Random()
        self._items: list[ItemResult[V]] = []
        self._duplicates = 0
        self._fresh: deque[int] = deque()
        self._retries: list[tuple[float, int, _Batch]] = []
        self._seq = itertools.count()
        self._in_flight = 0
        self._changed = asyncio.Event()
        self._requests = 0
        self._batches_done = 0
        self._batches_failed = 0
        self._started: float | None = None
        self._elapsed = 0.0
        self._interrupted = False
        self._stopped: str | None = None
        self._accept(items)

    # -- inputs ---------------------------------------------------------------------------------

    def _accept(self, items: Iterable[str]) -> None:
        seen: dict[str, int] = {}
        for raw in items:
            if not isinstance(raw, str) or not raw.strip():
                continue
            key = self.operation.normalise(raw)
            if key is None:
                shown = clean_text(raw, 100) or "(unprintable)"
                seen_key = "\0invalid:" + raw.strip()
                if seen_key in seen:
                    self._items[seen[seen_key]].occurrences += 1
                    self._duplicates += 1
                    continue
                seen[seen_key] = len(self._items)
                self._items.append(
                    ItemResult(
                        shown, len(self._items), Outcome.INVALID, reason=self._invalid_reason()
                    )
                )
                continue
            if key in seen:
                self._items[seen[key]].occurrences += 1
                self._duplicates += 1
                continue
            seen[key] = len(self._items)
            self._fresh.append(len(self._items))
            self._items.append(ItemResult(key, len(self._items)))

    def _invalid_reason(self) -> str:
        if isinstance(self.operation, Moderation) and self.operation.action != "nsfw":
            return "not a positive integer id or a mint"
        return "not a mint (base58 that decodes to 32 bytes)"

    # -- results --------------------------------------------------------------------------------

    @property
    def result(self) -> BulkResult[V]:
        elapsed = self._elapsed
        if self._started is not None and not elapsed:
            elapsed = time.monotonic() - self._started
        return BulkResult(
            operation=self.operation.name,
            items=self._items,
            duplicates=self._duplicates,
            requests=self._requests,
            batches=self._batches_done,
            elapsed=elapsed,
            interrupted=self._interrupted,
            stopped_reason=self._stopped,
        )

    @property
    def progress(self) -> BulkProgress:
        settled = sum(1 for item in self._items if item.outcome is not None)
        failed = sum(1 for item in self._items if item.outcome is Outcome.FAILED)
        return BulkProgress(
            items_total=len(self._items),
            items_settled=settled,
            failed=failed,
            batches_done=self._batches_done,
            batches_failed=self._batches_failed,
            requests=self._requests,
            batch_size=self.batch_size,
            elapsed=time.monotonic() - self._started if self._started is not None else 0.0,
        )

    # -- running --------------------------------------------------------------------------------

    async def run(self) -> BulkResult[V]:
        """Run to the end. On cancellation, unfinished items are failed as "interrupted" and
        the cancellation goes on; `result` then holds everything done so far."""
        self._started = time.monotonic()
        self._report()
        workers = [
            asyncio.create_task(self._worker(), name=f"bulk-{self.operation.name}-{n}")
            for n in range(self.concurrency)
        ]
        try:
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            self._interrupted = True
            raise
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            reason = "interrupted" if self._interrupted else (self._stopped or "not attempted")
            for item in self._items:
                if item.outcome is None:
                    self._settle(item, Outcome.FAILED, None, reason)
            self._elapsed = time.monotonic() - self._started
            self._report()
        return self.result

    async def _worker(self) -> None:
        while True:
            batch = await self._next_batch()
            if batch is None:
                return
            self._in_flight += 1
            try:
                await self._run_batch(batch)
            except _Stop:
                pass
            finally:
                self._in_flight -= 1
                self._changed.set()

    async def _next_batch(self) -> _Batch | None:
        while True:
            if self._stopped:
                return None
            now = time.monotonic()
            if self._retries and self._retries[0][0] <= now:
                return heapq.heappop(self._retries)[2]
            if self._fresh:
                take = min(self.batch_size, len(self._fresh))
                return _Batch([self._fresh.popleft() for _ in range(take)])
            if not self._retries and self._in_flight == 0:
                return None
            self._changed.clear()
            timeout = self._retries[0][0] - now if self._retries else None
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                pass

    async def _run_batch(self, batch: _Batch) -> None:
        keys = [self._items[i].key for i in batch.indices]
        for i in batch.indices:
            self._items[i].attempts += 1
        started = time.monotonic()
        self._requests += 1
        try:
            answer = await self.operation.send(self.client, keys, self.priority)
        except (AuthRequired, Forbidden, InsecureTransport) as error:
            self._stop(error.message)
            raise _Stop from None
        except NotFound as error:
            # The bulk endpoint itself is missing: no item can succeed.
            self._stop(error.message)
            raise _Stop from None
        except ClientError as error:
            # The server refused the request as a whole: one item may poison it.
            self._batches_failed += 1
            self._after_failure(batch, error, split_now=True)
            return
        except ApiError as error:
            self._batches_failed += 1
            if isinstance(error, RequestTimeout):
                self._adapt(0.0, timed_out=True)
            # Any other failure says nothing of the batch size: a 5xx or a 429 answers fast,
            # and the time since `started` is mostly the wait for the budget.
            self._after_failure(batch, error)
            return
        self._batches_done += 1
        # Judge the batch size by the server's answer time, not by the wait for the budget
        # (at the default 24 a minute that wait would read as a slow server, and halve it).
        took = answer.latency if answer.latency is not None else time.monotonic() - started
        self._adapt(took, timed_out=False)
        index_of = {self._items[i].key: i for i in batch.indices}
        for key, (outcome, value) in answer.settled.items():
            if key in index_of:
                self._settle(self._items[index_of[key]], outcome, value, None)
        if answer.unsettled:
            rest = _Batch([index_of[k] for k in answer.unsettled if k in index_of], batch.attempt)
            self._after_failure(rest, None, reason=answer.reason)
        self._report()

    def _after_failure(
        self,
        batch: _Batch,
        error: ApiError | None,
        *,
        split_now: bool = False,
        reason: str = "",
    ) -> None:
        reason = error.message if error is not None else reason
        if not batch.indices:
            return
        if isinstance(error, RateLimited) and batch.rate_limited < self.max_rate_limited:
            # Not this batch's fault: the budget already holds everyone for Retry-After.
            batch.rate_limited += 1
            self._requeue(batch, self._delay(0))
        elif not split_now and batch.attempt + 1 < self.max_attempts:
            batch.attempt += 1
            self._requeue(batch, self._delay(batch.attempt))
        elif len(batch.indices) > 1:
            middle = len(batch.indices) // 2
            for half in (batch.indices[:middle], batch.indices[middle:]):
                self._requeue(_Batch(half), self._delay(0))
        else:
            self._settle(self._items[batch.indices[0]], Outcome.FAILED, None, reason)
        self._report()

    def _requeue(self, batch: _Batch, delay: float) -> None:
        """Queue a retry, cut to the current batch size if that has shrunk meanwhile."""
        ready = time.monotonic() + delay
        for start in range(0, len(batch.indices), self.batch_size):
            part = _Batch(
                batch.indices[start : start + self.batch_size], batch.attempt, batch.rate_limited
            )
            heapq.heappush(self._retries, (ready, next(self._seq), part))
        self._changed.set()

    def _delay(self, attempt: int) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**attempt))."""
        return self._rng.uniform(0.0, min(self.backoff_cap, self.backoff_base * 2**attempt))

    def _adapt(self, seconds: float, *, timed_out: bool) -> None:
        """Halve the batch size when answers are slow or time out; grow it back when fast."""
        if timed_out or seconds > self.slow_after:
            self.batch_size = max(min(MIN_BATCH_SIZE, self.ceiling), self.batch_size // 2)
        elif seconds < self.fast_under and self.batch_size < self.ceiling:
            self.batch_size = min(self.ceiling, self.batch_size + max(1, self.ceiling // 10))

    def _settle(
        self, item: ItemResult[V], outcome: Outcome, value: V | None, reason: str | None
    ) -> None:
        if item.outcome is not None:
            return
        item.outcome = outcome
        item.value = value
        item.reason = reason

    def _stop(self, reason: str) -> None:
        self._stopped = reason
        self._changed.set()

    def _report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress)


# -- one-call forms ------------------------------------------------------------------------------


async def fetch_coins(client: PumpClient, mints: Iterable[str], **options: Any) -> BulkResult[Any]:
    """Look up any number of coins by mint; see the module docstring for what is guaranteed.
    A found coin carries its name, symbol, description, image and socials (what the retired
    metadata look-up gave)."""
    return await BulkJob(client, CoinLookup(), mints, **options).run()


async def moderate_nsfw(
    client: PumpClient, mints: Iterable[str], **options: Any
) -> BulkResult[None]:
    return await BulkJob(client, Moderation("nsfw"), mints, **options).run()


async def moderate_hide(
    client: PumpClient, ids: Iterable[str | int], **options: Any
) -> BulkResult[None]:
    return await BulkJob(client, Moderation("hide"), [str(i) for i in ids], **options).run()


async def moderate_ban(
    client: PumpClient, ids: Iterable[str | int], reason: str, **options: Any
) -> BulkResult[None]:
    if not reason.strip():
        raise ValueError("a ban needs a reason")
    job = BulkJob(client, Moderation("ban", reason.strip()), [str(i) for i in ids], **options)
    return await job.run()
