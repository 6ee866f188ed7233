"""The chart widget as a trader drives it: zoom keys, a young coin's default zoom, ASCII glyphs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from textual.app import App, ComposeResult

from pumptui.tui.widgets.candle_chart import DEFAULT_ZOOM, LABEL_WIDTH, CandleChart
from pumptui.tui.widgets.repaint import SPAN_CELLS
from tests.tui.conftest import screen_text
from tests.tui.test_coin_chart import random_candles
from tests.tui.test_coin_screen import build_store, coin_screen, make_app, open_coin
from tests.tui.test_repaint_lines import record_refreshes


class ChartApp(App[None]):
    """One chart filling a terminal, fed by the test."""

    def __init__(self, *, ascii: bool = False) -> None:
        super().__init__()
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        yield CandleChart(seconds=60, tz=UTC, ascii=self.ascii)


def title_of(chart: CandleChart) -> str:
    title = chart.border_title
    return title.plain if hasattr(title, "plain") else str(title or "")


def chart_lines(chart: CandleChart) -> list[str]:
    return [
        "".join(segment.text for segment in chart.render_line(y)) for y in range(chart.size.height)
    ]


async def test_z_widens_the_candles_and_shift_z_narrows_them_and_the_title_says_how_wide() -> None:
    app = make_app(build_store())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        chart = coin_screen(app).chart
        assert chart.zoom == DEFAULT_ZOOM, "two hours of 1m candles: the usual two columns each"
        assert "zoom 2" in title_of(chart)
        assert "zoom 2" in screen_text(app).splitlines()[chart.region.y]
        before = chart.grid
        assert before is not None
        await pilot.press("z")
        wider = chart.grid
        assert wider is not None
        assert chart.zoom == wider.stride == 3
        assert "zoom 3" in title_of(chart)
        assert "zoom 3" in screen_text(app).splitlines()[chart.region.y]
        assert len(wider.candles) < len(before.candles)
        newest_x = wider.columns[wider.candles[-1].start]
        assert {(newest_x - x) % 3 for x in wider.columns.values()} == {0}, "three columns each"
        assert wider.candles[-1] == before.candles[-1], "the newest candle stays in view"
        await pilot.press("Z", "Z", "Z")
        narrow = chart.grid
        assert narrow is not None
        assert chart.zoom == narrow.stride == 1, "one column per candle is as far as it goes"
        assert "zoom 1" in title_of(chart)
        assert "zoom 1" in screen_text(app).splitlines()[chart.region.y]
        assert len(narrow.candles) > len(before.candles)


async def test_a_young_coin_opens_with_candles_wide_enough_to_fill_the_chart() -> None:
    app = ChartApp()
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(CandleChart)
        chart.show_candles(random_candles(8))
        await pilot.pause()
        grid = chart.grid
        assert grid is not None
        assert grid.plot_width == 100 - LABEL_WIDTH - 2
        assert len(grid.candles) == 8
        spread = max(grid.columns.values()) - min(grid.columns.values()) + grid.stride
        assert spread >= grid.plot_width * 0.5, (grid.stride, spread)
        assert f"zoom {grid.stride}" in title_of(chart)
        # As the coin ages its candles narrow to the usual width by themselves.
        chart.show_candles(random_candles(300))
        await pilot.pause()
        assert chart.grid is not None
        assert chart.grid.stride == DEFAULT_ZOOM
        assert f"zoom {DEFAULT_ZOOM}" in title_of(chart)


async def test_the_ascii_chart_draws_nothing_but_ascii() -> None:
    app = ChartApp(ascii=True)
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(CandleChart)
        chart.show_candles(random_candles(60, gaps=(50, 51)))
        await pilot.press("tab", "left")  # looking back puts more in the title
        await pilot.pause()
        lines = chart_lines(chart)
        text = "\n".join([title_of(chart), *lines])
        assert "history" in title_of(chart)
        assert text.isascii(), sorted({c for c in text if not c.isascii()})
        assert "|" in text
        assert "#" in text
        # Switched back, the Unicode glyphs return.
        chart.ascii = False
        await pilot.pause()
        unicode_text = "\n".join([title_of(chart), *chart_lines(chart)])
        assert not unicode_text.isascii()
        assert "│" in unicode_text


async def test_new_trades_keep_the_price_scale_and_a_change_of_view_fits_it_again() -> None:
    app = ChartApp()
    async with app.run_test(size=(100, 24)) as pilot:
        chart = app.query_one(CandleChart)
        candles = random_candles(40)
        chart.show_candles(candles)
        await pilot.pause()
        first = chart.grid
        assert first is not None
        assert first.scale is not None
        assert first.scale.high == max(c.high for c in candles)
        last = candles[-1]
        lower = replace(last, low=last.low * 0.99, close=last.low * 0.995)
        chart.show_candles([*candles[:-1], lower])
        await pilot.pause()
        assert chart.grid is not None
        held = chart.grid.scale
        assert held is not None
        assert held.low <= lower.low  # fitted around the new low (with headroom)...
        await pilot.press("z")  # ... until the view changes: drawn to fit again
        assert chart.grid is not None
        assert chart.grid.scale is not None
        assert chart.grid.scale.low == min(c.low for c in chart.grid.candles)


async def test_a_trade_repaints_the_cells_it_moved_on_the_span_grid() -> None:
    """Only the rows the forming candle moved are repainted, each span rounded out to the grid
    (see `repaint.coarse_spans`): exact spans kept Textual's region cache growing for an hour."""
    app = ChartApp()
    async with app.run_test(size=(100, 24)) as pilot:
        chart = app.query_one(CandleChart)
        candles = random_candles(40)
        chart.show_candles(candles)
        await pilot.pause()
        calls = record_refreshes(chart)
        last = candles[-1]
        middle = (last.high + last.low) / 2
        chart.show_candles([*candles[:-1], replace(last, close=middle)])
        await pilot.pause()
        regions = [region for regions in calls for region in regions]
        assert regions, "the forming candle moved"
        assert len(regions) < chart.size.height
        width = chart.content_region.width
        for region in regions:
            assert region.height == 1
            assert region.x % SPAN_CELLS == 0
            assert region.right % SPAN_CELLS == 0 or region.right == width
