"""The Trend column: the price over a stated time span (the last 10 minutes), not over however
many prices happened to be kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pumptui.tui.app import PumpApp
from pumptui.tui.glyphs import current
from pumptui.tui.widgets.coin_table import TREND_SPAN, TREND_WIDTH
from pumptui.tui.widgets.sparkline import timed_sparkline
from tests.tui.conftest import screen_text

NOW = 1_750_000_000.0
MINUTE = 60.0


def draw(points: list[tuple[float, float]]) -> tuple[str, float | None]:
    return timed_sparkline(points, NOW, TREND_SPAN, TREND_WIDTH)


def test_the_trend_spans_the_last_10_minutes_whatever_the_number_of_prices() -> None:
    """A rise 190 s ago sits in the right third, however many trades came before it; the
    price before the span holds into it (9 cells of 66.7 s)."""
    low, high = current().levels[0], current().levels[-1]
    before = [(NOW - 40 * MINUTE + n, 1.0) for n in range(50)]
    line, change = draw([*before, (NOW - 190, 2.0)])
    assert line == low * 6 + high * 3
    assert change == pytest.approx(1.0)


def test_a_coin_seen_for_three_minutes_draws_only_those_minutes() -> None:
    line, _ = draw([(NOW - 3 * MINUTE, 1.0), (NOW - 30, 3.0)])
    assert line.startswith(" " * 6)
    assert line[6:] == current().levels[0] * 2 + current().levels[-1]


def test_a_coin_that_did_not_trade_in_the_span_draws_a_flat_line() -> None:
    line, change = draw([(NOW - 50 * MINUTE, 1.0), (NOW - 45 * MINUTE, 1.5)])
    assert line == current().levels[0] * TREND_WIDTH
    assert change == 0.0


# The trend is the first column a narrower table drops (the 5 m and 1 h change say it in
# numbers): Home shows it beside the tape from 150 columns.
@pytest.mark.parametrize("size", [(150, 36)])
async def test_the_trend_column_states_its_span(
    make_app: Callable[..., PumpApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        header = screen_text(app).splitlines()[1]
        assert "Trend 10m" in header
