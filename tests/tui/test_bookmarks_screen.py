"""The bookmarks screen: j and k move as everywhere else, and a list can be renamed or deleted
(after a question), with the server agreeing."""

from __future__ import annotations

from textual.widgets import Input

from pumptui.sim import SimServer
from pumptui.tui.screens.ask import ConfirmScreen, NameScreen
from pumptui.tui.screens.bookmarks import BookmarksScreen
from pumptui.tui.widgets.coin_table import CoinTable
from tests.tui.social_support import coin_target, open_target, settle, user_app


async def test_j_k_move_and_a_list_is_renamed_then_deleted_after_a_yes(sim: SimServer) -> None:
    first, second, third = sim.mints()[:3]
    app, social = user_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_target(pilot, social, coin_target(sim, first))
        client = app.services.client
        default = (await client.bookmarks())[0]
        await client.add_bookmark_item(first, [default.id])
        await client.add_bookmark_item(second, [default.id])
        degen = await client.create_bookmark("degen plays")
        assert degen is not None
        await client.add_bookmark_item(third, [degen.id])
        await pilot.press("B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        table = screen.query_one(CoinTable)

        # j and k in the coins, then in the lists.
        await pilot.press("g")
        top = table.cursor_mint
        await pilot.press("j")
        assert table.cursor_mint not in (None, top)
        await pilot.press("k")
        assert table.cursor_mint == top
        screen.list_picker.focus()
        await pilot.press("j")
        await settle(pilot)
        assert screen.current_list() is not None
        assert screen.current_list().name == "degen plays"
        assert list(table.shown_mints) == [third]

        # Rename: a name box, Enter; the coins come along.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"moon shots", "enter")
        await settle(pilot)
        on_server = {b.name: b for b in await client.bookmarks()}
        assert "degen plays" not in on_server
        assert list(on_server["moon shots"].mints) == [third]
        assert "moon shots" in str(screen.list_picker.get_option_at_index(1).prompt)

        # Delete: nothing happens on "n"; "y" deletes.
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert "moon shots" in {b.name for b in await client.bookmarks()}
        await pilot.press("D", "y")
        await settle(pilot)
        assert "moon shots" not in {b.name for b in await client.bookmarks()}
        assert screen.list_picker.option_count == 1
