"""Home and Watchlist: what a trader sees in the coin table and what each key does to it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.command import CommandPalette
from textual.strip import Strip
from textual.widgets import Input

from pumptui.api.models import BoardEntry, Coin
from pumptui.live.events import (
    BoardChanged,
    CoinsDelisted,
    CoinUpdated,
    NewCoin,
    SolPriceChanged,
)
from pumptui.sim.text import HOSTILE
from pumptui.tui.app import REDRAW_INTERVAL, REDRAW_SLACK, PumpApp
from pumptui.tui.glyphs import UNICODE
from pumptui.tui.screens.home import HomeScreen
from pumptui.tui.screens.watchlist import WatchlistScreen
from pumptui.tui.widgets import coin_table
from pumptui.tui.widgets.coin_table import SORT_ORDERS, CoinTable, LazyFacts, SortOrder
from pumptui.tui.widgets.followed_tape import EMPTY_HINT, FollowedTape
from tests.helpers.pilot import redraw, wait_for
from tests.tui.conftest import (
    FROZEN_NOW,
    GRADUATED_INDEX,
    LEADER_INDEX,
    SOL_USD,
    curve_coin,
    frozen_coins,
    frozen_store,
    make_mint,
    screen_text,
)

AppFactory = Callable[..., PumpApp]


def table_of(app: PumpApp) -> CoinTable:
    return app.screen.query_one(CoinTable)


def cell_text(table: CoinTable, mint: str, column: str) -> str:
    value = table.get_cell(mint, column)
    return value.plain if isinstance(value, Text) else str(value)


async def test_home_lists_newest_coins_first_with_their_market_data(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(150, 36)) as pilot:
        await pilot.pause()
        table = table_of(app)
        coins = frozen_coins()
        assert table.shown_mints == [c.mint for c in coins]  # built newest first
        newest = coins[0]
        assert cell_text(table, newest.mint, "age") == "7s"
        assert cell_text(table, newest.mint, "coin").startswith(newest.symbol)
        assert cell_text(table, newest.mint, "mc") == "28"
        assert cell_text(table, newest.mint, "usd") == "$5.24k"
        leader = coins[LEADER_INDEX]
        assert UNICODE.leader in cell_text(table, leader.mint, "marks")
        assert "95%" in cell_text(table, leader.mint, "curve")
        assert "100%" in cell_text(table, coins[GRADUATED_INDEX].mint, "curve")
        text = screen_text(app)
        assert "SOL $187.42" in text
        assert "stale" not in text.splitlines()[0]


async def test_the_summary_names_the_leader_not_a_king(make_app: AppFactory) -> None:
    """King of the Hill is gone from the API; the leader (highest market cap still on the curve)
    is what the summary line shows, with its own mark and word."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        first = screen_text(app).splitlines()[0].strip()
        leader = frozen_coins()[LEADER_INDEX]
        assert first.startswith(f"{UNICODE.leader} leader {leader.symbol} {leader.name}")
        assert "95%" in first
        assert "king" not in screen_text(app).lower()
        assert "♛" not in screen_text(app)


async def test_a_stale_sol_price_is_marked_where_it_is_shown(make_app: AppFactory) -> None:
    store = frozen_store()
    store.apply(SolPriceChanged(SOL_USD, stale=True))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "SOL $187.42 stale" in screen_text(app).splitlines()[0]


async def test_a_usdc_quoted_coin_is_listed_in_usd_never_in_sol(make_app: AppFactory) -> None:
    usdc = Coin.from_api(
        {
            "mint": make_mint("usdc-coin"),
            "name": "Dollar Dog",
            "symbol": "DDOG",
            "created_timestamp": (FROZEN_NOW - 1) * 1000,
            "market_cap": 4200.0,
            "usd_market_cap": 4200.0,
            "virtual_token_reserves": 900_000_000_000_000,
            "quote_mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
            "quote_decimals": 6,
        }
    )
    app = make_app(frozen_store(extra_coins=(usdc,)))
    async with app.run_test(size=(150, 36)) as pilot:
        await pilot.pause()
        table = table_of(app)
        assert cell_text(table, usdc.mint, "mc") == "—"
        assert cell_text(table, usdc.mint, "usd") == "$4.2k"


async def test_cursor_stays_on_its_coin_while_new_coins_arrive(make_app: AppFactory) -> None:
    store = frozen_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j")
        table = table_of(app)
        chosen = table.cursor_mint
        assert table.cursor_row == 3
        for n in range(2):
            store.apply(
                NewCoin(
                    curve_coin(100 + n, f"Fresh {n}", f"NEW{n}", 0.0, created_at=FROZEN_NOW - n)
                )
            )
        await redraw(pilot)
        assert table.shown_mints[0] == make_mint("coin-100")
        assert table.cursor_mint == chosen
        assert table.cursor_row == 5


async def test_rows_update_in_place_by_key(make_app: AppFactory) -> None:
    store = frozen_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        coin = frozen_coins()[4]
        rows_before = table.shown_mints
        updated = replace(coin, market_cap_sol=333.0, market_cap_usd=333.0 * SOL_USD)
        store.apply(CoinUpdated(updated))
        await redraw(pilot)
        assert table.shown_mints == rows_before
        assert cell_text(table, coin.mint, "usd") == "$62.4k"  # 333 SOL at $187.42
        assert cell_text(table, coin.mint, "holders") == "—"  # no board lists it yet


async def test_holders_top10_and_dev_come_from_the_trenches_board(make_app: AppFactory) -> None:
    store = frozen_store()
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = table_of(app)
        coin = frozen_coins()[4]
        # The socket pushes a board entry; the coin's own record does not change.
        entry = BoardEntry(coin.mint, holders=812, top10_percent=31.2, dev_percent=12.4)
        store.apply(BoardChanged("new", (entry,), version=7))
        await redraw(pilot)
        assert cell_text(table, coin.mint, "holders") == "812"
        assert cell_text(table, coin.mint, "top10") == "31"
        assert cell_text(table, coin.mint, "dev") == "12"
        store.apply(BoardChanged("new", (replace(entry, holders=1500),), version=8))
        await redraw(pilot)
        assert cell_text(table, coin.mint, "holders") == "1.5k"


async def test_s_cycles_the_sort_and_the_summary_names_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        table = table_of(app)
        caps = [table.get_cell(m, "usd") for m in table.shown_mints]
        by_cap = sorted(frozen_coins(), key=lambda c: c.market_cap_sol, reverse=True)
        assert table.shown_mints == [c.mint for c in by_cap]
        assert caps[0].plain == "$77k"  # 411 SOL at $187.42
        assert "sort market cap" in screen_text(app).splitlines()[0]
        for _ in range(len(SORT_ORDERS) - 1):  # every order, then back to the first
            await pilot.press("s")
        assert table.current_sort.label == "newest"


async def test_s_orders_the_coins_once_and_back_at_an_order_works_out_only_what_changed(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each figure an order works out, and each ordering, beside the screen's redraws.
    worked: list[str] = []

    def counted(order: SortOrder) -> SortOrder:
        def key(coin: Coin, facts: LazyFacts) -> float | None:
            worked.append(coin.mint)
            return order.key(coin, facts)

        return replace(order, key=key)

    orderings = redraws = 0
    order_coins, home_redraw = coin_table.order_coins, HomeScreen.redraw

    def ordering(*args: Any, **kwargs: Any) -> list[Coin]:
        nonlocal orderings
        orderings += 1
        return order_coins(*args, **kwargs)

    def redraw(screen: HomeScreen) -> None:
        nonlocal redraws
        redraws += 1
        home_redraw(screen)

    monkeypatch.setattr(coin_table, "SORT_ORDERS", tuple(counted(o) for o in SORT_ORDERS))
    monkeypatch.setattr(coin_table, "order_coins", ordering)
    monkeypatch.setattr(HomeScreen, "redraw", redraw)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        worked.clear()
        orderings = redraws = 0
        await pilot.press("s")  # market cap
        # One ordering per redraw of the screen (the table's own re-sort, then the screen's
        # redraw, ordered every coin twice).
        assert redraws >= 1
        assert orderings == redraws
        assert sorted(set(worked)) == sorted(c.mint for c in frozen_coins())
        for _ in range(len(SORT_ORDERS) - 1):
            await pilot.press("s")
        assert table_of(app).current_sort.label == "newest"
        worked.clear()
        await pilot.press("s")  # market cap again: no coin changed, none is worked out again
        assert table_of(app).current_sort.label == "market cap"
        assert worked == []


async def test_the_stores_next_redraw_waits_its_interval_after_a_sort_key(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The monotonic time of each redraw of the screen.
    redrawn: list[float] = []
    home_redraw = HomeScreen.redraw

    def redraw(screen: HomeScreen) -> None:
        redrawn.append(time.monotonic())
        home_redraw(screen)

    monkeypatch.setattr(HomeScreen, "redraw", redraw)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(REDRAW_INTERVAL)  # quiet: a redraw asked for now would come at once
        redrawn.clear()
        await pilot.press("s")
        # A trade lands just after the key: its redraw waits for the interval to pass since
        # the key's (which showed the store as it was), not between the key and its frame.
        app.schedule_redraw()
        await wait_for(pilot, lambda: len(redrawn) >= 2, "the store's redraw")
        assert redrawn[1] - redrawn[0] >= REDRAW_INTERVAL - REDRAW_SLACK


async def test_slash_filters_the_table_and_escape_clears_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"frog")
        await pilot.pause()
        table = table_of(app)
        assert table.shown_mints == [frozen_coins()[0].mint]  # Based Frog
        assert 'filter "frog"' in screen_text(app)
        await pilot.press("q")  # typed into the filter, not a quit
        assert app.is_running
        await pilot.press("backspace", "enter")
        assert table.has_focus
        assert table.filter_text == "frog"
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert table.filter_text == ""
        assert len(table.shown_mints) == len(frozen_coins())
        # What the screen says agrees with the table: no kept filter, an empty line to edit.
        assert "filter" not in screen_text(app)
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).value == ""


def table_rows_shown(app: PumpApp) -> list[str]:
    """The coin table's rows as the terminal shows them (cut to the table, not the tape)."""
    area = table_of(app).content_region
    rows = screen_text(app).splitlines()[area.y : area.bottom]
    return [Strip([Segment(row)]).crop(area.x, area.right).text for row in rows]


def table_row_shown(app: PumpApp, symbol: str) -> str:
    """The coin table's row for `symbol` as the terminal shows it."""
    return next(row for row in table_rows_shown(app) if f" {symbol} " in row)


async def test_w_watches_the_coin_and_the_watchlist_shows_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("j", "w")
        await pilot.pause()
        coin = frozen_coins()[1]
        mint = coin.mint
        assert app.services.is_watched(mint)
        assert UNICODE.watched in cell_text(table_of(app), mint, "marks")
        assert UNICODE.watched in table_row_shown(app, coin.symbol)
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistScreen)
        assert table_of(app).shown_mints == [mint]
        assert UNICODE.watched in table_row_shown(app, coin.symbol)
        await pilot.press("w")  # unwatch from the watchlist itself
        await pilot.pause()
        assert not app.services.is_watched(mint)
        assert table_of(app).shown_mints == []
        assert "Watch coins with w" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_watchlist_shows_a_watched_coin_before_its_data_arrives(make_app: AppFactory) -> None:
    unknown = make_mint("not-in-the-store")
    app = make_app(watched=(unknown,))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("W")
        await pilot.pause()
        assert table_of(app).shown_mints == [unknown]
        assert "loading…" in screen_text(app)


async def test_c_copies_the_mint_under_the_cursor(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("down", "c")
        await pilot.pause()
        assert app.clipboard == frozen_coins()[1].mint


async def test_o_over_ssh_copies_the_link_instead_of_starting_a_browser(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    monkeypatch.delenv("BROWSER", raising=False)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        mint = frozen_coins()[0].mint
        assert app.clipboard == f"https://pump.fun/coin/{mint}"
        assert opened == []


async def test_enter_opens_the_coin_and_escape_comes_back_to_the_same_row(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        mint = frozen_coins()[2].mint
        assert getattr(app.screen, "mint", None) == mint
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert table_of(app).cursor_mint == mint


async def test_vim_and_arrow_keys_move_the_cursor(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("j", "down", "j")
        assert table.cursor_row == 3
        await pilot.press("k", "up")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == len(frozen_coins()) - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("ctrl+d")
        assert table.cursor_row > 5
        await pilot.press("ctrl+u")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == len(frozen_coins()) - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_the_tape_shows_the_followed_coins_trades_and_says_so(
    make_app: AppFactory,
) -> None:
    """No site-wide tape exists in the 2026 API: the title says whose trades these are."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Trades · coins you follow" in screen_text(app)
        tape_lines = app.screen.query_one(FollowedTape).render().plain.splitlines()
        # The newest frozen trade: 2 s before "now" (15:06:40 UTC), a buy of 1.62 SOL of MCAT.
        assert tape_lines[0].split()[:4] == ["15:06:38", "▲", "1.62", "MCAT"]
        assert len(tape_lines) == 30


async def test_with_no_followed_trades_the_tape_says_how_to_get_some(
    make_app: AppFactory,
) -> None:
    from pumptui.live.store import MarketStore

    store = MarketStore()
    for coin in frozen_coins():
        store.apply(NewCoin(coin))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        tape = app.screen.query_one(FollowedTape)
        assert tape.render().plain == EMPTY_HINT
        area = tape.content_region
        rows = screen_text(app).splitlines()[area.y : area.bottom]
        shown = " ".join(Strip([Segment(row)]).crop(area.x, area.right).text for row in rows)
        assert EMPTY_HINT in " ".join(shown.split()), "the hint on the terminal, wrapped"


HOSTILE_COINS = tuple(
    Coin.from_api(
        {
            "mint": make_mint(f"hostile-{n}"),
            "name": text,
            "symbol": text[:12],
            "created_timestamp": (FROZEN_NOW - 1 - n) * 1000,
            "market_cap": 30.0,
        }
    )
    for n, text in enumerate(HOSTILE)
)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_hostile_coin_names_show_literally_without_breaking_the_layout(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(frozen_store(extra_coins=HOSTILE_COINS))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = table_of(app)
        # Symbol "[bold red]no" (cut to the column), as typed: markup is text, never styling.
        assert cell_text(table, HOSTILE_COINS[1].mint, "coin").startswith("[bold red]")

        def footer_drawn() -> bool:
            # The footer lists its keys once the bindings have settled, a refresh after the
            # table: the layout is checked on that frame, not on one drawn before it.
            return any(key in screen_text(app).splitlines()[-1] for key in ("Quit", "Filter"))

        await wait_for(pilot, footer_drawn, "the footer drawn on the last line")
        text = screen_text(app)
        assert "\x1b" not in text
        assert "\u202e" not in text
        lines = text.splitlines()
        assert len(lines) == size[1]
        assert {Text(line).cell_len for line in lines} == {size[0]}
        # Every row is still one line: the status bar and footer are where they belong.
        assert "read-only" in lines[-2]
        assert "Quit" in lines[-1] or "Filter" in lines[-1]


async def test_a_click_selects_a_row_and_a_second_click_opens_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = table_of(app)
        # Row 0 is the header; y=3 is the third coin.
        await pilot.click(CoinTable, offset=(12, 3))
        await pilot.pause()
        assert table.cursor_mint == frozen_coins()[2].mint
        assert isinstance(app.screen, HomeScreen)
        await pilot.click(CoinTable, offset=(12, 3))
        await pilot.pause()
        assert getattr(app.screen, "mint", None) == frozen_coins()[2].mint


async def test_keys_typed_at_once_after_slash_all_land_in_the_filter(make_app: AppFactory) -> None:
    # As a fast typist (or a paste) sends them: every key queued before the filter has opened.
    # None may reach the table's bindings ("w" would watch a coin, "l" like it on the server).
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, character in (("slash", "/"), *((c, c) for c in "wolf")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert table_of(app).filter_text == "wolf"
        assert app.services.watched() == []  # type: ignore[attr-defined]
        await pilot.press("slash")  # in the filter, `/` is text
        assert table_of(app).filter_text == "wolf/"


async def test_keys_typed_at_once_after_colon_never_reach_the_table(make_app: AppFactory) -> None:
    # ":" then "LAWS" typed as fast as a paste: the palette opens and the keys never act on the
    # coin under the cursor (L opens the login screen, w watches, l likes, s sorts).
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        for key, character in (("colon", ":"), *((c, c) for c in "LAws")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.services.watched() == []  # type: ignore[attr-defined]
        assert home.query_one(CoinTable).sort_index == 0  # not re-sorted by the "s"


async def test_after_a_re_sort_the_table_shows_the_top_of_the_new_order(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("G")  # the oldest coin, far down the newest-first order
        await pilot.pause()
        assert table.scroll_y > 0
        await pilot.press("s")  # market cap: that coin is not in the first screenful any more
        await pilot.pause()
        await pilot.pause()
        by_cap = sorted(frozen_coins(), key=lambda c: c.market_cap_sol, reverse=True)
        assert table.scroll_y == 0
        assert table.cursor_row == 0
        assert table.cursor_mint == by_cap[0].mint


async def test_after_a_re_sort_the_cursor_stays_on_its_coin_when_it_is_in_view(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        leader = frozen_coins()[LEADER_INDEX].mint
        await pilot.press(*["j"] * LEADER_INDEX)
        assert table.cursor_mint == leader
        await pilot.press("s")  # market cap: the leader is near the top
        await pilot.pause()
        assert table.cursor_mint == leader
        assert table.scroll_y == 0


async def test_capital_s_reverses_the_sort_and_the_summary_says_so(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("S")
        await pilot.pause()
        assert table.shown_mints == [c.mint for c in reversed(frozen_coins())]
        assert "sort oldest" in screen_text(app).splitlines()[0]
        assert table.scroll_y == 0
        assert table.cursor_row == 0
        await pilot.press("s", "S")  # market cap, smallest first
        await pilot.pause()
        by_cap = sorted(frozen_coins(), key=lambda c: c.market_cap_sol)
        assert table.shown_mints[0] == by_cap[0].mint
        assert "market cap, smallest first" in screen_text(app).splitlines()[0]


async def test_a_kept_filter_is_labelled_and_escape_on_the_table_clears_it(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"frog", "enter")
        await pilot.pause()
        table = table_of(app)
        assert table.has_focus
        assert table.filter_text == "frog"
        assert "filter: frog  esc clears" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert table.filter_text == ""
        assert len(table.shown_mints) == len(frozen_coins())
        assert "filter:" not in screen_text(app)
        assert isinstance(app.screen, HomeScreen)


async def test_escape_on_the_watchlist_clears_a_kept_filter_before_going_back(
    make_app: AppFactory,
) -> None:
    coins = frozen_coins()
    app = make_app(watched=(coins[0].mint, coins[1].mint))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("W")
        await pilot.pause()
        await pilot.press("slash", *"frog", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistScreen)
        assert table_of(app).filter_text == ""
        assert len(table_of(app).shown_mints) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_ranking_line_and_the_table_agree_on_the_leader_as_caps_move(
    make_app: AppFactory,
) -> None:
    # A coin overtakes the leader the service reported (a pushed reserve update, before the
    # leader feed polls again): the ranking line and the table's mark move to it together.
    store = frozen_store()
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        leader = frozen_coins()[LEADER_INDEX]
        challenger = frozen_coins()[13]
        richer = replace(challenger, market_cap_sol=leader.market_cap_sol * 2)
        store.apply(CoinUpdated(richer))
        await redraw(pilot)
        first = screen_text(app).splitlines()[0].strip()
        assert first.startswith(f"{UNICODE.leader} leader {challenger.symbol}")
        table = table_of(app)
        assert UNICODE.leader in cell_text(table, challenger.mint, "marks")
        assert UNICODE.leader not in cell_text(table, leader.mint, "marks")


async def test_a_moderated_coin_leaves_home_and_is_marked_on_the_watchlist(
    make_app: AppFactory,
) -> None:
    coins = frozen_coins()
    hidden, banned = coins[3], coins[4]
    store = frozen_store()
    app = make_app(store, watched=(hidden.mint, banned.mint))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = table_of(app)
        assert hidden.mint in table.shown_mints
        # The next read of the listing leaves one out; the next read of the other says banned.
        store.apply(CoinsDelisted((hidden.mint,)))
        store.apply(CoinUpdated(replace(banned, is_banned=True)))
        await redraw(pilot)
        assert hidden.mint not in table.shown_mints
        assert banned.mint not in table.shown_mints
        home_rows = "\n".join(table_rows_shown(app))
        assert f" {hidden.symbol} " not in home_rows
        assert f" {banned.symbol} " not in home_rows
        assert f" {coins[5].symbol} " in home_rows, "the others are still there"
        await pilot.press("W")
        await pilot.pause()
        watched = table_of(app)
        assert set(watched.shown_mints) == {hidden.mint, banned.mint}
        for coin in (hidden, banned):
            assert UNICODE.delisted in cell_text(watched, coin.mint, "marks")
            assert UNICODE.delisted in table_row_shown(app, coin.symbol)
        assert "no longer listed (hidden or banned)" in screen_text(app).splitlines()[0]
