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
