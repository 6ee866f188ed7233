"""The two keys a lost user needs, `?` (help) and `q` (quit), are on every screen's footer at
80 and at 120 columns; Help shows each key's description whole, wrapped to the box."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.dom import DOMNode
from textual.widgets._footer import FooterKey

from pumptui.tui.app import PumpApp
from pumptui.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import frozen_coins, screen_text

AppFactory = Callable[..., PumpApp]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
# Keys that open each screen from Home; Home is reached with none.
SCREENS = {
    "home": (),
    "coin": ("enter",),
    "watchlist": ("W",),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_help_and_quit_are_always_in_the_footer(
    make_app: AppFactory, screen: str, size: tuple[int, int]
) -> None:
    app = make_app(watched=(frozen_coins()[0].mint,))
    async with app.run_test(size=size) as pilot:
        await pilot.press(*SCREENS[screen])
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        footer = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "? Help" in footer, footer
        assert "q Quit" in footer, footer


async def test_help_shows_every_description_whole_at_80_columns(make_app: AppFactory) -> None:
    from pumptui.tui.screens.help import HelpScreen, help_rows

    app = make_app()
    async with app.run_test(size=(80, 60)) as pilot:
        home = app.screen
        descriptions = [what for _, what, _ in help_rows(home.active_bindings)]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Action" in line)
        start = header.index("Action")
        end = header.index("│", start)  # the box's right edge
        shown = " ".join(" ".join(line[start:end].split()) for line in lines)

        assert max(len(what) for what in descriptions) > 50, "a long one is among them"
        for what in descriptions:
            assert what in shown


async def test_the_footer_rebuilds_only_when_the_keys_it_shows_change_and_styles_them_once(
    make_app: AppFactory,
) -> None:
    # Textual updates a screen's bindings on every change of focus; rebuilding a dozen key
    # widgets each time cost more than anything else a key press did. A new key is styled as it
    # mounts; Textual's keys were restyled twice more (made compact, then bound back to normal).
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        footer.bindings_changed(app.screen)  # bindings updated, the same keys shown
        await pilot.pause()
        assert list(footer.query(FooterKey)) == keys
        restyled = record_restyles(app)
        await pilot.press("slash")  # the filter box: other keys
        await pilot.pause()
        await pilot.pause()
        shown = [key.description for key in footer.query(FooterKey)]
        assert "Clear filter" in shown
        assert "Clear filter" in screen_text(app).splitlines()[-1]
        palette_keys = list(footer.query("FooterKey.-command-palette"))
        assert not [n for n in restyled if isinstance(n, FooterKey) and n not in palette_keys]
        # Drawn as Textual draws them: the screen's keys at the footer's size, the palette's
        # key, where there is one (Textual does not bind it to the footer), compact.
        compact = [key for key in footer.query(FooterKey) if key.has_class("-compact")]
        assert compact == palette_keys


def record_restyles(app: PumpApp) -> list[DOMNode]:
    """Every node restyled from now on because its classes or state changed (each is a full
    stylesheet pass over it and its children)."""
    restyled: list[DOMNode] = []
    update_styles = app.update_styles

    def recording(node: DOMNode, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(node, animate=animate)

    app.update_styles = recording  # type: ignore[method-assign]
    return restyled


def test_the_keys_table_names_each_key_as_it_is_typed() -> None:
    from textual.binding import Binding

    from pumptui.tui.keys import binding_rows

    bindings = [
        Binding(key, "noop", "", id=f"t.{n}")
        for n, key in enumerate(("dollar_sign", "exclamation_mark", "escape,backspace", "slash"))
    ]
    assert [keys for _, keys, _ in binding_rows(bindings)] == ["$", "!", "esc, backspace", "/"]
