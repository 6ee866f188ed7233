"""Reading a growing newest-first list: every item once, in order, whatever arrives between reads.

These run against an in-memory list that grows *while it is being read* (arrivals are injected
before each page is answered), which is exactly what makes offset paging hard on the real API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from pumptui.live.follow import ListFollower, SeenWindow, page_size_for


@dataclass(frozen=True)
class Item:
    id: int


@dataclass
class Page:
    items: list[Item]
    unchanged: bool = False


@dataclass
class GrowingList:
    """Newest first, like `/trades/all`; `arrivals()` says how many items appear before each
    answer (so a list can grow between the pages of one poll)."""

    total: int = 0
    arrivals: Callable[[], int] = lambda: 0
    # A fake clock that moves one second per request, for rate hints.
    now: float = 0.0
    requests: int = 0
    etags: dict[tuple[int, int], int] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)

    def add(self, count: int) -> None:
        self.total += count

    async def fetch(self, offset: int, limit: int, conditional: bool) -> Page:
        self.requests += 1
        self.now += 1.0
        self.add(self.arrivals())
        listed = [i for i in range(self.total, 0, -1) if i not in self.removed]
        version = (self.total, len(self.removed))
        if conditional and self.etags.get((offset, limit)) == version:
            return Page([], unchanged=True)
        self.etags[(offset, limit)] = version
        return Page([Item(i) for i in listed[offset : offset + limit]])


def follower(source: GrowingList, **options: object) -> ListFollower[Item]:
    defaults: dict[str, object] = {"page_limit": 50, "first_limit": 20, "max_pages": 100}
    defaults.update(options)
    return ListFollower(source.fetch, key=lambda i: i.id, order=lambda i: i.id, **defaults)  # type: ignore[arg-type]


async def test_first_poll_delivers_the_recent_past_as_history() -> None:
    source = GrowingList(total=500)
    reader = follower(source)
    result = await reader.poll()
    assert result.historical
    assert [i.id for i in result.items] == list(range(481, 501))


async def test_a_burst_far_larger_than_a_page_arrives_complete_and_in_order() -> None:
    source = GrowingList(total=30)
    reader = follower(source)
    await reader.poll()
    source.add(1_000)
    result = await reader.poll(head_limit=20)
    assert [i.id for i in result.items] == list(range(31, 1031))
    assert not result.historical
    assert not result.behind
    assert result.requests == 1 + 1000 // 50  # the head page, then full pages down


async def test_a_quiet_list_costs_one_conditional_request_and_delivers_nothing() -> None:
    source = GrowingList(total=30)
    reader = follower(source)
    await reader.poll()
    await reader.poll(head_limit=20)  # primes the ETag of the head page
    result = await reader.poll(head_limit=20)
    assert result.unchanged
    assert result.items == []
    assert result.requests == 1


async def test_items_arriving_while_pages_are_read_are_neither_lost_nor_repeated() -> None:
    source = GrowingList(total=10)
    reader = follower(source)
    await reader.poll()
    source.add(400)
    source.arrivals = lambda: 7  # seven new items before every answer
    result = await reader.poll(head_limit=20)
    source.arrivals = lambda: 0
    delivered = [i.id for i in result.items]
    rest = await reader.poll(head_limit=20)
    delivered += [i.id for i in rest.items]
    assert delivered == list(range(11, source.total + 1))


async def test_a_gap_too_big_for_one_poll_is_held_then_delivered_in_order() -> None:
    source = GrowingList(total=10)
    reader = follower(source, max_pages=3)
    await reader.poll()
    source.add(1_000)
    first = await reader.poll(head_limit=50)
    assert first.items == []
    assert first.behind
    assert first.held == 150
    delivered: list[int] = []
    for _ in range(20):
        source.add(5)
        result = await reader.poll(head_limit=50)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == list(range(11, source.total + 1))
    assert reader.abandoned_gaps == 0


async def test_items_removed_above_a_gap_do_not_make_the_reader_skip_any() -> None:
    source = GrowingList(total=10)
    reader = follower(source, max_pages=3)
    await reader.poll()
    source.add(1_000)
    held = await reader.poll(head_limit=50)
    assert held.behind
    assert held.held == 150
    source.removed = set(range(900, 930))  # moderation hides some: everything below moves up
    delivered: list[int] = []
    for _ in range(50):
        result = await reader.poll(head_limit=50)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == [i for i in range(11, 1011) if not 930 > i >= 900 or i >= 861]


async def test_a_market_that_outruns_the_budget_is_released_in_order_and_reported() -> None:
    source = GrowingList(total=10)
    reader = follower(source, max_pages=2)
    await reader.poll()
    source.arrivals = lambda: 120  # more per request than a page can carry
    delivered: list[int] = []
    abandoned = 0
    for _ in range(10):
        result = await reader.poll(head_limit=50)
        delivered += [i.id for i in result.items]
        abandoned += result.abandoned
    assert abandoned > 0
    assert delivered == sorted(set(delivered))  # in order, never twice
    assert reader.held <= reader.max_runs * 2 * 50  # what is held stays bounded


async def test_the_budget_can_stop_paging_and_the_next_poll_resumes() -> None:
    source = GrowingList(total=10)
    wait = {"seconds": 30.0}
    reader = follower(source, budget_wait=lambda: wait["seconds"], max_page_wait=5.0)
    await reader.poll()
    source.add(500)
    result = await reader.poll(head_limit=50)
    assert result.requests == 1
    assert result.behind
    wait["seconds"] = 0.0
    result = await reader.poll(head_limit=50)
    assert [i.id for i in result.items] == list(range(11, 511))


def test_the_dedup_window_keeps_only_the_newest_keys() -> None:
    window = SeenWindow(capacity=3)
    for key in range(10):
        window.add(key)
    assert len(window) == 3
    assert 9 in window
    assert 7 in window
    assert 6 not in window


def test_page_sizes_are_few_so_urls_and_their_etags_stay_stable() -> None:
    assert page_size_for(0) == 20
    assert page_size_for(20) == 50
    assert page_size_for(60) == 100
    assert page_size_for(10_000) == 200


@settings(max_examples=60, deadline=None)
@given(
    bursts=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12),
    during=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=12),
    max_pages=st.integers(min_value=2, max_value=12),
    head_limit=st.sampled_from([20, 50, 100]),
)
async def test_any_arrival_pattern_is_delivered_exactly_once_in_order(
    bursts: list[int], during: list[int], max_pages: int, head_limit: int
) -> None:
    source = GrowingList(total=5)
    reader = follower(
        source, max_pages=max_pages, stall_polls=10**6, max_pending=10**6, max_runs=10**6
    )
    await reader.poll()
    delivered: list[int] = []
    for n, burst in enumerate(bursts):
        source.add(burst)
        step = iter(during[n % len(during) :] + during)
        source.arrivals = lambda step=step: next(step, 0)  # type: ignore[misc]
        delivered += [i.id for i in (await reader.poll(head_limit=head_limit)).items]
    source.arrivals = lambda: 0
    for _ in range(10_000):
        result = await reader.poll(head_limit=head_limit)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == list(range(6, source.total + 1))


async def test_a_list_growing_faster_than_pages_are_read_is_still_read_downwards() -> None:
    source = GrowingList(total=10)
    reader = follower(
        source,
        page_limit=200,
        max_pages=6,
        max_runs=10**6,
        stall_polls=10**6,
        rate_hint=lambda: 170.0,
        clock=lambda: source.now,
    )
    await reader.poll()
    source.add(2_000)
    source.arrivals = lambda: 250  # more arrive per request than a page holds
    first = await reader.poll(head_limit=200)
    # It read down through the backlog instead of chasing the top page after page.
    assert len(first.items) + reader.held >= 300  # chasing the top would stop at 200
    source.arrivals = lambda: 0
    delivered = [i.id for i in first.items]
    for _ in range(100):
        result = await reader.poll(head_limit=200)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == list(range(11, source.total + 1))


@settings(max_examples=40, deadline=None)
@given(
    during=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=8),
    hint=st.floats(min_value=0.0, max_value=40.0),  # below overload (a page a request)
    page_limit=st.sampled_from([50, 200]),
)
async def test_a_wrong_rate_hint_costs_requests_but_never_items(
    during: list[int], hint: float, page_limit: int
) -> None:
    source = GrowingList(total=5)
    reader = follower(
        source,
        page_limit=page_limit,
        max_pages=5,
        max_runs=10**6,
        stall_polls=10**6,
        max_pending=10**7,
        rate_hint=lambda: hint,
        clock=lambda: source.now,
    )
    await reader.poll()
    delivered: list[int] = []
    for arrivals in during:
        source.arrivals = lambda a=arrivals: a  # type: ignore[misc]
        delivered += [i.id for i in (await reader.poll(head_limit=50)).items]
    source.arrivals = lambda: 0
    for _ in range(10_000):
        result = await reader.poll(head_limit=50)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == list(range(6, source.total + 1))


async def test_under_sustained_overload_each_poll_delivers_the_top_page_at_once() -> None:
    source = GrowingList(total=10)
    reader = follower(source, page_limit=200, rate_hint=lambda: 400.0, clock=lambda: source.now)
    await reader.poll()
    source.arrivals = lambda: 400  # twice what a request can carry, for good
    delivered: list[int] = []
    for _ in range(5):
        result = await reader.poll(head_limit=200)
        assert result.requests == 1  # no pages spent chasing a gap that cannot close
        assert result.abandoned
        assert len(result.items) == 200
        assert reader.held == 0
        delivered += [i.id for i in result.items]
    assert delivered == sorted(set(delivered))


async def test_when_a_poll_cannot_reach_what_it_held_the_gaps_are_given_up() -> None:
    # Polls too far apart for what arrives between them (a push source delivers the items and
    # these polls only check them): holding could never catch up, only grow.
    source = GrowingList(total=10)
    reader = follower(source, page_limit=50, max_pages=2)
    reader.hold_when_outrun = False
    await reader.poll()
    source.add(600)
    first = await reader.poll(head_limit=50)
    assert first.behind  # one such poll looks like a burst: held
    assert first.held == 100
    delivered = [i.id for i in first.items]
    for _ in range(3):
        source.add(600)
        result = await reader.poll(head_limit=50)
        assert not result.behind  # could not reach the held run: nothing is held any more
        assert reader.held == 0
        assert result.abandoned
        assert result.items[-1].id == source.total  # the newest, at once
        delivered += [i.id for i in result.items]
    assert delivered == sorted(set(delivered))
    assert len(delivered) == 100 + 3 * 100  # the held run, then each poll's two pages


async def test_a_burst_between_spaced_polls_is_still_held_and_completed() -> None:
    # The same spacing with a quiet coin: a burst bigger than one poll reads is caught up.
    source = GrowingList(total=10)
    reader = follower(source, page_limit=50, max_pages=2)
    reader.hold_when_outrun = False
    await reader.poll()
    source.add(350)
    delivered: list[int] = []
    for _ in range(10):  # the head page is a 304 each time: about 50 more a poll
        source.now += 30.0
        result = await reader.poll(head_limit=50)
        delivered += [i.id for i in result.items]
        if not result.behind:
            break
    assert delivered == list(range(11, 361))
    assert reader.abandoned_gaps == 0
