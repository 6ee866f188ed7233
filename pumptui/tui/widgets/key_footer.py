"""The footer every screen shows: Textual's, with Help and Quit always first.

Textual lists the focused widget's keys first and the app's last, and cuts what does not fit:
`?` and `q`, the two keys a lost user needs, were the first to go (at 120 columns on Home, on every
Coin screen, at 80 columns everywhere). Here they lead, so every width shows them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Actions whose keys lead the footer, in this order.
ALWAYS_SHOWN = ("help", "quit")


class KeyFooter(Footer):
    """A `Footer` that shows Help and Quit before the screen's own keys."""

    def compose(self) -> ComposeResult:
        yield from sorted(super().compose(), key=_rank)


def _rank(widget: Widget) -> int:
    """Help, Quit, then the rest in Textual's order (sorting is stable)."""
    if isinstance(widget, FooterKey) and widget.action in ALWAYS_SHOWN:
        return ALWAYS_SHOWN.index(widget.action)
    return len(ALWAYS_SHOWN)
