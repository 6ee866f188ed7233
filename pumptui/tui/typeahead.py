"""Keys typed right after a key that opens an input land in that input, never underneath.

A key such as `:` (the palette), `a` (the chat editor) or `L` (the login screen) opens its
screen a few messages later: after the binding has run in the focused widget, after a service
has asked the app for the screen by message, after that screen has mounted and focused its
input. A fast typist, or a paste, has already sent the next keys by then, and Textual hands each
one to whatever is focused when the app reads it: the table underneath, whose bindings like a
callout (`l`), watch a coin (`w`) or open the login screen (`L`).

`TypeAhead` (a base of the app) holds every key read after such a key, and hands them, in order, to
the input that gets the focus on the screen that opens. If no screen opens (the key did nothing:
no callout selected, not eligible to post), the held keys are dropped after `HOLD_SECONDS`:
they were typed for an input, and must not act on the screen underneath.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import App, ScreenStackError
from textual.screen import Screen
from textual.timer import Timer

# Long enough for a service's check (eligibility to post) on a slow link, short enough that
# keys typed after a key that did nothing are not missed for long.
HOLD_SECONDS = 4.0


class TypeAhead(App[None]):
    """App base: hold the keys typed after a key whose action opens an input (see module)."""

    # Actions that open a screen with an input (or a dialog that takes keys).
    OPENS_INPUT: ClassVar[frozenset[str]] = frozenset(
        {
            "command_palette",
            "social_reply",
            "social_callout",
            "social_chat",
            "social_login",
            "social_bookmark",
            "social_moderate",
        }
    )

    _held_keys: list[events.Key]
    _hold_screen: Screen[Any] | None = None
    _hold_timer: Timer | None = None
    _releasing = False

    @property
    def holding_keys(self) -> bool:
        return self._hold_screen is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._hold_screen is not None:
                self._held_keys.append(event)
                return
            if self._opens_input(event.key):
                self._start_hold()
        await super().on_event(event)

    def _opens_input(self, key: str) -> bool:
        """Whether the binding this key will run (priority ones first, as Textual tries them)
        opens an input."""
        screen: Screen[Any] = self.screen
        for chain, priority in (
            (list(reversed(screen._binding_chain)), True),
            (screen._modal_binding_chain, False),
        ):
            for namespace, bindings in chain:
                for binding in bindings.key_to_bindings.get(key, ()):
                    if binding.priority != priority:
                        continue
                    action = binding.action.rpartition(".")[2].split("(", 1)[0]
                    if namespace.check_action(action, ()) is False:
                        continue
                    return action in self.OPENS_INPUT
        return False

    def _start_hold(self) -> None:
        self._held_keys = []
        self._hold_screen = self.screen
        self._hold_timer = self.set_timer(HOLD_SECONDS, self._drop_held_keys, name="typeahead")

    def _end_hold(self) -> list[events.Key]:
        held, self._held_keys = getattr(self, "_held_keys", []), []
        self._hold_screen = None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        return held

    def _drop_held_keys(self) -> None:
        self._end_hold()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The screen the key opened has focused something: once it has settled (its own
        # `on_mount` may move the focus on to its input), the held keys are its own. Keys read
        # meanwhile are still held, so the order is kept.
        if self._hold_screen is None or self._releasing:
            return
        try:
            screen = self.screen
        except ScreenStackError:  # focus moving while the app closes its screens
            return
        if screen is self._hold_screen:
            return
        self._releasing = True
        self.call_after_refresh(self._release_held_keys)

    async def _release_held_keys(self) -> None:
        self._releasing = False
        for key in self._end_hold():
            await super().on_event(key)
