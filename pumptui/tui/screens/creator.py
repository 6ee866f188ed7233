"""The creator's view: every coin one wallet launched, as a live table (`C` on a coin).

Serial launchers are the first thing a trader checks: how many coins this wallet made, how many
graduated, how fast it launches. The engine's creator feed reads `/coins?creator=` again every
half minute or so while this screen is on top (`services.show_creator`), so market caps and new
launches move in place; the screen only reads the store. The table is Home's (`CoinTable`), with
the same keys: Enter opens a coin, `/` filters, `s` sorts, `w` watches.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from pumptui.tui import format as fmt
from pumptui.tui.keys import BACK_BINDINGS, CLEAR_KEPT_FILTER, COIN_LIST_BINDINGS
from pumptui.tui.screens.home import CoinListScreen
from pumptui.tui.services import CREATOR_FEEDS
from pumptui.tui.widgets.coin_table import CoinTable
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar


class CreatorScreen(CoinListScreen):
    """The coins `creator` launched, newest first by default."""

    # esc clears a kept filter first, then goes back.
    BINDINGS: ClassVar[list[BindingType]] = [CLEAR_KEPT_FILTER, *BACK_BINDINGS, *COIN_LIST_BINDINGS]
    FEEDS: ClassVar[tuple[str, ...]] = CREATOR_FEEDS

    DEFAULT_CSS = """
    CreatorScreen {
        #creator-coins { height: 1fr; }
        #creator-empty { height: 1; padding: 0 1; }
    }
    """

    def __init__(self, creator: str, *, label: str | None = None) -> None:
        super().__init__()
        self.creator = creator
        # How the creator is named: a username when the coin gave one, else the address.
        self.label = label or fmt.short_address(creator) or creator

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield CoinTable(id="creator-coins")
        yield Static(id="creator-empty")
        yield from self.compose_filter()
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.services.show_creator(self.creator)
        super().on_mount()

    def on_unmount(self) -> None:
        self.services.show_creator(None)

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        services = self.services
        read = services.store.creator_coins(self.creator)
        coins = read.coins if read is not None else ()
        table = self.table
        table.show(coins, self.row_context())
        self.show_rows()  # their 5 m / 1 h figures, as on Home
        empty = self.query_one("#creator-empty", Static)
        empty.display = not coins
        empty.update(
            Text(
                "Loading their coins…" if read is None else "No coins listed for this wallet.",
                style="dim",
            )
        )
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append("Coins by ", style="bold cyan")
        summary.append(self.label, style="bold")
        if read is not None:
            graduated = sum(1 for coin in coins if coin.complete)
            summary.append(" │ ", style="dim")
            summary.append(f"{graduated} graduated")
            if read.more:  # a full page: they launched at least this many
                summary.append(f" · {len(coins)}+ launched")
            if read.read_at:
                summary.append(
                    f" · {fmt.age(max(0.0, services.clock() - read.read_at))} ago", style="dim"
                )
        summary.append(" │ ", style="dim")
        summary.append_text(self.describe_view(table.row_count))
        update_text(self.query_one("#summary", Static), summary)

    def action_back(self) -> None:
        self.dismiss(None)
