"""The coin fields a filter can name, and the one definition of what each one means.

Every screen and every alert reads a coin's figures through `coin_facts`, so "dev" or "vol 5m"
means the same on the screener, the trenches and in an alert. Sources, in order of preference:
the coin itself (live from trades), holder stats, the trenches board entry, market activity, and
for a price change over a window the activity service does not serve, the price points the
caller has seen.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from pumptui.api.models import BoardEntry, Coin, HolderStats, MarketActivity
from pumptui.numbers import coin_caps
from pumptui.rules.fields import UNITS, Field
from pumptui.rules.units import format_duration

# The final stretch: a coin on the curve with at least this much of it sold is "graduating"
# (the trenches' `graduating` board, pumpfun-api-2026.md §3.5; the simulator's
# GRADUATING_PROGRESS of 0.70).
GRADUATING_CURVE_PERCENT = 70.0
STAGES = ("new", "graduating", "graduated")
DEFAULT_WINDOW = 300.0
# Market activity's windows (reference §3.4), in seconds.
ACTIVITY_WINDOW_SECONDS: Mapping[float, str] = {
    60.0: "1m",
    300.0: "5m",
    3600.0: "1h",
    21600.0: "6h",
    86400.0: "24h",
}


# Read-only; `COIN_FIELDS | {...}` makes a caller's own map with fields of its own.
COIN_FIELDS: MappingProxyType[str, Field] = MappingProxyType(
    {
        f.name: f
        for f in (
            Field("age", "duration", "time since the coin was created"),
            Field("mc", "usd", "market cap in USD"),
            Field("mcsol", "sol", "market cap in SOL"),
            Field("curve", "percent", "share of the bonding curve sold"),
            Field("holders", "count", "number of holders"),
            Field("top10", "percent", "supply held by the top 10 holders"),
            Field("dev", "percent", "supply the creator holds"),
            Field("snipers", "count", "number of sniper wallets"),
            Field("ath", "usd", "all-time-high market cap in USD"),
            Field("replies", "count", "number of replies"),
            Field(
                "vol",
                "usd",
                "USD volume in the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field(
                "change",
                "percent",
                "price change over the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field(
                "trades",
                "count",
                "trades in the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field(
                "buys", "count", "buys in the window", windowed=True, default_window=DEFAULT_WINDOW
            ),
            Field(
                "sells",
                "count",
                "sells in the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field(
                "buyers",
                "count",
                "distinct buyers in the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field(
                "sellers",
                "count",
                "distinct sellers in the window",
                windowed=True,
                default_window=DEFAULT_WINDOW,
            ),
            Field("name", "text", "the coin's name"),
            Field("symbol", "text", "the coin's ticker"),
            Field("mint", "text", "the coin's mint address"),
            Field("creator", "text", "the creator's wallet address"),
            Field(
                "stage",
                "text",
                f"graduating: curve >= {GRADUATING_CURVE_PERCENT:g}%",
                choices=STAGES,
            ),
        )
    }
)


def describe_fields(fields: Mapping[str, Field] = COIN_FIELDS) -> list[tuple[str, str, str]]:
    """(name, units, help) for each field, in the order they are declared: the rows of the
    filter's help. A windowed field's name shows its default window in brackets (`vol [5m]`:
    `vol` alone is `vol 5m`; write `vol 1h` for another)."""
    rows = []
    for spec in fields.values():
        name = spec.name
        if spec.windowed and spec.default_window is not None:
            name += f" [{format_duration(spec.default_window)}]"
        units = "|".join(spec.choices) if spec.choices else UNITS[spec.kind]
        rows.append((name, units, spec.help))
    return rows


def fields_help(fields: Mapping[str, Field] = COIN_FIELDS) -> str:
    """`describe_fields` as aligned plain-text lines (fits 80 columns)."""
    rows = describe_fields(fields)
    width = max(len(name) for name, _, _ in rows)
    units_width = max(len(units) for _, units, _ in rows)
    return "\n".join(
        f"{name:<{width}}  {units:<{units_width}}  {help}" for name, units, help in rows
    )


def stage_of(complete: bool, curve_percent: float | None) -> str | None:
    """new, graduating or graduated; None when the curve is not known."""
    if complete:
        return "graduated"
    if curve_percent is None:
        return None
    return "graduating" if curve_percent >= GRADUATING_CURVE_PERCENT else "new"


def price_change(points: Sequence[tuple[float, float]], now: float, window: float) -> float | None:
    """Percent change from the price `window` seconds before `now` to the latest price, from
    (time, price) points in time order; None unless a point is as old as the window's start."""
    if not points:
        return None
    start = now - window
    times = [t for t, _ in points]
    index = bisect.bisect_right(times, start) - 1
    if index < 0:
        return None
    then, last = points[index][1], points[-1][1]
    if then <= 0:
        return None
    return (last / then - 1.0) * 100.0


@dataclass(frozen=True, slots=True)
class CoinFacts:
    """A coin's figures for a filter, read lazily (a rule pays only for what it names)."""

    coin: Coin
    now: float
    sol_usd: float | None = None
    board: BoardEntry | None = None
    activity: MarketActivity | None = None
    price_points: Sequence[tuple[float, float]] = ()
    holder_stats: HolderStats | None = None

    def value(self, name: str, window: float | None) -> float | str | None:
        reader = _READERS.get(name)
        return None if reader is None else reader(self, window)

    # -- plain figures -----------------------------------------------------------------------

    def age(self) -> float | None:
        if self.coin.created_at is not None:
            return max(0.0, self.now - self.coin.created_at)
        return self.board.age_seconds if self.board else None

    def caps(self) -> tuple[float | None, float | None]:
        """(SOL, USD) market caps: the coin's own, else the board's USD figure."""
        in_sol, in_usd = coin_caps(self.coin, self.sol_usd)
        if in_usd is None and self.board is not None:
            in_usd = self.board.market_cap_usd
        if in_sol is None and in_usd is not None and self.sol_usd:
            in_sol = in_usd / self.sol_usd
        return in_sol, in_usd

    def curve(self) -> float | None:
        coin = self.coin
        if coin.complete:
            return 100.0
        if coin.real_token_reserves > 0 or coin.virtual_token_reserves > 0:
            return coin.progress * 100.0
        return self.board.curve_percent if self.board else None

    def holders(self) -> float | None:
        stats = self.holder_stats
        if stats is not None and stats.total_holders is not None:
            return float(stats.total_holders)
        return _number(self.board.holders if self.board else None)

    def top10(self) -> float | None:
        stats = self.holder_stats
        if stats is not None and stats.top10_percent is not None:
            return stats.top10_percent
        return self.board.top10_percent if self.board else None

    def dev(self) -> float | None:
        stats = self.holder_stats
        if stats is not None and stats.dev_percent is not None:
            return stats.dev_percent
        return self.board.dev_percent if self.board else None

    def stage(self) -> str | None:
        return stage_of(self.coin.complete, self.curve())

    # -- windowed figures --------------------------------------------------------------------

    def window_figure(self, window: float | None, attribute: str) -> float | None:
        """A count or volume over `window` from market activity (its windows only)."""
        seconds = DEFAULT_WINDOW if window is None else window
        name = ACTIVITY_WINDOW_SECONDS.get(seconds)
        if name is None or self.activity is None:
            return None
        figures = self.activity.window(name)
        return None if figures is None else _number(getattr(figures, attribute))

    def volume(self, window: float | None) -> float | None:
        found = self.window_figure(window, "volume_usd")
        if found is None and (window is None or window == DEFAULT_WINDOW) and self.board:
            return self.board.volume_usd_5m
        return found

    def trades(self, window: float | None) -> float | None:
        found = self.window_figure(window, "num_txs")
        if found is None and (window is None or window == DEFAULT_WINDOW) and self.board:
            return _number(self.board.txs_5m)
        return found

    def change(self, window: float | None) -> float | None:
        seconds = DEFAULT_WINDOW if window is None else window
        found = self.window_figure(seconds, "price_change_percent")
        if found is not None:
            return found
        return price_change(self.price_points, self.now, seconds)


def _number(value: float | int | None) -> float | None:
    return None if value is None else float(value)


_Reader = Callable[[CoinFacts, float | None], float | str | None]
_READERS: Mapping[str, _Reader] = {
    "age": lambda f, _: f.age(),
    "mc": lambda f, _: f.caps()[1],
    "mcsol": lambda f, _: f.caps()[0],
    "curve": lambda f, _: f.curve(),
    "holders": lambda f, _: f.holders(),
    "top10": lambda f, _: f.top10(),
    "dev": lambda f, _: f.dev(),
    "snipers": lambda f, _: _number(f.board.snipers) if f.board else None,
    "ath": lambda f, _: f.coin.ath_market_cap_usd,
    "replies": lambda f, _: float(f.coin.reply_count),
    "vol": CoinFacts.volume,
    "change": CoinFacts.change,
    "trades": CoinFacts.trades,
    "buys": lambda f, w: f.window_figure(w, "num_buys"),
    "sells": lambda f, w: f.window_figure(w, "num_sells"),
    "buyers": lambda f, w: f.window_figure(w, "num_buyers"),
    "sellers": lambda f, w: f.window_figure(w, "num_sellers"),
    "name": lambda f, _: f.coin.name,
    "symbol": lambda f, _: f.coin.symbol,
    "mint": lambda f, _: f.coin.mint,
    "creator": lambda f, _: f.coin.creator,
    "stage": lambda f, _: f.stage(),
}


def coin_facts(
    coin: Coin,
    *,
    now: float,
    sol_usd: float | None,
    board: BoardEntry | None,
    activity: MarketActivity | None,
    price_points: Sequence[tuple[float, float]] = (),
    holder_stats: HolderStats | None = None,
) -> CoinFacts:
    """The facts a filter reads about `coin` at `now` (Unix seconds). `price_points` are
    (time, price) in time order, for a `change` over a window market activity does not serve;
    `holder_stats`, when fetched, win over the board's holder figures."""
    return CoinFacts(coin, now, sol_usd, board, activity, tuple(price_points), holder_stats)
