"""Under a flood the trade tape repaints at most twice a second, and what it shows is current."""

from __future__ import annotations

import time

from rich.style import Style
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Region

from pumptui.api.models import Trade
from pumptui.tui.widgets.trade_tape import FLOOD_REPAINT_INTERVAL, MAX_ROWS, TradeTape

NOW = 1_700_000_000.0


class TapeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TradeTape(clock=lambda: NOW)


def batch(start: int, count: int) -> list[Trade]:
    """`count` trades numbered from `start`, newest first (the tape starts full: a flood)."""
    return [
        Trade(f"sig-{n}", "mint", n % 2 == 0, 10**9, 10**12, NOW - 1, username=f"t{n}")
        for n in range(start + count - 1, start - 1, -1)
    ]


def count_repaints(tape: TradeTape) -> list[float]:
    """When the tape asks to be repainted, from now on."""
    repaints: list[float] = []
    refresh = tape.refresh

    def counted(*regions: object, **kwargs: object) -> TradeTape:
        repaints.append(time.monotonic())
        return refresh(*regions, **kwargs)  # type: ignore[arg-type]

    tape.refresh = counted  # type: ignore[method-assign]
    return repaints


async def test_a_flood_repaints_the_tape_at_most_twice_a_second_and_ends_on_the_newest() -> None:
    app = TapeApp()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        shown: list[Trade] = batch(0, MAX_ROWS + 100)
        tape.show_trades(shown)
        await pilot.pause()
        repaints = count_repaints(tape)
        # Ten updates, each putting more new trades on top than the tape shows.
        for step in range(1, 11):
            shown = batch(10_000 + step * 100, 40) + shown
            assert tape.show_trades(shown)
            assert tape.rows[0].signature == shown[0].signature  # the data is current at once
        assert len(repaints) <= 1
        # The held-back repaint comes, once, and shows the newest trades.
        deadline = time.monotonic() + 10
        while not repaints:
            assert time.monotonic() < deadline, "the held-back repaint never came"
            await pilot.pause(FLOOD_REPAINT_INTERVAL / 5)
        await pilot.pause(FLOOD_REPAINT_INTERVAL * 2)
        assert len(repaints) <= 2
        assert "t11039" in "".join(s.text for s in tape.render_line(0))


async def test_a_trade_or_two_repaints_the_tape_at_once() -> None:
    app = TapeApp()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        shown = batch(0, MAX_ROWS + 100)
        tape.show_trades(shown)
        await pilot.pause()
        repaints = count_repaints(tape)
        for step in range(1, 4):
            shown = batch(10_000 + 100 * step, 2) + shown
            tape.show_trades(shown)
            assert len(repaints) == step  # at once, none held back


async def test_a_frame_of_new_rows_reads_the_tapes_width_and_style_once(monkeypatch) -> None:
    app = TapeApp()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        tape.show_trades(batch(0, 100))
        await pilot.pause()
        tape.show_trades(batch(1_000, 100) + batch(0, 100))  # every row in view is new
        reads = 0
        rich_style = DOMNode.rich_style

        def counted(node: DOMNode) -> Style:
            nonlocal reads
            reads += node is tape
            return rich_style.fget(node)  # type: ignore[attr-defined,no-any-return]

        monkeypatch.setattr(DOMNode, "rich_style", property(counted))
        region = tape.scrollable_content_region
        lines = tape.render_lines(Region(0, 0, region.width, region.height))
        monkeypatch.undo()
        # Once a line, each walk of the styles was a third of a flood's tape line.
        assert reads <= 2
        assert "t1099" in "".join(segment.text for segment in lines[1])  # under the border
