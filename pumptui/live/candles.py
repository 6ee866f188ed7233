"""OHLCV candles built incrementally from trades, one bounded series per timeframe.

Price is the pool's price after each trade (`Trade.chart_price`, SOL per whole token), as the
service's own candles are drawn; volume is in SOL.
Open and close are chosen by chain order (slot, position in slot), not by arrival order, so a
series fed out of order (a backfill after an outage) ends up exactly like one fed in order, and
exactly like `candles_from_trades` on the same trades. Trades that moved no tokens carry no price
and are ignored. Buckets with no trades are absent (a chart draws them as gaps).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import replace

from pumptui.api.models import LAMPORTS_PER_SOL, Candle, Trade

TIMEFRAMES: tuple[int, ...] = (1, 15, 60, 300, 900, 3600)
DEFAULT_CAPACITY = 720

_NO_KEY: tuple[int, int, float, str] = (0, 0, 0.0, "")


class _Bucket:
    __slots__ = (
        "backfilled",
        "close",
        "close_key",
        "high",
        "low",
        "open",
        "open_key",
        "start",
        "trades",
        "volume",
    )

    def __init__(
        self, start: float, price: float, volume: int, key: tuple[int, int, float, str]
    ) -> None:
        self.start = start
        self.open = self.high = self.low = self.close = price
        self.volume = volume  # lamports: integer sums do not depend on arrival order
        self.open_key = self.close_key = key
        # Live trades folded in; a bucket from a backfill also holds trades we never saw.
        self.trades = 1
        self.backfilled = key is _NO_KEY

    def add(self, price: float, volume: int, key: tuple[int, int, float, str]) -> None:
        if price > self.high:
            self.high = price
        if price < self.low:
            self.low = price
        self.volume += volume
        self.trades += 1
        # A bucket from a backfill (_NO_KEY) keeps the API's open: live trades come after it.
        if key < self.open_key:
            self.open, self.open_key = price, key
        if key > self.close_key:
            self.close, self.close_key = price, key


def _lamports(sol: float) -> int:
    return max(0, round(sol * LAMPORTS_PER_SOL))


def bucket_start(timestamp: float, seconds: int) -> float:
    return float(int(timestamp // seconds) * seconds)


class CandleSeries:
    """The candles of one coin at one timeframe; keeps the newest `capacity` buckets."""

    def __init__(self, mint: str, seconds: int, capacity: int = DEFAULT_CAPACITY) -> None:
        self.mint = mint
        self.seconds = seconds
        self.capacity = max(1, capacity)
        self._starts: list[float] = []
        self._buckets: list[_Bucket] = []

    def __len__(self) -> int:
        return len(self._buckets)

    def _find(self, start: float) -> tuple[int, bool]:
        starts = self._starts
        if starts and starts[-1] <= start:
            index = len(starts) - 1 if starts[-1] == start else len(starts)
        else:
            index = bisect_left(starts, start)
        return index, index < len(starts) and starts[index] == start

    def _insert(self, index: int, bucket: _Bucket) -> bool:
        if len(self._buckets) >= self.capacity and index == 0:
            return False  # older than everything we keep
        self._starts.insert(index, bucket.start)
        self._buckets.insert(index, bucket)
        if len(self._buckets) > self.capacity:
            del self._starts[0]
            del self._buckets[0]
        return True

    def add_trade(self, trade: Trade) -> bool:
        """Fold one trade in; returns whether any candle changed."""
        if trade.raw_tokens <= 0:
            return False
        price = trade.chart_price
        start = bucket_start(trade.timestamp, self.seconds)
        index, found = self._find(start)
        key = trade.chain_order
        if found:
            self._buckets[index].add(price, trade.lamports, key)
            return True
        return self._insert(index, _Bucket(start, price, trade.lamports, key))

    def confirm(self, pushed: Trade, confirmed: Trade) -> None:
        """A pushed trade (receive time, provisional order) got its REST copy (block time, slot).

        In the same bucket only its order key changes. If the block time falls in another bucket,
        its volume moves there exactly, and its price joins that bucket; the old bucket keeps its
        extremes (the other trades that made them are not kept), or goes if it held only this
        trade."""
        if pushed.raw_tokens <= 0:
            return
        old_key, new_key = pushed.chain_order, confirmed.chain_order
        start = bucket_start(pushed.timestamp, self.seconds)
        index, found = self._find(start)
        if not found:
            self.add_trade(confirmed)  # its bucket has aged out; the new one may not have
            return
        bucket = self._buckets[index]
        if start == bucket_start(confirmed.timestamp, self.seconds):
            if bucket.open_key == old_key:
                bucket.open_key = new_key
            if bucket.close_key == old_key:
                bucket.close_key = new_key
            return
        bucket.volume = max(0, bucket.volume - pushed.lamports)
        bucket.trades -= 1
        if bucket.trades <= 0 and not bucket.backfilled:
            del self._starts[index]
            del self._buckets[index]
        self.add_trade(confirmed)

    def merge(self, candle: Candle) -> None:
        """Merge a candle read from the API (a backfill) into the series.

        A bucket the live trades never touched is taken as is. One they did touch keeps the live
        close (it is newer); the API's open, extremes and volume widen it, because the API saw
        the trades from before the engine started.
        """
        start = bucket_start(candle.start, self.seconds)
        index, found = self._find(start)
        if not found:
            bucket = _Bucket(start, candle.open, _lamports(candle.volume_sol), _NO_KEY)
            bucket.high, bucket.low, bucket.close = candle.high, candle.low, candle.close
            self._insert(index, bucket)
            return
        bucket = self._buckets[index]
        bucket.backfilled = True
        bucket.open = candle.open
        bucket.high = max(bucket.high, candle.high)
        bucket.low = min(bucket.low, candle.low)
        bucket.volume = max(bucket.volume, _lamports(candle.volume_sol))
        if bucket.close_key is _NO_KEY:
            bucket.close = candle.close

    def candles(self, limit: int | None = None) -> list[Candle]:
        """Oldest first, each opening at the close of the one before (see `chained`)."""
        count = len(self._buckets) if limit is None else max(0, min(limit, len(self._buckets)))
        first = len(self._buckets) - count
        before = self._buckets[first - 1].close if first > 0 else None
        return chained(
            [
                Candle(
                    self.mint,
                    b.start,
                    b.open,
                    b.high,
                    b.low,
                    b.close,
                    b.volume / LAMPORTS_PER_SOL,
                    self.seconds,
                )
                for b in self._buckets[first:]
            ],
            before,
        )


def chained(candles: list[Candle], before: float | None = None) -> list[Candle]:
    """Each candle opens at the previous candle's close (`before`: the close of the candle just
    before the first), as charting sites draw them: a candle holding one sell opens where the
    price was and closes lower, so it is red, not a green dash at its own price. The extremes
    widen to take in the open."""
    out: list[Candle] = []
    previous = before
    for candle in candles:
        if previous is not None and previous != candle.open:
            candle = replace(
                candle,
                open=previous,
                high=max(candle.high, previous),
                low=min(candle.low, previous),
            )
        out.append(candle)
        previous = candle.close
    return out


def candles_from_trades(trades: Iterable[Trade], seconds: int) -> list[Candle]:
    """Candles computed in one go from a set of trades (the reference the series must match)."""
    buckets: dict[float, list[Trade]] = {}
    for trade in trades:
        if trade.raw_tokens > 0:
            buckets.setdefault(bucket_start(trade.timestamp, seconds), []).append(trade)
    out: list[Candle] = []
    for start in sorted(buckets):
        ordered = sorted(buckets[start], key=lambda t: t.chain_order)
        prices = [t.chart_price for t in ordered]
        out.append(
            Candle(
                ordered[0].mint,
                start,
                prices[0],
                max(prices),
                min(prices),
                prices[-1],
                sum(t.lamports for t in ordered) / LAMPORTS_PER_SOL,
                seconds,
            )
        )
    return chained(out)


def aggregate(candles: Iterable[Candle], seconds: int) -> list[Candle]:
    """Coarser candles from finer ones (e.g. 1 m → 15 m); input must be oldest first."""
    out: list[Candle] = []
    for candle in candles:
        start = bucket_start(candle.start, seconds)
        if out and out[-1].start == start:
            last = out[-1]
            out[-1] = Candle(
                last.mint,
                start,
                last.open,
                max(last.high, candle.high),
                min(last.low, candle.low),
                candle.close,
                last.volume_sol + candle.volume_sol,
                seconds,
            )
        else:
            out.append(
                Candle(
                    candle.mint,
                    start,
                    candle.open,
                    candle.high,
                    candle.low,
                    candle.close,
                    candle.volume_sol,
                    seconds,
                )
            )
    return out
