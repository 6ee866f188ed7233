"""Callouts, the successor of threaded replies (pumpfun-api-2026.md §3.7): a holder's call on a
coin with a thesis; others reply to it (about one post a minute per wallet) and like it (no
unlike). Expected figures come from the coin's own answers and the reference, not the model."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from pumptui.sim import MarketConfig, ServerConfig, SimServer
from pumptui.sim.market import Market
from pumptui.sim.text import HOSTILE
from tests.sim.support import bearer, check_fields, http, market_now, nest_error

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# §3.7, field by field; the last three are the simulator's own (unverified on the service).
CALLOUT_FIELDS: dict[str, tuple[type | None, ...]] = {
    "calloutId": (str,),
    "userId": (str,),
    "user_uuid": (str,),
    "coinMint": (str,),
    "marketCap": (float,),
    "calloutPrice": (float,),
    "multiple": (float,),
    "createdAt": (int,),
    "maxPriceSol": (float,),
    "thesis": (str,),
    "peakTimestamp": (int,),
    "username": (str, None),
    "profileImage": (str, None),
    "xUsername": (str, None),
    "likeCount": (int,),
    "replyCount": (int,),
    "likedByUser": (bool,),
}
REPLY_FIELDS: dict[str, tuple[type | None, ...]] = {
    "replyId": (str,),
    "createdAt": (int,),
    "mediaUrl": (str, None),
    "rootMessageId": (str,),
}


@pytest.fixture
def quiet(sim_factory: Callable[..., SimServer]) -> SimServer:
    """No callouts but the test's own."""
    return sim_factory(
        callouts_per_minute=0.0, callout_replies_per_minute=0.0, callout_likes_per_minute=0.0
    )


@pytest.fixture
def user(quiet: SimServer) -> Iterator[httpx.Client]:
    with http(quiet, headers=bearer(quiet.token_for())) as client:
        yield client


def callout_of(client: httpx.Client, mint: str, callout_id: str) -> dict:
    rows = client.get(f"/callout/top/{mint}").json()["callouts"]
    return next(r for r in rows if r["calloutId"] == callout_id)


def post(client: httpx.Client, mint: str, thesis: str = "this one runs") -> httpx.Response:
    return client.post("/callout/create", json={"coinMint": mint, "thesis": thesis, "version": 2})


def test_only_a_holder_is_eligible_and_may_post(quiet: SimServer, user: httpx.Client) -> None:
    mint = quiet.create_coin(name="Callable", symbol="CALL")
    assert user.get(f"/callout/eligibility/{mint}").json()["eligible"] is False
    refused = nest_error(post(user, mint), 403)
    assert "hold" in refused["message"]

    quiet.buy(mint, quiet.user_address, sol=0.5)

    assert user.get(f"/callout/eligibility/{mint}").json()["eligible"] is True
    made = post(user, mint)
    assert made.status_code == 201
    assert set(made.json()) == {"callout"}
    assert UUID.match(made.json()["callout"]["calloutId"])
    with http(quiet) as anonymous:
        nest_error(anonymous.get(f"/callout/eligibility/{mint}"), 401)
        nest_error(post(anonymous, mint), 401)


def test_a_callout_carries_the_call_market_cap_and_the_multiple_since(
    quiet: SimServer, user: httpx.Client
) -> None:
    mint = quiet.create_coin(name="Runner", symbol="RUN")
    quiet.buy(mint, quiet.user_address, sol=0.2)
    at_call = user.get(f"/coins-v3/{mint}").json()
    now = market_now(user)
    callout_id = post(user, mint, "RUN to the moon").json()["callout"]["calloutId"]

    first = callout_of(user, mint, callout_id)
    check_fields(first, CALLOUT_FIELDS, "callout")
    assert (first["coinMint"], first["thesis"], first["userId"]) == (
        mint,
        "RUN to the moon",
        quiet.user_address,
    )
    assert first["user_uuid"] == user.get(f"/users/{quiet.user_address}").json()["userId"]
    assert math.isclose(first["marketCap"], at_call["usd_market_cap"], rel_tol=1e-9)
    assert first["multiple"] == pytest.approx(1.0)
    assert first["createdAt"] == int(now * 1000)
    assert first["peakTimestamp"] == first["createdAt"]

    for _ in range(5):
        quiet.buy(mint, quiet.admin_address, sol=2.0)
    later = user.get(f"/coins-v3/{mint}").json()
    second = callout_of(user, mint, callout_id)
    # The multiple is the market cap now over the market cap then (both USD, same supply).
    assert second["multiple"] == pytest.approx(later["usd_market_cap"] / at_call["usd_market_cap"])
    assert second["multiple"] > 1.5
    # SOL prices are recomputed at read time: the peak here is the price now, in SOL per token.
    price_now_sol = later["market_cap"] / 1e9
    assert second["maxPriceSol"] == pytest.approx(price_now_sol, rel=1e-9)
    assert second["calloutPrice"] * sol_price(user) == pytest.approx(
        at_call["usd_market_cap"] / 1e9, rel=1e-9
    )
    assert second["marketCap"] == first["marketCap"]  # the call's figure never moves


def test_the_peak_stays_when_the_price_falls(quiet: SimServer, user: httpx.Client) -> None:
    quiet.set_rates(trades_per_second=0.0)  # only the test's own trades move the price
    mint = quiet.create_coin(name="Peaky", symbol="PEAK")
    quiet.buy(mint, quiet.user_address, sol=0.2)
    callout_id = post(user, mint).json()["callout"]["calloutId"]
    quiet.buy(mint, quiet.admin_address, sol=5.0)
    peak, sol_then = callout_of(user, mint, callout_id), sol_price(user)
    quiet.advance(30.0)  # SOL's price moves too

    def dump() -> None:
        market = quiet.market
        coin = market.coins[mint]
        for _ in range(200):
            if not coin.holders.balances.get(quiet.admin_address) or not market._sell(coin):
                break

    quiet.call(dump)
    after, sol_now = callout_of(user, mint, callout_id), sol_price(user)
    assert after["multiple"] < peak["multiple"]
    assert after["peakTimestamp"] == peak["peakTimestamp"]
    # The peak in USD is kept; in SOL it is recomputed with SOL's price now.
    assert after["maxPriceSol"] * sol_now == pytest.approx(peak["maxPriceSol"] * sol_then)


def sol_price(client: httpx.Client) -> float:
    return float(client.get("/sol-price").json()["solPrice"])


def test_one_post_a_minute_shared_by_callouts_and_replies(
    quiet: SimServer, user: httpx.Client
) -> None:
    first, second = (quiet.create_coin(name=f"Pace {n}", symbol=f"P{n}") for n in range(2))
    for mint in (first, second):
        quiet.buy(mint, quiet.user_address)
    callout_id = post(user, first).json()["callout"]["calloutId"]

    too_soon = user.post(f"/callout/{callout_id}/replies", json={"content": "and another"})
    body = nest_error(too_soon, 429)
    assert "too fast" in body["message"]
    assert 0 < int(too_soon.headers["Retry-After"]) <= 60
    assert "too fast" in nest_error(post(user, second), 429)["message"]

    quiet.advance(61.0)
    replied = user.post(f"/callout/{callout_id}/replies", json={"content": "still early"})
    assert replied.status_code == 201
    reply = replied.json()
    check_fields(reply, REPLY_FIELDS, "reply")
    assert reply["rootMessageId"] == callout_id
    assert reply["createdAt"] == int(market_now(user) * 1000)
    assert callout_of(user, first, callout_id)["replyCount"] == 1
    shown = user.get(f"/callout/{callout_id}/replies").json()["replies"]
    assert [(r["replyId"], r["content"]) for r in shown] == [(reply["replyId"], "still early")]


def test_bad_posts_are_refused(quiet: SimServer, user: httpx.Client) -> None:
    mint = quiet.create_coin(name="Strict", symbol="STR")
    quiet.buy(mint, quiet.user_address)
    nest_error(post(user, mint, "   "), 400)
    nest_error(post(user, mint, "x" * 1001), 400)
    nest_error(user.post("/callout/create", json={"coinMint": mint, "thesis": "v1"}), 400)
    nest_error(post(user, "So11111111111111111111111111111111111111112"), 404)
    callout_id = quiet.post_callout(mint, "someone's call")
    nest_error(user.post(f"/callout/{callout_id}/replies", json={}), 400)
    missing = nest_error(user.post("/callout/no-such-callout/replies", json={"content": "hi"}), 404)
    assert not missing["message"].startswith("Cannot ")


def test_a_like_counts_once_per_wallet_and_cannot_be_taken_back(
    quiet: SimServer, user: httpx.Client
) -> None:
    mint = quiet.create_coin(name="Likeable", symbol="LIKE")
    callout_id = quiet.post_callout(mint, "like this call")

    for _ in range(2):  # idempotent
        assert user.post(f"/callout/{callout_id}/like").status_code == 201

    assert callout_of(user, mint, callout_id)["likeCount"] == 1
    assert callout_of(user, mint, callout_id)["likedByUser"] is True
    with http(quiet) as anonymous:
        assert callout_of(anonymous, mint, callout_id)["likedByUser"] is False
        nest_error(anonymous.post(f"/callout/{callout_id}/like"), 401)
    unlike = user.delete(f"/callout/{callout_id}/like")
    assert unlike.json()["message"] == f"Cannot DELETE /callout/{callout_id}/like"
    nest_error(user.post("/callout/no-such-callout/like"), 404)


def test_top_is_best_multiple_first_and_empty_for_an_unknown_coin(
    quiet: SimServer, user: httpx.Client
) -> None:
    mint = quiet.create_coin(name="Ranked", symbol="RANK")
    quiet.buy(mint, quiet.admin_address, sol=0.5)
    early = quiet.post_callout(mint, "early call")
    quiet.buy(mint, quiet.admin_address, sol=3.0)
    late = quiet.post_callout(mint, "late call")
    rows = user.get(f"/callout/top/{mint}").json()["callouts"]
    assert [r["calloutId"] for r in rows] == [early, late]
    assert rows[0]["multiple"] > rows[1]["multiple"]
    unknown = "So11111111111111111111111111111111111111112"
    assert user.get(f"/callout/top/{unknown}").json() == {"callouts": []}
    nest_error(user.get("/callout/top/not-a-mint"), 400)


def test_a_users_callouts_by_uuid_or_wallet_page_by_page(
    quiet: SimServer, user: httpx.Client
) -> None:
    author = quiet.admin_address
    mints = [quiet.create_coin(name=f"Listed {n}", symbol=f"L{n}") for n in range(5)]
    made = []
    for mint in mints:
        made.append(quiet.post_callout(mint, "listed", user=author))
        quiet.advance(1.0)
    uuid = quiet.user_uuid(author)
    params = {"sortBy": "TIMESTAMP", "sortOrder": "DESC", "limit": 2}

    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = user.get(
            f"/callout/list/{uuid}", params={**params, **({"pageToken": token} if token else {})}
        ).json()
        seen += [c["calloutId"] for c in page["callouts"]]
        pages += 1
        token = page["nextPageToken"]
        if token is None:
            break
    assert seen == made[::-1]
    assert pages == 3
    by_wallet = user.get(f"/callout/list/{author}", params={**params, "limit": 50}).json()
    assert [c["calloutId"] for c in by_wallet["callouts"]] == made[::-1]
    oldest = user.get(f"/callout/list/{uuid}", params={**params, "sortOrder": "ASC"}).json()
    assert [c["calloutId"] for c in oldest["callouts"]] == made[:2]
    nest_error(user.get(f"/callout/list/{uuid}", params={"sortBy": "LIKES"}), 400)


def test_a_burst_on_the_callout_list_blocks_it_for_a_long_time(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(server=ServerConfig(callout_list_burst=(3, 5.0, 1800.0)))
    wallet = sim.admin_address
    with http(sim) as client:
        answers = [client.get(f"/callout/list/{wallet}") for _ in range(4)]
        other = client.get(f"/callout/top/{sim.mints()[0]}")
    assert [a.status_code for a in answers] == [200, 200, 429, 429]
    assert int(answers[2].headers["Retry-After"]) >= 1790
    assert other.status_code == 200  # the block is the list's, not the host's


def test_the_market_makes_callouts_replies_and_likes_of_its_own(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(warmup=900.0)
    found = sim.call(lambda: list(sim.market.callouts.callouts.values()))
    assert len(found) >= 5
    assert any(c.replies for c in found)
    assert any(c.likes for c in found)
    with http(sim) as client:
        mint = found[-1].mint
        rows = client.get(f"/callout/top/{mint}").json()["callouts"]
    for row in rows:
        check_fields(row, CALLOUT_FIELDS, "callout")


def test_callouts_leave_the_rest_of_the_seeded_market_as_it_was() -> None:
    def signatures(**rates: float) -> list[str]:
        market = Market(
            MarketConfig(seed=11, clock="manual", warmup=600.0, start_time=2e9, **rates)
        )
        return [t.signature for c in market.coins.values() for t in c.trades]

    quiet = signatures(
        callouts_per_minute=0.0, callout_replies_per_minute=0.0, callout_likes_per_minute=0.0
    )
    busy = signatures(
        callouts_per_minute=30.0, callout_replies_per_minute=30.0, callout_likes_per_minute=30.0
    )
    assert busy == quiet


def test_theses_may_be_hostile(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(hostile_share=1.0, callouts_per_minute=20.0, warmup=300.0)
    theses = sim.call(lambda: [c.thesis for c in sim.market.callouts.callouts.values()])
    assert theses
    assert all(t in HOSTILE for t in theses)
