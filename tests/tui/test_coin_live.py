"""The Coin screen on the live engine, against the simulator over loopback HTTP.

What a trader relies on: opening a coin points the engine at it, its trades and replies arrive
and keep arriving, the chart follows the last trade, and leaving the coin releases the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from pumptui.api.budget import RequestBudget
from pumptui.api.models import Trade
from pumptui.config import ApiSettings, RefreshSettings, Settings
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, MemoryWatchlist

# Poll fast: the simulator has no real rate limit here, and the test should not wait.
FAST = RefreshSettings(coins_min=0.2, coins_max=1.0, trades_min=0.1, trades_max=0.3,
                       replies_min=0.1, replies_max=0.3, market_min=0.5, market_max=2.0)


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str,
                     deadline: float = 15.0) -> None:
    """Let the app run until `condition` holds (a safety deadline, not a timing assertion)."""
    for _ in range(int(deadline / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def live_app(sim: SimServer) -> PumpApp:
    settings = Settings(api=ApiSettings(burst=50, timeout=2.0, max_retries=1),
                        refresh=FAST).with_api_urls(sim.base_url)
    # One generous bucket for every host: this test is about the flow, not swap's budget.
    services = AppServices.connect(settings, sim_mode=True, watchlist=MemoryWatchlist(),
                                   timeout=2.0, budget=RequestBudget(6000, 50))
    return PumpApp(services)


async def test_a_coin_opened_on_the_simulator_fills_and_follows_live(sim: SimServer) -> None:
    mint = max(sim.mints(), key=lambda m: len(sim.trades_of(m)))
    app = live_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_coin(mint)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoinScreen)
        engine = app.services.engine
        assert engine is not None
        assert engine.focused == mint

        def newest_signatures(count: int) -> list[str]:
            return [t["tx"] for t in reversed(sim.trades_of(mint))][:count]

        await wait_until(pilot, lambda: len(screen.tape.rows) >= 5, "the coin's trades")
        shown = [t.signature for t in screen.tape.rows]
        assert shown == newest_signatures(len(shown)), "the newest trades, in order, no gaps"

        burst = sim.inject_trades(mint, 3)
        await wait_until(pilot, lambda: [t.signature for t in screen.tape.rows[:3]]
                         == list(reversed(burst)), "the burst on top of the tape")
        last = Trade.from_swap(sim.trades_of(mint)[-1], mint)
        await wait_until(pilot, lambda: screen.chart.grid is not None
                         and bool(screen.chart.grid.candles)
                         and screen.chart.grid.candles[-1].close == last.chart_price,
                         "the last candle closing at the pool price after the last trade")

        # Holder figures arrive from the holders feed: the header's third line shows them, as
        # the simulator's holder-stats route gives them.
        store = app.services.store
        await wait_until(pilot, lambda: store.holders(mint) is not None, "the coin's holders")
        stats = store.holders(mint).stats  # type: ignore[union-attr]
        await pilot.pause(0.3)
        third = screen.header.header_text(118).plain.splitlines()[2]
        assert third.startswith(f"holders {stats.total_holders:,}")
        await pilot.press("i")
        assert screen.showing_holders
        assert (screen.holders_panel.border_title or "").startswith(
            f"Holders {stats.total_holders:,}")
        await pilot.press("i")

        reply_id = sim.post_reply(mint, "[bold]gm[/bold] from the sim")
        await wait_until(pilot, lambda: bool(screen.thread.replies)
                         and screen.thread.replies[0].id == reply_id, "the new reply on top")
        assert screen.thread.replies[0].text == "[bold]gm[/bold] from the sim"

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CoinScreen)
        assert engine.focused is None
