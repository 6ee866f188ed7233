"""The Coin screen as a trader uses it: keys, live updates, hostile text, and how it looks.

The screen runs in the real app shell over a market store filled with fixed data (two hours of
one coin's trading from a seeded generator) and a frozen clock, so every run, and every snapshot,
is the same to the cell.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.strip import Strip

from pumptui.api.models import Coin, HolderStats, MarketActivity, Reply, TopHolder, Trade
from pumptui.config import Settings, UiSettings
from pumptui.live.events import (
    ActivityChanged,
    FeedHealthChanged,
    HoldersChanged,
    LeaderChanged,
    NewCoin,
    NewReply,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.store import MarketStore
from pumptui.tui.app import PumpApp
from pumptui.tui.format import age
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.candle_chart import CandleChart
from pumptui.tui.widgets.reply_thread import INDENT, ReplyThread
from pumptui.tui.widgets.trade_tape import TradeTape
from tests.tui.conftest import FROZEN_NOW, screen_text

NOW = FROZEN_NOW
MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def address(rng: random.Random, length: int = 44) -> str:
    return "".join(rng.choice(BASE58) for _ in range(length))


def make_trade(rng: random.Random, price: float, when: float, slot: int, *, is_buy: bool,
               sol: float, user: str, username: str | None = None) -> Trade:
    return Trade(signature=address(rng, 88), mint=MINT, is_buy=is_buy, lamports=int(sol * 1e9),
                 raw_tokens=int(sol / price * 1e6), timestamp=when, slot=slot, tx_index=0,
                 user=user, username=username)


def build_store(name: str = "Doge of Wall St", symbol: str = "WSDOGE",
                reply_texts: tuple[str, ...] | None = None) -> MarketStore:
    """Two hours of one coin's trading (seeded), a dozen replies, holder figures and market
    activity, feeds live; the coin is the leader."""
    rng = random.Random(7)
    store = MarketStore()
    coin = Coin.from_api({
        "mint": MINT, "name": name, "symbol": symbol, "creator": address(rng),
        "username": "degen_dev", "created_timestamp": (NOW - 9000) * 1000,
        "virtual_sol_reserves": 60_000_000_000, "virtual_token_reserves": 536_500_000_000_000,
        "real_sol_reserves": 30_000_000_000, "real_token_reserves": 400_000_000_000_000,
        "market_cap": 111.8, "usd_market_cap": 27_000.0, "ath_market_cap": 41_300.0,
        "reply_count": 57, "twitter": "https://x.com/wsdoge", "telegram": "t.me/wsdoge",
        "website": "https://wsdoge.fun",
    })
    store.apply(NewCoin(coin))
    store.apply(LeaderChanged(coin))
    store.apply(SolPriceChanged(241.5))
    traders = [(address(rng), rng.choice([None, None, "whale_hunter", "ape_lord", "sniper"]))
               for _ in range(30)]
    price, when, slot = 2.8e-8, NOW - 7200, 300_000_000
    while (when := when + rng.expovariate(1 / 12)) < NOW - 3:
        is_buy = rng.random() < 0.55
        sol = round(rng.lognormvariate(-1, 1.1), 3) + 0.001
        price *= 1 + (0.004 if is_buy else -0.004) * sol * rng.random()
        user, username = rng.choice(traders)
        slot += 1
        store.apply(NewTrade(make_trade(rng, price, when, slot, is_buy=is_buy, sol=sol,
                                        user=user, username=username)))
    texts = reply_texts or (
        "to the moon 🚀🚀🚀",
        "dev is based, LP burned, cto when",
        "who else is holding since 10k mcap? this is going to be the next big thing " * 3,
        "ＷＩＤＥ ｃｈａｒｓ 全角文字テスト",
    )
    for index in range(12):
        store.apply(NewReply(Reply.from_api({
            "id": 1000 + index, "mint": MINT, "text": texts[index % len(texts)],
            "user": address(rng), "username": rng.choice([None, "anon", "moon_boi"]),
            "timestamp": (NOW - 600 * (12 - index)) * 1000, "total_likes": index % 4,
            "is_buy": (index % 3 == 0) if index % 2 else None,
            "sol_amount": int(1.2e9 * (index + 1)) if index % 2 else None,
        })))
    store.apply(holders_read(rng))
    store.apply(ActivityChanged(MINT, MarketActivity.from_api(ACTIVITY, MINT), read_at=NOW - 90))
    for feed in ("trades", "holders", "activity", "replies"):
        store.apply(FeedHealthChanged(FeedHealth(feed, FeedState.LIVE, since=NOW - 60,
                                                 last_good_at=NOW - 2)))
    return store


# What `GET swap /v1/coins/{mint}/market-activity` answers (reference §3.4).
ACTIVITY = {
    "5m": {"numTxs": 34, "volumeUSD": 1234.5, "numUsers": 20, "numBuys": 20, "numSells": 14,
           "buyVolumeUSD": 800.0, "sellVolumeUSD": 434.5, "numBuyers": 12, "numSellers": 9,
           "priceChangePercent": 3.14},
    "1h": {"numTxs": 120, "volumeUSD": 4510.0, "numUsers": 60, "numBuys": 70, "numSells": 50,
           "buyVolumeUSD": 3000.0, "sellVolumeUSD": 1510.0, "numBuyers": 40, "numSellers": 30,
           "priceChangePercent": -2.5},
    "6h": None,
    "24h": {"numTxs": 900, "volumeUSD": 61000.0, "numUsers": 300, "numBuys": 500,
            "numSells": 400, "buyVolumeUSD": 35000.0, "sellVolumeUSD": 26000.0,
            "numBuyers": 200, "numSellers": 150, "priceChangePercent": 41.0},
}


def holders_read(rng: random.Random, read_at: float = NOW - 40) -> HoldersChanged:
    """What `holder-stats` and `top-holders-v2` answer, as the holders feed publishes it."""
    stats = HolderStats.from_api({
        "mint": MINT, "totalHolders": 812, "top10HoldersPercent": 31.2,
        "devHoldingsPercent": 4.2, "snipersHoldingsPercent": 6.0,
        "bundlersHoldingsPercent": 2.0, "totalFeesSol": 1.5, "asOf": None,
    }, MINT)
    top = tuple(TopHolder.from_api({
        "address": address(rng), "amount": amount, "isDev": n == 1, "isSniper": n == 2,
        "isBundler": n == 3, "enteredAt": None,
    }) for n, amount in enumerate((206_900_000, 41_200_000, 30_000_000, 12_500_000, 9_000_000)))
    return HoldersChanged(MINT, stats, top, read_at)


def make_app(store: MarketStore, settings: Settings | None = None) -> PumpApp:
    """The real shell on frozen data: no client, no engine, the clock stopped at NOW."""
    services = AppServices(settings or Settings(), store=store, watchlist=MemoryWatchlist(),
                           clock=lambda: NOW, sim_mode=True)
    return PumpApp(services)


async def open_coin(pilot: Pilot[None]) -> None:
    """What Enter on the coin's row does."""
    app = pilot.app
    assert isinstance(app, PumpApp)
    app.open_coin(MINT)
    await pilot.pause()
    await pilot.pause()


async def redraw(pilot: Pilot[None]) -> None:
    """What the app does after the engine wrote to the store: one coalesced redraw."""
    app = pilot.app
    assert isinstance(app, PumpApp)
    app.schedule_redraw()
    await pilot.pause(0.25)
    await pilot.pause()


@pytest.fixture
def store() -> MarketStore:
    return build_store()


def coin_screen(app: PumpApp) -> CoinScreen:
    screen = app.screen
    assert isinstance(screen, CoinScreen)
    return screen


def strip_text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def widget_lines(widget: CandleChart | TradeTape | ReplyThread) -> list[Strip]:
    return [widget.render_line(y) for y in range(widget.size.height)]


# -- what it shows --------------------------------------------------------------------------------


async def test_opening_a_coin_shows_its_chart_trades_and_replies(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        assert screen.tape.rows == store.trades(MINT)[: len(screen.tape.rows)]
        assert screen.tape.rows[0] == store.trades(MINT)[0], "newest trade on top"
        assert [r.id for r in screen.thread.replies] == [r.id for r in store.replies(MINT)]
        assert screen.thread.replies[0].id == 1011, "newest reply on top"
        grid = screen.chart.grid
        assert grid is not None
        assert grid.candles == store.candles(MINT, 60)[-len(grid.candles):]
        header = screen.header.render().plain
        assert "Doge of Wall St" in header
        assert "WSDOGE" in header
        assert "⚑ leader" in header
        assert MINT in header


# -- the header: money, graduation, holders ----------------------------------------------------


def header_lines(app: PumpApp) -> list[str]:
    screen = coin_screen(app)
    return screen.header.header_text(screen.header.content_region.width).plain.splitlines()


def single_coin_store(record: dict[str, object], sol_price: float | None = 241.5,
                      *, stale: bool = False) -> MarketStore:
    store = MarketStore()
    store.apply(NewCoin(Coin.from_api({"mint": MINT, "name": "Test Coin", "symbol": "TEST",
                                       "created_timestamp": (NOW - 600) * 1000, **record})))
    if sol_price is not None:
        store.apply(SolPriceChanged(sol_price, stale=stale))
    return store


async def test_the_all_time_high_is_shown_in_usd_as_the_api_gives_it() -> None:
    # 2026: the coin's `ath_market_cap` is USD (reference §5), not SOL.
    store = single_coin_store({"market_cap": 111.8, "ath_market_cap": 41_300.0})
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        first = header_lines(app)[0]
        assert "ATH $41.3k" in first
        assert "ATH 41" not in first


async def test_a_market_cap_above_the_recorded_high_reads_as_a_high_now() -> None:
    # The coin's ATH field ($20k) lags: 111.8 SOL × $241.50 = $27k is a new high.
    store = single_coin_store({"market_cap": 111.8, "ath_market_cap": 20_000.0})
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        first = header_lines(app)[0]
        assert "ATH now" in first
        assert "ATH $20k" not in first


async def test_usd_market_cap_is_sol_times_the_current_sol_price() -> None:
    # The coin's own USD field is older than the SOL price: 111.8 SOL × $241.50 = $27.0k.
    store = single_coin_store({"market_cap": 111.8, "usd_market_cap": 9_999.0})
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        assert "mcap 112 SOL $27k" in header_lines(app)[0]


async def test_without_a_sol_price_the_coins_own_usd_figure_is_shown() -> None:
    store = single_coin_store({"market_cap": 111.8, "usd_market_cap": 9_999.0}, sol_price=None)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        assert "mcap 112 SOL $10k" in header_lines(app)[0]


async def test_a_stale_sol_price_is_marked_where_the_header_uses_it() -> None:
    store = single_coin_store({"market_cap": 111.8}, stale=True)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        assert "mcap 112 SOL $27k (SOL price stale)" in header_lines(app)[0]


async def test_a_graduated_coin_says_it_trades_on_pumpswap() -> None:
    pool = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"
    store = single_coin_store({
        "market_cap": 420.0, "complete": True, "real_sol_reserves": 0,
        "virtual_sol_reserves": 0, "virtual_token_reserves": 0, "pump_swap_pool": pool,
    })
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        first, second, _ = header_lines(app)
        assert "✓ graduated" in first
        assert "on PumpSwap" in first
        assert "%" not in first, "no bonding-curve progress for a coin that left the curve"
        assert "pool 9xQe…VFin" in second


async def test_a_usdc_quoted_coin_is_shown_in_usd_never_as_sol() -> None:
    store = single_coin_store({
        "market_cap": 4_200.0, "usd_market_cap": 4_200.0, "virtual_sol_reserves": 30_000_000_000,
        "virtual_token_reserves": 900_000_000_000_000,
        "quote_mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "quote_decimals": 6,
    })
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        first = header_lines(app)[0]
        assert "mcap $4.2k USDC-quoted" in first
        assert "SOL" not in first


async def test_the_holders_line_comes_from_the_holder_figures_with_their_age(
    store: MarketStore,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        third = header_lines(app)[2]
        assert third.startswith(
            "holders 812 · top10 31% · dev 4.2% · snipers 6.0% · bundlers 2.0% · 40s ago"
        )
        assert "1h $4.51k 120 tx -2.5%" in third


async def test_before_any_holder_figures_the_line_says_they_are_coming() -> None:
    store = single_coin_store({"market_cap": 111.8})
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coin(pilot)
        assert header_lines(app)[2] == "holders …"


async def test_i_shows_the_top_holders_with_their_flags_and_activity(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        assert not screen.holders_panel.display or not screen.showing_holders
        await pilot.press("i")
        await pilot.pause()
        assert screen.showing_holders
        assert screen.holders_panel.border_title == "Holders 812 · 40s ago"
        text = screen_text(app)
        top = store.holders(MINT).top  # type: ignore[union-attr]
        # 206.9M of a billion tokens: 21% of the supply, and the DEV flag reads without colour.
        assert f" 1 {top[0].address[:4]}…{top[0].address[-4:]}    207M   21%" in text
        for flag in ("DEV", "SNIPER", "BUNDLER"):
            assert flag in text
        assert "5m    $1.23k    34     20/14   +3.1%" in text
        assert "1m ago" in text  # the activity was read 90 s ago: it is read rarely
        assert "6h" not in text.split("Holders")[1].split("#")[0], "a null window is left out"
        await pilot.press("i")
        await pilot.pause()
        assert not screen.showing_holders


async def test_trades_read_without_colour(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        lines = [strip_text(s) for s in widget_lines(tape)]
        for trade, line in zip(tape.rows, lines, strict=False):
            assert line.startswith("▲" if trade.is_buy else "▼"), line


async def test_tape_rows_follow_the_clock_and_the_theme(store: MarketStore) -> None:
    # Rows are cached (a flood moves every row each frame); what they show must still change.
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        first = tape.render_line(0)
        assert strip_text(first).rstrip().endswith(age_of(tape, tape.rows[0]))
        tape.clock = lambda: NOW + 2 * 3600
        later = strip_text(tape.render_line(0)).rstrip()
        assert later.endswith("2h")
        tape.clock = lambda: NOW
        styles = {segment.style for segment in first}
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        restyled = tape.render_line(0)
        assert strip_text(restyled) == strip_text(first)
        assert {segment.style for segment in restyled} != styles


def age_of(tape: TradeTape, trade: Trade) -> str:
    return age(tape.clock() - trade.timestamp)


# -- keys -----------------------------------------------------------------------------------------


async def test_t_cycles_the_timeframe_through_all_six_and_redraws_from_the_store(
        store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        seen = [screen.chart.seconds]
        for _ in range(6):
            await pilot.press("t")
            await pilot.pause()
            grid = screen.chart.grid
            assert grid is not None
            assert grid.candles == store.candles(MINT, screen.chart.seconds)[-len(grid.candles):]
            seen.append(screen.chart.seconds)
        assert seen == [60, 300, 900, 3600, 1, 15, 60]
        await pilot.press("T")
        await pilot.pause()
        assert screen.chart.seconds == 15
        assert "[15s]" in (screen.chart.border_title or "").replace("\\", "")


async def test_m_raises_the_minimum_trade_size_and_wraps_back_to_all(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        everything = len(tape.rows)
        await pilot.press("m")
        await pilot.pause()
        assert tape.min_sol == 0.1
        assert tape.rows
        assert all(t.sol >= 0.1 for t in tape.rows)
        expected = [t for t in store.trades(MINT) if t.sol >= 0.1][: len(tape.rows)]
        assert tape.rows == expected
        assert len(tape.rows) < everything
        assert "≥ 0.1" in (tape.border_title or "")
        for _ in range(5):
            await pilot.press("m")
        await pilot.pause()
        assert tape.min_sol == 0.0
        assert len(tape.rows) == everything
        await pilot.press("M")
        assert tape.min_sol == 10.0


async def test_min_size_starts_from_the_config(store: MarketStore) -> None:
    app = make_app(store, Settings(ui=UiSettings(min_trade_sol=1.0)))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        assert tape.min_sol == 1.0
        assert all(t.sol >= 1.0 for t in tape.rows)


async def test_w_watches_and_unwatches_the_coin(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        header = coin_screen(app).header
        assert "★" not in header.render().plain
        await pilot.press("w")
        await pilot.pause()
        assert app.services.is_watched(MINT)
        assert header.render().plain.startswith("★")
        await pilot.press("w")
        await pilot.pause()
        assert not app.services.is_watched(MINT)
        assert "★" not in header.render().plain


async def test_c_copies_the_mint(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        await pilot.press("c")
        assert app.clipboard == MINT


async def test_o_over_ssh_copies_the_coin_page_link(store: MarketStore,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        await pilot.press("o")
        assert app.clipboard == f"https://pump.fun/coin/{MINT}"


async def test_coin_keys_can_be_remapped_in_the_config(store: MarketStore) -> None:
    app = make_app(store, Settings(keymap={"coin.cycle-timeframe": "f", "coin.min-size": "x"}))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        await pilot.press("t", "m")
        assert screen.chart.seconds == 60
        assert screen.tape.min_sol == 0.0
        await pilot.press("f", "x")
        assert screen.chart.seconds == 300
        assert screen.tape.min_sol == 0.1


async def test_tab_moves_between_chart_tape_and_replies(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        assert app.focused is screen.chart
        order = []
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [screen.tape, screen.thread, screen.chart]
        await pilot.press("shift+tab")
        assert app.focused is screen.thread


async def test_j_and_k_scroll_the_focused_pane(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        await pilot.press("tab", "j", "j", "j")
        assert screen.tape.scroll_y == 3
        await pilot.press("k")
        assert screen.tape.scroll_y == 2
        await pilot.press("tab", "j")
        assert screen.thread.scroll_y == 1


async def test_left_and_right_look_back_in_time_and_end_follows_the_market_again(
        store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        chart = coin_screen(app).chart
        live = chart.grid
        assert live is not None
        assert chart.following
        await pilot.press("h", "h")
        back = chart.grid
        assert back is not None
        assert not chart.following
        assert back.candles[-1].start < live.candles[-1].start
        assert "history" in (chart.border_title or "")
        # A new trade does not yank the reader back to the present...
        rng = random.Random(3)
        newest = store.trades(MINT)[0]
        store.apply(NewTrade(make_trade(rng, newest.price_sol, NOW - 1, newest.slot + 1,
                                        is_buy=True, sol=1.0, user=address(rng))))
        await redraw(pilot)
        assert chart.grid is not None
        assert chart.grid.candles == back.candles
        await pilot.press("right")
        assert chart.grid.candles[-1].start > back.candles[-1].start
        # ...End does.
        await pilot.press("end")
        assert chart.following
        assert chart.grid.candles[-1] == store.candles(MINT, 60)[-1]


@pytest.mark.parametrize("key", ["escape", "backspace"])
async def test_escape_and_backspace_go_back(store: MarketStore, key: str) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        assert isinstance(app.screen, CoinScreen)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, CoinScreen)


async def test_without_colour_rising_candles_are_hollow_and_falling_ones_filled(
        store: MarketStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        assert app.no_color
        grid = coin_screen(app).chart.grid
        assert grid is not None
        glyphs: dict[bool, set[str]] = {True: set(), False: set()}
        for candle in grid.candles:
            x = grid.columns[candle.start]
            column = {grid.chars[y][x] for y in range(grid.plot_rows)}
            glyphs[candle.close >= candle.open] |= column - set(" │╷╵")
        assert glyphs[True] <= set("┃╻╹╽╿")
        assert glyphs[False] <= set("█▀▄")
        assert glyphs[True]
        assert glyphs[False]


def test_every_coin_binding_has_an_id() -> None:
    for binding in CoinScreen.BINDINGS:
        assert getattr(binding, "id", None), binding
    for widget in (CandleChart, TradeTape, ReplyThread):
        for binding in widget.BINDINGS:
            assert getattr(binding, "id", None), binding


# -- live ---------------------------------------------------------------------------------------


async def test_new_trades_appear_on_top_and_move_the_last_candle(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        rng = random.Random(99)
        newest = store.trades(MINT)[0]
        price = newest.price_sol * 1.5
        trade = make_trade(rng, price, NOW - 1, newest.slot + 1, is_buy=True, sol=2.0,
                           user=address(rng), username="fresh_ape")
        store.apply(NewTrade(trade))
        await redraw(pilot)
        assert screen.tape.rows[0] == trade
        assert strip_text(screen.tape.render_line(0)).split()[3] == "fresh_ape"
        grid = screen.chart.grid
        assert grid is not None
        assert grid.candles[-1].close == pytest.approx(price)
        assert grid.candles[-1].high == pytest.approx(price)


async def test_a_reader_scrolled_down_the_tape_keeps_their_place(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        tape.scroll_to(y=10, animate=False)
        await pilot.pause()
        reading = tape.rows[10]
        rng = random.Random(5)
        newest = store.trades(MINT)[0]
        for n in range(4):
            store.apply(NewTrade(make_trade(rng, newest.price_sol, NOW - 1, newest.slot + 1 + n,
                                            is_buy=False, sol=0.3, user=address(rng))))
        await redraw(pilot)
        assert tape.scroll_y == 14
        assert tape.rows[14] == reading


async def test_a_new_reply_appears_at_the_top_of_the_thread(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        thread = coin_screen(app).thread
        store.apply(NewReply(Reply(id=5000, mint=MINT, text="just aped 5 SOL", timestamp=NOW - 1,
                                   username="late_ape", is_buy=True, lamports=5_000_000_000)))
        await redraw(pilot)
        assert thread.replies[0].id == 5000
        first = strip_text(thread.render_line(0))
        assert first.startswith("late_ape · 1s")
        assert "▲ bought 5 SOL" in first
        assert strip_text(thread.render_line(1)).strip() == "just aped 5 SOL"


# -- hostile text -------------------------------------------------------------------------------

HOSTILE_NAME = "\x1b[2J\x1b]0;pwned\x07[bold red]RUG[/] \u202egnp.exe\u202c 🚀👨‍👩‍👧" + "Ｗ" * 5000
HOSTILE_REPLIES = (
    "[link=https://evil.example]claim airdrop[/link] \x1b[31mred\x1b[0m",
    "🚀" * 40 + " 全角文字" * 30,
    "A" * 10_000,
    "line one\n\n\n\n\nline two \u200b\u200f\u202e reversed?",
)


async def test_hostile_names_and_replies_are_shown_literally_without_breaking_layout() -> None:
    store = build_store(name=HOSTILE_NAME, symbol="[i]$🚀[/i]\x1b[5m",
                        reply_texts=HOSTILE_REPLIES)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        header = screen.header
        rendered = header.render().split("\n")
        assert len(rendered) == 3
        for line in rendered:
            assert line.cell_len <= header.content_region.width, "no header line overflows"
        title = rendered[0].plain
        assert "[bold red]RUG[" in title, "markup shows as typed"
        assert "[i]$🚀" in title
        assert "pwned" not in title
        assert "\x1b" not in title
        thread = screen.thread
        texts: list[str] = []
        for top in range(0, thread.line_count, thread.size.height):
            thread.scroll_to(y=top, animate=False, immediate=True)
            for strip in widget_lines(thread):
                assert strip.cell_length == thread.scrollable_content_region.width, "no overflow"
                texts.append(strip_text(strip))
        joined = "\n".join(texts)
        assert "[link=https://evil.example]claim" in joined, "markup shows as typed"
        assert "airdrop[/link] red" in joined
        assert "\x1b" not in joined
        assert "\u202e" not in joined
        assert "🚀🚀" in joined
        # Long texts wrap (folding a 10 kB word) instead of running off the edge.
        body_width = thread.scrollable_content_region.width - INDENT
        assert any(text.strip() == "A" * body_width for text in texts)
        for widget in (screen.chart, screen.tape):
            for strip in widget_lines(widget):
                assert strip.cell_length == widget.scrollable_content_region.width
                assert "\x1b" not in strip_text(strip)
        # The whole terminal: 24 lines of at most 80 cells, the chart right under the header.
        lines = screen_text(app).rstrip("\n").split("\n")
        assert len(lines) == 24
        assert all(cell_len(line) <= 80 for line in lines)
        assert lines[3].startswith("─Chart")


# -- snapshots ----------------------------------------------------------------------------------


def opened_on(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_coin(pilot)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_coin_screen_snapshot(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(build_store()), terminal_size=size, run_before=opened_on())


def test_coin_screen_snapshot_on_the_5m_timeframe_with_a_size_filter(snap_compare) -> None:
    assert snap_compare(make_app(build_store()), terminal_size=(120, 36),
                        run_before=opened_on("t", "m", "tab"))


def test_coin_screen_snapshot_of_a_coin_not_loaded_yet(snap_compare) -> None:
    assert snap_compare(make_app(MarketStore()), terminal_size=(80, 24),
                        run_before=opened_on())
