"""Watchlist: the coins the user watches (kept across runs), refreshed in bulk, with sparklines.

The engine follows watched coins (their market data through the bulk `/coins/mints` endpoint),
so this screen only reads the store. A watched coin the store does not hold yet is shown as a
placeholder row until its data arrives, so `w` always has a visible effect.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from pumptui.api.models import Coin
from pumptui.tui.glyphs import current
from pumptui.tui.keys import BACK_BINDINGS, CLEAR_KEPT_FILTER, COIN_LIST_BINDINGS
from pumptui.tui.screens.home import CoinListScreen
from pumptui.tui.services import WATCHLIST_FEEDS
from pumptui.tui.widgets.coin_table import CoinTable
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar

PLACEHOLDER_NAME = "loading…"


class WatchlistScreen(CoinListScreen):
    """Watched coins, sorted like Home; `w` here unwatches."""

    # esc clears a kept filter first, then goes back.
    BINDINGS: ClassVar[list[BindingType]] = [CLEAR_KEPT_FILTER, *BACK_BINDINGS, *COIN_LIST_BINDINGS]
    FEEDS: ClassVar[tuple[str, ...]] = WATCHLIST_FEEDS

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield CoinTable(id="watched-coins")
        yield Static(
            Text("Watch coins with w on Home or on a coin's screen.", style="dim"),
            id="watchlist-empty",
        )
        yield from self.compose_filter()
        yield StatusBar()
        yield KeyFooter()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        services = self.services
        store = services.store
        coins: list[Coin] = []
        for mint in services.watched():
            coin = store.coin(mint)
            coins.append(coin if coin is not None else Coin(mint=mint, name=PLACEHOLDER_NAME))
        table = self.table
        table.show(coins, self.row_context())
        self.show_rows()
        self.query_one("#watchlist-empty").display = not coins
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append(f"{current().watched} Watchlist", style="bold cyan")
        summary.append(" │ ", style="dim")
        summary.append_text(self.describe_view(table.row_count))
        if any(store.is_delisted(coin.mint) for coin in coins):
            summary.append(" · ", style="dim")
            summary.append(f"{current().delisted} no longer listed (hidden or banned)", style="red")
        update_text(self.query_one("#summary", Static), summary)

    def action_back(self) -> None:
        self.dismiss(None)
