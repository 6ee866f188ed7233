"""The trades tape of one coin: newest on top, buys and sells told apart with and without colour,
each trade with its USD value and who made it (DEV, top-holder rank, SNIPER, BUNDLER, WHALE).

A Line API widget rather than a DataTable: a DataTable appends at the bottom and re-lays out
rows on removal, while a tape inserts at the top thousands of times an hour. Here the rows are a
bounded list rendered only where visible; new trades shift the list, and a reader who has
scrolled down keeps looking at the same trades.

A cursor picks a trade for the trader keys (copy the wallet, open it or the transaction on an
explorer, show only that trader's trades). Like a log viewer, the cursor follows the newest trade
while it is on top; moved down, it stays on its trade as new ones arrive.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from pumptui.api.models import Trade
from pumptui.tui.format import age, compact, short_address, sol, usd
from pumptui.tui.glyphs import current
from pumptui.tui.keys import scroll_bindings
from pumptui.tui.trade_labels import NO_LABELS, LabelFilter, TradeLabels, TraderBook, labels_of
from pumptui.tui.widgets.line_frame import LineFrame
from pumptui.tui.widgets.repaint import set_virtual_size

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
USD_WIDTH = 6  # "$1.23k", "<$1"
TOKENS_WIDTH = 6  # "35.1M"
TOKENS_MIN_WIDTH = 56
"""The tokens column shows from this width on (the tape is about 40 cells at 80 columns)."""
NAME_MIN_WIDTH = 5
"""Labels leave the trader's name at least this many cells."""

Clock = Callable[[], float]


def trader_name(username: str | None, user: str | None) -> str:
    """The name a trader goes by: their username, else their shortened wallet."""
    return username or short_address(user) or "?"


def usd_cell(value: float | None) -> str:
    """A trade's USD value in at most `USD_WIDTH` cells: "$98.4", "$1.23k", "<$1", "—"."""
    if value is not None and 0 <= value < 1:
        return "<$1"
    return usd(value)


def trade_usd(trade: Trade, sol_price: float | None) -> float | None:
    """The trade's value in USD: its SOL times the SOL price the app has (the price every USD
    figure on screen uses), else the API's own `amountUsd`."""
    return trade.sol * sol_price if sol_price else trade.usd


TapeAction = Literal["copy-trader", "open-trader", "open-tx", "only-trader"]

TAPE_BINDINGS: list[Binding] = [
    Binding(
        "enter",
        "trader_action('only-trader')",
        "Trader",
        id="tape.only-trader",
        tooltip="Show only the selected trader's trades in this coin (all of them), or all again",
    ),
    Binding(
        "F",
        "cycle_label_filter(1)",
        "Who",
        id="tape.label-filter",
        tooltip="Show only trades by: the dev, whales, top holders, snipers, bundlers, or all",
    ),
    Binding(
        "y",
        "trader_action('copy-trader')",
        "Copy trader",
        id="tape.copy-trader",
        show=False,
        tooltip="Copy the selected trader's wallet address",
    ),
    Binding(
        "e",
        "trader_action('open-trader')",
        "Explorer",
        id="tape.open-trader",
        tooltip="Open the selected trader's wallet on the block explorer",
    ),
    Binding(
        "x",
        "trader_action('open-tx')",
        "Transaction",
        id="tape.open-tx",
        show=False,
        tooltip="Open the selected trade's transaction on the block explorer",
    ),
]


def next_min_size(current: float, direction: int = 1) -> float:
    """The next step of the minimum-size filter, wrapping around."""
    steps = MIN_SIZE_STEPS
    if direction >= 0:
        return next((s for s in steps if s > current + 1e-12), steps[0])
    return next((s for s in reversed(steps) if s < current - 1e-12), steps[-1])


class TradeTape(ScrollView, LineFrame, can_focus=True, inherit_bindings=False):
    """Trades of one coin, newest first, at least `min_sol` SOL each, optionally only those
    of one trader or with one label; `large_sol` is the WHALE size."""

    BINDINGS = [*scroll_bindings("tape", home="Newest", end="Oldest"), *TAPE_BINDINGS]

    class TraderAction(Message):
        """A trader key was pressed on the trade under the cursor (the screen acts on it)."""

        def __init__(self, action: TapeAction, trade: Trade) -> None:
            super().__init__()
            self.action = action
            self.trade = trade

    class FilterChanged(Message):
        """The tape's trader or label filter changed (the screen feeds it other trades)."""

    COMPONENT_CLASSES = {
        "trade-tape--buy",
        "trade-tape--sell",
        "trade-tape--large",
        "trade-tape--trader",
        "trade-tape--age",
        "trade-tape--empty",
        "trade-tape--usd",
        "trade-tape--label",
        "trade-tape--dev",
        "trade-tape--cursor",
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
        & > .trade-tape--usd { color: $text-muted; }
        & > .trade-tape--label { color: $warning; }
        & > .trade-tape--dev { color: $warning; text-style: bold; }
        & > .trade-tape--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
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
        self.book = TraderBook()
        self.sol_price: float | None = None
        self.label_filter = LabelFilter.ALL
        self.trader: str | None = None  # only this wallet's trades
        self.cursor = 0  # index in `rows`
        # The trade under the cursor once the reader moved it off the newest; None: follow.
        self._held: str | None = None

    @property
    def rows(self) -> list[Trade]:
        """The trades shown, newest first (after the size filter)."""
        return self._rows

    @property
    def selected(self) -> Trade | None:
        """The trade under the cursor (the newest while the cursor follows)."""
        rows = self._rows
        return rows[min(self.cursor, len(rows) - 1)] if rows else None

    @property
    def following(self) -> bool:
        """Whether the cursor follows the newest trade (it was not moved down)."""
        return self._held is None

    def labels(self, trade: Trade) -> TradeLabels:
        return labels_of(trade, self.book, self.large_sol)

    def set_context(self, book: TraderBook, sol_price: float | None) -> None:
        """Who the coin's traders are and the SOL price: what labels and USD values come from."""
        if book == self.book and sol_price == self.sol_price:
            return
        self.book, self.sol_price = book, sol_price
        if self.label_filter is not LabelFilter.ALL:
            self._apply_filter(keep_anchor=False)
        self.refresh()

    def set_label_filter(self, wanted: LabelFilter) -> None:
        self.label_filter = wanted
        self._apply_filter(keep_anchor=False)
        self._update_title()
        self.post_message(self.FilterChanged())

    def set_trader(self, trader: str | None) -> None:
        """Show only `trader`'s trades (None: everyone's); the screen then feeds all of them."""
        self.trader = trader
        self._held = None
        self.cursor = 0
        self._apply_filter(keep_anchor=False)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._update_title()
        self.post_message(self.FilterChanged())

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
        if self.trader is not None:
            rows = [t for t in rows if t.user == self.trader]
        wanted = self.label_filter
        if wanted is not LabelFilter.ALL:
            rows = [t for t in rows if self.labels(t).matches(wanted)]
        rows = rows[:MAX_ROWS]
        old = self._rows
        # A pushed trade confirmed by REST keeps its signature but gains its trader's name.
        if len(rows) == len(old) and all(
            a.signature == b.signature and a.provisional == b.provisional
            for a, b in zip(rows, old, strict=True)
        ):
            return False
        self._place_cursor(rows)
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
        set_virtual_size(self, Size(self.size.width, len(rows)))
        if arrived > 0:
            self.scroll_to(y=self.scroll_y + arrived, animate=False, immediate=True)
        self._repaint(flood)
        self._update_title()
        return True

    def _place_cursor(self, rows: Sequence[Trade]) -> None:
        """Keep the cursor on its trade (or on the newest, while it follows)."""
        held = self._held
        if held is None:
            self.cursor = 0
            return
        index = next((i for i, t in enumerate(rows) if t.signature == held), None)
        if index is None:  # filtered out or gone from the tape: the nearest row
            self.cursor = max(0, min(self.cursor, len(rows) - 1))
            self._held = rows[self.cursor].signature if rows and self.cursor else None
        else:
            self.cursor = index

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
        set_virtual_size(self, Size(self.size.width, len(self._rows)))

    def _update_title(self) -> None:
        title = "Trades · SOL"
        if self.trader is not None:
            title = f"Trades of {short_address(self.trader)}"
        if self.label_filter is not LabelFilter.ALL:
            title += f" · {self.label_filter.value} only"
        if self.min_sol:
            title += f" · ≥ {sol(self.min_sol)}"
        if title != self._title:  # setting a border title repaints the whole pane
            self._title = title
            self.border_title = title

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width, base = self.line_frame()
        index = y + round(self.scroll_y)
        if not self._rows:
            if y == 0:
                style = base + self.get_component_rich_style("trade-tape--empty")
                text = self._empty_text()
                return Strip([Segment(text[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        trade = self._rows[index]
        elapsed = age(self.clock() - trade.timestamp)
        labels = self.labels(trade)
        at_cursor = index == self.cursor and self.has_focus
        # Everything the row shows: a confirmation changes the name, the clock the age.
        key = (
            trade.signature,
            trade.username,
            elapsed,
            width,
            base,
            self.large_sol,
            labels,
            self.sol_price,
            at_cursor,
        )
        strip = self._lines.get(key)
        if strip is None:
            line = self.trade_text(trade, width, elapsed, labels)
            line.stylize_before(base)
            if at_cursor:
                line.stylize(self.get_component_rich_style("trade-tape--cursor", partial=True))
            strip = Strip(line.render(self.app.console), line.cell_len).crop_extend(0, width, base)
            self._lines[key] = strip
        return strip

    def _empty_text(self) -> str:
        who = ""
        if self.trader is not None:
            who = f" by {short_address(self.trader)}"
        if self.label_filter is not LabelFilter.ALL:
            who += f" by {self.label_filter.value}"
        size = f" of {sol(self.min_sol)} SOL or more" if self.min_sol else ""
        return f"No trades{who}{size}" + ("" if who or size else " yet")

    def trade_text(
        self,
        trade: Trade,
        width: int,
        elapsed: str | None = None,
        labels: TradeLabels | None = None,
    ) -> Text:
        """One row: mark, SOL, USD, tokens (when there is room), trader, labels, age."""
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
        line.append(
            f" {usd_cell(trade_usd(trade, self.sol_price)):>{USD_WIDTH}}",
            self.get_component_rich_style("trade-tape--usd", partial=True),
        )
        used = 3 + SOL_WIDTH + USD_WIDTH
        if width >= TOKENS_MIN_WIDTH:
            line.append(f" {compact(trade.tokens):>{TOKENS_WIDTH}}", muted)
            used += 1 + TOKENS_WIDTH
        room = max(1, width - used - AGE_WIDTH - 2)
        if labels is None:
            labels = self.labels(trade)
        tags = labels.text(room - NAME_MIN_WIDTH - 1) if labels != NO_LABELS else ""
        name_width = max(1, room - (len(tags) + 1 if tags else 0))
        name = Text(trader_name(trade.username, trade.user), no_wrap=True, end="")
        name.truncate(name_width, overflow="ellipsis", pad=not tags)
        name.stylize(muted)
        line.append(" ")
        line.append_text(name)
        if tags:
            style = "trade-tape--dev" if labels.dev else "trade-tape--label"
            line.append(" " * max(1, name_width - name.cell_len + 1))
            line.append(tags, self.get_component_rich_style(style, partial=True))
        if elapsed is None:
            elapsed = age(self.clock() - trade.timestamp)
        line.append(
            f" {elapsed:>{AGE_WIDTH}}",
            self.get_component_rich_style("trade-tape--age", partial=True),
        )
        line.truncate(width, overflow="ellipsis", pad=True)
        return line

    # -- the cursor and the trader keys ------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def move_cursor(self, to: int) -> None:
        """Put the cursor on row `to` (clamped) and scroll it into view; on the newest row the
        cursor follows new trades again."""
        rows = self._rows
        if not rows:
            return
        old = self.cursor
        self.cursor = max(0, min(to, len(rows) - 1))
        self._held = rows[self.cursor].signature if self.cursor else None
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        if old != self.cursor:
            self.refresh()

    def action_scroll_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_scroll_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_scroll_home(self) -> None:
        self.move_cursor(0)

    def action_scroll_end(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_cycle_label_filter(self, direction: int = 1) -> None:
        self.set_label_filter(self.label_filter.next(direction))

    def action_trader_action(self, action: TapeAction) -> None:
        trade = self.selected
        if trade is None:
            self.notify("No trade selected", timeout=2)
            return
        self.post_message(self.TraderAction(action, trade))
