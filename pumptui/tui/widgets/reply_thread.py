"""The reply thread of one coin: newest first, wrapped, scrollable, hostile text shown literally.

Reply texts are untrusted. The models have already removed escape sequences and invisible
controls; here they are only ever `rich.text.Text` (so "[bold]" stays four visible characters and
brackets), wrapped by cell width (so wide emoji and CJK never push a line past the edge) and folded
when one "word" is longer than the pane. Each reply's wrapped body is cached per width, and only
visible lines are rendered, so a thread of hundreds of replies costs what fits on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pumptui.api.models import Reply
from pumptui.tui.format import age, sol
from pumptui.tui.widgets.trade_tape import BUY_MARK, SELL_MARK, trader_name

MAX_REPLIES = 300
INDENT = 2

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class _Line:
    """One screen line of the thread: a reply's header, one line of its body, or a separator."""

    reply: int  # index into the replies shown
    kind: str  # "header" | "body" | "gap"
    body_line: int = 0


def attached_trade(reply: Reply) -> str | None:
    """The poster's trade as words: "bought 1.20 SOL" / "sold 0.500 SOL", or None."""
    if reply.is_buy is None or reply.sol is None:
        return None
    verb = "bought" if reply.is_buy else "sold"
    return f"{verb} {sol(reply.sol)} SOL"


class ReplyThread(ScrollView, can_focus=True, inherit_bindings=False):
    """Replies of one coin, newest at the top; new ones appear above without moving the reader."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Down", show=False, id="thread.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="thread.up"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, id="thread.page-down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="thread.page-up"),
        Binding("home,g", "scroll_home", "Newest", show=False, id="thread.newest"),
        Binding("end,G", "scroll_end", "Oldest", show=False, id="thread.oldest"),
    ]

    COMPONENT_CLASSES = {
        "reply-thread--author",
        "reply-thread--meta",
        "reply-thread--buy",
        "reply-thread--sell",
        "reply-thread--body",
        "reply-thread--empty",
    }

    DEFAULT_CSS = """
    ReplyThread {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .reply-thread--author { color: $text; text-style: bold; }
        & > .reply-thread--meta { color: $text-muted; }
        & > .reply-thread--buy { color: $success; }
        & > .reply-thread--sell { color: $error; }
        & > .reply-thread--body { color: $text; }
        & > .reply-thread--empty { color: $text-muted; text-style: italic; }
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
        self._replies: list[Reply] = []
        self._bodies: dict[tuple[int, int], list[Text]] = {}  # (reply id, width) → lines
        self._lines: list[_Line] = []
        self._layout_width = 0
        self._ages_shown: dict[int, str] = {}  # reply id → age last drawn
        self._title = ""

    @property
    def replies(self) -> list[Reply]:
        """The replies shown, newest first."""
        return self._replies

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def show_replies(self, replies: Sequence[Reply], total: int | None = None) -> bool:
        """Show these replies (newest first); False if nothing visible changed.

        `total` is the coin's reply count when known (the thread may hold fewer than were posted).
        """
        replies = list(replies[:MAX_REPLIES])
        self._update_title(total if total is not None else len(replies))
        if len(replies) == len(self._replies) and all(
            a.id == b.id and a.total_likes == b.total_likes and a.text == b.text
            for a, b in zip(replies, self._replies, strict=True)
        ):
            return False
        old_top = self._top_reply_id()
        old_offset = self._offset_in_top_reply()
        self._replies = replies
        live_ids = {r.id for r in replies}
        self._bodies = {k: v for k, v in self._bodies.items() if k[0] in live_ids}
        self._ages_shown = {k: v for k, v in self._ages_shown.items() if k in live_ids}
        self._relayout()
        # Keep the reply at the top of the view in place when new ones arrive above it.
        if old_top is not None and self.scroll_y > 0:
            for index, line in enumerate(self._lines):
                if line.kind == "header" and self._replies[line.reply].id == old_top:
                    self.scroll_to(y=index + old_offset, animate=False, immediate=True)
                    break
        self.refresh()
        return True

    def refresh_ages(self) -> None:
        """Repaint the header lines whose age changed (the clock moved, nothing else did)."""
        top = round(self.scroll_y)
        now = self.clock()
        for y, line in enumerate(self._lines[top:top + self.size.height]):
            if line.kind != "header":
                continue
            reply = self._replies[line.reply]
            shown = age(now - reply.timestamp)
            if self._ages_shown.get(reply.id) != shown:
                self._ages_shown[reply.id] = shown
                self.refresh_line(top + y)

    @property
    def reply_in_view(self) -> Reply | None:
        """The reply at the top of the view: what the social keys act on when this has focus."""
        index = round(self.scroll_y)
        if not self._lines or index >= len(self._lines):
            return None
        return self._replies[self._lines[index].reply]

    def _top_reply_id(self) -> int | None:
        index = round(self.scroll_y)
        if not self._lines or index >= len(self._lines):
            return None
        return self._replies[self._lines[index].reply].id

    def _offset_in_top_reply(self) -> int:
        index = round(self.scroll_y)
        if not self._lines or index >= len(self._lines):
            return 0
        reply = self._lines[index].reply
        first = index
        while first > 0 and self._lines[first - 1].reply == reply:
            first -= 1
        return index - first

    def on_resize(self) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self._update_title(len(self._replies))

    def _update_title(self, total: int) -> None:
        title = f"Replies · {total}"
        if title != self._title:  # setting a border title repaints the whole pane
            self._title = title
            self.border_title = title

    def _body_width(self) -> int:
        return max(4, self.scrollable_content_region.width - INDENT)

    def _body(self, index: int) -> list[Text]:
        reply = self._replies[index]
        width = self._body_width()
        key = (reply.id, width)
        lines = self._bodies.get(key)
        if lines is None:
            body = reply.text
            if reply.file_uri:
                body = f"{body} [image]" if body else "[image]"
            text = Text(body or "(no text)", no_wrap=False, overflow="fold", end="")
            lines = list(text.wrap(self.app.console, width, overflow="fold"))
            self._bodies[key] = lines
        return lines

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        lines: list[_Line] = []
        for index in range(len(self._replies)):
            lines.append(_Line(index, "header"))
            lines.extend(_Line(index, "body", n) for n in range(len(self._body(index))))
            lines.append(_Line(index, "gap"))
        self._lines = lines
        self._layout_width = self.scrollable_content_region.width
        self.virtual_size = Size(self._layout_width, len(lines))

    # -- rendering -------------------------------------------------------------------------------

    def header_text(self, reply: Reply) -> Text:
        """Author, age, likes and the attached trade, on one line."""
        meta = self.get_component_rich_style("reply-thread--meta", partial=True)
        header = Text(no_wrap=True, overflow="ellipsis", end="")
        header.append(Text(trader_name(reply.username, reply.user),
                           self.get_component_rich_style("reply-thread--author", partial=True)))
        header.append(f" · {age(self.clock() - reply.timestamp)}", meta)
        if reply.total_likes:
            header.append(f" · ♥ {reply.total_likes}", meta)
        trade = attached_trade(reply)
        if trade:
            side: Style = self.get_component_rich_style(
                "reply-thread--buy" if reply.is_buy else "reply-thread--sell", partial=True
            )
            header.append(" · ", meta)
            header.append(f"{BUY_MARK if reply.is_buy else SELL_MARK} {trade}", side)
        return header

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width != self._layout_width and self.is_mounted:
            self._relayout()
        if not self._lines:
            if y == 0:
                style = base + self.get_component_rich_style("reply-thread--empty")
                return Strip([Segment("No replies yet"[:width], style)]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        index = y + round(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        reply = self._replies[line.reply]
        if line.kind == "header":
            text = self.header_text(reply)
            self._ages_shown[reply.id] = age(self.clock() - reply.timestamp)
        elif line.kind == "body":
            text = Text(" " * INDENT, end="")
            text.append_text(self._body(line.reply)[line.body_line])
            text.stylize(self.get_component_rich_style("reply-thread--body", partial=True))
        else:
            return Strip.blank(width, base)
        text.truncate(width, overflow="ellipsis")
        text.stylize_before(base)
        return Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, base)
