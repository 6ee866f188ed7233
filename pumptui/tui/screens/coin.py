"""The Coin screen: header, candlestick chart with volume, trades tape, and either the reply
thread or the holders pane (market activity and the top holders; `i` switches).

It reads the market store only (`self.app.services.store`), when the app says the store moved on
(`StoreUpdated`, already coalesced to a few a second) and only if this coin's version changed. While
it is open the engine gives the coin foreground priority (`engine.focus(mint)`); leaving the screen
hands it back (`engine.focus(None)`). Actions with side effects go through the app.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer

from pumptui.live.candles import TIMEFRAMES
from pumptui.tui.keys import BACK_BINDINGS
from pumptui.tui.messages import StoreUpdated, WatchlistChanged
from pumptui.tui.services import COIN_FEEDS
from pumptui.tui.social import SOCIAL_BINDINGS, SocialKeys, SocialTarget
from pumptui.tui.widgets.candle_chart import CandleChart
from pumptui.tui.widgets.coin_header import CoinHeader
from pumptui.tui.widgets.holders_panel import HoldersPanel
from pumptui.tui.widgets.reply_thread import ReplyThread
from pumptui.tui.widgets.status_bar import StatusBar
from pumptui.tui.widgets.trade_tape import MAX_ROWS, TradeTape, next_min_size

DEFAULT_TIMEFRAME = 60
_last_timeframe: WeakKeyDictionary[App[Any], int] = WeakKeyDictionary()

COIN_BINDINGS: list[Binding] = [
    Binding("t", "cycle_timeframe(1)", "Timeframe", id="coin.cycle-timeframe",
            tooltip="Next candle timeframe: 1s, 15s, 1m, 5m, 15m, 1h"),
    Binding("T", "cycle_timeframe(-1)", "Previous timeframe", id="coin.previous-timeframe",
            show=False, tooltip="Previous candle timeframe"),
    Binding("m", "cycle_min_size(1)", "Min size", id="coin.min-size",
            tooltip="Hide trades smaller than 0.1 / 0.5 / 1 / 5 / 10 SOL"),
    Binding("M", "cycle_min_size(-1)", "Smaller min size", id="coin.min-size-down", show=False,
            tooltip="Lower the minimum trade size"),
    Binding("i", "toggle_holders", "Holders", id="coin.holders",
            tooltip="Show the top holders and market activity instead of the replies, or back"),
    Binding("w", "toggle_watch", "Watch", id="coin.watch", tooltip="Watch or unwatch this coin"),
    Binding("c", "copy_mint", "Copy mint", id="coin.copy-mint",
            tooltip="Copy the coin's mint address"),
    Binding("o", "open_browser", "Browser", id="coin.open-browser",
            tooltip="Open the coin on pump.fun"),
    Binding("tab", "focus_pane(1)", "Next pane", id="coin.next-pane", show=False,
            tooltip="Move between chart, trades and replies"),
    Binding("shift+tab", "focus_pane(-1)", "Previous pane", id="coin.previous-pane", show=False,
            tooltip="Move between chart, trades and replies"),
]


class CoinScreen(SocialKeys, Screen[None]):
    """Everything about one coin, live."""

    BINDINGS = [*BACK_BINDINGS, *COIN_BINDINGS, *SOCIAL_BINDINGS]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"),
                                                                       (110, "-wide")]

    DEFAULT_CSS = """
    CoinScreen {
        layout: vertical;
        #coin-body {
            height: 1fr;
            grid-size: 2 2;
            grid-gutter: 0 1;
        }
        &.-wide #coin-body {
            grid-columns: 1fr 44;
            grid-rows: 3fr 2fr;
            #coin-tape { row-span: 2; }
        }
        #coin-holders { display: none; }
        &.-holders #coin-holders { display: block; }
        &.-holders #coin-replies { display: none; }
        &.-narrow #coin-body {
            grid-columns: 1fr 1fr;
            grid-rows: 1fr 9;
            #coin-chart { column-span: 2; }
        }
    }
    """

    def __init__(
        self,
        mint: str,
        *,
        tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.mint = mint
        self.tz = tz
        self.timeframe = DEFAULT_TIMEFRAME
        self._synced_version: int | None = None

    # -- services --------------------------------------------------------------------------------

    @property
    def services(self) -> Any:
        return self.app.services  # type: ignore[attr-defined]

    def _now(self) -> float:
        return float(self.services.clock())

    # -- composition -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = getattr(self.services, "settings", None)
        min_sol = settings.ui.min_trade_sol if settings is not None else 0.0
        # A coin opens on the timeframe the previous one was left on (remembered per app).
        self.timeframe = _last_timeframe.get(self.app, DEFAULT_TIMEFRAME)
        yield CoinHeader(self.mint, clock=self._now, id="coin-header")
        with Grid(id="coin-body"):
            yield CandleChart(seconds=self.timeframe, tz=self.tz, id="coin-chart")
            yield TradeTape(clock=self._now, min_sol=min_sol, id="coin-tape")
            yield ReplyThread(clock=self._now, id="coin-replies")
            yield HoldersPanel(clock=self._now, id="coin-holders")
        yield StatusBar()
        yield Footer()

    def social_target(self) -> SocialTarget | None:
        """The reply at the top of the thread when the thread has focus, else the coin."""
        thread = self.thread
        if thread.has_focus and (reply := thread.reply_in_view) is not None:
            return SocialTarget.for_reply(reply)
        coin = self.services.store.coin(self.mint)
        return SocialTarget.for_coin(coin) if coin is not None else SocialTarget(self.mint)

    @property
    def header(self) -> CoinHeader:
        return self.query_one(CoinHeader)

    @property
    def chart(self) -> CandleChart:
        return self.query_one(CandleChart)

    @property
    def tape(self) -> TradeTape:
        return self.query_one(TradeTape)

    @property
    def thread(self) -> ReplyThread:
        return self.query_one(ReplyThread)

    @property
    def holders_panel(self) -> HoldersPanel:
        return self.query_one(HoldersPanel)

    @property
    def showing_holders(self) -> bool:
        return self.has_class("-holders")

    # -- life cycle ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick_clock, name="coin-clock")
        # The coin's feeds (trades, replies, candle backfill) get foreground priority.
        self.services.focus(self.mint)
        self.call_after_refresh(self.sync_from_store, True)

    def on_unmount(self) -> None:
        self.services.focus(None)

    def on_screen_resume(self) -> None:
        # The feeds this screen shows poll; the others rest. Nothing is redrawn while another
        # screen or a modal is on top, so catch up now.
        self.services.set_visible(COIN_FEEDS)
        self.sync_from_store(force=True)

    def on_store_updated(self, message: StoreUpdated) -> None:
        self.sync_from_store()

    def on_watchlist_changed(self, message: WatchlistChanged) -> None:
        if message.mint == self.mint:
            self._sync_header()

    def _tick_clock(self) -> None:
        if self.app.screen is not self:
            return
        self.header.refresh_ages()
        self.holders_panel.refresh_ages()
        self.tape.refresh_ages()
        self.thread.refresh_ages()

    # -- reading the store -----------------------------------------------------------------------

    def sync_from_store(self, force: bool = False) -> None:
        """Redraw from the store what changed for this coin since the last sync."""
        if not self.is_mounted:
            return
        self._sync_header()
        store = self.services.store
        version = store.coin_version(self.mint)
        if not force and version == self._synced_version:
            return
        self._synced_version = version
        self._sync_chart()
        self.tape.show_trades(store.trades(self.mint, limit=MAX_ROWS * 4))
        coin = store.coin(self.mint)
        self.thread.show_replies(store.replies(self.mint),
                                 total=coin.reply_count if coin is not None else None)

    def _sync_chart(self) -> None:
        self.chart.show_candles(self.services.store.candles(self.mint, self.timeframe),
                                self.timeframe)

    def _sync_header(self) -> None:
        store = self.services.store
        leader = store.leader
        is_watched = getattr(self.services, "is_watched", None)
        coin = store.coin(self.mint)
        holders = store.holders(self.mint)
        activity = store.market_activity(self.mint)
        self.header.show_coin(
            coin,
            is_leader=leader is not None and leader.mint == self.mint,
            watched=bool(is_watched(self.mint)) if is_watched is not None else False,
            sol_price=store.sol_price,
            sol_stale=store.sol_price_stale,
            holders=holders,
            activity=activity,
            missing=coin is None and store.is_missing(self.mint),
        )
        self.holders_panel.show(
            holders, activity, coin.total_supply / 1e6 if coin is not None else None,
            activity_read_at=store.market_activity_read_at(self.mint),
        )

    # -- actions ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_cycle_timeframe(self, direction: int = 1) -> None:
        index = TIMEFRAMES.index(self.timeframe) if self.timeframe in TIMEFRAMES else 0
        self.timeframe = TIMEFRAMES[(index + direction) % len(TIMEFRAMES)]
        _last_timeframe[self.app] = self.timeframe
        self._sync_chart()

    def action_cycle_min_size(self, direction: int = 1) -> None:
        tape = self.tape
        tape.set_min_sol(next_min_size(tape.min_sol, direction))

    def action_toggle_holders(self) -> None:
        """Swap the replies pane for the holders pane (or back)."""
        self.toggle_class("-holders")
        if self.showing_holders and self.thread.has_focus:
            self.tape.focus()

    def action_toggle_watch(self) -> None:
        self.app.toggle_watch(self.mint)  # type: ignore[attr-defined]
        self._sync_header()

    def action_copy_mint(self) -> None:
        self.app.copy_mint(self.mint)  # type: ignore[attr-defined]

    def action_open_browser(self) -> None:
        self.app.open_in_browser(self.mint)  # type: ignore[attr-defined]

    def action_focus_pane(self, direction: int = 1) -> None:
        panes = [self.chart, self.tape] + ([] if self.showing_holders else [self.thread])
        focused = self.focused
        index = panes.index(focused) if focused in panes else -1 if direction > 0 else 0
        panes[(index + direction) % len(panes)].focus()
