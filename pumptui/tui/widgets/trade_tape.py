"""The trades tape of one coin: newest on top, buys and sells told apart with and without colour.

A Line API widget rather than a DataTable: a DataTable appends at the bottom and re-lays out
rows on removal, while a tape inserts at the top thousands of times an hour. Here the rows are a
bounded list rendered only where visible; new trades shift the list, and a reader who has
scrolled down keeps looking at the same trades.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from pumptui.api.models import Trade
from pumptui.tui.format import age, compact, short_address, sol
from pumptui.tui.glyphs import current
from pumptui.tui.keys import scroll_bindings

MAX_ROWS = 500
"""Rows kept on the tape: a fixed memory and paint bound (the store keeps more history)."""
LINE_CACHE_SIZE = 256
"""Rendered rows kept: under a flood every row moves down each frame but looks the same."""
FLOOD_REPAINT_INTERVAL = 0.5
"""Under a flood (every row in view new at each update) the tape repaints at most this often (s):
each such repaint is the whole pane on the wire, and no reader follows faster."""
MIN_SIZE_STEPS: tuple[float, ...] = (0.0, 0.1, 0.5, 1.0, 5.0, 10.0)
AGE_WIDTH = 4
SOL_WIDTH = 7  # "0.00638", "<0.001", "1.2k"
TOKENS_WIDTH = 6  # "35.1M"

Clock = Callable[[], float]


def trader_name(username: str | None, user: str | None) -> str:
    """The name a trader goes by: their username, else their shortened wallet."""
    return username or short_address(user) or "?"


def next_min_size(current: float, direction: int = 1) -> float:
    """The next step of the minimum-size filter, wrapping around."""
    steps = MIN_SIZE_STEPS
    if direction >= 0:
        return next((s for s in steps if s > current + 1e-12), steps[0])
    return next((s for s in reversed(steps) if s < current - 1e-12), steps[-1])


class TradeTape(ScrollView, can_focus=True, inherit_bindings=False):
    """Trades of one coin, newest first, at least `min_sol` SOL each."""

    BINDINGS = scroll_bindings("tape", home="Newest", end="Oldest")

    COMPONENT_CLASSES = {
        "trade-tape--buy",
        "trade-tape--sell",
        "trade-tape--large",
        "trade-tape--trader",
        "trade-tape--age",
        "trade-tape--empty",
    }

    DEFAULT_CSS = """
    TradeTape {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .trade-tape--buy { color: $success; }
        & > .trade-tape--sell { color: $error; }
        & > .trade-tape--large { text-style: bold; }
        & > .trade-tape--trader { color: $text-muted; }
        & > .trade-tape--age { color: $text-muted; }
        & > .trade-tape--empty { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        min_sol: float = 0.0,
        large_sol: float = 5.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.min_sol = max(0.0, min_sol)
        self.large_sol = large_sol
        self._all: list[Trade] = []
        self._rows: list[Trade] = []
        self._ages_shown: tuple[str, ...] = ()
        self._title = ""
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(LINE_CACHE_SIZE)
        self._painted_at = 0.0  # time.monotonic() of the last full repaint
        self._repaint_due: Timer | None = None

    @property
    def rows(self) -> list[Trade]:
        """The trades shown, newest first (after the size filter)."""
        return self._rows

    def show_trades(self, trades: Sequence[Trade]) -> bool:
        """Show these trades (newest first, as the store gives them); False if nothing changed.

        When the reader has scrolled away from the top, the view moves down by the number of
        trades that arrived above it, so what they were reading stays put.
        """
        self._all = list(trades[: MAX_ROWS * 4])
        return self._apply_filter()

    def set_min_sol(self, min_sol: float) -> None:
        self.min_sol = max(0.0, min_sol)
        self._apply_filter(keep_anchor=False)
        self._update_title()

    def _apply_filter(self, keep_anchor: bool = True) -> bool:
        floor = self.min_sol
        rows = [t for t in self._all if t.sol >= floor] if floor else self._all
        rows = rows[:MAX_ROWS]
        old = self._rows
        # A pushed trade confirmed by REST keeps its signature but gains its trader's name.
        if len(rows) == len(old) and all(
            a.signature == b.signature and a.provisional == b.provisional
            for a, b in zip(rows, old, strict=True)
        ):
            return False
        arrived = 0
        height = self.scrollable_content_region.height
        # A flood: the tape is at its top and every row in view is new.
        flood = (
            keep_anchor
            and bool(old)
            and height > 0
            and self.scroll_y == 0
            and all(t.signature != old[0].signature for t in rows[:height])
        )
        if keep_anchor and old and self.scroll_y > 0:
            top = old[min(len(old) - 1, round(self.scroll_y))].signature
            arrived = next(
                (i - round(self.scroll_y) for i, t in enumerate(rows) if t.signature == top), 0
            )
        self._rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        if arrived > 0:
            self.scroll_to(y=self.scroll_y + arrived, animate=False, immediate=True)
        self._repaint(flood)
        self._update_title()
        return True

    def _repaint(self, flood: bool) -> None:
        """Repaint the tape now, or under a flood within `FLOOD_REPAINT_INTERVAL` of the last
        repaint (the rows are already current: a deferred repaint shows the newest)."""
        if flood:
            if self._repaint_due is not None:
                return
            wait = self._painted_at + FLOOD_REPAINT_INTERVAL - time.monotonic()
            if wait > 0:
                self._repaint_due = self.set_timer(wait, self._repaint_late, name="tape-repaint")
                return
        self._repaint_now()

    def _repaint_late(self) -> None:
        self._repaint_due = None
        self._repaint_now()

    def _repaint_now(self) -> None:
        if self._repaint_due is not None:
            self._repaint_due.stop()
            self._repaint_due = None
        self._painted_at = time.monotonic()
        self.refresh()

    def refresh_ages(self) -> None:
        """Repaint the age column, and only if an age on screen changed (the clock moved)."""
        width, height = self.scrollable_content_region.size
        top = round(self.scroll_y)
        now = self.clock()
        ages = tuple(age(now - t.timestamp) for t in self._rows[top : top + height])
        if ages != self._ages_shown and width > AGE_WIDTH:
            self._ages_shown = ages
            self.refresh(Region(width - AGE_WIDTH, 0, AGE_WIDTH, height))

    def on_mount(self) -> None:
        self._update_title()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme or focus change restyles every row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows))

    def _update_title(self) -> None:
        title = "Trades · SOL"
        if self.min_sol:
            title += f" · ≥ {sol(self.min_sol)}"
        if title != self._title:  # setting a border title repaints the whole pane
            self._title = title
            self.border_title = title

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = y + round(self.scroll_y)
        if not self._rows:
            if y == 0:
                text = "No trades" + (
                    f" of {sol(self.min_sol)} SOL or more" if self.min_sol else " yet"
                )
                style = base + self.get_component_rich_style("trade-tape--empty")
                return Strip([Segment(text[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        trade = self._rows[index]
        elapsed = age(self.clock() - trade.timestamp)
        # Everything the row shows: a confirmation changes the name, the clock the age.
        key = (trade.signature, trade.username, elapsed, width, base, self.large_sol)
        strip = self._lines.get(key)
        if strip is None:
            line = self.trade_text(trade, width, elapsed)
            line.stylize_before(base)
            strip = Strip(line.render(self.app.console), line.cell_len).crop_extend(0, width, base)
            self._lines[key] = strip
        return strip

    def trade_text(self, trade: Trade, width: int, elapsed: str | None = None) -> Text:
        """One row: mark, SOL, tokens (when there is room), trader, age."""
        side = self.get_component_rich_style(
            "trade-tape--buy" if trade.is_buy else "trade-tape--sell", partial=True
        )
        if trade.sol >= self.large_sol:
            side = side + self.get_component_rich_style("trade-tape--large", partial=True)
        muted: Style = self.get_component_rich_style("trade-tape--trader", partial=True)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        glyphs = current()
        line.append(glyphs.buy if trade.is_buy else glyphs.sell, side)
        line.append(f" {sol(trade.sol):>{SOL_WIDTH}}", side)
        used = 2 + SOL_WIDTH
        if width >= 34:
            line.append(f" {compact(trade.tokens):>{TOKENS_WIDTH}}", muted)
            used += 1 + TOKENS_WIDTH
        name_width = max(1, width - used - AGE_WIDTH - 2)
        name = Text(trader_name(trade.username, trade.user), no_wrap=True, end="")
        name.truncate(name_width, overflow="ellipsis", pad=True)
        name.stylize(muted)
        line.append(" ")
        line.append_text(name)
        if elapsed is None:
            elapsed = age(self.clock() - trade.timestamp)
        line.append(
            f" {elapsed:>{AGE_WIDTH}}",
            self.get_component_rich_style("trade-tape--age", partial=True),
        )
        line.truncate(width, overflow="ellipsis", pad=True)
        return line
