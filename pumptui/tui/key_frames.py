"""A key's answer is drawn as soon as the screen has it, not at the screen's next frame tick.

Textual draws at most `MAX_FPS` (60) frames a second: a screen with changes waits for its update
timer, which after each frame sleeps until the next 1/60 s boundary. Under a trade flood Home draws
about five frames a second, so a key read just after one of them waited up to 16.7 ms more for
its own frame: most of the slowest keys' "waiting for the frame" (`benchmarks/ui.py`).

`KeyFrames` (a base of the app) notes when a key's bindings have run; the screen's next idle
moment with changes to show within `KEY_ANSWER_WINDOW` draws them at once, as the update timer
would have done at its tick. Only that frame skips the wait, so a flood's frames keep Textual's
pace and a held key draws one frame per key read.

Relies on `Screen._on_idle` and `Screen._on_timer_update` (Textual internals, pinned by
textual<9); without them keys wait for the tick as before.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.screen import Screen

# Seconds after a key's bindings ran in which the screen's next changes are its answer.
KEY_ANSWER_WINDOW = 0.25

_KEY_AT = "_pumptui_key_answered_at"


class KeyFrames(App[None]):
    """App base: after a key's bindings ran, the screen draws its changes at once (module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        apply()  # before any screen handles its first idle moment
        super().__init__(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        await super().on_event(event)
        # A key that bubbled back to the app has been through every binding (Textual runs the
        # non-priority ones here, in `App._on_key`): what it changed is waiting to be drawn.
        if isinstance(event, events.Key) and event.is_forwarded:
            try:
                screen = self.screen
            except ScreenStackError:  # the app is closing its screens
                return
            setattr(screen, _KEY_AT, time.monotonic())
            # (Its changes may have reached the screen already, if a binding awaited.)
            screen.check_idle()


def apply() -> None:
    """Make a screen draw at its first idle moment after a key (see module)."""
    on_idle: Any = Screen.__dict__.get("_on_idle")
    if on_idle is None or getattr(on_idle, "_pumptui_key_frames", False):
        return
    if not callable(getattr(Screen, "_on_timer_update", None)):
        return
    setattr(Screen, "_on_idle", _drawing_a_keys_answer(on_idle))  # noqa: B010 (a handler, replaced)


def _drawing_a_keys_answer(
    on_idle: Callable[[Screen[Any], events.Idle], Awaitable[None]],
) -> Callable[[Screen[Any], events.Idle], Awaitable[None]]:
    async def _on_idle(self: Screen[Any], event: events.Idle) -> None:
        key_at = self.__dict__.get(_KEY_AT)
        if key_at is not None and _has_changes(self):
            del self.__dict__[_KEY_AT]
            if time.monotonic() - key_at <= KEY_ANSWER_WINDOW:
                self._on_timer_update()
        await on_idle(self, event)

    setattr(_on_idle, "_pumptui_key_frames", True)  # noqa: B010
    return _on_idle


def _has_changes(screen: Screen[Any]) -> bool:
    """What Textual's `Screen._on_idle` checks before it wakes the update timer."""
    return bool(
        not screen.app._batch_count
        and screen.is_current
        and (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._recompose_required
            or screen._dirty_widgets
        )
    )
