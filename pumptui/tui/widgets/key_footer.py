"""The footer every screen shows: Textual's, with Help and Quit always first.

Textual lists the focused widget's keys first and the app's last, and cuts what does not fit:
`?` and `q`, the two keys a lost user needs, were the first to go (at 120 columns on Home, on every
Coin screen, at 80 columns everywhere). Here they lead, so every width shows them.

Textual's footer rebuilds its key widgets whenever the screen's bindings are updated, which is on
every change of focus, though the keys shown rarely change; each rebuild styles a dozen new
widgets. This one rebuilds only when what it would show changed, and styles each new key once.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Actions whose keys lead the footer, in this order.
ALWAYS_SHOWN = ("help", "quit")
# The class of the command palette's key, docked at the right.
PALETTE_KEY = "-command-palette"


class KeyFooter(Footer):
    """A `Footer` that shows Help and Quit before the screen's own keys."""

    _shown: Hashable = None

    def compose(self) -> ComposeResult:
        self._shown = self._what_it_shows()
        for widget in sorted(super().compose(), key=_rank):
            if isinstance(widget, FooterKey) and not widget.has_class(PALETTE_KEY):
                # A key starts compact and is then bound to the footer's size: each would be
                # restyled twice on mount (compact, then back), a full stylesheet pass each.
                # (The palette's key is not bound: it stays compact.)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._bindings_ready and screen is self.screen and self._what_it_shows() == self._shown:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)

    def _what_it_shows(self) -> Hashable:
        """The keys, descriptions and enabled states the footer draws (its rebuild's input)."""
        if not self.is_attached:
            return None
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )


def _rank(widget: Widget) -> int:
    """Help, Quit, then the rest in Textual's order (sorting is stable)."""
    if isinstance(widget, FooterKey) and widget.action in ALWAYS_SHOWN:
        return ALWAYS_SHOWN.index(widget.action)
    return len(ALWAYS_SHOWN)
