"""Changing what a widget shows without laying the whole screen out again.

Textual treats a new `virtual_size` and a `Static.update` as changes of layout: the screen
arranges every widget again (about 40 ms on the Coin screen at 120×36), then repaints. Under a
flood the chat grows by a message a second or more and the creator line's age ticks every
second, so the screen spent most of its time arranging widgets whose places had not moved, and
a key pressed meanwhile waited for it. A widget whose size does not follow its content needs only
a repaint; `set_virtual_size` and `update_text` give it that, and fall back to a layout when its
size (or its scrollbars) really change.

A repaint has its cost too: Textual sends every repainted cell to the terminal, over SSH for most
users. `repaint_lines` repaints only the cells that read or look different, line by line, rounded
out to `SPAN_CELLS` (see `coarse_spans`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Static

SPAN_CELLS = 8
"""Repainted spans start and end on multiples of this many cells. Textual's compositor clips each
region a widget repaints through `Region.intersection`, an LRU cache of 4,096 entries: exact spans
(any first cell, any last) fill it with new regions for about an hour under a flood, a steady climb
of the app's memory. On this grid a 100x24 chart has 2,184 spans against 121,200, and the coin
screen's cache held 777 entries after 70 minutes; each span costs at most 14 more cells."""


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Give `view` a new scrollable size: its scrollbars and scroll limits follow at once; the
    screen is laid out again only when a scrollbar appears or goes, or the view's own size
    depends on its content (`height: auto`)."""
    if size == view.virtual_size:
        return
    if not view.is_mounted or view.styles.auto_dimensions:
        view.virtual_size = size
        return
    # What a layout would do for a scroll view (`ScrollView._size_updated`), minus the layout.
    # `_refresh_scrollbars`, inside `_scroll_update`, asks for a layout itself when a scrollbar
    # is shown or hidden.
    view.set_reactive(Widget.virtual_size, size)
    view._scroll_update(size)
    view.refresh()


def update_text(static: Static, text: Text) -> None:
    """Show `text` in `static`, which must be wrapped to the static's width already (its lines
    are its `\\n`s): nothing happens when it is the same text, and the screen is laid out again
    only when the number of lines changed."""
    before = static.content
    if isinstance(before, Text) and text_look(before) == text_look(text):
        return
    lines = before.plain.count("\n") if isinstance(before, Text) else -1
    static.update(text, layout=lines != text.plain.count("\n"))


def text_look(text: Text) -> tuple[object, ...]:
    """All that decides how a `Text` is drawn (`Text.__eq__` compares only the characters and
    spans, not the base style: a name struck through would look unchanged)."""
    return (
        text.plain,
        tuple(text.spans),
        text.style,
        text.justify,
        text.overflow,
        text.no_wrap,
        text.end,
        text.tab_size,
    )


def repaint_lines(widget: Widget, before: Sequence[Text] | None, after: Sequence[Text]) -> None:
    """Repaint only the cells of `widget` (one `Text` a row, from its top) that differ between
    `before` and `after`: on each line that changed, from its first changed cell to its last; all
    of it when the line count changed. Textual sends every repainted cell to the terminal: a
    header whose age ticks sends those few cells, not its three lines."""
    if before is None or len(before) != len(after) or not widget.is_mounted:
        widget.refresh()
        return
    width = widget.content_region.width
    console = widget.app.console
    changed = []
    for y, (old, new) in enumerate(zip(before, after, strict=True)):
        if text_look(old) == text_look(new):
            continue
        cells = changed_cells(console, old, new, width)
        if cells is not None:
            changed.append(Region(cells[0], y, cells[1] - cells[0], 1))
    if changed:
        widget.refresh(*coarse_spans(changed, width))


def coarse_spans(regions: Sequence[Region], width: int) -> list[Region]:
    """`regions` rounded out to the `SPAN_CELLS` grid, but not past `width`."""
    coarse = []
    for x, y, w, h in regions:
        start = x - x % SPAN_CELLS
        end = min(width, -(-(x + w) // SPAN_CELLS) * SPAN_CELLS)
        coarse.append(Region(start, y, max(end, x + w) - start, h))
    return coarse


Cell = tuple[str, Style]  # a character ("" for the right half of a double-width one), its style


def changed_cells(
    console: Console, before: Text, after: Text, width: int
) -> tuple[int, int] | None:
    """The cells (from, to) where two lines of a widget `width` cells wide look different (None:
    nowhere); all of them unless both are drawn from the left edge as they are (not centred,
    wrapped or cut)."""
    if not (drawn_as_is(before, width) and drawn_as_is(after, width)):
        return 0, width
    old, new = line_cells(console, before), line_cells(console, after)
    shorter = min(len(old), len(new))
    differ = [x for x in range(shorter) if old[x] != new[x]]
    differ += range(shorter, max(len(old), len(new)))  # what one of them leaves blank
    if not differ:  # the same cells (a span split in two, say)
        return None
    return differ[0], differ[-1] + 1


def drawn_as_is(text: Text, width: int) -> bool:
    return (
        text.justify in (None, "default", "left")
        and "\t" not in text.plain
        and text.cell_len <= width
    )


def line_cells(console: Console, text: Text) -> list[Cell]:
    cells: list[Cell] = []
    # `Text.render` leaves out the base style when the text has no spans.
    base = console.get_style(text.style, default=Style.null())
    for segment in text.render(console, end=""):
        style = base + segment.style
        for character in segment.text:
            size = get_character_cell_size(character)
            if size == 0 and cells:  # a combining mark: part of its character's cell
                cells[-1] = (cells[-1][0] + character, style)
            elif size:
                cells.append((character, style))
            if size == 2:
                cells.append(("", style))
    return cells
