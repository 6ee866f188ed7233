"""The candlestick chart draws the store's OHLCV faithfully: what a trader reads off it is true."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pumptui.api.models import Candle
from pumptui.tui.widgets.candle_chart import (
    ASCII_GLYPHS,
    DEFAULT_ZOOM,
    LABEL_WIDTH,
    ZOOM_LEVELS,
    ChartGrid,
    Role,
    auto_zoom,
    axis_label,
    body_width,
    draw_chart,
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


def time_labels(grid: ChartGrid) -> list[str]:
    """The labels of the time axis (a dated one holds a single space: "Nov 21 04:40")."""
    return re.split(r" {2,}", grid.row_text(grid.height - 1).strip())


def test_time_labels_fall_on_round_times_in_the_chosen_zone() -> None:
    candles = random_candles(40)
    utc = draw_chart(candles, 100, 20, seconds=60, tz=UTC)
    labels = time_labels(utc)
    times = [label.removeprefix("Nov 21 ") for label in labels]
    assert len(times) >= 3
    assert all(len(time) == 5 and time.endswith(("0", "5")) for time in times), labels
    assert "04:50" in times  # T0 is 04:40 UTC; the chart covers 04:40 → 05:19
    plus_two = draw_chart(candles, 100, 20, seconds=60, tz=timezone(timedelta(hours=2)))
    assert "06:50" in time_labels(plus_two)


def test_one_second_candles_are_labelled_with_seconds() -> None:
    candles = random_candles(40, seconds=1)
    grid = draw_chart(candles, 100, 20, seconds=1, tz=UTC)
    times = [label.removeprefix("Nov 21 ") for label in time_labels(grid)]
    assert len(times) >= 2
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", time) for time in times), times


def test_hourly_labels_give_the_date_by_month_and_day_where_the_day_changes() -> None:
    # Sixty hours from 04:00 on 21 November: midnights on the 22nd and the 23rd.
    candles = random_candles(60, seconds=3600)
    grid = draw_chart(candles, 100, 16, seconds=3600, tz=UTC)
    labels = time_labels(grid)
    assert "Nov 22" in labels
    assert "Nov 23" in labels
    assert all(re.fullmatch(r"\d\d:\d\d|Nov \d\d", label) for label in labels), labels
    # The date sits under midnight's candle; the hours around it are times of day.
    midnight = next(c for c in candles if c.start // 3600 % 24 == 0 and c.start in grid.columns)
    x = grid.columns[midnight.start]
    assert grid.row_text(grid.height - 1)[x : x + 6] == _date(midnight.start)
    assert any(re.fullmatch(r"\d\d:00", label) for label in labels)


def test_a_chart_without_a_midnight_dates_its_first_label() -> None:
    # Eight hours, 04:00 to 11:00 on 21 November: no day change to show, so the first label
    # says which day this is.
    candles = random_candles(8, seconds=3600)
    grid = draw_chart(candles, 60, 12, seconds=3600, tz=UTC, stride=4)
    labels = time_labels(grid)
    assert labels[0].startswith("Nov 21 "), labels
    assert all(re.fullmatch(r"\d\d:\d\d", label) for label in labels[1:]), labels


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%b %d")


def test_a_history_too_short_for_a_round_time_is_still_dated() -> None:
    # Two 5-minute candles, 04:50 and 04:55: no half-hour mark falls on them.
    candles = [
        Candle(MINT, T0 + 600 + 300 * i, 1e-7, 1.2e-7, 0.9e-7, 1.1e-7, 1.0, 300) for i in range(2)
    ]
    grid = draw_chart(candles, 80, 12, seconds=300, tz=UTC)
    assert time_labels(grid) == ["Nov 21 04:50"]
    start = grid.row_text(grid.height - 1).index("Nov 21 04:50")
    assert start <= grid.columns[candles[0].start] < start + 12, "under its candle"


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


def scaled(candles: list[Candle], factor: float) -> list[Candle]:
    """The same chart at another price level."""
    return [
        replace(c, open=c.open * f, high=c.high * f, low=c.low * f, close=c.close * f)
        for c, f in ((c, factor) for c in candles)
    ]


def price_labels(grid: ChartGrid) -> tuple[str, list[tuple[int, str]]]:
    """The price tag and the (row, text) of each tick label."""
    label_x = grid.plot_width + 2
    tag = ""
    ticks: list[tuple[int, str]] = []
    for y in range(grid.plot_rows):
        text = grid.row_text(y)[label_x:].strip()
        if grid.roles[y][label_x] in (Role.LAST_UP, Role.LAST_DOWN):
            tag = text
        elif text:
            ticks.append((y, text))
    return tag, ticks


def decimals_of(text: str) -> int:
    """Decimal places a label shows: "0.0₇305" has ten (seven zeros, then three digits)."""
    subscripts = "₀₁₂₃₄₅₆₇₈₉"
    if text.startswith("0.0") and len(text) > 3 and text[3] in subscripts:
        zeros = "".join(str(subscripts.index(c)) for c in text[3:] if c in subscripts)
        return int(zeros) + len(text) - 3 - len(zeros)
    return len(text.partition(".")[2])


CHARTS = [
    (seed, base, height)
    for seed in range(8)
    for base in (2.8e-8, 4.1e-7, 3.3e-6, 0.0021)
    for height in (16, 24)
]


@pytest.mark.parametrize(("seed", "base", "height"), CHARTS)
def test_every_price_label_shows_one_precision_and_the_ticks_one_step(
    seed: int, base: float, height: int
) -> None:
    candles = scaled(random_candles(50, seed=seed), base / 2.8e-8)
    grid = draw_chart(candles, 100, height, seconds=60, tz=UTC)
    tag, ticks = price_labels(grid)
    assert len(ticks) >= (2 if height >= 24 else 1), (tag, ticks)
    assert {decimals_of(text) for _, text in ticks} == {decimals_of(tag)}, (tag, ticks)
    values = [parse_subscript_price(text) for _, text in ticks]
    steps = [upper - lower for upper, lower in itertools.pairwise(values)]
    step = min(steps, default=1.0)
    assert step > 0
    # Some ticks may be left out beside the tag, so a gap is a whole number of steps.
    assert all(abs(s / step - round(s / step)) < 1e-6 for s in steps), ticks


@pytest.mark.parametrize("height", range(10, 30))
@pytest.mark.parametrize("prices", [(2e-8, 4e-8, 3e-8), (2.9e-8, 3.1e-8, 3e-8)])
def test_no_tick_label_shares_the_price_tags_row_or_repeats_it(
    height: int, prices: tuple[float, ...]
) -> None:
    # The last close is a round price, so a tick falls on it: the tick's label would read as
    # the tag does ("0.0₇30" beside "0.0₇300"), on its row or the next.
    candles = [Candle(MINT, T0 + 60 * i, p, p, p, p, 1.0) for i, p in enumerate(prices)]
    grid = draw_chart(candles, 60, height, seconds=60, tz=UTC)
    tag, ticks = price_labels(grid)
    assert grid.scale is not None
    assert parse_subscript_price(tag) == pytest.approx(3e-8), tag
    tag_row = grid.scale.row(prices[-1])
    assert all(y != tag_row for y, _ in ticks), (tag_row, ticks)
    values = [parse_subscript_price(text) for _, text in ticks]
    assert all(value != pytest.approx(3e-8) for value in values), (tag, ticks)
    assert ticks


@pytest.mark.parametrize("stride", ZOOM_LEVELS)
def test_zooming_draws_fewer_wider_candles_that_still_span_high_to_low(stride: int) -> None:
    candles = random_candles(300)
    grid = draw_chart(candles, 100, 24, seconds=60, tz=UTC, stride=stride, hollow_up=False)
    assert grid.scale is not None
    assert len(grid.candles) == grid.plot_width // stride
    assert grid.candles == candles[-len(grid.candles) :]
    body = body_width(stride)
    assert body == (3 if stride == 4 else 5 if stride == 6 else 7 if stride == 8 else 1)
    for candle in grid.candles:
        x = grid.columns[candle.start]
        rows = plot_rows_of(grid, x)
        assert rows[0] == grid.scale.row(candle.high), candle
        assert rows[-1] == grid.scale.row(candle.low), candle
        body_row = grid.scale.row((candle.open + candle.close) / 2)
        cells = grid.row_text(body_row)[x - body // 2 : x + body // 2 + 1]
        assert len(cells) == body
        assert " " not in cells, (stride, cells)
        if stride > body:
            assert grid.chars[body_row][x - body // 2 - 1] == " ", "a gap between candles"


def test_a_young_coin_is_drawn_wide_enough_to_fill_most_of_the_chart() -> None:
    plot_width = 100 - LABEL_WIDTH - 2
    for minutes in (5, 12, 20, 40):
        stride = auto_zoom(minutes, plot_width)
        grid = draw_chart(random_candles(minutes), 100, 20, seconds=60, tz=UTC, stride=stride)
        spread = max(grid.columns.values()) - min(grid.columns.values()) + stride
        assert spread >= plot_width * 0.4, (minutes, stride, spread)
        assert len(grid.candles) == minutes
    assert auto_zoom(500, plot_width) == DEFAULT_ZOOM == 2


@pytest.mark.parametrize("hollow_up", [True, False])
@pytest.mark.parametrize("stride", [1, 2, 4])
def test_the_ascii_glyphs_draw_the_whole_chart_in_ascii(hollow_up: bool, stride: int) -> None:
    candles = random_candles(80, seconds=3600, gaps=(70, 71))
    grid = draw_chart(
        candles,
        100,
        20,
        seconds=3600,
        tz=UTC,
        stride=stride,
        hollow_up=hollow_up,
        glyphs=ASCII_GLYPHS,
    )
    text = "\n".join(grid.row_text(y) for y in range(grid.height))
    assert text.isascii(), sorted({c for c in text if not c.isascii()})
    tag, ticks = price_labels(grid)
    assert tag.startswith("0.0(7)"), tag
    assert len(ticks) >= 2
    # Candles, volume, gaps and the axis are all there, in ASCII.
    assert {"|", "#", "-", "+"} <= set(text)
    assert any(c in text for c in ".:") or "#" in text


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
    ("price", "decimals", "top", "expected"),
    [
        (2.8e-8, 9, 3e-8, "0.0₇28"),
        (2.8e-8, 10, 3e-8, "0.0₇280"),
        (2.796e-8, 11, 3e-8, "0.0₇2796"),
        (9.996e-9, 10, 9.996e-9, "0.0₇100"),  # rounds up into the next decade
        (4.2e-7, 9, 5e-7, "0.0₆420"),
        (5e-8, 9, 2.4e-7, "0.0₆050"),  # counts the zeros of the top of the axis
        (0.00123, 5, 0.002, "0.00123"),
        (0.5, 2, 0.9, "0.50"),
        (12.3, 1, 15.0, "12.3"),
        (0.0, 2, 1.0, "0.00"),
    ],
)
def test_axis_labels_are_short_and_exact_enough(
    price: float, decimals: int, top: float, expected: str
) -> None:
    assert axis_label(price, decimals, top) == expected


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


def test_a_live_chart_keeps_its_scale_while_new_prices_fit_and_repaints_little() -> None:
    """A new high or low used to move every candle: the whole chart sent to the terminal again
    under a flood. Held, a trade inside the scale changes only the cells it touches."""
    candles = random_candles(40)
    first = draw_chart(candles, 100, 24, seconds=60, tz=UTC)
    assert first.scale is not None
    # Fitted exactly when drawn afresh (the view opened, zoomed, re-timed).
    assert first.scale.low == min(c.low for c in candles)
    span = first.scale.high - first.scale.low
    last = candles[-1]

    def dipped(share: float) -> list[Candle]:
        """The last candle dipping `share` of the range below the chart's low."""
        low = first.scale.low - span * share  # type: ignore[union-attr]
        return [*candles[:-1], replace(last, low=low, close=low * 1.001)]

    grown = draw_chart(dipped(0.02), 100, 24, seconds=60, tz=UTC, hold=first)
    held = draw_chart(dipped(0.04), 100, 24, seconds=60, tz=UTC, hold=grown)
    assert held.scale == grown.scale
    regions = held.changed_regions(grown)
    assert regions is not None
    assert len(regions) <= 4  # the last candle's rows and its price tag, not every row
    # Fitted afresh each time, the same two dips moved every candle.
    afresh = draw_chart(dipped(0.02), 100, 24, seconds=60, tz=UTC)
    again = draw_chart(dipped(0.04), 100, 24, seconds=60, tz=UTC)
    moved = again.changed_regions(afresh)
    assert moved is not None
    assert len(moved) > 10


def test_a_new_high_grows_the_scale_with_headroom_so_the_next_one_fits() -> None:
    candles = random_candles(40)
    first = draw_chart(candles, 100, 24, seconds=60, tz=UTC)
    assert first.scale is not None
    top = first.scale.high
    span = top - first.scale.low
    last = candles[-1]
    higher = replace(last, high=top + span * 0.05, close=top + span * 0.04)
    grown = draw_chart([*candles[:-1], higher], 100, 24, seconds=60, tz=UTC, hold=first)
    assert grown.scale is not None
    assert grown.scale.high > higher.high  # headroom above the new high
    assert grown.scale.low < first.scale.low  # and below the low
    # The new high is drawn where it is, under the top row; the next one up fits as it is.
    assert grown.scale.row(higher.high) >= 1
    again = replace(higher, high=higher.high * 1.01)
    kept = draw_chart([*candles[:-1], again], 100, 24, seconds=60, tz=UTC, hold=grown)
    assert kept.scale == grown.scale


def test_a_held_scale_is_let_go_once_the_prices_fill_too_little_of_it() -> None:
    """Once the spike that set the scale leaves the view, the candles are fitted again."""
    candles = random_candles(40)
    spike = replace(candles[0], high=max(c.high for c in candles) * 3)
    wide = draw_chart([spike, *candles[1:]], 100, 24, seconds=60, tz=UTC)
    assert wide.scale is not None
    assert wide.scale.high == spike.high
    later = [replace(c, start=c.start + 3600) for c in candles[1:]]  # the spike is out of view
    fitted = draw_chart(later, 100, 24, seconds=60, tz=UTC, hold=wide)
    assert fitted.scale is not None
    assert fitted.scale.high < spike.high
    highest = max(c.high for c in later)
    assert fitted.scale.row(highest) <= 1  # the highest candle near the top again


def test_the_volume_bars_keep_their_scale_while_the_forming_candle_grows_under_it() -> None:
    """The candle forming now is often the tallest: each of its trades rescaled every bar."""
    candles = random_candles(40)
    tallest = max(c.volume_sol for c in candles)
    last = candles[-1]

    def forming(volume: float) -> list[Candle]:
        return [*candles[:-1], replace(last, volume_sol=volume)]

    first = draw_chart(forming(tallest * 1.2), 100, 24, seconds=60, tz=UTC)
    assert first.volume_peak == tallest * 1.2  # fitted exactly when drawn afresh
    grown = draw_chart(forming(tallest * 1.3), 100, 24, seconds=60, tz=UTC, hold=first)
    assert grown.volume_peak > tallest * 1.3  # with headroom
    held = draw_chart(forming(tallest * 1.35), 100, 24, seconds=60, tz=UTC, hold=grown)
    assert held.volume_peak == grown.volume_peak
    regions = held.changed_regions(grown)
    assert regions is not None
    x = held.columns[last.start]
    body = body_width(held.stride)
    # Only the forming candle's bar grew: no other bar, nor the scale's label, moved.
    assert all(x - body <= r.x and r.right <= x + body for r in regions), regions
