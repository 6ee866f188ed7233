"""Command-line output that fits the terminal: tables for `coins` and `moderate`, and the cell
arithmetic `watch --format table` builds its lines with.

Widths are terminal cells, not characters: an emoji or a CJK character takes two (Rich's
`cell_len`), so a coin named "🚀🚀 全角" keeps the columns after it in place. The width is the
terminal's (`COLUMNS` when set, else the terminal's size, else 80 for a pipe).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich.cells import cell_len, set_cell_size

GAP = 2  # cells between two columns
CUT_MIN = 12  # a name cut with "…" keeps at least this many cells
WRAP_MIN = 16  # prose that wraps keeps at least this many


def terminal_width() -> int:
    """The width to fit: `COLUMNS`, else the terminal's, else 80 (a pipe, a file)."""
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def fit(text: str, width: int) -> str:
    """`text` in at most `width` cells, cut with "…" when longer."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with "…", then padded (on the left if `right`)."""
    text = fit(text, width)
    room = " " * (width - cell_len(text))
    return room + text if right else text + room


@dataclass
class Column:
    """One column: its header and cells, and how it gives way in a narrow terminal.

    `right`: numbers, aligned right. `cut`: may be narrower than its text, cut with "…" (a
    name: one row per item beats a wrapped name). `wrap`: may be narrower and wraps (prose,
    such as a failure's reason). `short`: a shorter form of every cell, used when the long
    form does not fit (a mint's `EpNi…pump`). `drop`: columns go in decreasing order of it
    when even the shortest forms do not fit; 0 never goes.
    """

    header: str
    cells: list[str]
    right: bool = False
    cut: bool = False
    wrap: bool = False
    short: list[str] | None = None
    drop: int = 0
    width: int = field(default=0, init=False)

    @property
    def flexible(self) -> bool:
        return self.cut or self.wrap

    def natural(self) -> int:
        return max([cell_len(self.header), *(cell_len(cell) for cell in self.cells)])

    def least(self) -> int:
        if not self.flexible:
            return self.natural()
        return min(self.natural(), WRAP_MIN if self.wrap else CUT_MIN)


def layout(columns: Sequence[Column], width: int) -> list[Column]:
    """The columns that fit in `width` cells, each given its width: the long forms while they
    fit, then the short forms, then without the columns that may go; the flexible columns
    share what is left evenly, each up to its natural width."""
    shown = list(columns)

    def least() -> int:
        return sum(column.least() for column in shown) + GAP * (len(shown) - 1)

    for column in shown:
        if least() <= width:
            break
        if column.short is not None:
            column.cells, column.short = column.short, None
    while least() > width and any(column.drop for column in shown):
        shown.remove(max(shown, key=lambda column: column.drop))
    spare = width - least()
    for column in shown:
        column.width = column.least()
    while spare > 0:
        hungry = [c for c in shown if c.flexible and c.width < c.natural()]
        if not hungry:
            break
        share = max(1, spare // len(hungry))
        for column in hungry:
            grow = min(share, spare, column.natural() - column.width)
            column.width += grow
            spare -= grow
    return shown


def print_table(columns: Sequence[Column], out: TextIO, width: int | None = None) -> None:
    """A plain table, as wide as the terminal at most: bold header on a terminal, every cell
    plain `Text` (markup in a coin's name shows literally), no borders (easy to copy)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = terminal_width() if width is None else width
    shown = layout(columns, width)
    table = Table(box=None, pad_edge=False, padding=(0, GAP // 2), header_style="bold")
    for column in shown:
        table.add_column(
            column.header,
            width=column.width,
            justify="right" if column.right else "left",
            no_wrap=not column.wrap,
            overflow="fold" if column.wrap else "ellipsis",
        )
    rows = len(shown[0].cells) if shown else 0
    for index in range(rows):
        table.add_row(*(Text(column.cells[index]) for column in shown))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, force_terminal=out.isatty())
    console.print(table)
    rendered = buffer.getvalue()
    # Rich pads every line to the table's width: trailing blanks only get in a copy's way.
    out.write("".join(line.rstrip(" ") + "\n" for line in rendered.splitlines()))
