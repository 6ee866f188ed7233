"""What every line of a frame shares, read once a frame instead of once a line.

The scrolling panes draw line by line (`render_line`), and each line began by reading the pane's
content width and base style: both are worked out afresh on every read, walking the widget's
styles and ancestors. Under a flood the tape draws thirty new lines twice a second, and those two
reads were about a third of each line's cost. A pane that mixes this in reads them once in
`render_lines` (one frame) and its lines ask `line_frame()`.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class LineFrame(Widget):
    """Mix in after the widget's base class, `class Pane(ScrollView, LineFrame)`: Textual takes a
    widget's default CSS from its first base only."""

    _frame: tuple[int, Style] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None  # a line drawn outside a frame (a test, a copy) reads them anew

    def line_frame(self) -> tuple[int, Style]:
        """The content width and the base style of the frame being drawn."""
        return self._frame or (self.scrollable_content_region.width, self.rich_style)
