"""The engine's feeds: each one knows what to ask the API and what the answer means.

A feed's `poll()` makes one or a few requests, turns what is new into events (through
`FeedContext.emit`, which writes the store and publishes on the bus), and says how it went in a
`PollOutcome`. When to poll, backoff and health are the runner's business (`runner.py`); feeds
only suggest their next interval. A feed never swallows an API error: it propagates to the runner,
and the feed's state (what was delivered, what is held) stays consistent for the next poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pumptui.api.budget import Priority
from pumptui.api.models import Coin, Reply, Trade
from pumptui.config import RefreshSettings
from pumptui.live.events import (
    CoinUpdated,
    EngineError,
    Event,
    KingChanged,
    NewCoin,
    NewReply,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.follow import FollowResult, ListFollower, page_size_for
from pumptui.live.schedule import AdaptiveInterval, RateEstimate, trade_interval
from pumptui.live.store import MarketStore

FEED_NAMES: tuple[str, ...] = (
    "coins", "site-trades", "king", "sol-price", "market", "trades", "replies", "watchlist",
)
BULK_LIMIT = 100
# Watched coins whose trades are read in one watchlist poll; the rest follow in the next.
WATCHLIST_TRADE_POLLS = 4
# While a push source delivers a coin's trades, REST only checks them (block times, slots, any
# the socket dropped): about this many new trades a look, never more often than every
# PUSH_CHECK_MIN seconds, and at most PUSH_CHECK_PAGES pages a look.
PUSH_CHECK_TRADES = 150
PUSH_CHECK_MIN = 5.0
PUSH_CHECK_PAGES = 2
# Pages one poll may read to close a gap (polling alone).
MAX_PAGES = 8


@dataclass
class FeedContext:
    """What every feed needs from the engine."""

    client: Any
    store: MarketStore
    emit: Callable[[Event], None]
    settings: RefreshSettings
    include_nsfw: bool = False
    budget_wait: Callable[[], float] = lambda: 0.0
    monotonic: Callable[[], float] = time.monotonic
    # Coins whose trades a feed follows (focused: "trades", watched: "watchlist").
    followed: dict[str, str] = field(default_factory=dict)
    # Ask a feed to poll soon (within its share of the budget).
    nudge: Callable[[str], None] = lambda feed: None
    # Since when a push source has delivered every trade of a coin (None: it has not).
    pushed_since: Callable[[str], float | None] = lambda mint: None

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
    # More work is waiting (e.g. watched coins not read this round): poll again soon.
    more: bool = False
    notes: list[str] = field(default_factory=list)


class Feed:
    """Base: a named poller with a priority, a weight for sharing the budget, and bounds."""

    name: str = "feed"
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
    """One coin's trade stream: a follower plus the measured trade rate."""

    def __init__(self, ctx: FeedContext, mint: str, priority: Priority) -> None:
        self.mint = mint
        self.rate = RateEstimate(weight=0.5)

        async def fetch(offset: int, limit: int, conditional: bool) -> Any:
            return await ctx.client.trades(mint, offset=offset, limit=limit,
                                           conditional=conditional, priority=priority)

        self.follower: ListFollower[Trade] = ListFollower(
            fetch, key=lambda t: t.signature, order=lambda t: t.chain_order,
            page_limit=200, first_limit=100, max_pages=MAX_PAGES, budget_wait=ctx.budget_wait,
            rate_hint=lambda: self.rate.rate, clock=ctx.monotonic,
        )
        self.polled_at: float | None = None
        self.newest_timestamp: float | None = None
        # When the socket delivered the newest trade REST has read (None: it did not).
        self.newest_pushed_at: float | None = None
        self.head_limit = page_size_for(0)

    async def poll(self, ctx: FeedContext, feed: str, interval: float,
                   *, pushed: bool = False) -> FollowResult[Trade]:
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
        size = page_size_for(expected)
        if size > self.head_limit or page_size_for(expected * 3) < self.head_limit:
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
            self.rate.add(result.found, now - self.polled_at)
        self.polled_at = now
        if result.abandoned and not self._push_covered(ctx, checked_up_to, checked_pushed_at):
            ctx.emit(EngineError(feed, f"trades of {self.mint[:8]}… arrive faster than the "
                                       "request budget allows; some older ones were skipped"))
        return result

    def _push_covered(self, ctx: FeedContext, checked_up_to: float | None,
                      checked_pushed_at: float | None) -> bool:
        """Whether every trade after the newest one REST had read was pushed to us: the socket
        was subscribed before that trade was made (its block time says so), or delivered that
        very trade (block times are whole seconds, so only this tells right after subscribing)."""
        since = ctx.pushed_since(self.mint)
        if since is None:
            return False
        return (checked_up_to is not None and since <= checked_up_to) or (
            checked_pushed_at is not None and since <= checked_pushed_at)


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
        self._stream = _CoinTrades(self.ctx, mint, self.priority) if mint else None
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
        outcome = PollOutcome(news=len(result.items), unchanged=result.unchanged,
                              behind=result.behind, held=result.held, requests=result.requests)
        if not self._candles_done:
            page = await ctx.client.candles(stream.mint, timeframe_minutes=1, limit=1000,
                                            priority=self.priority)
            outcome.requests += 1
            ctx.store.backfill_candles(stream.mint, page.items)
            self._candles_done = True
        return outcome

    def next_interval(self, outcome: PollOutcome) -> float:
        stream = self._stream
        rate = stream.rate.rate if stream else None
        if self.pushed:
            low = max(self.interval.low, PUSH_CHECK_MIN)
            target = PUSH_CHECK_TRADES / rate if rate else self.interval.high
            return self.interval.set(min(self.interval.high, max(low, target)))
        target = trade_interval(rate, self.interval.low, self.interval.high)
        if not self._first_done:
            # The first page's history gave the rate: go straight to its interval.
            self._first_done = True
            return self.interval.set(target)
        # Quick to speed up, slow to relax: a coin that just went quiet may wake up again.
        return self.interval.set(min(target, self.interval.value * self.interval.grow))


class WatchlistFeed(Feed):
    """Watched coins: their data in one bulk request, then the trades of those that traded."""

    name = "watchlist"
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
                self._streams[mint] = _CoinTrades(ctx, mint, self.priority)
                self._due.add(mint)
        due = [m for m in mints if m in self._due]
        # Those that have waited longest first.
        due.sort(key=lambda m: self._streams[m].polled_at or 0.0)
        for mint in due[:WATCHLIST_TRADE_POLLS]:
            result = await self._streams[mint].poll(ctx, self.name, self.interval.value,
                                                    pushed=self.pushed)
            outcome.requests += result.requests
            outcome.news += len(result.items)
            outcome.held += result.held
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
            return await ctx.client.coins(offset=offset, limit=min(limit, BULK_LIMIT),
                                          sort="created_timestamp", order="DESC",
                                          include_nsfw=ctx.include_nsfw,
                                          conditional=conditional, priority=self.priority)

        self.follower: ListFollower[Coin] = ListFollower(
            fetch, key=lambda c: c.mint, order=lambda c: c.created_at or 0.0,
            page_limit=BULK_LIMIT, first_limit=50, budget_wait=ctx.budget_wait,
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
        return PollOutcome(news=len(result.items), unchanged=result.unchanged,
                           behind=result.behind, held=result.held, requests=result.requests)


class RepliesFeed(Feed):
    """The focused coin's reply thread, newest first."""

    name = "replies"
    priority = Priority.FOREGROUND
    weight = 1.0

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.replies_min, ctx.settings.replies_max)
        self.mint: str | None = None
        self.follower: ListFollower[Reply] | None = None

    def set_mint(self, mint: str | None) -> bool:
        if mint == self.mint:
            return False
        self.mint = mint
        self.follower = self._follower(mint) if mint else None
        self.reset()
        return True

    def _follower(self, mint: str) -> ListFollower[Reply]:
        ctx = self.ctx

        async def fetch(offset: int, limit: int, conditional: bool) -> Any:
            return await ctx.client.replies(mint, offset=offset, limit=min(limit, BULK_LIMIT),
                                            conditional=conditional, priority=self.priority)

        return ListFollower(fetch, key=lambda r: r.id, order=lambda r: (r.timestamp, r.id),
                            page_limit=BULK_LIMIT, first_limit=50,
                            budget_wait=ctx.budget_wait, clock=ctx.monotonic)

    def wanted(self) -> bool:
        return self.follower is not None

    async def poll(self) -> PollOutcome:
        follower = self.follower
        if follower is None:
            return PollOutcome()
        result = await follower.poll(20)
        for reply in result.items:
            self.ctx.emit(NewReply(reply, historical=result.historical))
        return PollOutcome(news=len(result.items), unchanged=result.unchanged,
                           behind=result.behind, held=result.held, requests=result.requests)


class SiteTradesFeed(Feed):
    """The newest trade on the whole site (`/trades/latest`): a sample for the home tape."""

    name = "site-trades"
    priority = Priority.NORMAL
    weight = 1.0

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.coins_min, ctx.settings.coins_max)
        self._last: str | None = None

    async def poll(self) -> PollOutcome:
        trade = await self.ctx.client.latest_trade(conditional=True, priority=self.priority)
        if trade is None or trade.signature == self._last:
            return PollOutcome(unchanged=trade is None, requests=1)
        self._last = trade.signature
        follower = self.ctx.followed.get(trade.mint)
        if follower is not None:
            # That coin's own feed delivers its trades, complete and in order: tell it to look.
            if not self.ctx.store.has_trade(trade.mint, trade.signature):
                self.ctx.nudge(follower)
            return PollOutcome(requests=1)
        self.ctx.emit(NewTrade(trade))
        return PollOutcome(news=1, requests=1)


class KingFeed(Feed):
    name = "king"
    priority = Priority.NORMAL
    weight = 0.5

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, ctx.settings.market_min / 2, ctx.settings.market_max)

    async def poll(self) -> PollOutcome:
        ctx = self.ctx
        coin = await ctx.client.king_of_the_hill(include_nsfw=ctx.include_nsfw,
                                                 conditional=True, priority=self.priority)
        if coin is None:
            return PollOutcome(unchanged=True, requests=1)
        king = ctx.store.king
        if king is None or king.mint != coin.mint:
            ctx.emit(KingChanged(coin))
            return PollOutcome(news=1, requests=1)
        return PollOutcome(news=int(ctx.upsert_coin(coin)), requests=1)


class SolPriceFeed(Feed):
    name = "sol-price"
    priority = Priority.BACKGROUND
    weight = 0.3

    def __init__(self, ctx: FeedContext) -> None:
        super().__init__(ctx, 30.0, 300.0)

    async def poll(self) -> PollOutcome:
        usd = await self.ctx.client.sol_price(conditional=True, priority=self.priority)
        if usd is None or usd == self.ctx.store.sol_price:
            return PollOutcome(unchanged=usd is None, requests=1)
        self.ctx.emit(SolPriceChanged(usd))
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
        return PollOutcome(news=changed, requests=1)
