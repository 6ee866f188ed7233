"""Keys typed at once after a key that opens an input land in that input (issue 13, item 1).

Each test sends the opening key and the words after it in one go, as a fast typist or a paste
does: every key is queued before the input has opened. None may act on the screen underneath
(`l` likes the callout in focus, `w` watches a coin, `L` opens the login screen).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.bookmark_picker import BookmarkPicker
from pumptui.tui.screens.login import LoginScreen
from pumptui.tui.screens.post_editor import PostEditor
from pumptui.tui.social import SocialTarget
from tests.helpers.pilot import wait_for
from tests.tui.conftest import frozen_services
from tests.tui.social_support import SIZE, coin_target, open_target, settle, social_app, user_app


def type_at_once(app: Any, key: str, character: str | None, text: str) -> None:
    """The opening key and then `text`, all queued before the app reads the first."""
    app.post_message(events.Key(key, character))
    for typed in text:
        app.post_message(events.Key(typed, typed))


async def editor_open(pilot: Any, app: PumpApp, what: str) -> TextArea:
    """The post editor's text area once the editor is on screen and composed (on a busy
    machine the screen is pushed a moment before its children are mounted)."""
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, PostEditor) and bool(app.screen.query(TextArea)),
        f"{what}, composed",
    )
    return app.screen.query_one(TextArea)


def callout_target(sim: SimServer) -> SocialTarget:
    mint = sim.mints()[0]
    return SocialTarget(mint, sim.post_callout(mint, "sent it at 5k"), None, "a callout")


async def test_keys_after_colon_land_in_the_palette() -> None:
    app = PumpApp(frozen_services())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        type_at_once(app, "colon", ":", "golden")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, CommandPalette) and bool(app.screen.query(Input)),
            "the palette, composed",
        )
        palette_input = app.screen.query_one(Input)
        await wait_for(pilot, lambda: palette_input.value == "golden", "the query typed")


async def test_keys_after_a_land_in_the_chat_editor_not_on_the_callout(sim: SimServer) -> None:
    target = callout_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        type_at_once(app, "a", "a", "lol wen")
        editor = await editor_open(pilot, app, "the chat editor")
        await wait_for(pilot, lambda: editor.text == "lol wen", "the words typed")
        assert social.own_marks().liked == frozenset()  # the "l" liked nothing


async def test_keys_after_r_land_in_the_reply_editor(sim: SimServer) -> None:
    target = callout_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        type_at_once(app, "r", "r", "fully agree")
        editor = await editor_open(pilot, app, "the reply editor")
        await wait_for(pilot, lambda: editor.text == "fully agree", "the words typed")
        assert social.own_marks().followed == frozenset()  # the "f" followed nobody


async def test_keys_after_capital_l_land_in_the_token_field(sim: SimServer) -> None:
    app, social = social_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, coin_target(sim))
        type_at_once(app, "L", "L", "wabc")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        token = app.screen.query_one("#login-token", Input)
        await wait_for(pilot, lambda: token.value == "wabc", "the token typed")


async def test_keys_after_n_land_in_the_callout_editor_once_eligibility_is_checked(
    sim: SimServer,
) -> None:
    target = coin_target(sim)
    sim.buy(target.mint)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        type_at_once(app, "n", "n", "up only")  # typed while the server is asked
        editor = await editor_open(pilot, app, "the callout editor")
        await wait_for(pilot, lambda: editor.text == "up only", "the words typed")


async def test_keys_after_n_on_a_coin_not_held_act_on_nothing_underneath(sim: SimServer) -> None:
    target = coin_target(sim, sim.mints()[-1])
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        type_at_once(app, "n", "n", "L")  # "L" underneath would open the login screen
        await wait_for(pilot, lambda: not getattr(app, "holding_keys", False), "keys dropped")
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
        assert not any(isinstance(screen, LoginScreen) for screen in app.screen_stack)


async def test_keys_after_b_go_to_the_bookmark_picker_not_underneath(sim: SimServer) -> None:
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, coin_target(sim))
        type_at_once(app, "b", "b", "L")  # "L" underneath would open the login screen
        await wait_for(pilot, lambda: isinstance(app.screen, BookmarkPicker), "the picker")
        await wait_for(pilot, lambda: not getattr(app, "holding_keys", False), "keys handed on")
        await settle(pilot)
        assert not any(isinstance(screen, LoginScreen) for screen in app.screen_stack)


def test_a_focus_change_while_the_app_closes_its_screens_is_ignored() -> None:
    # Focus can move while the app tears its screens down with keys still held: no screen is
    # left to hand them to, and asking for one must not crash the app.
    app = PumpApp(frozen_services())
    app._hold_screen = object()  # type: ignore[assignment]
    app.on_descendant_focus(events.DescendantFocus(Input()))
    assert not app._releasing
