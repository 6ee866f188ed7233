"""A coin's live chat: newest at the bottom, wrapped, scrollable, hostile text shown literally.

Chat texts are untrusted. The models have already removed escape sequences and invisible
controls; here they are only ever `rich.text.Text` (so "[bold]" stays visible brackets), wrapped by
cell width and folded when one "word" is longer than the pane. Like every chat, the pane sticks to
the bottom while the reader is there and stays put when they scrolled up to read (new messages are
counted in the title instead). Each message's wrapped lines are cached per width and only visible
lines are rendered, so hundreds of messages cost what fits on screen.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pumptui.api.models import ChatMessage
from pumptui.tui.keys import scroll_bindings
from pumptui.tui.widgets.line_frame import LineFrame
from pumptui.tui.widgets.repaint import set_virtual_size
from pumptui.tui.widgets.trade_tape import trader_name

INDENT = 2
CREATOR_BADGE = "DEV"
MODERATOR_BADGE = "MOD"


@dataclass(frozen=True, slots=True)
class _Line:
    message: int  # index into the messages shown
    kind: str  # "reply" (the preview of what it answers) | "body"
    n: int = 0


def reaction_name(emoji: str) -> str:
    """ ":fire:" as the service names a reaction; a bare "fire" gets its colons back."""
    name = emoji.strip(":")
    return f":{name}:" if name else "?"


class ChatPane(ScrollView, LineFrame, can_focus=True, inherit_bindings=False):
    """One coin's chat. `show(messages, viewers, state)` redraws only when something changed."""

    BINDINGS = scroll_bindings("chat", home="Oldest", end="Newest")

    COMPONENT_CLASSES = {
        "chat-pane--author",
        "chat-pane--meta",
        "chat-pane--creator",
        "chat-pane--moderator",
        "chat-pane--system",
        "chat-pane--reply",
        "chat-pane--body",
        "chat-pane--empty",
    }

    DEFAULT_CSS = """
    ChatPane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        &:focus { border-top: solid $accent; border-title-color: $text; }
        & > .chat-pane--author { color: $text; text-style: bold; }
        & > .chat-pane--meta { color: $text-muted; }
        & > .chat-pane--creator { color: $warning; text-style: bold reverse; }
        & > .chat-pane--moderator { color: $success; text-style: bold reverse; }
        & > .chat-pane--system { color: $text-muted; text-style: italic; }
        & > .chat-pane--reply { color: $text-muted; text-style: italic; }
        & > .chat-pane--body { color: $text; }
        & > .chat-pane--empty { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._messages: list[ChatMessage] = []
        # (message id, width) → (the message wrapped, its lines): a message edited under the
        # same id (new reactions, a changed text) is wrapped again.
        self._wrapped: dict[tuple[str, int], tuple[ChatMessage, list[Text]]] = {}
        self._lines: list[_Line] = []
        self._layout_width = 0
        self._viewers: int | None = None
        self._state = ""
        self._unread = 0
        self._title = ""

    @property
    def messages(self) -> list[ChatMessage]:
        """The messages shown, oldest first."""
        return self._messages

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def at_bottom(self) -> bool:
        return self.scroll_y >= self.max_scroll_y - 0.5

    def show(
        self, messages: Sequence[ChatMessage], viewers: int | None = None, state: str = ""
    ) -> bool:
        """Show these messages (oldest first), the viewer count and the connection's state
        ("" when live, else a word such as "reconnecting"). False if nothing visible changed."""
        self._viewers, self._state = viewers, state
        same = len(messages) == len(self._messages) and all(
            a.id == b.id and a.text == b.text and a.reactions == b.reactions
            for a, b in zip(messages, self._messages, strict=True)
        )
        if same:
            self._update_titles()
            return False
        follow = self.at_bottom or not self._messages
        known = {m.id for m in self._messages}
        arrived = sum(1 for m in messages if m.id not in known)
        self._messages = list(messages)
        live = {m.id for m in self._messages}
        self._wrapped = {k: v for k, v in self._wrapped.items() if k[0] in live}
        self._relayout()
        if follow:
            self._unread = 0
            self._stick_to_bottom()
        else:
            self._unread += arrived
        self._update_titles()
        self.refresh()
        return True

    def _stick_to_bottom(self) -> None:
        """Show the newest line at the bottom. Computed from the layout just made: the
        scroll limits the widget knows may still be the previous layout's."""
        bottom = max(0, len(self._lines) - self.scrollable_content_region.height)
        self.scroll_to(y=bottom, animate=False, immediate=True, force=True)
        self.call_after_refresh(self.scroll_end, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self._unread and self.at_bottom:
            self._unread = 0
            self._update_titles()

    @property
    def message_in_view(self) -> ChatMessage | None:
        """The newest message fully in view (what a reply or a moderator's mark is about)."""
        bottom = round(self.scroll_y) + self.scrollable_content_region.height - 1
        if not self._lines:
            return None
        index = min(bottom, len(self._lines) - 1)
        return self._messages[self._lines[index].message]

    def on_resize(self) -> None:
        follow = self.at_bottom
        self._relayout()
        if follow:
            self._stick_to_bottom()

    def on_mount(self) -> None:
        self._update_titles()

    def _update_titles(self) -> None:
        title = "Chat"
        if self._viewers is not None:
            title += f" · {self._viewers} watching"
        if self._unread:
            title += f" · {self._unread} new ↓"
        if self._state and self._messages:  # (an empty pane says it in its body)
            title += f" · {self._state}"
        if title != self._title:  # setting a border title repaints the whole pane
            self._title = title
            self.border_title = title

    # -- layout ----------------------------------------------------------------------------------

    def _prefix(self, message: ChatMessage) -> Text:
        """ "21:04 alice DEV: " — when (local time, as chats show it), who, what they are."""
        meta = self.get_component_rich_style("chat-pane--meta", partial=True)
        prefix = Text(no_wrap=True, end="")
        if message.at:
            prefix.append(time.strftime("%H:%M ", time.localtime(message.at)), meta)
        if message.is_system:
            return prefix
        author = trader_name(message.username, message.author)
        prefix.append(author, self.get_component_rich_style("chat-pane--author", partial=True))
        if message.is_creator:
            prefix.append(" ")
            prefix.append(
                CREATOR_BADGE, self.get_component_rich_style("chat-pane--creator", partial=True)
            )
        if message.is_moderator:
            prefix.append(" ")
            prefix.append(
                MODERATOR_BADGE, self.get_component_rich_style("chat-pane--moderator", partial=True)
            )
        prefix.append(": ", meta)
        return prefix

    def _body(self, index: int, pane_width: int) -> list[Text]:
        """Message `index` wrapped to a pane `pane_width` cells wide (read once by the caller:
        the region is costly to work out, and a layout asks for every message)."""
        message = self._messages[index]
        width = max(8, pane_width)
        key = (message.id, width)
        cached = self._wrapped.get(key)
        lines = cached[1] if cached is not None and cached[0] == message else None
        if lines is None:
            style_name = "chat-pane--system" if message.is_system else "chat-pane--body"
            text = self._prefix(message)
            text.append(
                message.text or "(no text)", self.get_component_rich_style(style_name, partial=True)
            )
            if message.reactions:
                meta = self.get_component_rich_style("chat-pane--meta", partial=True)
                shown = " ".join(
                    f"{reaction_name(emoji)} {count}" for emoji, count in message.reactions[:4]
                )
                text.append(f"  {shown}", meta)
            text.no_wrap = False  # the prefix is built unwrapped; the message wraps
            lines = list(text.wrap(self.app.console, width - INDENT, overflow="fold"))
            lines = [lines[0]] + [Text(" " * INDENT, end="") + line for line in lines[1:]]
            self._wrapped[key] = (message, lines)
        return lines

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        width = self.scrollable_content_region.width
        lines: list[_Line] = []
        for index, message in enumerate(self._messages):
            if message.reply_preview:
                lines.append(_Line(index, "reply"))
            lines.extend(_Line(index, "body", n) for n in range(len(self._body(index, width))))
        self._lines = lines
        self._layout_width = width
        set_virtual_size(self, Size(self._layout_width, len(lines)))

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width, base = self.line_frame()
        if width != self._layout_width and self.is_mounted:
            self._wrapped.clear()
            self._relayout()
        if not self._lines:
            if y == 0:
                style = base + self.get_component_rich_style("chat-pane--empty")
                words = "No chat messages yet" if not self._state else f"Chat {self._state}"
                return Strip([Segment(words[:width], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        index = y + round(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        message = self._messages[line.message]
        if line.kind == "reply":
            reply: Style = self.get_component_rich_style("chat-pane--reply", partial=True)
            text = Text(f"  ↳ {message.reply_preview}", reply, no_wrap=True, end="")
        else:
            text = self._body(line.message, width)[line.n].copy()
        text.truncate(width, overflow="ellipsis")
        text.stylize_before(base)
        return Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, base)
