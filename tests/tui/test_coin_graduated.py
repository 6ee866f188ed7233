"""A graduated coin keeps going: after its curve completes its trades go on, on PumpSwap
(`program` pump_amm), and the Coin screen keeps following them on the tape and the chart, while
its header says where the coin trades now (from its newest trade, before its record catches up)."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.api.models import Trade
from pumptui.live.events import NewTrade
from pumptui.sim import SimServer
from tests.helpers.pilot import wait_for
from tests.sim.test_pool import graduate_on_server
from tests.tui.conftest import make_mint
from tests.tui.test_coin_live import live_app
from tests.tui.test_coin_live import open_coin as open_live_coin
from tests.tui.test_coin_screen import (
    MINT,
    NOW,
    coin_screen,
    header_lines,
    make_app,
    open_coin,
    single_coin_store,
)


async def test_trades_after_graduation_keep_arriving_on_the_tape_and_chart(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = sim.create_coin(name="Alumnus", symbol="ALUM")
    before = sim.inject_trades(mint, 5)
    app = live_app(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_live_coin(pilot, mint)
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


def trade_on(program: str, n: int) -> Trade:
    return Trade(
        signature=make_mint(f"{program}-{n}") * 2,
        mint=MINT,
        is_buy=True,
        lamports=10**9,
        raw_tokens=2 * 10**12,
        timestamp=NOW - 10 + n,
        slot=400_000_000 + n,
        program=program,
    )


async def test_the_header_names_where_the_newest_trade_was_made() -> None:
    # The coin's record still says it is on the curve (it lags); its trades say otherwise.
    store = single_coin_store({"market_cap": 410.0})
    store.apply(NewTrade(trade_on("pump", 0)))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_coin(pilot)
        assert "%" in header_lines(app)[0], "on the curve: its progress"
        store.apply(NewTrade(trade_on("pump_amm", 1)))
        coin_screen(app).sync_from_store(force=True)
        await pilot.pause()
        first = header_lines(app)[0]
        assert "on PumpSwap" in first
        assert "%" not in first
        store.apply(NewTrade(trade_on("raydium_cpmm", 2)))
        coin_screen(app).sync_from_store(force=True)
        await pilot.pause()
        assert "on Raydium CPMM" in header_lines(app)[0]
