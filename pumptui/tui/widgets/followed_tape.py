"""Home's tape: the newest trades of the coins the user follows, newest on top.

The 2026 API has no site-wide trade feed (`/trades/latest` is gone), so this is not "every trade
on pump.fun": it is the trades the engine reads for the coins the user follows (the watchlist,
the coin last opened) and whatever push delivers.

It draws only as many trades as it has lines, and redraws only when the newest trade or its
size changed, so a quiet market costs nothing and a busy one costs one repaint of this box per
update, never of the screen. Times are wall-clock (not "3s ago"), so the text does not change
every second just because time passes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widget import Widget

from pumptui.api.models import Trade
from pumptui.tui import format as fmt
from pumptui.tui.glyphs import current

# Cells of each column: the widest `fmt.sol` figure is 7 ("0.00638"), and a symbol is cut (or
# padded) to 10 cells, wide characters counted as two, so every line's columns line up.
SOL_CELLS = 7
SYMBOL_CELLS = 10


def trade_line(trade: Trade, symbol: str, width: int) -> Text:
    """One tape line: "14:03:27 ▲ 1.23 PEPE alice"; buy/sell readable without colour."""
    style = fmt.UP_STYLE if trade.is_buy else fmt.DOWN_STYLE
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(fmt.clock_time(trade.timestamp), style="dim")
    line.append(" ")
    glyphs = current()
    line.append(glyphs.buy if trade.is_buy else glyphs.sell, style=f"bold {style}")
    line.append(" ")
    line.append(fmt.sol(trade.sol).rjust(SOL_CELLS), style=style)
    line.append(" ")
    name = Text(symbol or "?", style="bold", no_wrap=True, end="")
    name.truncate(SYMBOL_CELLS, overflow="ellipsis", pad=True)
    line.append_text(name)
    trader = trade.username or fmt.short_address(trade.user)
    if trader:
        line.append(" ")
        line.append(trader, style="dim")
    line.truncate(max(1, width), overflow="ellipsis")
    return line


EMPTY_HINT = "no trades yet · watch coins (w) to follow their trades here"


class FollowedTape(Widget):
    """Newest trades of the followed coins, one per line; fed by `show()`."""

    DEFAULT_CSS = """
    FollowedTape { height: 1fr; overflow: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._trades: Sequence[Trade] = ()
        self._symbol_of: Callable[[Trade], str] = lambda trade: ""
        self._shown: tuple[object, ...] = ()

    def show(self, trades: Sequence[Trade], symbol_of: Callable[[Trade], str]) -> None:
        """Show `trades` (newest first); `symbol_of` names a trade's coin."""
        self._trades = trades
        self._symbol_of = symbol_of
        key = (tuple(t.signature for t in trades[: max(1, self.size.height)]), self.size)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def on_resize(self) -> None:
        self._shown = ()
        self.refresh()

    def render(self) -> Text:
        height = max(0, self.size.height)
        width = max(1, self.size.width)
        lines = [trade_line(t, self._symbol_of(t), width) for t in self._trades[:height]]
        if not lines:
            return Text(EMPTY_HINT, style="dim")
        return Text("\n").join(lines)
