"""A coin screen closed before it was first drawn (Enter then Esc typed ahead, a slow machine)
goes quietly: the app does not crash on widgets that are already gone."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.tui.app import PumpApp
from pumptui.tui.screens.coin import CoinScreen
from tests.tui.conftest import frozen_coins


async def test_a_coin_screen_closed_at_once_leaves_the_app_running(
    make_app: Callable[..., PumpApp],
) -> None:
    app = make_app()
    mint = frozen_coins()[0].mint
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for _ in range(3):
            app.open_coin(mint)
            app.pop_screen()
            await pilot.pause()

        app.open_coin(mint)
        await pilot.pause()

        assert isinstance(app.screen, CoinScreen)
        assert app.return_code is None
