"""Home and Watchlist as a screener: activity columns that fit 80x24, a sort by any column both
ways, a filter line that reads words, expressions (with the error pointed at) and presets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from pumptui.api.models import ActivityWindow, BoardEntry, Coin, MarketActivity
from pumptui.config import DEFAULT_PRESETS, Settings
from pumptui.live.events import ActivityChanged, BoardChanged, NewCoin
from pumptui.live.store import MarketStore
from pumptui.rules import ExprError
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.coin_filter import read_filter
from pumptui.tui.screens.sort_picker import SortPicker
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.coin_table import (
    COLUMNS,
    DROP_ORDER,
    SORT_ORDERS,
    CoinTable,
    RowContext,
    columns_for,
    filter_coins,
    format_change,
    order_coins,
)
from tests.helpers.pilot import redraw, wait_for
from tests.tui.conftest import (
    FROZEN_NOW,
    SOL_USD,
    curve_coin,
    frozen_coins,
    frozen_store,
    screen_text,
)

AppFactory = Callable[..., PumpApp]
READ_AT = FROZEN_NOW - 20


def activity(
    mint: str, vol_5m: float, change_5m: float, change_1h: float = 0.0, buyers_5m: int = 10
) -> ActivityChanged:
    windows = {
        "5m": ActivityWindow(
            num_txs=30, volume_usd=vol_5m, num_buyers=buyers_5m, price_change_percent=change_5m
        ),
        "1h": ActivityWindow(num_txs=300, volume_usd=vol_5m * 8, price_change_percent=change_1h),
    }
    return ActivityChanged(mint, MarketActivity(mint, windows), read_at=READ_AT)


def screener_store() -> tuple[MarketStore, list[Coin]]:
    """The frozen market, four coins of which have 5 m figures (volume, change)."""
    store = frozen_store()
    coins = frozen_coins()
    for index, vol, change in ((1, 12_000, 35.0), (3, 800, 80.0), (5, 25_000, -12.0)):
        store.apply(activity(coins[index].mint, vol, change))
    store.apply(activity(coins[9].mint, 15_000, 5.0, buyers_5m=40))
    return store, coins


def table_of(app: PumpApp) -> CoinTable:
    return app.screen.query_one(CoinTable)


def cell(table: CoinTable, mint: str, column: str) -> str:
    value = table.get_cell(mint, column)
    return value.plain if isinstance(value, Text) else str(value)


def app_with_presets(store: MarketStore, presets: dict[str, str]) -> PumpApp:
    from pumptui.config import ScreenerSettings

    return PumpApp(
        AppServices(
            Settings(screener=ScreenerSettings(presets)),
            store=store,
            watchlist=MemoryWatchlist(),
            clock=lambda: FROZEN_NOW,
        )
    )


# -- columns ------------------------------------------------------------------------------------


def test_at_80_columns_the_table_shows_the_screener_figures_and_drops_the_least_useful() -> None:
    layout = columns_for(79)  # 80 cells less the scrollbar
    assert layout.keys == (
        "age",
        "marks",
        "coin",
        "usd",
        "curve",
        "vol",
        "chg5m",
        "chg1h",
        "holders",
        "top10",
        "dev",
    )
    assert not layout.curve_bar
    assert columns_for(200).keys == tuple(c.key for c in COLUMNS)


def test_a_narrower_table_only_ever_drops_columns_in_the_stated_order() -> None:
    previous = columns_for(1000)
    for width in range(1000, 20, -1):
        layout = columns_for(width)
        assert layout.width <= width or layout.keys == ("age", "marks", "coin")
        dropped = set(previous.keys) - set(layout.keys)
        assert all(key in DROP_ORDER for key in dropped)
        previous = layout


def test_a_price_change_fits_five_cells() -> None:
    assert [format_change(v) for v in (12.4, -7.0, 0.2, 999.0, 12_345.0, -100.0, 2e6)] == [
        "+12%",
        "-7%",
        "0%",
        "+999%",
        "+12k%",
        "-100%",
        ">99k%",
    ]


async def test_the_rows_show_volume_and_change_and_every_row_fits_80_columns(
    make_app: AppFactory,
) -> None:
    store, coins = screener_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        assert cell(table, coins[5].mint, "vol") == "$25k"
        assert cell(table, coins[5].mint, "chg5m") == "-12%"
        assert cell(table, coins[1].mint, "chg5m") == "+35%"
        assert cell(table, coins[0].mint, "vol") == "—"  # not read yet
        lines = screen_text(app).splitlines()
        header = lines[1]
        for label in ("Age", "Coin", "MC $", "Curve", "Vol 5m", "5m%", "1h%", "Hold", "T10", "Dev"):
            assert label in header
        assert all(len(line) <= 80 for line in lines)
        # The summary says how old the 5 m / 1 h figures on screen are.
        assert "5m/1h 20s" in lines[0]


# -- sorting ------------------------------------------------------------------------------------


async def test_any_column_sorts_both_ways_from_the_picker_with_unknown_figures_last(
    make_app: AppFactory,
) -> None:
    store, coins = screener_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        # `s` still steps through the orders and `S` reverses.
        await pilot.press("s")
        assert table.current_sort.label == "market cap"
        await pilot.press("S")
        assert table.sort_label == "market cap, smallest first"
        await pilot.press("s", "g", "j")  # curve progress; the second row
        chosen = table.cursor_mint
        await pilot.press("O", "down", "down", "enter")  # last trade: still in the first screenful
        await pilot.pause()
        assert table.current_sort.label == "last trade"
        assert table.cursor_mint == chosen  # the cursor stays on its coin
        labels = [o.label for o in SORT_ORDERS]
        await pilot.press("O", "home")
        assert isinstance(app.screen, SortPicker)
        await pilot.press(*["down"] * labels.index("volume 5m"), "enter")
        await pilot.pause()
        by_volume = [coins[i].mint for i in (5, 9, 1, 3)]
        assert table.shown_mints[:4] == by_volume
        assert "sort volume 5m" in screen_text(app).splitlines()[0]
        await pilot.press("O", "enter")  # the same order again: reversed
        await pilot.pause()
        assert table.shown_mints[:4] == by_volume[::-1]
        assert "volume 5m, least first" in screen_text(app).splitlines()[0]
        # The coins never read stay below, newest first, whichever way.
        assert table.shown_mints[4] == coins[0].mint


async def test_a_click_on_a_header_sorts_by_its_column_and_a_second_reverses(
    make_app: AppFactory,
) -> None:
    store, coins = screener_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        layout = table.column_layout
        index = layout.keys.index("chg5m")
        x = sum(c.width + 2 for c in layout.columns[:index]) + 2
        await pilot.click(CoinTable, offset=(x, 0))
        await pilot.pause()
        assert table.current_sort.label == "change 5m"
        assert table.shown_mints[:4] == [coins[i].mint for i in (3, 1, 9, 5)]
        await pilot.click(CoinTable, offset=(x, 0))
        await pilot.pause()
        assert table.sort_reversed
        assert table.shown_mints[0] == coins[5].mint


# -- filtering ----------------------------------------------------------------------------------


async def test_an_expression_filters_and_sorts_live_rows_as_coins_arrive(
    make_app: AppFactory,
) -> None:
    store, coins = screener_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("slash", *"vol 5m >= 10k and change 5m > 0%", "enter")
        await pilot.pause()
        assert table.shown_mints == [coins[1].mint, coins[9].mint]  # newest first
        assert "filter: vol 5m >= 10k and change 5m > 0%  esc clears" in screen_text(app)
        table.sort_by("volume 5m")
        await pilot.pause()
        assert table.shown_mints == [coins[9].mint, coins[1].mint]
        # A launch that matches takes its place by volume the moment its figures are read.
        fresh = curve_coin(200, "Rocket Frog", "RFROG", 0.4, created_at=FROZEN_NOW - 2)
        store.apply(NewCoin(fresh))
        await redraw(pilot)
        assert fresh.mint not in table.shown_mints  # no figures yet: not known to match
        store.apply(activity(fresh.mint, 13_000, 3.0))
        await redraw(pilot)
        assert table.shown_mints == [coins[9].mint, fresh.mint, coins[1].mint]
        # A row whose figures stop matching leaves.
        store.apply(activity(coins[9].mint, 15_000, -4.0))
        await redraw(pilot)
        assert table.shown_mints == [fresh.mint, coins[1].mint]


async def test_a_bad_expression_shows_a_caret_under_the_token_and_keeps_the_filter(
    make_app: AppFactory,
) -> None:
    store, coins = screener_store()
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("slash", *"vol 5m >= 10k", "enter")
        await pilot.pause()
        kept = table.shown_mints
        assert kept == [coins[1].mint, coins[5].mint, coins[9].mint]
        # `/` selects the filter (typing replaces it); `end` goes on from it.
        await pilot.press("slash", "end", *" and agee < 10m")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        typed = next(i for i, line in enumerate(lines) if "and agee < 10m" in line)
        carets = lines[typed + 1]
        assert carets.index("^^^^") == lines[typed].index("agee")
        assert "unknown field 'agee'" in carets
        assert "did you mean age" in carets
        assert table.shown_mints == kept  # the previous filter stays
        await pilot.press("enter")  # refused: the line stays open with its error
        await pilot.pause()
        assert not table.has_focus
        await pilot.press(*["backspace"] * len("agee < 10m"), *"age < 10m", "enter")
        await pilot.pause()
        assert table.has_focus
        assert "unknown field" not in screen_text(app)
        assert table.filter_text == "vol 5m >= 10k and age < 10m"


# -- presets ------------------------------------------------------------------------------------


async def test_a_preset_is_typed_as_at_name_or_stepped_through_with_p_and_tab() -> None:
    store, coins = screener_store()
    presets = {"movers": "change 5m > 30%", "whales-in": "vol 5m >= 20k and buyers 5m <= 25"}
    app = app_with_presets(store, presets)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = table_of(app)
        await pilot.press("slash", *"@wh", "enter")  # a unique start of the name is enough
        await pilot.pause()
        assert table.shown_mints == [coins[5].mint]
        text = screen_text(app)
        assert "filter @whales-in" in text.splitlines()[0]
        assert "filter: @whales-in = vol 5m >= 20k and buyers 5m <= 25" in text
        await pilot.press("P")  # the next preset, wrapping round
        await pilot.pause()
        assert table.filter_text == "@movers"
        assert table.shown_mints == [coins[1].mint, coins[3].mint]
        await pilot.press("slash", "tab")  # in the filter line, tab puts in the next one
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "@whales-in"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert table.shown_mints == [coins[5].mint]


def test_words_stay_a_name_search_and_text_meant_as_an_expression_must_read() -> None:
    assert read_filter("pepe").needle == "pepe"
    assert read_filter("dog wif").needle == "dog wif"
    assert read_filter("dev").needle == "dev"  # a field's name alone: a coin could be called so
    assert read_filter("mc > 20k").expr is not None
    for broken in ("mc > 20k and (", "mc 20k", "age < 10k", "agee < 10m"):
        with pytest.raises(ExprError):
            read_filter(broken)


def test_an_unknown_preset_is_an_error_naming_the_presets() -> None:
    with pytest.raises(ExprError) as caught:
        read_filter("@nope", DEFAULT_PRESETS)
    assert "no preset @nope" in caught.value.message
    assert "@about-to-graduate" in caught.value.message
    assert (caught.value.position, caught.value.length) == (0, 5)
    assert read_filter("@wh", DEFAULT_PRESETS).preset == "whales-in"


def test_the_built_in_presets_pick_the_coins_they_promise() -> None:
    store = frozen_store()
    coins = frozen_coins()
    leader = coins[2]  # 95 % along the curve
    store.apply(activity(leader.mint, 4_000, 2.0))
    young = coins[0]
    entry = BoardEntry(young.mint, holders=40, top10_percent=22.0, dev_percent=1.5)
    store.apply(BoardChanged("new", (entry,)))
    whale = coins[4]  # 51 % along: not about to graduate
    store.apply(activity(whale.mint, 30_000, 8.0, buyers_5m=12))
    context = RowContext(
        now=FROZEN_NOW,
        sol_usd=SOL_USD,
        board=store.board_entry,
        activity=store.market_activity,
        trend=store.price_history,
    )

    def picked(name: str) -> list[str]:
        preset = read_filter(f"@{name}", DEFAULT_PRESETS)
        return [c.mint for c in filter_coins(coins, context, preset)]

    assert picked("about-to-graduate") == [leader.mint]
    assert picked("fresh-and-clean") == [young.mint]
    assert picked("whales-in") == [whale.mint]


# -- the rule, against plain Python -------------------------------------------------------------


figures = st.lists(
    st.tuples(
        st.floats(0, 50_000, allow_nan=False),
        st.one_of(st.none(), st.floats(-100, 500, allow_nan=False)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(figures, st.integers(0, 40_000), st.integers(-50, 100), st.booleans())
def test_filter_and_sort_agree_with_the_same_rule_in_plain_python(
    rows: list[tuple[float, float | None]], volume: int, change: int, reverse: bool
) -> None:
    coins = [
        curve_coin(300 + n, f"Coin {n}", f"C{n}", 0.3, created_at=FROZEN_NOW - 100 - n)
        for n in range(len(rows))
    ]
    windows = {
        coin.mint: MarketActivity(
            coin.mint, {"5m": ActivityWindow(volume_usd=vol, price_change_percent=chg)}
        )
        for coin, (vol, chg) in zip(coins, rows, strict=True)
    }
    context = RowContext(now=FROZEN_NOW, activity=windows.get)
    rule = read_filter(f"vol 5m >= {volume} and change 5m > {change}%")
    by_volume = next(o for o in SORT_ORDERS if o.label == "volume 5m")

    shown = filter_coins(order_coins(coins, context, by_volume, reversed_=reverse), context, rule)

    def volume_of(coin: Coin) -> float:
        return windows[coin.mint].windows["5m"].volume_usd

    kept = [
        coin
        for coin, (vol, chg) in zip(coins, rows, strict=True)
        if vol >= volume and chg is not None and chg > change
    ]
    expected = sorted(
        kept, key=lambda c: (volume_of(c), c.created_at or 0.0, c.mint), reverse=not reverse
    )
    assert [c.mint for c in shown] == [c.mint for c in expected]


# -- what it looks like -------------------------------------------------------------------------


def lively_store() -> MarketStore:
    """The frozen market with figures for most coins: volumes, changes, holder figures."""
    store = frozen_store()
    coins = frozen_coins()
    entries = []
    for index, coin in enumerate(coins[:14]):
        if index % 4 != 3:
            store.apply(
                activity(
                    coin.mint,
                    vol_5m=500.0 + (index * 3917) % 30_000,
                    change_5m=((index * 37) % 120) - 40.0,
                    change_1h=((index * 53) % 300) - 60.0,
                )
            )
        entries.append(
            BoardEntry(
                coin.mint,
                holders=20 + (index * 47) % 400,
                top10_percent=15.0 + (index * 11) % 50,
                dev_percent=(index * 3) % 14,
            )
        )
    store.apply(BoardChanged("new", tuple(entries)))
    return store


def test_snapshot_of_the_screener_sorted_by_change_with_a_filter_error(
    snap_compare: Callable[..., bool], make_app: AppFactory
) -> None:
    labels = [o.label for o in SORT_ORDERS]
    keys = ["O", *["down"] * labels.index("change 5m"), "enter"]
    keys += ["slash", *"vol 5m >= 1k and agee < 5m"]
    assert snap_compare(make_app(lively_store()), press=keys, terminal_size=(80, 24))


# -- on the simulator ---------------------------------------------------------------------------


async def test_home_on_the_simulator_reads_the_rows_figures_and_says_how_old(
    sim: SimServer,
) -> None:
    from tests.tui.test_app import sim_services

    app = PumpApp(sim_services(sim))
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        await wait_for(pilot, lambda: table.row_count > 0, "the first coins")

        def volumes() -> list[str]:
            return [cell(table, mint, "vol") for mint in table.visible_mints]

        # The simulator's coins trade: the rows on screen get their 5 m volume from the batch.
        await wait_for(pilot, lambda: any(v.startswith("$") for v in volumes()), "volumes")
        await wait_for(pilot, lambda: "5m/1h" in screen_text(app).splitlines()[0], "their age")
        read = [app.services.store.market_activity_read_at(m) for m in table.visible_mints]
        assert all(read)
        engine = app.services.engine
        assert engine is not None
        feed = engine.feeds["screener"]  # type: ignore[attr-defined]
        assert set(table.visible_mints) <= set(feed.visible)
