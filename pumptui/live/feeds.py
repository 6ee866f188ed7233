"""The engine's feeds: each one knows what to ask the API and what the answer means.

A feed's `poll()` makes one or a few requests, turns what is new into events (through
`FeedContext.emit`, which writes the store and publishes on the bus), and says how it went in a
`PollOutcome`. When to poll, backoff and health are the runner's business (`runner.py`); feeds
only suggest their next interval. A feed never swallows an API error: it propagates to the runner,
and the feed's state (what was delivered, what is held) stays consistent for the next poll.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pumptui.api.budget import Priority
from pumptui.api.errors import ApiError, NotFound, RateLimited
from pumptui.api.models import Coin, Trade
from pumptui.api.routes import COINS_GROUP, Host
from pumptui.config import RefreshSettings
from pumptui.live.client import MarketClient
from pumptui.live.events import (
    ActivityChanged,
    CalloutsChanged,
    CoinNotFound,
    CoinUpdated,
    CreatorCoinsChanged,
    EngineError,
    Event,
    HoldersChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
    TradesSkipped,
)
from pumptui.live.follow import CursorFollower, FollowResult, ListFollower, page_size_for
from pumptui.live.once import OncePer
from pumptui.live.schedule import (
    FOCUSED_TRADE_POLL_COST,
    AdaptiveInterval,
    RateEstimate,
    trade_interval,
)
from pumptui.live.store import MarketStore

FEED_NAMES: tuple[str, ...] = (
    "coins",
    "leader",
    "sol-price",
    "market",
    "trades",
    "holders",
    "activity",
    "callouts",
    "watchlist",
    "screener",
    "creator",
)
# Mints per `POST /coins-v2/mints` from a feed (the service's largest batch is unknown).
BULK_LIMIT = 50
# What the service serves at most: `/coins` clamps to 70, swap trades refuse more than 100.
COINS_PAGE_LIMIT = 70
TRADES_PAGE_LIMIT = 100
# The candle backfill of a focused coin: the newest 1,000 one-minute buckets, in SOL.
CANDLE_INTERVAL = "1m"
CANDLE_LIMIT = 1000
# Seconds between reads of the focused coin's holders (v3) and market activity (swap-api).
HOLDERS_MIN, HOLDERS_MAX = 30.0, 120.0
ACTIVITY_MIN, ACTIVITY_MAX = 120.0, 600.0
# Seconds between reads of a creator's coins while the creator's view is on screen (the Coin
# screen reads its creator's once per coin).
CREATOR_MIN, CREATOR_MAX = 20.0, 90.0
# Seconds between two reports of the same kind of unusable record.
SKIP_NOTE_EVERY = 60.0
# Watched coins whose trades are read in one watchlist poll; the rest follow in the next.
WATCHLIST_TRADE_POLLS = 4
# While a push source delivers a coin's trades, REST only checks them (block times, slots, any
# the socket dropped): about this many new trades a look, never more often than every
# PUSH_CHECK_MIN seconds, and at most PUSH_CHECK_PAGES pages a look.
PUSH_CHECK_TRADES = 150
PUSH_CHECK_MIN = 5.0
PUSH_CHECK_PAGES = 2
# The feed's health says how many trades were given up over this many seconds.
SKIPPED_WINDOW = 60.0
# Pages one poll may read to close a gap (polling alone): a burst of 1,000 trades between two
# polls is read in one, when the budget allows it (100 trades a page).
MAX_PAGES = 12
# A slot lasts about 400 ms: slots time trades finer than their whole-second block times, which
# is what sizes a gap (trades a second times the time between) at hundreds of trades a second.
SLOT_SECONDS = 0.4


@dataclass
class FeedContext:
    """What every feed needs from the engine."""

    client: MarketClient
    store: MarketStore
    emit: Callable[[Event], None]
    settings: RefreshSettings
    include_nsfw: bool = False
    # How long a request to a host (on v3: to a route group) would wait for its budget now.
    budget_wait: Callable[[Host, str | None], float] = lambda host, group: 0.0
    # Requests a second a feed (by name) can count on from its host's budget (None: unknown).
    request_rate: Callable[[str], float | None] = lambda feed: None
    monotonic: Callable[[], float] = time.monotonic
    # Coins whose trades a feed follows (focused: "trades", watched: "watchlist").
    followed: dict[str, str] = field(default_factory=dict)
    # Coins an alert rule waits on: their trades are read as often as the budget allows.
    alerted: frozenset[str] = frozenset()
    # Ask a feed to poll soon (within its share of the budget).
    nudge: Callable[[str], None] = lambda feed: None
    # Since when a push source has delivered every trade of a coin (None: it has not).
    pushed_since: Callable[[str], float | None] = lambda mint: None
    # When each kind of unusable record was last reported (once a minute a kind).
    noted: OncePer = field(default_factory=lambda: OncePer(SKIP_NOTE_EVERY))

    def upsert_coin(self, coin: Coin, *, new: bool = False, historical: bool = False) -> bool:
        """Publish a coin if it is new to the store or its data changed; True if it was."""
        known = self.store.coin(coin.mint)
        if known is None:
            self.emit(NewCoin(coin, historical) if new else CoinUpdated(coin))
            return True
        if known != coin:
            self.emit(CoinUpdated(coin))
            return True
        return False


@dataclass
class PollOutcome:
    news: int = 0
    unchanged: bool = False
    behind: bool = False
    held: int = 0
    requests: int = 0
    # Trades were given up because the budget cannot read them all, and how many over the
    # last minute (estimated; 0: unknown): said in the feed's health.
    gave_up: bool = False
    skipped: int = 0
    # More work is waiting (e.g. watched coins not read this round): poll again soon.
    more: bool = False
    notes: list[str] = field(default_factory=list)


class Feed:
    """Base: a named poller with a priority, a weight for sharing the budget, and bounds."""

    name: str = "feed"
    # The host whose budget the feed's requests mostly spend: the engine shares each host's
    # budget between its feeds.
    host: Host = Host.FRONTEND
    priority: Priority = Priority.NORMAL
    weight: float = 1.0
    # While pushed, polled when pushed news wakes it (else the push delivers, REST checks).
    woken_by_push: bool = False

    def __init__(self, ctx: FeedContext, low: float, high: float) -> None:
        self.ctx = ctx
        self.interval = AdaptiveInterval(low, high)
        # Set by a push source while its socket serves this feed's data.
        self.pushed = False

    def wanted(self) -> bool:
        """Whether there is anything to do (a coin focused, coins watched...)."""
        return True

    async def poll(self) -> PollOutcome:
        raise NotImplementedError

    def next_interval(self, outcome: PollOutcome) -> float:
        if outcome.more:
            return self.interval.low
        if self.pushed:
            return self.interval.high
        return self.interval.active() if outcome.news else self.interval.quiet()

    def reset(self) -> None:
        self.interval.reset()


class _CoinTrades:
    """One coin's trade stream: a cursor follower plus the measured trade rate."""

    def __init__(self, ctx: FeedContext, mint: str, priority: Priority, feed: str) -> None:
        self.mint = mint
        self.rate = RateEstimate(weight=0.5)

        async def fetch(cursor: str | None, limit: int, conditional: bool) -> Any:
            page = await ctx.client.trades(
                mint, cursor=cursor, limit=limit, conditional=conditional, priority=priority
            )
            note_skipped(ctx, feed, page.skipped, f"trade record(s) of {mint[:8]}…")
            return page

        self.follower: CursorFollower[Trade] = CursorFollower(
            fetch,
            key=lambda t: t.signature,
            order=lambda t: t.chain_order,
            cursor_of=lambda t: t.cursor,
            page_limit=TRADES_PAGE_LIMIT,
            first_limit=TRADES_PAGE_LIMIT,
            max_pages=MAX_PAGES,
            budget_wait=lambda: ctx.budget_wait(Host.SWAP, None),
            rate_hint=lambda: self.rate.rate,
            clock=ctx.monotonic,
            time_of=lambda t: t.slot * SLOT_SECONDS,
            request_rate=lambda: ctx.request_rate(feed),
        )
        self.polled_at: float | None = None
        self.newest_timestamp: float | None = None
        # When the socket delivered the newest trade REST has read (None: it did not).
        self.newest_pushed_at: float | None = None
        self.head_limit = trade_page_size(0)
        # (monotonic time, estimated count) of each gap given up: the health's "~N skipped".
        self._skipped: deque[tuple[float, int]] = deque()
        self.gave_up = False  # the last poll gave trades up (and said so)

    def skipped_lately(self) -> int:
        """Trades given up over the last `SKIPPED_WINDOW` seconds (estimated)."""
        return sum(count for _, count in self._skipped)

    async def poll(
        self, ctx: FeedContext, feed: str, interval: float, *, pushed: bool = False
    ) -> FollowResult[Trade]:
        """Read what is new. `pushed`: a push source delivers these trades already, so this is
        a bounded check; a gap it gives up on was covered by the push, not lost."""
        self.follower.max_pages = PUSH_CHECK_PAGES if pushed else MAX_PAGES
        # A check outrun twice running gives up: held trades would only grow, and their
        # confirmations wait (the feed would show "catching up" for as long as the coin is hot).
        self.follower.hold_when_outrun = not pushed
        checked_up_to, checked_pushed_at = self.newest_timestamp, self.newest_pushed_at
        # Size the first page for what arrived since the last poll (the budget may have
        # stretched the interval), so that one request usually suffices.
        since = interval if self.polled_at is None else ctx.monotonic() - self.polled_at
        expected = (self.rate.rate or 0.0) * max(interval, since)
        # Grow the page at once, shrink it only when clearly too big: a stable URL keeps its
        # ETag, so a quiet coin costs 304s.
        size = trade_page_size(expected)
        if size > self.head_limit or trade_page_size(expected * 3) < self.head_limit:
            self.head_limit = size
        started = self.follower.started
        result = await self.follower.poll(self.head_limit)
        now = ctx.monotonic()
        if result.items:
            newest = result.items[-1]
            self.newest_pushed_at = ctx.store.pushed_at(newest)  # before it is confirmed
            self.newest_timestamp = max(self.newest_timestamp or 0.0, newest.timestamp)
        for trade in result.items:
            ctx.emit(NewTrade(trade, historical=result.historical))
        if not started:
            self.rate.rate = _rate_from_history(result.items)
        elif self.polled_at is not None:
            # What arrived is what was read plus what was given up unread.
            self.rate.add(result.found + (result.missed or 0), now - self.polled_at)
        self.polled_at = now
        self.gave_up = result.abandoned and not self._push_covered(
            ctx, checked_up_to, checked_pushed_at
        )
        if self.gave_up:
            # Said, never silent: the reader knows trades are missing, how many and where.
            until = result.items[-1].timestamp if result.items else None
            ctx.emit(
                TradesSkipped(self.mint, feed, result.missed, after=checked_up_to, before=until)
            )
            self._skipped.append((now, result.missed or 0))
        while self._skipped and self._skipped[0][0] < now - SKIPPED_WINDOW:
            self._skipped.popleft()
        return result

    def _push_covered(
        self, ctx: FeedContext, checked_up_to: float | None, checked_pushed_at: float | None
    ) -> bool:
        """Whether every trade after the newest one REST had read was pushed to us: the socket
        was subscribed before that trade was made (its block time says so), or delivered that
        very trade (block times are whole seconds, so only this tells right after subscribing)."""
        since = ctx.pushed_since(self.mint)
        if since is None:
            return False
        return (checked_up_to is not None and since <= checked_up_to) or (
            checked_pushed_at is not None and since <= checked_pushed_at
        )


def note_skipped(ctx: FeedContext, feed: str, skipped: int, what: str) -> None:
    """Say that records were unusable (an absurd number, a missing key): the rest of the page
    is used and the feed goes on, but the user hears of it — once a minute at most, as a bad
    record at the top of a list is read again by every poll until newer ones push it down."""
    if not skipped:
        return
    if ctx.noted.due(f"{feed} {what}", ctx.monotonic()):
        ctx.emit(EngineError(feed, f"{skipped} unusable {what} skipped (malformed data)"))


def trade_page_size(expected: float) -> int:
    """A standard page for `expected` new trades, at most what swap-api serves (100)."""
    return min(TRADES_PAGE_LIMIT, page_size_for(expected))


def _rate_from_history(trades: Sequence[Trade]) -> float | None:
    """Trades a second over the span of a first page (None when it is too short to tell)."""
    if len(trades) < 2:
        return None
    span = trades[-1].timestamp - trades[0].timestamp
    return (len(trades) - 1) / max(span, 1.0)


class CoinTradesFeed(Feed):
    """The focused coin: its trades (complete, in order) and, for a chart, a candle backfill.
    (Its market data comes with the "market" feed.)"""

    name = "trades"
    host = Host.SWAP
    priority = Priority.FOREGROUND
    weight = 6.0

    def __init__(self, ctx: FeedContext, *, candles: bool = True) -> None:
        super().__init__(ctx, ctx.settings.trades_min, ctx.settings.trades_max)
        self.mint: str | None = None
        self.candles = candles
        self._stream: _CoinTrades | None = None
        self._candles_done = False
        self._first_done = False

    def set_mint(self, mint: str | None) -> bool:
        if mint == self.mint:
            return False
        self.mint = mint
        self._stream = _CoinTrades(self.ctx, mint, self.priority, self.name) if mint else None
        self._candles_done = not self.candles
        self._first_done = False
        self.reset()
        return True

    def wanted(self) -> bool:
        return self._stream is not None

    async def poll(self) -> PollOutcome:
        stream = self._stream
        if stream is None:
            return PollOutcome()
        ctx = self.ctx
        result = await stream.poll(ctx, self.name, self.interval.value, pushed=self.pushed)
        outcome = PollOutcome(
            news=len(result.items),
            unchanged=result.unchanged,
            behind=result.behind,
            held=result.held,
            requests=result.requests,
            gave_up=stream.gave_up,
            skipped=stream.skipped_lately(),
        )
        if not self._candles_done:
            outcome.requests += 1
            await self._backfill_candles(stream.mint)
        return outcome

    async def _backfill_candles(self, mint: str) -> None:
        """The chart's history before the first trade read. Best effort: the chart is built
        from trades anyway, so a failure here never fails the trades. A block or a rate limit
        is tried again at the next poll; any other failure is said once and given up."""
        ctx = self.ctx
        coin = ctx.store.coin(mint)
        created_ms = round(coin.created_at * 1000) if coin and coin.created_at else None
        try:
            candles = await ctx.client.candles(
                mint,
                interval=CANDLE_INTERVAL,
                limit=CANDLE_LIMIT,
                currency="SOL",
                created_ms=created_ms,
                priority=self.priority,
                fail_fast=True,
            )
        except RateLimited:
            return
        except ApiError as error:
            self._candles_done = True
            ctx.emit(
                EngineError(
                    self.name,
                    f"chart history unavailable ({error.message}); "
                    "the chart starts from the trades read",
                )
            )
            return
        # Candles are newest-anchored and sparse; the store merges them with the buckets it
        # builds from trades, so the live edge is never counted twice.
        ctx.store.backfill_candles(mint, candles)
        self._candles_done = True

    def next_interval(self, outcome: PollOutcome) -> float:
        stream = self._stream
        rate = stream.rate.rate if stream else None
        if self.pushed:
            low = max(self.interval.low, PUSH_CHECK_MIN)
            target = PUSH_CHECK_TRADES / rate if rate else self.interval.high
            return self.interval.set(min(self.interval.high, max(low, target)))
        if self.mint in self.ctx.alerted:
            # An alert waits on this coin's next trade (a dev selling a coin gone quiet): read
            # it at the budget's pace (the runner keeps to its floor), however quiet the coin.
            self._first_done = True
            return self.interval.reset()
        target = trade_interval(
            rate, self.interval.low, self.interval.high, cost=FOCUSED_TRADE_POLL_COST
        )
        if not self._first_done:
            # The first page's history gave the rate: go straight to its interval.
            self._first_done = True
            return self.interval.set(target)
        # Quick to speed up, slow to relax: a coin that just went quiet may wake up again.
        return self.interval.set(min(target, self.interval.value * self.interval.grow))


class WatchlistFeed(Feed):
    """Watched coins: their data in one bulk request, then the trades of those that traded."""

    name = "watchlist"
    host = Host.SWAP  # its bulk read is cheap (a v3 group of its own); its trade reads are not
    priority = Priority.NORMAL
    weight = 2.0

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.trades_min * 2, ctx.settings.trades_max)
        self.mints: list[str] = []
        self.excluded: str | None = None  # the focused coin has its own feed
        self._streams: dict[str, _CoinTrades] = {}
        self._last_trade_at: dict[str, float | None] = {}
        self._due: set[str] = set()

    def set_mints(self, mints: Sequence[str]) -> None:
        self.mints = list(dict.fromkeys(mints))
        keep = set(self.mints)
        for mint in list(self._streams):
            if mint not in keep:
                del self._streams[mint]
                self._last_trade_at.pop(mint, None)
                self._due.discard(mint)

    def wanted(self) -> bool:
        return any(m != self.excluded for m in self.mints)

    def next_interval(self, outcome: PollOutcome) -> float:
        if not self.pushed and any(m in self.ctx.alerted for m in self.mints if m != self.excluded):
            # An alert waits on a watched coin's next trade: look at the budget's pace, however
            # quiet the coins have been (a look reads trades only of coins that traded).
            return self.interval.reset()
        return super().next_interval(outcome)

    async def poll(self) -> PollOutcome:
        ctx = self.ctx
        mints = [m for m in self.mints if m != self.excluded][:BULK_LIMIT]
        outcome = PollOutcome()
        if not mints:
            return outcome
        page = await ctx.client.coins_by_mints(mints, priority=self.priority)
        outcome.requests += 1
        for coin in page.items:
            ctx.upsert_coin(coin)
            previous = self._last_trade_at.get(coin.mint, -1.0)
            if coin.last_trade_at != previous:
                self._due.add(coin.mint)
                self._last_trade_at[coin.mint] = coin.last_trade_at
        for mint in mints:
            if mint not in self._streams:
                self._streams[mint] = _CoinTrades(ctx, mint, self.priority, self.name)
                self._due.add(mint)
        due = [m for m in mints if m in self._due]
        # Those that have waited longest first.
        due.sort(key=lambda m: self._streams[m].polled_at or 0.0)
        for mint in due[:WATCHLIST_TRADE_POLLS]:
            result = await self._streams[mint].poll(
                ctx, self.name, self.interval.value, pushed=self.pushed
            )
            outcome.requests += result.requests
            outcome.news += len(result.items)
            outcome.held += result.held
            if self._streams[mint].gave_up:
                outcome.gave_up = True
                outcome.skipped += self._streams[mint].skipped_lately()
            if result.behind:
                outcome.behind = True
            else:
                self._due.discard(mint)
        outcome.more = len(due) > WATCHLIST_TRADE_POLLS
        return outcome


class NewCoinsFeed(Feed):
    """Launches, newest first, from `/coins?sort=created_timestamp&order=DESC`."""

    name = "coins"
    priority = Priority.NORMAL
    weight = 3.0
    woken_by_push = True

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.coins_min, ctx.settings.coins_max)

        async def fetch(offset: int, limit: int, conditional: bool) -> Any:
            page = await ctx.client.coins(
                offset=offset,
                limit=min(limit, COINS_PAGE_LIMIT),
                sort="created_timestamp",
                order="DESC",
                include_nsfw=ctx.include_nsfw,
                conditional=conditional,
                priority=self.priority,
            )
            note_skipped(ctx, self.name, page.skipped, "coin record(s)")
            return page

        self.follower: ListFollower[Coin] = ListFollower(
            fetch,
            key=lambda c: c.mint,
            order=lambda c: c.created_at or 0.0,
            page_limit=COINS_PAGE_LIMIT,
            first_limit=50,
            budget_wait=lambda: ctx.budget_wait(Host.FRONTEND, COINS_GROUP),
            clock=ctx.monotonic,
        )

    async def poll(self) -> PollOutcome:
        ctx = self.ctx
        result = await self.follower.poll(50)
        fresh = {coin.mint for coin in result.items}
        for coin in result.items:
            ctx.upsert_coin(coin, new=True, historical=result.historical)
        # The first page also carries fresh market data of the newest coins we already list.
        for coin in result.head:
            if coin.mint not in fresh:
                ctx.upsert_coin(coin)
        # ...and says which held coins it no longer lists (hidden or banned by moderators).
        if (delisted := ctx.store.missing_from_listing(result.head)) is not None:
            ctx.emit(delisted)
        return PollOutcome(
            news=len(result.items),
            unchanged=result.unchanged,
            behind=result.behind,
            held=result.held,
            requests=result.requests,
        )


class LeaderFeed(Feed):
    """The coin leading the bonding curve: the highest market cap not yet graduated.

    King of the Hill has no route any more (`/coins/king-of-the-hill` answers 404); this is the
    nearest thing the API can measure, and the UI labels it for what it is."""

    name = "leader"
    host = Host.FRONTEND
    priority = Priority.NORMAL
    weight = 0.5

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.market_min / 2, ctx.settings.market_max)

    async def poll(self) -> PollOutcome:
        ctx = self.ctx
        page = await ctx.client.coins(
            offset=0,
            limit=1,
            sort="market_cap",
            order="DESC",
            complete=False,
            include_nsfw=ctx.include_nsfw,
            conditional=True,
            priority=self.priority,
        )
        if page.unchanged or not page.items:
            return PollOutcome(unchanged=True, requests=1)
        coin = page.items[0]
        leader = ctx.store.reported_leader
        if leader is None or leader.mint != coin.mint:
            ctx.emit(LeaderChanged(coin))
            return PollOutcome(news=1, requests=1)
        return PollOutcome(news=int(ctx.upsert_coin(coin)), requests=1)


class SolPriceFeed(Feed):
    name = "sol-price"
    priority = Priority.BACKGROUND
    weight = 0.3

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, 30.0, 300.0)

    async def poll(self) -> PollOutcome:
        price = await self.ctx.client.sol_price(conditional=True, priority=self.priority)
        store = self.ctx.store
        if price is None or (price.usd == store.sol_price and price.stale == store.sol_price_stale):
            return PollOutcome(unchanged=price is None, requests=1)
        self.ctx.emit(SolPriceChanged(price.usd, price.stale))
        return PollOutcome(news=1, requests=1)


class MarketFeed(Feed):
    """Fresh market data for the listed coins (and the focused one), one bulk request a round."""

    name = "market"
    priority = Priority.BACKGROUND
    weight = 1.0

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.market_min, ctx.settings.market_max)
        self.focused: str | None = None
        self.excluded: frozenset[str] = frozenset()
        self.listed = 60
        self._asked_alone: str | None = None  # the focused mint last looked up on its own

    def wanted(self) -> bool:
        return self.focused is not None or len(self.ctx.store) > 0

    async def poll(self) -> PollOutcome:
        ctx = self.ctx
        mints = [self.focused] if self.focused else []
        mints += [c.mint for c in ctx.store.new_coins(self.listed)]
        mints = [m for m in dict.fromkeys(mints) if m not in self.excluded][:BULK_LIMIT]
        if not mints:
            return PollOutcome()
        page = await ctx.client.coins_by_mints(mints, priority=self.priority)
        changed = sum(ctx.upsert_coin(coin) for coin in page.items)
        focused = self.focused
        if focused is not None and focused != self._asked_alone and ctx.store.coin(focused) is None:
            # A bulk answer leaves an unknown mint out without a word: ask for it alone, once,
            # so that a coin that does not exist says so instead of loading for ever.
            self._asked_alone = focused
            try:
                coin = await ctx.client.coin(focused, priority=self.priority)
            except NotFound as error:
                if error.unrouted:
                    raise
                ctx.emit(CoinNotFound(focused))
            else:
                if coin is not None:
                    changed += int(ctx.upsert_coin(coin))
            return PollOutcome(news=changed, requests=2)
        return PollOutcome(news=changed, requests=1)


class _FocusedCoinFeed(Feed):
    """Base of the feeds that read figures of the focused coin only."""

    def __init__(self, ctx: FeedContext, low: float, high: float) -> None:
        super().__init__(ctx, low, high)
        self.mint: str | None = None

    def set_mint(self, mint: str | None) -> bool:
        if mint == self.mint:
            return False
        self.mint = mint
        self.reset()
        return True

    def wanted(self) -> bool:
        return self.mint is not None

    def next_interval(self, outcome: PollOutcome) -> float:
        # Figures, not a stream: the same pace whether or not they changed.
        return self.interval.quiet()


class HoldersFeed(_FocusedCoinFeed):
    """Who holds the focused coin: the summary (top-10 %, dev %, snipers, bundlers) and the
    largest holders with their flags. Two v3 requests a poll, on the coins group's budget."""

    name = "holders"
    host = Host.FRONTEND
    priority = Priority.NORMAL
    weight = 0.5

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, HOLDERS_MIN, HOLDERS_MAX)

    async def poll(self) -> PollOutcome:
        mint = self.mint
        if mint is None:
            return PollOutcome()
        ctx = self.ctx
        stats = await ctx.client.holder_stats(mint, priority=self.priority)
        top, _total = await ctx.client.top_holders(mint, priority=self.priority)
        event = HoldersChanged(mint, stats, tuple(top), read_at=time.time())
        known = ctx.store.holders(mint)
        changed = known is None or (known.stats, known.top) != (event.stats, event.top)
        ctx.emit(event)  # always: the panel shows the figures' age
        return PollOutcome(news=int(changed), requests=2)


class ActivityFeed(_FocusedCoinFeed):
    """The focused coin's market activity (5 m / 1 h / 6 h / 24 h). It is read from swap-api,
    whose budget the trades need most, so it is read rarely and in the background."""

    name = "activity"
    host = Host.SWAP
    priority = Priority.BACKGROUND
    weight = 0.3

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ACTIVITY_MIN, ACTIVITY_MAX)

    async def poll(self) -> PollOutcome:
        mint = self.mint
        if mint is None:
            return PollOutcome()
        ctx = self.ctx
        activity = await ctx.client.market_activity(mint, priority=self.priority)
        changed = ctx.store.market_activity(mint) != activity
        ctx.emit(ActivityChanged(mint, activity, read_at=time.time()))  # always: its age shows
        return PollOutcome(news=int(changed), unchanged=not changed, requests=1)


class CalloutsFeed(_FocusedCoinFeed):
    """The focused coin's top callouts (`/callout/top/{mint}`), on the v3 callout-top group's
    own budget. They change slowly: read every `callouts_min` seconds (10 by default) while
    they change, less often while they do not, up to `callouts_max`. `CalloutsChanged` is
    published when they changed (a multiple moving is a change); a 304 or the same callouts
    again publish nothing (how fresh they are is the feed's health)."""

    name = "callouts"
    host = Host.FRONTEND
    priority = Priority.NORMAL
    weight = 0.5

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.callouts_min, ctx.settings.callouts_max)

    async def poll(self) -> PollOutcome:
        mint = self.mint
        if mint is None:
            return PollOutcome()
        ctx = self.ctx
        known = ctx.store.callouts(mint)
        page = await ctx.client.callouts(
            mint, conditional=known is not None, priority=self.priority
        )
        note_skipped(ctx, self.name, page.skipped, f"callout(s) of {mint[:8]}…")
        callouts = tuple(page.items)
        changed = not page.unchanged and callouts != known
        if changed:
            ctx.emit(CalloutsChanged(mint, callouts, read_at=time.time()))
        return PollOutcome(news=int(changed), unchanged=not changed, requests=1)

    def next_interval(self, outcome: PollOutcome) -> float:
        return self.interval.active() if outcome.news else self.interval.quiet()


class CreatorFeed(Feed):
    """The coins a wallet created (`/coins?creator=`, one page of 70, newest first), on the v3
    coins group's budget. Two subjects: the focused coin's creator, read once per coin (how
    many coins, how many graduated, when the last launched: the Coin screen's creator line), and
    the creator whose view is open (`set_creator`), read again every `CREATOR_MIN` to
    `CREATOR_MAX` seconds while it is shown, so that view is a live table. The focused coin's
    creator is known only once its record is in the store: the engine wakes this feed when it
    arrives."""

    name = "creator"
    host = Host.FRONTEND
    priority = Priority.NORMAL
    weight = 0.3

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, CREATOR_MIN, CREATOR_MAX)
        self.mint: str | None = None
        self.creator: str | None = None
        self._read_for: str | None = None  # the focused mint whose creator was read

    def set_mint(self, mint: str | None) -> bool:
        if mint == self.mint:
            return False
        self.mint = mint
        self.reset()
        return True

    def set_creator(self, creator: str | None) -> bool:
        if creator == self.creator:
            return False
        self.creator = creator
        self.reset()
        return True

    def subject(self) -> str | None:
        """Whose coins to read next: the open creator's view, else the focused coin's creator
        until it has been read once."""
        if self.creator is not None:
            return self.creator
        mint = self.mint
        if mint is None or mint == self._read_for:
            return None
        coin = self.ctx.store.coin(mint)
        return coin.creator if coin is not None else None

    def wanted(self) -> bool:
        return self.subject() is not None

    async def poll(self) -> PollOutcome:
        creator = self.subject()
        if creator is None:
            return PollOutcome()
        ctx = self.ctx
        mint = self.mint
        page = await ctx.client.coins(
            offset=0,
            limit=COINS_PAGE_LIMIT,
            sort="created_timestamp",
            order="DESC",
            creator=creator,
            include_nsfw=ctx.include_nsfw,
            priority=self.priority,
        )
        note_skipped(ctx, self.name, page.skipped, "coin record(s)")
        if self.creator is None and mint is not None:
            self._read_for = mint
        coins = tuple(page.items)
        known = ctx.store.creator_coins(creator)
        changed = known is None or known.coins != coins
        more = len(page.items) + page.skipped >= COINS_PAGE_LIMIT
        # Always: the creator line and the view show how old the figures are.
        ctx.emit(CreatorCoinsChanged(creator, coins, more=more, read_at=time.time()))
        return PollOutcome(news=int(changed), unchanged=not changed, requests=1)

    def next_interval(self, outcome: PollOutcome) -> float:
        return self.interval.active() if outcome.news else self.interval.quiet()
