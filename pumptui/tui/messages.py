"""App-wide messages: how the app tells screens that something changed.

The engine can publish hundreds of events a second; screens do not need each of them, only to know
that the store moved on. `StoreUpdated` therefore replaces any undelivered one
(`can_replace`), so a flood costs one redraw, not one per trade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from pumptui.tui.social import Marked, PostTarget


@dataclass
class StoreUpdated(Message, bubble=False):
    """The market store changed since the last one; `version` is `store.version` at sending time.

    Posted by the app to the active screen at most a few times a second and never while a modal is
    up. Handlers redraw from the store, comparing per-coin versions to touch only what changed.
    """

    version: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreUpdated)


@dataclass
class WatchlistChanged(Message, bubble=False):
    """The user watched or unwatched a coin; screens showing watch marks redraw them."""

    mint: str
    watched: bool


# -- requests for screens: services ask, the app opens (so no service imports a screen) ---------


@dataclass
class LoginNeeded(Message, bubble=False):
    """Open the login screen (once), saying `reason`; `then` runs after a successful login."""

    reason: str | None = None
    then: Callable[[], object] | None = field(default=None, compare=False)


@dataclass
class EditorWanted(Message, bubble=False):
    """Open the editor for a callout, a reply to a callout, or a chat line."""

    target: PostTarget


@dataclass
class BookmarkPickerWanted(Message, bubble=False):
    mint: str
    label: str


@dataclass
class BookmarksWanted(Message, bubble=False):
    """Open the bookmark lists."""


@dataclass
class ModerationWanted(Message, bubble=False):
    """Open the bulk moderation dialog for these rows (each with its text)."""

    items: list[Marked]


@dataclass
class AlertsChanged(Message, bubble=False):
    """An alert fired, or the rules changed: the alerts screen redraws its rules and history."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AlertsChanged)
