"""Likes, follows and bookmarks from the keyboard, end to end against the simulator.

What a user relies on: the key shows its effect at once, the server really records it, a refusal
(4xx, 429, a dropped connection) is undone with a toast that says why, a rejected token leads to
the login screen and the action goes through once logged in, and a follow gets its captcha.
"""

from __future__ import annotations

import pytest

from pumptui.sim import FaultPlan, SimServer
from pumptui.social.captcha import CaptchaProvider
from pumptui.tui.screens.bookmark_picker import BookmarkPicker
from pumptui.tui.screens.bookmarks import BookmarksScreen
from pumptui.tui.screens.captcha import CaptchaScreen
from pumptui.tui.screens.login import LoginScreen
from pumptui.tui.social import SocialTarget
from pumptui.tui.widgets.coin_table import CoinTable
from tests.tui.conftest import screen_text
from tests.tui.social_support import (
    SIZE,
    coin_target,
    open_target,
    record_toasts,
    settle,
    social_app,
    user_app,
)


def likes_of(sim: SimServer, address: str) -> set[str]:
    return sim.call(lambda: {target for who, target in sim.market.likes if who == address})


def followers_of(sim: SimServer, address: str) -> set[str]:
    return sim.call(lambda: {who for who, followed in sim.market.follows.items()
                             if address in followed})


# -- likes ----------------------------------------------------------------------------------------


async def test_l_shows_the_like_at_once_and_the_server_records_it(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        sim.set_faults(FaultPlan(latency_ms=400, paths="^/likes/"))

        await pilot.press("l")

        assert social.is_liked(target.mint), "shown before the server answered"
        assert target.mint not in likes_of(sim, sim.user_address)
        await settle(pilot)
        assert social.is_liked(target.mint)
        assert likes_of(sim, sim.user_address) == {target.mint}

        sim.clear_faults()
        await pilot.press("l")
        await settle(pilot)
        assert not social.is_liked(target.mint)
        assert likes_of(sim, sim.user_address) == set()


async def test_like_then_unlike_in_quick_succession_reach_the_server_in_order(
    sim: SimServer,
) -> None:
    mint = sim.mints()[0]
    reply_id = sim.post_reply(mint, "wagmi")
    target = SocialTarget(mint, reply_id, None, "reply")
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        sim.set_faults(FaultPlan(latency_ms=200, paths="^/likes/"))

        await pilot.press("l", "l", "l")
        await settle(pilot)

        assert social.is_liked(str(reply_id))
        assert likes_of(sim, sim.user_address) == {str(reply_id)}


async def test_a_refused_like_is_undone_with_a_toast_saying_why(sim: SimServer) -> None:
    target = SocialTarget(sim.mints()[0], 987_654_321, None, "a deleted reply")
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("l")
        await settle(pilot)

        assert not social.is_liked("987654321")
        assert any("like failed" in t and "not found" in t and "undone" in t for t in toasts)


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (FaultPlan(rate_limit_rate=1.0, retry_after=1, paths="^/likes/"), "too many requests"),
        (FaultPlan(drop_rate=1.0, paths="^/likes/"), "connection dropped"),
        (FaultPlan(error_rate=1.0, paths="^/likes/"), "server error"),
    ],
    ids=["429", "network failure", "5xx"],
)
async def test_a_like_the_server_could_not_take_is_rolled_back(
    sim: SimServer, faults: FaultPlan, expected: str
) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        sim.set_faults(faults)

        await pilot.press("l")
        await settle(pilot)

        assert not social.is_liked(target.mint)
        assert any(expected in t for t in toasts), toasts


async def test_a_rejected_token_opens_the_login_screen_and_the_like_goes_through_after(
    sim: SimServer,
) -> None:
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    forged = f"{header}.{payload}.forgedforgedforgedforgedforgedforged"
    target = coin_target(sim)
    app, social = social_app(sim, token=forged, account=sim.user_address)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("l")
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen), "a 401 asks for a login, not a crash"
        assert app.services.login_label == "read-only"
        assert not social.is_liked(target.mint)

        good = sim.token_for(sim.user_address)
        app.screen.query_one("#login-token").value = good
        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, LoginScreen)
        assert likes_of(sim, sim.user_address) == {target.mint}
        assert social.is_liked(target.mint)
        assert app.services.logged_in


async def test_read_only_keys_ask_for_a_login_and_send_nothing(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = social_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("l")
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen)
        assert app.services.client.stats.requests == 0


# -- follows --------------------------------------------------------------------------------------


async def test_f_follows_the_creator_with_a_captcha_from_the_simulator(sim: SimServer) -> None:
    target = coin_target(sim)
    assert target.author
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("f")
        await settle(pilot)
        assert social.is_following(target.author)
        assert sim.user_address in followers_of(sim, target.author)

        await pilot.press("f")
        await settle(pilot)
        assert not social.is_following(target.author)
        assert sim.user_address not in followers_of(sim, target.author)


async def test_without_a_captcha_source_the_app_asks_for_one_in_a_modal(sim: SimServer) -> None:
    mint = sim.mints()[0]
    author = sim.admin_address
    reply_id = sim.post_reply(mint, "follow me", user=author)
    target = SocialTarget(mint, reply_id, author, "reply by admin")
    app, social = user_app(sim, sim_mode=False, captcha=CaptchaProvider())
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, CaptchaScreen)
        assert followers_of(sim, author) == set()

        app.screen.query_one("#captcha-token").value = sim.captcha_token()
        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, CaptchaScreen)
        assert followers_of(sim, author) == {sim.user_address}
        assert social.is_following(author)


# -- bookmarks ------------------------------------------------------------------------------------


async def test_b_picks_lists_and_creates_one_and_the_server_agrees(sim: SimServer) -> None:
    hostile = sim.create_coin(name="[red]Rug[/red]", symbol="[b]RUG\x1b[2J")
    target = coin_target(sim, hostile)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("b")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, BookmarkPicker)
        assert "default" in screen_text(app)
        assert "Bookmark $[b]RUG" in screen_text(app), "the coin's name shown literally"

        await pilot.press("space")  # the first list: default
        await settle(pilot)
        server_lists = {b.name: b for b in await app.services.client.bookmarks()}
        assert target.mint in server_lists["default"].mints

        await pilot.press("tab")
        await pilot.press(*"moon shots", "enter")
        await settle(pilot)

        server_lists = {b.name: b for b in await app.services.client.bookmarks()}
        assert target.mint in server_lists["moon shots"].mints
        assert social.lists_containing(target.mint) == {server_lists["default"].id,
                                                         server_lists["moon shots"].id}
        assert "moon shots" in screen_text(app)

        await pilot.press("escape")
        assert not isinstance(app.screen, BookmarkPicker)


async def test_the_bookmarks_screen_shows_each_lists_coins_with_market_data_in_bulk(
    sim: SimServer,
) -> None:
    first, second, third = sim.mints()[:3]
    app, social = user_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_target(pilot, social, coin_target(sim, first))
        client = app.services.client
        default = (await client.bookmarks())[0]
        await client.add_bookmark_item(first, [default.id])
        await client.add_bookmark_item(second, [default.id])
        other = await client.create_bookmark("degen plays")
        assert other is not None
        await client.add_bookmark_item(third, [other.id])
        requests_before = client.stats.requests

        await pilot.press("B")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        table = screen.query_one(CoinTable)
        assert set(table.shown_mints) == {first, second}
        assert {first, second, third} <= set(screen.coins), "one bulk fetch for every list"
        # The lists, then one bulk request for all three coins.
        assert client.stats.requests - requests_before == 2
        expected = coin_target(sim, first).label
        assert expected.removeprefix("$") in screen_text(app)
        assert screen.coins[first].market_cap_sol > 0

        await pilot.press("x")  # remove the coin under the cursor from this list
        await settle(pilot)
        assert len(table.shown_mints) == 1
        server_default = (await client.bookmarks())[0]
        assert len(server_default.mints) == 1
