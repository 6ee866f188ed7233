"""Likes, follows and bookmarks from the keyboard, end to end against the simulator.

What a user relies on, asserted on the screen: the key shows its effect at once (a heart on the
liked callout, a `+` on a followed author or creator), the server really records it and the mark
survives a refresh, a refusal (4xx, 429, a dropped connection) is undone on screen with a toast
that names the target and says why, a rejected token leads to the login screen and the action
goes through once logged in.
"""

from __future__ import annotations

from typing import Any

import pytest

from pumptui.sim import FaultPlan, SimServer
from pumptui.tui.screens.bookmark_picker import BookmarkPicker
from pumptui.tui.screens.bookmarks import BookmarksScreen
from pumptui.tui.screens.login import LoginScreen
from pumptui.tui.widgets.coin_table import CoinTable
from tests.helpers.pilot import record_toasts
from tests.tui.conftest import screen_text
from tests.tui.social_support import (
    SIZE,
    coin_target,
    open_coin_with_callouts,
    open_target,
    refresh_callouts,
    settle,
    shown,
    social_app,
    user_app,
)

THESIS = "cup and handle on the 5m, dev still holds"


def a_callout(sim: SimServer) -> tuple[str, str, str]:
    """(mint, callout id, author wallet): a callout by one of the coin's holders."""
    mint = sim.mints()[0]
    callout_id = sim.post_callout(mint, THESIS)
    author = sim.call(lambda: sim.market.callouts.callouts[callout_id].author)
    return mint, callout_id, author


def header_line(text: str) -> str:
    """The callout's header line as shown (the line above its thesis)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if THESIS[:20] in line)
    return lines[index - 1]


async def server_likes(app: Any, mint: str, callout_id: str) -> int | None:
    page = await app.services.client.callouts(mint)
    return next(c.likes for c in page.items if c.id == callout_id)


# -- likes ----------------------------------------------------------------------------------------


async def test_l_shows_a_heart_on_the_callout_at_once_and_it_survives_a_refresh(
    sim: SimServer,
) -> None:
    mint, callout_id, _ = a_callout(sim)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)
        assert "♥" not in header_line(await shown(pilot))
        sim.set_faults(FaultPlan(latency_ms=400, paths="/like"))

        await pilot.press("l")

        assert "♥" in header_line(await shown(pilot)), "shown before the server answered"
        await settle(pilot)
        sim.clear_faults()
        assert await server_likes(app, mint, callout_id) == 1
        await refresh_callouts(app, mint)
        line = header_line(await shown(pilot))
        assert line.count("♥") == 2, line  # the user's heart, and the count of likes: ♥ 1
        assert any(t.startswith("Liked ") and "callout" in t for t in toasts), toasts


async def test_a_liked_callout_cannot_be_unliked_and_the_screen_says_why(sim: SimServer) -> None:
    mint, _, _ = a_callout(sim)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)
        await pilot.press("l")
        await settle(pilot)
        requests = app.services.client.stats.requests

        await pilot.press("l")
        await settle(pilot)

        assert "♥" in header_line(await shown(pilot))
        assert app.services.client.stats.requests == requests
        assert any("no way to take back a like" in t for t in toasts), toasts


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (FaultPlan(rate_limit_rate=1.0, retry_after=1, paths="/like"), "too many requests"),
        (FaultPlan(drop_rate=1.0, paths="/like"), "connection dropped"),
        (FaultPlan(error_rate=1.0, paths="/like"), "server error"),
    ],
    ids=["429", "network failure", "5xx"],
)
async def test_a_like_the_server_could_not_take_is_undone_on_screen_with_a_toast(
    sim: SimServer, faults: FaultPlan, expected: str
) -> None:
    mint, _, _ = a_callout(sim)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)
        sim.set_faults(faults)

        await pilot.press("l")
        await settle(pilot)

        assert "♥" not in header_line(await shown(pilot))
        assert any(expected in t and "(undone)" in t and "callout" in t for t in toasts), toasts


async def test_l_on_a_coin_says_coins_have_no_likes_any_more_and_sends_nothing(
    sim: SimServer,
) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        requests = app.services.client.stats.requests

        await pilot.press("l")
        await settle(pilot)

        assert app.services.client.stats.requests == requests
        assert any("no likes for coins" in t for t in toasts), toasts


async def test_a_rejected_token_opens_the_login_screen_and_the_like_goes_through_after(
    sim: SimServer,
) -> None:
    mint, callout_id, _ = a_callout(sim)
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    forged = f"{header}.{payload}.forgedforgedforgedforgedforgedforged"
    app, social = social_app(sim, token=forged, account=sim.user_address)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)

        await pilot.press("l")
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen), "a 401 asks for a login, not a crash"
        assert app.services.login_label == "read-only"

        app.screen.query_one("#login-token").value = sim.token_for(sim.user_address)
        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, LoginScreen)
        assert "♥" in header_line(await shown(pilot))
        assert await server_likes(app, mint, callout_id) == 1
        assert app.services.logged_in


async def test_read_only_keys_ask_for_a_login_and_send_nothing(sim: SimServer) -> None:
    mint, _, _ = a_callout(sim)
    app, social = social_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)
        requests = app.services.client.stats.requests

        await pilot.press("l")
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen)
        assert app.services.client.stats.requests == requests


# -- follows --------------------------------------------------------------------------------------


def followers_of(sim: SimServer, wallet: str) -> set[str]:
    return sim.call(
        lambda: {who for who, followed in sim.market.follows.items() if wallet in followed}
    )


async def test_f_on_a_callout_follows_its_author_by_uuid_and_marks_it(sim: SimServer) -> None:
    mint, _, author = a_callout(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)

        await pilot.press("f")

        assert "+" in header_line(await shown(pilot)), "the follow mark at once"
        await settle(pilot)
        assert sim.user_address in followers_of(sim, author)

        await pilot.press("f")
        await settle(pilot)
        assert "+" not in header_line(await shown(pilot))
        assert sim.user_address not in followers_of(sim, author)


async def test_f_on_the_coin_follows_its_creator_and_the_header_says_so(sim: SimServer) -> None:
    mint, _, _ = a_callout(sim)
    creator = sim.call(lambda: sim.market.coins[mint].creator)
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coin_with_callouts(pilot, social, sim, mint)
        screen.tape.focus()

        await pilot.press("f")
        await settle(pilot)

        text = await shown(pilot)
        assert "+ following" in text
        followers = followers_of(sim, creator)
        assert sim.user_address in followers
        # The creator's counts, asked again once the follow went through.
        assert f"{len(followers)} follower" in text
        assert any(t.startswith("Following ") for t in toasts), toasts


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
        assert social.lists_containing(target.mint) == {
            server_lists["default"].id,
            server_lists["moon shots"].id,
        }
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
