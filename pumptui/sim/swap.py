"""swap-api's reads over the market model: cursor paging, candles, market activity, and the exact
decimal strings the service sends.

Units (pumpfun-api-2026.md §3.2–3.4), all computed from the model's integers:
- SOL amounts: lamports / 10^9, written with exactly 9 decimals (integer arithmetic, no float);
- token amounts: raw units / 10^6, written with exactly 6 decimals;
- prices: the pool price per whole token after the trade (virtual SOL reserves / virtual token
  reserves, scaled), a Decimal ratio rounded half-even to `PRICE_DP` decimals;
- USD figures: the SOL figure times the SOL price the market had when the trade landed, rounded to
  `USD_DP` (amounts) or `PRICE_DP` (prices) decimals.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal

from pumptui.sim.curve import INITIAL_VIRTUAL_SOL, INITIAL_VIRTUAL_TOKENS
from pumptui.sim.market import SimCoin, SimTrade

PRICE_DP = 18
USD_DP = 9
SLOT_DIGITS = 12
POSITION_DIGITS = 10  # slotIndexId = 12-digit slot + 10-digit position: 22 characters
TRADES_LIMIT_MAX = 100
CANDLES_LIMIT_MAX = 1000
SEEK_PREFIX = "0" * (SLOT_DIGITS + POSITION_DIGITS)

INTERVALS: dict[str, int] = {
    "1s": 1,
    "15s": 15,
    "30s": 30,
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "30m": 1800,
    "1h": 3600,
    "4h": 14_400,
    "6h": 21_600,
    "12h": 43_200,
    "24h": 86_400,
}
ACTIVITY_WINDOWS: dict[str, int] = {"1m": 60, "5m": 300, "1h": 3600, "6h": 21_600, "24h": 86_400}
ACTIVITY_DEFAULT = ("5m", "1h", "6h", "24h")

_CTX = Context(prec=60)
_PRICE_Q = Decimal(1).scaleb(-PRICE_DP)
_USD_Q = Decimal(1).scaleb(-USD_DP)


class CursorError(ValueError):
    """A cursor the service would refuse."""


# -- units ---------------------------------------------------------------------------------


def sol_text(lamports: int) -> str:
    """Lamports as SOL, exactly 9 decimals: 1_500_000_001 → "1.500000001"."""
    sign = "-" if lamports < 0 else ""
    whole, frac = divmod(abs(lamports), 1_000_000_000)
    return f"{sign}{whole}.{frac:09d}"


def token_text(raw: int) -> str:
    """Raw 6-decimal units as whole tokens, exactly 6 decimals: 1_234_567 → "1.234567"."""
    sign = "-" if raw < 0 else ""
    whole, frac = divmod(abs(raw), 1_000_000)
    return f"{sign}{whole}.{frac:06d}"


def pool_price_sol(virtual_sol: int, virtual_tokens: int) -> Decimal:
    """SOL per whole token: (vSol / 10^9) / (vTok / 10^6)."""
    return _CTX.divide(Decimal(virtual_sol), Decimal(virtual_tokens) * 1000)


def price_text(value: Decimal) -> str:
    """A price with exactly `PRICE_DP` decimals, never in exponent notation."""
    return format(value.quantize(_PRICE_Q, rounding=ROUND_HALF_EVEN, context=_CTX), "f")


def usd_text(value: Decimal) -> str:
    return format(value.quantize(_USD_Q, rounding=ROUND_HALF_EVEN, context=_CTX), "f")


def sol_price_decimal(sol_price: float) -> Decimal:
    """The model's SOL price (a float rounded to 4 dp) as the decimal it stands for."""
    return Decimal(repr(sol_price))


def iso_seconds(t: float) -> str:
    """`2026-10-01T12:00:00.000Z`: whole seconds, as swap-api writes trade times."""
    return datetime.fromtimestamp(int(t), UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def slot_index_id(trade: SimTrade) -> str:
    return f"{trade.slot:0{SLOT_DIGITS}d}{trade.tx_index:0{POSITION_DIGITS}d}"


def cursor_of(trade: SimTrade) -> str:
    """The nextCursor of a page that ends at `trade`."""
    return f"{slot_index_id(trade)}-{trade.epoch_ms}"


def trade_record(trade: SimTrade) -> dict[str, object]:
    """One swap-api trade row (§3.2)."""
    sol = Decimal(trade.sol_amount) / 1_000_000_000
    usd_per_sol = sol_price_decimal(trade.sol_price)
    price = pool_price_sol(trade.virtual_sol, trade.virtual_tokens)
    # What the taker paid (or got) per whole token, fees included.
    fill = _CTX.divide(Decimal(trade.trader_sol), Decimal(trade.token_amount) * 1000)
    amount_sol = sol_text(trade.sol_amount)
    return {
        "slotIndexId": slot_index_id(trade),
        "tx": trade.signature,
        "timestamp": iso_seconds(trade.time),
        "userAddress": trade.user,
        "type": "buy" if trade.is_buy else "sell",
        "program": trade.program,
        "amountSol": amount_sol,
        "amountUsd": usd_text(sol * usd_per_sol),
        "baseAmount": token_text(trade.token_amount),
        "quoteAmount": amount_sol,
        "priceSol": price_text(price),
        "priceUsd": price_text(price * usd_per_sol),
        "fillPriceSol": price_text(fill),
        "fillPriceUsd": price_text(fill * usd_per_sol),
    }


# -- trades by cursor ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page starts: strictly before `key` (chain order), or, for a seek cursor
    (`0000000000000000000000-<ms>`), strictly before `before_ms`."""

    key: tuple[int, int] | None
    before_ms: int | None


def parse_cursor(raw: str | None) -> Cursor | None:
    """None for the newest page (cursor absent, empty or `0`)."""
    if raw is None or raw in ("", "0"):
        return None
    slot_index, sep, ms = raw.partition("-")
    if not sep or not slot_index.isdigit() or not ms.isdigit() or len(slot_index) < SLOT_DIGITS:
        raise CursorError(f"Invalid cursor: {raw}")
    if int(slot_index) == 0:
        return Cursor(None, int(ms))
    return Cursor((int(slot_index[:SLOT_DIGITS]), int(slot_index[SLOT_DIGITS:] or 0)), None)


def trades_page(
    coin: SimCoin, cursor: Cursor | None, limit: int, keep: Callable[[SimTrade], bool] | None = None
) -> tuple[list[SimTrade], bool]:
    """(trades newest first, whether older matching trades remain). The start is found by
    bisection on the coin's chain-ordered list, so a page costs O(log n + limit) unfiltered."""
    trades = coin.trades
    if cursor is None:
        end = len(trades)
    elif cursor.key is not None:
        end = bisect.bisect_left(trades, cursor.key, key=lambda t: t.order_key)
    else:
        end = bisect.bisect_left(trades, cursor.before_ms, key=lambda t: t.epoch_ms)
    if keep is None:
        start = max(0, end - limit)
        return trades[start:end][::-1], start > 0
    out: list[SimTrade] = []
    i = end - 1
    while i >= 0 and len(out) < limit:
        if keep(trades[i]):
            out.append(trades[i])
        i -= 1
    more = any(keep(trades[j]) for j in range(i, -1, -1))
    return out, more


# -- candles -------------------------------------------------------------------------------


def candles(coin: SimCoin, seconds: int, limit: int, currency: str) -> list[dict[str, object]]:
    """The newest `limit` non-empty buckets, oldest first. Prices are the pool price after each
    trade (per whole token) in the currency; volume is the traded SOL (or its USD value at each
    trade's SOL price). Trades are compared by an exact integer key; only the four prices a
    candle shows are turned into decimals."""
    buckets: list[list[SimTrade]] = []
    current_start: int | None = None
    for trade in reversed(coin.trades):
        start = trade.timestamp - trade.timestamp % seconds
        if start != current_start:
            if len(buckets) == limit:
                break
            buckets.append([])
            current_start = start
        buckets[-1].append(trade)
    usd = currency == "USD"
    rows = []
    for bucket in reversed(buckets):
        bucket.reverse()  # chain order
        if usd:

            def key(t: SimTrade) -> int:
                return t.virtual_sol * _sol_price_units(t.sol_price) * 10**30 // t.virtual_tokens

            volume = usd_text(
                Decimal(sum(t.sol_amount * _sol_price_units(t.sol_price) for t in bucket)).scaleb(
                    -9 - _SOL_PRICE_DP
                )
            )
        else:

            def key(t: SimTrade) -> int:
                return t.virtual_sol * 10**30 // t.virtual_tokens

            volume = sol_text(sum(t.sol_amount for t in bucket))
        first = bucket[0]
        rows.append(
            {
                "timestamp": (first.timestamp - first.timestamp % seconds) * 1000,
                "open": price_text(_price(first, usd)),
                "high": price_text(_price(max(bucket, key=key), usd)),
                "low": price_text(_price(min(bucket, key=key), usd)),
                "close": price_text(_price(bucket[-1], usd)),
                "volume": volume,
            }
        )
    return rows


_SOL_PRICE_DP = 4  # the model rounds its SOL price to 4 decimals


def _sol_price_units(sol_price: float) -> int:
    units: int = round(sol_price * 10**_SOL_PRICE_DP)
    return units


def _price(trade: SimTrade, usd: bool) -> Decimal:
    price = pool_price_sol(trade.virtual_sol, trade.virtual_tokens)
    return price * sol_price_decimal(trade.sol_price) if usd else price


# -- market activity -----------------------------------------------------------------------


def activity_window(coin: SimCoin, now: float, seconds: int) -> dict[str, object] | None:
    """Trading in the last `seconds` of market time; None when there was none. USD volumes use
    each trade's own SOL price; the price change compares SOL prices (the pool price after the
    last trade before the window, or the launch price, against the latest)."""
    trades = coin.trades
    first = bisect.bisect_right(trades, now - seconds, key=lambda t: t.time)
    inside: Sequence[SimTrade] = trades[first:]
    if not inside:
        return None
    buy_usd = sell_usd = 0.0
    buyers: set[str] = set()
    sellers: set[str] = set()
    buys = 0
    for t in inside:
        usd = t.sol_amount / 1e9 * t.sol_price
        if t.is_buy:
            buys += 1
            buy_usd += usd
            buyers.add(t.user)
        else:
            sell_usd += usd
            sellers.add(t.user)
    if first > 0:
        before = trades[first - 1].price
    else:
        before = float(pool_price_sol(INITIAL_VIRTUAL_SOL, INITIAL_VIRTUAL_TOKENS))
    after = inside[-1].price
    return {
        "numTxs": len(inside),
        "volumeUSD": buy_usd + sell_usd,
        "numUsers": len(buyers | sellers),
        "numBuys": buys,
        "numSells": len(inside) - buys,
        "buyVolumeUSD": buy_usd,
        "sellVolumeUSD": sell_usd,
        "numBuyers": len(buyers),
        "numSellers": len(sellers),
        "priceChangePercent": (after / before - 1.0) * 100.0,
    }


EMPTY_WINDOW: dict[str, object] = {
    "numTxs": 0,
    "volumeUSD": 0.0,
    "numUsers": 0,
    "numBuys": 0,
    "numSells": 0,
    "buyVolumeUSD": 0.0,
    "sellVolumeUSD": 0.0,
    "numBuyers": 0,
    "numSellers": 0,
    "priceChangePercent": 0.0,
}


def market_activity(
    coin: SimCoin,
    now: float,
    intervals: Iterable[str] = ACTIVITY_DEFAULT,
    *,
    empty_as_null: bool = False,
) -> dict[str, dict[str, object] | None]:
    out: dict[str, dict[str, object] | None] = {}
    for name in intervals:
        window = activity_window(coin, now, ACTIVITY_WINDOWS[name])
        out[name] = window if window is not None or empty_as_null else dict(EMPTY_WINDOW)
    return out


def recent_volume(coin: SimCoin, now: float, seconds: int) -> tuple[int, float]:
    """(trades, USD volume) in the last `seconds`: the trenches boards' `tx5` and `vUsd5m`."""
    trades = coin.trades
    first = bisect.bisect_right(trades, now - seconds, key=lambda t: t.time)
    usd = sum(t.sol_amount / 1e9 * t.sol_price for t in trades[first:])
    return len(trades) - first, usd
