"""Moving the focus repaints what it changes, not the whole screen.

Textual repaints the whole screen when the focus moves; on the trenches, where → moves the focus
to the next column, that was most of the frame after the key. Our screens leave it to the
widgets the focus changes (the ones losing and gaining it, and those styled by it).
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static

from pumptui.tui.screens.base import PumpScreen


class Box(Static, can_focus=True):
    DEFAULT_CSS = "Box { height: 3; } Box:focus { background: red; }"


class Frame(Vertical):
    DEFAULT_CSS = "Frame { height: 4; } Frame:focus-within { background: blue; }"


class Boxes(PumpScreen[None]):
    def compose(self) -> ComposeResult:
        yield Box("one", id="one")
        with Frame():
            yield Box("two", id="two")


class BoxesApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Boxes())


async def test_a_focus_change_repaints_the_widgets_it_restyles_and_not_the_screen() -> None:
    app = BoxesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause(0.2)  # (the screen's first frame is a whole one)
        screen: Any = app.screen
        assert app.focused is not None
        assert app.focused.id == "one"
        full_frames = 0
        render_full_update = screen._compositor.render_full_update

        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal full_frames
            full_frames += 1
            return render_full_update(*args, **kwargs)

        screen._compositor.render_full_update = counted
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.id == "two"
        assert full_frames == 0
        red, blue = Color.parse("red").rich_color, Color.parse("blue").rich_color
        assert screen.get_style_at(1, 0).bgcolor != red  # "one", blurred
        assert screen.get_style_at(1, 3).bgcolor == red  # "two", focused
        assert screen.get_style_at(1, 6).bgcolor == blue  # its frame, focused within
