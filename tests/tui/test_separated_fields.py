"""Fields that sit side by side never touch: not on the terminal, and not in a screenshot.

The terminal's cells always had the gap; the screenshots (SVG) lost it: a styled piece that
began with its separator (" $27k") became a text element beginning with a space, which librsvg
(the snapshot PNGs, many viewers) strips, drawing `112 SOL$27k`. `drawn_lines` draws a screenshot
the way such a renderer does; each test checks the longest values a field can hold, at 80 and
120 columns.
"""

from __future__ import annotations

import html
import re

import pytest

from pumptui.api.models import Trade
from pumptui.live.events import LeaderChanged, NewCoin, NewTrade
from pumptui.tui.app import PumpApp
from pumptui.tui.widgets.trade_tape import SOL_WIDTH
from tests.tui.conftest import curve_coin, frozen_services, frozen_store, make_mint
from tests.tui.test_coin_screen import MINT, NOW, make_app, open_coin, single_coin_store

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
LONG_NAME = "Extraordinarily Long Coin Name That Goes On"
_ELEMENT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>'
)


def drawn_lines(app: PumpApp) -> list[str]:
    """The screenshot as a renderer that strips each text element's leading spaces draws it:
    every element's text, leading spaces dropped, at its own position."""
    svg = app.export_screenshot()
    width, height = app.size
    cell = 12.2  # Textual's SVG cell width (font size 20)
    grid = [[" "] * width for _ in range(height)]
    for x, line, content in _ELEMENT.findall(svg):
        text = html.unescape(content).replace("\xa0", " ").lstrip(" ")
        column = round(float(x) / cell)
        row = grid[int(line)]
        for offset, char in enumerate(text):
            if column + offset < width:
                row[column + offset] = char
    return ["".join(row) for row in grid]


@pytest.mark.parametrize("size", SIZES)
async def test_the_ranking_line_keeps_the_leaders_name_and_figures_apart(
    size: tuple[int, int],
) -> None:
    store = frozen_store()
    leader = curve_coin(99, LONG_NAME, "LONGSYMBOL", 0.99)
    store.apply(NewCoin(leader))
    store.apply(LeaderChanged(leader))
    app = PumpApp(frozen_services(store))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = drawn_lines(app)[0]
    name = f" {LONG_NAME[:24]}" if size == (120, 36) else ""
    assert re.search(rf"LONGSYMBOL{name} [\d.]+k? SOL ", first), first
    assert re.search(r" SOL \$[\d.]+k? 99% ", first), first


@pytest.mark.parametrize("size", SIZES)
async def test_the_coin_header_keeps_its_figures_apart(size: tuple[int, int]) -> None:
    store = single_coin_store({"market_cap": 111.8, "name": LONG_NAME})
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        first = drawn_lines(app)[0]
    assert "mcap 112 SOL $27k" in first, first
    assert re.search(r"[^ ] [\d.]+%", first), first  # the curve's bar, then its percentage


@pytest.mark.parametrize("size", SIZES)
async def test_the_trade_tape_keeps_seven_character_amounts_apart_from_the_tokens(
    size: tuple[int, int],
) -> None:
    store = single_coin_store({"market_cap": 111.8})
    for n, (lamports, tokens) in enumerate([(6_380_000, 123_456_000_000), (1, 999_000_000)]):
        store.apply(
            NewTrade(
                Trade(
                    signature=make_mint(f"tiny-{n}"),
                    mint=MINT,
                    is_buy=True,
                    lamports=lamports,
                    raw_tokens=tokens,
                    timestamp=NOW - 5 - n,
                    slot=10 + n,
                    user=make_mint("whale"),
                    username="a_trader_with_a_very_long_name",
                )
            )
        )
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        lines = drawn_lines(app)
    rows = [line for line in lines if "a_trader" in line]
    assert len(rows) == 2, lines
    assert len("0.00638") == SOL_WIDTH
    assert any(re.search(r"0\.00638 +123k +a_trader", row) for row in rows), rows
    assert any(re.search(r"<0\.001 +999 +a_trader", row) for row in rows), rows
    assert all(re.search(r"[^ ] +5s|[^ ] +6s", row) for row in rows), rows
