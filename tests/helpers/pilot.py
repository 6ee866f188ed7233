"""Driving a Textual app under `run_test`: waiting for a condition, recording and reading toasts,
and a quicker idle check for the whole session.

Textual's `pilot.pause()` and `pilot.press()` end with `wait_for_idle`, which samples the
process's CPU time in 20 ms slices until one slice is nearly idle: every call costs at least two
slices, often more. `quicker_idle` keeps the same rule on 10 ms slices. It is still a heuristic,
so a test that needs a worker's result waits for the result with `wait_for`, never on a pause.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import textual._wait
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot

IDLE_SLICE = 0.01
POLL = 0.01


def quicker_idle() -> None:
    """Make `wait_for_idle` sample 10 ms slices (idle: under 5 % CPU in one slice)."""
    textual._wait.SLEEP_GRANULARITY = IDLE_SLICE
    textual._wait.SLEEP_IDLE = IDLE_SLICE / 20.0


async def wait_for(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    what: str = "the condition",
    seconds: float = 10.0,
) -> None:
    """Let the app run until `condition` holds (a safety bound, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {seconds} s: {what}")
        await pilot.pause(POLL)


def record_toasts(app: App[Any]) -> list[str]:
    """The text of every toast the app shows from now on, in order (the toasts still show)."""
    toasts: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        toasts.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return toasts


def toasts_shown(app: App[Any]) -> list[str]:
    """The text of each toast on the screen now: its title, a line break, its message. A toast
    wraps its message to its own width, so a phrase can be cut by a line break on the terminal
    (where depends on the length of a path in it): assert on a toast's words here, not in the
    screen's text."""
    shown: list[str] = []
    for toast in app.screen.query("Toast"):
        content = toast.render()
        shown.append(content.plain if isinstance(content, Content) else str(content))
    return shown


async def redraw(pilot: Pilot[Any]) -> None:
    """What the app does after the engine wrote to the store: one coalesced redraw, waited for
    as soon as it ran instead of after a fixed pause longer than the coalescing window."""
    app = pilot.app
    app.schedule_redraw()  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: not app._redraw_pending, "the coalesced redraw")  # type: ignore[attr-defined]
    await pilot.pause()
