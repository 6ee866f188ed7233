"""Screens that know their app: `self.app` is the `PumpApp` (`services`, `open_coin`, ...).

Textual types `self.app` as a bare `App`; these bases narrow it for the type checker only. At run
time nothing changes: `self.app` is whatever app hosts the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from pumptui.tui.app import PumpApp

ResultT = TypeVar("ResultT")


class PumpScreen(Screen[ResultT]):
    """A screen of the pumptui app."""

    if TYPE_CHECKING:
        app: PumpApp


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
