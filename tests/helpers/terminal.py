"""A model of a terminal: the bytes Textual writes go in, the characters and their colours per
cell come out (`Terminal`); what it shows when sent the whole screen (`shown`); and the bytes
each frame of a test's app would have written (`frames_sent`).

It knows what a Textual frame is made of: cursor moves, SGR colours and text. Like xterm, writing
over either half of a double-width character erases all of it.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import get_character_cell_size
from rich.control import Control
from textual.app import App

TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|(\n)|(\x1b)|(.)", re.DOTALL)
Cell = tuple[str, str]  # the character ("" for the right half of a double-width one), its SGR


class Terminal:
    """What a terminal shows after the bytes it was sent (cursor moves, colours, text)."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.rows: list[list[Cell]] = [[(" ", "")] * width for _ in range(height)]
        self.x = self.y = 0
        self.sgr = ""

    def feed(self, data: str) -> None:
        for match in TOKEN.finditer(data):
            row, column, sgr, newline, escape, character = match.groups()
            if row is not None:
                self.y, self.x = int(row) - 1, int(column) - 1
            elif sgr is not None:
                self.sgr = "" if sgr in ("", "0") else f"{self.sgr};{sgr}".lstrip(";")
            elif newline is not None:
                self.y, self.x = self.y + 1, 0
            elif escape is not None:
                raise AssertionError(f"an escape sequence this model does not know: {data!r}")
            else:
                self.put(character)

    def put(self, character: str) -> None:
        width = get_character_cell_size(character)
        row = self.rows[self.y]
        if width == 0:  # a combining mark: part of the cell before it
            if self.x > 0:
                before, sgr = row[self.x - 1]
                row[self.x - 1] = (before + character, sgr)
            return
        for x in range(self.x, min(self.x + width, self.width)):
            self.erase_around(row, x)
        row[self.x] = (character, self.sgr)
        if width == 2 and self.x + 1 < self.width:
            row[self.x + 1] = ("", self.sgr)
        self.x += width

    def erase_around(self, row: list[Cell], x: int) -> None:
        """Before `x` is written: the double-width character it is half of is erased whole."""
        if row[x][0] == "" and x > 0:
            row[x - 1] = (" ", row[x - 1][1])
        if get_character_cell_size(row[x][0] or " ") == 2 and x + 1 < self.width:
            row[x + 1] = (" ", row[x + 1][1])

    def text(self) -> list[str]:
        return ["".join(character for character, _ in row) for row in self.rows]


def shown(app: App[Any], width: int, height: int) -> Terminal:
    """A terminal that was sent the whole screen as it is now."""
    terminal = Terminal(width, height)
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        terminal.feed(Control.move_to(0, y).segment.text + strip.render(app.console))
    return terminal


def frames_sent(app: App[Any], sent: list[str]) -> None:
    """Keep what each frame would write to the terminal (a test's app writes nothing)."""
    display = app._display

    def keep(screen: Any, update: Any) -> None:
        if update is not None:
            sent.append(update.render_segments(app.console))
        display(screen, update)

    app._display = keep  # type: ignore[method-assign, assignment]
