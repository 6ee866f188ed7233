"""Only what changed is repainted: Textual sends every repainted cell to the terminal, and over
SSH the Coin screen under a flood was over its 50 KiB/s (`benchmarks/ui.py`). The header repaints
the cells whose figures moved, the callouts the headers whose age reads differently."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static

from pumptui.api.models import ActivityWindow, Callout, MarketActivity
from pumptui.tui import textual_fixes
from pumptui.tui.widgets.callouts_pane import CalloutsPane
from pumptui.tui.widgets.coin_header import CoinHeader
from pumptui.tui.widgets.repaint import SPAN_CELLS, changed_cells, coarse_spans, update_text
from tests.helpers.terminal import frames_sent, shown
from tests.tui.conftest import FROZEN_NOW, curve_coin

COIN = curve_coin(1, "Hot Potato", "HOT", 0.5)


class Widgets(App[None]):
    AUTO_FOCUS = None
    CSS = "CalloutsPane { height: 12; }"

    def __init__(self) -> None:
        super().__init__()
        self.now = FROZEN_NOW

    def compose(self) -> ComposeResult:
        yield CoinHeader(COIN.mint, clock=lambda: self.now)
        yield CalloutsPane(clock=lambda: self.now)


def record_refreshes(widget: Any) -> list[tuple[Region, ...]]:
    """Each `refresh` call's regions from now on (() for the whole widget)."""
    calls: list[tuple[Region, ...]] = []
    refresh = widget.refresh

    def recorded(*regions: Region, **kwargs: Any) -> Any:
        calls.append(regions)
        return refresh(*regions, **kwargs)

    widget.refresh = recorded
    return calls


async def test_the_header_repaints_only_the_line_whose_figures_changed() -> None:
    app = Widgets()
    async with app.run_test(size=(120, 20)) as pilot:
        header = app.query_one(CoinHeader)
        header.show_coin(COIN)
        await pilot.pause()
        calls = record_refreshes(header)
        header.show_coin(COIN)  # nothing changed
        assert calls == []
        # The hour's volume is on the third line only: the cells from its first changed
        # character to its last are repainted, and the rest of the line is as it was.
        line_before = header.render_line(2).text
        hour = {"1h": ActivityWindow(num_txs=3504, volume_usd=280_000.0)}
        header.show_coin(COIN, activity=MarketActivity(mint=COIN.mint, windows=hour))
        await pilot.pause()
        line_after = header.render_line(2).text
        assert "$280k" in line_after
        [(region,)] = calls
        assert (region.y, region.height) == (2, 1)
        assert region.x > 0
        assert region.right < header.content_region.width
        width = header.content_region.width
        pairs = zip(line_before.ljust(width), line_after.ljust(width), strict=True)
        changed = [x for x, (a, b) in enumerate(pairs) if a != b]
        # From where the characters differ or the old line ended, to where they differ last,
        # rounded out to the span grid.
        first, end = min(changed[0], len(line_before)), changed[-1] + 1
        assert region.x == first - first % SPAN_CELLS
        assert region.right == min(width, -(-end // SPAN_CELLS) * SPAN_CELLS)
        # A new market cap moves the first line (and, with it, what the third derives from).
        calls.clear()
        header.show_coin(replace(COIN, market_cap_sol=COIN.market_cap_sol * 2))
        await pilot.pause()
        rows = {region.y for regions in calls for region in regions}
        assert calls
        assert 0 in rows
        assert 1 not in rows  # the mint and creator line did not change


def test_repainted_spans_round_out_to_a_grid_that_textuals_region_cache_can_hold() -> None:
    """Textual clips each repainted region through an LRU cache of 4,096 regions: a chart 100
    cells wide and 24 high has 121,200 exact spans (the cache kept filling for an hour, the app's
    memory with it), and 2,184 on the grid."""
    spans = [Region(3, 0, 2, 1), Region(8, 1, 8, 1), Region(95, 2, 4, 1), Region(0, 3, 1, 1)]
    assert coarse_spans(spans, 100) == [
        Region(0, 0, 8, 1),
        Region(8, 1, 8, 1),  # on the grid already
        Region(88, 2, 12, 1),  # cut at the widget's edge
        Region(0, 3, 8, 1),
    ]
    width, height = 100, 24
    exact = [
        Region(x, y, w, 1)
        for y in range(height)
        for x in range(width)
        for w in range(1, width - x + 1)
    ]
    coarse = coarse_spans(exact, width)
    for span, rounded in zip(exact, coarse, strict=True):
        assert rounded.contains_region(span)
        assert rounded.x % SPAN_CELLS == 0
        assert rounded.right % SPAN_CELLS == 0 or rounded.right == width
        assert rounded.width - span.width < 2 * SPAN_CELLS
    assert len(set(exact)) == 121_200
    assert len(set(coarse)) == 2_184  # 91 spans a row


async def test_callout_ages_repaint_only_the_headers_that_read_differently() -> None:
    app = Widgets()
    async with app.run_test(size=(120, 20)) as pilot:
        pane = app.query_one(CalloutsPane)
        young = Callout(id="c1", mint=COIN.mint, thesis="sized in", created_at=app.now - 5)
        old = Callout(id="c2", mint=COIN.mint, thesis="cup and handle", created_at=app.now - 600)
        pane.show([young, old])
        await pilot.pause()
        calls = record_refreshes(pane)
        pane.refresh_ages()  # the same second: every age reads the same
        assert calls == []
        app.now += 1  # "5s" -> "6s"; "10m" stays
        pane.refresh_ages()
        assert len(calls) == 1
        (region,) = calls[0]
        assert region.y == 0  # the young callout's header, the first line
        assert "6s" in pane.render_line(0).text


async def test_a_summary_whose_style_alone_changed_is_repainted() -> None:
    """`Text.__eq__` ignores the base style: a line turning bold (a warning) looked unchanged."""
    app = Widgets()
    async with app.run_test(size=(120, 20)) as pilot:
        summary = Static(Text("SOL $161.75"))
        await app.mount(summary)
        await pilot.pause()
        update_text(summary, Text("SOL $161.75", style="bold"))
        await pilot.pause()
        content = summary.content
        assert isinstance(content, Text)
        assert content.style == "bold"
        cell = next(s for s in summary.render_line(0) if s.text.strip())
        assert cell.style is not None
        assert cell.style.bold


def test_the_cells_that_changed_are_found_by_how_they_look() -> None:
    console = Console(width=80)
    red = Style(color="red")
    assert changed_cells(console, Text("price 1.25 SOL"), Text("price 1.31 SOL"), 40) == (8, 10)
    assert changed_cells(console, Text("up 5%"), Text.assemble("up ", ("5%", red)), 40) == (3, 5)
    # A double-width character takes two cells.
    assert changed_cells(console, Text("狗狗 1.25"), Text("狗狗 1.31"), 40) == (7, 9)
    # A shorter line: the cells it no longer covers are repainted (blank) too.
    assert changed_cells(console, Text("age 10s"), Text("age 9s"), 40) == (4, 7)
    # Drawn the same, though spanned differently.
    same = Text.assemble(("ab", red), ("cd", red))
    assert changed_cells(console, same, Text("abcd", style=red), 40) is None
    # Centred or cut to the width: the whole line.
    centred = Text("a", justify="center"), Text("b", justify="center")
    assert changed_cells(console, *centred, 40) == (0, 40)
    assert changed_cells(console, Text("x" * 50), Text("x" * 49 + "y"), 40) == (0, 40)


async def test_the_terminal_shows_the_header_as_drawn_after_its_changed_cells_were_sent() -> None:
    textual_fixes.apply()
    app = Widgets()
    width, height = 120, 20
    async with app.run_test(size=(width, height)) as pilot:
        header = app.query_one(CoinHeader)
        header.show_coin(COIN)
        await pilot.pause()
        terminal = shown(app, width, height)
        sent: list[str] = []
        frames_sent(app, sent)
        cap = COIN.market_cap_sol
        for step in range(1, 12):
            hour = {"1h": ActivityWindow(num_txs=3504 + step * 7, volume_usd=280_000.0 * step)}
            activity = MarketActivity(mint=COIN.mint, windows=hour)
            header.show_coin(replace(COIN, market_cap_sol=cap * (1 + step / 9)), activity=activity)
            app.now += 1
            await pilot.pause()
            for data in sent:
                terminal.feed(data)
            sent.clear()
            assert terminal.rows == shown(app, width, height).rows, f"step {step}"
