"""The tape tells you who: DEV, top-holder rank, SNIPER, BUNDLER and WHALE on each trade, in words
(no colour needed), its USD value beside its SOL, filters by label and by one trader, and keys to
copy a trader or open them or a transaction on the block explorer.

On frozen data: the coin of `test_coin_screen` (two hours of seeded trades, its top holders),
plus a few trades by its creator and by its top holders.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from pumptui.api.models import Trade
from pumptui.config import Settings, UiSettings
from pumptui.live.events import NewTrade
from pumptui.live.store import MarketStore
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.trade_labels import LabelFilter, TradeLabels
from pumptui.tui.widgets.trade_tape import TradeTape, usd_cell
from tests.helpers.pilot import wait_for
from tests.tui.conftest import screen_text
from tests.tui.test_coin_live import live_app
from tests.tui.test_coin_live import open_coin as open_live_coin
from tests.tui.test_coin_screen import (
    CREATOR,
    MINT,
    NOW,
    build_store,
    coin_screen,
    make_app,
    make_trade,
    open_coin,
    strip_text,
)

SOL_USD = 241.5  # the SOL price build_store sets
NARROW = (80, 24)


def add_trade(store: MarketStore, n: int, *, user: str, sol: float, is_buy: bool = True) -> Trade:
    """A trade `n` seconds before the newest moment, after every seeded trade."""
    price = store.trades(MINT)[0].price_sol
    trade = make_trade(
        random.Random(n),
        price,
        NOW - 3 + n / 10,
        400_000_000 + n,
        is_buy=is_buy,
        sol=sol,
        user=user,
    )
    store.apply(NewTrade(trade))
    return trade


@pytest.fixture
def store() -> MarketStore:
    """The coin with, newest last: its creator buying then selling, its largest holder buying 7.5
    SOL (a whale), its third holder (a sniper) buying 0.3."""
    store = build_store()
    top = store.holders(MINT).top  # type: ignore[union-attr]
    add_trade(store, 1, user=CREATOR, sol=2.0)
    add_trade(store, 2, user=CREATOR, sol=0.9, is_buy=False)
    add_trade(store, 3, user=top[0].address, sol=7.5)
    add_trade(store, 4, user=top[2].address, sol=0.3)
    return store


def lines(tape: TradeTape) -> list[str]:
    return [strip_text(tape.render_line(y)) for y in range(tape.size.height)]


async def test_each_trade_says_who_made_it_in_words_and_its_usd_value(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        sniper, whale, dev_sell, dev_buy = tape.rows[:4]
        assert tape.labels(dev_buy) == TradeLabels(dev=True)
        assert tape.labels(dev_sell) == TradeLabels(dev=True)
        assert tape.labels(whale) == TradeLabels(rank=1, whale=True)
        assert tape.labels(sniper) == TradeLabels(rank=3, sniper=True)
        assert not any(tape.labels(t) != TradeLabels() for t in tape.rows[4:40])
        # What the terminal shows: words, within the tape's width (80 columns: about 40 cells).
        shown = lines(tape)
        assert all(len(line) <= tape.size.width for line in shown)
        assert "#3 SNP" in shown[0] or "#3 SNIPER" in shown[0]
        assert "#1 WHL" in shown[1] or "#1 WHALE" in shown[1]
        assert "DEV" in shown[2]
        assert "DEV" in shown[3]
        # USD beside SOL: the trade's SOL times the app's SOL price.
        assert f" {usd_cell(7.5 * SOL_USD)} " in shown[1]
        assert "$1.81k" in shown[1]


async def test_the_whale_size_is_configurable(store: MarketStore) -> None:
    app = make_app(store, Settings(ui=UiSettings(whale_sol=0.9)))
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        assert [t.sol for t in tape.rows if tape.labels(t).whale] == [
            t.sol for t in tape.rows if t.sol >= 0.9
        ]
        assert tape.labels(tape.rows[2]).whale, "0.9 SOL: at the size, a whale"
        assert not tape.labels(tape.rows[0]).whale, "0.3 SOL"


async def test_filters_by_label_then_by_one_trader_and_back(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        tape = screen.tape
        everything = len(tape.rows)
        tape.focus()
        await pilot.press("F")
        assert tape.label_filter is LabelFilter.DEV
        assert [t.user for t in tape.rows] == [CREATOR, CREATOR]
        assert "dev only" in (tape.border_title or "")
        await pilot.press("F")
        assert tape.label_filter is LabelFilter.WHALE
        assert [t.sol for t in tape.rows] == [t.sol for t in store.trades(MINT) if t.sol >= 5]
        await pilot.press("F", "F", "F")
        assert tape.label_filter is LabelFilter.BUNDLER
        assert tape.rows == []
        assert "No trades by bundlers" in strip_text(tape.render_line(0))
        await pilot.press("F")
        assert tape.label_filter is LabelFilter.ALL
        assert len(tape.rows) == everything
        # One trader: the one under the cursor (the whale, second row), all of their trades.
        await pilot.press("j", "enter")
        whale = store.holders(MINT).top[0].address  # type: ignore[union-attr]
        assert tape.trader == whale
        assert tape.rows == store.trader_trades(MINT, whale)
        assert tape.rows
        assert all(t.user == whale for t in tape.rows)
        assert (tape.border_title or "").startswith("Trades of ")
        await pilot.press("enter")
        assert tape.trader is None
        assert len(tape.rows) == everything


async def test_keys_copy_the_trader_and_open_them_or_the_transaction_on_the_explorer(
    store: MarketStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over SSH no browser can open: the link is copied instead, so the test reads it there.
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    settings = Settings(ui=UiSettings(explorer_tx_url="https://explorer.solana.com/tx/{signature}"))
    app = make_app(store, settings)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        tape.focus()
        await pilot.press("j", "j")
        dev_sell = tape.selected
        assert dev_sell is not None
        assert dev_sell.user == CREATOR
        await pilot.press("y")
        assert app.clipboard == CREATOR
        await pilot.press("e")
        assert app.clipboard == f"https://solscan.io/account/{CREATOR}"
        await pilot.press("x")
        assert app.clipboard == f"https://explorer.solana.com/tx/{dev_sell.signature}"


async def test_the_cursor_follows_the_newest_trade_until_moved_down(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        tape = screen.tape
        tape.focus()
        newest = add_trade(store, 5, user=CREATOR, sol=0.1)
        screen.sync_from_store()
        assert tape.selected == newest
        assert tape.following
        await pilot.press("j")
        held = tape.selected
        add_trade(store, 6, user=CREATOR, sol=0.1)
        screen.sync_from_store()
        assert tape.selected == held, "moved down, the cursor stays on its trade"
        assert tape.cursor == 2
        await pilot.press("g")
        newer = add_trade(store, 7, user=CREATOR, sol=0.1)
        screen.sync_from_store()
        assert tape.selected == newer
        assert tape.following


async def test_the_header_badge_says_how_much_of_their_buy_the_dev_sold(
    store: MarketStore,
) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        tally = store.creator_tally(MINT)
        assert tally is not None
        assert tally.sells == 1
        expected = round(tally.sold / tally.bought * 100)
        await wait_for(
            pilot,
            lambda: f"dev sold {expected}%" in screen.header.render().plain,
            "the dev-sold badge",
        )
        wide = screen.header.header_text(118).plain
        assert f"dev sold {expected}% of their buy" in wide


async def test_a_coin_whose_creator_never_sold_has_no_badge() -> None:
    app: PumpApp = make_app(build_store())
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        assert "dev sold" not in coin_screen(app).header.header_text(118).plain


# -- the words, at every width ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "text"),
    [
        (40, "DEV #2 SNIPER BUNDLER WHALE"),
        (20, "DEV #2 SNP BND WHL"),
        (10, "DEV #2 SNP"),
        (3, "DEV"),
        (2, ""),
    ],
)
def test_labels_shorten_then_keep_the_first_that_fit(cells: int, text: str) -> None:
    labels = TradeLabels(dev=True, rank=2, sniper=True, bundler=True, whale=True)
    assert labels.text(cells) == text


def test_the_label_filter_cycles_through_every_label_and_back_to_all() -> None:
    seen = [LabelFilter.ALL]
    while (following := seen[-1].next()) is not LabelFilter.ALL:
        seen.append(following)
    assert [f.value for f in seen] == [
        "all",
        "dev",
        "whales",
        "top holders",
        "snipers",
        "bundlers",
    ]
    assert LabelFilter.ALL.next(-1) is LabelFilter.BUNDLER


# -- on the simulator, through the live engine ---------------------------------------------------


async def test_on_the_simulator_the_creators_trades_say_dev_and_their_sell_shows_in_the_header(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0)
    creator = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
    mint = sim.create_coin(name="Rug Soon", symbol="RUG", creator=creator)
    dev_buy = sim.buy(mint, creator, sol=2.0)
    for n in range(3):  # others buying (the market itself is still: no trade of its own)
        sim.buy(mint, sim.user_address if n == 0 else f"{n}" * 32, sol=0.5)
    app = live_app(sim)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_live_coin(pilot, mint)
        tape = screen.tape
        await wait_for(
            pilot, lambda: any(t.signature == dev_buy for t in tape.rows), "the dev's buy"
        )
        row = next(i for i, t in enumerate(tape.rows) if t.signature == dev_buy)
        assert tape.labels(tape.rows[row]).dev
        assert "DEV" in strip_text(tape.render_line(row - round(tape.scroll_y)))
        assert not any(tape.labels(t).dev for t in tape.rows if t.user != creator)
        assert "dev sold" not in screen.header.header_text(118).plain

        dev_sell = sim.sell(mint, creator, fraction=0.4)
        await wait_for(
            pilot,
            lambda: "dev sold 40% of their buy" in screen.header.header_text(118).plain,
            "the dev-sold badge",
        )
        assert "dev sold 40%" in screen_text(app), "on screen at 80 columns"
        assert tape.labels(next(t for t in tape.rows if t.signature == dev_sell)).dev


async def test_the_badge_counts_a_dev_buy_older_than_the_tape_from_the_creators_own_trades(
    sim_factory: Callable[..., SimServer],
) -> None:
    """Opening a coin reads its newest page of trades only; the creator's launch buy, further
    back, comes from a read of the creator's trades in the coin (`userAddress`)."""
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0)
    creator = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
    mint = sim.create_coin(name="Slow Rug", symbol="SLOW", creator=creator)
    dev_buy = sim.buy(mint, creator, sol=2.0)
    for _ in range(120):
        sim.buy(mint, sim.user_address, sol=0.02)
    sim.sell(mint, creator, fraction=0.5)
    app = live_app(sim)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_live_coin(pilot, mint)
        await wait_for(
            pilot,
            lambda: "dev sold 50% of their buy" in screen.header.header_text(118).plain,
            "the badge, with the buy the tape never had",
        )
        assert not app.services.store.has_trade(mint, dev_buy), "older than the tape"
