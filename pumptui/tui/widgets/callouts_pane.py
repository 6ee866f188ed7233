"""A coin's top callouts: who called it, at what market cap, how it has done since, and why.

A callout is a holder's call on a coin with a thesis (Pump.fun's successor of threaded replies).
The pane keeps a cursor on one callout: the social keys act on it (`r` replies, `l` likes, `f`
follows its author). Each row shows the user's own marks the moment a key is pressed: a heart on a
liked callout, a `+` on an author followed. Theses are untrusted text: `rich.text.Text` only,
wrapped by cell width and folded, cached per width.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pumptui.api.models import Callout
from pumptui.tui.format import age, usd
from pumptui.tui.glyphs import current
from pumptui.tui.widgets.line_frame import LineFrame
from pumptui.tui.widgets.repaint import set_virtual_size
from pumptui.tui.widgets.trade_tape import trader_name
from pumptui.words import plural

INDENT = 2
# Lines of a thesis shown under its header; the rest is cut with an ellipsis.
THESIS_LINES = 4

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class CalloutMarks:
    """The user's own marks to draw: callouts liked and marked (by id), authors followed."""

    liked: frozenset[str] = frozenset()
    followed: frozenset[str] = frozenset()
    marked: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Line:
    callout: int
    kind: str  # "header" | "thesis" | "gap"
    n: int = 0


def multiple_text(multiple: float | None) -> str:
    """ "×2.41" since the call; "×0.52" for a call that went down; "" when unknown."""
    if multiple is None or multiple <= 0:
        return ""
    return f"×{multiple:.2f}" if multiple < 100 else f"×{multiple:,.0f}"


class CalloutsPane(ScrollView, LineFrame, can_focus=True, inherit_bindings=False):
    """The coin's callouts, best first, with a cursor."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Next callout", show=False, id="callouts.down"),
        Binding("up,k", "move(-1)", "Previous callout", show=False, id="callouts.up"),
        Binding("home,g", "move_to(0)", "First", show=False, id="callouts.first"),
        Binding("end,G", "move_to(-1)", "Last", show=False, id="callouts.last"),
    ]

    COMPONENT_CLASSES = {
        "callouts-pane--author",
        "callouts-pane--meta",
        "callouts-pane--up",
        "callouts-pane--down",
        "callouts-pane--liked",
        "callouts-pane--followed",
        "callouts-pane--marked",
        "callouts-pane--cursor",
        "callouts-pane--thesis",
        "callouts-pane--empty",
    }

    DEFAULT_CSS = """
    CalloutsPane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .callouts-pane--author { color: $text; text-style: bold; }
        & > .callouts-pane--meta { color: $text-muted; }
        & > .callouts-pane--up { color: $success; text-style: bold; }
        & > .callouts-pane--down { color: $error; }
        & > .callouts-pane--liked { color: $error; text-style: bold; }
        & > .callouts-pane--followed { color: $success; text-style: bold; }
        & > .callouts-pane--marked { color: $secondary; text-style: bold; }
        & > .callouts-pane--cursor { color: $accent; text-style: bold; }
        & > .callouts-pane--thesis { color: $text; }
        & > .callouts-pane--empty { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self._callouts: list[Callout] = []
        self._marks = CalloutMarks()
        # (callout id, width) → (the thesis wrapped, its lines)
        self._theses: dict[tuple[str, int], tuple[str, list[Text]]] = {}
        # Each callout's age as its header last drew it ("5m"): `refresh_ages` repaints a header
        # only when its age reads differently.
        self._ages: dict[str, str] = {}
        self._lines: list[_Line] = []
        self._layout_width = 0
        self._cursor = 0
        self._note = ""
        self._title = ""

    @property
    def callouts(self) -> list[Callout]:
        return self._callouts

    @property
    def selected(self) -> Callout | None:
        """The callout under the cursor: what the social keys act on while this has focus."""
        if not self._callouts:
            return None
        return self._callouts[min(self._cursor, len(self._callouts) - 1)]

    def show(
        self, callouts: Sequence[Callout], marks: CalloutMarks | None = None, note: str = ""
    ) -> bool:
        """Show these callouts and marks; `note` replaces the empty text ("not available on
        this service", "loading…"). The cursor stays on the same callout. False if nothing
        visible changed."""
        marks = marks if marks is not None else self._marks
        same = (
            marks == self._marks
            and note == self._note
            and [(c.id, c.likes, c.multiple, c.replies, c.thesis) for c in callouts]
            == [(c.id, c.likes, c.multiple, c.replies, c.thesis) for c in self._callouts]
        )
        if same:
            return False
        selected = self.selected
        self._callouts, self._marks, self._note = list(callouts), marks, note
        live = {c.id for c in self._callouts}
        self._theses = {k: v for k, v in self._theses.items() if k[0] in live}
        self._ages = {k: v for k, v in self._ages.items() if k in live}
        if selected is not None:
            for index, callout in enumerate(self._callouts):
                if callout.id == selected.id:
                    self._cursor = index
                    break
        self._cursor = min(self._cursor, max(0, len(self._callouts) - 1))
        self._update_title()
        self._relayout()
        self.refresh()
        return True

    def on_mount(self) -> None:
        self._update_title()

    def refresh_ages(self) -> None:
        """The clock moved: repaint the headers on screen whose age reads differently (those
        lines only: every repainted cell goes to the terminal)."""
        if not self._callouts or not self.is_mounted:
            return
        now, top = self.clock(), round(self.scroll_y)
        width, height = self.scrollable_content_region.size
        regions = []
        for y in range(top, min(len(self._lines), top + height)):
            line = self._lines[y]
            callout = self._callouts[line.callout]
            if line.kind != "header" or not callout.created_at:
                continue
            if self._ages.get(callout.id) != age(now - callout.created_at):
                regions.append(Region(0, y - top, width, 1))
        if regions:
            self.refresh(*regions)

    def on_resize(self) -> None:
        self._relayout()

    def _update_title(self) -> None:
        title = f"Callouts · {len(self._callouts)}"
        if title != self._title:
            self._title = title
            self.border_title = title

    # -- cursor ----------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self._callouts:
            self._set_cursor(max(0, min(len(self._callouts) - 1, self._cursor + step)))

    def action_move_to(self, index: int) -> None:
        if self._callouts:
            self._set_cursor(index % len(self._callouts))

    def _set_cursor(self, index: int) -> None:
        self._cursor = index
        first = next(
            (
                y
                for y, line in enumerate(self._lines)
                if line.callout == index and line.kind == "header"
            ),
            0,
        )
        last = max(
            (
                y
                for y, line in enumerate(self._lines)
                if line.callout == index and line.kind != "gap"
            ),
            default=first,
        )
        height = self.scrollable_content_region.height
        if first < self.scroll_y:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= self.scroll_y + height:
            self.scroll_to(y=max(first, last - height + 1), animate=False, immediate=True)
        self.refresh()

    # -- layout ----------------------------------------------------------------------------------

    def _thesis(self, index: int, pane_width: int) -> list[Text]:
        """Callout `index`'s thesis wrapped under its header in a pane `pane_width` cells wide
        (read once by the caller: the region is costly to work out)."""
        callout = self._callouts[index]
        width = max(4, pane_width - INDENT)
        key = (callout.id, width)
        cached = self._theses.get(key)
        lines = cached[1] if cached is not None and cached[0] == callout.thesis else None
        if lines is None:
            text = Text(callout.thesis or "(no thesis)", end="")
            lines = list(text.wrap(self.app.console, width, overflow="fold"))
            if len(lines) > THESIS_LINES:
                lines = lines[:THESIS_LINES]
                lines[-1].truncate(width - 1)
                lines[-1].append("…")
            self._theses[key] = (callout.thesis, lines)
        return lines

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        width = self.scrollable_content_region.width
        lines: list[_Line] = []
        for index in range(len(self._callouts)):
            lines.append(_Line(index, "header"))
            lines.extend(_Line(index, "thesis", n) for n in range(len(self._thesis(index, width))))
            lines.append(_Line(index, "gap"))
        self._lines = lines
        self._layout_width = width
        set_virtual_size(self, Size(self._layout_width, len(lines)))

    def header_text(self, callout: Callout, selected: bool) -> Text:
        """ "▌♥ alice + · at $12.3k · ×2.41 · 5m · ♥ 3 · 2 replies" """
        style = self.get_component_rich_style
        meta = style("callouts-pane--meta", partial=True)
        marks = self._marks
        glyphs = current()
        header = Text(no_wrap=True, overflow="ellipsis", end="")
        header.append("▌" if selected else " ", style("callouts-pane--cursor", partial=True))
        if callout.id in marks.marked:
            header.append(f"{glyphs.marked} ", style("callouts-pane--marked", partial=True))
        if callout.id in marks.liked:
            header.append(f"{glyphs.liked} ", style("callouts-pane--liked", partial=True))
        header.append(
            trader_name(callout.username, callout.author_wallet),
            style("callouts-pane--author", partial=True),
        )
        if callout.author_wallet is not None and callout.author_wallet in marks.followed:
            header.append(f" {glyphs.followed}", style("callouts-pane--followed", partial=True))
        if callout.market_cap_usd is not None:
            header.append(f" · at {usd(callout.market_cap_usd)}", meta)
        multiple = multiple_text(callout.multiple)
        if multiple:
            header.append(" · ", meta)
            up = callout.multiple is not None and callout.multiple >= 1
            header.append(
                multiple, style("callouts-pane--up" if up else "callouts-pane--down", partial=True)
            )
        if callout.created_at:
            shown = self._ages[callout.id] = age(self.clock() - callout.created_at)
            header.append(f" · {shown}", meta)
        if callout.likes:
            header.append(f" · {glyphs.liked} {callout.likes}", meta)
        if callout.replies:
            header.append(f" · {plural(callout.replies, 'reply')}", meta)
        return header

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width, base = self.line_frame()
        if width != self._layout_width and self.is_mounted:
            self._relayout()
        if not self._lines:
            if y == 0:
                style = base + self.get_component_rich_style("callouts-pane--empty")
                words = self._note or "No callouts yet · n: post one"
                return Strip([Segment(words[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        index = y + round(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        callout = self._callouts[line.callout]
        if line.kind == "header":
            text = self.header_text(callout, self.has_focus and line.callout == self._cursor)
        elif line.kind == "thesis":
            text = Text(" " * INDENT, end="")
            text.append_text(self._thesis(line.callout, width)[line.n])
            text.stylize(self.get_component_rich_style("callouts-pane--thesis", partial=True))
        else:
            return Strip.blank(width, base)
        text.truncate(width, overflow="ellipsis")
        text.stylize_before(base)
        return Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
