"""A repainted span of a line is sent to the terminal from where it starts, not from the left edge
of its widget, and what the terminal then shows is the frame, double-width characters and all.

The terminal is `tests.helpers.terminal.Terminal`, where writing over either half of a
double-width character erases all of it, as in xterm: that is how a careless cut would show.
"""

from __future__ import annotations

import random
import re

from rich.cells import get_character_cell_size
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from pumptui.tui import textual_fixes
from pumptui.tui.textual_fixes import whole_characters
from tests.helpers.terminal import Cell, frames_sent, shown

# Words a coin's line is made of: double-width ones (CJK, emoji) among narrow ones.
WORDS = ["价格", "🚀", "moon", " ", "1.25", "狗狗币", "🐸🐸", "x", "ＰＥＰＥ", "12:04", "—"]
STYLES = [Style(color="red"), Style(color="green", bold=True), Style(), Style(bgcolor="blue")]


class Lines(Widget):
    """Lines of styled words; `change` rewrites some and repaints only the cells around them."""

    DEFAULT_CSS = "Lines { width: 1fr; height: 1fr; }"

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng
        self.lines = [self.new_line() for _ in range(8)]

    def new_line(self) -> list[Segment]:
        return [
            Segment(self.rng.choice(WORDS), self.rng.choice(STYLES))
            for _ in range(self.rng.randint(3, 12))
        ]

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        if y >= len(self.lines):
            return Strip.blank(width)
        return Strip(self.lines[y]).crop_extend(0, width, None)

    def cells(self, y: int) -> list[Cell]:
        cells: list[Cell] = []
        for text, style, _ in self.render_line(y):
            for character in text:
                cells.append((character, str(style)))
                if get_character_cell_size(character) == 2:
                    cells.append(("", str(style)))
        return cells

    def change(self) -> None:
        """Change a word or two on a few lines; repaint from a few cells before the first
        change (sometimes inside a double-width character that did not change) to the last."""
        regions = []
        for y in self.rng.sample(range(len(self.lines)), 3):
            before = self.cells(y)
            line = self.lines[y]
            for _ in range(self.rng.randint(1, 2)):
                line[self.rng.randrange(len(line))] = Segment(
                    self.rng.choice(WORDS), self.rng.choice(STYLES)
                )
            after = self.cells(y)
            changed = [
                x for x, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
            ]
            if changed:
                first = max(0, changed[0] - self.rng.randint(0, 3))
                regions.append(Region(first, y, changed[-1] - first + 1, 1))
        if regions:
            self.refresh(*regions)


class LinesApp(App[None]):
    def __init__(self, seed: int) -> None:
        super().__init__()
        self.rng = random.Random(seed)

    def compose(self) -> ComposeResult:
        with Horizontal():
            # A widget on the left of every line: the lines are cut in pieces ("chops").
            yield Static("名前 🚀\nleft", id="left", classes="side")
            yield Lines(self.rng)
            yield Static("右", classes="side")

    CSS = ".side { width: 7; height: 1fr; }"


async def test_the_terminal_shows_every_frame_after_only_its_changed_spans_were_sent() -> None:
    textual_fixes.apply()
    width, height = 50, 8
    app = LinesApp(seed=7)
    sent: list[str] = []
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        terminal = shown(app, width, height)
        frames_sent(app, sent)
        lines = app.query_one(Lines)
        for step in range(40):
            lines.change()
            await pilot.pause()
            for data in sent:
                terminal.feed(data)
            sent.clear()
            expected = shown(app, width, height)
            assert terminal.text() == expected.text(), f"step {step}"
            assert terminal.rows == expected.rows, f"step {step}"


async def test_a_change_in_the_middle_of_a_line_sends_that_part_of_the_line() -> None:
    textual_fixes.apply()
    app = LinesApp(seed=1)
    sent: list[str] = []
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        lines = app.query_one(Lines)
        lines.lines[2] = [Segment("a" * 40, Style(color="red"))]
        lines.refresh()
        await pilot.pause()
        frames_sent(app, sent)
        lines.lines[2] = [Segment("a" * 30 + "b" + "a" * 9, Style(color="red"))]
        lines.refresh(Region(30, 2, 1, 1))
        await pilot.pause()
    # The line's widget starts at column 8: the cell sent is its 31st, the only one.
    assert len(sent) == 1
    assert re.sub(r"\x1b\[[0-9;]*m", "", sent[0]) == Control.move_to(7 + 30, 2).segment.text + "b"


def test_a_cut_inside_a_double_width_character_moves_to_take_all_of_it() -> None:
    strip = Strip([Segment("ab"), Segment("价格", Style(bold=True)), Segment("cd🚀")])
    # Cells: a0 b1 价2-3 格4-5 c6 d7 🚀8-9.
    assert whole_characters(strip, 2, 6) == (2, 6)
    assert whole_characters(strip, 3, 5) == (2, 6)
    assert whole_characters(strip, 5, 7) == (4, 7)
    assert whole_characters(strip, 9, 10) == (8, 10)
    assert whole_characters(strip, 1, 2) == (1, 2)
