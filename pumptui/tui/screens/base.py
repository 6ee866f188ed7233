"""Screens that know their app: `self.app` is the `PumpApp` (`services`, `open_coin`, ...).

Textual types `self.app` as a bare `App`; these bases narrow it for the type checker only. At run
time nothing changes: `self.app` is whatever app hosts the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from pumptui.tui.app import PumpApp

ResultT = TypeVar("ResultT")


class PumpScreen(Screen[ResultT]):
    """A screen of the pumptui app."""

    if TYPE_CHECKING:
        app: PumpApp

    # Textual repaints the whole screen when the focus moves. What the focus changes repaints
    # itself: the widgets losing and gaining it (`Widget._on_focus` and `_on_blur`), and any
    # widget whose style changes with it (`:focus`, `:focus-within`). The whole screen again
    # was most of the frame after a key that moves the focus (→ on the trenches): 10-20 ms.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class CursorCoinActions(PumpScreen[None]):
    """Watch, copy and open the coin under a screen's cursor (Home, Watchlist, Trenches): the
    screen says which coin that is (`cursor_mint`), and a key with no coin under it says so."""

    @property
    def cursor_mint(self) -> str | None:
        raise NotImplementedError

    def _cursor_mint(self) -> str | None:
        mint = self.cursor_mint
        if mint is None:
            self.notify("No coin selected", severity="warning", timeout=2)
        return mint

    def action_toggle_watch(self) -> None:
        if (mint := self._cursor_mint()) is not None:
            self.app.toggle_watch(mint)

    def action_copy_mint(self) -> None:
        if (mint := self._cursor_mint()) is not None:
            self.app.copy_mint(mint)

    def action_open_browser(self) -> None:
        if (mint := self._cursor_mint()) is not None:
            self.app.open_in_browser(mint)
