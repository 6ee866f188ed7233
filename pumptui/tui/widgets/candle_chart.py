"""A real candlestick chart with volume, drawn from the market store's candles.

Why a renderer of our own rather than plotext: a price chart needs half-cell vertical resolution
(box-drawing and half-block glyphs give two price levels per row), an honest time axis (a bucket
without trades is a gap, not a squeezed-out column), prices that are 0.0000000x SOL, and, for slow
SSH links, redraws of only the cells that changed when one trade moves the last candle. A terminal
without those glyphs (TERM=linux, a bare font) gets the same chart in ASCII (`ASCII_GLYPHS`).

The drawing (`draw_chart`) is a pure function from candles to a grid of glyphs and roles, so tests
can check it against the OHLC it was given; `CandleChart` maps roles to theme styles and refreshes
only the spans of the grid that differ from what is on screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from enum import IntEnum

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from pumptui.api.models import Candle
from pumptui.live.candles import TIMEFRAMES
from pumptui.tui.format import compact
from pumptui.tui.widgets.repaint import coarse_spans, text_look

TIMEFRAME_LABELS: dict[int, str] = {1: "1s", 15: "15s", 60: "1m", 300: "5m", 900: "15m", 3600: "1h"}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Label periods for the time axis: labels fall on round clock times, whatever the timeframe.
_NICE_PERIODS = (
    1,
    2,
    5,
    10,
    15,
    30,
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    7200,
    10800,
    21600,
    43200,
    86400,
    172800,
    604800,
)
LABEL_WIDTH = 9
"""Cells for the price labels: wide enough for "0.0₁₂1234" so the plot does not jitter."""
ZOOM_LEVELS = (1, 2, 3, 4, 6, 8)
"""Columns per candle the zoom keys step through; wider than 3, the body is drawn wider too."""
DEFAULT_ZOOM = 2
"""Columns per candle for a history too long to fit the width: a candle and a gap."""


def timeframe_label(seconds: int) -> str:
    return TIMEFRAME_LABELS.get(seconds, f"{seconds}s")


@dataclass(frozen=True, slots=True)
class ChartUnits:
    """What the chart's axis measures: the price per whole token or the market cap (the price
    times the total supply), in SOL or in USD (SOL times the app's SOL price)."""

    market_cap: bool = False
    usd: bool = False

    @property
    def label(self) -> str:
        """ "price SOL", "mcap USD": how the chart's title names them."""
        return f"{'mcap' if self.market_cap else 'price'} {'USD' if self.usd else 'SOL'}"


def convert_candles(
    candles: Sequence[Candle],
    units: ChartUnits,
    *,
    supply_tokens: float,
    sol_usd: float | None,
) -> list[Candle]:
    """The store's candles (SOL per whole token, volume in SOL) in `units`: prices × the total
    supply for a market cap, × the SOL price for USD (the volume too). Without a SOL price there
    is no USD: the candles stay in SOL (the caller says so)."""
    rate = sol_usd or 0.0
    usd = units.usd and rate > 0
    factor = (supply_tokens if units.market_cap else 1.0) * (rate if usd else 1.0)
    if not units.market_cap and not usd:
        return list(candles)
    return [
        replace(
            c,
            open=c.open * factor,
            high=c.high * factor,
            low=c.low * factor,
            close=c.close * factor,
            currency="USD" if usd else c.currency,
            volume_usd=c.volume_sol * rate if usd else c.volume_usd,
        )
        for c in candles
    ]


def auto_zoom(buckets: int, plot_width: int) -> int:
    """The widest zoom at which `buckets` candles still fit `plot_width` columns.

    A coin a few minutes old then fills the chart with wide candles instead of a sliver at its
    right edge; a longer history gets `DEFAULT_ZOOM` (one column per candle is too dense to be
    the default).
    """
    fitting = [z for z in ZOOM_LEVELS if z >= DEFAULT_ZOOM and plot_width // z >= buckets]
    return max(fitting, default=DEFAULT_ZOOM)


def body_width(stride: int) -> int:
    """Columns of a candle's body at `stride` columns per candle: odd, so the wick is centred."""
    width = stride - 1
    if width % 2 == 0:
        width -= 1
    return max(1, width)


# -- glyphs --------------------------------------------------------------------------------------

_NONE, _WICK, _BODY = 0, 1, 2


def _subscript_zeros(count: int) -> str:
    return str(count).translate(_SUBSCRIPTS)


def _ascii_zeros(count: int) -> str:
    return f"({count})"


@dataclass(frozen=True, slots=True)
class ChartGlyphs:
    """Every character the chart draws with, so a terminal without Unicode gets an ASCII set."""

    filled: dict[tuple[int, int], str]
    """(upper half, lower half) of a cell → glyph for a filled candle."""
    hollow: dict[tuple[int, int], str]
    """The same for a hollow (rising, without colour) candle."""
    gap: str
    volume: str
    """Nine glyphs: an empty cell, then eighths of a cell filled from the bottom."""
    axis: str
    tick: str
    zeros: Callable[[int], str]
    """How "0.0₇28" marks its run of zeros (`zeros(7)` → "₇")."""
    separator: str


# Wicks are light lines in every style.
_WICK_GLYPHS = {(_WICK, _WICK): "│", (_NONE, _WICK): "╷", (_WICK, _NONE): "╵"}
UNICODE_GLYPHS = ChartGlyphs(
    # Filled bodies: half blocks. Where a wick and a body share a cell the body's half wins.
    filled={
        (_BODY, _BODY): "█",
        (_NONE, _BODY): "▄",
        (_BODY, _NONE): "▀",
        (_WICK, _BODY): "▄",
        (_BODY, _WICK): "▀",
        **_WICK_GLYPHS,
    },
    # Hollow bodies: heavy lines, which keep the wick half visible (╽ ╿).
    hollow={
        (_BODY, _BODY): "┃",
        (_NONE, _BODY): "╻",
        (_BODY, _NONE): "╹",
        (_WICK, _BODY): "╽",
        (_BODY, _WICK): "╿",
        **_WICK_GLYPHS,
    },
    gap="─",
    volume=" ▁▂▃▄▅▆▇█",
    axis="│",
    tick="┤",
    zeros=_subscript_zeros,
    separator="·",
)
# ASCII has no half cells: a cell holding any part of a body shows the body, any wick a bar.
_HALVES = ((_BODY, _BODY), (_NONE, _BODY), (_BODY, _NONE), (_WICK, _BODY), (_BODY, _WICK))
_ASCII_WICKS = {(_WICK, _WICK): "|", (_NONE, _WICK): "|", (_WICK, _NONE): "|"}
ASCII_GLYPHS = ChartGlyphs(
    filled={**dict.fromkeys(_HALVES, "#"), **_ASCII_WICKS},
    hollow={**dict.fromkeys(_HALVES, "O"), **_ASCII_WICKS},
    gap="-",
    volume=" ..::||##",
    axis="|",
    tick="+",
    zeros=_ascii_zeros,
    separator="-",
)


# -- number formatting ---------------------------------------------------------------------------


def axis_decimals(step: float) -> int:
    """Decimal places for every label of an axis whose ticks are `step` apart.

    Fine enough to cut a step in five, so the price tag between two ticks reads as a number
    between them ("0.0₇307" between "0.0₇305" and "0.0₇310"), in the same precision as they are.
    """
    return math.ceil(-math.log10(step / 5) - 1e-9)


def axis_label(
    value: float,
    decimals: int,
    reference: float,
    *,
    zeros: Callable[[int], str] = _subscript_zeros,
    width: int = LABEL_WIDTH,
) -> str:
    """`value` with `decimals` decimal places, every label of one axis in the same notation.

    Below 0.001 the zeros after the point are counted once, from `reference` (the top of the
    axis), so 2e-7 and 5e-8 read "0.0₆200" and "0.0₆050" and line up, rather than switching
    notation halfway down the axis.
    """
    if not math.isfinite(value) or value < 0:
        return "?"
    if reference >= 0.001 or reference <= 0:
        text = f"{value:.{max(0, decimals)}f}"
        return text if len(text) <= width else compact(value)
    count = -math.floor(math.log10(reference)) - 1
    digits = max(1, min(decimals - count, width - 3 - len(zeros(count))))
    if round(reference * 10 ** (count + digits)) >= 10**digits:
        # The top of the axis rounds up into the next decade (9.996e-9 → 1.00e-8): one zero less.
        count -= 1
        digits = max(1, min(decimals - count, width - 3 - len(zeros(count))))
    mantissa = round(value * 10 ** (count + digits))
    return f"0.0{zeros(count)}{mantissa:0{digits}d}"


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `count` parts."""
    if span <= 0 or count <= 0 or not math.isfinite(span):
        return 0.0
    raw = span / count
    power: float = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


# -- the grid ------------------------------------------------------------------------------------


class Role(IntEnum):
    """What a cell shows; the widget maps each role to a style from its component classes."""

    EMPTY = 0
    UP = 1
    DOWN = 2
    GAP = 3
    VOLUME_UP = 4
    VOLUME_DOWN = 5
    AXIS = 6
    LABEL = 7
    LAST_UP = 8
    LAST_DOWN = 9
    TIME = 10
    MESSAGE = 11


@dataclass(frozen=True, slots=True)
class PriceScale:
    """Maps prices to half-rows ("sub-rows"): 0 is the top half of the top row."""

    low: float
    high: float
    sub_rows: int

    def sub_row(self, price: float) -> int:
        if self.high <= self.low:
            return self.sub_rows // 2
        fraction = (self.high - price) / (self.high - self.low)
        return max(0, min(self.sub_rows - 1, round(fraction * (self.sub_rows - 1))))

    def row(self, price: float) -> int:
        return self.sub_row(price) // 2


@dataclass(slots=True)
class ChartGrid:
    """The chart as rows of glyphs and roles, plus what it was drawn from (for tests and diffs)."""

    width: int
    height: int
    chars: list[list[str]]
    roles: list[list[Role]]
    scale: PriceScale | None = None
    plot_rows: int = 0
    volume_rows: int = 0
    plot_width: int = 0
    stride: int = DEFAULT_ZOOM
    # The volume at the top of the volume bars (0 when there are none).
    volume_peak: float = 0.0
    # Column of each candle drawn, keyed by the candle's bucket start.
    columns: dict[float, int] = field(default_factory=dict)
    candles: list[Candle] = field(default_factory=list)

    @classmethod
    def blank(cls, width: int, height: int) -> ChartGrid:
        return cls(
            width,
            height,
            [[" "] * width for _ in range(height)],
            [[Role.EMPTY] * width for _ in range(height)],
        )

    def put(self, x: int, y: int, text: str, role: Role) -> None:
        """Write single-cell characters from (x, y), clipped to the grid."""
        if not 0 <= y < self.height:
            return
        row_chars, row_roles = self.chars[y], self.roles[y]
        for offset, char in enumerate(text):
            column = x + offset
            if 0 <= column < self.width:
                row_chars[column] = char
                row_roles[column] = role

    def row_text(self, y: int) -> str:
        return "".join(self.chars[y])

    def changed_regions(self, other: ChartGrid | None) -> list[Region] | None:
        """The spans (one per row at most) where `other` differs; None when all of it does."""
        if other is None or other.width != self.width or other.height != self.height:
            return None
        regions: list[Region] = []
        for y in range(self.height):
            chars, roles = self.chars[y], self.roles[y]
            old_chars, old_roles = other.chars[y], other.roles[y]
            if chars == old_chars and roles == old_roles:
                continue
            first = next(
                x for x in range(self.width) if chars[x] != old_chars[x] or roles[x] != old_roles[x]
            )
            last = next(
                x
                for x in range(self.width - 1, -1, -1)
                if chars[x] != old_chars[x] or roles[x] != old_roles[x]
            )
            regions.append(Region(first, y, last - first + 1, 1))
        return regions


# A live chart keeps its price scale while the visible candles fit in it and fill most of it
# (`SCALE_FILL`); else every new high or low moved every candle, and the whole chart was sent to
# the terminal again. When it must change it leaves `SCALE_HEADROOM` of the range above and
# below, so the next new high fits too.
SCALE_FILL = 0.75
SCALE_HEADROOM = 0.08
# The volume bars' scale likewise: the candle forming now is often the tallest, and each of its
# trades rescaled every bar.
VOLUME_FILL = 0.6
VOLUME_HEADROOM = 0.25


def fitted_scale(low: float, high: float, sub_rows: int, hold: PriceScale | None) -> PriceScale:
    """The scale for prices from `low` to `high`: exactly that range, or, for a live chart
    (`hold`: the scale it shows now), `hold` while it still fits, else the range with
    headroom."""
    if hold is None or hold.sub_rows != sub_rows:
        return PriceScale(low, high, sub_rows)
    span = hold.high - hold.low
    if hold.low <= low and high <= hold.high and (span <= 0 or high - low >= SCALE_FILL * span):
        return hold
    margin = (high - low) * SCALE_HEADROOM
    return PriceScale(max(0.0, low - margin), high + margin, sub_rows)


def fitted_peak(peak: float, hold: float | None) -> float:
    """The volume at the top of the bars: the tallest candle's, or for a live chart the top it
    shows now (`hold`) while the tallest fits under it and fills most of it, else the tallest
    with headroom."""
    if hold is None or hold <= 0:
        return peak
    if VOLUME_FILL * hold <= peak <= hold:
        return hold
    return peak * (1 + VOLUME_HEADROOM)


def volume_rows_for(height: int) -> int:
    """Rows given to the volume histogram: a fifth of the chart, between 1 and 5."""
    if height < 8:
        return 0
    return max(1, min(5, height // 5))


def draw_chart(
    candles: Sequence[Candle],
    width: int,
    height: int,
    *,
    seconds: int,
    tz: tzinfo | None = None,
    hollow_up: bool = True,
    stride: int = DEFAULT_ZOOM,
    end: float | None = None,
    glyphs: ChartGlyphs = UNICODE_GLYPHS,
    hold: ChartGrid | None = None,
) -> ChartGrid:
    """Draw the most recent candles that fit in `width` × `height` cells.

    Layout: price plot on top, volume histogram below, time labels on the last row, price axis on
    the right. The newest candle sits at the right edge (or the bucket holding `end`, to look
    back in time); `stride` columns per bucket of `seconds`, so a bucket without trades shows as a
    gap (a dim dash at the previous close). The price scale spans the lowest low and highest high
    of the visible candles (a live chart passes the grid it shows as `hold`, whose scales are
    kept while they fit: see `fitted_scale` and `fitted_peak`). Rising candles (close ≥ open)
    are drawn hollow when `hollow_up`, falling ones filled, so direction reads without colour.
    """
    grid = ChartGrid.blank(max(0, width), max(0, height))
    stride = grid.stride = max(1, stride)
    if width <= 0 or height <= 0:
        return grid
    label_width = LABEL_WIDTH
    plot_width = width - label_width - 2  # axis line and a space before the labels
    if not candles or height < 4 or plot_width < stride * 2:
        return _message(grid, "No trades yet" if not candles else "Too small for a chart")

    volume_rows = volume_rows_for(height)
    plot_rows = height - 1 - volume_rows
    grid.plot_rows, grid.volume_rows, grid.plot_width = plot_rows, volume_rows, plot_width
    count = plot_width // stride
    body = body_width(stride)

    # The visible buckets, newest on the right; candles outside them are only used to carry the
    # last close into leading gaps.
    last_bucket = math.floor((candles[-1].start if end is None else end) / seconds)
    first_bucket = last_bucket - count + 1
    by_bucket: dict[int, Candle] = {}
    carried: float | None = None
    candle: Candle | None  # each loop below: a candle, or in the last two none for a gap
    for candle in candles:
        bucket = math.floor(candle.start / seconds)
        if bucket < first_bucket:
            carried = candle.close
        elif bucket <= last_bucket:
            by_bucket[bucket] = candle
    visible = [by_bucket[b] for b in sorted(by_bucket)]
    grid.candles = visible
    if not visible:
        return _message(grid, "No trades in this stretch")

    levels: list[tuple[int, int, Candle | None, float | None]] = []  # (bucket, x, candle, flat)
    for index in range(count):
        bucket = first_bucket + index
        x = plot_width - stride * (count - index) + (stride - 1) // 2
        candle = by_bucket.get(bucket)
        if candle is not None:
            levels.append((bucket, x, candle, None))
            carried = candle.close
        elif carried is not None:
            levels.append((bucket, x, None, carried))

    lows = [c.low for c in visible] + [flat for _, _, c, flat in levels if flat is not None]
    highs = [c.high for c in visible] + [flat for _, _, c, flat in levels if flat is not None]
    scale = fitted_scale(
        min(lows), max(highs), plot_rows * 2, hold.scale if hold is not None else None
    )
    grid.scale = scale

    for _bucket, x, candle, flat in levels:
        if candle is None:
            if flat is not None:
                grid.put(x - body // 2, scale.row(flat), glyphs.gap * body, Role.GAP)
            continue
        grid.columns[candle.start] = x
        _draw_candle(grid, x, body, candle, scale, glyphs, hollow_up)

    _draw_volume(
        grid,
        visible,
        plot_rows,
        volume_rows,
        body,
        glyphs,
        hold.volume_peak if hold is not None and hold.volume_rows == volume_rows else None,
    )
    _draw_axis(grid, scale, visible[-1], plot_rows, volume_rows, plot_width, label_width, glyphs)
    _draw_time_labels(grid, levels, first_bucket, seconds, stride, plot_width, tz)
    return grid


def _message(grid: ChartGrid, text: str) -> ChartGrid:
    text = text[: grid.width]
    grid.put(max(0, (grid.width - len(text)) // 2), grid.height // 2, text, Role.MESSAGE)
    return grid


def _draw_candle(
    grid: ChartGrid,
    x: int,
    body: int,
    candle: Candle,
    scale: PriceScale,
    glyphs: ChartGlyphs,
    hollow: bool,
) -> None:
    """The wick in column `x`, the body `body` columns wide centred on it.

    A wide hollow body is its two sides only, with the wick stopping at it: an outline.
    """
    rising = candle.close >= candle.open
    outline = rising and hollow and body > 1
    table = glyphs.hollow if rising and hollow else glyphs.filled
    role = Role.UP if rising else Role.DOWN
    high_sub, low_sub = scale.sub_row(candle.high), scale.sub_row(candle.low)
    body_top = scale.sub_row(max(candle.open, candle.close))
    body_bottom = scale.sub_row(min(candle.open, candle.close))

    def state(sub: int, wick: bool, side: bool) -> int:
        if body_top <= sub <= body_bottom:
            return _BODY if side else _NONE
        if wick and high_sub <= sub <= low_sub:
            return _WICK
        return _NONE

    left, right = x - body // 2, x + body // 2
    for column in range(left, right + 1):
        wick = column == x
        side = not outline or column in (left, right)
        for row in range(high_sub // 2, low_sub // 2 + 1):
            glyph = table.get((state(2 * row, wick, side), state(2 * row + 1, wick, side)))
            if glyph:
                grid.put(column, row, glyph, role)


def _draw_volume(
    grid: ChartGrid,
    visible: list[Candle],
    top: int,
    rows: int,
    body: int,
    glyphs: ChartGlyphs,
    hold: float | None,
) -> None:
    if rows <= 0:
        return
    volumes = [_volume(c) for c in visible]
    peak = max(volumes, default=0.0)
    if peak <= 0:
        return
    peak = grid.volume_peak = fitted_peak(peak, hold)
    levels = rows * 8
    for candle, volume in zip(visible, volumes, strict=True):
        x = grid.columns[candle.start]
        filled = math.ceil(volume / peak * levels) if volume > 0 else 0
        role = Role.VOLUME_UP if candle.close >= candle.open else Role.VOLUME_DOWN
        for level_row in range(rows):
            part = max(0, min(8, filled - 8 * level_row))
            if part:
                bar = glyphs.volume[part] * body
                grid.put(x - body // 2, top + rows - 1 - level_row, bar, role)
    label = f"${compact(peak)}" if visible[-1].currency == "USD" else f"{compact(peak)} SOL"
    grid.put(grid.plot_width + 2, top, label[:LABEL_WIDTH], Role.LABEL)


def _volume(candle: Candle) -> float:
    """The candle's volume in its own currency (a USD candle's is `volume_usd`)."""
    return candle.volume_usd if candle.currency == "USD" else candle.volume_sol


def _draw_axis(
    grid: ChartGrid,
    scale: PriceScale,
    last: Candle,
    plot_rows: int,
    volume_rows: int,
    plot_width: int,
    label_width: int,
    glyphs: ChartGlyphs,
) -> None:
    """The price axis: round ticks and the last close as a tag, all in one precision.

    A tick on the tag's row, or reading the same as the tag, is left out: the tag says it.
    """
    axis_x, label_x = plot_width, plot_width + 2
    for row in range(plot_rows + volume_rows):
        grid.put(axis_x, row, glyphs.axis, Role.AXIS)
    span = scale.high - scale.low
    step = nice_step(span, max(2, plot_rows // 2))
    # A flat chart (one price) has no step: the tag alone, in four significant digits.
    if step > 0:
        decimals = axis_decimals(step)
    else:
        decimals = 3 - math.floor(math.log10(last.close)) if last.close > 0 else 0

    def label(value: float) -> str:
        return axis_label(value, decimals, scale.high, zeros=glyphs.zeros, width=label_width)[
            :label_width
        ]

    tag_row = scale.row(last.close)
    tag = label(last.close)
    labelled: set[int] = set()
    if step > 0:
        first = math.ceil(scale.low / step - 1e-9)
        last_tick = math.floor(scale.high / step + 1e-9)
        for multiple in range(first, last_tick + 1):
            tick = multiple * step
            row = scale.row(tick)
            text = label(tick)
            if text == tag or row == tag_row or any(abs(row - other) <= 1 for other in labelled):
                continue
            labelled.add(row)
            grid.put(axis_x, row, glyphs.tick, Role.AXIS)
            grid.put(label_x, row, text, Role.LABEL)
    # The last close, highlighted: what the coin trades at now.
    role = Role.LAST_UP if last.close >= last.open else Role.LAST_DOWN
    grid.put(axis_x, tag_row, glyphs.tick, Role.AXIS)
    grid.put(label_x - 1, tag_row, " " * (label_width + 1), role)
    grid.put(label_x, tag_row, tag, role)


def _draw_time_labels(
    grid: ChartGrid,
    levels: list[tuple[int, int, Candle | None, float | None]],
    first_bucket: int,
    seconds: int,
    stride: int,
    plot_width: int,
    tz: tzinfo | None,
) -> None:
    """Round clock times under their candles; a label on a midnight gives the date instead
    ("Dec 02"), and when no midnight is in view the first label carries the date, so the axis
    never leaves the day to be guessed."""
    daily = seconds >= 86400
    width = 6 if daily else max(6, len(_time_text(0, seconds, tz)))
    min_period = math.ceil((width + 2) / stride) * seconds
    period = next((p for p in _NICE_PERIODS if p >= min_period and p % seconds == 0), None)
    if period is None:
        period = min_period
    count = plot_width // stride
    placed: list[tuple[int, str, int]] = []  # (x, label, bucket)
    dated = False
    next_free = 0
    # No labels over the empty stretch before the coin's first trade.
    first_with_data = levels[0][0] if levels else first_bucket
    for index in range(first_with_data - first_bucket, count):
        bucket = first_bucket + index
        start = bucket * seconds
        moment = _local(start, tz)
        offset = moment.utcoffset() or timedelta(0)
        if (start + int(offset.total_seconds())) % period:
            continue
        x = plot_width - stride * (count - index) + (stride - 1) // 2
        midnight = (moment.hour, moment.minute, moment.second) == (0, 0, 0)
        label = _date_text(moment) if daily or midnight else _time_text(start, seconds, tz)
        if x < next_free or x + len(label) > plot_width:
            continue
        placed.append((x, label, bucket))
        dated = dated or daily or midnight
        next_free = x + len(label) + 2
    if not placed and levels:
        # Too short a history for a round time: label the first candle, so the chart is dated.
        placed.append((levels[0][1], "", levels[0][0]))
    if placed and not dated:
        x, _, bucket = placed[0]
        moment = _local(bucket * seconds, tz)
        label = f"{_date_text(moment)} {_time_text(bucket * seconds, seconds, tz)}"
        x = max(0, min(x, plot_width - len(label)))
        placed = [(x, label, bucket)] + [p for p in placed[1:] if p[0] >= x + len(label) + 2]
    row = grid.height - 1
    for x, label, _ in placed:
        grid.put(x, row, label, Role.TIME)


def _time_text(timestamp: float, seconds: int, tz: tzinfo | None) -> str:
    return _local(timestamp, tz).strftime("%H:%M:%S" if seconds < 60 else "%H:%M")


def _date_text(moment: datetime) -> str:
    """ "Dec 01": the month by name, whatever the locale, so no day is read as a month."""
    return f"{_MONTHS[moment.month - 1]} {moment.day:02d}"


def _local(timestamp: float, tz: tzinfo | None) -> datetime:
    moment = datetime.fromtimestamp(timestamp, tz)
    return moment if tz is not None else moment.astimezone()


# -- the widget ----------------------------------------------------------------------------------

_ROLE_CLASSES: dict[Role, str] = {
    Role.UP: "candle-chart--up",
    Role.DOWN: "candle-chart--down",
    Role.GAP: "candle-chart--gap",
    Role.VOLUME_UP: "candle-chart--volume-up",
    Role.VOLUME_DOWN: "candle-chart--volume-down",
    Role.AXIS: "candle-chart--axis",
    Role.LABEL: "candle-chart--label",
    Role.LAST_UP: "candle-chart--last-up",
    Role.LAST_DOWN: "candle-chart--last-down",
    Role.TIME: "candle-chart--time",
    Role.MESSAGE: "candle-chart--message",
}


class CandleChart(Widget, can_focus=True):
    """Candles and volume of one coin at one timeframe, fed by `show_candles`.

    The widget never reads the network or the store itself: its screen hands it the store's
    candles. Drawing again with unchanged data repaints nothing; a changed last candle repaints
    only the cells that moved, which is what keeps a live chart cheap over SSH. With colour,
    candles are the classic filled ones; under NO_COLOR rising candles are drawn hollow.
    Left/right look back in time; the chart then stays on that stretch while trades arrive,
    until End (or panning back to the newest candle) follows the market again. `zoom` sets the
    columns per candle; until it is set, a young coin's few candles are drawn wide enough to fill
    the chart. With `ascii` set, every glyph is ASCII (for TERM=linux and fonts without them).
    """

    BINDINGS = [
        Binding(
            "left,h",
            "pan(-1)",
            "Earlier",
            id="chart.earlier",
            show=False,
            tooltip="Move the chart back in time",
        ),
        Binding(
            "right",
            "pan(1)",
            "Later",
            id="chart.later",
            show=False,
            tooltip="Move the chart forward in time",
        ),
        Binding(
            "end",
            "follow_live",
            "Live",
            id="chart.live",
            show=False,
            tooltip="Back to the newest candles",
        ),
    ]

    COMPONENT_CLASSES = set(_ROLE_CLASSES.values())

    DEFAULT_CSS = """
    CandleChart {
        height: 1fr;
        min-height: 6;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .candle-chart--up { color: $success; }
        & > .candle-chart--down { color: $error; }
        & > .candle-chart--gap { color: $text-disabled; }
        & > .candle-chart--volume-up { color: $success 60%; }
        & > .candle-chart--volume-down { color: $error 60%; }
        & > .candle-chart--axis { color: $text-disabled; }
        & > .candle-chart--label { color: $text-muted; }
        & > .candle-chart--last-up { color: $background; background: $success; text-style: bold; }
        & > .candle-chart--last-down { color: $background; background: $error; text-style: bold; }
        & > .candle-chart--time { color: $text-muted; }
        & > .candle-chart--message { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(
        self,
        *,
        seconds: int = 60,
        tz: tzinfo | None = None,
        ascii: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.seconds = seconds if seconds in TIMEFRAMES else 60
        self.tz = tz
        self._candles: list[Candle] = []
        self._grid: ChartGrid | None = None
        # What `_grid` was drawn for besides the candles: while it stays, new trades keep the
        # price and volume scales when they fit in them (`fitted_scale`, `fitted_peak`).
        self._view: tuple[object, ...] = ()
        self._end: float | None = None  # the right edge when looking back; None: the newest
        self._zoom: int | None = None  # columns per candle; None: chosen from the history
        self._ascii = ascii
        self._titled_zoom = 0
        self._title: Text | None = None
        self._styles_by_role: dict[Role, Style] | None = None
        # What the axis measures, and what converts the store's SOL prices into it.
        self._units = ChartUnits()
        self._supply_tokens = 1_000_000_000.0
        self._sol_usd: float | None = None

    # -- data ------------------------------------------------------------------------------------

    def show_candles(self, candles: Sequence[Candle], seconds: int | None = None) -> None:
        """Show these candles (oldest first); repaint only what changed since the last call."""
        if seconds is not None and seconds != self.seconds:
            self.seconds = seconds
            self._end = None
            self._update_title()
        self._candles = list(candles)
        self._redraw()

    @property
    def units(self) -> ChartUnits:
        return self._units

    def set_units(self, units: ChartUnits) -> None:
        """Price or market cap, SOL or USD (the keys on the Coin screen)."""
        if units != self._units:
            self._units = units
            self._update_title()
            self._redraw()

    def set_conversion(self, supply_tokens: float | None, sol_usd: float | None) -> None:
        """The coin's total supply (whole tokens) and the app's SOL price in USD, which turn
        prices into market caps and SOL into USD; redraws only when the axis uses them."""
        supply = supply_tokens if supply_tokens and supply_tokens > 0 else self._supply_tokens
        if (supply, sol_usd) == (self._supply_tokens, self._sol_usd):
            return
        self._supply_tokens, self._sol_usd = supply, sol_usd
        if self._units.market_cap or self._units.usd:
            self._update_title()
            self._redraw()

    @property
    def ascii(self) -> bool:
        """Whether the chart draws with ASCII only."""
        return self._ascii

    @ascii.setter
    def ascii(self, value: bool) -> None:
        if value != self._ascii:
            self._ascii = value
            self._grid = None
            self._update_title()
            self._redraw()

    @property
    def glyphs(self) -> ChartGlyphs:
        return ASCII_GLYPHS if self._ascii else UNICODE_GLYPHS

    @property
    def zoom(self) -> int:
        """Columns per candle now: the one chosen with `action_zoom`, else `auto_zoom`."""
        if self._zoom is not None:
            return self._zoom
        plot_width = self.size.width - LABEL_WIDTH - 2
        if not self._candles or plot_width <= 0:
            return DEFAULT_ZOOM
        seconds = self.seconds
        buckets = math.floor(self._candles[-1].start / seconds) - math.floor(
            self._candles[0].start / seconds
        )
        return auto_zoom(buckets + 1, plot_width)

    def action_zoom(self, direction: int) -> None:
        """Wider (+1) or narrower (-1) candles, one step of `ZOOM_LEVELS`, kept at either end."""
        current = self.zoom
        index = min(range(len(ZOOM_LEVELS)), key=lambda i: abs(ZOOM_LEVELS[i] - current))
        index = max(0, min(len(ZOOM_LEVELS) - 1, index + direction))
        self._zoom = ZOOM_LEVELS[index]
        self._update_title()
        self._redraw()

    @property
    def following(self) -> bool:
        """Whether the newest candle is at the right edge (not looking back in time)."""
        return self._end is None

    def action_pan(self, direction: int) -> None:
        """Move a quarter of the visible candles back (-1) or forward (+1) in time."""
        if not self._candles:
            return
        grid = self._grid
        stride = self.zoom
        visible = max(1, grid.plot_width // stride) if grid is not None and grid.plot_width else 10
        seconds = self.seconds
        newest = math.floor(self._candles[-1].start / seconds) * seconds
        oldest = math.floor(self._candles[0].start / seconds) * seconds
        current = newest if self._end is None else self._end
        target = current + direction * max(1, visible // 4) * seconds
        # Never past the newest candle, nor so far back that the oldest leaves the chart.
        earliest = min(newest, oldest + (visible - 1) * seconds)
        target = max(earliest, target)
        self._end = None if target >= newest else target
        self._update_title()
        self._redraw()

    def action_follow_live(self) -> None:
        if self._end is not None:
            self._end = None
            self._update_title()
            self._redraw()

    @property
    def grid(self) -> ChartGrid | None:
        """What is on screen now (None before the first layout)."""
        return self._grid

    # -- rendering -------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._update_title()

    def on_resize(self) -> None:
        self._grid = None
        self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_by_role = None

    def _redraw(self) -> None:
        width, height = self.size
        if not self.is_mounted or width <= 0 or height <= 0:
            return
        view = (
            width,
            height,
            self.seconds,
            self.zoom,
            self._end,
            self._units,
            self._supply_tokens,
            self._sol_usd,
            self._ascii,
        )
        # A view the user changed is drawn to fit; only new trades keep the scale.
        hold = self._grid if view == self._view else None
        self._view = view
        grid = draw_chart(
            convert_candles(
                self._candles,
                self._units,
                supply_tokens=self._supply_tokens,
                sol_usd=self._sol_usd,
            ),
            width,
            height,
            seconds=self.seconds,
            tz=self.tz,
            end=self._end,
            stride=self.zoom,
            glyphs=self.glyphs,
            # With colour, classic filled candles; without (NO_COLOR), rising ones are hollow.
            hollow_up=self.app.no_color,
            hold=hold,
        )
        regions = grid.changed_regions(self._grid)
        self._grid = grid
        if grid.stride != self._titled_zoom:
            self._update_title()  # the automatic zoom follows the coin's history
        if regions is None:
            self.refresh()
        elif regions:
            self.refresh(*coarse_spans(regions, width))

    def _update_title(self) -> None:
        title = Text("Chart ")
        for seconds in TIMEFRAMES:
            label = timeframe_label(seconds)
            if seconds == self.seconds:
                title.append(f"[{label}]", style="bold reverse")
            else:
                title.append(f" {label} ")
        separator = self.glyphs.separator
        self._titled_zoom = self.zoom
        title.append(f" {separator} zoom {self._titled_zoom}")
        units = self._units
        title.append(f" {separator} {units.label}")
        if units.usd and not self._sol_usd:
            title.append(" (no SOL price: SOL)", style="bold")
        if self._end is not None:
            title.append(f" {separator} history (end: live) ", style="bold")
        if self._title is None or text_look(title) != text_look(self._title):
            # Setting a border title repaints the whole chart (every cell sent again).
            self._title = title
            self.border_title = title

    def _role_styles(self) -> dict[Role, Style]:
        if self._styles_by_role is None:
            base = self.rich_style
            self._styles_by_role = {Role.EMPTY: base}
            for role, name in _ROLE_CLASSES.items():
                self._styles_by_role[role] = base + self.get_component_rich_style(name)
        return self._styles_by_role

    def render_line(self, y: int) -> Strip:
        grid = self._grid
        width = self.size.width
        if grid is None or y >= grid.height or grid.width != width:
            return Strip.blank(width, self.rich_style)
        styles = self._role_styles()
        chars, roles = grid.chars[y], grid.roles[y]
        segments: list[Segment] = []
        start = 0
        for x in range(1, width + 1):
            if x == width or roles[x] != roles[start]:
                segments.append(Segment("".join(chars[start:x]), styles[roles[start]]))
                start = x
        return Strip(segments, width)
