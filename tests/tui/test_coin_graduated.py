"""A graduated coin keeps going: after its curve completes its trades go on, on PumpSwap
(`program` pump_amm), and the Coin screen keeps following them on the tape and the chart, while
its header says where the coin trades now."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.api.models import Trade
from pumptui.sim import SimServer
from tests.helpers.pilot import wait_for
from tests.sim.test_pool import graduate_on_server
from tests.tui.test_coin_live import live_app, open_coin


async def test_trades_after_graduation_keep_arriving_on_the_tape_and_chart(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = sim.create_coin(name="Alumnus", symbol="ALUM")
    before = sim.inject_trades(mint, 5)
    app = live_app(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_coin(pilot, mint)
        await wait_for(
            pilot,
            lambda: [t.signature for t in screen.tape.rows[:5]] == before[::-1],
            "the curve trades on the tape",
        )
        graduate_on_server(sim, mint)
        after = sim.inject_trades(mint, 12)
        await wait_for(
            pilot,
            lambda: [t.signature for t in screen.tape.rows[:12]] == after[::-1],
            "the PumpSwap trades on top of the tape",
        )
        assert {t.program for t in screen.tape.rows[:12]} == {"pump_amm"}
        last = Trade.from_swap(sim.trades_of(mint)[-1], mint)
        assert last.program == "pump_amm"
        await wait_for(
            pilot,
            lambda: (
                screen.chart.grid is not None
                and bool(screen.chart.grid.candles)
                and screen.chart.grid.candles[-1].close == last.chart_price
            ),
            "the chart following the pool's price",
        )

        def first_line() -> str:
            return screen.header.header_text(98).plain.splitlines()[0]

        await wait_for(pilot, lambda: "on PumpSwap" in first_line(), "the header's venue")
        assert "%" not in first_line(), "no curve progress once it trades on PumpSwap"
