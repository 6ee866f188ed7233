"""The candlestick chart draws the store's OHLCV faithfully: what a trader reads off it is true."""

from __future__ import annotations

import random
from datetime import UTC, timedelta, timezone

import pytest

from pumptui.api.models import Candle
from pumptui.tui.widgets.candle_chart import (
    ChartGrid,
    Role,
    draw_chart,
    format_price,
    nice_step,
    volume_rows_for,
)

MINT = "So11111111111111111111111111111111111111112"
T0 = 1_763_700_000.0  # 2025-11-21 04:40:00 UTC
WICK_GLYPHS = set("│╷╵")


def random_candles(
    count: int, seconds: int = 60, seed: int = 5, gaps: tuple[int, ...] = ()
) -> list[Candle]:
    """A random walk of tiny Pump.fun prices (~2.8e-8 SOL), one candle per bucket."""
    rng = random.Random(seed)
    price = 2.8e-8
    candles: list[Candle] = []
    for index in range(count):
        if index in gaps:
            continue
        open_ = price
        close = price * (1 + rng.uniform(-0.08, 0.1))
        high = max(open_, close) * (1 + rng.uniform(0, 0.05))
        low = min(open_, close) * (1 - rng.uniform(0, 0.05))
        candles.append(
            Candle(
                MINT, T0 + index * seconds, open_, high, low, close, rng.uniform(0.05, 8.0), seconds
            )
        )
        price = close
    return candles


def plot_rows_of(grid: ChartGrid, x: int) -> list[int]:
    """Rows of the price plot where column `x` shows part of a candle."""
    return [
        y
        for y in range(grid.plot_rows)
        if grid.roles[y][x] in (Role.UP, Role.DOWN) and grid.chars[y][x] != " "
    ]


def test_each_candle_spans_exactly_its_high_to_its_low() -> None:
    candles = random_candles(60)
    grid = draw_chart(candles, 100, 30, seconds=60, tz=UTC)
    assert grid.scale is not None
    assert grid.candles
    for candle in grid.candles:
        x = grid.columns[candle.start]
        rows = plot_rows_of(grid, x)
        assert rows[0] == grid.scale.row(candle.high), candle
        assert rows[-1] == grid.scale.row(candle.low), candle
        assert rows == list(range(rows[0], rows[-1] + 1)), "a candle is one unbroken stroke"


def test_the_highest_wick_is_on_the_top_row_and_the_lowest_on_the_bottom_row() -> None:
    candles = random_candles(60)
    grid = draw_chart(candles, 100, 30, seconds=60, tz=UTC)
    top = max(grid.candles, key=lambda c: c.high)
    bottom = min(grid.candles, key=lambda c: c.low)
    assert plot_rows_of(grid, grid.columns[top.start])[0] == 0
    assert plot_rows_of(grid, grid.columns[bottom.start])[-1] == grid.plot_rows - 1
    # The scale is exactly the visible range: nothing from off-screen candles squeezes it.
    assert grid.scale is not None
    assert grid.scale.high == top.high
    assert grid.scale.low == bottom.low


def test_bodies_sit_between_open_and_close_and_wicks_outside() -> None:
    candle = Candle(MINT, T0, open=5.0, high=19.0, low=0.0, close=12.0, volume_sol=1.0)
    # Ten price rows are twenty half-rows: from 19 down to 0, one unit of price per half-row.
    grid = draw_chart([candle], 40, 13, seconds=60, tz=UTC)
    assert grid.scale is not None
    assert grid.plot_rows == 10
    column = [grid.chars[y][grid.columns[T0]] for y in range(grid.plot_rows)]
    # 19 → 12 is the upper wick (half-rows 0..6), 12 → 5 the body (7..14), 5 → 0 the lower wick.
    assert column[:3] == ["│", "│", "│"]
    assert column[3] == "╽"  # wick above, body below (hollow: a rising candle)
    assert column[4:7] == ["┃", "┃", "┃"]
    assert column[7] == "╿"  # body above, wick below
    assert column[8:] == ["│", "│"]


def test_rising_and_falling_candles_differ_without_colour() -> None:
    rising = Candle(MINT, T0, open=1.0, high=4.0, low=0.5, close=3.5, volume_sol=1.0)
    falling = Candle(MINT, T0 + 60, open=3.5, high=4.0, low=0.5, close=1.0, volume_sol=1.0)
    grid = draw_chart([rising, falling], 40, 14, seconds=60, tz=UTC)
    up_column = {grid.chars[y][grid.columns[rising.start]] for y in range(grid.plot_rows)}
    down_column = {grid.chars[y][grid.columns[falling.start]] for y in range(grid.plot_rows)}
    up_bodies, down_bodies = up_column - WICK_GLYPHS - {" "}, down_column - WICK_GLYPHS - {" "}
    assert up_bodies
    assert down_bodies
    assert not up_bodies & down_bodies, "hollow and filled bodies use different glyphs"
    assert grid.roles[grid.scale.row(2.0)][grid.columns[rising.start]] is Role.UP
    assert grid.roles[grid.scale.row(2.0)][grid.columns[falling.start]] is Role.DOWN


def test_a_doji_still_shows_a_body() -> None:
    doji = Candle(MINT, T0, open=2.0, high=3.0, low=1.0, close=2.0, volume_sol=1.0)
    grid = draw_chart([doji], 40, 12, seconds=60, tz=UTC)
    column = "".join(grid.chars[y][grid.columns[T0]] for y in range(grid.plot_rows))
    assert set(column) - WICK_GLYPHS - {" "}, column


def test_only_the_newest_candles_that_fit_are_drawn_newest_at_the_right() -> None:
    candles = random_candles(500)
    grid = draw_chart(candles, 80, 20, seconds=60, tz=UTC)
    drawn = grid.candles
    assert drawn == candles[-len(drawn) :]
    assert len(drawn) == grid.plot_width // 2
    assert grid.columns[candles[-1].start] == max(grid.columns.values())
    assert grid.columns[candles[-1].start] >= grid.plot_width - 2


def test_looking_back_puts_the_chosen_time_at_the_right_edge() -> None:
    candles = random_candles(500)
    end = candles[300].start + 30  # inside the 301st candle's minute
    grid = draw_chart(candles, 80, 20, seconds=60, tz=UTC, end=end)
    assert grid.candles[-1] == candles[300]
    assert grid.candles == candles[301 - len(grid.candles) : 301]
    before_any = draw_chart(candles, 80, 20, seconds=60, tz=UTC, end=T0 - 3600)
    assert before_any.candles == []
    assert "No trades in this stretch" in "".join(
        before_any.row_text(y) for y in range(before_any.height)
    )


def test_a_bucket_without_trades_is_a_gap_at_the_previous_close() -> None:
    candles = random_candles(30, gaps=(25, 26))
    grid = draw_chart(candles, 80, 20, seconds=60, tz=UTC)
    before_gap = next(c for c in candles if c.start == T0 + 24 * 60)
    x_before = grid.columns[before_gap.start]
    for step in (1, 2):  # the two missing minutes, two columns apart each
        x = x_before + 2 * step
        plot = [(y, grid.chars[y][x]) for y in range(grid.plot_rows) if grid.chars[y][x] != " "]
        assert plot == [(grid.scale.row(before_gap.close), "─")]
        assert grid.roles[plot[0][0]][x] is Role.GAP
        volume = [grid.chars[y][x] for y in range(grid.plot_rows, grid.height - 1)]
        assert set(volume) == {" "}, "no trades, no volume"


def test_volume_bars_grow_with_volume_and_the_peak_fills_the_panel() -> None:
    candles = random_candles(30)
    grid = draw_chart(candles, 80, 25, seconds=60, tz=UTC)
    rows = grid.volume_rows
    assert rows == volume_rows_for(25)
    blocks = " ▁▂▃▄▅▆▇█"

    def height(candle: Candle) -> int:
        x = grid.columns[candle.start]
        return sum(blocks.index(grid.chars[grid.plot_rows + r][x]) for r in range(rows))

    ordered = sorted(grid.candles, key=lambda c: c.volume_sol)
    heights = [height(c) for c in ordered]
    assert heights == sorted(heights)
    assert heights[-1] == rows * 8
    assert all(h > 0 for h in heights)


def test_time_labels_fall_on_round_times_in_the_chosen_zone() -> None:
    candles = random_candles(40)
    utc = draw_chart(candles, 100, 20, seconds=60, tz=UTC)
    bottom = utc.row_text(utc.height - 1)
    labels = bottom.split()
    assert labels
    assert all(len(label) == 5 and label.endswith(("0", "5")) for label in labels)
    assert "04:45" in labels  # T0 is 04:40 UTC; the chart covers 04:40 → 05:19
    plus_two = draw_chart(candles, 100, 20, seconds=60, tz=timezone(timedelta(hours=2)))
    assert "06:45" in plus_two.row_text(plus_two.height - 1).split()


def test_one_second_candles_are_labelled_with_seconds() -> None:
    candles = random_candles(40, seconds=1)
    grid = draw_chart(candles, 100, 20, seconds=1, tz=UTC)
    labels = grid.row_text(grid.height - 1).split()
    assert labels
    assert all(len(label) == 8 and label.count(":") == 2 for label in labels)


def test_a_history_too_short_for_a_round_time_is_still_dated() -> None:
    # Two 5-minute candles, 04:50 and 04:55: no half-hour mark falls on them.
    candles = [
        Candle(MINT, T0 + 600 + 300 * i, 1e-7, 1.2e-7, 0.9e-7, 1.1e-7, 1.0, 300) for i in range(2)
    ]
    grid = draw_chart(candles, 80, 12, seconds=300, tz=UTC)
    assert grid.row_text(grid.height - 1).split() == ["04:50"]
    start = grid.row_text(grid.height - 1).index("04:50")
    assert start <= grid.columns[candles[0].start] < start + 5, "under its candle"


def test_price_axis_reads_upwards_and_shows_the_last_close() -> None:
    candles = random_candles(40)
    grid = draw_chart(candles, 100, 24, seconds=60, tz=UTC)
    label_x = grid.plot_width + 2
    labelled = [(y, grid.row_text(y)[label_x:].strip()) for y in range(grid.plot_rows)]
    labelled = [(y, text) for y, text in labelled if text]
    assert len(labelled) >= 3
    last = candles[-1]
    last_rows = [y for y, _ in labelled if grid.roles[y][label_x] in (Role.LAST_UP, Role.LAST_DOWN)]
    assert last_rows == [grid.scale.row(last.close)]
    ticks = [text for y, text in labelled if y not in last_rows]
    values = [parse_subscript_price(text) for text in ticks]
    assert values == sorted(values, reverse=True), ticks
    for y, text in labelled:
        if y not in last_rows:
            assert abs(grid.scale.row(parse_subscript_price(text)) - y) <= 0, (y, text)


def test_axis_labels_keep_one_notation_across_a_decade() -> None:
    # A young coin's run from 4e-8 to 2.4e-7 SOL: every label counts the same six zeros.
    prices = [4e-8, 6e-8, 9e-8, 1.3e-7, 1.8e-7, 2.4e-7]
    candles = [
        Candle(MINT, T0 + 60 * i, p, p * 1.01, p * 0.99, p * 1.005, 1.0)
        for i, p in enumerate(prices)
    ]
    grid = draw_chart(candles, 60, 24, seconds=60, tz=UTC)
    label_x = grid.plot_width + 2
    rows = [y for y in range(grid.plot_rows) if grid.row_text(y)[label_x:].strip()]
    labels = [grid.row_text(y)[label_x:].strip() for y in rows]
    ticks = [
        grid.row_text(y)[label_x:].strip() for y in rows if grid.roles[y][label_x] is Role.LABEL
    ]
    assert len(ticks) >= 4
    assert all(label.startswith("0.0₆") for label in labels), labels
    assert "0.0₆05" in ticks, ticks  # 5e-8, not "0.0₇50"
    assert len({len(tick) for tick in ticks}) == 1, f"ticks line up: {ticks}"


def test_changing_the_last_candle_repaints_only_the_cells_that_moved() -> None:
    candles = random_candles(60)
    before = draw_chart(candles, 100, 24, seconds=60, tz=UTC)
    last = candles[-1]
    # A small trade inside the visible range: same scale, the last candle's close moves.
    moved = Candle(
        MINT,
        last.start,
        last.open,
        last.high,
        last.low,
        (last.high + last.low) / 2,
        last.volume_sol * 0.99,
        60,
    )
    after = draw_chart([*candles[:-1], moved], 100, 24, seconds=60, tz=UTC)
    regions = after.changed_regions(before)
    assert regions, "something changed"
    last_x = after.columns[last.start]
    for region in regions:
        assert region.x >= last_x, region
        assert region.height == 1, region
    assert sum(r.width for r in regions) < 100 * 24 // 10
    assert after.changed_regions(after) == []


def test_no_candles_says_so() -> None:
    grid = draw_chart([], 60, 12, seconds=60, tz=UTC)
    assert "No trades yet" in "".join(grid.row_text(y) for y in range(grid.height))


@pytest.mark.parametrize(
    ("price", "step", "expected"),
    [
        (2.8e-8, 1e-9, "0.0₇28"),
        (2.796e-8, None, "0.0₇280"),
        (2.8e-8, 1e-10, "0.0₇280"),
        (9.996e-9, None, "0.0₇100"),  # rounds up into the next decade
        (4.2e-7, 1e-8, "0.0₆42"),
        (0.00123, None, "0.00123"),
        (0.5, 0.1, "0.50"),
        (12.3, None, "12.3"),
        (0.0, None, "0"),
    ],
)
def test_prices_are_short_and_exact_enough(price: float, step: float | None, expected: str) -> None:
    assert format_price(price, step) == expected


def test_nice_steps_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert nice_step(1.0, 4) == 0.5
    assert nice_step(3.2e-8, 6) == pytest.approx(1e-8)
    assert nice_step(0.0, 4) == 0.0


def parse_subscript_price(text: str) -> float:
    """Read "0.0₇28" back as 2.8e-8 (the axis labels' notation)."""
    subscripts = "₀₁₂₃₄₅₆₇₈₉"
    if not text.startswith("0.0") or len(text) < 4 or text[3] not in subscripts:
        return float(text)
    rest = text[3:]
    zeros = int("".join(str(subscripts.index(c)) for c in rest if c in subscripts))
    digits = "".join(c for c in rest if c not in subscripts)
    return float("0." + "0" * zeros + digits)
