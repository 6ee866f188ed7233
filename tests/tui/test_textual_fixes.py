"""A widget's rendered lines are freed with the widget: Textual's colour cache no longer keeps
every widget's `StylesCache` (and the lines in it) alive; and a frame's lines are freed with the
frame, not left in reference cycles for the garbage collector (its pauses were the longest
between a key and its frame); a line Textual adds nothing to is the widget's own strip (what the
colour filter made of it is kept), and every line is what Textual would draw."""

from __future__ import annotations

import gc
import sys
import weakref
from random import Random
from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from pumptui.api.models import Trade
from pumptui.tui import textual_fixes
from pumptui.tui.widgets.trade_tape import TradeTape
from tests.tui.test_trade_tape_flood import TapeApp, batch


def test_a_styles_cache_is_freed_once_its_widget_is_gone() -> None:
    textual_fixes.apply()
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(Color(10, 20, 30), Color(200, 0, 0, 0.5))
    assert (inner, outer) == StylesCache().get_inner_outer(Color(10, 20, 30), Color(200, 0, 0, 0.5))
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None


def test_a_strip_cut_or_cropped_to_itself_is_not_kept_in_its_own_cache() -> None:
    textual_fixes.apply()
    strip = Strip([Segment("hello", Style(bold=True)), Segment(" world")])
    references = sys.getrefcount(strip)
    assert strip.divide([11]) == [strip]  # what the compositor asks of every line
    assert strip.divide(iter([11, 20])) == [strip]
    assert strip.crop_extend(0, 11, None) is strip
    # A strip that held itself was a reference cycle: freed only by a full garbage collection.
    assert sys.getrefcount(strip) == references
    # Every other cut and crop is what Textual makes, and is kept.
    assert [s.text for s in strip.divide([5, 11])] == ["hello", " world"]
    assert strip.crop_extend(0, 14, None).text == "hello world   "
    assert strip.crop_extend(6, 11, None).text == "world"


async def test_a_flood_of_frames_leaves_no_strips_for_the_garbage_collector() -> None:
    textual_fixes.apply()
    app = TapeApp()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        shown: list[Trade] = []
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage to look at
        try:
            for step in range(10):  # new trades on top each time: the tape drawn anew
                shown = batch(step * 3, 3) + shown
                tape.show_trades(shown)
                await pilot.pause()
            gc.collect()
            cyclic = [o for o in gc.garbage if isinstance(o, Strip)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        assert cyclic == []


def test_ansi_codes_are_richs_and_no_style_is_kept_for_its_mouse_metadata() -> None:
    textual_fixes.apply()
    random = Random(17)
    colours = [None, "red", "bright_cyan", "color(208)", "#10a0ff", "rgb(3,200,77)"]
    for _ in range(1_000):
        look = {
            "color": random.choice(colours),
            "bgcolor": random.choice(colours),
            "bold": random.choice([None, True, False]),
            "italic": random.choice([None, True]),
            "underline": random.choice([None, True, False]),
            "reverse": random.choice([None, True]),
        }
        system = random.choice(list(ColorSystem))
        expected = Style(**look)._make_ansi_codes(system)  # Rich's own, for a style never drawn
        assert Strip.render_ansi(Style(**look), system) == expected
        with_meta = Style(**look) + Style.from_meta({"row": random.random()})
        assert Strip.render_ansi(with_meta, system) == expected  # the same look, kept
    # A coin table's cells: one look, a new style for each coin and column (its metadata).
    strips = [Strip([Segment("12.3K", Style(color="green", meta={META: n}))]) for n in range(5_000)]
    assert {strip.render(Console()) for strip in strips} == {"\x1b[32m12.3K\x1b[0m"}
    del strips
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Style) and META in o.meta]


META = "pumptui-test"


class _StyledApp(App[None]):
    """A widget for each thing `StylesCache.render_line` can add to a line, and plain ones."""

    CSS = """
    Static { height: 3; background: $panel; }
    #border { border: solid red; }
    #border-top { border-top: solid red; }
    #padding { padding: 1 2; }
    #padding-top { padding: 1 0 0 0; }
    #tint { tint: red 30%; }
    #opacity { opacity: 0.5; }
    #text-opacity { text-opacity: 50%; }
    #hatch { hatch: right red; }
    #outline { outline: heavy blue; }
    #wide { height: 2; }
    """
    KINDS = (
        "plain",
        "border",
        "border-top",
        "padding",
        "padding-top",
        "tint",
        "opacity",
        "text-opacity",
        "hatch",
        "outline",
    )

    def compose(self) -> ComposeResult:
        for kind in self.KINDS:
            yield Static("hello [b]world[/] " + "ǂ界" * (kind == "plain"), id=kind)
        yield Static("x" * 80, id="wide")


def _line(widget: Widget, y: int, render_line: Any) -> Strip:
    app = widget.app
    strip: Strip = render_line(
        StylesCache(),
        widget.styles,
        y,
        widget.region.size,
        widget.content_region.size,
        widget.styles.padding,
        *widget.background_colors,
        widget.render_line,
        None,
        None,
        widget.opacity,
        app.ansi_theme,
        app.native_ansi_color,
    )
    return strip


async def test_a_line_textual_adds_nothing_to_is_the_widgets_own_and_every_line_is_as_drawn() -> (
    None
):
    textual_fixes.apply()
    textual_line = StylesCache.render_line.__wrapped__  # type: ignore[attr-defined]
    app = _StyledApp()
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        for widget in app.query(Static):
            for y in range(widget.region.height):
                ours, textuals = (
                    _line(widget, y, StylesCache.render_line),
                    _line(widget, y, textual_line),
                )
                assert (list(ours), ours.cell_length) == (list(textuals), textuals.cell_length)
                if widget.id in ("plain", "wide"):
                    # The same strip each frame: what the colour filter made of it is kept.
                    assert _line(widget, y, StylesCache.render_line) is ours
