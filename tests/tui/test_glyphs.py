"""Terminals without block elements, stars and flags (the Linux console, a non-UTF-8 locale, or
`[ui] ascii = true`) get an ASCII drawing of every mark, one cell each; and a ticked box looks
different from an unticked one without colour."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import pytest

from pumptui.api.models import Trade
from pumptui.config import Settings, load_settings
from pumptui.sim import SimServer
from pumptui.tui import glyphs
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.bookmark_picker import BookmarkPicker
from pumptui.tui.widgets.followed_tape import trade_line
from tests.helpers.pilot import wait_for
from tests.tui.conftest import FROZEN_NOW, frozen_coins, frozen_services, screen_text
from tests.tui.social_support import coin_target, open_target, settle, user_app

# What the Linux console cannot draw (it shows blanks or diamonds for them).
UNICODE_ONLY = set("▁▂▃▅▆▇▏▎▍▋♛★♥■⚑✓▲▼●◑◔◌✖")


@pytest.fixture(autouse=True)
def _unicode_afterwards() -> Iterator[None]:
    """The choice is per process: leave the Unicode set for the tests that follow."""
    yield
    glyphs.use(False, env={})


@pytest.mark.parametrize(
    ("env", "lacks"),
    [
        ({"TERM": "linux", "LANG": "en_US.UTF-8"}, True),
        ({"TERM": "xterm-256color", "LANG": "en_US.ISO-8859-1"}, True),
        ({"TERM": "xterm-256color", "LANG": "C"}, True),
        ({"TERM": "xterm-256color", "LC_ALL": "de_DE.utf8", "LANG": "C"}, False),
        ({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}, False),
        ({"TERM": "xterm-256color"}, False),
    ],
)
def test_the_linux_console_and_non_utf8_locales_are_detected(
    env: dict[str, str], lacks: bool
) -> None:
    assert glyphs.terminal_lacks_unicode(env) is lacks
    assert glyphs.use(env=env) is (glyphs.ASCII if lacks else glyphs.UNICODE)


def test_every_ascii_glyph_is_ascii_and_as_wide_as_its_unicode_twin() -> None:
    for field in fields(glyphs.Glyphs):
        if field.name == "name":
            continue
        plain, fancy = getattr(glyphs.ASCII, field.name), getattr(glyphs.UNICODE, field.name)
        assert plain.isascii(), field.name
        assert len(plain) == len(fancy), field.name


def test_the_config_switch_reads_from_the_ui_section(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[ui]\nascii = true\n")
    assert load_settings(path, env={}).ui.ascii is True
    assert Settings().ui.ascii is False


def ascii_app(**ui: object) -> PumpApp:
    services = frozen_services(watched=(frozen_coins()[1].mint,))
    services.settings = replace(services.settings, ui=replace(services.settings.ui, **ui))
    return PumpApp(services)


@pytest.mark.parametrize("how", ["config", "TERM=linux"])
async def test_home_draws_in_ascii_when_asked_or_on_the_linux_console(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "TERM=linux":
        monkeypatch.setenv("TERM", "linux")
        app = ascii_app()
    else:
        app = ascii_app(ascii=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert not UNICODE_ONLY & set(text), sorted(UNICODE_ONLY & set(text))
    assert f"{glyphs.ASCII.leader} leader" in text
    assert glyphs.ASCII.feed_live in text  # the status bar's live feeds


async def test_a_ticked_and_an_unticked_list_differ_without_colour(
    sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_target(pilot, social, target)
        client = app.services.client
        default = (await client.bookmarks())[0]
        await client.add_bookmark_item(target.mint, [default.id])
        await client.create_bookmark("moon shots")
        await social.refresh_bookmarks().wait()

        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkPicker)
        lines = screen_text(app).splitlines()
        ticked = next(line for line in lines if "default" in line)
        unticked = next(line for line in lines if "moon shots" in line)
        assert glyphs.UNICODE.checked in ticked
        assert glyphs.UNICODE.unchecked in unticked
        assert glyphs.UNICODE.checked not in unticked


def trade(sol: float, is_buy: bool = True) -> Trade:
    return Trade(
        signature=f"sig-{sol}",
        mint="m",
        is_buy=is_buy,
        lamports=int(sol * 1e9),
        raw_tokens=1_000_000_000,
        user="7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU",
        timestamp=FROZEN_NOW,
    )


def test_the_followed_tape_keeps_its_columns_for_seven_character_amounts() -> None:
    short, long = trade_line(trade(1.23), "PEPE", 60), trade_line(trade(0.00638), "PEPE", 60)
    assert "0.00638" in long.plain
    assert short.plain.index("PEPE") == long.plain.index("PEPE")


async def test_the_coin_screens_chart_follows_the_apps_glyph_set() -> None:
    app = ascii_app(ascii=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_coin(frozen_coins()[0].mint)
        await pilot.pause()
        chart = app.screen.query_one("#coin-chart")
        assert getattr(chart, "ascii", None) is True

        def drawn() -> str:
            """What the terminal shows inside the chart's border."""
            inside = chart.content_region
            rows = screen_text(app).splitlines()[inside.y : inside.bottom]
            return "\n".join(row[inside.x : inside.right] for row in rows)

        await wait_for(pilot, lambda: "#" in drawn(), "the candles drawn")
        assert drawn().isascii(), "candles, axis and labels all in ASCII"
