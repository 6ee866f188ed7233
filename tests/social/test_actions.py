"""Likes, follows, bookmarks and replies against the simulator: optimistic, rolled back on
refusal, and a typed reply is never lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from pumptui.api.budget import RequestBudget
from pumptui.api.client import PumpClient, RetryPolicy
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from pumptui.sim import FaultPlan, ServerConfig, SimServer
from pumptui.social.actions import SocialActions
from pumptui.social.captcha import CaptchaProvider
from pumptui.social.drafts import DraftStatus, DraftStore
from pumptui.social.state import SocialState


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
        """A new process: fresh stores over the same files (the old ones are just dropped)."""
        drafts = DraftStore(account=self.sim.user_address, clock=self.clock)
        state = SocialState(account=self.sim.user_address, clock=self.clock)
        actions = SocialActions(self.client, state, drafts, self.actions.captcha, clock=self.clock)
        return App(self.sim, self.client, actions, self.clock)


def make_client(sim: SimServer, token: str | None) -> PumpClient:
    settings = ApiSettings(frontend_url=sim.base_url, swap_url=sim.base_url,
                           indexer_url=sim.base_url, timeout=2.0)
    return PumpClient(
        settings,
        token=Secret(token) if token else None,
        retry=RetryPolicy(max_retries=0),
        budget=RequestBudget(60_000, burst=1000),
    )


@pytest.fixture
async def app(sim: SimServer) -> AsyncIterator[App]:
    built = build_app(sim)
    yield built
    await built.client.aclose()


def build_app(
    sim: SimServer,
    *,
    logged_in: bool = True,
    captcha: CaptchaProvider | None = None,
    token: str | None = None,
) -> App:
    account = sim.user_address if logged_in else None
    client = make_client(sim, token or (sim.token_for(sim.user_address) if logged_in else None))
    clock = FakeClock()
    actions = SocialActions(
        client,
        SocialState(account=account, clock=clock),
        DraftStore(account=account, clock=clock),
        captcha if captcha is not None else CaptchaProvider(fetch=sim.captcha_token),
        clock=clock,
    )
    return App(sim, client, actions, clock)


def a_mint(sim: SimServer) -> str:
    return sim.mints()[0]


# -- likes ---------------------------------------------------------------------------------


async def test_a_like_shows_at_once_and_the_server_records_it(app: App) -> None:
    mint = a_mint(app.sim)
    reply_id = app.sim.post_reply(mint, "nice chart")
    app.sim.set_faults(FaultPlan(latency_ms=300, paths="/likes/"))

    sending = asyncio.create_task(app.actions.like(reply_id))
    while not app.state.is_liked(str(reply_id)):
        await asyncio.sleep(0)
    shown_before_answer = not sending.done()
    result = await sending

    assert shown_before_answer
    assert result.ok, result.message
    replies = (await app.client.replies(mint, limit=200)).items
    liked = next(r for r in replies if r.id == reply_id)
    assert liked.liked_by_user
    assert liked.total_likes == 1


async def test_toggling_a_like_twice_unlikes_on_the_server_too(app: App) -> None:
    mint = a_mint(app.sim)
    reply_id = app.sim.post_reply(mint, "gm")

    first = await app.actions.toggle_like(reply_id)
    second = await app.actions.toggle_like(reply_id)

    assert first.ok
    assert second.ok
    assert second.change is not None
    assert second.change.label == "unlike"
    assert not app.state.is_liked(str(reply_id))
    replies = (await app.client.replies(mint, limit=200)).items
    assert next(r for r in replies if r.id == reply_id).total_likes == 0


async def test_a_refused_like_is_rolled_back_with_a_message(app: App) -> None:
    result = await app.actions.like(999_999_999)  # no such reply

    assert not result.ok
    assert result.rolled_back
    assert "like failed" in result.message
    assert "not found" in result.message
    assert not app.state.is_liked("999999999")


async def test_a_server_error_rolls_back_too(app: App) -> None:
    app.sim.set_faults(FaultPlan(error_rate=1.0, paths="/likes/"))

    result = await app.actions.like(a_mint(app.sim))

    assert not result.ok
    assert result.rolled_back
    assert app.state.liked() == set()


async def test_an_expired_or_rejected_token_asks_for_a_login_instead_of_failing(
    sim: SimServer,
) -> None:
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    app = build_app(sim, token=f"{header}.{payload}.forgedforgedforgedforgedforgedforgedforged")
    try:
        result = await app.actions.like(a_mint(sim))
    finally:
        await app.client.aclose()

    assert result.needs_login
    assert result.rolled_back
    assert app.state.liked() == set()


async def test_logged_out_actions_explain_how_to_log_in_and_send_nothing(sim: SimServer) -> None:
    app = build_app(sim, logged_in=False)
    try:
        like = await app.actions.like(a_mint(sim))
        follow = await app.actions.follow(sim.admin_address)
        reply = await app.actions.post_reply(a_mint(sim), "hello?")
    finally:
        await app.client.aclose()

    for result in (like, follow, reply):
        assert not result.ok
        assert result.needs_login
        assert "log in" in result.message.lower()
    assert app.client.stats.requests == 0
    assert reply.draft is not None  # ...and the typed reply is kept for after the login
    assert reply.draft.text == "hello?"


# -- follows -----------------------------------------------------------------------------------


async def test_following_fetches_a_captcha_and_the_server_lists_the_follower(app: App) -> None:
    result = await app.actions.follow(app.sim.admin_address)

    assert result.ok, result.message
    assert app.state.is_following(app.sim.admin_address)
    followers = await app.client.followers(app.sim.admin_address)
    assert app.sim.user_address in [user.address for user in followers]


async def test_without_a_captcha_source_a_follow_asks_for_one_and_changes_nothing(
    sim: SimServer,
) -> None:
    app = build_app(sim, captcha=CaptchaProvider())
    try:
        asked = await app.actions.follow(sim.admin_address)
        given = await app.actions.follow(sim.admin_address, captcha_token=sim.captcha_token())
    finally:
        await app.client.aclose()

    assert asked.needs_captcha
    assert not asked.ok
    assert given.ok, given.message
    assert app.state.is_following(sim.admin_address)


async def test_a_refused_captcha_rolls_the_follow_back_and_asks_again(app: App) -> None:
    result = await app.actions.follow(app.sim.admin_address, captcha_token="not-a-real-captcha")

    assert not result.ok
    assert result.rolled_back
    assert result.needs_captcha
    assert not app.state.is_following(app.sim.admin_address)


async def test_unfollowing_needs_no_captcha(app: App) -> None:
    await app.actions.follow(app.sim.admin_address)

    result = await app.actions.toggle_follow(app.sim.admin_address)

    assert result.ok
    assert not app.state.is_following(app.sim.admin_address)
    followers = await app.client.followers(app.sim.admin_address)
    assert app.sim.user_address not in [user.address for user in followers]


# -- bookmarks -----------------------------------------------------------------------------------


async def test_bookmarks_are_sent_and_the_cache_matches_the_server_after_a_refresh(
    app: App,
) -> None:
    first, second = app.sim.mints()[:2]
    await app.actions.bookmark(first)
    await app.actions.toggle_bookmark(second)
    await app.actions.toggle_bookmark(first)  # removed again

    refreshed = await app.actions.refresh_bookmarks()

    assert refreshed.ok
    server_lists = await app.client.bookmarks()
    assert app.state.bookmark_lists() == server_lists
    assert app.state.lists_containing(second) == {server_lists[0].id}
    assert not app.state.is_bookmarked(first)


# -- replies: never lost ---------------------------------------------------------------------


async def test_a_confirmed_reply_removes_its_draft(app: App) -> None:
    mint = a_mint(app.sim)
    for end in range(1, 12):
        app.actions.save_draft(mint, "first post!"[:end])

    result = await app.actions.post_reply(mint)

    assert result.ok, result.message
    assert result.reply is not None
    assert result.reply.text == "first post!"
    assert app.drafts.load(mint) is None
    thread = (await app.client.replies(mint, limit=200)).items
    assert "first post!" in [reply.text for reply in thread]


async def test_a_reply_refused_as_too_fast_survives_a_restart_and_is_sent_later(app: App) -> None:
    first, second = app.sim.mints()[:2]
    assert (await app.actions.post_reply(first, "one")).ok

    refused = await app.actions.post_reply(second, "two, too soon")

    assert not refused.ok
    assert refused.draft is not None
    assert refused.draft.status is DraftStatus.FAILED
    assert refused.draft.reason == "replying too fast"
    assert refused.retry_at == app.clock.now + 60
    assert "retry in 60 s" in refused.message

    restarted = app.restart()
    kept = restarted.drafts.load(second)
    assert kept is not None
    assert kept.text == "two, too soon"
    assert kept.retry_in(app.clock.now + 20) == 40
    early = await restarted.actions.post_reply(second)
    assert not early.ok
    assert "retry in" in early.message

    app.sim.advance(61)
    app.clock.now += 61
    sent = await restarted.actions.post_reply(second)

    assert sent.ok, sent.message
    assert restarted.drafts.load(second) is None
    thread = (await app.client.replies(second, limit=200)).items
    assert "two, too soon" in [reply.text for reply in thread]


async def test_a_reply_that_cannot_reach_the_server_is_kept_with_a_retry_countdown(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory()
    app = build_app(sim)
    mint = a_mint(sim)
    sim.stop()
    try:
        result = await app.actions.post_reply(mint, "is this thing on?")
    finally:
        await app.client.aclose()

    assert not result.ok
    assert result.retry_at is not None
    assert result.retry_at > app.clock.now
    kept = app.restart().drafts.load(mint)
    assert kept is not None
    assert kept.text == "is this thing on?"
    assert kept.status is DraftStatus.FAILED
    assert kept.reason is not None
    assert "not sent" in kept.reason


async def test_a_server_that_wants_a_captcha_for_replies_gets_one(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, reply_captcha=True))
    with_source = build_app(sim)
    mint = a_mint(sim)
    try:
        posted = await with_source.actions.post_reply(mint, "captcha'd")
    finally:
        await with_source.client.aclose()

    assert posted.ok, posted.message
    async with make_client(sim, None) as reader:
        thread = [r.text for r in (await reader.replies(mint, limit=200)).items]
    assert "captcha'd" in thread


async def test_without_a_captcha_source_a_reply_that_needs_one_stays_a_draft(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, reply_captcha=True))
    app = build_app(sim, captcha=CaptchaProvider())
    mint = a_mint(sim)
    try:
        asked = await app.actions.post_reply(mint, "let me in")
        given = await app.actions.post_reply(mint, captcha_token=sim.captcha_token())
    finally:
        await app.client.aclose()

    assert asked.needs_captcha
    assert asked.draft is not None
    assert asked.draft.text == "let me in"
    assert given.ok, given.message
    assert app.drafts.load(mint) is None
