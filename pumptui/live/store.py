"""The market store: everything the engine has learnt, bounded, synchronous, no I/O.

Widgets read from here; the engine writes here (through `apply`) before it publishes each event,
so the store is the source of truth and a reader that missed events can always catch up by
re-reading it. Every collection has a bound, so memory stays flat however long the engine runs:
coins are kept in LRU order (coins marked with `protect` — the focused and watched ones — are never
evicted), per-coin trade history is a ring, candles are rings, and only the most recently active
coins keep a trade history at all.

`apply` is idempotent: applying the same trade or coin twice changes nothing.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pumptui.api.models import (
    BoardEntry,
    Callout,
    Candle,
    Coin,
    MarketActivity,
    Trade,
)
from pumptui.live.candles import TIMEFRAMES, CandleSeries, aggregate
from pumptui.live.events import (
    ActivityChanged,
    BoardChanged,
    CalloutsChanged,
    CoinNotFound,
    CoinsDelisted,
    CoinUpdated,
    CreatorCoinsChanged,
    EngineError,
    Event,
    FeedHealthChanged,
    HoldersChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    RouteMoved,
    SolPriceChanged,
    TradeConfirmed,
)
from pumptui.live.health import FeedHealth
from pumptui.live.step_series import StepSeries

# Board coins whose market cap over time is kept (the trenches screen's trends): the three
# boards list at most 150 at a time; the rest are coins that left them lately.
BOARD_TREND_COINS = 400


@dataclass(frozen=True, slots=True)
class BoardRead:
    """When a trenches board last arrived (Unix seconds), and how: `version` is the socket's,
    None when the board was read over HTTP while its socket was down."""

    version: int | None
    read_at: float


class _CoinActivity:
    """A coin's trade ring (chain order, oldest first) and its candle series."""

    __slots__ = ("candles", "provisional", "signatures", "trades")

    def __init__(self, mint: str, candle_capacity: int) -> None:
        self.trades: list[Trade] = []
        self.signatures: set[str] = set()
        # Pushed trades whose REST copy has not come yet (they sort after every confirmed one),
        # oldest first, also once the ring has let them go: a late REST copy is then known for
        # a confirmation, not taken for a new trade (which would be a duplicate).
        self.provisional: OrderedDict[str, Trade] = OrderedDict()
        self.candles = {s: CandleSeries(mint, s, candle_capacity) for s in TIMEFRAMES}

    def add(self, trade: Trade, capacity: int) -> bool:
        if trade.signature in self.signatures or (
            trade.provisional and trade.signature in self.provisional
        ):
            return False
        trades = self.trades
        key = trade.chain_order
        index = len(trades)
        while index > 0 and trades[index - 1].chain_order > key:
            index -= 1
        if index == 0 and len(trades) >= capacity:
            # Older than all we keep: it still counts for the candles.
            self._add_to_candles(trade)
            return True
        trades.insert(index, trade)
        self.signatures.add(trade.signature)
        if trade.provisional:
            self.provisional[trade.signature] = trade
            # The ring holds at most `capacity`: at least as many let go are remembered.
            while len(self.provisional) > 2 * capacity:
                self.provisional.popitem(last=False)
        if len(trades) > capacity:
            excess = len(trades) - capacity
            for old in trades[:excess]:
                self.signatures.discard(old.signature)
            del trades[:excess]
        self._add_to_candles(trade)
        return True

    def confirm(self, trade: Trade) -> bool:
        """Replace a pushed trade by its REST copy: moved to its chain position, candles fixed.
        One the ring has let go stays out (newer trades took its place); its candles are fixed."""
        pushed = self.provisional.pop(trade.signature, None)
        if pushed is None:
            return False
        trades = self.trades
        index = bisect_left(trades, pushed.chain_order, key=_chain_order)
        if index < len(trades) and trades[index].signature == pushed.signature:
            del trades[index]
            insort(trades, trade, key=_chain_order)
        for series in self.candles.values():
            series.confirm(pushed, trade)
        return True

    def _add_to_candles(self, trade: Trade) -> None:
        for series in self.candles.values():
            series.add_trade(trade)


@dataclass(frozen=True, slots=True)
class CreatorTally:
    """What a coin's creator traded in it, over the trades the app has seen (the coin's tape and
    the creator's own trades read with `userAddress`); token amounts in raw units."""

    bought: int = 0
    sold: int = 0
    buys: int = 0
    sells: int = 0

    @property
    def sold_fraction(self) -> float | None:
        """The share of the tokens the creator bought that they sold, 0 to 1 (capped: tokens
        bought before the trades seen, or received, can make it more); None before any buy."""
        return min(1.0, self.sold / self.bought) if self.bought else None


def _chain_order(trade: Trade) -> tuple[int, int, float, str]:
    return trade.chain_order


class MarketStore:
    """Bounded in-memory market state. Not thread-safe: use it from the engine's event loop."""

    def __init__(
        self,
        *,
        max_coins: int = 2000,
        max_trade_coins: int = 64,
        trades_per_coin: int = 2000,
        site_trades: int = 200,
        max_detail_coins: int = 32,
        max_activity_coins: int = 400,
        candle_capacity: int = 720,
        price_points: int = 48,
        price_step: float = 15.0,
    ) -> None:
        self.max_coins = max_coins
        self.max_trade_coins = max_trade_coins
        self.trades_per_coin = trades_per_coin
        self.site_trade_capacity = site_trades
        # How many coins keep their details (holders, market activity, callouts, not-found
        # marks): each is the newest read, and only the coins looked at lately need one.
        self.max_detail_coins = max_detail_coins
        # How many coins keep their market activity: the screener reads every listed row's.
        self.max_activity_coins = max(max_activity_coins, max_detail_coins)
        self.candle_capacity = candle_capacity
        # A coin's price history: its last price in each `price_step` seconds, for the newest
        # `price_points` steps (12 minutes: what a trend over the last 10 minutes needs).
        self.price_point_capacity = price_points
        self.price_step = price_step

        self._coins: OrderedDict[str, Coin] = OrderedDict()
        self._coin_versions: dict[str, int] = {}
        self._activity: OrderedDict[str, _CoinActivity] = OrderedDict()
        self._prices: OrderedDict[str, StepSeries] = OrderedDict()
        self._site: list[Trade] = []
        self._site_signatures: set[str] = set()
        self._protected: frozenset[str] = frozenset()
        self._order_cache: list[str] | None = None
        # The leader the service last reported; `leader` weighs it against every coin held.
        self._reported_leader: Coin | None = None
        self._leader_cache: tuple[int, Coin | None] | None = None
        self._sol_price: float | None = None
        self.sol_price_stale = False
        # Per coin, the newest holder figures and market activity (bounded like the coins).
        self._holders: OrderedDict[str, HoldersChanged] = OrderedDict()
        self._market_activity: OrderedDict[str, ActivityChanged] = OrderedDict()
        self._callouts: OrderedDict[str, CalloutsChanged] = OrderedDict()
        # Per creator (wallet), the coins they created as last read.
        self._creator_coins: OrderedDict[str, CreatorCoinsChanged] = OrderedDict()
        # Trenches boards in their order, and each listed coin's newest board entry.
        self._boards: dict[str, tuple[BoardEntry, ...]] = {}
        self._board_entries: dict[str, BoardEntry] = {}
        # Per coin, its creator's trades by signature (a tape's, or a `userAddress` read):
        # the dev-sold tally. A REST copy replaces a pushed one under the same signature.
        self._creator_trades: OrderedDict[str, dict[str, Trade]] = OrderedDict()
        # Per (coin, trader), that trader's trades in the coin as last read (`userAddress`).
        self._trader_reads: OrderedDict[tuple[str, str], tuple[Trade, ...]] = OrderedDict()
        self._board_reads: dict[str, BoardRead] = {}
        # Per board coin, its USD market cap at the end of each `price_step`, oldest first.
        self._board_caps: OrderedDict[str, StepSeries] = OrderedDict()
        # Held coins the service's new-coins listing no longer shows (hidden, banned...).
        self._delisted: OrderedDict[str, None] = OrderedDict()
        # Mints the service says it has no coin for (forgotten when the coin turns up after all).
        self._missing: OrderedDict[str, None] = OrderedDict()
        # View -> "primary → fallback": routes the service no longer answers.
        self.moved_routes: dict[str, str] = {}
        self._health: dict[str, FeedHealth] = {}
        self.version = 0
        self.errors: deque[EngineError] = deque(maxlen=50)

    # -- writing -----------------------------------------------------------------------------------

    def apply(self, event: Event) -> bool:
        """Fold one event in; returns whether anything changed (and `version` was bumped)."""
        changed = False
        match event:
            case NewCoin(coin=coin) | CoinUpdated(coin=coin):
                changed = self._put_coin(coin)
            case NewTrade(trade=trade):
                changed = self._put_trade(trade)
            case TradeConfirmed(trade=trade):
                changed = self._confirm_trade(trade)
            case LeaderChanged(coin=coin):
                self._put_coin(coin)
                changed = self._reported_leader is None or self._reported_leader != coin
                self._reported_leader = coin
            case SolPriceChanged(usd=usd, stale=stale):
                changed = usd != self._sol_price or stale != self.sol_price_stale
                self._sol_price, self.sol_price_stale = usd, stale
            case HoldersChanged(mint=mint):
                changed = self._holders.get(mint) != event
                _put_bounded(self._holders, mint, event, self.max_detail_coins)
            case ActivityChanged(mint=mint):
                changed = self._market_activity.get(mint) != event
                _put_bounded(self._market_activity, mint, event, self.max_activity_coins)
                if changed:
                    self._bump_coin(mint)  # its row shows the figures and their age
            case CalloutsChanged(mint=mint, callouts=callouts):
                known = self._callouts.get(mint)
                changed = known is None or known.callouts != callouts
                _put_bounded(self._callouts, mint, event, self.max_detail_coins)
                if changed:
                    self._bump_coin(mint)
            case CreatorCoinsChanged(creator=creator):
                changed = self._creator_coins.get(creator) != event
                _put_bounded(self._creator_coins, creator, event, self.max_detail_coins)
            case BoardChanged(board=board, entries=entries, version=version, read_at=read_at):
                self._board_reads[board] = BoardRead(version, read_at)
                changed = self._boards.get(board) != entries
                if changed:
                    for entry in entries:
                        self._add_board_cap(entry.mint, read_at, entry.market_cap_usd)
                    self._boards[board] = entries
                    before = self._board_entries
                    self._board_entries = {
                        e.mint: e for listed in self._boards.values() for e in listed
                    }
                    # A listed coin whose board figures moved is redrawn like any change.
                    for mint, entry in self._board_entries.items():
                        if before.get(mint) != entry and mint in self._coins:
                            self._bump_coin(mint)
            case CoinsDelisted(mints=mints, relisted=relisted):
                for mint in relisted:
                    if mint in self._delisted:
                        del self._delisted[mint]
                        changed = True
                        self._bump_coin(mint)
                for mint in mints:
                    if mint not in self._delisted:
                        changed = True
                        self._bump_coin(mint)
                    _put_bounded(self._delisted, mint, None, self.max_coins)
            case CoinNotFound(mint=mint):
                changed = mint not in self._missing
                _put_bounded(self._missing, mint, None, self.max_detail_coins)
            case RouteMoved(view=view, description=description):
                changed = self.moved_routes.get(view) != description
                self.moved_routes[view] = description
            case FeedHealthChanged(health=health):
                changed = self._health.get(health.feed) != health
                self._health[health.feed] = health
            case EngineError():
                self.errors.append(event)
                changed = True
        if changed:
            self.version += 1
        return changed

    def protect(self, mints: Iterable[str]) -> None:
        """Coins whose data must survive eviction (the focused coin, the watchlist)."""
        self._protected = frozenset(mints)

    def backfill_candles(self, mint: str, candles: Iterable[Candle]) -> None:
        """Merge candles read from the API into the coin's series, and into coarser timeframes
        that are whole multiples of theirs (1 m candles also fill 15 m and 1 h)."""
        candles = sorted(candles, key=lambda c: c.start)
        if not candles:
            return
        activity = self._activity_for(mint)
        base = candles[0].seconds
        for seconds in TIMEFRAMES:
            if seconds < base or seconds % base:
                continue
            series = activity.candles[seconds]
            for candle in candles if seconds == base else aggregate(candles, seconds):
                series.merge(candle)
        self.version += 1
        self._bump_coin(mint)

    def _put_coin(self, coin: Coin) -> bool:
        self._missing.pop(coin.mint, None)
        known = self._coins.get(coin.mint)
        if known == coin:
            self._coins.move_to_end(coin.mint)
            return False
        if known is None:
            self._order_cache = None
        if coin.creator and (known is None or known.creator != coin.creator):
            self._tally_ring(coin.mint, coin.creator)
        self._coins[coin.mint] = coin
        self._coins.move_to_end(coin.mint)
        self._bump_coin(coin.mint)
        if known is None or known.price_sol != coin.price_sol:
            # The price holds since the last trade; a coin never traded has its launch price.
            untraded = coin.created_at if coin.progress <= 0 else None
            self._add_price(coin.mint, coin.last_trade_at or untraded, coin.price_sol)
        if self._reported_leader is not None and self._reported_leader.mint == coin.mint:
            self._reported_leader = coin
        self._evict_coins()
        return True

    def _put_trade(self, trade: Trade) -> bool:
        added_site = self._put_site_trade(trade)
        activity = self._activity_for(trade.mint)
        added = activity.add(trade, self.trades_per_coin)
        if added:
            self._add_price(trade.mint, trade.timestamp, trade.chart_price)
            self._note_creator_trade(trade)
            self._bump_coin(trade.mint)
        return added or added_site

    def _confirm_trade(self, trade: Trade) -> bool:
        activity = self._activity.get(trade.mint)
        if activity is None or not activity.confirm(trade):
            return False
        if trade.signature in self._site_signatures:
            self._site = [t for t in self._site if t.signature != trade.signature]
            self._site_signatures.discard(trade.signature)
            self._put_site_trade(trade)
        self._note_creator_trade(trade)
        self._bump_coin(trade.mint)
        return True

    def _note_creator_trade(self, trade: Trade) -> None:
        """Count the trade in its coin's dev-sold tally if the coin's creator made it."""
        coin = self._coins.get(trade.mint)
        if coin is None or not coin.creator or trade.user != coin.creator:
            return
        trades = self._creator_trades.get(trade.mint) or {}
        trades[trade.signature] = trade
        _put_bounded(self._creator_trades, trade.mint, trades, self.max_coins)

    def _tally_ring(self, mint: str, creator: str) -> None:
        """A coin whose creator just became known: its trades already held count (and trades
        tallied for another creator, which the coin's record corrected, no longer do)."""
        activity = self._activity.get(mint)
        held = activity.trades if activity is not None else []
        read = [t for (m, _), ts in self._trader_reads.items() if m == mint for t in ts]
        tallied = (self._creator_trades.get(mint) or {}).values()
        mine = {t.signature: t for t in [*tallied, *read, *held] if t.user == creator}
        if mine:
            _put_bounded(self._creator_trades, mint, mine, self.max_coins)
        else:
            self._creator_trades.pop(mint, None)

    def put_trader_trades(
        self, mint: str, user: str, trades: Iterable[Trade], max_reads: int = 16
    ) -> None:
        """One trader's trades in a coin, as a `userAddress` read gave them (the newest `limit`
        of them): `trader_trades` merges them with the tape's. The creator's count in the
        dev-sold tally. The newest `max_reads` reads are kept."""
        mine = tuple(t for t in trades if t.mint == mint and t.user == user)
        _put_bounded(self._trader_reads, (mint, user), mine, max_reads)
        coin = self._coins.get(mint)
        if coin is not None and coin.creator == user:
            for trade in mine:
                self._note_creator_trade(trade)
        self.version += 1
        self._bump_coin(mint)

    def _put_site_trade(self, trade: Trade) -> bool:
        if trade.signature in self._site_signatures:
            return False
        site = self._site
        key = (trade.timestamp, trade.slot, trade.tx_index)
        index = len(site)
        while (
            index > 0
            and (site[index - 1].timestamp, site[index - 1].slot, site[index - 1].tx_index) > key
        ):
            index -= 1
        if index == 0 and len(site) >= self.site_trade_capacity:
            return False
        site.insert(index, trade)
        self._site_signatures.add(trade.signature)
        if len(site) > self.site_trade_capacity:
            excess = len(site) - self.site_trade_capacity
            for old in site[:excess]:
                self._site_signatures.discard(old.signature)
            del site[:excess]
        return True

    def _activity_for(self, mint: str) -> _CoinActivity:
        activity = self._activity.get(mint)
        if activity is None:
            activity = self._activity[mint] = _CoinActivity(mint, self.candle_capacity)
            while len(self._activity) > self.max_trade_coins:
                victim = next((m for m in self._activity if m not in self._protected), None)
                if victim is None or victim == mint:
                    break
                del self._activity[victim]
        self._activity.move_to_end(mint)
        return activity

    def _add_price(self, mint: str, at: float | None, price: float) -> None:
        """Keep `price` as the coin's price at `at` (Unix seconds): the latest price of each
        `price_step`, in time order whatever order trades arrive in; a price with no time is
        not a point on a time axis and is left out."""
        if price <= 0 or at is None:
            return
        prices = self._prices
        series = prices.get(mint)
        if series is None:
            series = prices[mint] = StepSeries(self.price_step, self.price_point_capacity)
            while len(prices) > self.max_coins:
                victim = next((m for m in prices if m not in self._protected), None)
                if victim is None or victim == mint:
                    break
                del prices[victim]
        prices.move_to_end(mint)
        series.put(at, price)

    def _add_board_cap(self, mint: str, at: float, market_cap_usd: float | None) -> None:
        """Keep the coin's board market cap at `at`: one point per `price_step`, the latest."""
        if not at or market_cap_usd is None or market_cap_usd <= 0:
            return
        caps = self._board_caps
        series = caps.get(mint)
        if series is None:
            series = caps[mint] = StepSeries(self.price_step, self.price_point_capacity)
            while len(caps) > BOARD_TREND_COINS:
                caps.popitem(last=False)
        caps.move_to_end(mint)
        last = series.last_time
        if last is not None and at < last:
            return  # an older read than what is kept (the boards arrive in time order)
        series.put(at, market_cap_usd)

    def _bump_coin(self, mint: str) -> None:
        versions = self._coin_versions
        versions[mint] = versions.get(mint, 0) + 1
        if len(versions) > 2 * self.max_coins + self.max_trade_coins:
            # Forget versions of coins the store no longer holds anything about.
            for known in [
                m
                for m in versions
                if m not in self._coins and m not in self._activity and m not in self._callouts
            ]:
                del versions[known]

    def _evict_coins(self) -> None:
        while len(self._coins) > self.max_coins:
            victim = next((m for m in self._coins if m not in self._protected), None)
            if victim is None:
                return
            del self._coins[victim]
            self._coin_versions.pop(victim, None)
            self._prices.pop(victim, None)
            self._order_cache = None

    # -- reading -----------------------------------------------------------------------------------

    def coin(self, mint: str) -> Coin | None:
        return self._coins.get(mint)

    def __contains__(self, mint: object) -> bool:
        return mint in self._coins

    def __len__(self) -> int:
        return len(self._coins)

    def new_coins(self, limit: int = 100) -> list[Coin]:
        """Known coins, newest launch first, leaving out those the service no longer lists
        (`is_delisted`)."""
        if self._order_cache is None:
            self._order_cache = sorted(
                self._coins, key=lambda m: self._coins[m].created_at or 0.0, reverse=True
            )
        coins = self._coins
        listed: list[Coin] = []
        for mint in self._order_cache:
            if len(listed) >= limit:
                break
            coin = coins.get(mint)
            if coin is not None and not self.is_delisted(mint):
                listed.append(coin)
        return listed

    def is_delisted(self, mint: str) -> bool:
        """Whether the service no longer lists the coin: its record says it is banned, or the
        new-coins listing left it out where it belonged (hidden by moderators, marked NSFW)."""
        if mint in self._delisted:
            return True
        coin = self._coins.get(mint)
        return coin is not None and coin.is_banned

    def missing_from_listing(self, page: Sequence[Coin]) -> CoinsDelisted | None:
        """What one page of the new-coins listing (newest first) says of the coins held: those
        created within the page's span that it leaves out are no longer listed; those marked so
        that it shows are listed again. None when it says nothing new."""
        times = [c.created_at for c in page if c.created_at]
        if len(times) < 2:
            return None
        oldest, newest = min(times), max(times)
        shown = {c.mint for c in page}
        gone = tuple(
            mint
            for mint, coin in self._coins.items()
            if mint not in shown
            and mint not in self._delisted
            and coin.created_at is not None
            and oldest <= coin.created_at <= newest
        )
        back = tuple(mint for mint in shown if mint in self._delisted)
        return CoinsDelisted(gone, back) if gone or back else None

    def trades(self, mint: str, limit: int | None = None) -> list[Trade]:
        """The coin's trades, newest first (chain order, reversed)."""
        activity = self._activity.get(mint)
        if activity is None:
            return []
        trades = activity.trades
        if limit is not None:
            trades = trades[-limit:] if limit > 0 else []
        return trades[::-1]

    def trader_trades(self, mint: str, user: str) -> list[Trade]:
        """One trader's trades in the coin, newest first: those on its tape and those a
        `userAddress` read gave (`put_trader_trades`), each once (the tape's copy wins)."""
        activity = self._activity.get(mint)
        held = [t for t in activity.trades if t.user == user] if activity is not None else []
        seen = {t.signature for t in held}
        read = [t for t in self._trader_reads.get((mint, user), ()) if t.signature not in seen]
        return sorted([*held, *read], key=_chain_order, reverse=True)

    def has_trader_trades(self, mint: str, user: str) -> bool:
        """Whether the trader's trades in the coin were read (`put_trader_trades`)."""
        return (mint, user) in self._trader_reads

    def creator_tally(self, mint: str) -> CreatorTally | None:
        """What the coin's creator bought and sold in it over the trades seen; None when no
        trade of theirs was seen (or the creator is unknown)."""
        trades = self._creator_trades.get(mint)
        if not trades:
            return None
        bought = sold = buys = sells = 0
        for trade in trades.values():
            if trade.is_buy:
                bought, buys = bought + trade.raw_tokens, buys + 1
            else:
                sold, sells = sold + trade.raw_tokens, sells + 1
        return CreatorTally(bought, sold, buys, sells)

    def dev_sold_fraction(self, mint: str) -> float | None:
        """The share (0 to 1) of the tokens the creator bought that they have sold, once they
        sold any; None while they have not (or no buy of theirs was seen). A fact for the
        header's badge and for alerts alike."""
        tally = self.creator_tally(mint)
        if tally is None or not tally.sells:
            return None
        return tally.sold_fraction

    def has_trade(self, mint: str, signature: str) -> bool:
        activity = self._activity.get(mint)
        return activity is not None and signature in activity.signatures

    def is_provisional(self, trade: Trade) -> bool:
        """Whether this trade is known only as pushed (its REST copy has not come yet)."""
        return self.pushed_at(trade) is not None

    def pushed_at(self, trade: Trade) -> float | None:
        """When the socket delivered this trade, if it did and its REST copy has not come yet."""
        activity = self._activity.get(trade.mint)
        pushed = activity.provisional.get(trade.signature) if activity is not None else None
        return pushed.timestamp if pushed is not None else None

    def site_trades(self, limit: int = 100) -> list[Trade]:
        """The site-wide tape: every trade the engine saw, any coin, newest first."""
        return self._site[-limit:][::-1] if limit > 0 else []

    def callouts(self, mint: str) -> tuple[Callout, ...] | None:
        """The coin's top callouts as last read (the service's order: best multiple first);
        None before the first read."""
        read = self._callouts.get(mint)
        return read.callouts if read is not None else None

    def callouts_read_at(self, mint: str) -> float | None:
        """When the coin's callouts as held were read (Unix seconds): the feed publishes only
        changes, so a later read that found the same ones is in the feed's health instead."""
        read = self._callouts.get(mint)
        return read.read_at if read is not None and read.read_at else None

    def candles(self, mint: str, seconds: int) -> list[Candle]:
        """Oldest first; `seconds` is one of `TIMEFRAMES`."""
        if seconds not in TIMEFRAMES:
            raise ValueError(f"timeframe {seconds}s is not one of {TIMEFRAMES}")
        activity = self._activity.get(mint)
        return activity.candles[seconds].candles() if activity else []

    def price_history(self, mint: str) -> list[tuple[float, float]]:
        """The coin's prices (SOL per token) with their times, `(unix_seconds, price)`, oldest
        first: its last price in each `price_step` seconds, over the last `price_point_capacity`
        steps the store saw."""
        series = self._prices.get(mint)
        return series.points() if series is not None else []

    @property
    def leader(self) -> Coin | None:
        """The coin with the highest market cap still on the bonding curve, over the coin the
        service reported and every coin held: the one answer the header, the ranking line and
        the table's mark all read, so none of them lags the market caps the table shows."""
        cached = self._leader_cache
        if cached is not None and cached[0] == self.version:
            return cached[1]
        candidates = list(self._coins.values())
        reported = self._reported_leader
        if reported is not None and reported.mint not in self._coins:
            candidates.append(reported)
        reported_mint = reported.mint if reported is not None else None
        on_curve = [
            c
            for c in candidates
            if not c.complete and c.market_cap_sol > 0 and not self.is_delisted(c.mint)
        ]
        # Equal caps: the service's own pick.
        best = max(
            on_curve, key=lambda c: (c.market_cap_sol, c.mint == reported_mint), default=None
        )
        self._leader_cache = (self.version, best)
        return best

    @property
    def reported_leader(self) -> Coin | None:
        """The leader as the service last reported it (what the leader feed compares with)."""
        return self._reported_leader

    @property
    def sol_price(self) -> float | None:
        return self._sol_price

    def holders(self, mint: str) -> HoldersChanged | None:
        """The newest holder figures of a coin (with when they were read: `read_at`)."""
        return self._holders.get(mint)

    def creator_coins(self, creator: str) -> CreatorCoinsChanged | None:
        """The coins a wallet created as last read (with `read_at`); None before the first."""
        return self._creator_coins.get(creator)

    def is_missing(self, mint: str) -> bool:
        """Whether the service said it has no such coin (and it has not turned up since)."""
        return mint in self._missing

    def board(self, name: str) -> tuple[BoardEntry, ...]:
        """A trenches board in its order (empty until its socket or HTTP read answered)."""
        return self._boards.get(name, ())

    def board_entry(self, mint: str) -> BoardEntry | None:
        """The coin's newest figures from any board that lists it (holders, top-10 %, dev %…)."""
        return self._board_entries.get(mint)

    def board_read(self, name: str) -> BoardRead | None:
        """When the board last arrived and whether by socket or HTTP (None: not yet)."""
        return self._board_reads.get(name)

    def board_trend(self, mint: str) -> list[tuple[float, float]]:
        """The coin's USD market cap on the boards over time, `(unix_seconds, usd)`, oldest
        first: the latest in each `price_step`, over the last `price_point_capacity` steps."""
        series = self._board_caps.get(mint)
        return series.points() if series is not None else []

    def market_activity(self, mint: str) -> MarketActivity | None:
        read = self._market_activity.get(mint)
        return read.activity if read is not None else None

    def market_activity_read_at(self, mint: str) -> float | None:
        """When the coin's market activity was last read (Unix seconds)."""
        read = self._market_activity.get(mint)
        return read.read_at if read is not None and read.read_at else None

    @property
    def health(self) -> dict[str, FeedHealth]:
        return dict(self._health)

    @property
    def freshest_at(self) -> float | None:
        """When the freshest data arrived, over every feed (None before any)."""
        times = [h.last_good_at for h in self._health.values() if h.last_good_at is not None]
        return max(times) if times else None

    def coin_version(self, mint: str) -> int:
        """Bumps whenever anything about the coin changes (data, trades, callouts, candles).."""
        return self._coin_versions.get(mint, 0)

    def sizes(self) -> dict[str, int]:
        """How much is held, for memory tests and diagnostics."""
        return {
            "coins": len(self._coins),
            "trade_coins": len(self._activity),
            "trades": sum(len(a.trades) for a in self._activity.values()),
            "provisional": sum(len(a.provisional) for a in self._activity.values()),
            "site_trades": len(self._site),
            "callout_coins": len(self._callouts),
            "price_series": len(self._prices),
            "candles": sum(len(s) for a in self._activity.values() for s in a.candles.values()),
        }


def _put_bounded(table: OrderedDict[Any, Any], key: Any, value: Any, capacity: int) -> None:
    table[key] = value
    table.move_to_end(key)
    while len(table) > capacity:
        table.popitem(last=False)
