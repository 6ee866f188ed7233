"""Chart toggles: the axis measures the price or the market cap (price × total supply), in SOL
or in USD (at the app's SOL price); the keys say which in the chart's title. Expected values come
from the definitions (a pump.fun coin has 1,000,000,000 whole tokens), never from the chart."""

from __future__ import annotations

import pytest

from pumptui.api.models import Candle
from pumptui.tui.widgets.candle_chart import ChartUnits, Role, convert_candles, draw_chart
from tests.tui.test_chart_widget import title_of
from tests.tui.test_coin_screen import MINT, build_store, coin_screen, make_app, open_coin

SUPPLY_TOKENS = 1_000_000_000.0
SOL_USD = 241.5


def candle(start: float, o: float, h: float, lo: float, c: float, volume: float) -> Candle:
    return Candle(MINT, start, o, h, lo, c, volume_sol=volume, seconds=60)


CANDLES = [
    candle(0, 2.8e-8, 3.1e-8, 2.7e-8, 3.0e-8, 4.0),
    candle(60, 3.0e-8, 4.2e-8, 2.9e-8, 4.1e-8, 9.5),
    candle(120, 4.1e-8, 4.4e-8, 3.6e-8, 3.7e-8, 2.25),
]


@pytest.mark.parametrize(
    ("units", "factor", "volume_rate"),
    [
        (ChartUnits(), 1.0, None),
        (ChartUnits(market_cap=True), SUPPLY_TOKENS, None),
        (ChartUnits(usd=True), SOL_USD, SOL_USD),
        (ChartUnits(market_cap=True, usd=True), SUPPLY_TOKENS * SOL_USD, SOL_USD),
    ],
)
def test_candles_in_each_unit_are_the_price_times_supply_times_sol_price(
    units: ChartUnits, factor: float, volume_rate: float | None
) -> None:
    shown = convert_candles(CANDLES, units, supply_tokens=SUPPLY_TOKENS, sol_usd=SOL_USD)
    for before, after in zip(CANDLES, shown, strict=True):
        for field in ("open", "high", "low", "close"):
            assert getattr(after, field) == pytest.approx(getattr(before, field) * factor)
        if volume_rate is None:
            assert (after.currency, after.volume_sol) == ("SOL", before.volume_sol)
        else:
            assert after.currency == "USD"
            assert after.volume_usd == pytest.approx(before.volume_sol * volume_rate)


def test_without_a_sol_price_usd_stays_sol() -> None:
    shown = convert_candles(
        CANDLES, ChartUnits(usd=True), supply_tokens=SUPPLY_TOKENS, sol_usd=None
    )
    assert shown == CANDLES


def test_the_axis_of_a_market_cap_chart_spans_the_market_caps() -> None:
    units = ChartUnits(market_cap=True, usd=True)
    shown = convert_candles(CANDLES, units, supply_tokens=SUPPLY_TOKENS, sol_usd=SOL_USD)
    grid = draw_chart(shown, 80, 16, seconds=60)
    assert grid.scale is not None
    assert grid.scale.high == pytest.approx(4.4e-8 * SUPPLY_TOKENS * SOL_USD)  # $10,626
    assert grid.scale.low == pytest.approx(2.7e-8 * SUPPLY_TOKENS * SOL_USD)
    # The tag at the right of the plot: the last close in the same units, $8,935.5.
    (tag_row,) = {y for y in range(grid.height) if Role.LAST_DOWN in grid.roles[y]}
    assert grid.row_text(tag_row).split()[-1] == "8936"
    # The volume scale: the largest bar, 9.5 SOL at $241.5 = $2,294.25.
    assert grid.row_text(grid.plot_rows).split()[-1] == "$2.29k"


async def test_p_and_dollar_switch_the_coin_chart_and_its_title_says_so() -> None:
    store = build_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coin(pilot)
        chart = coin_screen(app).chart
        assert "price SOL" in title_of(chart)
        assert chart.grid is not None
        prices = {c.start: c for c in chart.grid.candles}
        coin = store.coin(MINT)
        assert coin is not None
        supply = coin.total_supply / 1e6
        assert supply == SUPPLY_TOKENS

        await pilot.press("P")
        assert "mcap SOL" in title_of(chart)
        caps = chart.grid.candles
        assert caps, "the same candles"
        for cap in caps:
            assert cap.close == pytest.approx(prices[cap.start].close * SUPPLY_TOKENS)
        assert chart.grid.scale is not None
        assert chart.grid.scale.high == pytest.approx(
            max(prices[c.start].high for c in caps) * SUPPLY_TOKENS
        )

        await pilot.press("dollar_sign")
        assert "mcap USD" in title_of(chart)
        for cap in chart.grid.candles:
            assert cap.close == pytest.approx(prices[cap.start].close * SUPPLY_TOKENS * SOL_USD)

        await pilot.press("P")
        assert "price USD" in title_of(chart)
        for shown in chart.grid.candles:
            assert shown.high == pytest.approx(prices[shown.start].high * SOL_USD)
        await pilot.press("dollar_sign")
        assert "price SOL" in title_of(chart)
        assert {c.start: c for c in chart.grid.candles} == prices
