"""Text sparklines and bars that fit in one table cell.

Textual's `Sparkline` widget needs a widget per chart; a table of coins needs one short string per
row instead. These helpers return plain strings (block characters only, no markup), so they are
cheap to diff cell by cell and read the same without colour. The characters are the current
glyph set's (`pumptui.tui.glyphs`): eighth blocks, or ASCII on terminals without them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pumptui.tui.glyphs import current


def sparkline(values: Sequence[float], width: int) -> str:
    """`values` drawn as `width` block characters, the newest value on the right.

    More values than cells are bucketed (each cell shows its bucket's last value, so the line
    ends on the current price); fewer values are right-aligned and padded with spaces, so a young
    coin's short history does not stretch into a fake trend. A flat series is drawn as a flat
    low line, not as noise; fewer than two values draw nothing.
    """
    if width <= 0:
        return ""
    finite = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if len(finite) < 2:
        # One price is not a trend.
        return " " * width
    if len(finite) > width:
        step = len(finite) / width
        finite = [finite[min(len(finite) - 1, math.ceil((i + 1) * step) - 1)] for i in range(width)]
    levels = current().levels
    low, high = min(finite), max(finite)
    span = high - low
    top = len(levels) - 1
    if span <= abs(high) * 1e-9:
        cells = levels[0] * len(finite)
    else:
        cells = "".join(levels[round((v - low) / span * top)] for v in finite)
    return cells.rjust(width)


def timed_sparkline(
    points: Sequence[tuple[float, float]], now: float, span: float, width: int
) -> tuple[str, float | None]:
    """The price over the `span` seconds up to `now`, as `width` cells of `span / width` seconds
    each, and the change over what is drawn (last price / first price - 1, None if nothing is).

    `points` are `(unix_seconds, price)`, oldest first. Each cell shows the price at the end of
    its interval (the last trade's price holds until the next trade), so a coin that did not
    trade draws a flat line, and the line ends on the current price. Cells before the first
    known price stay blank: a coin seen for five minutes does not pretend to thirty.
    """
    if width <= 0:
        return "", None
    cell = span / width
    start = now - span
    values: list[float] = []
    index = 0
    price: float | None = None
    for n in range(width):
        end = start + (n + 1) * cell
        last_cell = n == width - 1
        while index < len(points) and (last_cell or points[index][0] <= end):
            price = points[index][1]
            index += 1
        if price is not None:
            values.append(price)
    if not values:
        return " " * width, None
    change = values[-1] / values[0] - 1 if values[0] > 0 else None
    if len(values) == 1:
        return sparkline([values[0], values[0]], 1).rjust(width), change
    return sparkline(values, width), change


def progress_bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells wide, filled to `fraction` (0..1) in eighths of a cell."""
    if width <= 0:
        return ""
    if not math.isfinite(fraction):
        fraction = 0.0
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    glyphs = current()
    bar = glyphs.full * full
    if full < width:
        bar += glyphs.eighths[part] if part else ""
    return bar.ljust(width)
