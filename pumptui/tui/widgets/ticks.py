"""A check list and a radio button whose ticks differ in shape, not only in colour.

Textual draws a ticked and an unticked box alike (`▐X▌`, `▐●▌`) and tells them apart by colour
alone, so under NO_COLOR (or on a monochrome terminal) every box looks ticked. These draw the
current glyph set's `checked`/`unchecked` (`chosen`/`unchosen`): an empty box when not ticked.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

from pumptui.tui.glyphs import current

BOX_CELLS = 3  # Textual's box: left edge, tick, right edge


class TickList(SelectionList[str]):
    """A `SelectionList` whose unticked boxes are empty."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) <= BOX_CELLS:
            return strip
        glyphs = current()
        box = glyphs.checked if selection.value in self.selected else glyphs.unchecked
        for index, char in enumerate(box):
            segments[index] = Segment(char, segments[index].style)
        return Strip(segments, strip.cell_length)


class TickRadioButton(RadioButton):
    """A `RadioButton` whose unchosen button is empty."""

    @property
    def _button(self) -> Content:
        glyphs = current()
        left, inner, right = tuple(glyphs.chosen if self.value else glyphs.unchosen)
        self.BUTTON_LEFT, self.BUTTON_INNER, self.BUTTON_RIGHT = left, inner, right
        return super()._button
