"""PumpClient against a scripted loopback server: budgets per host, blocks, fallback routes.

Every count of "what was sent" is taken server-side (`CannedServer.hits`).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from pathlib import Path

import pytest

from pumptui.api import (
    Blocked,
    BlockPolicy,
    Host,
    NotFound,
    PumpClient,
    RateLimited,
    RequestBudget,
    RetryPolicy,
)
from pumptui.api.budget import HostBudgets
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from tests.api.canned import CannedServer, canned, cannot, json_answer, text_answer

__all__ = ["canned"]

FIXTURES = Path(__file__).parent / "fixtures"
MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"
TRADES = f"/v2/coins/{MINT}/trades"
CANDLES_V2 = f"/v2/coins/{MINT}/candles"
CANDLES_V1 = f"/v1/coins/{MINT}/candles"
BLOCK = 0.4  # seconds: a shortened Cloudflare block


def fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def make(
    server: CannedServer,
    *,
    budgets: HostBudgets | None = None,
    budget: RequestBudget | None = None,
    max_retries: int = 0,
    moved: list[tuple[str, str]] | None = None,
) -> PumpClient:
    if budget is None and budgets is None:
        budget = RequestBudget(60_000, 100)
    return PumpClient(
        ApiSettings().__class__(
            frontend_url=server.base_url, swap_url=server.base_url, indexer_url=server.base_url
        ),
        budget=budget,
        budgets=budgets,
        retry=RetryPolicy(max_retries=max_retries, base=0.01, cap=0.02, rng=random.Random(1)),
        block=BlockPolicy(minimum=BLOCK, jitter=0.0),
        timeout=2.0,
        on_route_moved=(lambda view, text: moved.append((view, text)))
        if moved is not None
        else None,
    )


def cloudflare_1015(retry_after: str = "0") -> object:
    return text_answer("error code: 1015", 429, server="cloudflare", **{"retry-after": retry_after})


# -- reading through the client ------------------------------------------------------------------


async def test_trades_follow_the_cursor_to_the_end_of_history(canned: CannedServer) -> None:
    canned.answer(
        "GET",
        TRADES,
        json_answer(fixture("trades_page.json")),
        json_answer(fixture("trades_end.json")),
    )
    async with make(canned) as client:
        first = await client.trades(MINT, limit=2)
        rest = await client.trades(MINT, cursor=first.next_cursor, limit=2)

    assert [t.lamports for t in first.items] == [123_456_789, 1_500_000_000]
    assert first.has_more
    assert first.next_cursor == first.items[-1].cursor
    assert (rest.items, rest.has_more, rest.next_cursor) == ([], False, None)
    sent = [r.query for r in canned.requests]
    assert "cursor" not in sent[0]
    assert sent[1]["cursor"] == "00037123456000000000000007-1790856000000"


async def test_a_seek_asks_for_trades_older_than_a_time(canned: CannedServer) -> None:
    canned.answer("GET", TRADES, json_answer(fixture("trades_end.json")))
    async with make(canned) as client:
        await client.trades_before(MINT, 1_790_856_000_000, limit=500)

    query = canned.requests[0].query
    assert query["cursor"] == "0000000000000000000000-1790856000000"
    assert query["limit"] == "100"  # the server refuses more


async def test_market_data_reads(canned: CannedServer) -> None:
    canned.answer(
        "GET", f"/v1/coins/{MINT}/market-activity", json_answer(fixture("market_activity.json"))
    )
    canned.answer("GET", f"/coins/holder-stats/{MINT}", json_answer(fixture("holder_stats.json")))
    canned.answer("GET", f"/coins/top-holders-v2/{MINT}", json_answer(fixture("top_holders.json")))
    canned.answer("GET", f"/token-holders/{MINT}/count", json_answer(fixture("holder_count.json")))
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    canned.answer("GET", f"/v1/coins/{MINT}/ath", json_answer({"athMarketCap": 69000.5}))
    canned.answer(
        "POST",
        "/v1/coins/market-activity/batch",
        json_answer(
            {
                MINT: fixture("market_activity.json"),
                "2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9": None,
            }
        ),
    )
    async with make(canned) as client:
        activity = await client.market_activity(MINT)
        stats = await client.holder_stats(MINT)
        holders, total = await client.top_holders(MINT)
        count = await client.holder_count(MINT)
        price = await client.sol_price()
        ath = await client.ath(MINT)
        batch = await client.market_activity_batch(
            [MINT, "2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9"]
        )

    assert activity.windows["1h"].num_txs == 140
    assert stats.top10_percent == 27.5
    assert (len(holders), total, count) == (2, 312, 318)
    assert price is not None
    assert price.stale
    assert ath == 69000.5
    assert set(batch) == {MINT, "2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9"}
    assert batch[MINT].windows["5m"].num_txs == 12
    ath_request = next(r for r in canned.requests if r.path.endswith("/ath"))
    assert ath_request.query["currency"] == "USD"
    assert canned.bodies[-1]["addresses"][0] == MINT


async def test_coins_pages_are_clamped_to_70_and_bulk_posts_to_coins_v2(
    canned: CannedServer,
) -> None:
    canned.answer("GET", "/coins", json_answer([fixture("coin_live_from_list.json")]))
    canned.answer(
        "POST", "/coins-v2/mints", json_answer([fixture("coin_graduated.json")], status=201)
    )
    async with make(canned) as client:
        page = await client.coins(limit=200, sort="ath_market_cap")
        found = await client.coins_by_mints(["2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9", MINT])

    assert canned.requests[0].query["limit"] == "70"
    assert canned.requests[0].query["sort"] == "ath_market_cap"
    assert page.items[0].progress < 0.25
    assert [c.symbol for c in found.items] == ["GRAD"]
    assert canned.bodies[-1] == {
        "mints": ["2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9", MINT],
        "includeNsfw": True,
        "include_nsfw": True,
    }


async def test_every_request_carries_the_site_origin(canned: CannedServer) -> None:
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    async with make(canned) as client:
        await client.sol_price()
    assert canned.requests[0].headers["Origin"] == "https://pump.fun"


async def test_the_session_token_goes_to_frontend_api_v3_only(canned: CannedServer) -> None:
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    canned.answer("GET", TRADES, json_answer(fixture("trades_end.json")))
    canned.answer("GET", "/boards/new", json_answer({"entries": []}))
    async with make(canned) as client:
        client.set_token(Secret("header.payload.signature"))
        await client.sol_price()
        await client.trades(MINT)
        await client.board("new")
    sent = {r.path: r.headers for r in canned.requests}
    assert sent["/sol-price"]["Authorization"] == "Bearer header.payload.signature"
    for path in (TRADES, "/boards/new"):  # swap-api and the indexer are public
        assert "Authorization" not in sent[path]
        assert "auth_token" not in sent[path].get("Cookie", "")


# -- fallback routes -----------------------------------------------------------------------------


async def test_an_unrouted_primary_moves_the_view_and_is_never_called_again(
    canned: CannedServer,
) -> None:
    canned.answer("GET", f"/coins-v3/{MINT}", cannot("GET", f"/coins-v3/{MINT}"))
    canned.answer("GET", f"/coins-v2/{MINT}", json_answer(fixture("coin_live_from_list.json")))
    moved: list[tuple[str, str]] = []
    async with make(canned, moved=moved) as client:
        first = await client.coin(MINT)
        second = await client.coin(MINT)
        third = await client.coin(MINT)

    assert first is not None
    assert second is not None
    assert third is not None
    assert canned.count("GET", f"/coins-v3/{MINT}") == 1
    assert canned.count("GET", f"/coins-v2/{MINT}") == 3
    assert moved == [("coin", "/coins-v3/{mint} → /coins-v2/{mint}")]
    assert client.moved_routes == {"coin": "/coins-v3/{mint} → /coins-v2/{mint}"}


async def test_a_handler_404_is_not_found_not_a_move(canned: CannedServer) -> None:
    canned.answer(
        "GET",
        f"/coins-v3/{MINT}",
        json_answer(
            {
                "message": f"Coin not found for mint: {MINT}",
                "error": "Not Found",
                "statusCode": 404,
            },
            404,
        ),
    )
    async with make(canned) as client:
        with pytest.raises(NotFound) as caught:
            await client.coin(MINT)

    assert not caught.value.unrouted
    assert canned.count("GET", f"/coins-v2/{MINT}") == 0
    assert client.moved_routes == {}


async def test_candles_fall_back_from_v2_to_v1(canned: CannedServer) -> None:
    canned.answer("GET", CANDLES_V2, cannot("GET", CANDLES_V2))
    canned.answer("GET", CANDLES_V1, json_answer(fixture("candles_sol.json")))
    async with make(canned) as client:
        first = await client.candles(MINT, interval="1m", limit=60)
        again = await client.candles(MINT, interval="5m", limit=60)

    assert [c.seconds for c in first] == [60, 60]
    assert again[0].seconds == 300
    assert canned.count("GET", CANDLES_V2) == 1
    assert canned.count("GET", CANDLES_V1) == 2
    assert canned.requests[-1].query["interval"] == "5m"
    assert canned.requests[-1].query["currency"] == "SOL"


# -- budgets per host ------------------------------------------------------------------------------


async def test_each_host_and_v3_group_has_its_own_bucket(canned: CannedServer) -> None:
    budgets = HostBudgets(frontend_per_minute=24, swap_per_minute=15, indexer_per_minute=6)
    async with make(canned, budgets=budgets) as client:
        swap_trades = client.budget_for(Host.SWAP)
        swap_candles = client.budget_for(Host.SWAP, "anything")
        coins = client.budget_for(Host.FRONTEND, "coins")
        price = client.budget_for(Host.FRONTEND, "sol-price")
        indexer = client.budget_for(Host.INDEXER)

    assert swap_trades is swap_candles  # one Cloudflare rule over every swap route
    assert coins is not price  # v3 counts per route group
    assert (
        swap_trades.requests_per_minute,
        coins.requests_per_minute,
        indexer.requests_per_minute,
    ) == (15, 24, 6)


async def test_swap_requests_share_one_bucket_whatever_the_route(canned: CannedServer) -> None:
    canned.answer("GET", TRADES, json_answer(fixture("trades_end.json")))
    canned.answer("GET", CANDLES_V2, json_answer(fixture("candles_sol.json")))
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    canned.answer("POST", "/v1/coins/market-activity/batch", json_answer({}))
    budgets = HostBudgets(
        frontend_per_minute=6000, swap_per_minute=6000, indexer_per_minute=60, burst=10
    )
    async with make(canned, budgets=budgets) as client:
        await client.trades(MINT)
        await client.candles(MINT)
        await client.market_activity_batch([MINT])
        await client.sol_price()

    assert client.budget_for(Host.SWAP).stats.granted == 3
    assert client.budget_for(Host.FRONTEND, "sol-price").stats.granted == 1


# -- blocks ----------------------------------------------------------------------------------------


async def test_a_1015_block_stops_every_swap_request_and_nothing_is_sent_during_it(
    canned: CannedServer,
) -> None:
    canned.answer("GET", TRADES, cloudflare_1015(), json_answer(fixture("trades_end.json")))
    canned.answer("GET", CANDLES_V2, json_answer(fixture("candles_sol.json")))
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    async with make(canned) as client:
        with pytest.raises(Blocked) as caught:
            await client.trades(MINT)
        blocked_at = time.monotonic()
        until = client.blocked_until(Host.SWAP)
        # A foreground caller can refuse to wait: it learns the time left, nothing is sent.
        with pytest.raises(RateLimited) as fast:
            await client.candles(MINT, fail_fast=True)
        # v3 is another host: not blocked.
        price = await client.sol_price()
        # A background caller waits the block out, then is served.
        waited = await asyncio.gather(client.trades(MINT), client.candles(MINT))

    assert caught.value.retry_after == pytest.approx(BLOCK, abs=0.05)
    assert until is not None
    assert until > time.time() - 1
    assert 0 < (fast.value.retry_after or 0) <= BLOCK
    assert price is not None
    assert waited[0].items == []
    assert len(waited[1]) == 2
    swap_times = [t for t in canned.times("GET /v") if t >= blocked_at]
    assert len(swap_times) == 2
    assert min(swap_times) - blocked_at >= BLOCK - 0.02  # nothing during the block
    assert client.blocked_until(Host.SWAP) is None


async def test_a_block_is_not_retried_into(canned: CannedServer) -> None:
    canned.answer("GET", TRADES, cloudflare_1015(retry_after="60"))
    async with make(canned, max_retries=4) as client:
        with pytest.raises(Blocked) as caught:
            await client.trades(MINT)
        with pytest.raises(Blocked):
            await client.candles(MINT, fail_fast=True)

    # max(Retry-After 60, the policy's minimum): one request, and the caller decides.
    assert canned.count("GET", TRADES) == 1
    assert canned.count("GET", CANDLES_V2) == 0
    assert (caught.value.retry_after or 0) >= 59


@pytest.mark.parametrize(
    "answer",
    [
        text_answer(
            "<!DOCTYPE html><title>Just a moment...</title>"
            "<script src='/cdn-cgi/challenge-platform/x.js'></script>",
            200,
            "text/html",
        ),
        text_answer("<html>Attention required</html>", 403, "text/html"),
        text_answer("<html>checking your browser</html>", 503, "text/html"),
        text_answer("", 302, location="https://static.pump.fun/blocked"),
    ],
    ids=["html-200", "challenge-403", "challenge-503", "redirect-blocked"],
)
async def test_a_disguised_block_is_a_block_of_the_host_never_data(
    canned: CannedServer, answer: object
) -> None:
    canned.answer("GET", "/coins", answer)
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    async with make(canned) as client:
        with pytest.raises(Blocked):
            await client.coins()
        with pytest.raises(Blocked):
            await client.sol_price(fail_fast=True)
        left = client.blocked_until(Host.FRONTEND)

    assert canned.count("GET", "/coins") == 1
    assert canned.count("GET", "/sol-price") == 0  # the whole host, not only the route
    assert left is not None


async def test_a_v3_429_pauses_its_group_and_not_the_host(canned: CannedServer) -> None:
    canned.answer(
        "GET",
        "/coins",
        json_answer(
            {"message": "ThrottlerException: Too Many Requests", "statusCode": 429},
            429,
            **{"retry-after": "30"},
        ),
    )
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    async with make(canned, budgets=HostBudgets(frontend_per_minute=6000, burst=10)) as client:
        with pytest.raises(RateLimited) as caught:
            await client.coins()
        price = await client.sol_price()

    assert not isinstance(caught.value, Blocked)
    assert client.blocked_until(Host.FRONTEND) is None
    assert client.budget_for(Host.FRONTEND, "coins").paused_until is not None
    assert price is not None


async def test_a_v3_window_with_nothing_left_holds_its_group_until_the_reset(
    canned: CannedServer,
) -> None:
    """`x-ratelimit-remaining: 0` on a 200: the next request to that group waits for the reset
    (here 1 s) instead of drawing a 429; other groups go on."""
    coins = [fixture("coin_live_from_list.json")]
    canned.answer(
        "GET",
        "/coins",
        json_answer(
            coins,
            **{"x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"},
        ),
        json_answer(coins, **{"x-ratelimit-limit": "60", "x-ratelimit-remaining": "59"}),
    )
    canned.answer("GET", "/sol-price", json_answer(fixture("sol_price.json")))
    async with make(canned, budgets=HostBudgets(frontend_per_minute=6000, burst=10)) as client:
        await client.coins()
        held = client.budget_for(Host.FRONTEND, "coins").paused_until
        price = await client.sol_price()  # another group: not held
        price_sent = time.monotonic()
        await client.coins()

    assert held is not None
    assert price is not None
    first, second = canned.times("GET /coins")
    assert second - first >= 0.95  # not before the window's reset
    assert canned.times("GET /sol-price")[0] <= price_sent < second


async def test_an_http_date_retry_after_is_honoured(canned: CannedServer) -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    canned.answer(
        "GET",
        "/coins",
        json_answer(
            {"message": "ThrottlerException: Too Many Requests", "statusCode": 429},
            429,
            **{"retry-after": when},
        ),
    )
    async with make(canned, budgets=HostBudgets(frontend_per_minute=6000, burst=10)) as client:
        with pytest.raises(RateLimited) as caught:
            await client.coins()
        paused = client.budget_for(Host.FRONTEND, "coins").paused_until

    assert caught.value.retry_after == pytest.approx(120, abs=3)
    assert paused is not None
    assert paused - time.monotonic() == pytest.approx(120, abs=3)
