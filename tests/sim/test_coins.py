"""v3 coin endpoints (pumpfun-api-2026.md §3.1, §5): the 2026 Coin shape and units, order, the
silent clamp to 70 and the depth of 1000, single coins, search, the batch look-up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pumptui.sim import SimServer
from tests.sim.support import (
    bearer,
    check_coin,
    http,
    market_now,
    nest_error,
)

UNKNOWN_MINT = "So11111111111111111111111111111111111111112"


@pytest.fixture
def busy_sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    """More than a page of coins (two launches a second for two minutes), none NSFW."""
    return sim_factory(launches_per_minute=120.0, nsfw_share=0.0)


def test_every_listed_coin_has_the_documented_fields_and_units(sim: SimServer) -> None:
    with http(sim) as client:
        sol_price = client.get("/sol-price").json()["solPrice"]
        now_ms = market_now(client) * 1000
        coins = client.get("/coins", params={"limit": 70, "includeNsfw": "true"}).json()
    assert isinstance(coins, list)
    assert len(coins) >= 10
    for coin in coins:
        check_coin(coin, sol_price)
        # Everything happened during the 120 s warm-up, in milliseconds of market time.
        assert now_ms - 121_000 <= coin["created_timestamp"] <= now_ms
    assert len({c["mint"] for c in coins}) == len(coins)


def test_a_coin_created_now_carries_the_market_clock_in_milliseconds(sim: SimServer) -> None:
    sim.advance(42.5)
    mint = sim.create_coin(name="Clockwork", symbol="TICK", description="on time")
    with http(sim) as client:
        now = market_now(client)
        coin = client.get(f"/coins-v3/{mint}").json()
    assert coin["created_timestamp"] == int(now * 1000)
    assert (coin["name"], coin["symbol"], coin["description"]) == ("Clockwork", "TICK", "on time")
    assert coin["reply_count"] == 0
    assert coin["last_trade_timestamp"] is None
    assert coin["updated_at"] == int(now)  # seconds
    assert coin["ath_market_cap_timestamp"] == int(now * 1000)


def test_the_new_coins_feed_is_newest_first_and_asc_reverses_it(busy_sim: SimServer) -> None:
    with http(busy_sim) as client:
        newest = client.get("/coins", params={"limit": 70}).json()
        oldest = client.get("/coins", params={"limit": 70, "order": "ASC"}).json()
    times = [c["created_timestamp"] for c in newest]
    assert times == sorted(times, reverse=True)
    assert [c["mint"] for c in newest[:5]] == busy_sim.mints()[:5]
    assert [c["created_timestamp"] for c in oldest] == sorted(
        c["created_timestamp"] for c in oldest
    )
    assert oldest[0]["created_timestamp"] < newest[-1]["created_timestamp"]


@pytest.mark.parametrize(
    "sort",
    [
        "market_cap",
        "ath_market_cap",
        "last_trade_timestamp",
        "reply_count",
        "last_reply",
        "created_timestamp",
    ],
)
def test_sorted_lists_follow_the_sort_key(busy_sim: SimServer, sort: str) -> None:
    with http(busy_sim) as client:
        coins = client.get("/coins", params={"limit": 70, "sort": sort}).json()
    keys = [c[sort] or 0 for c in coins]
    assert keys == sorted(keys, reverse=True)


def test_reply_counts_grow_as_people_talk_about_coins(busy_sim: SimServer) -> None:
    """The 2026 Coin still carries `reply_count` and `last_reply` (what it counts now that
    threaded replies are gone is unknown), and `/coins` still sorts by it."""
    with http(busy_sim) as client:
        top = client.get("/coins", params={"limit": 5, "sort": "reply_count"}).json()
    assert top[0]["reply_count"] > 0
    assert top[0]["last_reply"] is not None


def test_limit_is_silently_clamped_to_70_and_offset_pages_on(busy_sim: SimServer) -> None:
    assert len(busy_sim.mints()) > 150
    with http(busy_sim) as client:
        capped = client.get("/coins", params={"limit": 1000}).json()
        first = client.get("/coins", params={"limit": 40, "offset": 0}).json()
        second = client.get("/coins", params={"limit": 40, "offset": 40}).json()
        default = client.get("/coins").json()
    assert len(capped) == 70
    assert len(second) == 40
    assert [c["mint"] for c in first + second][:70] == [c["mint"] for c in capped]
    assert len(default) == 50


def test_nothing_lies_deeper_than_1000(sim: SimServer) -> None:
    with http(sim) as client:
        for offset in (931, 1000, 5000):
            response = client.get(
                "/coins", params={"offset": offset, "limit": 70, "includeNsfw": "true"}
            )
            assert response.status_code == 200
            assert response.json() == []


def test_bad_paging_values_and_sorts_are_refused_with_nest_errors(sim: SimServer) -> None:
    with http(sim) as client:
        for params in (
            {"limit": "lots"},
            {"limit": 0},
            {"offset": -1},
            {"sort": "vibes"},
            {"sort": "currently_live"},
            {"order": "sideways"},
        ):
            nest_error(client.get("/coins", params=params), 400)


def test_one_coin_is_bare_on_v3_and_v2_and_an_unknown_mint_is_a_handler_404(sim: SimServer) -> None:
    mint = sim.mints()[3]
    with http(sim) as client:
        coin = client.get(f"/coins-v3/{mint}", params={"includeLiveStreamInfo": "true"}).json()
        v2 = client.get(f"/coins-v2/{mint}").json()
        missing = client.get(f"/coins-v3/{UNKNOWN_MINT}")
    assert coin["mint"] == mint
    assert v2 == coin
    check_coin(coin)
    body = nest_error(missing, 404)
    assert body["message"] == f"Coin not found for mint: {UNKNOWN_MINT}"


def test_search_finds_by_name_symbol_or_mint(sim: SimServer) -> None:
    mint = sim.create_coin(name="Zanzibar Quokka", symbol="ZQK")
    with http(sim) as client:
        for term in ("zanzibar", "ZQK", mint):
            found = client.get("/coins", params={"searchTerm": term, "includeNsfw": "true"}).json()
            assert [c["mint"] for c in found] == [mint], term
        nothing = client.get("/coins", params={"searchTerm": "no such coin anywhere"})
        assert nothing.json() == []


def test_coins_by_creator(sim: SimServer) -> None:
    creator = sim.user_address
    made = {sim.create_coin(name=f"Mine {i}", symbol=f"MY{i}", creator=creator) for i in range(3)}
    with http(sim) as client:
        coins = client.get("/coins", params={"creator": creator, "includeNsfw": "true"}).json()
    assert {c["mint"] for c in coins} == made
    assert all(c["creator"] == creator for c in coins)


def test_the_batch_answers_201_in_order_skips_unknown_mints_and_caps_at_100(sim: SimServer) -> None:
    mints = sim.mints()[:5]
    with http(sim) as client:
        response = client.post(
            "/coins-v2/mints",
            json={"mints": [*mints, UNKNOWN_MINT], "includeNsfw": True, "include_nsfw": True},
        )
        assert response.status_code == 201
        coins = response.json()
        assert [c["mint"] for c in coins] == mints
        for coin in coins:
            check_coin(coin)
        body = nest_error(client.post("/coins-v2/mints", json={"mints": [UNKNOWN_MINT] * 101}), 400)
        assert body["message"] == "mints must contain no more than 100 elements"
        nest_error(client.post("/coins-v2/mints", json={"mints": []}), 400)
        nest_error(client.post("/coins-v2/mints", content=b"not json"), 400)


def test_great_coins_are_five_coins_on_the_curve(sim: SimServer) -> None:
    with http(sim) as client:
        coins = client.get("/coins/great-coins").json()
    assert len(coins) == 5
    for coin in coins:
        check_coin(coin)
        assert coin["complete"] is False


def test_sol_price_is_usd_and_prices_every_coin(sim: SimServer) -> None:
    with http(sim) as client:
        price = client.get("/sol-price").json()
        coin = client.get(f"/coins-v3/{sim.mints()[0]}").json()
    assert set(price) == {"solPrice", "asOfTimestamp", "stale"}
    assert 20 <= price["solPrice"] <= 1000
    assert coin["usd_market_cap"] == pytest.approx(coin["market_cap"] * price["solPrice"])


def test_bookmarked_coins_need_a_session_and_a_uuid(sim: SimServer) -> None:
    mint = sim.mints()[0]
    headers = bearer(sim.token_for())
    with http(sim) as client:
        nest_error(client.get("/coins/bookmarks/default"), 401)
        assert client.get("/coins/bookmarks/default", headers=headers).json() == []
        added = client.post(
            "/bookmarks/items/add",
            headers=headers,
            json={"itemId": mint, "bookmarkIds": ["default"]},
        )
        assert added.status_code == 201
        coins = client.get(
            "/coins/bookmarks/default", headers=headers, params={"includeNsfw": "true"}
        ).json()
        assert [c["mint"] for c in coins] == [mint]
        # The real service lets Postgres reject a malformed id, and says so with a 200.
        broken = client.get("/coins/bookmarks/not-a-uuid", headers=headers)
    assert broken.status_code == 200
    body = broken.json()
    assert body["code"] == "22P02"
    assert "uuid" in body["message"]
