"""A key's answer is drawn as soon as the screen has it, not at the next frame tick; the frames
of changes that no key made keep Textual's pace."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import textual.screen
from textual.app import ComposeResult
from textual.widgets import Static

from pumptui.tui.key_frames import KeyFrames

# A frame tick far longer than the wait below: a frame inside it can only be one drawn at once.
TICK = 1.0
WAIT = 0.3


class CounterApp(KeyFrames):
    BINDINGS = [("x", "bump", "Bump")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.frames: list[tuple[float, str]] = []  # (when, what the counter showed)

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            shown = str(self.query_one("#count", Static).render())
            self.frames.append((time.monotonic(), shown))
        super()._display(screen, renderable)


async def _just_after_a_frame(app: CounterApp) -> None:
    """Change the counter without a key and wait for its frame (at a tick): the next tick is
    then a whole period away."""
    drawn = len(app.frames)
    app.action_bump()
    deadline = time.monotonic() + 3 * TICK
    while len(app.frames) == drawn or app.frames[-1][1] != str(app.count):
        assert time.monotonic() < deadline, "the app never drew the change"
        await asyncio.sleep(0.01)


@pytest.fixture
def slow_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", TICK)


@pytest.mark.usefixtures("slow_ticks")
async def test_a_keys_answer_is_drawn_at_once_not_at_the_next_tick() -> None:
    app = CounterApp()
    async with app.run_test():
        for _ in range(2):
            await _just_after_a_frame(app)
            pressed = time.monotonic()
            await app._press_keys(["x"])  # (not `Pilot.press`: it draws the screen itself)
            await asyncio.sleep(WAIT)
            assert [shown for at, shown in app.frames if at > pressed] == [str(app.count)]


@pytest.mark.usefixtures("slow_ticks")
async def test_a_change_no_key_made_waits_for_the_tick() -> None:
    app = CounterApp()
    async with app.run_test():
        await _just_after_a_frame(app)
        changed = time.monotonic()
        app.action_bump()
        await asyncio.sleep(WAIT)
        assert [at for at, _shown in app.frames if at > changed] == []
