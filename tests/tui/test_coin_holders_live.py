"""The Coin screen's holder figures are the simulator's trade history read back: the wallets the
trades left holding, and the ten largest's share of the supply, as the header and the holders
pane show them on a live app over loopback."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.sim import SimServer
from tests.helpers.pilot import wait_for
from tests.sim.support import TOTAL_SUPPLY, raw_of
from tests.tui.conftest import screen_text
from tests.tui.test_coin_live import live_app, open_coin
from tests.tui.test_coin_screen import header_lines


def holdings(sim: SimServer, mint: str) -> dict[str, int]:
    """Each wallet's raw token balance, from the coin's trades alone."""
    balances: dict[str, int] = {}
    for trade in sim.trades_of(mint):
        sign = 1 if trade["type"] == "buy" else -1
        wallet = trade["userAddress"]
        balances[wallet] = balances.get(wallet, 0) + sign * raw_of(trade["baseAmount"])
    return {wallet: raw for wallet, raw in balances.items() if raw > 0}


async def test_the_holder_figures_are_what_the_trade_history_implies(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = sim.create_coin(name="Tallied", symbol="TALLY")
    sim.advance(30.0)  # past the sniping window
    sim.inject_trades(mint, 80)
    held = holdings(sim, mint)
    top10 = sum(sorted(held.values(), reverse=True)[:10]) * 100 / TOTAL_SUPPLY
    expected = f"holders {len(held)} · top10 {top10:.0f}%"
    app = live_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot, mint)
        await wait_for(
            pilot,
            lambda: any(line.startswith(expected) for line in header_lines(app)),
            f"the header's {expected!r}",
        )
        await pilot.press("i")  # the holders pane: the largest holder first, with its share
        largest = max(held.values()) * 100 / TOTAL_SUPPLY
        await wait_for(
            pilot, lambda: f"{largest:.1f}%" in screen_text(app), "the largest holder's share"
        )
