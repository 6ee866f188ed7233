"""Following a coin's trades on the cursor-paged swap route: every trade once, oldest first, in
chain order, whatever arrives between (and during) reads, across failed requests and polls.

They run against `CursorTape`, an in-memory trades route that implements the paging of the API
reference (§3.2) and nothing more: newest first, at most 100 a page, `nextCursor` =
`<slotIndexId of the page's oldest trade>-<its epoch ms>`, the cursor exclusive, a seek with
`0000000000000000000000-<ms>`, and the end of history as an empty page without a next cursor.
It grows at the top before every answer, as the real list does while it is being read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pumptui.live.follow import CursorFollower, FollowResult

FIRST_SLOT = 330_000_000
SLOT_MS = 400  # a Solana slot lasts about 400 ms
ZERO_SLOT_INDEX = "0" * 22


@dataclass(frozen=True)
class Trade:
    """What the follower needs of a trade: its key, chain order and cursor."""

    number: int  # 1 for the coin's first trade: the order the tests expect
    slot: int
    position: int  # position in the slot
    ms: int  # block time, whole seconds, in ms

    @property
    def tx(self) -> str:
        return f"tx{self.number}"

    @property
    def slot_index_id(self) -> str:
        return f"{self.slot:012d}{self.position:010d}"

    @property
    def cursor(self) -> str:
        return f"{self.slot_index_id}-{self.ms}"

    @property
    def chain_order(self) -> tuple[int, int]:
        return (self.slot, self.position)


@dataclass
class TradePage:
    items: list[Trade]
    next_cursor: str | None = None
    has_more: bool = False
    unchanged: bool = False


class TradesUnavailable(Exception):
    """The route failed (a timeout, a 5xx, a Cloudflare block)."""


@dataclass
class CursorTape:
    """`GET /v2/coins/{mint}/trades?limit&cursor` for one coin.

    `per_slot` trades share a slot (positions step irregularly, as in real blocks); a slot lasts
    400 ms and block times are whole seconds, so many trades share one timestamp. `lazy_end`:
    a full last page still says `hasMore` (the empty page after it ends the history), the other
    reading of "end of history" in the reference."""

    per_slot: int = 1
    lazy_end: bool = False
    arrivals: Callable[[], int] = lambda: 0
    trades: list[Trade] = field(default_factory=list)  # oldest first
    removed: set[int] = field(default_factory=set)
    requests: int = 0
    now: float = 0.0  # a clock that moves one second a request, for rate hints
    down: bool = False
    fail_on: set[int] = field(default_factory=set)  # request numbers that fail
    calls: list[tuple[str | None, int, bool]] = field(default_factory=list)
    _etag: tuple[int, int] | None = None

    def add(self, count: int) -> None:
        for _ in range(count):
            number = len(self.trades) + 1
            slot = FIRST_SLOT + (number - 1) // self.per_slot
            position = ((number - 1) % self.per_slot) * 7 + number % 3
            ms = slot * SLOT_MS // 1000 * 1000
            self.trades.append(Trade(number, slot, position, ms))

    @property
    def total(self) -> int:
        return len(self.trades)

    async def fetch(self, cursor: str | None, limit: int, conditional: bool) -> TradePage:
        self.requests += 1
        self.now += 1.0
        self.calls.append((cursor, limit, conditional))
        if self.down or self.requests in self.fail_on:
            raise TradesUnavailable(f"request {self.requests}")
        self.add(self.arrivals())
        if limit > 100:
            raise ValueError("limit must not be greater than 100")
        listed = [t for t in reversed(self.trades) if t.number not in self.removed]
        if cursor in (None, "", "0"):
            below = listed
        else:
            slot_index, ms = cursor.split("-")
            place = (int(ms), int(slot_index))
            below = [t for t in listed if (t.ms, int(t.slot_index_id)) < place]
        page = below[:limit]
        if cursor is None:
            version = (self.total, len(self.removed))
            if conditional and version == self._etag:
                return TradePage([], unchanged=True)
            self._etag = version
        if not page:
            return TradePage([])  # the end of history: no nextCursor, hasMore false
        has_more = len(page) == limit if self.lazy_end else len(below) > limit
        return TradePage(page, page[-1].cursor, has_more)


def follower(tape: CursorTape, **options: object) -> CursorFollower[Trade]:
    defaults: dict[str, object] = {"first_limit": 20, "max_pages": 100}
    defaults.update(options)
    return CursorFollower(
        tape.fetch,
        key=lambda t: t.tx,
        order=lambda t: t.chain_order,
        cursor_of=lambda t: t.cursor,
        **defaults,
    )  # type: ignore[arg-type]


def numbers(result: FollowResult[Trade]) -> list[int]:
    return [t.number for t in result.items]


async def catch_up(
    reader: CursorFollower[Trade], head_limit: int = 50, polls: int = 1000
) -> list[int]:
    """Poll a tape that stopped growing until nothing is held; what was delivered."""
    delivered: list[int] = []
    for _ in range(polls):
        result = await reader.poll(head_limit)
        delivered += numbers(result)
        if not result.behind:
            return delivered
    raise AssertionError("never caught up")


async def test_the_tape_pages_exactly_as_the_reference_says() -> None:
    # The fake is only worth the tests below if it serves the documented semantics.
    tape = CursorTape(per_slot=4)
    tape.add(250)
    top = await tape.fetch(None, 100, False)
    assert [t.number for t in top.items] == list(range(250, 150, -1))
    assert top.has_more
    assert top.next_cursor == f"{top.items[-1].slot_index_id}-{top.items[-1].ms}"
    second = await tape.fetch(top.next_cursor, 100, False)
    assert second.items[0].number == 150  # exclusive: the cursor's own trade is not repeated
    last = await tape.fetch(second.next_cursor, 100, False)
    assert [t.number for t in last.items] == list(range(50, 0, -1))
    assert not last.has_more
    end = await tape.fetch(last.next_cursor, 100, False)
    assert end.items == []
    assert end.next_cursor is None
    assert not end.has_more
    seek_ms = tape.trades[99].ms
    seek = await tape.fetch(f"{ZERO_SLOT_INDEX}-{seek_ms}", 100, False)
    assert seek.items
    assert all(t.ms < seek_ms for t in seek.items)
    assert seek.items[0].number == max(t.number for t in tape.trades if t.ms < seek_ms)
    with pytest.raises(ValueError, match="limit must not be greater than 100"):
        await tape.fetch(None, 101, False)


async def test_first_poll_delivers_the_newest_page_as_history_from_the_top() -> None:
    tape = CursorTape()
    tape.add(500)
    reader = follower(tape)
    result = await reader.poll()
    assert result.historical
    assert numbers(result) == list(range(481, 501))
    assert result.requests == 1
    assert tape.calls == [(None, 20, False)]


async def test_a_coin_without_trades_starts_empty_and_then_follows() -> None:
    tape = CursorTape()
    reader = follower(tape)
    assert numbers(await reader.poll()) == []
    tape.add(3)
    assert numbers(await reader.poll()) == [1, 2, 3]


async def test_a_steady_trickle_is_delivered_as_it_arrives_one_request_a_poll() -> None:
    tape = CursorTape()
    tape.add(40)
    reader = follower(tape)
    await reader.poll()
    for step in range(10):
        tape.add(3)
        result = await reader.poll(head_limit=20)
        assert numbers(result) == [41 + 3 * step, 42 + 3 * step, 43 + 3 * step]
        assert result.requests == 1
        assert result.found == 3
        assert not result.behind
        assert not result.abandoned
        assert not result.historical


async def test_a_quiet_coin_costs_one_conditional_request_and_delivers_nothing() -> None:
    tape = CursorTape()
    tape.add(30)
    reader = follower(tape)
    await reader.poll()
    await reader.poll(head_limit=20)  # primes the ETag of the top page
    result = await reader.poll(head_limit=20)
    assert result.unchanged
    assert result.items == []
    assert result.requests == 1
    assert tape.calls[-1] == (None, 20, True)


async def test_pages_never_ask_for_more_than_the_route_allows() -> None:
    tape = CursorTape()
    tape.add(10)
    reader = follower(tape, page_limit=200, first_limit=500)
    await reader.poll()
    tape.add(1_000)
    await reader.poll(head_limit=200)  # the feed sizes pages up to 200 for offset lists
    assert max(limit for _, limit, _ in tape.calls) == 100


async def test_a_burst_of_1000_with_three_pages_a_poll_is_backfilled_across_polls() -> None:
    tape = CursorTape()
    tape.add(30)
    reader = follower(tape, max_pages=3)
    await reader.poll()
    tape.add(1_000)
    first = await reader.poll(head_limit=100)
    assert first.items == []
    assert first.behind
    assert first.held == 300
    delivered: list[int] = []
    polls = [first]
    while polls[-1].behind:
        tape.add(5)
        polls.append(await reader.poll(head_limit=100))
        delivered += numbers(polls[-1])
    assert delivered == list(range(31, tape.total + 1))
    # Each poll reads the few new trades on top, then 200 more below the held run: nothing is
    # read twice, so the 1,000 take five polls of three requests.
    assert len(polls) == 5
    assert all(p.requests <= 3 for p in polls)
    assert reader.abandoned_gaps == 0
    assert not any(p.abandoned for p in polls)


async def test_trades_arriving_while_pages_are_read_are_neither_lost_nor_repeated() -> None:
    tape = CursorTape(per_slot=3)
    tape.add(10)
    reader = follower(tape)
    await reader.poll()
    tape.add(400)
    tape.arrivals = lambda: 7  # seven new trades before every answer
    delivered = numbers(await reader.poll(head_limit=20))
    tape.arrivals = lambda: 0
    delivered += await catch_up(reader, head_limit=20)
    assert delivered == list(range(11, tape.total + 1))


async def test_after_an_outage_of_several_polls_every_trade_is_delivered_once() -> None:
    tape = CursorTape(per_slot=2)
    tape.add(25)
    reader = follower(tape, max_pages=3)
    await reader.poll()
    tape.down = True
    for _ in range(6):
        tape.add(80)
        with pytest.raises(TradesUnavailable):
            await reader.poll(head_limit=50)
    tape.down = False
    delivered = await catch_up(reader)
    assert delivered == list(range(26, tape.total + 1))
    assert reader.abandoned_gaps == 0


async def test_a_request_failing_mid_walk_loses_nothing_and_repeats_nothing() -> None:
    tape = CursorTape(per_slot=5)
    tape.add(10)
    reader = follower(tape, max_pages=4)
    await reader.poll()
    tape.add(1_000)
    # The second page of the walk from the top fails: nothing of it is delivered or kept.
    tape.fail_on = {tape.requests + 2}
    with pytest.raises(TradesUnavailable):
        await reader.poll(head_limit=100)
    assert reader.held == 0
    held = await reader.poll(head_limit=100)
    assert held.items == []
    assert held.held == 400
    # Now a page below the held run fails: the pages read before it stay held.
    tape.add(5)
    tape.fail_on = {tape.requests + 3}
    with pytest.raises(TradesUnavailable):
        await reader.poll(head_limit=100)
    assert reader.held == 505
    delivered = await catch_up(reader, head_limit=100)
    assert delivered == list(range(11, tape.total + 1))
    assert reader.abandoned_gaps == 0


async def test_many_trades_in_one_second_are_delivered_in_slot_and_position_order() -> None:
    tape = CursorTape(per_slot=60)  # 150 trades a second: pages end inside one timestamp
    tape.add(90)
    reader = follower(tape, max_pages=2)
    await reader.poll()
    tape.add(900)
    assert max(Counter(t.ms for t in tape.trades).values()) > 100
    delivered: list[Trade] = []
    for _ in range(20):
        result = await reader.poll(head_limit=100)
        delivered += result.items
        if not result.behind:
            break
    assert [t.number for t in delivered] == list(range(91, 991))
    assert [t.chain_order for t in delivered] == sorted(t.chain_order for t in delivered)


async def test_trades_removed_by_moderation_do_not_make_the_reader_skip_any() -> None:
    tape = CursorTape()
    tape.add(30)
    reader = follower(tape, max_pages=3)
    await reader.poll()
    tape.add(1_000)
    held = await reader.poll(head_limit=100)
    assert held.held == 300  # trades 731..1030
    # The held run's top and bottom trades go, and a hundred not yet read below it.
    removed = {1030, 731} | set(range(600, 700))
    tape.removed = removed
    delivered = await catch_up(reader, head_limit=100)
    read_before = set(range(731, 1031))
    assert delivered == [n for n in range(31, 1031) if n not in removed or n in read_before]


@pytest.mark.parametrize("lazy_end", [False, True])
async def test_reaching_the_start_of_history_mid_walk_delivers_everything_read(
    lazy_end: bool,
) -> None:
    tape = CursorTape(lazy_end=lazy_end)
    reader = follower(tape, max_pages=2)
    await reader.poll()  # a brand-new coin: no trades yet
    tape.add(300)
    first = await reader.poll(head_limit=100)
    assert first.behind
    assert first.held == 200
    delivered = numbers(first) + await catch_up(reader, head_limit=100)
    assert delivered == list(range(1, 301))


async def test_the_budget_can_stop_paging_and_the_next_poll_resumes() -> None:
    tape = CursorTape()
    tape.add(10)
    wait = {"seconds": 30.0}
    reader = follower(tape, budget_wait=lambda: wait["seconds"], max_page_wait=5.0)
    await reader.poll()
    tape.add(500)
    result = await reader.poll(head_limit=50)
    assert result.requests == 1
    assert result.behind
    wait["seconds"] = 0.0
    result = await reader.poll(head_limit=50)
    assert numbers(result) == list(range(11, 511))


async def test_a_gap_that_never_closes_is_given_up_and_reported() -> None:
    tape = CursorTape()
    tape.add(10)
    # The budget never allows a second page: the gap below the top page cannot close.
    reader = follower(tape, budget_wait=lambda: 60.0, max_page_wait=5.0, stall_polls=3)
    await reader.poll()
    tape.add(1_000)
    results = [await reader.poll(head_limit=100) for _ in range(3)]
    assert [r.abandoned for r in results] == [False, False, True]
    assert numbers(results[-1]) == list(range(911, 1011))  # the newest, in order
    assert not results[-1].behind
    tape.add(4)
    assert numbers(await reader.poll(head_limit=100)) == [1011, 1012, 1013, 1014]


async def test_holding_is_bounded_by_max_pending() -> None:
    tape = CursorTape()
    tape.add(10)
    reader = follower(tape, max_pages=3, max_pending=250)
    await reader.poll()
    tape.add(1_000)
    result = await reader.poll(head_limit=100)
    assert result.abandoned
    assert reader.held <= 250
    assert numbers(result) == list(range(711, 1011))


async def test_a_market_that_outruns_every_request_delivers_the_newest_page_at_once() -> None:
    tape = CursorTape(per_slot=20)
    tape.add(10)
    reader = follower(tape, rate_hint=lambda: 400.0, clock=lambda: tape.now)
    await reader.poll()
    tape.arrivals = lambda: 400  # four pages' worth before every answer, for good
    delivered: list[int] = []
    for _ in range(5):
        result = await reader.poll(head_limit=100)
        assert result.requests == 1  # no pages spent chasing a gap that cannot close
        assert result.abandoned
        assert reader.held == 0
        assert numbers(result) == list(range(tape.total - 99, tape.total + 1))
        delivered += numbers(result)
    assert delivered == sorted(set(delivered))


def slot_time(trade: Trade) -> float:
    return (trade.slot - FIRST_SLOT) * SLOT_MS / 1000


async def test_a_gap_the_budget_cannot_close_is_delivered_at_once_with_its_size() -> None:
    tape = CursorTape(per_slot=10)  # 25 trades a second
    tape.add(200)
    # Six requests a minute of 100 trades carry 10 trades a second: the gap cannot close.
    reader = follower(tape, time_of=slot_time, request_rate=lambda: 0.1)
    await reader.poll()
    for _ in range(3):
        tape.add(1_000)
        result = await reader.poll(head_limit=100)
        assert result.requests == 1  # no page spent on a gap that cannot close
        assert result.abandoned
        assert not result.behind
        assert numbers(result) == list(range(tape.total - 99, tape.total + 1))
        assert result.missed is not None
        assert 800 <= result.missed <= 1_000


async def test_a_gap_the_budget_can_close_is_still_read_completely() -> None:
    tape = CursorTape(per_slot=10)
    tape.add(200)
    # Ten requests a second: 1,000 trades take about a second to read.
    reader = follower(tape, time_of=slot_time, request_rate=lambda: 10.0, max_pages=4)
    await reader.poll()
    tape.add(1_000)
    delivered = await catch_up(reader, head_limit=100)
    assert delivered == list(range(201, 1_201))
    assert reader.abandoned_gaps == 0


async def test_a_check_that_cannot_reach_what_it_held_gives_the_gaps_up() -> None:
    # Polls that only check what a push source delivers, too far apart for what arrives.
    tape = CursorTape()
    tape.add(10)
    reader = follower(tape, max_pages=2)
    reader.hold_when_outrun = False
    await reader.poll()
    tape.add(600)
    first = await reader.poll(head_limit=100)
    assert first.behind  # one such poll looks like a burst: held
    assert first.held == 200
    delivered = numbers(first)
    for _ in range(3):
        tape.add(600)
        result = await reader.poll(head_limit=100)
        assert not result.behind
        assert result.abandoned
        assert reader.held == 0
        assert result.items[-1].number == tape.total  # the newest, at once
        delivered += numbers(result)
    assert delivered == sorted(set(delivered))
    assert len(delivered) == 200 + 3 * 200


@settings(max_examples=60, deadline=None)
@given(
    bursts=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=10),
    during=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=10),
    failures=st.sets(st.integers(min_value=1, max_value=120), max_size=25),
    max_pages=st.integers(min_value=2, max_value=6),
    head_limit=st.sampled_from([20, 50, 100]),
    page_limit=st.sampled_from([30, 100]),
    per_slot=st.sampled_from([1, 7, 60]),
    lazy_end=st.booleans(),
)
@pytest.mark.slow
async def test_any_growth_failures_and_bounds_deliver_every_trade_once_in_order(
    bursts: list[int],
    during: list[int],
    failures: set[int],
    max_pages: int,
    head_limit: int,
    page_limit: int,
    per_slot: int,
    lazy_end: bool,
) -> None:
    tape = CursorTape(per_slot=per_slot, lazy_end=lazy_end)
    tape.add(5)
    reader = follower(
        tape,
        max_pages=max_pages,
        page_limit=page_limit,
        seen_capacity=50,
        stall_polls=10**6,
        max_pending=10**6,
        max_runs=10**6,
    )
    await reader.poll()
    tape.fail_on = {tape.requests + n for n in failures}
    delivered: list[int] = []
    for n, burst in enumerate(bursts):
        tape.add(burst)
        step = iter(during[n % len(during) :] + during)
        tape.arrivals = lambda step=step: next(step, 0)  # type: ignore[misc]
        try:
            delivered += numbers(await reader.poll(head_limit=head_limit))
        except TradesUnavailable:
            pass
    tape.arrivals = lambda: 0
    tape.fail_on = set()
    delivered += await catch_up(reader, head_limit=head_limit, polls=2_000)
    assert delivered == list(range(6, tape.total + 1))
    assert reader.abandoned_gaps == 0
