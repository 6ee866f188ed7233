"""A live table of coins, keyed by mint, updated in place.

The table never rebuilds itself for one change: `show()` diffs the coins it is given against what
it shows, removes rows that left, adds rows that arrived, re-sorts only when the order changed,
and rewrites only the cells whose text changed, in the rows on screen (a row below is brought up
to date as it scrolls into view). The cursor is pinned to its coin, not to a row
index, so a launch arriving at the top does not move the cursor onto another coin under the
user's finger.

The widget only draws: it is handed coins and a `RowContext` (clock, leader, watch marks, price
history, board and activity figures), and never reads the network or the store itself.

As a screener it shows each coin's 5 m volume, 5 m and 1 h price change, holders, top-10 % and
dev %, sorts by any of its columns both ways (`sort_by`, or a click on a header), and filters by
a `CoinFilter` (words or an expression). Figures are read through `pumptui.rules.coin_facts`, the
one definition the filter language uses too, so a row shows what the filter and the sort see.
Which columns show depends on the table's width (`columns_for`): the least useful go first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from typing import ClassVar, Self

from rich.console import Console, ConsoleOptions, JustifyMethod
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.renderables.styled import Styled
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import RowRenderables
from textual.widgets.data_table import ColumnKey, RowKey

from pumptui.api.models import BoardEntry, Coin, MarketActivity
from pumptui.rules import Facts, coin_facts
from pumptui.tui import format as fmt
from pumptui.tui.coin_filter import NO_FILTER, CoinFilter
from pumptui.tui.glyphs import current
from pumptui.tui.keys import TABLE_BINDINGS
from pumptui.tui.widgets.line_frame import LineFrame
from pumptui.tui.widgets.repaint import text_look
from pumptui.tui.widgets.sparkline import progress_bar, timed_sparkline
from pumptui.tui.widgets.text_cell import text_cell

# A coin's figures, built only when something asks (a plain sort or filter never does).
LazyFacts = Callable[[], Facts]
FIVE_MINUTES, ONE_HOUR = 300.0, 3600.0


@dataclass(frozen=True, slots=True)
class SortOrder:
    """A way to order coins; `key` is sorted largest first, or smallest first when reversed
    (`reversed_label` names that order). A coin whose figure is not known (None) comes last
    either way. `column`: the column whose header picks this order."""

    label: str
    key: Callable[[Coin, LazyFacts], float | None]
    reversed_label: str
    column: str | None = None


def _fact(name: str, window: float | None = None) -> Callable[[Coin, LazyFacts], float | None]:
    """A sort key reading one of the filter language's figures (the same the row shows)."""

    def key(coin: Coin, facts: LazyFacts) -> float | None:
        value = facts().value(name, window)
        return float(value) if isinstance(value, int | float) else None

    return key


# The first five are the ones `s` has always cycled through, in that order.
SORT_ORDERS: tuple[SortOrder, ...] = (
    SortOrder("newest", lambda c, f: c.created_at or 0.0, "oldest", "age"),
    SortOrder("market cap", lambda c, f: c.market_cap_sol, "market cap, smallest first", "mc"),
    SortOrder("curve progress", lambda c, f: c.progress, "curve progress, least first", "curve"),
    SortOrder("replies", lambda c, f: float(c.reply_count), "replies, fewest first"),
    SortOrder("last trade", lambda c, f: c.last_trade_at or 0.0, "last trade, longest ago first"),
    SortOrder("volume 5m", _fact("vol", FIVE_MINUTES), "volume 5m, least first", "vol"),
    SortOrder("change 5m", _fact("change", FIVE_MINUTES), "change 5m, most down first", "chg5m"),
    SortOrder("change 1h", _fact("change", ONE_HOUR), "change 1h, most down first", "chg1h"),
    SortOrder("holders", _fact("holders"), "holders, fewest first", "holders"),
    SortOrder("top-10 share", _fact("top10"), "top-10 share, smallest first", "top10"),
    SortOrder("dev share", _fact("dev"), "dev share, smallest first", "dev"),
)
# Headers that pick an order besides the order's own column (both caps sort by market cap).
HEADER_SORTS: dict[str, str] = {"usd": "market cap"}


@dataclass(slots=True)
class RowContext:
    """Everything besides the coin that a row shows."""

    now: float
    leader_mint: str | None = None
    watched: frozenset[str] = frozenset()
    # USD per SOL, for coins whose record has no USD market cap.
    sol_usd: float | None = None
    # A coin's prices with their times, `(unix_seconds, price)`, oldest first (the trend).
    trend: Callable[[str], Sequence[tuple[float, float]]] = field(default=lambda mint: ())
    # Bumps whenever anything about the coin changed; rows whose version, age text and marks
    # are unchanged are skipped without building any text.
    version: Callable[[str], int] = field(default=lambda mint: -1)
    # The coin's trenches-board figures (holders, top-10 %, dev %), when a board lists it.
    board: Callable[[str], BoardEntry | None] = field(default=lambda mint: None)
    # The user's own marks: coins liked, creators followed, rows marked for moderation.
    liked: frozenset[str] = frozenset()
    followed: frozenset[str] = frozenset()
    marked: frozenset[str] = frozenset()
    # Coins the service no longer lists (hidden or banned by its moderators).
    delisted: Callable[[str], bool] = field(default=lambda mint: False)
    # The coin's market activity (5 m / 1 h volume and price change), as last read.
    activity: Callable[[str], MarketActivity | None] = field(default=lambda mint: None)

    def facts(self, coin: Coin) -> Facts:
        """The coin's figures as the filter language reads them (and the row shows them)."""
        mint = coin.mint
        return coin_facts(
            coin,
            now=self.now,
            sol_usd=self.sol_usd,
            board=self.board(mint),
            activity=self.activity(mint),
            price_points=self.trend(mint),
        )


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    justify: JustifyMethod = "left"


COIN_WIDTH = 11
# The trend column: the price over the last 10 minutes, about a minute a cell (stated in its
# label). Short enough to fill soon after the app starts, which sees prices only from then.
TREND_WIDTH = 9
TREND_SPAN = 10 * 60
# Shares (%) from which a row's top-10 or dev figure is shown as a warning.
TOP10_WARN = 50.0
DEV_WARN = 10.0
BAR_WIDTH = 4
CURVE_WIDTH = BAR_WIDTH + 5
# Without its bar the curve column is the percentage alone, under its label.
CURVE_NARROW_WIDTH = 5
# Every column, in display order; `columns_for` picks those that fit.
COLUMNS: tuple[Column, ...] = (
    Column("age", "Age", 3, "right"),
    Column("marks", "", 4),
    Column("coin", "Coin", COIN_WIDTH),
    Column("mc", "MC SOL", 6, "right"),
    Column("usd", "MC $", 6, "right"),
    Column("curve", "Curve", CURVE_WIDTH),
    Column("vol", "Vol 5m", 6, "right"),
    Column("chg5m", "5m%", 5, "right"),
    Column("chg1h", "1h%", 5, "right"),
    Column("holders", "Hold", 5, "right"),
    Column("top10", "T10", 3, "right"),
    Column("dev", "Dev", 3, "right"),
    Column("trend", f"Trend {TREND_SPAN // 60}m", TREND_WIDTH),
)
COLUMN_INDEX: dict[str, int] = {c.key: i for i, c in enumerate(COLUMNS)}
# The curve's bar, dropped like a column (the percentage stays).
CURVE_BAR = "curve-bar"
# What goes first when the table is too narrow for every column, least useful first: the trend
# sparkline (the 5 m and 1 h change say it in numbers), the cap in SOL (the boards and the
# filter speak USD), the curve's bar (its percentage stays), the 1 h change, then holder
# figures and volume; age, marks and the coin's name always stay. At 80 columns the table shows
# age, coin, MC $, curve %, volume 5m, change 5m and 1h, holders, top-10 and dev.
DROP_ORDER: tuple[str, ...] = (
    "trend",
    "mc",
    CURVE_BAR,
    "chg1h",
    "holders",
    "top10",
    "vol",
    "usd",
    "dev",
    "chg5m",
    "curve",
)
CELL_PADDING = 1

Cells = tuple[Text, ...]
# A cell as drawn: its Text, its width and its line's segments.
DrawnCell = tuple[Text, int, list[Segment]]


@dataclass(frozen=True, slots=True)
class CellPen:
    """What the cells of one coin's line are drawn with: the line's style with the coin's
    mouse metadata, DataTable's component and post styles for the row's state (cursor,
    hover), and the pre style without any metadata (None when one of those styles carries
    some of its own: the cells then take the general path)."""

    console: Console
    options: ConsoleOptions
    style: Style
    component_style: Style
    post_style: Style
    meta_free_pre_style: Style | None
    mint: str
    # Each piece's style under the pre style and over the post style (see `text_cell`).
    looks: dict[Style | None, Style] = field(default_factory=dict)


# The ways a coin's cells are kept drawn: plain, under the cursor, under the hover, both.
DRAWN_STATES_KEPT = 4
# A row's rendered lines kept: the ways it is seen (plain, under the cursor or the hover,
# focused or not), all of its cells as they are now.
LINE_VARIANTS_KEPT = 4
# The key in a line's mouse metadata that names its row's coin (see `CoinTable._render_line`).
MINT_META = "mint"


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """The columns shown and whether the curve column draws its bar."""

    columns: tuple[Column, ...]
    curve_bar: bool = True

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def cell_widths(self) -> tuple[int, ...]:
        """Each column's width on screen, its padding included (as DataTable draws it)."""
        return tuple(c.width + 2 * CELL_PADDING for c in self.columns)

    @property
    def width(self) -> int:
        return sum(self.cell_widths)


def columns_for(width: int) -> ColumnLayout:
    """The columns that fit in `width` cells (with their padding), dropping `DROP_ORDER`'s
    first entries until the rest fit."""
    dropped: set[str] = set()
    for step in (None, *DROP_ORDER):
        if step is not None:
            dropped.add(step)
        bar = CURVE_BAR not in dropped
        columns = tuple(
            replace(c, width=CURVE_WIDTH if bar else CURVE_NARROW_WIDTH) if c.key == "curve" else c
            for c in COLUMNS
            if c.key not in dropped
        )
        layout = ColumnLayout(columns, bar)
        if layout.width <= width:
            return layout
    return layout


class CoinTable(DataTable[Text], LineFrame):
    """Coins as rows keyed by mint; `show()` is the only way rows change."""

    inherit_bindings = False
    BINDINGS: ClassVar[list[BindingType]] = [*TABLE_BINDINGS]

    DEFAULT_CSS = """
    CoinTable { scrollbar-size-vertical: 1; overflow-x: hidden; }
    CoinTable > .datatable--header { text-style: bold; }
    """

    def __init__(self, *, limit: int = 200, id: str | None = None) -> None:
        # Lines by the row they show, then how -> (the row's cells, or the header's columns,
        # when drawn; the line): see `_render_line`. A row's go when it leaves, so what is kept
        # follows the rows held, not every coin that passed through. Made first: DataTable's
        # set-up may already clear caches.
        self._lines: dict[RowKey, dict[tuple[object, ...], tuple[object, Strip]]] = {}
        # Each coin's cells as last drawn, by how (style, cursor, hover...): column index ->
        # (the cell's Text, its width, its segments). See `_coin_line`.
        self._drawn_cells: dict[str, dict[tuple[object, ...], dict[int, DrawnCell]]] = {}
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=CELL_PADDING)
        self.limit = limit
        self.sort_index = 0
        self.sort_reversed = False
        self.coin_filter: CoinFilter = NO_FILTER
        self.column_layout = columns_for(0)
        # The coins considered before the filter, in the table's order (the screener's feed
        # reads their figures after the rows': a filter on figures needs them).
        self.candidates: list[str] = []
        # Each order's figures (by its label): `s` cycles through the orders, and coming back to
        # one works out again only the coins that changed since.
        self._sort_memos: dict[str, Memo] = {}
        self._filter_memo: tuple[CoinFilter, Memo] = (NO_FILTER, {})
        self._cells: dict[str, Cells] = {}
        # Per row, its age text and what else it shows, as last built (see `_put_row`).
        self._row_state: dict[str, tuple[str, tuple[object, ...]]] = {}
        # Rows whose cells were written since the last flush (repainted once, in `_flush_writes`).
        self._written: set[str] = set()
        self._coins: Sequence[Coin] = ()
        self._row_context = RowContext(now=0.0)
        # The coins of the rows, by mint, as last ordered: a row scrolled into view is brought
        # up to date from here (see `_put_rows_in_view`).
        self._row_coins: dict[str, Coin] = {}

    def on_mount(self) -> None:
        self._relayout()

    def on_resize(self) -> None:
        self._relayout()
        # A taller table shows rows that were not kept up to date while below it.
        self._put_rows_in_view()
        self._flush_writes()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._put_rows_in_view()
            self._flush_writes()

    def _relayout(self) -> None:
        """Show the columns that fit the table's width (the scrollbar takes one cell); the rows
        are rebuilt only when that set changes."""
        layout = columns_for(max(0, self.size.width - 1))
        if self.columns and layout == self.column_layout:
            return
        self.column_layout = layout
        self.clear(columns=True)
        self._cells.clear()
        self._row_state.clear()
        self._written.clear()
        for column in layout.columns:
            self.add_column(
                Text(column.label, justify=column.justify),
                width=column.width,
                key=column.key,
            )
        self._redraw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column's header sorts by it; a second click reverses the order."""
        event.stop()
        key = str(event.column_key.value)
        label = HEADER_SORTS.get(key)
        order = next((o for o in SORT_ORDERS if o.column == key or o.label == label), None)
        if order is not None:
            self.sort_by(order.label)

    # -- what the user sees ------------------------------------------------------------------------

    @property
    def current_sort(self) -> SortOrder:
        return SORT_ORDERS[self.sort_index]

    @property
    def filter_text(self) -> str:
        """The filter as typed ("" for none)."""
        return self.coin_filter.text.strip()

    @property
    def sort_label(self) -> str:
        """The order shown, in words ("newest", "oldest", "market cap, smallest first")."""
        order = self.current_sort
        return order.reversed_label if self.sort_reversed else order.label

    @property
    def cursor_mint(self) -> str | None:
        """The mint of the coin under the cursor (None when the table is empty)."""
        if not self.row_count:
            return None
        row = max(0, min(self.cursor_row, self.row_count - 1))
        key = self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        return key

    @property
    def shown_mints(self) -> list[str]:
        """Mints in display order."""
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def visible_mints(self) -> list[str]:
        """Mints of the rows on screen now (scrolled into view), top to bottom."""
        first = max(0, round(self.scroll_y))
        height = max(1, self.scrollable_content_region.height - self.header_height)
        return self.shown_mints[first : first + height]

    def cycle_sort(self, *, redraw: bool = True) -> SortOrder:
        """The next order (largest first); the table then shows its top. With `redraw=False`
        the table shows it at the next `show()`: a screen about to hand it fresh coins redraws
        it once, not twice."""
        self.sort_index = (self.sort_index + 1) % len(SORT_ORDERS)
        self.sort_reversed = False
        self._resorted(redraw)
        return self.current_sort

    def reverse_sort(self, *, redraw: bool = True) -> None:
        """The same order the other way round; the table then shows its top (`redraw`: as for
        `cycle_sort`)."""
        self.sort_reversed = not self.sort_reversed
        self._resorted(redraw)

    def sort_by(self, label: str, *, redraw: bool = True) -> SortOrder:
        """Sort by the order named `label` (largest first); when it is already the order, the
        other way round. The table then shows its top (`redraw`: as for `cycle_sort`)."""
        index = next(i for i, o in enumerate(SORT_ORDERS) if o.label == label)
        if index == self.sort_index:
            self.sort_reversed = not self.sort_reversed
        else:
            self.sort_index, self.sort_reversed = index, False
        self._resorted(redraw)
        return self.current_sort

    def _resorted(self, redraw: bool) -> None:
        self._top_pending = True
        if redraw:
            self._redraw()

    def set_filter(self, coin_filter: CoinFilter | str) -> None:
        """Filter by `coin_filter` (a plain string is a substring, as `/` always was)."""
        if isinstance(coin_filter, str):
            text = coin_filter.strip()
            coin_filter = CoinFilter(text, needle=text) if text else NO_FILTER
        self.coin_filter = coin_filter
        self._redraw()

    # -- updating ----------------------------------------------------------------------------------

    def show(self, coins: Sequence[Coin], context: RowContext) -> None:
        """Make the table show `coins` (filtered, sorted, capped) with minimal changes."""
        self._coins = coins
        self._row_context = context
        self._redraw()

    # A new order is to be shown from its top at the next redraw.
    _top_pending = False

    def _redraw(self) -> None:
        """Show the coins handed to `show()`. After a re-sort the top of the new order is
        shown: the cursor stays on its coin only if that coin is now in the first screenful,
        else it goes to the first row."""
        if not self.is_mounted:
            return
        resorted, self._top_pending = self._top_pending, False
        context = self._row_context
        wanted = self._order(self._coins, context)
        del wanted[self.limit :]
        wanted_keys = [c.mint for c in wanted]
        cursor_mint = self.cursor_mint
        # The row the cursor was on, if its coin leaves, so the cursor stays near where it was.
        cursor_row = self.cursor_row
        self._row_coins = {c.mint: c for c in wanted}
        with self.app.batch_update():
            self._remove_stale(self._row_coins.keys())
            for coin in wanted:
                if coin.mint not in self._cells:
                    # A new row: DataTable takes its cells when it is added.
                    self._put_row(coin, context)
            if self.shown_mints != wanted_keys:
                rank = {id(self._cells[m][0]): i for i, m in enumerate(wanted_keys)}
                self.sort("age", key=lambda age_cell: rank[id(age_cell)])
            if cursor_mint is not None and cursor_mint in self._cells:
                target = self.get_row_index(cursor_mint)
            else:
                target = min(cursor_row, max(0, self.row_count - 1))
            if resorted:
                # The header row takes one line of the table's height.
                first_screenful = max(1, self.scrollable_content_region.height - 1)
                if target >= first_screenful:
                    target = 0
            if self.row_count and target != self.cursor_row:
                self.move_cursor(row=target, animate=False)
            self._put_rows_in_view(top=resorted)
            self._flush_writes()
        if resorted:
            # After any scroll the cursor's move queued (it runs after the next refresh).
            self.call_after_refresh(self.scroll_home, animate=False, immediate=True)

    def _order(self, coins: Sequence[Coin], context: RowContext) -> list[Coin]:
        """`coins` filtered and sorted (not capped); notes the candidates in that order. The
        figures and verdicts of coins that did not change since the last redraw are kept (a
        filter over every coin held is redrawn every second)."""
        order, coin_filter = self.current_sort, self.coin_filter
        if self._filter_memo[0] != coin_filter:
            self._filter_memo = (coin_filter, {})
        ordered = order_coins(
            coins,
            context,
            order,
            reversed_=self.sort_reversed,
            memo=self._sort_memos.setdefault(order.label, {}),
        )
        self.candidates = [c.mint for c in ordered]
        return filter_coins(ordered, context, coin_filter, memo=self._filter_memo[1])

    def _put_rows_in_view(self, *, top: bool = False) -> None:
        """Bring the rows on screen up to date (and, with `top`, the first screenful, where a
        re-sort is about to scroll). Only those: a row's cells are built for the eye, and of
        Home's 200 rows a terminal shows about 30; a row below is brought up to date when it
        scrolls into view (`watch_scroll_y`) or the table grows (`on_resize`). The order, the
        filter and the cursor read coins, not cells, and are kept for every row."""
        if not self._row_coins:
            return
        height = max(1, self.scrollable_content_region.height - self.header_height)
        first = max(0, round(self.scroll_y))
        rows: Iterable[int] = range(first, min(self.row_count, first + height))
        if top and first:
            rows = chain(range(min(self.row_count, height)), rows)
        context = self._row_context
        for index in rows:
            row_key = self._row_locations.get_key(index)
            coin = self._row_coins.get(row_key.value) if row_key and row_key.value else None
            if coin is not None:
                self._put_row(coin, context)
        # (After a re-sort the view is about to go to the top.)
        self._forget_drawings_far_from(0 if top else first, height)

    def _forget_drawings_far_from(self, first: int, height: int) -> None:
        """Drop the drawn cells and lines of rows more than a screenful from the view
        (`height` rows from `first`). Each re-sort brings other rows to the top: over minutes
        of `s` every one of the 200 rows kept its drawings (the app's memory grew for ten
        minutes of typing). A row that comes back into view is drawn again, as a row whose
        figures changed is."""
        if len(self._drawn_cells) <= 3 * height:
            return
        near_first, near_end = first - height, first + 2 * height
        locations = self._row_locations
        for mint in list(self._drawn_cells):
            row_key = RowKey(mint)
            index = locations.get(row_key)
            if index is None or not near_first <= index < near_end:
                del self._drawn_cells[mint]
                self._lines.pop(row_key, None)

    def _remove_stale(self, keep: Collection[str]) -> None:
        stale = [m for m in self._cells if m not in keep]
        if not stale:
            return
        if len(stale) > 20 and len(stale) * 2 > len(self._cells):
            # remove_row re-lays out every row; a mostly-new table is cheaper to clear.
            self.clear()
            self._cells.clear()
            self._row_state.clear()
            return
        for mint in stale:
            self.remove_row(mint)
            del self._cells[mint]
            self._row_state.pop(mint, None)
            self._drawn_cells.pop(mint, None)
            self._lines.pop(RowKey(mint), None)

    # While a row is removed: a layout asked for is a repaint (see `remove_row`).
    _repaint_only = False

    def remove_row(self, row_key: RowKey | str) -> None:
        """DataTable's, without laying the whole screen out again. On Home, as coins launch,
        one leaves the full table for each that arrives, and every removal re-arranged every
        widget on the screen. Only a new scrollable size needs a layout, and DataTable sets
        that itself (a layout then follows) when the rows are measured again."""
        self._repaint_only = not self.styles.auto_dimensions
        try:
            super().remove_row(row_key)
        finally:
            self._repaint_only = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        layout = layout and not self._repaint_only
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _put_row(self, coin: Coin, context: RowContext) -> None:
        mint = coin.mint
        age_text = fmt.age(context.now - coin.created_at) if coin.created_at else "?"
        # What the row shows besides its age, which the clock alone moves.
        rest = (
            coin,
            context.version(mint),
            mint == context.leader_mint,
            mint in context.watched,
            context.sol_usd,
            mint in context.liked,
            coin.creator in context.followed,
            mint in context.marked,
            context.delisted(mint),
            # The trend's cells move on as time passes, trades or not.
            context.now // (TREND_SPAN / TREND_WIDTH),
        )
        drawn = self._row_state.get(mint)
        if drawn == (age_text, rest):
            return
        self._row_state[mint] = (age_text, rest)
        keys = self.column_layout.keys
        old = self._cells.get(mint)
        if old is not None and drawn is not None and drawn[1] == rest:
            # Only the age moved: one cell, not the row (young coins tick each second).
            age = age_cell(age_text)
            self._write_cell(mint, "age", age)
            index = keys.index("age")
            self._cells[mint] = (*old[:index], age, *old[index + 1 :])
            return
        every = row_cells(coin, context, age_text, curve_bar=self.column_layout.curve_bar)
        cells = tuple(every[COLUMN_INDEX[key]] for key in keys)
        if old is None:
            self.add_row(*cells, key=mint)
            self._cells[mint] = cells
            return
        merged = list(old)
        changed = False
        for index, (before, after) in enumerate(zip(old, cells, strict=True)):
            # (`Text.__eq__` would miss a change of style alone: a name struck through.)
            if text_look(before) != text_look(after):
                self._write_cell(mint, keys[index], after)
                merged[index] = after
                changed = True
        if changed:
            # A new tuple only for a change: its identity is what the kept lines are checked by.
            self._cells[mint] = tuple(merged)

    def _write_cell(self, mint: str, column: str, value: Text) -> None:
        """Write a cell without repainting: `_flush_writes` repaints once for all the writes.

        `DataTable.update_cell` bumps the table's update count for each cell, and the next
        lookup of a row's place rebuilds the ordered row list: a refresh of N rows cost O(N²).
        Here the value goes into the row's data and the row is noted; the count moves once per
        refresh. Relies on DataTable internals (`_data`, `_update_count`, pinned by textual<9);
        without them it falls back to `update_cell`.
        """
        data = getattr(self, "_data", None)
        row = data.get(RowKey(mint)) if isinstance(data, dict) else None
        if row is None or not hasattr(self, "_update_count"):
            self.update_cell(mint, column, value)
            return
        row[ColumnKey(column)] = value
        self._written.add(mint)

    def render_line(self, y: int) -> Strip:
        """DataTable's, with the base style read once a frame (`LineFrame`), not once a line."""
        if self.fixed_rows:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, self.line_frame()[1])

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A line of the table, kept by the row it shows rather than the table's update count.

        DataTable renders a line again whenever its update count or the cursor moved, going
        through every cell of the row: after a re-sort (`s` on Home) that was every visible
        row, most of that frame. Here a line is kept with its row's cells (`_cells` holds a
        new tuple for any change) and reused wherever the row moves; a row that changed is
        drawn by `_coin_line`, again only in its changed cells.

        Nothing in a line may depend on the row's index, so its mouse metadata (what clicks and
        the hover read) names the row by its coin's mint; `_on_click` and `_on_mouse_move` turn
        the mint into the row's index as DataTable's handlers expect. (DataTable also stamps
        the index the row had when drawn: stale after a move, and never read.)
        """
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is self._header_row_key:
            # The header changes only with the columns, which clear the caches.
            token: object = self.column_layout
            row_index: int | None = -1
        else:
            token = self._cells.get(row_key.value) if row_key.value is not None else None
            row_index = self._row_locations.get(row_key)
        if (
            token is None
            or row_index is None
            or self.cursor_type != "row"
            or self.fixed_columns
            or self.fixed_rows
            or self.zebra_stripes  # (a row's look would depend on its index)
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return super()._render_line(y, x1, x2, base_style)
        show_cursor = self.show_cursor
        cursor = show_cursor and self.cursor_coordinate.row == row_index
        hover = show_cursor and self._show_hover_cursor and self.hover_coordinate.row == row_index
        width = self.size.width
        key = (line_no, x1, x2, width, base_style, cursor, hover, self._pseudo_class_state)
        variants = self._lines.get(row_key)
        known = variants.get(key) if variants is not None else None
        if known is not None and known[0] is token:
            return known[1]
        if row_index < 0:
            strip = super()._render_line(y, x1, x2, base_style)
        else:
            line, length = self._coin_line(row_key, row_index, line_no, base_style, cursor, hover)
            # (Each cell was simplified when drawn; cells never merge: their metadata differs.)
            strip = Strip(line, length)
            if x1 > 0 or x2 < length:
                strip = strip.crop(x1, x2)
            strip = strip.adjust_cell_length(width, base_style)
        if variants is None or any(kept is not token for kept, _ in variants.values()):
            # New cells: the row's other lines show the old ones.
            variants = self._lines[row_key] = {}
        elif len(variants) >= LINE_VARIANTS_KEPT:
            del variants[next(iter(variants))]
        variants[key] = (token, strip)
        return strip

    def _coin_line(
        self,
        row_key: RowKey,
        row_index: int,
        line_no: int,
        base_style: Style,
        cursor: bool,
        hover: bool,
    ) -> tuple[list[Segment], int]:
        """A coin's row as DataTable draws it (each cell, then a filler to the table's right
        edge), with its coin's mint in the mouse metadata (see `_render_line`), and its length
        in cells. A cell whose `Text` is the one drawn last time, in the same state, keeps its
        segments: one changed figure costs one cell through Rich, not the row."""
        mint = str(row_key.value)
        style = base_style + Style.from_meta({MINT_META: mint})
        state = (base_style, cursor, hover, self._pseudo_class_state, line_no)
        states = self._drawn_cells.setdefault(mint, {})
        kept = states.get(state)
        if kept is None:
            if len(states) >= DRAWN_STATES_KEPT:
                del states[next(iter(states))]
            kept = states[state] = {}
        # (From the layout: DataTable's, read column by column, walks the table's styles.)
        widths = self.column_layout.cell_widths
        pen: CellPen | None = None
        segments: list[Segment] = []
        for column_index, (width, text) in enumerate(zip(widths, self._cells[mint], strict=True)):
            known = kept.get(column_index)
            if known is None or known[0] is not text or known[1] != width:
                pen = pen or self._cell_pen(base_style, style, mint, cursor, hover)
                cell = self._draw_cell(text, column_index, pen, width, line_no)
                known = (text, width, cell)
                kept[column_index] = known
            segments.extend(known[2])
        filler, _ = self._row_styles(cursor, hover, cell=False)
        place = {"row": row_index, "column": 0, "out_of_bounds": True}
        table_width = sum(widths)
        rest = max(0, self.size.width - table_width)
        segments.append(Segment(" " * rest, style + filler + Style.from_meta(place)))
        return segments, table_width + rest

    def _get_row_renderables(self, row_index: int) -> RowRenderables:
        """DataTable's, not kept in its cache. DataTable measures each new row's renderables
        once and caches them under its update count, which every change moves on: as coins
        launched and left, the cache filled toward its 1,000 rows of cells never read again:
        live objects that every full garbage collection walked, and memory that grew with
        every coin seen. Drawing reads them only for the lines DataTable draws itself: the
        header, kept per column layout, and rows in the cases `_render_line` leaves to it."""
        return self._compute_row_renderables(row_index)

    def _cell_pen(
        self, base_style: Style, style: Style, mint: str, cursor: bool, hover: bool
    ) -> CellPen:
        """What every cell of a coin's line is drawn with (see `_draw_cell`): read once a line,
        not once a cell. `style`: the line's base style with the coin's mouse metadata."""
        component_style, post_style = self._row_styles(cursor, hover, cell=True)
        meta_free = not (base_style.meta or component_style.meta or post_style.meta)
        return CellPen(
            self.app.console,
            self.app.console_options.update(no_wrap=True),
            style,
            component_style,
            post_style,
            base_style + component_style if meta_free else None,
            mint,
        )

    def _draw_cell(
        self, text: Text, column_index: int, pen: CellPen, width: int, line_no: int = 0
    ) -> list[Segment]:
        """Line `line_no` of a coin's cell as DataTable's `_render_cell` draws it, but not kept
        in its caches, and a one-line cell without Rich's general renderer (`text_cell`: the
        same segments, in about a third of the time), simplified.

        DataTable's caches are keyed by the table's update count, which moves on with every
        change: under a flood they filled to their 10,000 cells and 1,000 rows of entries never
        read again (the cells are kept in `_drawn_cells`), tens of thousands of live objects
        that every full garbage collection walked (50-120 ms pauses, growing with the run) and
        +20 MB. The mouse metadata names the column, and the row by its coin (see
        `_render_line`).

        The styles are combined without the metadata, which is added once to each of the
        cell's finished segments: metadata makes every style a new one (Rich's cache of sums
        never hits, and each sum copies the metadata through pickle), and a re-sort that brings
        a screenful of new rows drew each of their cells so, about 40 ms a frame."""
        console = pen.console
        options = pen.options.update_dimensions(width, 1)
        if line_no == 0 and pen.meta_free_pre_style is not None:
            line = text_cell(
                console,
                options,
                text,
                width,
                self.cell_padding,
                pen.meta_free_pre_style,
                pen.post_style,
                pen.looks,
                Style.from_meta({MINT_META: pen.mint, "column": column_index}),
            )
            if line is not None:
                return line
        pre_style = pen.style + Style.from_meta({"column": column_index}) + pen.component_style
        lines = console.render_lines(
            Styled(Padding(text, (0, self.cell_padding)), pre_style, pen.post_style), options
        )
        return list(Segment.simplify(lines[line_no]))

    def _row_styles(self, cursor: bool, hover: bool, *, cell: bool) -> tuple[Style, Style]:
        """A coin row's component and post styles as DataTable picks them: for a cell (which
        honours the cursor's CSS priorities), or for the filler past the last column."""
        return self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            cell and self.cursor_foreground_priority == "css",
            cell and self.cursor_background_priority == "css",
        )

    def _current_place(self, event: events.MouseEvent) -> None:
        """Point the event's mouse metadata at the row its mint names now (see `_render_line`);
        none if that coin left the table. DataTable's own handler runs after this one."""
        meta = event.style.meta
        mint = meta.get(MINT_META)
        if mint is None:
            return
        row_index = self._row_locations.get(RowKey(mint))
        event.style = Style() if row_index is None else Style.from_meta({**meta, "row": row_index})

    async def _on_click(self, event: events.Click) -> None:
        self._current_place(event)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._current_place(event)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._lines.clear()
        self._drawn_cells.clear()

    def notify_style_update(self) -> None:
        # A theme or style change changes how every cell looks.
        self._lines.clear()
        self._drawn_cells.clear()
        super().notify_style_update()

    def _flush_writes(self) -> None:
        """Invalidate the render caches once and repaint only the written rows in view (every
        row is one line high), so an update costs what changed and what is visible."""
        if not self._written:
            return
        written, self._written = self._written, set()
        self._update_count += 1
        window = self.window_region
        width = max(self.size.width, window.right)
        scroll = self.scroll_offset
        regions = []
        for mint in written:
            index = self._row_locations.get(RowKey(mint))
            if index is None:
                continue
            region = Region(0, index + (self.header_height if self.show_header else 0), width, 1)
            if window.overlaps(region):
                regions.append(region.translate(-scroll))
        if regions:
            self.refresh(*regions)


# Figures that move with the clock alone: a coin's age, and a price change read from the prices
# seen (when its market activity does not say).
TIMED_FIELDS = frozenset({"age", "change"})
# What a figure or a verdict was worked out from, and what it was, per mint.
Memo = dict[str, tuple[tuple[object, ...], object]]


def _stamp(coin: Coin, context: RowContext, timed: bool) -> tuple[object, ...] | None:
    """What a coin's figures depend on besides the rule: its version (bumped by any change to
    the coin, its trades, board or activity), the SOL price, and the clock for a timed rule.
    None when the context has no versions (nothing can be kept)."""
    version = context.version(coin.mint)
    if version < 0:
        return None
    return (version, context.sol_usd, context.now if timed else None)


def _remembered(
    memo: Memo | None,
    fresh: Memo,
    coin: Coin,
    stamp: tuple[object, ...] | None,
    work: Callable[[], object],
) -> object:
    """`work()`, or what it gave for this coin under the same stamp (kept in `fresh`)."""
    if memo is None or stamp is None:
        return work()
    known = memo.get(coin.mint)
    value = known[1] if known is not None and known[0] == stamp else work()
    fresh[coin.mint] = (stamp, value)
    return value


def order_coins(
    coins: Sequence[Coin],
    context: RowContext,
    order: SortOrder,
    *,
    reversed_: bool = False,
    memo: Memo | None = None,
) -> list[Coin]:
    """`coins` by `order`, largest first (smallest first when `reversed_`); equal figures go
    newest first, then by mint; coins whose figure is not known come last, newest first.
    `memo` (the same order's, from the last call) saves working out unchanged coins again; it
    is updated to hold `coins` only."""
    keyed: list[tuple[float, Coin]] = []
    unknown: list[Coin] = []
    fresh: Memo = {}
    timed = order.column in ("chg5m", "chg1h")
    for coin in coins:
        value = _remembered(
            memo,
            fresh,
            coin,
            _stamp(coin, context, timed),
            partial(order.key, coin, _lazy_facts(coin, context)),
        )
        if not isinstance(value, int | float) or value != value:  # None, NaN: not known
            unknown.append(coin)
        else:
            keyed.append((float(value), coin))
    keyed.sort(key=lambda vc: (vc[0], vc[1].created_at or 0.0, vc[1].mint), reverse=not reversed_)
    unknown.sort(key=lambda c: (c.created_at or 0.0, c.mint), reverse=True)
    if memo is not None:
        memo.clear()
        memo.update(fresh)
    return [coin for _, coin in keyed] + unknown


def filter_coins(
    coins: Sequence[Coin],
    context: RowContext,
    coin_filter: CoinFilter,
    *,
    memo: Memo | None = None,
) -> list[Coin]:
    """The coins `coin_filter` keeps, in their order. `memo` as for `order_coins` (the same
    filter's, from the last call)."""
    if not coin_filter:
        return list(coins)
    expr = coin_filter.expr
    timed = expr is not None and bool(expr.fields & TIMED_FIELDS)
    fresh: Memo = {}
    kept = [
        coin
        for coin in coins
        if _remembered(
            memo if expr is not None else None,
            fresh,
            coin,
            _stamp(coin, context, timed),
            partial(coin_filter.matches, coin, _lazy_facts(coin, context)),
        )
    ]
    if memo is not None:
        memo.clear()
        memo.update(fresh)
    return kept


def _lazy_facts(coin: Coin, context: RowContext) -> LazyFacts:
    """The coin's figures, built on the first call and kept for the next."""
    built: list[Facts] = []

    def read() -> Facts:
        if not built:
            built.append(context.facts(coin))
        return built[0]

    return read


def row_cells(coin: Coin, context: RowContext, age_text: str, *, curve_bar: bool = True) -> Cells:
    """The cells of one coin's row for every column of `COLUMNS`, as `Text` (API strings are
    never parsed as markup); `curve_bar`: the curve column draws its bar."""
    marks = Text(no_wrap=True)
    glyphs = current()
    delisted = context.delisted(coin.mint)
    if coin.mint in context.marked:
        marks.append(glyphs.marked, style="bold magenta")
    elif delisted:
        marks.append(glyphs.delisted, style="bold red")
    elif coin.complete:
        marks.append(glyphs.graduated, style="bold green")
    elif coin.mint == context.leader_mint:
        # The leader: the highest market cap still on the bonding curve.
        marks.append(glyphs.leader, style="bold yellow")
    else:
        marks.append(" ")
    marks.append(glyphs.watched if coin.mint in context.watched else " ", style="bold cyan")
    marks.append(glyphs.liked if coin.mint in context.liked else " ", style="bold red")
    # The coin's creator is someone you follow.
    followed = coin.creator is not None and coin.creator in context.followed
    marks.append(glyphs.followed if followed else " ", style="bold green")
    marks.rstrip()
    name = Text(no_wrap=True, overflow="ellipsis", style="strike" if delisted else "")
    name.append(coin.symbol or "?", style="bold")
    if coin.name and coin.name != coin.symbol:
        name.append(" ")
        name.append(coin.name, style="dim")
    name.truncate(COIN_WIDTH, overflow="ellipsis")
    if (
        coin.market_cap_sol <= 0
        and coin.virtual_token_reserves <= 0
        and coin.market_cap_usd is None
    ):
        # Not loaded yet (a watched coin before its first refresh): no numbers to show.
        dash = Text("—", justify="right", no_wrap=True)
        return (
            age_cell(age_text),
            marks,
            name,
            dash,
            dash.copy(),
            Text(""),
            *activity_cells(context.facts(coin)),
            *board_cells(context.board(coin.mint)),
            Text(""),
        )
    progress = coin.progress
    bar_style = (
        "green" if coin.complete else ("yellow" if coin.mint == context.leader_mint else "blue")
    )
    curve = Text(no_wrap=True)
    if curve_bar:
        curve.append(progress_bar(progress, BAR_WIDTH), style=bar_style)
        curve.append(fmt.percent(progress).rjust(5))
    else:
        curve.append(fmt.percent(progress).rjust(CURVE_NARROW_WIDTH), style=bar_style)
    trend, change = timed_sparkline(context.trend(coin.mint), context.now, TREND_SPAN, TREND_WIDTH)
    sol_cap, usd_cap = fmt.coin_caps(coin, context.sol_usd)
    trend_style = ""
    if change is not None:
        trend_style = fmt.UP_STYLE if change >= 0 else fmt.DOWN_STYLE
    return (
        age_cell(age_text),
        marks,
        name,
        Text(fmt.compact(sol_cap), justify="right", no_wrap=True),
        Text(fmt.usd(usd_cap), justify="right", no_wrap=True),
        curve,
        *activity_cells(context.facts(coin)),
        *board_cells(context.board(coin.mint)),
        # The blank cells (before the coin was seen) apart from the line: drawn as one piece,
        # a screenshot renderer that strips leading spaces would move the line to the left.
        Text.assemble(
            " " * (len(trend) - len(trend.lstrip())), (trend.lstrip(), trend_style), no_wrap=True
        ),
    )


def age_cell(age_text: str) -> Text:
    """A coin's age, as its row shows it ("7s", "3m")."""
    return Text(age_text, justify="right", no_wrap=True)


def activity_cells(facts: Facts) -> tuple[Text, Text, Text]:
    """Volume over 5 minutes (USD) and the price change over 5 minutes and an hour, as the
    filter reads them ("—" before the figures were read)."""
    volume = facts.value("vol", FIVE_MINUTES)
    return (
        Text(
            fmt.usd(volume) if isinstance(volume, int | float) else "—",
            justify="right",
            no_wrap=True,
        ),
        change_cell(facts.value("change", FIVE_MINUTES)),
        change_cell(facts.value("change", ONE_HOUR)),
    )


def change_cell(change: float | str | None) -> Text:
    """A price change in percent, signed and coloured, in five cells: "+12%", "-100%", "+4k%"."""
    if not isinstance(change, int | float) or change != change:
        return Text("—", justify="right", no_wrap=True)
    style = fmt.UP_STYLE if change > 0 else (fmt.DOWN_STYLE if change < 0 else "")
    return Text(format_change(change), justify="right", no_wrap=True, style=style)


def format_change(change: float) -> str:
    """ "+12%", "-7%", "0%", "+999%", "+12k%", ">99k%": at most five characters (a price
    cannot fall by more than 100 %)."""
    if change >= 99_500:
        return ">99k%"
    if abs(change) >= 999.5:
        return f"{change / 1000:+.0f}k%"
    text = f"{change:+.0f}%"
    return "0%" if text in ("+0%", "-0%") else text


def board_cells(entry: BoardEntry | None) -> tuple[Text, Text, Text]:
    """Holders, top-10 % and dev % from the trenches boards ("—" for a coin no board lists).
    A dev holding a large share, or a top ten holding most of the supply, is shown in the
    warning colour: the first things a trader checks before buying."""
    if entry is None:
        return (
            Text("—", justify="right", no_wrap=True),
            Text("—", justify="right"),
            Text("—", justify="right"),
        )
    holders = "—" if entry.holders is None else fmt.compact(entry.holders)
    top10, dev = entry.top10_percent, entry.dev_percent
    return (
        Text(holders, justify="right", no_wrap=True),
        Text(
            "—" if top10 is None else f"{top10:.0f}",
            justify="right",
            no_wrap=True,
            style=fmt.DOWN_STYLE if top10 is not None and top10 >= TOP10_WARN else "",
        ),
        Text(
            "—" if dev is None else f"{dev:.0f}",
            justify="right",
            no_wrap=True,
            style=fmt.DOWN_STYLE if dev is not None and dev >= DEV_WARN else "",
        ),
    )
