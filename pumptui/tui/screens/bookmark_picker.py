"""Pick the bookmark lists a coin belongs to, or create a new one.

Each of the user's lists is a checkbox; toggling one sends the change at once (shown before the
server answers, undone with a toast if it refuses), as the web site's checkboxes do. Lists come
from the local cache, refreshed from the server the first time. Typing a name in the box below and
pressing Enter creates a list with the coin in it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from pumptui.tui.social import (
    BookmarkListCreated,
    BookmarkListsLoaded,
    SocialChanged,
    social_of,
)
from pumptui.tui.widgets.ticks import TickList
from pumptui.words import plural

NAME_LIMIT = 64


class BookmarkPicker(ModalScreen[None]):
    """The lists holding one coin; every toggle is sent at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Done", id="bookmarks.close-picker"),
    ]

    DEFAULT_CSS = """
    BookmarkPicker { align: center middle; }
    BookmarkPicker > #picker-box {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    BookmarkPicker #picker-lists { height: auto; max-height: 12; }
    BookmarkPicker #picker-status { height: auto; }
    BookmarkPicker #picker-status.-error { color: $error; }
    """

    def __init__(self, mint: str, label: str = "") -> None:
        super().__init__()
        self.mint = mint
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            title = Text("Bookmark ", style="bold")
            title.append(self.label or self.mint, style="bold")
            yield Static(title)
            yield TickList(id="picker-lists")
            yield Input(
                placeholder="new list name, enter to create", id="picker-new", max_length=NAME_LIMIT
            )
            yield Static(id="picker-status")
            yield Static(Text("space: add / remove · tab: new list · esc: done", style="dim"))

    @property
    def lists(self) -> SelectionList[str]:
        return self.query_one("#picker-lists", SelectionList)

    def on_mount(self) -> None:
        social = social_of(self)
        self._show_lists()
        self.lists.focus()
        if social is not None and not social.bookmarks_synced():
            self._say("Loading your lists…")
            social.refresh_bookmarks(reply_to=self)

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#picker-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    def _show_lists(self) -> None:
        """Rebuild the options from the cache, keeping the highlight where it was."""
        social = social_of(self)
        if social is None:
            return
        selection = self.lists
        highlighted = selection.highlighted
        containing = social.lists_containing(self.mint)
        selection.clear_options()
        for bookmark_list in social.bookmark_lists():
            label = Text(bookmark_list.name or "(unnamed)")
            label.append(f"  {plural(len(bookmark_list.mints), 'coin')}", style="dim")
            selection.add_option(Selection(label, bookmark_list.id, bookmark_list.id in containing))
        if selection.option_count:
            selection.highlighted = min(highlighted or 0, selection.option_count - 1)

    @on(SelectionList.SelectionToggled, "#picker-lists")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        social = social_of(self)
        if social is None:
            return
        list_id = event.selection.value
        social.set_bookmark(self.mint, list_id, list_id in self.lists.selected)

    def on_social_changed(self, message: SocialChanged) -> None:
        if message.what == "bookmark" and message.result is not None:
            # The server's verdict (or the rollback of a refusal): tick what is true now.
            self._show_lists()
            if not message.result.ok:
                self._say(message.result.message, error=True)

    def on_bookmark_lists_loaded(self, message: BookmarkListsLoaded) -> None:
        if message.result.ok:
            self._say("")
            self._show_lists()
        else:
            self._say(message.result.message, error=True)

    @on(Input.Submitted, "#picker-new")
    def _create(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        social = social_of(self)
        if not name or social is None:
            return
        event.input.value = ""
        self._say(f"Creating {name!r}…")
        social.create_bookmark_list(name, add_mint=self.mint, reply_to=self)

    def on_bookmark_list_created(self, message: BookmarkListCreated) -> None:
        created = message.bookmark_list
        self._say(message.message, error=created is None)
        if created is not None:
            self._show_lists()
            self.lists.focus()

    def action_close(self) -> None:
        self.dismiss(None)
