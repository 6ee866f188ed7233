"""Bookmarks: each of the user's lists, and its coins with live market data fetched in bulk.

The lists come from the local cache (synced with the server when the screen opens); the coins'
market data from the bulk endpoint (`/coins/mints`, up to 100 mints a request) through the social
service's worker, never from this screen. While the screen is on top the data is fetched again
every `REFRESH_SECONDS`, and never while the previous fetch is still running.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from pumptui.api.models import BookmarkList, Coin
from pumptui.tui.keys import BACK_BINDINGS
from pumptui.tui.screens.ask import ConfirmScreen, NameScreen
from pumptui.tui.screens.base import PumpScreen
from pumptui.tui.screens.bookmark_picker import NAME_LIMIT
from pumptui.tui.screens.home import coin_rows_context
from pumptui.tui.services import AppServices
from pumptui.tui.social import (
    SOCIAL_BINDINGS,
    BookmarkListsLoaded,
    CoinsFetched,
    SocialChanged,
    SocialKeys,
    SocialTarget,
    social_of,
)
from pumptui.tui.widgets.coin_table import CoinTable
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar
from pumptui.words import plural

REFRESH_SECONDS = 15.0
LOADING = "loading…"
NOT_FOUND = "not found"


class ListPicker(OptionList):
    """The lists, moved through with j and k as well as the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="bookmarks.lists-down"),
        Binding("k", "cursor_up", "Up", show=False, id="bookmarks.lists-up"),
    ]


class BookmarksScreen(SocialKeys, PumpScreen[None]):
    """The user's bookmark lists on the left (or top), the highlighted list's coins beside."""

    TITLE = "Bookmarks"
    BINDINGS: ClassVar[list[BindingType]] = [
        *BACK_BINDINGS,
        *SOCIAL_BINDINGS,
        Binding(
            "x,delete",
            "remove_from_list",
            "Remove",
            id="bookmarks.remove",
            tooltip="Remove the coin from this list",
        ),
        Binding(
            "e",
            "rename_list",
            "Rename list",
            id="bookmarks.rename-list",
            tooltip="Rename the highlighted list",
        ),
        Binding(
            "D",
            "delete_list",
            "Delete list",
            id="bookmarks.delete-list",
            tooltip="Delete the highlighted list (asks first)",
        ),
        Binding(
            "R",
            "reload",
            "Reload",
            id="bookmarks.reload",
            show=False,
            tooltip="Fetch the lists and their coins again",
        ),
    ]
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    DEFAULT_CSS = """
    BookmarksScreen #bookmarks-summary { height: 1; padding: 0 1; background: $boost; }
    BookmarksScreen #bookmarks-body { height: 1fr; }
    BookmarksScreen.-wide #bookmarks-body { layout: horizontal; }
    BookmarksScreen.-wide #bookmark-lists { width: 28; height: 1fr; }
    BookmarksScreen.-narrow #bookmarks-body { layout: vertical; }
    BookmarksScreen.-narrow #bookmark-lists { height: 5; }
    BookmarksScreen #bookmark-coins { height: 1fr; }
    BookmarksScreen #bookmarks-empty { height: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.coins: dict[str, Coin] = {}
        self.missing: set[str] = set()
        self.fetching = False
        self.problem: str | None = None
        self._list_ids: list[str] = []

    @property
    def services(self) -> AppServices:
        return self.app.services

    def compose(self) -> ComposeResult:
        yield Static(id="bookmarks-summary")
        with Container(id="bookmarks-body"):
            yield ListPicker(id="bookmark-lists")
            yield CoinTable(id="bookmark-coins")
        yield Static(id="bookmarks-empty")
        yield StatusBar()
        yield KeyFooter()

    @property
    def table(self) -> CoinTable:
        return self.query_one(CoinTable)

    @property
    def list_picker(self) -> OptionList:
        return self.query_one("#bookmark-lists", OptionList)

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self._refresh_market, name="bookmarks-refresh")
        self._show_lists()
        self.table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.redraw()

    # -- data ------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        social = social_of(self)
        if social is not None:
            social.refresh_bookmarks(reply_to=self)

    def on_bookmark_lists_loaded(self, message: BookmarkListsLoaded) -> None:
        if not message.result.ok:
            self.problem = message.result.message
        self._show_lists()
        self._refresh_market(force=True)

    def _all_mints(self) -> list[str]:
        social = social_of(self)
        lists = social.bookmark_lists() if social is not None else []
        return list(dict.fromkeys(mint for bookmark in lists for mint in bookmark.mints))

    def _refresh_market(self, force: bool = False) -> None:
        """Fetch the market data of every bookmarked coin (one bulk request per 100)."""
        social = social_of(self)
        if social is None or self.fetching or (not force and self.app.screen is not self):
            return
        mints = self._all_mints()
        if not mints:
            self.redraw()
            return
        self.fetching = True
        social.fetch_coins(mints, reply_to=self)
        self.redraw()

    def on_coins_fetched(self, message: CoinsFetched) -> None:
        self.fetching = False
        self.coins.update(message.coins)
        self.missing = set(message.missing)
        self.problem = message.problem
        self.redraw()

    def on_social_changed(self, message: SocialChanged) -> None:
        if message.what in ("bookmark", "login"):
            self._show_lists()
            if any(mint not in self.coins for mint in self._all_mints()):
                self._refresh_market(force=True)
        else:
            self.redraw()  # hearts, follow and moderation marks

    # -- drawing ---------------------------------------------------------------------------------

    def _lists(self) -> list[BookmarkList]:
        social = social_of(self)
        return social.bookmark_lists() if social is not None else []

    def _show_lists(self) -> None:
        picker = self.list_picker
        highlighted = picker.highlighted
        lists = self._lists()
        ids = [b.id for b in lists]
        if ids != self._list_ids:
            picker.clear_options()
            picker.add_options(Option(self._list_label(b), id=b.id) for b in lists)
            self._list_ids = ids
        else:
            for bookmark in lists:
                picker.replace_option_prompt(bookmark.id, self._list_label(bookmark))
        if lists:
            picker.highlighted = min(highlighted or 0, len(lists) - 1)
        self.redraw()

    @staticmethod
    def _list_label(bookmark: BookmarkList) -> Text:
        label = Text(bookmark.name or "(unnamed)", no_wrap=True, overflow="ellipsis")
        label.append(f" {len(bookmark.mints)}", style="dim")
        return label

    def current_list(self) -> BookmarkList | None:
        lists = self._lists()
        index = self.list_picker.highlighted
        if index is None or not lists:
            return None
        return lists[min(index, len(lists) - 1)]

    def _coin(self, mint: str) -> Coin:
        coin = self.coins.get(mint) or self.services.store.coin(mint)
        if coin is not None:
            return coin
        return Coin(mint=mint, name=NOT_FOUND if mint in self.missing else LOADING)

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        services = self.services
        current = self.current_list()
        coins = [self._coin(mint) for mint in current.mints] if current is not None else []
        self.table.show(coins, coin_rows_context(services, self.own_marks()))
        # The list's 5 m / 1 h figures, the rows on screen first (the engine's screener feed).
        services.show_rows(self.table.visible_mints, self.table.shown_mints)
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append("Bookmarks", style="bold")
        if current is not None:
            summary.append(" │ ", style="dim")
            summary.append(current.name or "(unnamed)")
            summary.append(f" · {plural(len(coins), 'coin')}", style="dim")
        if self.fetching:
            summary.append(" · updating…", style="dim")
        update_text(self.query_one("#bookmarks-summary", Static), summary)
        empty = self.query_one("#bookmarks-empty", Static)
        if self.problem:
            empty.update(Text(self.problem, style="bold red"))
        elif current is None:
            empty.update(Text("No bookmark lists yet: press b on a coin to make one.", style="dim"))
        elif not coins:
            empty.update(Text("This list is empty: press b on a coin to add it.", style="dim"))
        else:
            empty.update("")
        empty.display = bool(self.problem) or not coins

    @on(OptionList.OptionHighlighted, "#bookmark-lists")
    def _list_highlighted(self) -> None:
        self.redraw()

    # -- actions ---------------------------------------------------------------------------------

    def social_target(self) -> SocialTarget | None:
        mint = self.table.cursor_mint
        return SocialTarget.for_coin(self._coin(mint)) if mint is not None else None

    @on(DataTable.RowSelected, "#bookmark-coins")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.open_coin(str(event.row_key.value))

    def action_remove_from_list(self) -> None:
        social = social_of(self)
        current = self.current_list()
        mint = self.table.cursor_mint
        if social is None or current is None or mint is None:
            return
        social.set_bookmark(mint, current.id, False)

    def action_rename_list(self) -> None:
        social = social_of(self)
        current = self.current_list()
        if social is None or current is None:
            return

        def renamed(name: str | None) -> None:
            if name and name != current.name:
                social.change_bookmark_list(current.id, rename_to=name, reply_to=self)

        self.app.push_screen(
            NameScreen(f"Rename the list {current.name!r}", current.name or "", NAME_LIMIT),
            callback=renamed,
        )

    def action_delete_list(self) -> None:
        social = social_of(self)
        current = self.current_list()
        if social is None or current is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                social.change_bookmark_list(current.id, reply_to=self)

        count = plural(len(current.mints), "coin")
        self.app.push_screen(
            ConfirmScreen(f"Delete the list {current.name!r} ({count})?"), callback=confirmed
        )

    def action_back(self) -> None:
        self.dismiss(None)
