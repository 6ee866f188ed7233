"""Bulk operations against the simulator: every item accounted for once, in order, under faults."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable

import httpx
import pytest

from pumptui.api import (
    BulkJob,
    BulkProgress,
    BulkResult,
    CoinLookup,
    Outcome,
    PumpClient,
    RequestBudget,
    fetch_coins,
    moderate_ban,
    moderate_hide,
    moderate_nsfw,
)
from pumptui.secret import Secret
from pumptui.sim import FaultPlan, ServerConfig, SimServer
from tests.api.conftest import RecordingTransport, make_client, unknown_mints

# Coin look-ups go to POST /coins-v2/mints (reference §3.1); faults aimed at it match this.
BULK_PATH = "^/coins-v2/mints$"
FAST = {"backoff_base": 0.01, "backoff_cap": 0.05, "rng": random.Random(5)}


def assert_accounted(result: BulkResult, inputs: list[str]) -> None:
    """Each distinct input exactly once, in first-seen order, and settled."""
    distinct = list(dict.fromkeys(i.strip() for i in inputs if i.strip()))
    assert len(result.items) == len(distinct)
    assert result.duplicates == len([i for i in inputs if i.strip()]) - len(distinct)
    assert all(item.outcome is not None for item in result.items)
    assert sum(result.counts.values()) == len(distinct)


async def test_every_item_is_found_missing_or_invalid_in_input_order(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    known = many_coins(120)
    missing = unknown_mints(15)
    invalid = ["not-a-mint", "0OIl" * 11, "short", "\x1b[31mred\x1b[0m"]
    inputs = known + missing + invalid + known[:7] + missing[:2]
    random.Random(2).shuffle(inputs)

    async with make_client(sim) as client:
        result = await fetch_coins(client, inputs, batch_size=25, **FAST)

    assert_accounted(result, inputs)
    assert [item.key for item in result.items][:5] == list(dict.fromkeys(inputs))[:5]
    outcome = {item.key: item.outcome for item in result.items}
    assert all(outcome[m] is Outcome.FOUND for m in known)
    assert all(outcome[m] is Outcome.NOT_FOUND for m in missing)
    assert result.count(Outcome.INVALID) == 4
    assert all(item.value.mint == item.key for item in result.items if item.value)
    assert all("\x1b" not in item.key for item in result.items)  # shown safely
    assert result.duplicates == 9
    assert result.requests == 6  # 135 valid distinct mints / 25; invalid ones never sent
    assert result.success_rate == pytest.approx(135 / 139)


async def test_invalid_mints_are_never_sent(sim: SimServer) -> None:
    spy = RecordingTransport()
    async with make_client(sim, transport=spy) as client:
        result = await fetch_coins(client, ["nope", "also nope"], **FAST)

    assert spy.requests == []
    assert result.count(Outcome.INVALID) == 2
    assert result.success_rate == 0.0


async def test_nothing_is_lost_when_the_server_misbehaves_in_every_way(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    known = many_coins(300)
    inputs = known + unknown_mints(20)
    sim.set_faults(
        # ... including the disguised blocks of 2026: a challenge page served as 200, and a
        # redirect to the blocked page (each holds the whole host for a moment).
        FaultPlan(
            error_rate=0.15,
            rate_limit_rate=0.05,
            retry_after=0,
            timeout_rate=0.03,
            drop_rate=0.05,
            truncate_rate=0.05,
            malformed_rate=0.05,
            html_rate=0.05,
            challenge_rate=0.03,
            blocked_rate=0.03,
            hang_seconds=1.0,
            paths=BULK_PATH,
        )
    )
    async with make_client(sim, timeout=0.3) as client:
        result = await fetch_coins(client, inputs, batch_size=20, **FAST)

    assert_accounted(result, inputs)
    assert result.count(Outcome.FOUND) == 300
    assert result.count(Outcome.NOT_FOUND) == 20
    assert result.failed == []
    assert result.requests > 16  # the faults did bite: 320 mints are 16 clean batches


async def test_a_429_storm_with_retry_after_is_waited_out(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    known = many_coins(100)
    # The injected 429s are of both kinds: a JSON 429 (a pause of the group) and Cloudflare's
    # HTML page (a block of the host, reference §2). Neither costs an item.
    sim.set_faults(FaultPlan(rate_limit_rate=1.0, retry_after=1, times=3, paths=BULK_PATH))
    async with make_client(sim) as client:
        result = await fetch_coins(client, known, batch_size=20, **FAST)

    assert result.count(Outcome.FOUND) == 100
    assert result.requests == 5 + 3  # the three refused batches were sent again


async def test_an_endpoint_that_never_recovers_fails_each_item_with_a_reason(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    known = many_coins(6)
    sim.set_faults(FaultPlan(error_rate=1.0, paths=BULK_PATH))
    async with make_client(sim) as client:
        result = await fetch_coins(client, known, batch_size=6, **FAST)

    assert_accounted(result, known)
    assert result.failed_keys == known
    assert all("server error" in (item.reason or "") for item in result.failed)
    # Split down to single items, three attempts each: bounded, not endless.
    assert result.requests == 3 * (2 * 6 - 1)
    assert result.success_rate == 0.0


async def test_a_poisoned_item_is_isolated_and_the_rest_of_its_batch_found(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    known = many_coins(40)
    poison = known[17]
    real = httpx.AsyncHTTPTransport()

    class PoisonedProxy(httpx.AsyncBaseTransport):
        """Only a mock can produce this: a server that chokes on one particular mint."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if poison.encode() in request.content:
                return httpx.Response(500, json={"statusCode": 500, "message": "boom"})
            return await real.handle_async_request(request)

    async with make_client(sim, transport=PoisonedProxy()) as client:
        result = await fetch_coins(client, known, batch_size=20, **FAST)

    assert result.failed_keys == [poison]
    assert result.count(Outcome.FOUND) == 39
    assert result.requests < 30


async def test_the_batch_size_shrinks_when_slow_and_grows_back_when_fast(
    sim: SimServer,
) -> None:
    inputs = unknown_mints(400)
    sizes: list[int] = []
    sim.set_faults(FaultPlan(latency_ms=250, duration=1.2))
    async with make_client(sim) as client:
        job = BulkJob(
            client,
            CoinLookup(),
            inputs,
            batch_size=50,
            concurrency=1,
            slow_after=0.2,
            fast_under=0.1,
            on_progress=lambda p: sizes.append(p.batch_size),
            **FAST,
        )
        result = await job.run()

    assert result.count(Outcome.NOT_FOUND) == 400
    smallest = min(sizes)
    assert smallest < 50
    assert sizes[-1] > smallest


async def test_waiting_for_the_budget_is_not_mistaken_for_a_slow_server(sim: SimServer) -> None:
    # A request every 0.25 s (a tight budget, as the real 24 a minute is), a fast server: the
    # batch keeps its size, because only the server's answer time says "slow".
    sizes: list[int] = []
    async with make_client(sim, budget=RequestBudget(requests_per_minute=240, burst=1)) as client:
        job = BulkJob(
            client,
            CoinLookup(),
            unknown_mints(250),
            batch_size=50,
            concurrency=1,
            slow_after=0.2,
            fast_under=0.1,
            on_progress=lambda p: sizes.append(p.batch_size),
            **FAST,
        )
        result = await job.run()

    assert result.count(Outcome.NOT_FOUND) == 250
    assert result.requests == 5
    assert set(sizes) == {50}


async def test_a_failed_answer_after_a_wait_for_the_budget_keeps_the_batch_size(
    sim: SimServer,
) -> None:
    # Four workers queue for a token every 0.25 s, so each request waits for the budget longer
    # than `slow_after`. The first two answers are fast 500s: they say nothing of the batch
    # size, so the batches stay at 50 and the run needs one request per batch and per fault.
    sizes: list[int] = []
    sim.set_faults(FaultPlan(error_rate=1.0, times=2, paths=BULK_PATH))
    async with make_client(sim, budget=RequestBudget(requests_per_minute=240, burst=1)) as client:
        job = BulkJob(
            client,
            CoinLookup(),
            unknown_mints(150),
            batch_size=50,
            concurrency=4,
            slow_after=0.2,
            fast_under=0.1,
            on_progress=lambda p: sizes.append(p.batch_size),
            **FAST,
        )
        result = await job.run()

    assert result.count(Outcome.NOT_FOUND) == 150
    assert result.requests == 3 + 2
    assert set(sizes) == {50}


async def test_the_budget_holds_during_a_bulk_run(sim: SimServer) -> None:
    budget = RequestBudget(requests_per_minute=1200, burst=3)  # 20 a second
    sent: list[float] = []

    class Timed(RecordingTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(time.monotonic())
            return await super().handle_async_request(request)

    spy = Timed()
    async with make_client(sim, budget=budget, transport=spy) as client:
        result = await fetch_coins(client, unknown_mints(300), batch_size=10, concurrency=5, **FAST)

    assert result.requests == 30 == len(sent)
    for start in sent:
        for window in (0.25, 0.5, 1.0):
            inside = sum(1 for t in sent if start <= t < start + window)
            assert inside <= 3 + 20 * window + 1, (window, inside)


async def test_a_tight_server_limit_costs_no_items(sim_factory) -> None:  # type: ignore[no-untyped-def]
    # POST /coins-v2/mints is a v3 group of its own (30 a minute for real): here 12 a second,
    # and 20 batches to send.
    sim = sim_factory(
        server=ServerConfig(
            v3_limits={"coins-v2-mints": 12}, rate_limit_window=1.0, swap_limit=100_000
        )
    )
    inputs = unknown_mints(200)
    async with make_client(sim) as client:
        result = await fetch_coins(client, inputs, batch_size=10, **FAST)

    assert result.count(Outcome.NOT_FOUND) == 200
    assert result.failed == []


async def test_cancelling_keeps_what_was_done_and_fails_the_rest(sim: SimServer) -> None:
    inputs = unknown_mints(200)
    sim.set_faults(FaultPlan(latency_ms=50))
    first_batch = asyncio.Event()

    def on_progress(progress: BulkProgress) -> None:
        if progress.batches_done:
            first_batch.set()

    async with make_client(sim) as client:
        job = BulkJob(
            client,
            CoinLookup(),
            inputs,
            batch_size=10,
            concurrency=1,
            on_progress=on_progress,
            **FAST,
        )
        running = asyncio.create_task(job.run())
        await first_batch.wait()
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running

    result = job.result
    assert result.interrupted
    assert_accounted(result, inputs)
    assert result.count(Outcome.NOT_FOUND) >= 10
    assert result.count(Outcome.FAILED) >= 100
    assert {item.reason for item in result.failed} == {"interrupted"}


# -- moderation ----------------------------------------------------------------------------------


async def test_nsfw_marks_coins_and_reports_unknown_ones(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    targets = many_coins(4)
    inputs = targets + unknown_mints(2) + ["nope"]
    async with make_client(sim, token=Secret(sim.token_for(admin=True))) as client:
        result = await moderate_nsfw(client, inputs, **FAST)
        coins = [await client.coin(m) for m in targets]

    assert [i.outcome for i in result.items] == [Outcome.DONE] * 4 + [Outcome.NOT_FOUND] * 2 + [
        Outcome.INVALID
    ]
    assert all(c is not None for c in coins)
    assert all(c.nsfw for c in coins if c is not None)


async def test_hide_and_ban_take_coins_and_report_ids_that_name_nothing(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    """Numeric ids are still sent (they named replies, gone in 2026): the server knows none."""
    targets = many_coins(3)
    async with make_client(sim, token=Secret(sim.token_for(admin=True))) as client:
        hidden = await moderate_hide(client, [targets[0], 999_999, "0", "x"], **FAST)
        banned = await moderate_ban(client, targets[1:], "spam", **FAST)

    assert [i.outcome for i in hidden.items] == [
        Outcome.DONE,
        Outcome.NOT_FOUND,
        Outcome.INVALID,
        Outcome.INVALID,
    ]
    assert banned.count(Outcome.DONE) == 2
    assert not set(targets) & set(sim.mints())


async def test_moderation_without_admin_rights_stops_at_once(
    sim: SimServer, many_coins: Callable[[int], list[str]]
) -> None:
    targets = many_coins(120)
    async with make_client(sim, token=Secret(sim.token_for())) as client:
        result = await moderate_nsfw(client, targets, batch_size=20, concurrency=1, **FAST)

    assert result.requests == 1
    assert result.count(Outcome.FAILED) == 120
    assert result.stopped_reason
    assert "not allowed" in result.stopped_reason


async def test_a_ban_needs_a_reason(sim: SimServer) -> None:
    async with make_client(sim) as client:
        with pytest.raises(ValueError, match="reason"):
            await moderate_ban(client, [1], "  ")


def test_batch_size_and_concurrency_have_hard_limits() -> None:
    client = PumpClient(budget=RequestBudget())
    with pytest.raises(ValueError, match="batch size"):
        BulkJob(client, CoinLookup(), [], batch_size=101)
    with pytest.raises(ValueError, match="concurrency"):
        BulkJob(client, CoinLookup(), [], concurrency=6)
