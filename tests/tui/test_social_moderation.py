"""Bulk moderation from the keyboard, against the simulator.

What a moderator relies on: space marks rows, `!` shows exactly what will change before anything
is sent, a ban is refused without a reason, and the result is shown item by item. What everyone
else relies on: they never see these actions, and a server that refuses the rights (403) is
reported per item, not as a crash.
"""

from __future__ import annotations

from pumptui.sim import SimServer
from pumptui.tui.screens.moderation import ModerationScreen
from tests.tui.social_support import (
    SIZE,
    TargetScreen,
    admin_app,
    coin_target,
    open_target,
    settle,
    shown,
    user_app,
)


def banned(sim: SimServer, mint: str) -> bool:
    return sim.call(lambda: sim.market.coins[mint].banned)


async def test_a_moderator_marks_rows_confirms_a_ban_with_a_reason_and_sees_each_result(
    sim: SimServer,
) -> None:
    first, second = (coin_target(sim, mint) for mint in sim.mints()[:2])
    app, social = admin_app(sim)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_target(pilot, social, first)
        assert social.is_admin
        await pilot.press("space")
        screen = app.screen
        assert isinstance(screen, TargetScreen)
        screen.target = second  # the cursor moved to the next row
        await pilot.press("space")
        assert list(social.marked) == [first.mint, second.mint]

        await pilot.press("exclamation_mark")
        await pilot.pause()
        moderation = app.screen
        assert isinstance(moderation, ModerationScreen)
        await pilot.press("right", "right", "enter")  # the third choice: Ban
        plan = await shown(pilot)
        assert "These 2 items will be banned" in plan
        assert first.label in plan
        assert second.label in plan
        assert f"“{first.text}”" in plan, "the text of what is about to be acted on"

        await pilot.click("#moderation-confirm")
        await pilot.pause()
        assert "A ban needs a reason" in await shown(pilot)
        assert not banned(sim, first.mint), "nothing sent without a reason"

        await pilot.press(*"rug pull", "enter")
        await settle(pilot)

        assert banned(sim, first.mint)
        assert banned(sim, second.mint)
        results = await shown(pilot)
        assert results.count("done") >= 2
        assert "2 done" in results
        assert social.marked == {}, "done items are unmarked"

        await pilot.press("escape")
        assert not isinstance(app.screen, ModerationScreen)


async def test_other_users_never_see_or_trigger_moderation(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        footer = await shown(pilot)
        await pilot.press("space", "exclamation_mark")
        await pilot.pause()

        assert not social.is_admin
        assert "Moderate" not in footer
        assert "space Mark" not in footer
        assert social.marked == {}
        assert not isinstance(app.screen, ModerationScreen)
        bound = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "social_like" in bound


async def test_a_refusal_of_the_rights_is_reported_per_item(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        app.services.session.learned(is_admin=True)  # the app thinks so; the server does not
        await pilot.press("space", "exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ModerationScreen)

        await pilot.press("enter")  # NSFW, the first choice
        await pilot.click("#moderation-confirm")
        await settle(pilot)

        results = await shown(pilot)
        assert "failed" in results
        assert "not allowed" in results
        assert not sim.call(lambda: sim.market.coins[target.mint].nsfw)
        assert list(social.marked) == [target.mint], "still marked for another try"


async def test_marked_rows_carry_a_mark_on_home_until_the_action_is_done(sim: SimServer) -> None:
    from pumptui.api.models import Coin
    from pumptui.live.events import NewCoin
    from pumptui.tui.messages import StoreUpdated
    from pumptui.tui.screens.home import HomeScreen
    from tests.tui.social_support import _coin_record

    app, social = admin_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        social.start()
        await settle(pilot)
        store = app.services.store
        for mint in sim.mints()[:3]:
            store.apply(NewCoin(Coin.from_api(sim.call(lambda m=mint: _coin_record(sim, m)))))
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.post_message(StoreUpdated(store.version))
        await pilot.pause()
        mint = home.table.cursor_mint
        assert mint is not None

        await pilot.press("space")
        await pilot.pause()

        marks = str(home.table.get_cell(mint, "marks"))
        assert "■" in marks
        assert "■ 1 marked" in await shown(pilot)
        row = home.table.region.y + 1 + home.table.cursor_row  # under the column labels
        assert "■" in (await shown(pilot)).splitlines()[row], "the mark on the row itself"
        await pilot.press("space")
        await pilot.pause()
        assert "■" not in str(home.table.get_cell(mint, "marks"))
        assert "marked" not in await shown(pilot)
        assert "■" not in (await shown(pilot)).splitlines()[row]


async def test_tab_goes_from_the_choice_to_the_reason_and_enter_closes_the_results(
    sim: SimServer,
) -> None:
    target = coin_target(sim)
    app, social = admin_app(sim)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("space", "exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ModerationScreen)
        await pilot.press("right", "right", "enter")  # Ban

        await pilot.press("tab", *"rug pull", "enter")  # one Tab, the reason, Enter
        await settle(pilot)

        assert banned(sim, target.mint), "the reason typed after one Tab reached the server"
        assert "1 done" in await shown(pilot)

        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ModerationScreen)
