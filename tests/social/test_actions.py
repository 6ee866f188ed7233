"""Likes, follows, bookmarks and posts against the simulator: shown at once (the cache holds the
intent before the server answers), sent in order per target, undone on refusal, and a typed post
is never lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from pumptui.api.budget import RequestBudget
from pumptui.api.client import PumpClient, RetryPolicy
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from pumptui.session import Session
from pumptui.sim import FaultPlan, SimServer
from pumptui.social.actions import SocialActions, callout_key
from pumptui.social.drafts import DraftStore
from pumptui.social.state import Bookmark, Follow, Like, SocialState


class FakeClock:
    def __init__(self, now: float = 2_000_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class App:
    """What the TUI holds: a client, the cache, the drafts, and the actions joining them."""

    sim: SimServer
    client: PumpClient
    actions: SocialActions
    clock: FakeClock

    @property
    def state(self) -> SocialState:
        return self.actions.state

    @property
    def drafts(self) -> DraftStore:
        return self.actions.drafts

    def restart(self) -> App:
        """A new process: a new client and fresh stores over the same files (the old ones are
        just dropped). The caller closes the new client."""
        client = make_client(
            self.sim, self.sim.token_for(self.sim.user_address), self.sim.user_address
        )
        actions = SocialActions(
            client, SocialState(clock=self.clock), DraftStore(clock=self.clock), clock=self.clock
        )
        return App(self.sim, client, actions, self.clock)


def make_client(sim: SimServer, token: str | None, account: str | None = None) -> PumpClient:
    settings = ApiSettings(
        frontend_url=sim.base_url, swap_url=sim.base_url, indexer_url=sim.base_url, timeout=2.0
    )
    return PumpClient(
        settings,
        session=Session(Secret(token), account) if token else Session(),
        retry=RetryPolicy(max_retries=0),
        budget=RequestBudget(60_000, burst=1000),
    )


@pytest.fixture
async def app(sim: SimServer) -> AsyncIterator[App]:
    built = build_app(sim)
    yield built
    await built.client.aclose()


def build_app(sim: SimServer, *, logged_in: bool = True, token: str | None = None) -> App:
    account = sim.user_address if logged_in else None
    client = make_client(
        sim, token or (sim.token_for(sim.user_address) if logged_in else None), account
    )
    clock = FakeClock()
    actions = SocialActions(
        client,
        SocialState(clock=clock),
        DraftStore(clock=clock),
        clock=clock,
    )
    return App(sim, client, actions, clock)


def a_mint(sim: SimServer) -> str:
    return sim.mints()[0]


def a_callout(sim: SimServer, thesis: str = "cto incoming, chart is a cup") -> tuple[str, str]:
    """(mint, callout id) of a callout by someone else on the simulator."""
    mint = a_mint(sim)
    return mint, sim.post_callout(mint, thesis, user=sim.admin_address)


async def server_callout(app: App, mint: str, callout_id: str) -> Any:
    page = await app.client.callouts(mint)
    return next(c for c in page.items if c.id == callout_id)


# -- the session -------------------------------------------------------------------------------


async def test_the_cache_and_the_drafts_follow_the_session(app: App) -> None:
    assert app.state.account == app.sim.user_address
    assert app.drafts.account == app.sim.user_address

    app.client.session.log_out()

    assert app.state.account is None
    assert app.drafts.account == ""


# -- likes (callouts) ----------------------------------------------------------------------------


async def test_a_like_shows_at_once_and_the_server_records_it(app: App) -> None:
    mint, callout_id = a_callout(app.sim)
    app.sim.set_faults(FaultPlan(latency_ms=300, paths="/like"))

    intent = app.actions.intend(Like(callout_key(callout_id)), "$X callout")
    shown_before_answer = app.state.is_liked(callout_key(callout_id))
    result = await app.actions.send(intent)

    assert shown_before_answer
    assert result.ok, result.message
    assert result.message == "Liked $X callout"
    app.sim.clear_faults()
    liked = await server_callout(app, mint, callout_id)
    assert liked.likes == 1


async def test_changes_to_one_target_reach_the_server_in_the_order_they_were_made(
    app: App,
) -> None:
    first, second = app.sim.mints()[:2]
    app.sim.set_faults(FaultPlan(latency_ms=200, paths="/bookmarks/items"))

    on = app.actions.intend(Bookmark(first))
    off = app.actions.intend(Bookmark(first, on=False))
    other = app.actions.intend(Bookmark(second))
    results = await asyncio.gather(
        app.actions.send(off), app.actions.send(on), app.actions.send(other)
    )

    assert all(r.ok for r in results), [r.message for r in results]
    app.sim.clear_faults()
    lists = await app.client.bookmarks()
    assert first not in lists[0].mints  # added, then removed: in that order
    assert second in lists[0].mints


async def test_a_coin_cannot_be_liked_any_more_and_nothing_is_sent(app: App) -> None:
    before = app.client.stats.requests

    result = await app.actions.act(Like(a_mint(app.sim)))

    assert not result.ok
    assert result.unavailable
    assert "callout" in result.message
    assert app.state.liked() == set()
    assert app.client.stats.requests == before


async def test_a_refused_like_is_rolled_back_with_a_message(app: App) -> None:
    result = await app.actions.act(Like(callout_key("no-such-callout")), "that callout")

    assert not result.ok
    assert result.rolled_back
    assert result.message.startswith("like that callout failed")
    assert app.state.liked() == set()


async def test_a_server_error_rolls_back_too(app: App) -> None:
    _, callout_id = a_callout(app.sim)
    app.sim.set_faults(FaultPlan(error_rate=1.0, paths="/like"))

    result = await app.actions.act(Like(callout_key(callout_id)))

    assert not result.ok
    assert result.rolled_back
    assert app.state.liked() == set()


async def test_an_expired_or_rejected_token_asks_for_a_login_instead_of_failing(
    sim: SimServer,
) -> None:
    _, callout_id = a_callout(sim)
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    app = build_app(sim, token=f"{header}.{payload}.forgedforgedforgedforgedforgedforgedforged")
    try:
        result = await app.actions.act(Like(callout_key(callout_id)))
    finally:
        await app.client.aclose()

    assert result.needs_login
    assert result.rolled_back
    assert app.state.liked() == set()


async def test_logged_out_actions_explain_how_to_log_in_and_send_nothing(sim: SimServer) -> None:
    _, callout_id = a_callout(sim)
    app = build_app(sim, logged_in=False)
    try:
        like = await app.actions.act(Like(callout_key(callout_id)))
        follow = await app.actions.act(Follow(sim.admin_address))
        post = await app.actions.post_callout(a_mint(sim), "hello?")
    finally:
        await app.client.aclose()

    for result in (like, follow, post):
        assert not result.ok
        assert result.needs_login
        assert "log in" in result.message.lower()
    assert app.client.stats.requests == 0
    assert post.draft is not None  # ...and the typed callout is kept for after the login
    assert post.draft.text == "hello?"


# -- follows (by UUID) -------------------------------------------------------------------------


async def test_following_looks_the_uuid_up_once_and_the_server_lists_the_follower(
    app: App,
) -> None:
    creator = app.sim.call(lambda: app.sim.market.coins[a_mint(app.sim)].creator)

    followed = await app.actions.act(Follow(creator))
    unfollowed = await app.actions.act(Follow(creator, on=False))
    before = app.client.stats.requests
    again = await app.actions.act(Follow(creator))
    cost = app.client.stats.requests - before

    for result in (followed, unfollowed, again):
        assert result.ok, result.message
    assert cost == 1  # the follow itself: the UUID came from the cache
    assert app.state.is_following(creator)
    cached = app.state.user(creator)
    assert cached is not None
    assert cached.user_id == app.sim.user_uuid(creator)
    followers = await app.client.followers(app.sim.user_uuid(creator))
    assert app.sim.user_address in [user.address for user in followers]


async def test_a_follow_of_a_wallet_the_service_does_not_know_is_undone(app: App) -> None:
    unknown = "9" * 44

    result = await app.actions.act(Follow(unknown))

    assert not result.ok
    assert result.rolled_back
    assert not app.state.is_following(unknown)


# -- bookmarks -----------------------------------------------------------------------------------


async def test_bookmarks_are_sent_and_the_cache_matches_the_server_after_a_refresh(
    app: App,
) -> None:
    first, second = app.sim.mints()[:2]
    await app.actions.act(Bookmark(first))
    await app.actions.act(Bookmark(second))
    await app.actions.act(Bookmark(first, on=False))

    refreshed = await app.actions.refresh_bookmarks()

    assert refreshed.ok
    server_lists = await app.client.bookmarks()
    assert app.state.bookmark_lists() == server_lists
    assert app.state.lists_containing(second) == {server_lists[0].id}
    assert not app.state.is_bookmarked(first)


async def test_bookmarks_on_a_service_without_them_are_not_available_and_undone(
    app: App,
) -> None:
    app.sim.set_feature("bookmarks", False)

    result = await app.actions.act(Bookmark(a_mint(app.sim)))

    assert not result.ok
    assert result.unavailable
    assert "not available" in result.message
    assert not app.state.is_bookmarked(a_mint(app.sim))


# -- posts: never lost ---------------------------------------------------------------------------


async def test_a_confirmed_callout_removes_its_draft_and_shows_on_the_coin(app: App) -> None:
    mint = a_mint(app.sim)
    app.sim.buy(mint)  # the wallet must hold the coin

    app.actions.save_draft(f"callout:{mint}", "[bold]dev[/] is based")
    result = await app.actions.post_callout(mint)

    assert result.ok, result.message
    assert app.drafts.load(f"callout:{mint}") is None
    page = await app.client.callouts(mint)
    assert "[bold]dev[/] is based" in [c.thesis for c in page.items]


async def test_a_second_post_within_the_minute_is_kept_with_a_countdown(app: App) -> None:
    mint, callout_id = a_callout(app.sim)
    app.sim.buy(mint)

    first = await app.actions.post_callout(mint, "first call")
    second = await app.actions.reply_to_callout(callout_id, "and a reply right after")

    assert first.ok, first.message
    assert not second.ok
    assert second.draft is not None
    assert second.draft.text == "and a reply right after"
    assert 0 < app.actions.post_wait() <= 60
    assert "next in" in second.message


async def test_a_post_refused_as_too_fast_survives_a_restart_and_is_sent_later(
    app: App,
) -> None:
    mint, callout_id = a_callout(app.sim)
    app.sim.buy(mint)
    # Another pumptui (or the web site) posted a moment ago: the server refuses this one.
    other = build_app(app.sim)
    try:
        assert (await other.actions.post_callout(mint, "from elsewhere")).ok
    finally:
        await other.client.aclose()

    refused = await app.actions.reply_to_callout(callout_id, "typed, then refused")

    assert not refused.ok
    assert refused.retry_at is not None
    restarted = app.restart()
    kept = restarted.drafts.load(f"reply:{callout_id}")
    assert kept is not None
    assert kept.text == "typed, then refused"
    assert kept.reason is not None
    assert "too fast" in kept.reason
    app.sim.advance(61)
    restarted.clock.now += 61
    try:
        sent = await restarted.actions.reply_to_callout(callout_id)
    finally:
        await restarted.client.aclose()
    assert sent.ok, sent.message
    assert restarted.drafts.load(f"reply:{callout_id}") is None


async def test_a_post_that_cannot_reach_the_server_is_kept_with_a_retry_countdown(
    app: App,
) -> None:
    _, callout_id = a_callout(app.sim)
    app.sim.set_faults(FaultPlan(error_rate=1.0, paths="/callout/"))

    result = await app.actions.reply_to_callout(callout_id, "will this get through?")

    assert not result.ok
    assert result.retry_at is not None
    assert result.draft is not None
    assert result.draft.text == "will this get through?"


async def test_a_callout_by_a_wallet_that_does_not_hold_the_coin_is_refused_and_kept(
    app: App,
) -> None:
    mint = app.sim.mints()[-1]

    result = await app.actions.post_callout(mint, "never held it")

    assert not result.ok
    assert result.draft is not None
    assert "refused" in result.message
