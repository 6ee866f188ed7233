"""An alert set on a coin's screen fires on the live engine, against the simulator over loopback:
the dev sells, a toast says so, and the alerts screen's history lists it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pumptui import paths
from pumptui.api.budget import RequestBudget
from pumptui.config import ApiSettings, Settings
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.alert_form import CoinAlertForm
from pumptui.tui.screens.alerts import AlertsScreen
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, MemoryWatchlist
from tests.helpers.pilot import record_toasts, wait_for
from tests.tui.conftest import screen_text
from tests.tui.test_coin_live import FAST


@pytest.fixture
def quiet_sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    """A market that moves only when the test says so, on the real clock (trades are not late)."""
    return sim_factory(clock="real", warmup=0.0, launches_per_minute=0.0, trades_per_second=0.0)


def live_app(sim: SimServer) -> PumpApp:
    settings = Settings(
        api=ApiSettings(burst=50, timeout=2.0, max_retries=1), refresh=FAST
    ).with_api_urls(sim.base_url)
    services = AppServices.connect(
        settings,
        sim_mode=True,
        watchlist=MemoryWatchlist(),
        timeout=2.0,
        budget=RequestBudget(6000, 50),
    )
    return PumpApp(services)


async def test_an_alert_set_on_the_coin_screen_fires_when_the_dev_sells(
    quiet_sim: SimServer,
) -> None:
    sim = quiet_sim
    dev = sim.user_address
    mint = sim.create_coin(name="Dump Coin", symbol="DUMP", creator=dev)
    sim.buy(mint, wallet=dev, sol=0.5)
    app = live_app(sim)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        toasts = record_toasts(app)
        app.open_coin(mint)
        store = app.services.store
        await wait_for(pilot, lambda: store.coin(mint) is not None, "the coin's data")
        await wait_for(pilot, lambda: store.trades(mint), "the coin's trades")
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinAlertForm), "the form")
        await pilot.press("down", "down", "down", "enter")  # the dev sells
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the form closed")
        assert "Alert set" not in toasts  # the title; the message names the rule
        assert any("DUMP dev sells" in toast for toast in toasts)
        # A demo's rules are the demo's: the user's own rules file is never touched.
        assert paths.alerts_file(demo=True).exists()
        assert not paths.alerts_file().exists()

        signature = sim.sell(mint)  # the dev dumps
        await wait_for(
            pilot, lambda: any("DUMP: dev sold" in toast for toast in toasts), "the alert's toast"
        )
        (firing,) = app.services.alerts.history
        assert (firing.signature, firing.rule_name, firing.late) == (
            signature,
            "DUMP dev sells",
            False,
        )
        await pilot.press("A", "A")  # the form, then every alert
        await wait_for(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        app.clear_notifications()  # the alert's toast is still up
        await pilot.pause()
        history = [line for line in screen_text(app).splitlines() if "dev sold" in line]
        assert len(history) == 1
        assert "DUMP dev sells" in history[0]
        assert "DUMP: dev sold" in history[0]
