"""A pane that grows and a line that ticks repaint themselves without laying the screen out.

A whole-screen layout costs about 40 ms on the Coin screen; a flood's chat grew by a message a
second and the creator line's age ticked every second, each a layout, and keys waited behind them
(`benchmarks/ui.py`). These tests count the screen's layouts while such changes arrive, and read
what the screen shows after them.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot

from pumptui.api.models import ChatMessage, Coin
from pumptui.live.events import CreatorCoinsChanged
from pumptui.tui.widgets.chat_pane import ChatPane
from pumptui.tui.widgets.coin_about import CoinAbout
from tests.helpers.pilot import wait_for

MINT = "Coin1111111111111111111111111111111111pump"
CREATOR = "Dev11111111111111111111111111111111111111"


def message(n: int) -> ChatMessage:
    return ChatMessage(id=f"m{n}", mint=MINT, text=f"message number {n}", author=f"wallet{n}")


class Panes(App[None]):
    """A chat pane of fixed height under a creator line, as on the Coin screen."""

    AUTO_FOCUS = None  # (a focus moving restyles the pane: a layout this test is not about)
    CSS = "ChatPane { height: 8; border: round $primary; } CoinAbout { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.now = 1_000.0
        self.layouts = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield CoinAbout(clock=lambda: self.now, expanded=False)
            yield ChatPane()

    def count_layouts(self) -> None:
        screen: Any = self.screen
        refresh_layout = screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            self.layouts += 1
            refresh_layout(*args, **kwargs)

        screen._refresh_layout = counted


async def settled(pilot: Pilot[None]) -> None:
    """Until the screen has no layout waiting (under load one can still be queued)."""
    screen: Any = pilot.app.screen
    await wait_for(pilot, lambda: not screen._layout_required, "the layout asked for")
    await pilot.pause()


def shown(app: Panes, pane: ChatPane) -> list[str]:
    """The pane's lines as the screen shows them."""
    return [pane.render_line(y).text for y in range(pane.scrollable_content_region.height)]


async def test_a_growing_chat_scrolls_to_each_new_message_without_a_layout() -> None:
    app = Panes()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(ChatPane)
        messages = [message(n) for n in range(1, 21)]
        pane.show(messages)  # more than the pane holds: its scrollbar appears (a layout)
        await wait_for(pilot, lambda: pane.vertical_scrollbar.size.height > 0, "the scrollbar")
        await settled(pilot)
        app.count_layouts()

        for n in range(21, 31):
            messages.append(message(n))
            pane.show(messages)
            await pilot.pause()
            assert pane.at_bottom, f"message {n} arrived below the view"
            assert "message number " + str(n) in shown(app, pane)[-1]

        assert pane.max_scroll_y == pane.line_count - pane.scrollable_content_region.height
        assert app.layouts == 0


async def test_the_creator_lines_age_ticks_without_a_layout_and_a_longer_description_lays_out() -> (
    None
):
    app = Panes()
    async with app.run_test(size=(60, 20)) as pilot:
        about = app.query_one(CoinAbout)
        coin = Coin(mint=MINT, creator=CREATOR, description="first line\nsecond\nthird")
        other = Coin(mint="Other111111111111111111111111111111111pump", creator=CREATOR)
        read = CreatorCoinsChanged(creator=CREATOR, coins=(other,), read_at=app.now)
        about.show(coin, read)
        await settled(pilot)
        app.count_layouts()

        for _ in range(3):
            before = about.creator_text
            app.now += 1.0
            about.refresh_ages()
            await pilot.pause()
            assert about.creator_text != before  # "1s ago", "2s ago"…
            assert app.layouts == 0

        about.toggle()  # the whole description: three lines where there was one
        await wait_for(pilot, lambda: about.size.height == 4, "the expanded description")
        assert app.layouts > 0
