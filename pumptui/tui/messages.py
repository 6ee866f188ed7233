"""App-wide messages: how the app tells screens that something changed.

The engine can publish hundreds of events a second; screens do not need each of them, only to know
that the store moved on. `StoreUpdated` therefore replaces any undelivered one
(`can_replace`), so a flood costs one redraw, not one per trade.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


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
class FeedProblem(Message, bubble=False):
    """A feed failed (or recovered): shown as a toast by the app, once per change of state."""

    feed: str
    message: str
    recovered: bool = False


@dataclass
class WatchlistChanged(Message, bubble=False):
    """The user watched or unwatched a coin; screens showing watch marks redraw them."""

    mint: str
    watched: bool
