"""The Coin screen as a trader uses it: keys, live updates, hostile text, and how it looks.

The screen runs in the real app shell over a market store filled with fixed data (two hours of
one coin's trading from a seeded generator, its callouts as the callouts feed publishes them) and
a frozen clock, so every run, and every snapshot, is the same to the cell. The coin's live chat
is what the engine's one chat connection would hold, handed to the screen by the services'
`chat_view` (the live path is `test_coin_live.py`'s).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.strip import Strip

from pumptui.api import routes
from pumptui.api.models import (
    Callout,
    ChatMessage,
    Coin,
    HolderStats,
    MarketActivity,
    TopHolder,
    Trade,
)
from pumptui.config import Settings, UiSettings
from pumptui.live.events import (
    ActivityChanged,
    CalloutsChanged,
    ChatMessagesChanged,
    CoinsDelisted,
    CreatorCoinsChanged,
    FeedHealthChanged,
    HoldersChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.store import MarketStore
from pumptui.tui.app import PumpApp
from pumptui.tui.format import age
from pumptui.tui.glyphs import UNICODE
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, ChatView, MemoryWatchlist
from pumptui.tui.widgets.callouts_pane import INDENT as THESIS_INDENT
from pumptui.tui.widgets.callouts_pane import THESIS_LINES, CalloutsPane
from pumptui.tui.widgets.candle_chart import CandleChart
from pumptui.tui.widgets.chat_pane import INDENT as CHAT_INDENT
from pumptui.tui.widgets.chat_pane import ChatPane
from pumptui.tui.widgets.trade_tape import TradeTape
from tests.helpers.pilot import redraw, wait_for
from tests.tui.conftest import FROZEN_NOW, make_mint, screen_text

NOW = FROZEN_NOW
MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
WIDE, NARROW = (120, 36), (80, 24)


def address(rng: random.Random, length: int = 44) -> str:
    return "".join(rng.choice(BASE58) for _ in range(length))


def make_trade(
    rng: random.Random,
    price: float,
    when: float,
    slot: int,
    *,
    is_buy: bool,
    sol: float,
    user: str,
    username: str | None = None,
) -> Trade:
    return Trade(
        signature=address(rng, 88),
        mint=MINT,
        is_buy=is_buy,
        lamports=int(sol * 1e9),
        raw_tokens=int(sol / price * 1e6),
        timestamp=when,
        slot=slot,
        tx_index=0,
        user=user,
        username=username,
    )


# -- the coin's callouts, as `GET v3 /callout/top/{mint}` answers them (reference §3.7) ----------

CALLER = make_mint("early-ape")
DOUBTER = make_mint("doubter")
CALLOUT_THESES = (
    "dev is based, LP burned, CTO vibes. 100k by the weekend",
    "bought the top, still holding 💎🙌",
)


def callout_record(n: int, thesis: str, **fields: Any) -> dict[str, Any]:
    """One callout object: `marketCap` is USD when called, `multiple` the price now over then,
    `createdAt` in ms (reference §3.7); like and reply counts as the simulator sends them."""
    record: dict[str, Any] = {
        "calloutId": f"co-{n}",
        "coinMint": MINT,
        "thesis": thesis,
        "createdAt": int((NOW - 1800 * (n + 1)) * 1000),
        "userId": (CALLER, DOUBTER)[n % 2],
        "user_uuid": f"00000000-0000-4000-8000-{n:012d}",
        "username": ("early_ape", None)[n % 2],
        "marketCap": (12_300.0, 48_000.0)[n % 2],
        "multiple": (2.41, 0.52)[n % 2],
        "calloutPrice": 0.000_000_03,
        "maxPriceSol": 0.000_000_08,
        "likeCount": (3, 0)[n % 2],
        "replyCount": (2, 1)[n % 2],
    }
    record.update(fields)
    return record


def callouts_read(theses: Sequence[str] = CALLOUT_THESES, **fields: Any) -> CalloutsChanged:
    """What the callouts feed publishes for the coin: its top callouts, best multiple first."""
    callouts = tuple(
        Callout.from_api(callout_record(n, thesis, **fields), MINT)
        for n, thesis in enumerate(theses)
    )
    return CalloutsChanged(MINT, callouts, read_at=NOW - 5)


# -- the coin's chat, as the chat socket sends its messages (reference §3.6) ---------------------

CREATOR = make_mint("degen-dev")
MODERATOR = make_mint("room-mod")
VIEWERS = 12


def iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).isoformat().replace("+00:00", "Z")


def chat_message(
    n: int,
    text: str,
    *,
    at: float,
    user: str | None = None,
    username: str | None = None,
    **fields: Any,
) -> ChatMessage:
    """A message built from the object the socket sends (so it is sanitised as the service's
    would be): ISO `timestamp`, `expiresAt` in seconds."""
    record: dict[str, Any] = {
        "id": f"msg-{n}",
        "roomId": MINT,
        "message": text,
        "userAddress": user or make_mint(f"chatter-{n}"),
        "username": username,
        "timestamp": iso(at),
        "messageType": "REGULAR",
        "isModerator": False,
        "isCreator": False,
        "expiresAt": at + 3600,
    }
    record.update(fields)
    return routes.read_chat_message(record)


def coin_chat() -> tuple[ChatMessage, ...]:
    """Five messages, oldest first: the creator, a moderator, and a reply to an earlier one."""
    return (
        chat_message(1, "gm 🌅", at=NOW - 300, username="moon_boi"),
        chat_message(
            2,
            "LP burned, socials up",
            at=NOW - 240,
            user=CREATOR,
            username="degen_dev",
            isCreator=True,
        ),
        chat_message(3, "who's still holding?", at=NOW - 180, username="paper_hands"),
        chat_message(
            4,
            "no links in here pls",
            at=NOW - 120,
            user=MODERATOR,
            username="room_mod",
            isModerator=True,
        ),
        chat_message(
            5,
            "since 10k mcap 💎",
            at=NOW - 60,
            username="whale_hunter",
            replyToId="msg-3",
            replyPreview="who's still holding?",
        ),
    )


def busy_chat(count: int = 40) -> tuple[ChatMessage, ...]:
    """More messages than the pane can show at once, oldest first."""
    return tuple(
        chat_message(
            100 + n, f"message number {n}", at=NOW - 10 * (count - n), username=f"chatter{n % 7}"
        )
        for n in range(count)
    )


class HeldChat(AppServices):
    """Frozen services whose coin chat is held by the test: `chat` stands for what the engine's
    one chat connection holds for the coin on screen."""

    def __init__(self, *args: Any, chat: ChatView | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chat = chat

    def chat_view(self, mint: str) -> ChatView | None:
        return self.chat if mint == MINT else None


@functools.cache
def seeded_trades() -> tuple[tuple[Trade, ...], tuple[object, ...]]:
    """Two hours of the coin's trades, oldest first, and the generator's state after them (the
    holder figures draw on). Drawn once per process: trades are frozen, every store shares them."""
    rng = random.Random(7)
    trades: list[Trade] = []
    address(rng)  # the creator's draw, kept so that the seeded trades stay the same
    traders = [
        (address(rng), rng.choice([None, None, "whale_hunter", "ape_lord", "sniper"]))
        for _ in range(30)
    ]
    price, when, slot = 2.8e-8, NOW - 7200, 300_000_000
    while (when := when + rng.expovariate(1 / 12)) < NOW - 3:
        is_buy = rng.random() < 0.55
        sol = round(rng.lognormvariate(-1, 1.1), 3) + 0.001
        price *= 1 + (0.004 if is_buy else -0.004) * sol * rng.random()
        user, username = rng.choice(traders)
        slot += 1
        trades.append(
            make_trade(rng, price, when, slot, is_buy=is_buy, sol=sol, user=user, username=username)
        )
    return tuple(trades), rng.getstate()


def build_store(
    name: str = "Doge of Wall St",
    symbol: str = "WSDOGE",
    callout_theses: Sequence[str] | None = CALLOUT_THESES,
) -> MarketStore:
    """Two hours of one coin's trading (seeded), its callouts (None: not read yet), holder
    figures and market activity, feeds live; the coin is the leader."""
    store = MarketStore()
    coin = Coin.from_api(
        {
            "mint": MINT,
            "name": name,
            "symbol": symbol,
            "description": "The first doge on Wall St.\nLP burned, socials up, CTO vibes.",
            "creator": CREATOR,
            "username": "degen_dev",
            "created_timestamp": (NOW - 9000) * 1000,
            "virtual_sol_reserves": 60_000_000_000,
            "virtual_token_reserves": 536_500_000_000_000,
            "real_sol_reserves": 30_000_000_000,
            "real_token_reserves": 400_000_000_000_000,
            "market_cap": 111.8,
            "usd_market_cap": 27_000.0,
            "ath_market_cap": 41_300.0,
            "reply_count": 57,
            "twitter": "https://x.com/wsdoge",
            "telegram": "t.me/wsdoge",
            "website": "https://wsdoge.fun",
        }
    )
    store.apply(NewCoin(coin))
    store.apply(LeaderChanged(coin))
    store.apply(SolPriceChanged(241.5))
    # The creator launched two coins before this one; one graduated.
    earlier = (
        Coin(mint=make_mint("earlier-1"), creator=CREATOR, created_at=NOW - 30_000, complete=True),
        Coin(mint=make_mint("earlier-2"), creator=CREATOR, created_at=NOW - 12_000),
    )
    store.apply(CreatorCoinsChanged(CREATOR, (coin, *earlier[::-1]), read_at=NOW - 30))
    trades, rng_state = seeded_trades()
    for trade in trades:
        store.apply(NewTrade(trade))
    rng = random.Random()
    rng.setstate(rng_state)
    if callout_theses is not None:
        store.apply(callouts_read(callout_theses))
    store.apply(holders_read(rng))
    store.apply(ActivityChanged(MINT, MarketActivity.from_api(ACTIVITY, MINT), read_at=NOW - 90))
    for feed in ("trades", "holders", "activity", "callouts", "chat"):
        store.apply(
            FeedHealthChanged(
                FeedHealth(feed, FeedState.LIVE, since=NOW - 60, last_good_at=NOW - 2)
            )
        )
    return store


# What `GET swap /v1/coins/{mint}/market-activity` answers (reference §3.4).
ACTIVITY = {
    "5m": {
        "numTxs": 34,
        "volumeUSD": 1234.5,
        "numUsers": 20,
        "numBuys": 20,
        "numSells": 14,
        "buyVolumeUSD": 800.0,
        "sellVolumeUSD": 434.5,
        "numBuyers": 12,
        "numSellers": 9,
        "priceChangePercent": 3.14,
    },
    "1h": {
        "numTxs": 120,
        "volumeUSD": 4510.0,
        "numUsers": 60,
        "numBuys": 70,
        "numSells": 50,
        "buyVolumeUSD": 3000.0,
        "sellVolumeUSD": 1510.0,
        "numBuyers": 40,
        "numSellers": 30,
        "priceChangePercent": -2.5,
    },
    "6h": None,
    "24h": {
        "numTxs": 900,
        "volumeUSD": 61000.0,
        "numUsers": 300,
        "numBuys": 500,
        "numSells": 400,
        "buyVolumeUSD": 35000.0,
        "sellVolumeUSD": 26000.0,
        "numBuyers": 200,
        "numSellers": 150,
        "priceChangePercent": 41.0,
    },
}


def holders_read(rng: random.Random, read_at: float = NOW - 40) -> HoldersChanged:
    """What `holder-stats` and `top-holders-v2` answer, as the holders feed publishes it."""
    stats = HolderStats.from_api(
        {
            "mint": MINT,
            "totalHolders": 812,
            "top10HoldersPercent": 31.2,
            "devHoldingsPercent": 4.2,
            "snipersHoldingsPercent": 6.0,
            "bundlersHoldingsPercent": 2.0,
            "totalFeesSol": 1.5,
            "asOf": None,
        },
        MINT,
    )
    top = tuple(
        TopHolder.from_api(
            {
                "address": address(rng),
                "amount": amount,
                "isDev": n == 1,
                "isSniper": n == 2,
                "isBundler": n == 3,
                "enteredAt": None,
            }
        )
        for n, amount in enumerate((206_900_000, 41_200_000, 30_000_000, 12_500_000, 9_000_000))
    )
    return HoldersChanged(MINT, stats, top, read_at)


# The coin's chat, live, with people watching: what make_app shows unless told otherwise.
LIVE_CHAT = ChatView(coin_chat(), VIEWERS, "")


def make_app(
    store: MarketStore, settings: Settings | None = None, *, chat: ChatView | None = LIVE_CHAT
) -> PumpApp:
    """The real shell on frozen data: no client, no engine, the clock stopped at NOW; the coin's
    chat as `chat` (None: the app has no chat connection)."""
    services = HeldChat(
        settings or Settings(),
        store=store,
        watchlist=MemoryWatchlist(),
        clock=lambda: NOW,
        sim_mode=True,
        chat=chat,
    )
    return PumpApp(services)


async def open_coin(pilot: Pilot[None]) -> None:
    """What Enter on the coin's row does."""
    app = pilot.app
    assert isinstance(app, PumpApp)
    app.open_coin(MINT)
    await pilot.pause()
    await pilot.pause()


def chat_says(
    app: PumpApp, *messages: ChatMessage, viewers: int | None = VIEWERS, state: str = ""
) -> None:
    """What the engine's chat connection does when messages arrive: its rooms hold them, and
    the room as it stands is published on the bus."""
    services = app.services
    assert isinstance(services, HeldChat)
    held = services.chat.messages if services.chat is not None else ()
    services.chat = ChatView((*held, *messages), viewers, state)
    services.bus.publish(ChatMessagesChanged(MINT, services.chat.messages))


@pytest.fixture
def store() -> MarketStore:
    return build_store()


def coin_screen(app: PumpApp) -> CoinScreen:
    screen = app.screen
    assert isinstance(screen, CoinScreen)
    return screen


def strip_text(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


def widget_lines(widget: CandleChart | TradeTape | ChatPane | CalloutsPane) -> list[Strip]:
    return [widget.render_line(y) for y in range(widget.size.height)]


def pane_lines(pane: ChatPane | CalloutsPane) -> list[str]:
    """What the pane shows now, line by line, without trailing blanks."""
    return [strip_text(strip).rstrip() for strip in widget_lines(pane)]


def every_line(pane: ChatPane | CalloutsPane) -> list[Strip]:
    """Every line of the pane's content, scrolled through a screenful at a time."""
    strips: list[Strip] = []
    height = pane.size.height
    total = pane.virtual_size.height
    for top in range(0, max(total, 1), height):
        pane.scroll_to(y=top, animate=False, immediate=True)
        first = round(pane.scroll_y)  # the last screenful stops at the end of the content
        strips.extend(widget_lines(pane)[top - first : min(top + height, total) - first])
    return strips


# -- what it shows --------------------------------------------------------------------------------


async def test_opening_a_coin_shows_its_chart_trades_chat_and_callouts(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        assert screen.tape.rows == store.trades(MINT)[: len(screen.tape.rows)]
        assert screen.tape.rows[0] == store.trades(MINT)[0], "newest trade on top"
        grid = screen.chart.grid
        assert grid is not None
        assert grid.candles == store.candles(MINT, 60)[-len(grid.candles) :]
        header = screen.header.render().plain
        assert "Doge of Wall St" in header
        assert "WSDOGE" in header
        assert "⚑ leader" in header
        assert MINT in header
        assert screen.chat_pane.messages == list(coin_chat())
        assert [c.id for c in screen.callouts_pane.callouts] == ["co-0", "co-1"]
        # What the terminal shows, not only what the widgets hold.
        text = screen_text(app)
        assert "─Chart" in text
        newest = strip_text(screen.tape.render_line(0)).strip()
        assert newest
        assert newest in text, "the newest trade"
        assert "moon_boi: gm 🌅" in text
        assert "Callouts · 2" in text
        assert CALLOUT_THESES[0][:30] in text
        # Wide: the chat and the callouts side by side under the chart, the tape beside them.
        chat, callouts, chart = (
            screen.chat_pane.region,
            screen.callouts_pane.region,
            screen.chart.region,
        )
        assert chat.width > 0
        assert callouts.width > 0
        assert chat.y == callouts.y >= chart.bottom
        assert chat.right <= callouts.x
        assert not screen.holders_panel.display or not screen.showing_holders


# -- the chat ------------------------------------------------------------------------------------


def chat_line(pane: ChatPane, text: str) -> int:
    """The row of the pane showing `text` (the first one in view)."""
    lines = pane_lines(pane)
    return next(y for y, line in enumerate(lines) if text in line)


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_the_chat_reads_oldest_first_with_the_newest_at_the_bottom(
    store: MarketStore, size: tuple[int, int]
) -> None:
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane.display
        shown = [line for line in pane_lines(pane) if line]
        assert shown[-1].endswith("💎"), "the newest at the bottom"
        lines = [strip_text(strip).rstrip() for strip in every_line(pane)]
        rows = [
            next(y for y, line in enumerate(lines) if f" {m.username}" in line) for m in coin_chat()
        ]
        assert rows == sorted(rows), "oldest first"
        # Each says when, in local time (UTC here): the oldest was 5 minutes before NOW.
        assert lines[rows[0]].startswith("15:01 moon_boi: gm 🌅")
        assert lines[rows[-1]].startswith("15:05 whale_hunter: since 10k")


async def test_the_coins_creator_and_its_moderators_carry_badges(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        lines = pane_lines(pane)
        assert lines[chat_line(pane, "LP burned")].startswith("15:02 degen_dev DEV: LP burned")
        assert lines[chat_line(pane, "no links")].startswith("15:04 room_mod MOD: no links")
        others = [line for line in lines if "degen_dev" not in line and "room_mod" not in line]
        assert not any(" DEV" in line or " MOD" in line for line in others)


async def test_a_reply_shows_a_preview_of_what_it_answers_above_it(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        lines = pane_lines(pane)
        reply = chat_line(pane, "since 10k mcap")
        assert lines[reply - 1] == "  ↳ who's still holding?"
        assert sum("↳" in line for line in lines) == 1, "only the reply has a preview"


async def test_the_chat_title_counts_the_people_watching(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane.border_title == f"Chat · {VIEWERS} watching"
        chat_says(app, viewers=31)
        await wait_for(
            pilot,
            lambda: pane.border_title == "Chat · 31 watching",
            "the new viewer count in the title",
        )
        assert "Chat · 31 watching" in screen_text(app)


async def test_a_new_message_appears_at_the_bottom(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        chat_says(app, chat_message(6, "just aped 5 SOL", at=NOW - 1, username="late_ape"))
        await wait_for(
            pilot,
            lambda: (
                [line for line in pane_lines(pane) if line][-1] == "15:06 late_ape: just aped 5 SOL"
            ),
            "the new message at the bottom",
        )
        assert pane.border_title == f"Chat · {VIEWERS} watching", "nothing unread: it is in view"


async def test_a_busy_chat_opens_on_its_newest_messages(store: MarketStore) -> None:
    app = make_app(store, chat=ChatView(busy_chat(), VIEWERS, ""))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane.at_bottom
        assert "message number 39" in pane_lines(pane)[-1]


async def test_a_reader_scrolled_up_keeps_their_place_and_is_told_what_is_new(
    store: MarketStore,
) -> None:
    app = make_app(store, chat=ChatView(busy_chat(), VIEWERS, ""))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        pane = screen.chat_pane
        await pilot.press("tab", "tab", "G")
        assert app.focused is pane
        assert pane.at_bottom
        assert "message number 39" in pane_lines(pane)[-1]
        await pilot.press("k", "k", "k")
        reading = pane_lines(pane)
        assert not pane.at_bottom
        chat_says(
            app,
            chat_message(200, "fresh one", at=NOW - 2, username="late_ape"),
            chat_message(201, "and another", at=NOW - 1, username="late_ape"),
        )
        await wait_for(
            pilot,
            lambda: pane.border_title == f"Chat · {VIEWERS} watching · 2 new ↓",
            "the count of new messages in the title",
        )
        assert pane_lines(pane) == reading, "the reader's place is kept"
        assert "2 new ↓" in screen_text(app)
        await pilot.press("G")
        await wait_for(pilot, lambda: pane.at_bottom, "G scrolled the chat to its newest line")
        assert [line for line in pane_lines(pane) if line][-1].endswith("late_ape: and another")
        assert pane.border_title == f"Chat · {VIEWERS} watching"


async def test_a_chat_that_is_not_live_says_so(store: MarketStore) -> None:
    app = make_app(store, chat=ChatView((), None, "connecting…"))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane_lines(pane)[0] == "Chat connecting…"
        assert pane.border_title == "Chat", "no viewer count before the room is joined"
        # The history came, then the connection dropped: the messages stay, and the status bar
        # says what happened to the chat (a feed like every other) until it is live again.
        chat_says(app, *coin_chat(), viewers=None, state="reconnecting…")
        store.apply(
            FeedHealthChanged(
                FeedHealth(
                    "chat",
                    FeedState.FAILING,
                    since=NOW - 3,
                    last_good_at=NOW - 4,
                    reason="connection lost",
                    retry_at=NOW + 5,
                )
            )
        )
        await wait_for(pilot, lambda: pane.messages == list(coin_chat()), "the history")
        await wait_for(
            pilot,
            lambda: "✖ chat failing 3s: connection lost" in screen_text(app),
            "the chat's health in the status bar",
        )
        assert "gm 🌅" in pane_lines(pane)[0]
        chat_says(app, viewers=VIEWERS, state="")
        store.apply(
            FeedHealthChanged(FeedHealth("chat", FeedState.LIVE, since=NOW, last_good_at=NOW))
        )
        await wait_for(pilot, lambda: "● chat" in screen_text(app), "the chat live again")
        await wait_for(
            pilot,
            lambda: f"Chat · {VIEWERS} watching" in screen_text(app),
            "the viewer count back in the title",
        )


async def test_the_chat_pane_itself_says_it_is_reconnecting(store: MarketStore) -> None:
    app = make_app(store, chat=ChatView(coin_chat(), None, "reconnecting…"))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        assert "reconnecting…" in screen_text(app)


async def test_without_a_chat_connection_the_pane_says_so(store: MarketStore) -> None:
    app = make_app(store, chat=None)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane.messages == []
        assert pane_lines(pane)[0] == "Chat not connected"


async def test_a_long_message_wraps_onto_the_next_lines_instead_of_being_cut_off(
    store: MarketStore,
) -> None:
    text = "LP burned, socials up, CTO forming in the telegram, come say gm and bring friends"
    app = make_app(
        store, chat=ChatView((chat_message(1, text, at=NOW - 60, username="dev"),), VIEWERS, "")
    )
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        lines = [line for line in pane_lines(pane) if line]
        assert len(lines) > 1
        assert lines[0].startswith("15:05 dev: LP burned")
        assert all(line.startswith(" " * CHAT_INDENT) for line in lines[1:]), "indented"
        assert " ".join(line.strip() for line in lines) == f"15:05 dev: {text}"


async def test_a_messages_reactions_show_their_new_counts(store: MarketStore) -> None:
    # `reactionRecentAddresses`: who reacted lately, per emoji (reference §3.6).
    def gm(*reactors: str) -> ChatMessage:
        return chat_message(
            1,
            "gm",
            at=NOW - 60,
            username="moon_boi",
            reactionRecentAddresses={"fire": list(reactors)},
        )

    app = make_app(store, chat=ChatView((gm("a"),), VIEWERS, ""))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).chat_pane
        assert pane_lines(pane)[0] == "15:05 moon_boi: gm  :fire: 1"
        services = app.services
        assert isinstance(services, HeldChat)
        services.chat = ChatView((gm("a", "b", "c"),), VIEWERS, "")  # the room re-read it
        services.bus.publish(ChatMessagesChanged(MINT, services.chat.messages))
        await wait_for(
            pilot,
            lambda: pane.messages[0].reactions == (("fire", 3),),
            "the message with its new reactions",
        )
        assert pane_lines(pane)[0] == "15:05 moon_boi: gm  :fire: 3"


# -- the callouts --------------------------------------------------------------------------------


def theses_shown(pane: CalloutsPane, lines: Sequence[str] | None = None) -> list[str]:
    """Each callout's thesis as the pane shows it (or as `lines` of it read), its wrapped lines
    joined."""
    theses: list[str] = []
    for line in lines if lines is not None else pane_lines(pane):
        if line.startswith(" " * THESIS_INDENT):
            theses[-1] = f"{theses[-1]} {line.strip()}".strip()
        elif line:
            theses.append("")
    return theses


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_callouts_show_their_author_market_cap_when_called_multiple_and_thesis(
    store: MarketStore, size: tuple[int, int]
) -> None:
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        await pilot.press("v")  # narrow: the callouts instead of the chat; wide: the focus
        await pilot.pause()
        pane = coin_screen(app).callouts_pane
        assert pane.border_title == "Callouts · 2"
        assert "Callouts · 2" in screen_text(app)
        first, second = pane.callouts
        # Each header in full ("▌" marks the cursor); the pane cuts it with "…" when narrow.
        assert pane.header_text(first, True).plain == (
            "▌early_ape · at $12.3k · ×2.41 · 30m · ♥ 3 · 2 replies"
        )
        assert pane.header_text(second, False).plain == (
            f" {DOUBTER[:4]}…{DOUBTER[-4:]} · at $48k · ×0.52 · 1h · 1 reply"
        )
        lines = pane_lines(pane)
        assert lines[0].startswith("▌early_ape · at $12.3k · ×2.41 · 30m")
        assert theses_shown(pane) == list(CALLOUT_THESES), "best multiple first, thesis under"
        doubter = f" {DOUBTER[:4]}…{DOUBTER[-4:]}"
        row = next(y for y, line in enumerate(lines) if line.startswith(doubter))
        assert lines[row - 1] == "", "a blank line between callouts"
        assert lines[row].startswith(f"{doubter} · at $48k · ×0.52")


async def test_callouts_the_feed_brings_show_without_a_key(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).callouts_pane
        fresh = "fresh call: chart looks like a cup and handle"
        called = Callout.from_api(callout_record(9, fresh, multiple=5.0), MINT)
        store.apply(CalloutsChanged(MINT, (called, *(store.callouts(MINT) or ())), NOW))
        await redraw(pilot)
        assert pane.border_title == "Callouts · 3"
        assert theses_shown(pane)[0] == fresh
        assert "Callouts · 3" in screen_text(app)


async def test_before_the_callouts_are_read_the_pane_says_they_are_loading() -> None:
    store = build_store(callout_theses=None)
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        pane = coin_screen(app).callouts_pane
        assert pane_lines(pane)[0] == "Loading callouts…"
        store.apply(callouts_read(()))
        await redraw(pilot)
        assert pane_lines(pane)[0].startswith("No callouts yet")


# -- the header: money, graduation, holders ----------------------------------------------------


def header_lines(app: PumpApp) -> list[str]:
    """The header's lines as the terminal shows them (not what its renderer would return)."""
    region = coin_screen(app).header.content_region
    shown = screen_text(app).splitlines()[region.y : region.bottom]
    return [line.strip() for line in shown]


def single_coin_store(
    record: dict[str, object], sol_price: float | None = 241.5, *, stale: bool = False
) -> MarketStore:
    store = MarketStore()
    store.apply(
        NewCoin(
            Coin.from_api(
                {
                    "mint": MINT,
                    "name": "Test Coin",
                    "symbol": "TEST",
                    "created_timestamp": (NOW - 600) * 1000,
                    **record,
                }
            )
        )
    )
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


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_a_coin_no_longer_listed_is_marked_in_its_header(size: tuple[int, int]) -> None:
    """Hidden or banned by the service's moderators: marked on the coin's own screen too, at
    once when it happens while the screen is open, and still the name and figures are shown."""
    store = single_coin_store({"market_cap": 111.8})
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        assert UNICODE.delisted not in header_lines(app)[0]
        store.apply(CoinsDelisted((MINT,)))
        await redraw(pilot)
        first = header_lines(app)[0]
        wanted = "no longer listed (hidden or banned)" if size == WIDE else "delisted"
        assert f"{UNICODE.delisted} {wanted}" in first
        assert "Test Coin" in first
        assert "mcap 112 SOL" in first


async def test_a_graduated_coin_says_it_trades_on_pumpswap() -> None:
    pool = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"
    store = single_coin_store(
        {
            "market_cap": 420.0,
            "complete": True,
            "real_sol_reserves": 0,
            "virtual_sol_reserves": 0,
            "virtual_token_reserves": 0,
            "pump_swap_pool": pool,
        }
    )
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_coin(pilot)
        first, second, _ = header_lines(app)
        assert "✓ graduated" in first
        assert "on PumpSwap" in first
        assert "%" not in first, "no bonding-curve progress for a coin that left the curve"
        assert "pool 9xQe…VFin" in second


async def test_a_usdc_quoted_coin_is_shown_in_usd_never_as_sol() -> None:
    store = single_coin_store(
        {
            "market_cap": 4_200.0,
            "usd_market_cap": 4_200.0,
            "virtual_sol_reserves": 30_000_000_000,
            "virtual_token_reserves": 900_000_000_000_000,
            "quote_mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
            "quote_decimals": 6,
        }
    )
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
        assert "Chat ·" not in text, "the holders take the place of the chat and callouts"
        assert "Callouts ·" not in text
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
        text = screen_text(app)
        assert "Chat · 12 watching" in text
        assert "Callouts · 2" in text


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
    store: MarketStore,
) -> None:
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
            assert grid.candles == store.candles(MINT, screen.chart.seconds)[-len(grid.candles) :]
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


async def test_o_over_ssh_copies_the_coin_page_link(
    store: MarketStore, monkeypatch: pytest.MonkeyPatch
) -> None:
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


async def test_tab_cycles_chart_tape_chat_and_callouts_when_wide(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        assert app.focused is screen.chart
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [screen.tape, screen.chat_pane, screen.callouts_pane, screen.chart]
        await pilot.press("shift+tab")
        assert app.focused is screen.callouts_pane


async def test_tab_cycles_through_the_one_conversation_pane_shown_when_narrow(
    store: MarketStore,
) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        order = []
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [screen.tape, screen.chat_pane, screen.chart]
        await pilot.press("v")
        await pilot.pause()
        order = []
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [screen.chart, screen.tape, screen.callouts_pane]


async def test_v_when_narrow_shows_the_callouts_instead_of_the_chat_and_back(
    store: MarketStore,
) -> None:
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        text = screen_text(app)
        assert "Chat · 12 watching" in text
        assert "Callouts ·" not in text, "one at a time on a narrow terminal"
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert "Callouts · 2" in text
        assert "Chat ·" not in text
        assert "early_ape · at $12.3k" in text
        assert app.focused is screen.callouts_pane, "v moves to what it shows"
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert "Chat · 12 watching" in text
        assert "Callouts ·" not in text
        assert app.focused is screen.chat_pane


async def test_v_when_wide_moves_between_the_chat_and_the_callouts(store: MarketStore) -> None:
    app = make_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        await pilot.press("v")
        assert app.focused is screen.callouts_pane
        await pilot.press("v")
        assert app.focused is screen.chat_pane
        await pilot.press("v")
        assert app.focused is screen.callouts_pane
        text = screen_text(app)
        assert "Chat · 12 watching" in text, "both stay on screen"
        assert "Callouts · 2" in text


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_i_swaps_the_conversation_for_the_holders_and_v_brings_it_back(
    store: MarketStore, size: tuple[int, int]
) -> None:
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        await pilot.press("tab", "tab")
        assert app.focused is screen.chat_pane
        await pilot.press("i")
        await pilot.pause()
        assert screen.showing_holders
        assert app.focused is screen.tape, "the focus leaves the pane that went away"
        assert "Holders 812" in screen_text(app)
        assert "Chat ·" not in screen_text(app)
        order = []
        for _ in range(2):
            await pilot.press("tab")
            order.append(app.focused)
        assert order == [screen.chart, screen.tape], "tab skips the hidden panes"
        await pilot.press("v")
        await pilot.pause()
        assert not screen.showing_holders
        assert "Holders 812" not in screen_text(app)
        assert app.focused in (screen.chat_pane, screen.callouts_pane)


async def test_j_and_k_scroll_the_focused_pane(store: MarketStore) -> None:
    app = make_app(store, chat=ChatView(busy_chat(), VIEWERS, ""))
    async with app.run_test(size=WIDE) as pilot:
        await open_coin(pilot)
        screen = coin_screen(app)
        # The tape moves its cursor (the trade the trader keys act on).
        await pilot.press("tab", "j", "j", "j")
        assert screen.tape.cursor == 3
        await pilot.press("k")
        assert screen.tape.cursor == 2
        chat = screen.chat_pane
        await pilot.press("tab", "G")
        bottom = chat.scroll_y
        assert bottom == chat.max_scroll_y > 0
        await pilot.press("k", "k")
        assert chat.scroll_y == bottom - 2
        await pilot.press("j")
        assert chat.scroll_y == bottom - 1
        assert screen.tape.cursor == 2, "only the focused pane moves"
        callouts = screen.callouts_pane
        await pilot.press("tab")
        assert callouts.selected is not None
        assert callouts.selected.id == "co-0"
        await pilot.press("j")
        assert callouts.selected.id == "co-1"
        assert pane_lines(callouts)[4].startswith("▌"), "the cursor is on the second callout"
        await pilot.press("k")
        assert callouts.selected.id == "co-0"
        assert chat.scroll_y == bottom - 1


async def test_left_and_right_look_back_in_time_and_end_follows_the_market_again(
    store: MarketStore,
) -> None:
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
        store.apply(
            NewTrade(
                make_trade(
                    rng,
                    newest.price_sol,
                    NOW - 1,
                    newest.slot + 1,
                    is_buy=True,
                    sol=1.0,
                    user=address(rng),
                )
            )
        )
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
    store: MarketStore, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    for widget in (CandleChart, TradeTape, ChatPane, CalloutsPane):
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
        trade = make_trade(
            rng,
            price,
            NOW - 1,
            newest.slot + 1,
            is_buy=True,
            sol=2.0,
            user=address(rng),
            username="fresh_ape",
        )
        store.apply(NewTrade(trade))
        await redraw(pilot)
        assert screen.tape.rows[0] == trade
        assert strip_text(screen.tape.render_line(0)).split()[3] == "fresh_ape"
        tape_top = screen_text(app).splitlines()[screen.tape.content_region.y]
        assert "fresh_ape" in tape_top, "on the terminal, on the tape's first row"
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
            store.apply(
                NewTrade(
                    make_trade(
                        rng,
                        newest.price_sol,
                        NOW - 1,
                        newest.slot + 1 + n,
                        is_buy=False,
                        sol=0.3,
                        user=address(rng),
                    )
                )
            )
        await redraw(pilot)
        assert tape.scroll_y == 14
        assert tape.rows[14] == reading


# -- hostile text -------------------------------------------------------------------------------

HOSTILE_NAME = "\x1b[2J\x1b]0;pwned\x07[bold red]RUG[/] \u202egnp.exe\u202c 🚀👨‍👩‍👧" + "Ｗ" * 5000
HOSTILE_TEXTS = (
    "[link=https://evil.example]claim airdrop[/link] \x1b[31mred\x1b[0m",
    "🚀" * 40 + " 全角文字" * 30,
    "A" * 10_000,
    "line one\n\n\n\n\nline two \u200b\u200f\u202e reversed?",
)


def hostile_chat() -> ChatView:
    """Hostile texts from hostile names, one replying to another with a hostile preview."""
    messages = tuple(
        chat_message(
            n,
            text,
            at=NOW - 60 * (len(HOSTILE_TEXTS) - n),
            username="[b]mod[/b]\x1b[31m\u202e" if n % 2 else None,
            isCreator=n == 1,
            isModerator=n == 2,
            replyToId="msg-0" if n == 3 else None,
            replyPreview="[red]gm[/red]\x1b[2J" + "Ｗ" * 300 if n == 3 else None,
        )
        for n, text in enumerate(HOSTILE_TEXTS)
    )
    return ChatView(messages, VIEWERS, "")


def hostile_store() -> MarketStore:
    store = build_store(name=HOSTILE_NAME, symbol="[i]$🚀[/i]\x1b[5m", callout_theses=None)
    store.apply(callouts_read(HOSTILE_TEXTS, username="[b]caller[/b]\x1b]0;x\x07"))
    return store


def shown_literally(pane: ChatPane | CalloutsPane) -> str:
    """Every line of the pane, each exactly the pane's width, with no escape sequence or
    direction override left; the lines joined."""
    width = pane.scrollable_content_region.width
    texts: list[str] = []
    for strip in every_line(pane):
        assert strip.cell_length == width, "no line overflows or falls short"
        texts.append(strip_text(strip))
    joined = "\n".join(texts)
    assert "\x1b" not in joined
    assert "\u202e" not in joined
    assert "\u200f" not in joined
    return joined


@pytest.mark.parametrize("size", [NARROW, WIDE])
async def test_hostile_names_chat_and_callouts_are_shown_literally_without_breaking_layout(
    size: tuple[int, int],
) -> None:
    app = make_app(hostile_store(), chat=hostile_chat())
    async with app.run_test(size=size) as pilot:
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

        # The chat: every message as typed (whitespace aside: long ones wrap), a 1000-character
        # word folded onto full lines.
        chat = shown_literally(screen.chat_pane)
        flat = "".join(chat.split())
        assert "[link=https://evil.example]claimairdrop[/link]red" in flat, "markup as typed"
        assert "[b]mod[/b]DEV:" + "🚀" * 40 + "全角文字" * 30 in flat, "a hostile name, a badge"
        assert "MOD:" + "A" * 500 in flat
        width = screen.chat_pane.scrollable_content_region.width
        assert "  " + "A" * (width - CHAT_INDENT) in chat.split("\n")
        assert "↳[red]gm[/red]ＷＷ" in flat, "the preview as typed"
        assert "[b]mod[/b]:lineone" in flat
        assert "linetworeversed?" in flat

        await pilot.press("v")
        await pilot.pause()
        pane = screen.callouts_pane
        callouts = shown_literally(pane)
        assert "▌[b]caller[/b]" in callouts
        theses = theses_shown(pane, callouts.split("\n"))
        assert theses[0] == "[link=https://evil.example]claim airdrop[/link] red", "as typed"
        assert "🚀🚀" in callouts
        assert "全角文字" in callouts
        assert "line one" in callouts
        # A thesis of one 10 kB word: folded onto full lines, cut after THESIS_LINES with "…".
        body = pane.scrollable_content_region.width - THESIS_INDENT
        lines = [line.strip() for line in callouts.split("\n")]
        assert lines.count("A" * body) == THESIS_LINES - 1
        assert "A" * (body - 1) + "…" in lines

        for widget in (screen.chart, screen.tape):
            for strip in widget_lines(widget):
                assert strip.cell_length == widget.scrollable_content_region.width
                assert "\x1b" not in strip_text(strip)
        # The whole terminal: every line at most its width, the chart right under the header
        # and the about block (creator line, description).
        width, height = size
        lines = screen_text(app).rstrip("\n").split("\n")
        assert len(lines) == height
        assert all(cell_len(line) <= width for line in lines)
        assert lines[3 + screen.about.outer_size.height].startswith("─Chart")


# -- snapshots ----------------------------------------------------------------------------------


def opened_on(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_coin(pilot)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


# The coin as the README shows it: chart, tape, and its conversation (five chat messages with the
# creator's and a moderator's badges and a reply, two callouts).


@pytest.mark.parametrize("size", [NARROW, WIDE])
def test_coin_screen_snapshot(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(build_store()), terminal_size=size, run_before=opened_on())


def test_coin_screen_snapshot_of_the_callouts_on_a_narrow_terminal(snap_compare) -> None:
    assert snap_compare(make_app(build_store()), terminal_size=NARROW, run_before=opened_on("v"))


def test_coin_screen_snapshot_on_the_5m_timeframe_with_a_size_filter(snap_compare) -> None:
    assert snap_compare(
        make_app(build_store()), terminal_size=WIDE, run_before=opened_on("t", "m", "tab")
    )


def test_coin_screen_snapshot_of_a_coin_not_loaded_yet(snap_compare) -> None:
    # Nothing read yet: the chat is connecting, the callouts are loading.
    assert snap_compare(
        make_app(MarketStore(), chat=ChatView((), None, "connecting…")),
        terminal_size=NARROW,
        run_before=opened_on(),
    )
