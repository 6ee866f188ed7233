"""Bulk coin look-ups on POST /coins-v2/mints, against a scripted loopback server: every input
is accounted for exactly once, in input order."""

from __future__ import annotations

import json
import random
from pathlib import Path

from pumptui.api import (
    BlockPolicy,
    Outcome,
    PumpClient,
    RequestBudget,
    RetryPolicy,
    fetch_coins,
    moderate_nsfw,
)
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from tests.api.canned import CannedServer, canned, json_answer, text_answer
from tests.api.conftest import unknown_mints

__all__ = ["canned"]

FIXTURES = Path(__file__).parent / "fixtures"
FAST = {"backoff_base": 0.001, "backoff_cap": 0.01, "rng": random.Random(2)}


def coin(name: str) -> dict[str, object]:
    record = json.loads((FIXTURES / name).read_text())
    assert isinstance(record, dict)
    return record


def client_for(server: CannedServer) -> PumpClient:
    url = server.base_url
    return PumpClient(
        ApiSettings(frontend_url=url, swap_url=url, indexer_url=url),
        budget=RequestBudget(60_000, 100),
        retry=RetryPolicy(max_retries=0, base=0.01, cap=0.02),
        block=BlockPolicy(minimum=0.05, jitter=0.0),
    )


async def test_found_not_found_and_invalid_in_input_order(canned: CannedServer) -> None:
    live, graduated = coin("coin_live_from_list.json"), coin("coin_graduated.json")
    missing = unknown_mints(1)[0]
    canned.answer("POST", "/coins-v2/mints", json_answer([graduated, live], status=201))
    inputs = [str(live["mint"]), "not-a-mint", missing, str(graduated["mint"]), str(live["mint"])]
    async with client_for(canned) as client:
        result = await fetch_coins(client, inputs, **FAST)

    assert [(i.key, i.outcome) for i in result.items] == [
        (live["mint"], Outcome.FOUND),
        ("not-a-mint", Outcome.INVALID),
        (missing, Outcome.NOT_FOUND),
        (graduated["mint"], Outcome.FOUND),
    ]
    assert result.duplicates == 1
    assert result.items[3].value.symbol == "GRAD"  # a found coin carries its metadata
    assert canned.count("POST", "/coins-v2/mints") == 1
    assert set(canned.bodies[0]["mints"]) == {live["mint"], missing, graduated["mint"]}


async def test_a_server_that_keeps_failing_fails_each_item_with_a_reason(
    canned: CannedServer,
) -> None:
    canned.answer("POST", "/coins-v2/mints", text_answer("bad gateway", 502))
    mints = unknown_mints(4)
    async with client_for(canned) as client:
        result = await fetch_coins(client, mints, batch_size=2, max_attempts=2, **FAST)

    assert [i.outcome for i in result.items] == [Outcome.FAILED] * 4
    assert all(i.reason and "502" in i.reason for i in result.items)


async def test_a_mint_missing_from_a_page_with_unusable_records_is_never_called_not_found(
    canned: CannedServer,
) -> None:
    """The unusable record may be the missing coin: the mint is asked again, and when the server
    keeps sending the unusable record it fails with that reason instead of "not found"."""
    live = coin("coin_live_from_list.json")
    missing = unknown_mints(1)[0]
    canned.answer("POST", "/coins-v2/mints", json_answer([live, "junk", {"name": "no mint"}]))
    async with client_for(canned) as client:
        result = await fetch_coins(client, [str(live["mint"]), missing], max_attempts=2, **FAST)

    assert [(i.key, i.outcome) for i in result.items] == [
        (live["mint"], Outcome.FOUND),
        (missing, Outcome.FAILED),
    ]
    assert result.items[1].reason == "the server sent an unusable record"
    assert canned.count("POST", "/coins-v2/mints") == 2  # asked again on its own


async def test_a_mint_asked_again_after_an_unusable_record_can_then_be_not_found(
    canned: CannedServer,
) -> None:
    live = coin("coin_live_from_list.json")
    missing = unknown_mints(1)[0]
    canned.answer(
        "POST",
        "/coins-v2/mints",
        json_answer([live, "junk"]),
        json_answer([]),  # the second answer is clean: now "missing" means not found
    )
    async with client_for(canned) as client:
        result = await fetch_coins(client, [str(live["mint"]), missing], **FAST)

    assert [i.outcome for i in result.items] == [Outcome.FOUND, Outcome.NOT_FOUND]
    assert canned.count("POST", "/coins-v2/mints") == 2


async def test_moderation_items_the_server_did_not_report_on_are_not_done(
    canned: CannedServer,
) -> None:
    updated, unknown, unreported = unknown_mints(3, seed=11)
    canned.answer(
        "POST",
        "/moderation/bulk-nsfw",
        json_answer({"updated": [updated], "notFound": [unknown]}, status=201),
    )
    async with client_for(canned) as client:
        client.set_token(Secret("admin-token-for-a-loopback-server"))
        result = await moderate_nsfw(client, [updated, unknown, unreported], max_attempts=2, **FAST)

    assert [(i.key, i.outcome) for i in result.items] == [
        (updated, Outcome.DONE),
        (unknown, Outcome.NOT_FOUND),
        (unreported, Outcome.FAILED),
    ]
    assert result.items[2].reason == "the server did not report on it"
