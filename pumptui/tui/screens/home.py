"""Home: the new-coins feed as a live table, the trades of the coins you follow, the leader
(the highest market cap still on the bonding curve) and the SOL price.

`CoinListScreen` is what Home and Watchlist share: a `CoinTable` with filter (`/`), sort (`s`),
watch (`w`), copy (`c`) and open-in-browser (`o`) on the coin under the cursor, and Enter to open
it. Screens redraw from the store when the app says it changed (`StoreUpdated`) and once a second
for ages; nothing is drawn while another screen or a modal is on top.

They are the screener too: `O` (or a click on a header) sorts by any column, the filter line
takes words, an expression (`mc > 20k and dev < 5%`) or a preset (`@name`, `P` and tab step
through them), and each redraw tells the engine which rows are on screen, whose 5 m / 1 h
activity it reads first (the summary line says how old those figures are). An expression that
cannot be read is shown with a caret under the offending token, and the previous filter stays.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from pumptui.alerts import AlertRuleError
from pumptui.api.models import Coin, Trade
from pumptui.rules import ExprError
from pumptui.tui import format as fmt
from pumptui.tui.alert_recipes import filter_alert
from pumptui.tui.coin_filter import NO_FILTER, CoinFilter, next_preset, read_filter
from pumptui.tui.glyphs import current
from pumptui.tui.keys import COIN_LIST_BINDINGS, FILTER_ALERT_BINDING
from pumptui.tui.messages import StoreUpdated, WatchlistChanged
from pumptui.tui.screens.base import CursorCoinActions
from pumptui.tui.screens.sort_picker import SortPicker
from pumptui.tui.services import HOME_FEEDS, AppServices
from pumptui.tui.social import (
    SOCIAL_BINDINGS,
    OwnMarks,
    SocialChanged,
    SocialKeys,
    SocialTarget,
)
from pumptui.tui.widgets.coin_table import CoinTable, RowContext, columns_for
from pumptui.tui.widgets.followed_tape import FollowedTape
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar
from pumptui.words import plural

# Trades handed to the tape: more than any terminal is tall; it draws what fits.
TAPE_TRADES = 120
# There is no site-wide tape any more: this one holds the trades of watched and opened coins.
TAPE_TITLE = "Trades · coins you follow"
# Every column of the table and its scrollbar; below, the table keeps 80 cells beside the tape
# (app.tcss) and shows the columns that fit (`columns_for`).
FULL_TABLE_WIDTH = columns_for(10_000).width + 1
# The tape's narrowest width beside a table with every column.
TAPE_MIN_WIDTH = 48


class FilterInput(Input):
    """The `/` filter line: typing filters the table live, Enter keeps it, Escape clears it,
    tab puts the next preset in it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="filter.clear"),
        Binding("tab", "next_preset", "Next preset", id="filter.next-preset"),
    ]

    def action_clear_filter(self) -> None:
        screen = self.screen
        if isinstance(screen, CoinListScreen):
            screen.action_clear_kept_filter()
        else:
            self.value = ""

    def action_next_preset(self) -> None:
        screen = self.screen
        if isinstance(screen, CoinListScreen):
            screen.fill_next_preset()


class FilterError(Static):
    """Under the filter line, while its text is an expression that cannot be read: a caret
    under the offending token and what is wrong ("^^^^ unknown field 'agee': did you mean
    age?"). The table keeps the previous filter meanwhile."""

    DEFAULT_CSS = """
    FilterError { display: none; height: 1; color: $error; }
    """

    def show_error(self, error: ExprError | None, scrolled: int = 0) -> None:
        self.display = error is not None
        if error is None:
            self.update("")
            return
        column = max(0, error.position - scrolled)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" " * column + "^" * error.length, style="bold")
        line.append(f" {error.message}")
        self.update(line)


class KeptFilter(Static):
    """A kept filter, labelled, where the filter line was: "filter: pepe  esc clears"."""

    DEFAULT_CSS = """
    KeptFilter { display: none; height: 1; padding: 0 1; }
    """

    def show_filter(self, text: str) -> None:
        self.display = bool(text)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("filter: ", style="dim")
        line.append(text, style="bold")
        line.append("  esc clears · / edits", style="dim")
        self.update(line)

    def show_kept(self, coin_filter: CoinFilter) -> None:
        """The kept filter; a preset with what it stands for ("@fresh = age < 15m and …")."""
        text = coin_filter.text.strip()
        if coin_filter.preset is not None and coin_filter.expr is not None:
            text = f"{coin_filter.describe()} = {coin_filter.expr.source.strip()}"
        self.show_filter(text)


class CoinListScreen(SocialKeys, CursorCoinActions):
    """A screen whose main content is a `CoinTable`."""

    BINDINGS: ClassVar[list[BindingType]] = [*COIN_LIST_BINDINGS, *SOCIAL_BINDINGS]
    # Feeds the engine should poll while this screen is on top.
    FEEDS: ClassVar[tuple[str, ...]] = ()

    @property
    def services(self) -> AppServices:
        return self.app.services

    @property
    def table(self) -> CoinTable:
        return self.query_one(CoinTable)

    def compose_filter(self) -> ComposeResult:
        yield FilterInput(
            # It filters what is loaded here; the palette (`:`) asks the server for any coin.
            placeholder="name, or mc > 20k and dev < 5%, or @preset  "
            "(tab: presets · enter: keep · esc: clear · : searches every coin)",
            id="filter",
            compact=True,
        )
        yield FilterError(id="filter-error")
        yield KeptFilter(id="filter-kept")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name="ages")
        self.table.focus()
        self.redraw()

    def on_resize(self) -> None:
        # Which rows are on screen (their figures and age) is known once the table is laid out.
        self.call_after_refresh(self.redraw)

    def on_screen_resume(self) -> None:
        self.services.set_visible(self.FEEDS)
        self.redraw()
        self.query_one(StatusBar).update_status()

    def on_store_updated(self, message: StoreUpdated) -> None:
        self.redraw()

    def on_watchlist_changed(self, message: WatchlistChanged) -> None:
        self.redraw()

    def on_social_changed(self, message: SocialChanged) -> None:
        # A heart, a follow mark or a moderation mark: shown the moment the key is pressed,
        # and again (maybe undone) when the server answered. The status bar counts marked rows.
        self.redraw()
        self.query_one(StatusBar).update_status()

    def _tick(self) -> None:
        # Ages move with the clock; off screen or under a modal, wait for the resume.
        if self.app.screen is self:
            self.redraw()

    def redraw(self) -> None:
        """Bring everything on the screen up to date with the store (cheap when nothing moved)."""
        raise NotImplementedError

    def redraw_for_key(self) -> None:
        """`redraw` as a key's answer: the store's next redraw then waits its interval (see
        `PumpApp.note_redrawn`), not to come between the key and its frame."""
        self.redraw()
        self.app.note_redrawn()

    def row_context(self) -> RowContext:
        return coin_rows_context(self.services, self.own_marks())

    @property
    def presets(self) -> dict[str, str]:
        """The screener's presets (built-in and the config's), by name."""
        return dict(self.services.settings.screener.presets)

    def show_rows(self) -> None:
        """Tell the engine which rows are on screen (their figures are read first) and which
        others the table considers (a filter on figures needs theirs too)."""
        table = self.table
        listed = [*table.shown_mints, *table.candidates[: table.limit]]
        self.services.show_rows(table.visible_mints, listed)

    def activity_age(self) -> float | None:
        """How old the oldest 5 m / 1 h figures of the rows on screen are (None: none read)."""
        store = self.services.store
        times = [store.market_activity_read_at(m) for m in self.table.visible_mints]
        known = [t for t in times if t is not None]
        return self.services.clock() - min(known) if known else None

    # -- actions on the coin under the cursor ------------------------------------------------------

    def social_target(self) -> SocialTarget | None:
        mint = self._cursor_mint()
        if mint is None:
            return None
        coin = self.services.store.coin(mint)
        return SocialTarget.for_coin(coin) if coin is not None else SocialTarget(mint, label=mint)

    @property
    def cursor_mint(self) -> str | None:
        return self.table.cursor_mint

    @on(DataTable.RowSelected)
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.open_coin(str(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_kept_filter":
            # Without a filter, `esc` is free for what else it does (Back, on Watchlist).
            return bool(self.table.filter_text)
        return super().check_action(action, parameters)

    def action_cycle_sort(self) -> None:
        # The summary line names the new order; no toast needed. The table is redrawn once,
        # by the screen's redraw (with the store's coins as they are now).
        self.table.cycle_sort(redraw=False)
        self.redraw_for_key()

    def action_pick_sort(self) -> None:
        table = self.table

        def picked(label: str | None) -> None:
            if label is not None:
                table.sort_by(label, redraw=False)
                self.redraw_for_key()

        self.app.push_screen(SortPicker(table.current_sort.label, table.sort_reversed), picked)

    def action_next_preset(self) -> None:
        """Filter by the next preset at once (the filter line shows it, kept)."""
        name = next_preset(self.table.filter_text, self.presets)
        if name is None:
            self.notify("No presets: add some under [screener.presets]", timeout=3)
            return
        filter_input = self.query_one(FilterInput)
        filter_input.value = f"@{name}"
        self._apply_filter(filter_input.value)
        self.action_close_filter()

    def fill_next_preset(self) -> None:
        """Tab in the filter line: the next preset's name replaces what is typed."""
        filter_input = self.query_one(FilterInput)
        name = next_preset(filter_input.value, self.presets)
        if name is not None:
            filter_input.value = f"@{name}"
            filter_input.cursor_position = len(filter_input.value)

    def action_reverse_sort(self) -> None:
        self.table.reverse_sort(redraw=False)
        self.redraw_for_key()

    def action_clear_kept_filter(self) -> None:
        filter_input = self.query_one(FilterInput)
        with filter_input.prevent(Input.Changed):  # cleared here, not by a late Changed
            filter_input.value = ""
        self.table.set_filter(NO_FILTER)
        self.action_close_filter()
        self.redraw()

    def action_search(self) -> None:
        filter_input = self.query_one(FilterInput)
        if filter_input.has_focus:
            # `/` is a priority binding: typed in the filter, it is text like any other.
            filter_input.insert_text_at_cursor("/")
            return
        filter_input.display = True
        self.query_one(KeptFilter).display = False
        # Focus now, not at the next message (`focus()` defers): keys typed right after `/` are
        # already on their way, and each must land in the filter.
        self.set_focus(filter_input)

    def action_close_filter(self) -> None:
        filter_input = self.query_one(FilterInput)
        filter_input.display = False
        kept = self.table.coin_filter
        if filter_input.value.strip() != kept.text.strip():
            # Left with an error showing: the line goes back to the filter still in force.
            with filter_input.prevent(Input.Changed):
                filter_input.value = kept.text
        self.query_one(FilterError).show_error(None)
        self.query_one(KeptFilter).show_kept(kept)
        self.table.focus()

    def _apply_filter(self, text: str) -> bool:
        """Filter by `text` if it reads; else show why under the line and keep the filter in
        force. True when applied."""
        error_line = self.query_one(FilterError)
        try:
            coin_filter = read_filter(text, self.presets)
        except ExprError as error:
            error_line.show_error(error, round(self.query_one(FilterInput).scroll_x))
            return False
        error_line.show_error(None)
        self.table.set_filter(coin_filter)
        self.redraw()
        return True

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if self._apply_filter(event.value):
            self.action_close_filter()
        else:
            self.app.bell()  # the error under the line says what to fix; esc gives up

    def describe_view(self, count: int) -> Text:
        """ "142 coins · sort newest · filter "pep"": what the table shows and how."""
        table = self.table
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(plural(count, "coin"), style="dim")
        text.append(" · sort ", style="dim")
        text.append(table.sort_label)
        if table.coin_filter:
            text.append(" · filter ", style="dim")
            text.append(table.coin_filter.describe(), style="bold")
        age = self.activity_age()
        if age is not None:
            # The 5 m / 1 h figures are read in batches, rarely: how old the oldest on screen is.
            text.append(" · 5m/1h ", style="dim")
            text.append(fmt.age(age))
        return text


class HomeScreen(CoinListScreen):
    """The market at a glance: newest coins, the trades of the coins you follow, the leader and
    the SOL price."""

    FEEDS: ClassVar[tuple[str, ...]] = HOME_FEEDS
    BINDINGS: ClassVar[list[BindingType]] = [FILTER_ALERT_BINDING]
    # Coins the table considers; with a filter, every coin the store holds.
    ROWS = 200

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal(id="home-body"):
            yield CoinTable(limit=self.ROWS, id="coins")
            with Vertical(id="tape-box"):
                yield Static(Text(TAPE_TITLE, style="bold"), id="tape-title")
                yield FollowedTape(id="followed-tape")
        yield from self.compose_filter()
        yield StatusBar()
        yield KeyFooter()

    def on_resize(self) -> None:
        # A terminal wide enough for every column and the tape gives the table all it needs.
        wide = self.size.width >= FULL_TABLE_WIDTH + TAPE_MIN_WIDTH
        self.table.styles.width = FULL_TABLE_WIDTH if wide else None
        super().on_resize()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        store = self.services.store
        table = self.table
        limit = len(store) if table.coin_filter else self.ROWS
        coins = store.new_coins(limit)
        table.show(coins, self.row_context())
        self.show_rows()
        tape = self.query_one(FollowedTape)
        tape.show(store.site_trades(TAPE_TRADES), self._symbol_of)
        summary = self.query_one("#summary", Static)
        update_text(
            summary,
            summary_line(
                store.leader,
                store.sol_price,
                store.sol_price_stale,
                self.describe_view(table.row_count),
                summary.content_region.width or self.app.size.width - 2,
            ),
        )

    def filter_in_force(self) -> tuple[str, str | None]:
        """The filter as typed, and the expression it stands for (None: plain words). Read
        through the table's `coin_filter` when it has one (the screener's filter line)."""
        table = self.table
        expr = getattr(getattr(table, "coin_filter", None), "expr", None)
        source = getattr(expr, "source", None)
        return table.filter_text, source if isinstance(source, str) else None

    def action_alert_on_filter(self) -> None:
        """The filter in force becomes an alert on each new coin it matches."""
        try:
            rule = filter_alert(*self.filter_in_force())
        except AlertRuleError as exc:
            self.notify(str(exc), severity="warning", title="Alert on filter", markup=False)
            return
        self.app.add_alert(rule)

    def _symbol_of(self, trade: Trade) -> str:
        coin = self.services.store.coin(trade.mint)
        return coin.symbol if coin is not None else fmt.short_address(trade.mint, 3)


def summary_line(
    leader: Coin | None,
    sol_usd: float | None,
    sol_stale: bool,
    view: Text,
    width: int = 200,
) -> Text:
    """ "⚑ leader PEPE Pepe 205 SOL $51k 82% │ SOL $244.20 │ 142 coins · sort newest".

    The leader is the coin with the highest market cap still on the bonding curve. A stale SOL
    price (the server's own flag) says so. The leader's name, its USD cap, then the word
    "leader" (the ⚑ mark stays) are left out when `width` cells cannot hold everything.
    """

    def build(with_name: bool, with_usd: bool, with_word: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        mark = current().leader
        text.append(f"{mark} leader " if with_word else f"{mark} ", style="bold yellow")
        if leader is None:
            text.append("none yet", style="dim")
        else:
            text.append(leader.symbol or "?", style="bold")
            if with_name and leader.name and leader.name != leader.symbol:
                text.append(" ")
                text.append(leader.name[:24], style="dim")
            in_sol, in_usd = fmt.coin_caps(leader, sol_usd)
            if in_sol is not None:
                text.append(f" {fmt.compact(in_sol)} SOL")
                if with_usd and in_usd is not None:
                    text.append(f" {fmt.usd(in_usd)}")
            elif in_usd is not None:
                text.append(f" {fmt.usd(in_usd)}")
            text.append(f" {fmt.percent(leader.progress)}", style="yellow")
        text.append(" │ ", style="dim")
        text.append("SOL ", style="dim")
        text.append(f"${sol_usd:,.2f}" if sol_usd else "—", style="bold")
        if sol_usd and sol_stale:
            text.append(" stale", style="bold yellow")
        text.append(" │ ", style="dim")
        text.append_text(view)
        return text

    steps = ((True, True, True), (False, True, True), (False, False, True), (False, False, False))
    for with_name, with_usd, with_word in steps:
        text = build(with_name, with_usd, with_word)
        if text.cell_len <= width:
            return text
    return text


def coin_rows_context(services: AppServices, marks: OwnMarks) -> RowContext:
    """What every coin table's rows are drawn with (Home, Watchlist, a bookmark list)."""
    store = services.store
    leader = store.leader
    return RowContext(
        now=services.clock(),
        leader_mint=leader.mint if leader is not None else None,
        watched=frozenset(services.watched()),
        trend=store.price_history,
        version=store.coin_version,
        sol_usd=store.sol_price,
        board=store.board_entry,
        activity=store.market_activity,
        liked=marks.liked,
        followed=marks.followed,
        marked=marks.marked,
        delisted=store.is_delisted,
    )
