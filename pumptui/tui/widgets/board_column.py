"""One trenches column: a board's coins as rows, live, with a cursor pinned to its coin.

Each row is a coin's board entry (age, name and symbol, USD market cap, curve %, holders, top-10 %,
dev %, snipers, 5-minute volume, and its market cap's trend since the app saw it). A column at
least `ONE_LINE_WIDTH` cells wide draws a row on one line; a narrower one (three columns side by
side) on two, the holder figures on the second. `row_lines` and `label_lines` build the text;
the widget only places it, so rows are tested without an app.

The cursor is a coin, not a row number: when rows above it come and go or move, the cursor stays
on its coin (and the view keeps it in sight); only when its coin leaves the column does the
cursor stay at the same place, on whichever coin is there now. The widget never reads the store:
it is handed entries and a `BoardRowContext`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pumptui.api.models import BoardEntry
from pumptui.tui import format as fmt
from pumptui.tui.glyphs import current
from pumptui.tui.keys import TABLE_BINDINGS
from pumptui.tui.widgets.board_stages import Move
from pumptui.tui.widgets.repaint import set_virtual_size
from pumptui.tui.widgets.sparkline import timed_sparkline

# Column widths (cells). The coin's name takes whatever the others leave.
AGE, MARK, MC, CURVE, HOLDERS, TOP10, DEV, SNIPERS, VOLUME, TREND = 3, 1, 6, 4, 5, 3, 3, 3, 6, 6
# One line holds every figure from this width; narrower columns draw two lines a row.
ONE_LINE_WIDTH = 62
MIN_COIN = 8
# The trend: the market cap over the last 5 minutes, 50 seconds a cell.
TREND_SPAN = 5 * 60
# Shares (%) from which top-10 and dev are shown in the warning colour (as on Home).
TOP10_WARN = 50.0
DEV_WARN = 10.0
# The keys of a coin table that make sense in a column (the same ids: one `[keymap]` entry
# moves both); left and right switch columns here instead of scrolling.
COLUMN_KEYS = (
    "table.down",
    "table.up",
    "table.page-down",
    "table.page-up",
    "table.top",
    "table.bottom",
    "table.open",
)


@dataclass(slots=True)
class BoardRowContext:
    """Everything besides the entry that a row shows."""

    now: float
    watched: frozenset[str] = frozenset()
    # The coin's USD market cap with its times, oldest first (the trend).
    trend: Callable[[str], Sequence[tuple[float, float]]] = field(default=lambda mint: ())
    # The coin's change of column, while it is recent (the row is marked).
    moved: Callable[[str], Move | None] = field(default=lambda mint: None)


def _cell(text: str, width: int, style: str = "") -> Text:
    """`text` right-aligned in `width` cells; the padding stays unstyled (a screenshot renderer
    strips spaces at the start of a styled run, which would move the figure)."""
    text = text[:width]
    return Text.assemble(" " * (width - len(text)), (text, style), no_wrap=True)


def _share(value: float | None, warn: float) -> Text:
    text = "—" if value is None else f"{value:.0f}"
    style = fmt.DOWN_STYLE if value is not None and value >= warn else ""
    return _cell(text, 3, style)


def _count(value: int | None, width: int) -> Text:
    return _cell("—" if value is None else fmt.compact(value), width)


def coin_width(width: int) -> int:
    """How many cells the coin's name gets in a column `width` cells wide."""
    # Age, mark and spaces take 6 cells; the figures after the name 44 (one line) or 19.
    if width >= ONE_LINE_WIDTH:
        return max(MIN_COIN, width - 50)
    return max(MIN_COIN, width - 25)


def row_lines(entry: BoardEntry, context: BoardRowContext, width: int) -> list[Text]:
    """The row of one coin: one line when `width` allows, else two."""
    glyphs = current()
    move = context.moved(entry.mint)
    mark = Text(" ", no_wrap=True)
    if move is not None:
        mark = Text(glyphs.buy if move.up else glyphs.sell, style="bold", no_wrap=True)
    elif entry.mint in context.watched:
        mark = Text(glyphs.watched, style="bold cyan", no_wrap=True)
    name_width = coin_width(width)
    name = Text(no_wrap=True, overflow="ellipsis")
    name.append(entry.symbol or "?", style="bold")
    if entry.name and entry.name != entry.symbol:
        name.append(" ")
        name.append(entry.name, style="dim")
    name.truncate(name_width, overflow="ellipsis", pad=True)
    age = _cell(fmt.age(entry.age_seconds) if entry.age_seconds is not None else "?", AGE)
    curve = entry.curve_percent
    curve_style = "green" if curve is not None and curve >= 100 else "yellow"
    curve_text = _cell(
        "—" if curve is None else f"{min(100.0, max(0.0, curve)):.0f}%",
        CURVE,
        curve_style if curve is not None and curve >= 70 else "",
    )
    line, change = timed_sparkline(context.trend(entry.mint), context.now, TREND_SPAN, TREND)
    trend_style = "" if change is None else (fmt.UP_STYLE if change >= 0 else fmt.DOWN_STYLE)
    trend = Text(line, style=trend_style, no_wrap=True)
    market_cap = _cell(fmt.usd(entry.market_cap_usd), MC)
    holders = _count(entry.holders, HOLDERS)
    top10 = _share(entry.top10_percent, TOP10_WARN)
    dev = _share(entry.dev_percent, DEV_WARN)
    snipers = _count(entry.snipers, SNIPERS)
    volume = _cell(fmt.usd(entry.volume_usd_5m), VOLUME)
    space = Text(" ")
    head = [age, space, mark, space, name]
    if width >= ONE_LINE_WIDTH:
        cells = [market_cap, curve_text, holders, top10, dev, snipers, volume, trend]
        return [Text.assemble(*head, *(part for c in cells for part in (space, c)), no_wrap=True)]
    first = [market_cap, curve_text, trend]
    second = [holders, top10, dev, snipers, volume]
    return [
        Text.assemble(*head, *(part for c in first for part in (space, c)), no_wrap=True),
        Text.assemble(
            " " * (AGE + MARK + 1), *(part for c in second for part in (space, c)), no_wrap=True
        ),
    ]


def label_lines(width: int) -> list[Text]:
    """The column labels over the rows, laid out as `row_lines` lays out a row."""
    name_width = coin_width(width)
    head = "Age" + " " * (MARK + 2) + "Coin".ljust(name_width)
    trend = "Trend".ljust(TREND)
    if width >= ONE_LINE_WIDTH:
        parts = [
            ("MC $", MC),
            ("Crv", CURVE),
            ("Hold", HOLDERS),
            ("T10", TOP10),
            ("Dev", DEV),
            ("Snp", SNIPERS),
            ("Vol5m", VOLUME),
        ]
        line = head + "".join(" " + label.rjust(w) for label, w in parts) + " " + trend
        return [Text(line, style="bold", no_wrap=True)]
    first = head + f" {'MC $':>{MC}} {'Crv':>{CURVE}} {trend}"
    second = " " * (AGE + MARK + 1) + "".join(
        " " + label.rjust(w)
        for label, w in (
            ("Hold", HOLDERS),
            ("T10", TOP10),
            ("Dev", DEV),
            ("Snp", SNIPERS),
            ("Vol5m", VOLUME),
        )
    )
    indent = len(second) - len(second.lstrip())
    return [
        Text(first, style="bold", no_wrap=True),
        Text.assemble(second[:indent], (second[indent:], "dim"), no_wrap=True),
    ]


def row_height(width: int) -> int:
    return 1 if width >= ONE_LINE_WIDTH else 2


class BoardColumn(ScrollView, can_focus=True):
    """A board's coins, one row each, drawn line by line (only what is in view)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in TABLE_BINDINGS if isinstance(b, Binding) and b.id in COLUMN_KEYS
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board-column--cursor",
        "board-column--moved-up",
        "board-column--moved-down",
    }
    DEFAULT_CSS = """
    BoardColumn {
        scrollbar-size-vertical: 1;
        /* The rows' width does not change when the scrollbar comes and goes: the labels
           above, laid out for the same width, stay in line with them. */
        scrollbar-gutter: stable;
        overflow-x: hidden;
        height: 1fr;
    }
    BoardColumn > .board-column--cursor { background: $block-cursor-blurred-background; }
    BoardColumn:focus > .board-column--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    BoardColumn > .board-column--moved-up { background: $success 35%; }
    BoardColumn > .board-column--moved-down { background: $error 30%; }
    """

    class Selected(Message):
        """Enter (or a click) on a coin: open it."""

        def __init__(self, column: BoardColumn, mint: str) -> None:
            super().__init__()
            self.column = column
            self.mint = mint

    def __init__(self, stage: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self._entries: list[BoardEntry] = []
        self._index: dict[str, int] = {}
        self._row_context = BoardRowContext(now=0.0)
        self._cursor = 0
        self._cursor_mint: str | None = None
        self._lines: dict[str, tuple[object, list[Strip]]] = {}
        self._styles: tuple[Style, Style, Style, Style] | None = None

    # -- what the screen reads ---------------------------------------------------------------

    @property
    def mints(self) -> list[str]:
        """The coins in display order."""
        return [entry.mint for entry in self._entries]

    @property
    def cursor_mint(self) -> str | None:
        """The coin under the cursor (None when the column is empty)."""
        return self._cursor_mint

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_height(self) -> int:
        return row_height(self.scrollable_content_region.width or self.size.width)

    # -- updating ----------------------------------------------------------------------------

    def show(self, entries: Sequence[BoardEntry], context: BoardRowContext) -> None:
        """Show `entries` in this order; the cursor stays on its coin while the coin is here.
        Only rows whose text changed are repainted; an unchanged column costs no repaint."""
        before = self.mints
        cursor_before = self._cursor
        self._entries = list(entries)
        self._index = {entry.mint: n for n, entry in enumerate(self._entries)}
        self._row_context = context
        keep = self._cursor_mint
        if keep is not None and keep in self._index:
            self._cursor = self._index[keep]
        else:
            self._cursor = max(0, min(self._cursor, len(self._entries) - 1))
        self._cursor_mint = self._entries[self._cursor].mint if self._entries else None
        for mint in [m for m in self._lines if m not in self._index]:
            del self._lines[mint]
        width = self._width()
        changed = [
            n
            for n, entry in enumerate(self._entries)
            if (cached := self._lines.get(entry.mint)) is None
            or cached[0] != self._row_state(entry, width)
        ]
        if self.mints != before or self._cursor != cursor_before:
            self._resize()
            self.refresh()
        elif changed:
            height = row_height(width)
            scroll_y = self.scroll_offset.y
            self.refresh(
                *(Region(0, n * height - scroll_y, width, height) for n in changed),
            )

    def move_to(self, mint: str) -> bool:
        """Put the cursor on `mint` if this column shows it."""
        index = self._index.get(mint)
        if index is None:
            return False
        self._set_cursor(index)
        return True

    def _set_cursor(self, index: int) -> None:
        if not self._entries:
            return
        self._cursor = max(0, min(index, len(self._entries) - 1))
        self._cursor_mint = self._entries[self._cursor].mint
        self._scroll_to_cursor()
        self.refresh()

    def _width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def _resize(self) -> None:
        width = self._width()
        set_virtual_size(self, Size(width, len(self._entries) * row_height(width)))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if not self._entries:
            return
        height = self.row_height
        region = Region(0, self._cursor * height, max(1, self._width()), height)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self._resize()

    # -- drawing -----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles once a frame, not once a line: each look-up walks the widget's ancestors.
        base = self.rich_style
        self._styles = (
            base,
            base + self.get_component_rich_style("board-column--cursor"),
            base + self.get_component_rich_style("board-column--moved-up"),
            base + self.get_component_rich_style("board-column--moved-down"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        width = self._width()
        row, part = divmod(scroll_y + y, row_height(width))
        base, cursor, moved_up, moved_down = self._styles or (self.rich_style,) * 4
        if row >= len(self._entries):
            return Strip.blank(width, base)
        entry = self._entries[row]
        strip = self._row(entry, width)[part]
        style = base
        move = self._row_context.moved(entry.mint)
        if row == self._cursor:
            style = cursor
        elif move is not None:
            style = moved_up if move.up else moved_down
        return strip.apply_style(style).crop_extend(0, width, style)

    def _row_state(self, entry: BoardEntry, width: int) -> tuple[object, ...]:
        """What a row's text depends on besides its place."""
        context = self._row_context
        return (
            entry,
            width,
            entry.mint in context.watched,
            context.moved(entry.mint),
            context.now // (TREND_SPAN / TREND),
            current().name,
        )

    def _row(self, entry: BoardEntry, width: int) -> list[Strip]:
        """The row's lines, rendered once until what they show changes."""
        state = self._row_state(entry, width)
        cached = self._lines.get(entry.mint)
        if cached is not None and cached[0] == state:
            return cached[1]
        console = self.app.console
        strips = [
            Strip(line.render(console, end=""))
            for line in row_lines(entry, self._row_context, width)
        ]
        self._lines[entry.mint] = (state, strips)
        return strips

    # -- keys and the mouse --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._set_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_cursor(self._cursor - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height)

    def action_page_down(self) -> None:
        self._set_cursor(self._cursor + self._page())

    def action_page_up(self) -> None:
        self._set_cursor(self._cursor - self._page())

    def action_scroll_top(self) -> None:
        self._set_cursor(0)

    def action_scroll_bottom(self) -> None:
        self._set_cursor(len(self._entries) - 1)

    def action_select_cursor(self) -> None:
        if self._cursor_mint is not None:
            self.post_message(self.Selected(self, self._cursor_mint))

    def on_click(self, event: events.Click) -> None:
        _, scroll_y = self.scroll_offset
        row = (event.y + scroll_y) // self.row_height
        if 0 <= row < len(self._entries):
            self.focus()
            if row == self._cursor and event.chain > 1:
                self.action_select_cursor()
            self._set_cursor(row)
