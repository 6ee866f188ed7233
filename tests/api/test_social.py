"""The client on today's social routes (pumpfun-api-2026.md §3.7): callouts, users by UUID,
follows, and features a service may have dropped. Against the simulator over loopback, and
against a scripted server where the simulator cannot give the answer (a route with no handler,
a refusal without Retry-After). Expected figures come from the reference and the coin's own
answers."""

from __future__ import annotations

import asyncio
import math
import re

import pytest

from pumptui.api import (
    AuthRequired,
    Callout,
    CalloutEligibility,
    NotAvailable,
    NotEligible,
    NotFound,
    PostingTooFast,
    PumpClient,
    UserProfile,
)
from pumptui.api.budget import HostBudgets
from pumptui.api.models import ModelError
from pumptui.api.routes import Host
from pumptui.secret import Secret
from pumptui.sim import SimServer
from tests.api.canned import CannedServer, canned, cannot, json_answer
from tests.api.conftest import RecordingTransport, make_client
from tests.api.test_client_2026 import make

__all__ = ["canned"]

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"
WALLET = "ZxBLWLScgJ8ioJb37NHrNbnfrYwzr7pjBuxAWXRn62w"
USER_UUID = "fb69e03e-424f-5c4a-9e55-38f19687ba43"
# A callout as §3.7 lists its fields (values made up, units as the reference gives them).
CALLOUT = {
    "calloutId": "3e5aef8c-d44b-453a-b7d8-a9eb9d9941e7",
    "userId": WALLET,
    "user_uuid": USER_UUID,
    "coinMint": MINT,
    "marketCap": 5681.65,
    "calloutPrice": 3.4e-08,
    "multiple": 2.5,
    "createdAt": 1_790_000_000_000,
    "maxPriceSol": 1.02e-07,
    "thesis": "\x1b[2Jgm [bold]ser[/bold]\u202e",
    "peakTimestamp": 1_790_000_060_000,
    "username": "anon",
    "profileImage": None,
    "xUsername": "anon_x",
}


def logged_in(sim: SimServer) -> PumpClient:
    return make_client(sim, token=Secret(sim.token_for()))


# -- models, from the reference's fields ----------------------------------------------------------


def test_a_callout_in_the_apps_units_with_its_thesis_made_safe() -> None:
    callout = Callout.from_api(CALLOUT)

    assert callout.id == CALLOUT["calloutId"]
    assert callout.mint == MINT
    assert callout.market_cap_usd == 5681.65  # USD when called
    assert callout.multiple == 2.5
    assert callout.created_at == 1_790_000_000.0  # ms → Unix seconds
    assert callout.peak_at == 1_790_000_060.0
    assert (callout.author_wallet, callout.author_uuid, callout.username) == (
        WALLET,
        USER_UUID,
        "anon",
    )
    assert callout.thesis == "gm [bold]ser[/bold]"  # escapes gone, markup kept as text
    assert math.isclose(callout.peak_multiple or 0, 1.02e-07 / 3.4e-08)
    assert (callout.likes, callout.replies, callout.liked_by_user) == (None, None, None)


def test_a_callout_reads_the_author_by_the_form_of_each_id() -> None:
    """Which of userId and user_uuid holds the wallet is unverified: each is read by its form."""
    swapped = Callout.from_api({**CALLOUT, "userId": USER_UUID, "user_uuid": WALLET})
    numeric = Callout.from_api({**CALLOUT, "userId": "12345", "user_uuid": None})

    assert (swapped.author_wallet, swapped.author_uuid) == (WALLET, USER_UUID)
    assert (numeric.author_wallet, numeric.author_uuid) == (None, None)


@pytest.mark.parametrize(
    "broken",
    [
        {"calloutId": None},
        {"coinMint": None},
        {"marketCap": "NaN"},
        {"multiple": -1},
        {"calloutId": "a/b"},
    ],
)
def test_a_callout_that_cannot_be_trusted_is_refused(broken: dict) -> None:
    with pytest.raises(ModelError):
        Callout.from_api({**CALLOUT, **broken})


def test_a_profile_needs_its_uuid() -> None:
    profile = UserProfile.from_api(
        {
            "userId": USER_UUID.upper(),
            "address": WALLET,
            "username": "x\x1b[31m",
            "followers": 3,
            "following": 0,
        }
    )

    assert (profile.uuid, profile.wallet, profile.username) == (USER_UUID, WALLET, "x")
    assert (profile.followers, profile.following) == (3, 0)
    with pytest.raises(ModelError):
        UserProfile.from_api({"address": WALLET})


@pytest.mark.parametrize(
    ("payload", "eligible"),
    [
        ({"eligible": True, "reason": None}, True),
        ({"isEligible": False, "message": "hold it"}, False),
        (True, True),
    ],
)
def test_eligibility_in_the_shapes_it_may_take(payload: object, eligible: bool) -> None:
    assert CalloutEligibility.from_api(payload).eligible is eligible


# -- against the simulator ---------------------------------------------------------------------


async def test_a_wallet_becomes_a_uuid_once(sim: SimServer) -> None:
    mint = sim.mints()[0]
    spy = RecordingTransport()
    async with make_client(sim, transport=spy) as client:
        coin = await client.coin(mint)
        creator = coin.creator if coin else None
        assert creator is not None
        profile = await client.user(creator)
        again = await client.user_uuid(creator)
        batch = await client.users([creator, "So11111111111111111111111111111111111111112"])

    assert UUID.match(profile.uuid)
    assert profile.wallet == creator
    assert again == profile.uuid
    assert [p.uuid for p in batch] == [profile.uuid]
    assert [r.url.path for r in spy.requests].count(f"/users/{creator}") == 1


async def test_an_unknown_wallet_is_not_found_not_unavailable(client: PumpClient) -> None:
    with pytest.raises(NotFound) as caught:
        await client.user("So11111111111111111111111111111111111111112")
    assert not isinstance(caught.value, NotAvailable)


async def test_follow_and_unfollow_by_uuid_show_in_counts_and_lists(sim: SimServer) -> None:
    mint = sim.mints()[0]
    async with logged_in(sim) as client:
        coin = await client.coin(mint)
        creator = coin.creator if coin else None
        assert creator is not None
        target = await client.user_uuid(creator)
        before = await client.follow_counts(target)
        await client.follow_uuid(target)
        after = await client.follow_counts(target)
        me = await client.user_uuid(sim.user_address)
        mine = await client.following(me)
        followers = await client.followers(target)
        await client.unfollow_uuid(target)
        undone = await client.follow_counts(target)

    assert after.followers == before.followers + 1
    assert [p.uuid for p in mine] == [target]
    assert sim.user_address in [u.address for u in followers]
    assert undone == before


async def test_callouts_of_a_coin_with_the_market_cap_when_called(sim: SimServer) -> None:
    mint = sim.create_coin(name="Called", symbol="CALD")
    sim.buy(mint, sim.user_address, sol=0.3)
    async with logged_in(sim) as client:
        at_call = await client.coin(mint)
        eligible = await client.callout_eligibility(mint)
        callout_id = await client.create_callout(mint, "CALD \x1b[31mto the moon")
        sim.buy(mint, sim.admin_address, sol=3.0)
        now = await client.coin(mint)
        page = await client.callouts(mint)

    assert eligible.eligible is True
    assert at_call is not None
    assert now is not None
    mine = next(c for c in page.items if c.id == callout_id)
    assert mine.thesis == "CALD to the moon"
    assert mine.author_wallet == sim.user_address
    assert mine.market_cap_usd == pytest.approx(at_call.market_cap_usd)
    assert mine.multiple == pytest.approx(now.market_cap_sol / at_call.market_cap_sol)
    assert mine.likes == 0  # the simulator sends the counts


async def test_a_holder_only_posts_and_about_once_a_minute(sim: SimServer) -> None:
    mint = sim.create_coin(name="Gated", symbol="GATE")
    spy = RecordingTransport()
    async with make_client(sim, token=Secret(sim.token_for()), transport=spy) as client:
        assert (await client.callout_eligibility(mint)).eligible is False
        with pytest.raises(NotEligible):
            await client.create_callout(mint, "not holding")
        sim.buy(mint, sim.user_address)
        callout_id = await client.create_callout(mint, "holding now")
        with pytest.raises(PostingTooFast) as too_fast:
            await client.reply_to_callout(callout_id, "a reply too soon")
        with pytest.raises(PostingTooFast) as still:
            await client.create_callout(mint, "and again")
        # The wait is the wallet's posts': reads go on at once, even on one shared bucket.
        page = await asyncio.wait_for(client.callouts(mint), timeout=10)

    assert 0 < (too_fast.value.retry_after or 0) <= 60
    assert (still.value.retry_after or 0) <= (too_fast.value.retry_after or 0)
    # The last one was refused at once while the wait ran: nothing typed is sent in vain.
    assert [c.id for c in page.items] == [callout_id]
    posts = [r.url.path for r in spy.requests if r.method == "POST"]
    assert posts == ["/callout/create", "/callout/create", f"/callout/{callout_id}/replies"]


async def test_replies_and_likes_of_a_callout(sim: SimServer) -> None:
    mint = sim.create_coin(name="Chatty", symbol="CHAT")
    callout_id = sim.post_callout(mint, "someone's call")
    async with logged_in(sim) as client:
        reply = await client.reply_to_callout(callout_id, "good call [b]ser[/b]")
        await client.like_callout(callout_id)
        await client.like_callout(callout_id)
        shown = await client.callout_replies(callout_id)
        page = await client.callouts(mint)

    assert reply.callout_id == callout_id
    assert reply.content == "good call [b]ser[/b]"
    assert [r.id for r in shown] == [reply.id]
    liked = next(c for c in page.items if c.id == callout_id)
    assert (liked.likes, liked.replies, liked.liked_by_user) == (1, 1, True)


async def test_a_users_callouts_page_by_page(sim: SimServer) -> None:
    made = []
    for n in range(3):
        made.append(
            sim.post_callout(
                sim.create_coin(name=f"P{n}", symbol=f"P{n}"), "listed", user=sim.admin_address
            )
        )
        sim.advance(1.0)
    async with make_client(sim) as client:
        uuid = await client.user_uuid(sim.admin_address)
        first = await client.user_callouts(uuid, limit=2)
        rest = await client.user_callouts(uuid, limit=2, page_token=first.next_page_token)

    assert [c.id for c in first.items + rest.items] == made[::-1]
    assert first.next_page_token is not None
    assert rest.next_page_token is None


async def test_posting_needs_a_login(sim: SimServer, client: PumpClient) -> None:
    with pytest.raises(AuthRequired):
        await client.create_callout(sim.mints()[0], "anon")


async def test_bookmarks_gone_are_not_available_and_not_asked_again(sim: SimServer) -> None:
    sim.set_feature("bookmarks", False)
    spy = RecordingTransport()
    async with make_client(sim, token=Secret(sim.token_for()), transport=spy) as client:
        with pytest.raises(NotAvailable) as caught:
            await client.bookmarks()
        with pytest.raises(NotAvailable):
            await client.add_bookmark_item(sim.mints()[0], ["default"])
        coins = await client.coins(limit=1)

    assert caught.value.feature == "bookmarks"
    assert client.unavailable_features == {"bookmarks"}
    assert [r.url.path for r in spy.requests] == ["/bookmarks", "/coins"]
    assert coins.items


# -- against a scripted server -----------------------------------------------------------------


def scripted(
    server: CannedServer, *, budgets: HostBudgets | None = None, max_retries: int = 0
) -> PumpClient:
    return make(server, budgets=budgets, max_retries=max_retries)


async def test_callouts_not_served_are_not_available(canned: CannedServer) -> None:
    path = f"/callout/top/{MINT}"
    canned.answer("GET", path, cannot("GET", path))
    async with scripted(canned) as client:
        for _ in range(2):
            with pytest.raises(NotAvailable) as caught:
                await client.callouts(MINT)

    assert caught.value.feature == "callouts"
    assert canned.count("GET", path) == 1


async def test_too_fast_without_retry_after_waits_a_minute(canned: CannedServer) -> None:
    canned.answer(
        "POST",
        "/callout/create",
        json_answer(
            {
                "statusCode": 429,
                "message": "You're replying too fast",
                "error": "Too Many Requests",
            },
            429,
        ),
    )
    async with scripted(canned, max_retries=3) as client:
        client.set_token(Secret("t"))
        with pytest.raises(PostingTooFast) as caught:
            await client.create_callout(MINT, "one")

    assert caught.value.retry_after == 60
    assert canned.count("POST", "/callout/create") == 1  # never retried


async def test_a_page_of_callouts_skips_a_bad_record(canned: CannedServer) -> None:
    canned.answer(
        "GET",
        f"/callout/top/{MINT}",
        json_answer({"callouts": [CALLOUT, {**CALLOUT, "calloutId": None}]}),
    )
    async with scripted(canned) as client:
        page = await client.callouts(MINT)

    assert [c.id for c in page.items] == [CALLOUT["calloutId"]]
    assert page.skipped == 1


async def test_the_social_groups_get_their_own_smaller_buckets(canned: CannedServer) -> None:
    budgets = HostBudgets(frontend_per_minute=24, swap_per_minute=15, indexer_per_minute=6, burst=3)
    async with scripted(canned, budgets=budgets) as client:
        users = client.budget_for(Host.FRONTEND, "users")
        top = client.budget_for(Host.FRONTEND, "callout-top")
        counts = client.budget_for(Host.FRONTEND, "follow-counts")
        listing = client.budget_for(Host.FRONTEND, "callout-list")
        coins = client.budget_for(Host.FRONTEND, "coins")

    # §2: half of 30 for /users*; 50 → 25, but never above the v3 default (24).
    assert (
        users.requests_per_minute,
        top.requests_per_minute,
        counts.requests_per_minute,
        coins.requests_per_minute,
    ) == (15, 24, 24, 24)
    # /callout/list: one request per 3 s, never two at once.
    assert (listing.requests_per_minute, listing.burst) == (20, 1)
