"""Following a newest-first list (a coin's trades, new coins) without missing an item.

Two followers share one contract (`FollowResult`, the bounds of a poll, the rules for giving a
gap up): `CursorFollower` for cursor-paged lists (a coin's trades on the 2026 swap API, see its
docstring: a cursor does not move when items arrive, so it needs none of the position
reckoning below) and `ListFollower` for lists paged by offset (new coins).

An offset-paged API only offers `offset` + `limit` pages of a list that grows at the top while
we read it. Two facts make a complete reading possible:

- items only ever arrive at the top, so an item's position (offset) can only grow; reading the
  next page at `offset + len(page)` may repeat items (they are de-duplicated) but never skips one;
- items carry a total order (chain order for trades), so a page tells us where it lies relative
  to what we hold.

`ListFollower.poll()` reads from the top until it reaches something already delivered. When a
burst or an outage left more new items than one poll may read (a page bound, a time bound and
the request budget), the items read so far are held as a contiguous *run*; the next poll reads
the new top down to that run, jumps below it (its position is known: every arrival moves it by
one, and the arrivals are counted on the way) and carries on down, merging runs as it meets
them. When the reading reaches what was delivered, everything held is delivered at once, in
order. So a burst of any size is backfilled, and items are always delivered in order. Should a
position estimate overshoot (items removed by moderation), the items' order shows it and the
reader steps back.

A gap that cannot close — the market outruns every request the budget allows — is not held
forever: when more items arrive per request than a page holds (from `rate_hint`), after
`stall_polls` polls without progress, or when more than `max_pending` items are held, the held
items are delivered and the gap is reported (`FollowResult.abandoned`). Under such an overload
each poll reads only the top page and delivers it at once: as many items as the budget can
carry, with the least delay.

A reader told when items happen (`time_of`) and how many requests a second its budget gives it
(`request_rate`) decides this from arithmetic instead of waiting for polls to stall: the
arrival rate (the larger of `rate_hint` and the rate the pages read show) times the time
between what was delivered and the newest item read, less what is in hand, is the number of
items still unread; each request reads a page but the list grows by `rate / request_rate`
meanwhile. When that cannot close the gap within `max_catch_up` seconds, the walk stops, what
was read is delivered at once and `FollowResult.missed` estimates what was skipped. A gap the
budget can close is still read completely, however many polls it takes.

A reader that only checks items another source delivers (polls spaced by the caller, a few
pages each) is told not to hold once outrun (`hold_when_outrun`): when a poll cannot even read
down to the run held from the last one, it gives the gaps up, and goes on giving them up at
once until a poll reads down to what was delivered.

Memory is bounded: the de-duplication window holds the newest `seen_capacity` keys (older items
are recognised by their order), and held items are capped by `max_pending`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
PAGE_SIZES = (20, 50, 100, 200)


# fetch(offset, limit, conditional) -> a page (`.items` newest first, `.unchanged` on a 304).
Fetch = Callable[[int, int, bool], Awaitable[Any]]
# fetch(cursor, limit, conditional) -> a page (`.items` newest first, `.next_cursor` reading the
# items below it or None, `.has_more`, `.unchanged` on a 304). cursor None: the top.
CursorFetch = Callable[["str | None", int, bool], Awaitable[Any]]
# The most items a cursor-paged route gives in one page (the trades route: 400 above it).
CURSOR_PAGE_MAX = 100
# A gap is worth holding items back for only while the budget can close it within this many
# seconds (a 60 s outage of a coin trading 10 times a second closes in about 40 s at 15/min).
MAX_CATCH_UP = 60.0
# A page tells the arrival rate only when it holds this many items (fewer: too noisy); each new
# page's rate weighs this much in the estimate.
RATE_PAGE_MIN = 20
RATE_PAGE_WEIGHT = 0.5


class SeenWindow:
    """The newest `capacity` keys, as an ordered set; older keys fall out first."""

    def __init__(self, capacity: int = 5000) -> None:
        self.capacity = max(1, capacity)
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def add(self, key: Hashable) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        if len(self._keys) > self.capacity:
            self._keys.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)


@dataclass
class FollowResult(Generic[T]):
    """What one poll found. `items` are oldest first and never repeat across polls."""

    items: list[T] = field(default_factory=list)
    historical: bool = False
    requests: int = 0
    unchanged: bool = False
    # A gap is still open: items are held until the reading reaches what was delivered.
    behind: bool = False
    held: int = 0
    # New items read in this poll (delivered now or held): what the arrival rate is made of.
    found: int = 0
    # The first page, when it changed: feeds use it to refresh what they already know.
    head: list[T] = field(default_factory=list)
    # The poll gave up on a gap that was not closing; items older than `items` may be missing.
    abandoned: bool = False
    # How many items the gaps given up held, estimated (None: not given up, or no estimate).
    missed: int | None = None


@dataclass
class _Run:
    """Held items, contiguous in the list, from `top` down to `bottom` (by order). Positions
    are in the coordinates of the request that last placed them; a connection from above
    (`_Walk.arrived`) says how far they have moved since."""

    top_key: Hashable
    top_order: Any
    top_pos: int
    bottom_key: Hashable
    bottom_order: Any
    bottom_pos: int
    items: dict[Hashable, Any] = field(default_factory=dict)

    def shift(self, arrived: int) -> None:
        self.top_pos += arrived
        self.bottom_pos += arrived


@dataclass
class _Walk:
    """One descent through the list: what it found and where it stopped."""

    new: list[tuple[Any, int]] = field(default_factory=list)
    status: str = ""  # closed | run | end | exhausted
    arrived: int | None = None  # how far the run we reached moved since it was placed
    drift: int = 0
    top_order: Any = None
    mark: tuple[Hashable, Any, int] | None = None


def page_size_for(expected: float) -> int:
    """The smallest standard page that comfortably holds `expected` new items (stable URLs keep
    ETags useful)."""
    want = expected * 1.5 + 10
    for size in PAGE_SIZES:
        if size >= want:
            return size
    return PAGE_SIZES[-1]


class _Follower(Generic[T]):
    """What both followers share: the bounds of a poll, the record of what was delivered, the
    held runs (each with `.items`, newest first) and the rules for giving a gap up."""

    # What `fetch` is given for the top of the list on the first poll.
    _top: Any = None

    def __init__(
        self,
        fetch: Callable[..., Awaitable[Any]],
        *,
        key: Callable[[T], Hashable],
        order: Callable[[T], Any],
        page_limit: int = 200,
        first_limit: int = 100,
        max_pages: int = 8,
        max_pending: int = 20_000,
        max_runs: int = 3,
        stall_polls: int = 3,
        seen_capacity: int = 5000,
        budget_wait: Callable[[], float] | None = None,
        max_page_wait: float = 10.0,
        max_poll_seconds: float = 15.0,
        rate_hint: Callable[[], float | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        time_of: Callable[[T], float] | None = None,
        request_rate: Callable[[], float | None] | None = None,
        max_catch_up: float = MAX_CATCH_UP,
    ) -> None:
        self._fetch = fetch
        self._key = key
        self._order = order
        self.page_limit = page_limit
        self.first_limit = first_limit
        self.max_pages = max_pages
        self.max_pending = max_pending
        self.max_runs = max_runs
        self.stall_polls = stall_polls
        self._budget_wait = budget_wait
        self.max_page_wait = max_page_wait
        self.max_poll_seconds = max_poll_seconds
        # Items a second, if the caller knows: places pages when the list outruns the reader.
        self._rate_hint = rate_hint
        self._clock = clock
        self._poll_started = 0.0
        self.seen = SeenWindow(seen_capacity)
        self.newest: Any = None  # order of the newest delivered item
        self.started = False
        # Held runs, newest first; the gaps between them (and below the last) are unread.
        self._runs: list[Any] = []
        self._stalled = 0
        self.abandoned_gaps = 0
        # False for a reader that only checks what another source delivers (see the module doc).
        self.hold_when_outrun = True
        self._outrun = False  # the last poll gave up because it was outrun
        # When an item happened (seconds) and the requests a second the budget gives this
        # reader: with both, a gap the budget cannot close is given up at once (module doc).
        self._time_of = time_of
        self._request_rate = request_rate
        self.max_catch_up = max_catch_up
        self._newest_time: float | None = None  # time_of of the newest delivered item
        # Items a second, as the pages read show it (their count over the time they span).
        self.page_rate: float | None = None
        # The newest item read or held in this poll, and what was read from the top and is not
        # yet in a run: with the held runs, what is in hand of the gap being read.
        self._walk_top: T | None = None
        self._walk_fresh: dict[Hashable, T] = {}

    @property
    def held(self) -> int:
        return sum(len(run.items) for run in self._runs)

    @property
    def behind(self) -> bool:
        return bool(self._runs)

    def _delivered(self, item: T) -> bool:
        return self._key(item) in self.seen or (
            self.newest is not None and self._order(item) < self.newest
        )

    def _deliver(self, result: FollowResult[T], items: Iterable[T]) -> None:
        ordered = sorted(items, key=self._order)
        for item in ordered:
            self.seen.add(self._key(item))
        if ordered:
            newest = self._order(ordered[-1])
            if self.newest is None or newest > self.newest:
                self.newest = newest
                if self._time_of is not None:
                    self._newest_time = self._time_of(ordered[-1])
        result.items.extend(ordered)

    async def poll(self, head_limit: int = 50) -> FollowResult[T]:
        result: FollowResult[T] = FollowResult()
        self._poll_started = self._clock()
        self._walk_top, self._walk_fresh = None, {}
        if not self.started:
            await self._first(result)
        else:
            await self._walk(result, head_limit)
        result.behind = bool(self._runs)
        result.held = self.held
        return result

    async def _first(self, result: FollowResult[T]) -> None:
        """The first page is the recent past, delivered as history; no paging back."""
        page = await self._fetch(self._top, self.first_limit, False)
        result.requests += 1
        self.started = True
        result.head = list(page.items)
        result.found = len(page.items)
        result.historical = True
        self._deliver(result, {self._key(i): i for i in page.items}.values())

    def _overloaded(self, result: FollowResult[T]) -> bool:
        """More items arrive per request than a page can carry: no reading can keep up."""
        rate = self._rate_hint() if self._rate_hint is not None else None
        if not rate or not result.requests:
            return False
        per_request = (self._clock() - self._poll_started) / result.requests
        return rate * per_request > 0.9 * self.page_limit

    def arrival_rate(self) -> float | None:
        """Items a second: the larger of the caller's hint and what the pages read show (the
        hint, counted from what was read, falls short when the reading cannot keep up)."""
        hint = self._rate_hint() if self._rate_hint is not None else None
        rates = [rate for rate in (hint, self.page_rate) if rate]
        return max(rates) if rates else None

    def _learn_rate(self, page: Sequence[T]) -> None:
        """The arrival rate a page shows: its items over the time they span (newest first)."""
        if self._time_of is None or len(page) < RATE_PAGE_MIN:
            return
        span = self._time_of(page[0]) - self._time_of(page[-1])
        if span <= 0:
            return  # one instant (a burst): says nothing of the rate
        sample = (len(page) - 1) / span
        known = self.page_rate
        self.page_rate = (
            sample if known is None else RATE_PAGE_WEIGHT * sample + (1 - RATE_PAGE_WEIGHT) * known
        )

    def _unread(self, newest: T | None, in_hand: int) -> float | None:
        """How many items between the newest delivered and `newest` are not in hand, by the
        arrival rate (None: no estimate)."""
        rate = self.arrival_rate()
        if self._time_of is None or newest is None or self._newest_time is None or not rate:
            return None
        return max(0.0, rate * (self._time_of(newest) - self._newest_time) - in_hand)

    def _hopeless(self) -> bool:
        """The gap being read cannot close within `max_catch_up` seconds of the budget: each
        request reads a page, while the list grows by `rate / request_rate` items."""
        requests = self._request_rate() if self._request_rate is not None else None
        in_hand = self.held + len(self._walk_fresh)
        unread = self._unread(self._walk_top, in_hand)
        rate = self.arrival_rate()
        if not requests or not rate or unread is None or unread <= 0:
            return False
        gained = self.page_limit - rate / requests  # items a request closes of the gap
        if gained <= 0.1 * self.page_limit:
            return True
        return unread / gained / requests > self.max_catch_up

    def _may_continue(self, result: FollowResult[T]) -> bool:
        """Another page in this poll? Bounded by count, by time and by the request budget."""
        if result.requests >= self.max_pages or self._overloaded(result) or self._hopeless():
            return False
        if self._clock() - self._poll_started > self.max_poll_seconds:
            return False
        return self._budget_wait is None or self._budget_wait() <= self.max_page_wait

    async def _walk(self, result: FollowResult[T], head_limit: int) -> None:
        raise NotImplementedError

    def _close(self, result: FollowResult[T], new: Iterable[T]) -> None:
        """The reading reached what was delivered (or the start of the list): every held item
        and `new` are now known to be complete down to it, and are delivered."""
        held = [item for run in self._runs for item in run.items.values()]
        self._runs.clear()
        self._stalled = 0
        self._outrun = False
        self._deliver(result, [*held, *new])

    def _top_not_reached(
        self, result: FollowResult[T], new: list[T], new_run: Callable[[], Any]
    ) -> None:
        """The poll could not read the top down to what is held or delivered: hold `new` as a
        run (`new_run()`) for the next poll, or give the gaps up when holding cannot help."""
        outrun = not self.hold_when_outrun and (bool(self._runs) or self._outrun)
        self._outrun = outrun
        if outrun or self._overloaded(result) or self._hopeless():
            # Sustained overload: holding cannot close the gaps, it would only delay what we
            # have. Deliver now and give up the gaps (reported as abandoned).
            self._give_up(result, new)
            return
        if new:
            self._runs.insert(0, new_run())
        self._walk_fresh = {}  # held now
        self._stalled += 1
        self._trim(result)

    def _give_up(self, result: FollowResult[T], new: list[T]) -> None:
        """Deliver everything held and `new` now; the gaps between them are reported."""
        held = [item for run in self._runs for item in run.items.values()]
        self._runs.clear()
        self._abandon(result, held + new)

    def _abandon(self, result: FollowResult[T], items: list[T]) -> None:
        """Deliver `items` without the gap below them; say how many that gap held, if known."""
        self.abandoned_gaps += 1
        result.abandoned = True
        self._stalled = 0
        newest = max(items, key=self._order) if items else None
        missed = self._unread(newest, len(items))
        if missed is not None:
            result.missed = (result.missed or 0) + round(missed)
        self._walk_fresh = {}
        self._deliver(result, items)

    def _trim(self, result: FollowResult[T]) -> None:
        """Give up on the oldest gap when it is not closing, or when too much is held: the
        oldest run is delivered (its items are older than anything still held)."""
        while self._runs and (
            len(self._runs) > self.max_runs
            or self.held > self.max_pending
            or self._stalled >= self.stall_polls
        ):
            oldest = self._runs.pop()
            self._abandon(result, list(oldest.items.values()))


class ListFollower(_Follower[T]):
    """Reads a newest-first list, paged by offset, so that every item is delivered once, in
    order (see the module doc). `fetch(offset, limit, conditional)`."""

    _top = 0

    async def _page(
        self, result: FollowResult[T], offset: int, limit: int, conditional: bool
    ) -> Any:
        result.requests += 1
        return await self._fetch(max(0, offset), limit, conditional)

    def _new_run(self, new: list[tuple[Any, int]]) -> _Run:
        (top, top_pos), (bottom, bottom_pos) = new[0], new[-1]
        run = _Run(
            self._key(top),
            self._order(top),
            top_pos,
            self._key(bottom),
            self._order(bottom),
            bottom_pos,
        )
        run.items = {self._key(item): item for item, _ in new}
        return run

    async def _walk(self, result: FollowResult[T], head_limit: int) -> None:
        runs = self._runs
        # 1. The top of the list, down to the newest held run or to what was delivered.
        page = await self._page(result, 0, head_limit, True)
        if page.unchanged:
            result.unchanged = True
            if not runs:
                return
            walk = _Walk(status="run", arrived=0)
        else:
            result.head = list(page.items)
            walk = await self._descend(
                result, page, 0, head_limit, _Walk(), stop=runs[0] if runs else None
            )
        result.found += len(walk.new)
        if walk.status in ("closed", "end"):
            self._close(result, [item for item, _ in walk.new])
            return
        if walk.status == "exhausted":
            new = walk.new
            self._top_not_reached(result, [item for item, _ in new], lambda: self._new_run(new))
            return
        assert walk.arrived is not None
        current = runs[0]
        current.shift(walk.arrived)
        if walk.new:
            top, top_pos = walk.new[0]
            current.top_key, current.top_order, current.top_pos = (
                self._key(top),
                self._order(top),
                top_pos,
            )
            current.items.update((self._key(item), item) for item, _ in walk.new)
        # 2. Below each run, down to the next one (they merge) and finally to what was delivered.
        drift = walk.drift
        progressed = False
        while self._may_continue(result):
            below = runs[1] if len(runs) > 1 else None
            walk = await self._extend_down(result, current, drift, below)
            drift = walk.drift
            if below is None and walk.new:
                progressed = True
            if walk.status in ("closed", "end"):
                runs.remove(current)
                self._deliver(result, current.items.values())
                progressed = True
                break
            if walk.status == "run" and below is not None:
                assert walk.arrived is not None
                below.shift(walk.arrived)
                current.bottom_key, current.bottom_order, current.bottom_pos = (
                    below.bottom_key,
                    below.bottom_order,
                    below.bottom_pos,
                )
                current.items.update(below.items)
                runs.remove(below)
                continue
            break
        self._stalled = 0 if progressed else self._stalled + 1
        self._trim(result)

    async def _descend(
        self,
        result: FollowResult[T],
        page: Any,
        offset: int,
        limit: int,
        walk: _Walk,
        *,
        stop: _Run | None = None,
    ) -> _Walk:
        """Read down from `page` (at `offset`), page after page.

        Positions are kept in the coordinates of this poll's first request: `walk.drift` is how
        many items arrived at the top since then. It is learnt exactly when the last item read
        (the mark) shows up again lower down, or when a page straddles the walk's top (the
        items above it are exactly the arrivals). Items newer than the walk's top arrived after
        it started and are left for the next poll. When the list grows faster than pages are
        read, the next page is placed where the mark must be by now (from the arrival rate) and
        moved back up if that overshot."""
        jumped_from: int | None = None
        step_backs = 0
        while True:
            items = page.items
            mark = walk.mark
            if (
                jumped_from is not None
                and mark is not None
                and (not items or self._order(items[0]) < mark[1])
            ):
                # The jump overshot: items between the mark and this page would go unread.
                step_backs += 1
                offset = max(jumped_from, offset - self.page_limit // 2 * 2 ** (step_backs - 1))
                if offset == jumped_from:
                    jumped_from = None
                if not self._may_continue(result):
                    walk.status = "exhausted"
                    return walk
                page = await self._page(result, offset, limit, False)
                continue
            jumped_from = None
            newer = 0
            anchored = progressed = False
            for index, item in enumerate(items):
                order = self._order(item)
                if walk.top_order is not None and order > walk.top_order:
                    newer += 1
                    continue
                mark = walk.mark
                if mark is not None and order >= mark[1]:
                    if self._key(item) == mark[0]:
                        walk.drift = offset + index - mark[2]
                        anchored = True
                    continue
                if self._delivered(item):
                    walk.status = "closed"
                    return walk
                position = offset + index - walk.drift
                if stop is not None and order <= stop.top_order:
                    walk.status, walk.arrived = "run", position - stop.top_pos
                    return walk
                progressed = True
                walk.new.append((item, position))
                walk.mark = (self._key(item), order, position)
                if walk.top_order is None:
                    walk.top_order = order
            if len(items) < limit:
                walk.status = "end"  # the start of the list: nothing older exists
                return walk
            if not self._may_continue(result):
                walk.status = "exhausted"
                return walk
            following = offset + len(items)
            mark = walk.mark
            if mark is not None and not (anchored or progressed) and newer:
                # Outrun: the mark is further down than this page.
                rate = (self._rate_hint() if self._rate_hint is not None else None) or 0.0
                since = self._clock() - self._poll_started
                if newer < len(items):
                    walk.drift = max(walk.drift, offset + newer)  # exact: they straddle the top
                else:
                    walk.drift = max(walk.drift, following, int(rate * since))
                # Where the mark will be when the next page is answered.
                ahead = int(rate * since / max(1, result.requests))
                target = mark[2] + walk.drift + ahead - max(2, self.page_limit // 20)
                if target > following:
                    jumped_from, following = following, target
            offset = following
            limit = self.page_limit
            page = await self._page(result, offset, limit, False)

    async def _extend_down(
        self, result: FollowResult[T], run: _Run, drift: int, below: _Run | None
    ) -> _Walk:
        """Read below `run`, down to the run `below` it or to what was delivered."""
        # Positions are exact unless the service misbehaves; a small margin absorbs that.
        margin = max(2, self.page_limit // 20)
        offset = max(0, run.bottom_pos + drift + 1 - margin)
        step_backs = 0
        while True:
            page = await self._page(result, offset, self.page_limit, False)
            items = page.items
            if offset > 0 and (not items or self._order(items[0]) < run.bottom_order):
                # Overshot (items above the run were removed): the page starts below our
                # bottom, so items in between are unread. Step back, and remember it.
                step_backs += 1
                offset = max(0, offset - self.page_limit // 2 * 2 ** (step_backs - 1))
                run.bottom_pos = offset + margin - 1 - drift
                if not self._may_continue(result):
                    return _Walk(status="exhausted", drift=drift)
                continue
            break
        walk = _Walk(
            top_order=run.top_order,
            drift=drift,
            mark=(run.bottom_key, run.bottom_order, run.bottom_pos),
        )
        walk = await self._descend(result, page, offset, self.page_limit, walk, stop=below)
        result.found += len(walk.new)
        if walk.new:
            bottom, bottom_pos = walk.new[-1]
            run.bottom_key, run.bottom_order, run.bottom_pos = (
                self._key(bottom),
                self._order(bottom),
                bottom_pos,
            )
            run.items.update((self._key(item), item) for item, _ in walk.new)
        return walk


@dataclass
class _HeldRun(Generic[T]):
    """Held items, contiguous in the list, newest first. No position is kept: a cursor names
    a place in the list that arrivals do not move, so the run is resumed below its bottom item
    with `cursor_of(bottom)` however much arrived since."""

    items: dict[Hashable, T] = field(default_factory=dict)

    @property
    def top(self) -> T:
        return next(iter(self.items.values()))

    @property
    def bottom(self) -> T:
        return next(reversed(self.items.values()))


class CursorFollower(_Follower[T]):
    """Reads a newest-first, cursor-paged list (a coin's trades on the 2026 swap API) so that
    every item is delivered once, oldest first, in order, across polls.

    `fetch(cursor, limit, conditional)` answers the page below `cursor` (exclusive; None is the
    top), newest first, with `next_cursor` for the page below it (None, or `has_more` false, at
    the start of the list). `cursor_of(item)` gives the cursor that reads strictly older items
    than `item` (on the trades route `<slotIndexId>-<epochMs>`, what a page ending at that item
    would give as its next cursor).

    A poll reads the top page and walks down until it reaches what was delivered. Unlike an
    offset, a cursor does not move when new items arrive at the top: a walk never sees an item
    twice or skips one, and a run held from an earlier poll is resumed exactly below its
    bottom item. So there is no position arithmetic here, no drift to measure and no jump to
    correct — which is the point of following the cursor. When a poll's bounds (`max_pages`,
    `max_poll_seconds`, the request budget through `budget_wait`) stop the walk, what was read
    is held as a run; the next poll reads the new top down to that run (recognised by key or
    order), resumes below it and walks on, merging runs, until the walk reaches what was
    delivered or the start of the list; then everything held is delivered, in order. Items
    removed by the service (moderation) change nothing: a cursor below a removed item still
    reads what lies below it, and order recognises a run whose top item went away.

    A failed request raises out of `poll()`; the follower stays consistent (a run resumed in
    that poll keeps the pages it had read, nothing is delivered), so the next poll after an
    outage of any length walks back to what was delivered. The top page is only asked for
    conditionally when the last answer to it was taken in: a 304 after a walk that failed
    half-way would otherwise hide the trades that walk had read.

    A held gap closes only when a poll may read at least two pages (the top, then one below the
    run); with `max_pages=1` it is given up by the usual rules.

    The first poll delivers the first page (`first_limit` items) as history. Giving gaps up
    (`abandoned`), `hold_when_outrun`, `rate_hint`, `max_pending`, `max_runs`, `stall_polls`
    and the bounded de-duplication window work as for `ListFollower` (see the module doc).
    Pages are at most `CURSOR_PAGE_MAX` items.
    """

    def __init__(
        self,
        fetch: CursorFetch,
        *,
        key: Callable[[T], Hashable],
        order: Callable[[T], Any],
        cursor_of: Callable[[T], str | None],
        page_limit: int = CURSOR_PAGE_MAX,
        first_limit: int = CURSOR_PAGE_MAX,
        max_pages: int = 8,
        max_pending: int = 20_000,
        max_runs: int = 3,
        stall_polls: int = 3,
        seen_capacity: int = 5000,
        budget_wait: Callable[[], float] | None = None,
        max_page_wait: float = 10.0,
        max_poll_seconds: float = 15.0,
        rate_hint: Callable[[], float | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        time_of: Callable[[T], float] | None = None,
        request_rate: Callable[[], float | None] | None = None,
        max_catch_up: float = MAX_CATCH_UP,
    ) -> None:
        super().__init__(
            fetch,
            key=key,
            order=order,
            page_limit=max(1, min(page_limit, CURSOR_PAGE_MAX)),
            first_limit=max(1, min(first_limit, CURSOR_PAGE_MAX)),
            max_pages=max_pages,
            max_pending=max_pending,
            max_runs=max_runs,
            stall_polls=stall_polls,
            seen_capacity=seen_capacity,
            budget_wait=budget_wait,
            max_page_wait=max_page_wait,
            max_poll_seconds=max_poll_seconds,
            rate_hint=rate_hint,
            clock=clock,
            time_of=time_of,
            request_rate=request_rate,
            max_catch_up=max_catch_up,
        )
        self._cursor_of = cursor_of
        self._top_taken = True  # the last top page answered was delivered or held

    async def _page(
        self, result: FollowResult[T], cursor: str | None, limit: int, conditional: bool
    ) -> Any:
        result.requests += 1
        return await self._fetch(cursor, limit, conditional)

    async def _walk(self, result: FollowResult[T], head_limit: int) -> None:
        runs: list[_HeldRun[T]] = self._runs
        # 1. The top of the list, down to the newest held run or to what was delivered. What
        # this reads is not held until the walk ends: if a request fails, it is read again.
        # A 304 means "as last answered": only news if that answer was taken in, not when a
        # later request of its walk failed.
        conditional, self._top_taken = self._top_taken, False
        fresh: _HeldRun[T] = _HeldRun()
        self._walk_fresh = fresh.items
        page = await self._page(result, None, max(1, min(head_limit, self.page_limit)), conditional)
        if page.unchanged:
            self._top_taken = True
            result.unchanged = True
            if not runs:
                return
            self._walk_top = runs[0].top
            status = "run"  # nothing arrived: the top is where the newest run starts
        else:
            result.head = list(page.items)
            self._walk_top = page.items[0] if page.items else (runs[0].top if runs else None)
            status = await self._read_down(result, fresh, page, runs[0] if runs else None)
            self._top_taken = True
        if status in ("closed", "end"):
            self._close(result, fresh.items.values())
            return
        if status == "exhausted":
            self._top_not_reached(result, list(fresh.items.values()), lambda: fresh)
            return
        current = runs[0]
        current.items = {**fresh.items, **current.items}
        self._walk_fresh = {}
        # 2. Below the run, down to the next one (they merge) and finally to what was
        # delivered. The run takes each page as it is read, so a failed request loses nothing.
        progressed = False
        while self._may_continue(result):
            below = runs[1] if len(runs) > 1 else None
            before = len(current.items)
            page = await self._page(result, self._cursor_of(current.bottom), self.page_limit, False)
            status = await self._read_down(result, current, page, below)
            progressed = progressed or len(current.items) > before
            if status in ("closed", "end"):
                self._close(result, ())
                return
            if status == "run" and below is not None:
                current.items.update(below.items)
                runs.remove(below)
                progressed = True
                continue
            break
        if self._hopeless():
            self._give_up(result, [])
            return
        self._stalled = 0 if progressed else self._stalled + 1
        self._trim(result)

    async def _read_down(
        self, result: FollowResult[T], run: _HeldRun[T], page: Any, stop: _HeldRun[T] | None
    ) -> str:
        """Add the items of `page`, and of the pages below it, to the bottom of `run` until
        the walk reaches `stop` ("run"), something delivered ("closed"), the start of the list
        ("end") or a bound of the poll ("exhausted")."""
        stop_order = self._order(stop.top) if stop is not None else None
        while True:
            self._learn_rate(page.items)
            for item in page.items:
                key = self._key(item)
                if stop is not None and (key in stop.items or self._order(item) <= stop_order):
                    return "run"
                if self._delivered(item):
                    return "closed"
                if key not in run.items:
                    run.items[key] = item
                    result.found += 1
            if not page.has_more or page.next_cursor is None:
                return "end"
            if not self._may_continue(result):
                return "exhausted"
            page = await self._page(result, page.next_cursor, self.page_limit, False)
