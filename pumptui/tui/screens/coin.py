"""The Coin screen: header, candlestick chart with volume, trades tape, and the coin's
conversation — its live chat and its callouts, side by side when the terminal is wide, one at a
time (`v` switches) when it is not — or the holders pane instead (`i`). Under the header, the
about block: the creator's record and the coin's description (`D` shows it whole, `C` opens the
creator's view). The chart charts the price or the market cap (`P`), in SOL or USD (`$`).

It reads the market store only (`self.app.services.store`), when the app says the store moved on
(`StoreUpdated`, already coalesced to a few a second) and only if this coin's version changed. While
it is open the engine gives the coin foreground priority (`engine.focus(mint)`); leaving the screen
hands it back (`engine.focus(None)`). Actions with side effects go through the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import tzinfo
from typing import Any
from weakref import WeakKeyDictionary

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal

from pumptui import explorer
from pumptui.alerts import AlertRule
from pumptui.live.candles import TIMEFRAMES
from pumptui.social.actions import CALLOUT_PREFIX
from pumptui.tui import format as fmt
from pumptui.tui import glyphs
from pumptui.tui.keys import BACK_BINDINGS, COIN_ALERT_BINDING
from pumptui.tui.messages import StoreUpdated, WatchlistChanged
from pumptui.tui.screens.alert_form import ALL_ALERTS, CoinAlertForm
from pumptui.tui.screens.base import PumpScreen
from pumptui.tui.screens.creator import CreatorScreen
from pumptui.tui.services import COIN_FEEDS, AppServices
from pumptui.tui.social import (
    SOCIAL_BINDINGS,
    SocialChanged,
    SocialKeys,
    SocialTarget,
    social_of,
)
from pumptui.tui.trade_labels import TraderBook
from pumptui.tui.widgets.callouts_pane import CalloutMarks, CalloutsPane
from pumptui.tui.widgets.candle_chart import CandleChart
from pumptui.tui.widgets.chat_pane import ChatPane
from pumptui.tui.widgets.coin_about import CoinAbout
from pumptui.tui.widgets.coin_header import CoinHeader
from pumptui.tui.widgets.holders_panel import HoldersPanel
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.status_bar import StatusBar
from pumptui.tui.widgets.trade_tape import MAX_ROWS, TradeTape, next_min_size, trader_name

DEFAULT_TIMEFRAME = 60
_last_timeframe: WeakKeyDictionary[App[Any], int] = WeakKeyDictionary()

COIN_BINDINGS: list[Binding] = [
    Binding(
        "t",
        "cycle_timeframe(1)",
        "Timeframe",
        id="coin.cycle-timeframe",
        tooltip="Next candle timeframe: 1s, 15s, 1m, 5m, 15m, 1h",
    ),
    Binding(
        "T",
        "cycle_timeframe(-1)",
        "Previous timeframe",
        id="coin.previous-timeframe",
        show=False,
        tooltip="Previous candle timeframe",
    ),
    Binding(
        "z",
        "zoom_chart(1)",
        "Zoom in",
        id="coin.zoom-in",
        show=False,
        tooltip="Wider candles: fewer on the chart (1 to 8 columns each)",
    ),
    Binding(
        "Z",
        "zoom_chart(-1)",
        "Zoom out",
        id="coin.zoom-out",
        show=False,
        tooltip="Narrower candles: more on the chart",
    ),
    Binding(
        "m",
        "cycle_min_size(1)",
        "Min size",
        id="coin.min-size",
        tooltip="Hide trades smaller than 0.1 / 0.5 / 1 / 5 / 10 SOL",
    ),
    Binding(
        "M",
        "cycle_min_size(-1)",
        "Smaller min size",
        id="coin.min-size-down",
        show=False,
        tooltip="Lower the minimum trade size",
    ),
    Binding(
        "i",
        "toggle_holders",
        "Holders",
        id="coin.holders",
        tooltip="Show the top holders and market activity instead of the chat, or back",
    ),
    Binding(
        "v",
        "toggle_talk",
        "Chat/Callouts",
        id="coin.toggle-talk",
        tooltip="Switch between the coin's live chat and its callouts (narrow terminals), "
        "or move between them",
    ),
    Binding(
        "D",
        "toggle_about",
        "Description",
        id="coin.description",
        show=False,
        tooltip="Show the coin's whole description, or one line of it",
    ),
    Binding(
        "C",
        "open_creator",
        "Creator",
        id="coin.creator",
        tooltip="Every coin this coin's creator launched, as a live table",
    ),
    Binding(
        "P",
        "toggle_chart_market_cap",
        "Price/MCap",
        id="coin.chart-market-cap",
        show=False,
        tooltip="Chart the market cap (price × total supply) or the price",
    ),
    Binding(
        "dollar_sign",
        "toggle_chart_usd",
        "SOL/USD",
        key_display="$",
        id="coin.chart-usd",
        show=False,
        tooltip="Chart in USD (at the app's SOL price) or in SOL",
    ),
    Binding("w", "toggle_watch", "Watch", id="coin.watch", tooltip="Watch or unwatch this coin"),
    Binding(
        "c", "copy_mint", "Copy mint", id="coin.copy-mint", tooltip="Copy the coin's mint address"
    ),
    Binding(
        "o", "open_browser", "Browser", id="coin.open-browser", tooltip="Open the coin on pump.fun"
    ),
    Binding(
        "tab",
        "focus_pane(1)",
        "Next pane",
        id="coin.next-pane",
        show=False,
        tooltip="Move between chart, trades, chat and callouts",
    ),
    Binding(
        "shift+tab",
        "focus_pane(-1)",
        "Previous pane",
        id="coin.previous-pane",
        show=False,
        tooltip="Move between chart, trades, chat and callouts",
    ),
]


class CoinScreen(SocialKeys, PumpScreen[None]):
    """Everything about one coin, live."""

    BINDINGS = [*BACK_BINDINGS, *COIN_BINDINGS, *SOCIAL_BINDINGS, COIN_ALERT_BINDING]
    SHOWS_CALLOUTS = True
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

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
        #coin-talk { layout: horizontal; height: 1fr; }
        #coin-talk > * { width: 1fr; }
        #coin-holders { display: none; }
        &.-holders #coin-holders { display: block; }
        &.-holders #coin-talk { display: none; }
        &.-narrow #coin-body {
            grid-columns: 1fr 1fr;
            grid-rows: 1fr 9;
            #coin-chart { column-span: 2; }
        }
        /* Narrow: one of chat and callouts at a time (`v`). */
        &.-narrow #coin-callouts { display: none; }
        &.-narrow.-callouts #coin-callouts { display: block; }
        &.-narrow.-callouts #coin-chat { display: none; }
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
        self._creator_trades_asked: str | None = None

    # -- services --------------------------------------------------------------------------------

    @property
    def services(self) -> AppServices:
        return self.app.services

    def _now(self) -> float:
        return self.services.clock()

    # -- composition -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        min_sol = self.services.settings.ui.min_trade_sol
        # A coin opens on the timeframe the previous one was left on (remembered per app).
        self.timeframe = _last_timeframe.get(self.app, DEFAULT_TIMEFRAME)
        yield CoinHeader(self.mint, clock=self._now, id="coin-header")
        yield CoinAbout(clock=self._now, id="coin-about")
        with Grid(id="coin-body"):
            yield CandleChart(
                seconds=self.timeframe, tz=self.tz, ascii=glyphs.current().ascii, id="coin-chart"
            )
            yield TradeTape(
                clock=self._now,
                min_sol=min_sol,
                large_sol=self.services.settings.ui.whale_sol,
                id="coin-tape",
            )
            with Horizontal(id="coin-talk"):
                yield ChatPane(id="coin-chat")
                yield CalloutsPane(clock=self._now, id="coin-callouts")
            yield HoldersPanel(clock=self._now, id="coin-holders")
        yield StatusBar()
        yield KeyFooter()

    def social_target(self) -> SocialTarget | None:
        """The callout under the cursor when the callouts pane has focus, else the coin."""
        pane = self.callouts_pane
        if pane.has_focus and (callout := pane.selected) is not None:
            author = (
                f"@{callout.username}"
                if callout.username
                else fmt.short_address(callout.author_wallet) or "?"
            )
            return SocialTarget(
                self.mint,
                callout.id,
                callout.author_wallet,
                f"{author}'s callout on {self._coin_name()}",
                callout.thesis,
            )
        coin = self.services.store.coin(self.mint)
        return SocialTarget.for_coin(coin) if coin is not None else SocialTarget(self.mint)

    def _coin_name(self) -> str:
        coin = self.services.store.coin(self.mint)
        return (
            SocialTarget.for_coin(coin).label
            if coin is not None
            else (fmt.short_address(self.mint))
        )

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
    def chat_pane(self) -> ChatPane:
        return self.query_one(ChatPane)

    @property
    def callouts_pane(self) -> CalloutsPane:
        return self.query_one(CalloutsPane)

    @property
    def holders_panel(self) -> HoldersPanel:
        return self.query_one(HoldersPanel)

    @property
    def about(self) -> CoinAbout:
        return self.query_one(CoinAbout)

    @property
    def showing_holders(self) -> bool:
        return self.has_class("-holders")

    # -- life cycle ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick_clock, name="coin-clock")
        # The coin's feeds (trades, callouts, candle backfill) get foreground priority, and its
        # chat room is joined.
        self.services.focus(self.mint)
        self.call_after_refresh(self.sync_from_store, True)
        coin = self.services.store.coin(self.mint)
        if coin is not None and coin.creator:
            self._load_creator(coin.creator)

    def on_unmount(self) -> None:
        self.services.focus(None)

    def on_screen_resume(self) -> None:
        # The feeds this screen shows poll; the others rest. Nothing is redrawn while another
        # screen or a modal is on top, so catch up now.
        self.services.set_visible(COIN_FEEDS)
        # Back from a coin opened on top (the creator's view lists their coins): ours again.
        self.services.focus(self.mint)
        self.sync_from_store(force=True)

    def on_store_updated(self, message: StoreUpdated) -> None:
        self.sync_from_store()
        # The chat is not in the store (its events go straight to the bus): redraw it on every
        # update; the pane does nothing when its messages are the same.
        self._sync_talk()

    def on_watchlist_changed(self, message: WatchlistChanged) -> None:
        if message.mint == self.mint:
            self._sync_header()

    def on_social_changed(self, message: SocialChanged) -> None:
        # A heart, a follow mark, a moderation mark, a post or a login: at once on screen.
        self._sync_header()
        self._sync_talk()
        self.query_one(StatusBar).update_status()

    def _tick_clock(self) -> None:
        if self.app.screen is not self:
            return
        self.header.refresh_ages()
        self.about.refresh_ages()
        self.holders_panel.refresh_ages()
        self.tape.refresh_ages()
        self.callouts_pane.refresh_ages()
        self._sync_talk()  # expired chat messages go; a reconnecting chat says so

    # -- reading the store -----------------------------------------------------------------------

    def sync_from_store(self, force: bool = False) -> None:
        """Redraw from the store what changed for this coin since the last sync."""
        if not self.is_mounted:
            return
        if self not in self.app.screen_stack:
            return  # closed before it was first drawn (keys typed ahead): its widgets are going
        self._sync_header()
        self._sync_chart_conversion()
        store = self.services.store
        self._sync_tape_context()
        version = store.coin_version(self.mint)
        if not force and version == self._synced_version:
            return
        self._synced_version = version
        self._sync_chart()
        self._sync_tape()
        self._sync_talk()

    def _sync_tape(self) -> None:
        """The tape's trades: the coin's, or all of one trader's when it shows only theirs."""
        store = self.services.store
        trader = self.tape.trader
        if trader is not None:
            self.tape.show_trades(store.trader_trades(self.mint, trader))
        else:
            self.tape.show_trades(store.trades(self.mint, limit=MAX_ROWS * 4))

    def _sync_tape_context(self) -> None:
        """Who the traders are (creator, top holders and their flags) and the SOL price."""
        store = self.services.store
        coin = store.coin(self.mint)
        creator = coin.creator if coin is not None else None
        self.tape.set_context(TraderBook.of(creator, store.holders(self.mint)), store.sol_price)
        if creator and creator != self._creator_trades_asked:
            # The creator's own trades in the coin (once): the dev-sold badge then counts
            # their whole history, not only the trades on the tape.
            self._creator_trades_asked = creator
            self._load_trader_trades(creator)

    def _sync_talk(self) -> None:
        """The chat (from the live chat connection) and the callouts (from the store), with
        the user's own marks."""
        if not self.is_mounted:
            return
        services = self.services
        chat = services.chat_view(self.mint)
        if chat is not None:
            self.chat_pane.show(chat.messages, chat.viewers, chat.state)
        else:
            self.chat_pane.show((), None, "not connected")
        callouts = services.store.callouts(self.mint)
        marks = self.own_marks()
        self.callouts_pane.show(
            callouts or (),
            CalloutMarks(
                liked=frozenset(
                    key.removeprefix(CALLOUT_PREFIX)
                    for key in marks.liked
                    if key.startswith(CALLOUT_PREFIX)
                ),
                followed=marks.followed,
                marked=frozenset(
                    key.removeprefix(CALLOUT_PREFIX)
                    for key in marks.marked
                    if key.startswith(CALLOUT_PREFIX)
                ),
            ),
            note=services.callouts_note(self.mint),
        )

    def _sync_chart_conversion(self) -> None:
        """The supply and SOL price the chart's market cap and USD axes use (they move
        without the coin's trades: checked on every store update, redrawn only if used)."""
        store = self.services.store
        coin = store.coin(self.mint)
        self.chart.set_conversion(coin.supply_tokens if coin is not None else None, store.sol_price)

    def _sync_chart(self) -> None:
        self.chart.show_candles(
            self.services.store.candles(self.mint, self.timeframe), self.timeframe
        )

    def _sync_header(self) -> None:
        store = self.services.store
        leader = store.leader
        coin = store.coin(self.mint)
        holders = store.holders(self.mint)
        activity = store.market_activity(self.mint)
        marks = self.own_marks()
        social = social_of(self)
        creator = coin.creator if coin is not None else None
        user = social.user(creator) if social is not None and creator else None
        newest = store.trades(self.mint, limit=1)
        self.header.show_venue(newest[0].program if newest else None)
        self.header.show_coin(
            coin,
            is_leader=leader is not None and leader.mint == self.mint,
            watched=self.services.is_watched(self.mint),
            sol_price=store.sol_price,
            sol_stale=store.sol_price_stale,
            holders=holders,
            activity=activity,
            missing=coin is None and store.is_missing(self.mint),
            liked=self.mint in marks.liked,
            creator_followed=creator is not None and creator in marks.followed,
            creator_counts=(user.followers, user.following) if user is not None else None,
            delisted=store.is_delisted(self.mint),
        )
        self.header.show_dev_sold(store.creator_tally(self.mint))
        self.about.show(coin, store.creator_coins(creator) if creator is not None else None)
        self.holders_panel.show(
            holders,
            activity,
            coin.total_supply / 1e6 if coin is not None else None,
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

    def action_zoom_chart(self, direction: int = 1) -> None:
        self.chart.action_zoom(direction)

    def action_cycle_min_size(self, direction: int = 1) -> None:
        tape = self.tape
        tape.set_min_sol(next_min_size(tape.min_sol, direction))

    def action_toggle_holders(self) -> None:
        """Swap the chat and callouts for the holders pane (or back)."""
        self.toggle_class("-holders")
        if self.showing_holders and (self.chat_pane.has_focus or self.callouts_pane.has_focus):
            self.tape.focus()

    def action_toggle_talk(self) -> None:
        """Narrow: show the callouts instead of the chat (or back). Wide: both are shown, so
        move the focus between them."""
        if self.showing_holders:
            self.toggle_class("-holders")
        if self.has_class("-narrow"):
            self.toggle_class("-callouts")
        showing_callouts = self.has_class("-callouts") or (
            not self.has_class("-narrow") and not self.callouts_pane.has_focus
        )
        (self.callouts_pane if showing_callouts else self.chat_pane).focus()

    def _load_creator(self, creator: str) -> None:
        """The creator's account (UUID for follows, follower counts for the header)."""
        social = social_of(self)
        if social is not None and social.services.client is not None:
            social.load_user(creator)

    def action_toggle_chart_market_cap(self) -> None:
        units = self.chart.units
        self.chart.set_units(replace(units, market_cap=not units.market_cap))

    def action_toggle_chart_usd(self) -> None:
        units = self.chart.units
        self.chart.set_units(replace(units, usd=not units.usd))

    def action_toggle_about(self) -> None:
        self.about.toggle()

    def action_open_creator(self) -> None:
        """The creator's view: every coin they launched, kept live while it is open."""
        coin = self.services.store.coin(self.mint)
        if coin is None or coin.creator is None:
            self.notify("The coin's creator is not known yet", severity="warning", timeout=3)
            return
        self.app.push_screen(CreatorScreen(coin.creator, label=coin.creator_username))

    def action_toggle_watch(self) -> None:
        self.app.toggle_watch(self.mint)
        self._sync_header()

    def action_copy_mint(self) -> None:
        self.app.copy_mint(self.mint)

    def action_open_browser(self) -> None:
        self.app.open_in_browser(self.mint)

    def action_alert_on_coin(self) -> None:
        """A small form: what to be alerted of on this coin; saved and live at once."""
        store = self.services.store
        coin = store.coin(self.mint)
        label = (coin.symbol or coin.name) if coin is not None else ""
        cap = fmt.coin_caps(coin, store.sol_price)[1] if coin is not None else None

        def made(result: AlertRule | str | None) -> None:
            if isinstance(result, AlertRule):
                self.app.add_alert(result)
            elif result == ALL_ALERTS:
                self.app.action_go_alerts()

        form = CoinAlertForm(
            self.mint,
            label or fmt.short_address(self.mint),
            cap,
            whale_sol=self.services.settings.ui.whale_sol,
        )
        self.app.push_screen(form, made)

    # -- the tape's trader keys ----------------------------------------------------------------

    def on_trade_tape_filter_changed(self, message: TradeTape.FilterChanged) -> None:
        self._sync_tape()

    def on_trade_tape_trader_action(self, message: TradeTape.TraderAction) -> None:
        trade = message.trade
        user = trade.user
        settings = self.services.settings.ui
        match message.action:
            case "open-tx":
                self._open_explorer(
                    lambda: explorer.tx_url(trade.signature, settings.explorer_tx_url)
                )
            case _ if not user:
                self.notify("This trade has no trader address", timeout=3)
            case "copy-trader":
                self.app.copy_to_clipboard(user)
                self.notify(f"Copied {user}", title="Trader", timeout=3, markup=False)
            case "open-trader":
                self._open_explorer(
                    lambda: explorer.account_url(user, settings.explorer_account_url)
                )
            case "only-trader":
                if self.tape.trader == user:
                    self.tape.set_trader(None)
                else:
                    self.tape.set_trader(user)
                    self._load_trader_trades(user)
                    name = trader_name(trade.username, user)
                    self.notify(f"Trades of {name} · enter again for all", timeout=3, markup=False)

    def _open_explorer(self, link: Callable[[], str]) -> None:
        try:
            url = link()
        except ValueError as exc:
            self.notify(f"No explorer link: {exc}", severity="warning", markup=False)
            return
        self.app.open_link(url)

    @work(group="trader-trades", exit_on_error=False, name="trader-trades")
    async def _load_trader_trades(self, user: str) -> None:
        """All of `user`'s trades in this coin (`userAddress`), into the store, then on screen."""
        if await self.services.load_trader_trades(self.mint, user):
            self.sync_from_store(force=True)

    def action_focus_pane(self, direction: int = 1) -> None:
        talk: list[Any] = []
        if not self.showing_holders:
            narrow = self.has_class("-narrow")
            if not narrow or not self.has_class("-callouts"):
                talk.append(self.chat_pane)
            if not narrow or self.has_class("-callouts"):
                talk.append(self.callouts_pane)
        panes = [self.chart, self.tape, *talk]
        focused = self.focused
        index = panes.index(focused) if focused in panes else -1 if direction > 0 else 0
        panes[(index + direction) % len(panes)].focus()
