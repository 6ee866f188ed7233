"""Typed models of what the Pump.fun API returns, built tolerantly at the boundary.

Conversions happen once, here, and exactly:
- SOL as a decimal string ("0.123456789", the 2026 swap API) → integer lamports, whole tokens
  ("35000.123456") → integer raw 6-decimal units, through `decimal.Decimal`, never a float
  (`exact_units`); the integers are what the app stores (`lamports`, `raw_tokens`), `sol` and
  `tokens` are views of them;
- milliseconds, seconds and ISO-8601 → float Unix seconds (`*_at` fields, `timestamp`);
- every text field is sanitised (see `sanitize`); the mint and wallet addresses are kept verbatim
  because they are identifiers, but they are checked to be plain base58-ish ASCII.

Parsers (`Coin.from_api`, `Trade.from_swap` etc.) accept missing fields, nulls, numeric strings
and unknown extra fields. They raise `ModelError` when a record lacks what identifies it (a trade
without a `tx`, a coin without a mint) or holds an absurd number (NaN, Infinity, a negative
amount or reserve, more than `MAX_DIGITS` digits): such a number means the record cannot be
trusted, and a wrong figure on screen is worse than a missing row. `parse_list` skips such
records and counts them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from pumptui.api.sanitize import (
    NAME_LIMIT,
    SYMBOL_LIMIT,
    TEXT_LIMIT,
    URL_LIMIT,
    clean_optional,
    clean_text,
)
from pumptui.base58 import is_pubkey

LAMPORTS_PER_SOL = 1_000_000_000
RAW_PER_TOKEN = 1_000_000
TOKEN_DECIMALS = 6
SOL_DECIMALS = 9
TOTAL_SUPPLY_RAW = 1_000_000_000_000_000
# The bonding curve at launch (program docs): both virtual and real reserves move by the same
# amounts, so the real token reserves are always the virtual ones minus this constant gap.
INITIAL_VIRTUAL_TOKEN_RESERVES = 1_073_000_000_000_000
INITIAL_REAL_TOKEN_RESERVES = 793_100_000_000_000
INITIAL_VIRTUAL_SOL_RESERVES = 30_000_000_000
WSOL_MINT = "So11111111111111111111111111111111111111112"
# No honest amount, reserve or supply has more digits than this (the total supply is 16).
MAX_DIGITS = 40
# Timestamps above this are milliseconds (year 33658 in seconds; 1973 in milliseconds).
_MS_THRESHOLD = 1e12
_IDENT = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{1,100}$")
# Chain-order slot of a trade known only from a push message: after every confirmed trade.
UNCONFIRMED_SLOT = 2**62


class ModelError(ValueError):
    """A record lacks a field that identifies it, or holds an absurd number; it cannot be used."""


# -- field readers: each takes the raw value and returns a clean one or a default -----------------


def as_int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else default
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return default
            return int(number) if math.isfinite(number) else default
    return default


def as_float(value: Any, default: float | None = 0.0) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return default
    else:
        return default
    return number if math.isfinite(number) else default


def as_bool(value: Any, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return default


def as_time(value: Any) -> float | None:
    """Unix seconds from a timestamp in seconds or milliseconds (int, float or string)."""
    number = as_float(value, None)
    if number is None or number <= 0:
        return None
    return number / 1000.0 if number > _MS_THRESHOLD else number


def exact_decimal(value: Any, what: str) -> Decimal | None:
    """A finite, non-negative, reasonably sized number from a decimal string, an int or a
    float (a float by its shortest repr, so 4.567891234 stays 4.567891234). None when absent;
    `ModelError` when present but absurd (NaN, Infinity, negative, > `MAX_DIGITS` digits)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ModelError(f"{what} is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ModelError(f"{what} is not finite")
        text = repr(value)
    elif isinstance(value, int):
        text = str(value) if value.bit_length() < 4 * MAX_DIGITS else "9" * (MAX_DIGITS + 1)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ModelError(f"{what} is not a number")
    if len(text) > 2 * MAX_DIGITS + 8:
        raise ModelError(f"{what} has too many digits")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ModelError(f"{what} is not a number") from None
    if not number.is_finite():
        raise ModelError(f"{what} is not finite")
    if number < 0:
        raise ModelError(f"{what} is negative")
    if number != 0 and number.adjusted() >= MAX_DIGITS - SOL_DECIMALS:
        raise ModelError(f"{what} is absurdly large")
    return number


def exact_units(value: Any, decimals: int, what: str) -> int | None:
    """`value` in whole units (SOL, tokens) → integer base units (lamports, raw), exactly:
    "0.123456789" SOL → 123456789, "35000.123456" tokens → 35000123456. Digits beyond the
    base unit (amountSol of a non-SOL pool has 28) round half-even. None when absent."""
    number = exact_decimal(value, what)
    if number is None:
        return None
    return int((number.scaleb(decimals)).to_integral_value(rounding=ROUND_HALF_EVEN))


def exact_int(value: Any, what: str, default: int = 0) -> int:
    """An integer count already in base units (lamports, raw reserves); absurd → ModelError."""
    units = exact_units(value, 0, what)
    return default if units is None else units


def exact_float(value: Any, what: str) -> float | None:
    """A non-negative display figure (market cap, price); absent → None, absurd → ModelError."""
    number = exact_decimal(value, what)
    return None if number is None else float(number)


def as_iso_time(value: Any) -> float | None:
    """Unix seconds from an ISO-8601 time ("2026-10-01T12:00:00.000Z"), or from a number in
    seconds or milliseconds; None when unreadable."""
    if isinstance(value, str) and "T" in value:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        return moment.timestamp()
    return as_time(value)


def as_ident(value: Any) -> str | None:
    """An address, mint or signature: kept verbatim, but only if it is plain base58."""
    if isinstance(value, str) and _IDENT.match(value):
        return value
    return None


# Programs are a handful of names ("pump", "pump-amm"...) repeated on every trade and coin: each
# record keeps the one copy of its name rather than a string of its own (64 coins × 2,000
# trades in the store). Bounded, so a service that sent a new name each time would cost copies,
# not an ever-growing table.
_PROGRAMS: dict[str, str] = {}
PROGRAMS_KEPT = 64


def as_program(value: Any) -> str | None:
    """A program or pool name (`program`, `protocol`, a board's `pg`, a push message's `pool`),
    sanitised; the same string object for the same name."""
    if not isinstance(value, str):
        return None
    known = _PROGRAMS.get(value)
    if known is not None:
        return known
    name = clean_optional(value, 32)
    if name is not None and name == value and len(_PROGRAMS) < PROGRAMS_KEPT:
        _PROGRAMS[name] = name
    return name


def _require(record: Mapping[str, Any], key: str, what: str) -> str:
    ident = as_ident(record.get(key))
    if ident is None:
        raise ModelError(f"{what} without a valid {key}")
    return ident


# -- models ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coin:
    """A coin in the app's units: lamports, raw token units, Unix seconds, SOL and USD figures.

    `market_cap_sol` is 0.0 when it is not known in SOL (a coin quoted in another currency, e.g.
    USDC: its reserves are not SOL, so nothing is read from them as if they were);
    `market_cap_usd` is None when the server sent no USD figure.
    """

    mint: str
    name: str = ""
    symbol: str = ""
    description: str = ""
    image_uri: str | None = None
    creator: str | None = None
    creator_username: str | None = None
    created_at: float | None = None
    last_trade_at: float | None = None
    last_reply_at: float | None = None
    virtual_sol_reserves: int = 0
    virtual_token_reserves: int = 0
    real_sol_reserves: int = 0
    real_token_reserves: int = 0
    total_supply: int = TOTAL_SUPPLY_RAW
    market_cap_sol: float = 0.0
    ath_market_cap_usd: float | None = None
    reply_count: int = 0
    complete: bool = False
    nsfw: bool = False
    is_banned: bool = False
    is_currently_live: bool = False
    pool: str | None = None
    twitter: str | None = None
    telegram: str | None = None
    website: str | None = None
    market_cap_usd: float | None = None
    ath_at: float | None = None
    updated_at: float | None = None
    quote_mint: str | None = None
    quote_decimals: int = SOL_DECIMALS
    virtual_quote_reserves: int = 0
    program: str | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> Coin:
        if not isinstance(record, Mapping):
            raise ModelError("coin is not an object")
        mint = _require(record, "mint", "coin")
        quote_mint = as_ident(record.get("quote_mint"))
        sol_quoted = quote_mint is None or quote_mint == WSOL_MINT
        complete = as_bool(record.get("complete"))
        vtok = exact_int(record.get("virtual_token_reserves"), "virtual_token_reserves")
        real_tok_given = record.get("real_token_reserves")
        if real_tok_given is None:
            # /coins rows in 2026 may lack the real reserves: they follow from the virtual ones.
            real_tok = _real_from_virtual(
                vtok, INITIAL_VIRTUAL_TOKEN_RESERVES - INITIAL_REAL_TOKEN_RESERVES
            )
        else:
            real_tok = exact_int(real_tok_given, "real_token_reserves")
        supply = exact_int(record.get("total_supply"), "total_supply") or TOTAL_SUPPLY_RAW
        quote_decimals = as_int(record.get("quote_decimals"), SOL_DECIMALS)
        if not 0 <= quote_decimals <= 18:
            raise ModelError("quote_decimals out of range")
        vquote = exact_int(record.get("virtual_quote_reserves"), "virtual_quote_reserves")
        if sol_quoted:
            vsol = exact_int(record.get("virtual_sol_reserves"), "virtual_sol_reserves")
            real_sol_given = record.get("real_sol_reserves")
            if real_sol_given is None and not complete:
                real_sol = _real_from_virtual(vsol, INITIAL_VIRTUAL_SOL_RESERVES)
            else:
                real_sol = exact_int(real_sol_given, "real_sol_reserves")
            market_cap = exact_float(record.get("market_cap"), "market_cap")
            if market_cap is None and vtok > 0 and not complete:
                market_cap = vsol / vtok * RAW_PER_TOKEN * supply / TOTAL_SUPPLY_RAW
        else:
            # Quoted in another currency (USDC...): the "sol" reserves and market_cap are not
            # SOL, so they are not read as SOL; the USD figures stand in.
            vsol = real_sol = 0
            market_cap = None
        usd_cap = exact_float(record.get("usd_market_cap"), "usd_market_cap")
        cap_usd = exact_float(record.get("market_cap_usd"), "market_cap_usd")
        return cls(
            mint=mint,
            name=clean_text(record.get("name"), NAME_LIMIT),
            symbol=clean_text(record.get("symbol"), SYMBOL_LIMIT),
            description=clean_text(record.get("description"), TEXT_LIMIT, multiline=True),
            image_uri=clean_optional(record.get("image_uri"), URL_LIMIT),
            creator=as_ident(record.get("creator")),
            creator_username=clean_optional(record.get("username"), NAME_LIMIT),
            created_at=as_time(record.get("created_timestamp")),
            last_trade_at=as_time(record.get("last_trade_timestamp")),
            last_reply_at=as_time(record.get("last_reply")),
            virtual_sol_reserves=vsol,
            virtual_token_reserves=vtok,
            real_sol_reserves=real_sol,
            real_token_reserves=real_tok,
            total_supply=supply,
            market_cap_sol=market_cap or 0.0,
            ath_market_cap_usd=exact_float(record.get("ath_market_cap"), "ath_market_cap"),
            reply_count=max(0, as_int(record.get("reply_count"))),
            complete=complete,
            nsfw=as_bool(record.get("nsfw")),
            is_banned=as_bool(record.get("is_banned")),
            is_currently_live=as_bool(record.get("is_currently_live")),
            pool=as_ident(record.get("pump_swap_pool")) or as_ident(record.get("pool_address")),
            twitter=clean_optional(record.get("twitter"), URL_LIMIT),
            telegram=clean_optional(record.get("telegram"), URL_LIMIT),
            website=clean_optional(record.get("website"), URL_LIMIT),
            # The 2026 rows send the same figure under both names; either will do.
            market_cap_usd=cap_usd if cap_usd is not None else usd_cap,
            ath_at=as_time(record.get("ath_market_cap_timestamp")),
            updated_at=as_time(record.get("updated_at")),
            quote_mint=quote_mint,
            quote_decimals=quote_decimals,
            virtual_quote_reserves=vquote,
            program=as_program(record.get("program") or record.get("protocol")),
        )

    @property
    def is_sol_quoted(self) -> bool:
        """True unless the server said the coin trades against another mint (USDC...)."""
        return self.quote_mint is None or self.quote_mint == WSOL_MINT

    @property
    def supply_tokens(self) -> float:
        return self.total_supply / RAW_PER_TOKEN

    @property
    def price_sol(self) -> float:
        """SOL per whole token; 0.0 when not known in SOL.

        On the curve, the spot price of the virtual reserves. A graduated coin's curve is
        frozen, so its price comes from its market cap instead.
        """
        if not self.is_sol_quoted:
            return 0.0
        if self.complete or self.virtual_token_reserves <= 0:
            supply = self.supply_tokens
            return self.market_cap_sol / supply if supply else 0.0
        return (self.virtual_sol_reserves / LAMPORTS_PER_SOL) / (
            self.virtual_token_reserves / RAW_PER_TOKEN
        )

    @property
    def price_usd(self) -> float | None:
        """USD per whole token from the USD market cap, when the server sent one."""
        cap = self.market_cap_usd
        supply = self.supply_tokens
        return cap / supply if cap is not None and supply else None

    @property
    def progress(self) -> float:
        """Bonding-curve progress towards graduation, 0.0 to 1.0: the share of the 793.1 M
        curve tokens sold (the real token reserves are derived from the virtual ones when a
        listing leaves them out, so a live coin never reads as 100 %)."""
        if self.complete:
            return 1.0
        if self.real_token_reserves <= 0 and self.virtual_token_reserves <= 0:
            return 0.0
        left = min(self.real_token_reserves, INITIAL_REAL_TOKEN_RESERVES)
        return max(0.0, min(1.0, 1.0 - left / INITIAL_REAL_TOKEN_RESERVES))

    @property
    def real_sol(self) -> float:
        return self.real_sol_reserves / LAMPORTS_PER_SOL

    def to_json(self) -> dict[str, Any]:
        """The coin as pumptui prints it (`pumptui coins --json`, `watch --json`): stable keys
        in the app's units — lamports and raw units as integers, times in Unix seconds, market
        caps in SOL (`market_cap_sol`) and USD (`market_cap_usd`, `ath_market_cap_usd`)."""
        return {
            "mint": self.mint,
            "name": self.name,
            "symbol": self.symbol,
            "description": self.description,
            "image_uri": self.image_uri,
            "creator": self.creator,
            "username": self.creator_username,
            "created_at": self.created_at,
            "last_trade_at": self.last_trade_at,
            "last_reply_at": self.last_reply_at,
            "updated_at": self.updated_at,
            "virtual_sol_reserves": self.virtual_sol_reserves,
            "virtual_token_reserves": self.virtual_token_reserves,
            "real_sol_reserves": self.real_sol_reserves,
            "real_token_reserves": self.real_token_reserves,
            "total_supply": self.total_supply,
            "market_cap_sol": self.market_cap_sol if self.is_sol_quoted else None,
            "market_cap_usd": self.market_cap_usd,
            "ath_market_cap_usd": self.ath_market_cap_usd,
            "price_sol": self.price_sol if self.is_sol_quoted else None,
            "progress": self.progress,
            "reply_count": self.reply_count,
            "complete": self.complete,
            "nsfw": self.nsfw,
            "is_banned": self.is_banned,
            "is_currently_live": self.is_currently_live,
            "pool": self.pool,
            "program": self.program,
            "quote_mint": self.quote_mint,
            "quote_decimals": self.quote_decimals,
            "twitter": self.twitter,
            "telegram": self.telegram,
            "website": self.website,
        }


def _real_from_virtual(virtual: int, gap: int) -> int:
    return max(0, virtual - gap) if virtual > 0 else 0


@dataclass(frozen=True, slots=True)
class Trade:
    """One trade in the app's units. `slot`/`tx_index` come from the swap API's `slotIndexId`
    (first 12 digits the slot, the rest the position in it); `cursor` is the `nextCursor` a page
    ending at this trade would carry, so a follower can resume from it (made from those and the
    id's length when asked for: a string kept for each trade came to about 11 MiB in a full
    store)."""

    signature: str
    mint: str
    is_buy: bool
    lamports: int
    raw_tokens: int
    timestamp: float
    slot: int = 0
    tx_index: int = 0
    user: str | None = None
    username: str | None = None
    # Set on a trade known only from a push message (no slot, `timestamp` = when it was
    # received): its arrival number, which orders it after every confirmed trade. The REST copy
    # of the same signature later replaces it (`TradeConfirmed`).
    pushed_seq: int | None = None
    # The digits of the `slotIndexId` it was read with (0: not read from the swap API).
    id_digits: int = 0
    program: str | None = None
    usd: float | None = None
    # The pool's price per whole token in SOL right after the trade (swap-api's `priceSol`, or
    # a push message's reserves): what the service's own candles are drawn from.
    pool_price_sol: float | None = None

    @classmethod
    def from_swap(cls, record: Mapping[str, Any], mint: str) -> Trade:
        """A row of `GET swap /v2/coins/{mint}/trades` (the mint is the route's, not the row's)."""
        if not isinstance(record, Mapping):
            raise ModelError("trade is not an object")
        signature = _require(record, "tx", "trade")
        slot, tx_index, slot_index_id = split_slot_index_id(record.get("slotIndexId"))
        timestamp = as_iso_time(record.get("timestamp"))
        if timestamp is None:
            raise ModelError("trade without a timestamp")
        kind = record.get("type")
        if kind not in ("buy", "sell"):
            raise ModelError("trade is neither a buy nor a sell")
        lamports = exact_units(record.get("amountSol"), SOL_DECIMALS, "amountSol")
        raw = exact_units(record.get("baseAmount"), TOKEN_DECIMALS, "baseAmount")
        if lamports is None or raw is None:
            raise ModelError("trade without amounts")
        return cls(
            signature=signature,
            mint=mint,
            is_buy=kind == "buy",
            lamports=lamports,
            raw_tokens=raw,
            timestamp=timestamp,
            slot=slot,
            tx_index=tx_index,
            user=as_ident(record.get("userAddress")),
            id_digits=len(slot_index_id),
            program=as_program(record.get("program")),
            usd=exact_float(record.get("amountUsd"), "amountUsd"),
            pool_price_sol=exact_float(record.get("priceSol"), "priceSol"),
        )

    @property
    def chart_price(self) -> float:
        """The price a chart plots for this trade: the pool's price after it, as the service's
        candles do (so candles read from the API and candles built from trades agree), else the
        execution price."""
        pool = self.pool_price_sol
        return pool if pool is not None and pool > 0 else self.price_sol

    @property
    def sol(self) -> float:
        return self.lamports / LAMPORTS_PER_SOL

    @property
    def tokens(self) -> float:
        return self.raw_tokens / RAW_PER_TOKEN

    @property
    def price_sol(self) -> float:
        """Execution price: SOL per whole token (0 for an empty fill)."""
        return self.sol / self.tokens if self.raw_tokens else 0.0

    @property
    def provisional(self) -> bool:
        return self.pushed_seq is not None

    @property
    def cursor(self) -> str | None:
        """`slotIndexId` as sent (the slot in 12 digits, the position zero-padded to the rest),
        a dash, the time in ms: None for a trade not read from the swap API."""
        digits = self.id_digits
        if digits < SLOT_DIGITS or self.pushed_seq is not None:
            return None
        position = f"{self.tx_index:0{digits - SLOT_DIGITS}d}" if digits > SLOT_DIGITS else ""
        return f"{self.slot:0{SLOT_DIGITS}d}{position}-{round(self.timestamp * 1000)}"

    @property
    def chain_order(self) -> tuple[int, int, float, str]:
        """Sort key for chain order: slot, then position in the slot. Pushed trades arrive in
        chain order and are newer than any confirmed one, so they sort last, by arrival."""
        if self.pushed_seq is not None:
            return (UNCONFIRMED_SLOT, self.pushed_seq, self.timestamp, self.signature)
        return (self.slot, self.tx_index, self.timestamp, self.signature)

    def to_json(self) -> dict[str, Any]:
        """The trade as pumptui prints it (`watch --json`): the 2025 keys kept with the same
        units — `sol_amount` lamports, `token_amount` raw units, `timestamp` Unix seconds,
        `slot`, `tx_index` — plus `cursor`, `program` and `usd`. A pushed trade has
        `provisional: true` and null `slot`/`tx_index`/`cursor` (not known yet)."""
        data: dict[str, Any] = {
            "signature": self.signature,
            "mint": self.mint,
            "user": self.user,
            "username": self.username,
            "is_buy": self.is_buy,
            "sol_amount": self.lamports,
            "token_amount": self.raw_tokens,
            "timestamp": int(self.timestamp),
            "slot": self.slot,
            "tx_index": self.tx_index,
            "cursor": self.cursor,
            "program": self.program,
            "usd": self.usd,
        }
        if self.pushed_seq is not None:
            data["slot"] = data["tx_index"] = data["cursor"] = None
            data["provisional"] = True
        return data


SLOT_DIGITS = 12


def split_slot_index_id(value: Any) -> tuple[int, int, str]:
    """`slotIndexId` → (slot, position in the slot, the id as sent). The first 12 digits are
    the slot (zero-padded), the rest the position; lengths of 22 and 26 have been seen."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (
        not isinstance(value, str)
        or not value.isascii()
        or not value.isdigit()
        or not SLOT_DIGITS <= len(value) <= MAX_DIGITS
    ):
        raise ModelError("trade without a valid slotIndexId")
    rest = value[SLOT_DIGITS:]
    return int(value[:SLOT_DIGITS]), int(rest) if rest else 0, value


@dataclass(frozen=True, slots=True)
class TradePage:
    """One page of a coin's trades. `items` newest first; `next_cursor` continues to older
    trades (None at the end of history); `unchanged` means a 304 (`items` empty)."""

    items: list[Trade]
    next_cursor: str | None = None
    has_more: bool = False
    skipped: int = 0
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class Candle:
    """One OHLCV bucket, start in Unix seconds. Prices per whole token and volume in `currency`
    (SOL or USD); `volume_sol` holds the volume of a SOL series, `volume_usd` of a USD one."""

    mint: str
    start: float
    open: float
    high: float
    low: float
    close: float
    volume_sol: float = 0.0
    seconds: int = 60
    currency: str = "SOL"
    volume_usd: float = 0.0

    @classmethod
    def from_swap(
        cls, record: Mapping[str, Any], *, mint: str, seconds: int, currency: str = "SOL"
    ) -> Candle:
        """A row of the swap API's candles: `{timestamp ms, open, high, low, close, volume}`,
        values decimal strings, in the currency asked for."""
        if not isinstance(record, Mapping):
            raise ModelError("candle is not an object")
        start = as_time(record.get("timestamp"))
        if start is None:
            raise ModelError("candle without a timestamp")
        prices = [exact_float(record.get(k), k) for k in ("open", "high", "low", "close")]
        if any(p is None for p in prices):
            raise ModelError("candle without prices")
        o, h, low, c = (p or 0.0 for p in prices)
        volume = exact_float(record.get("volume"), "volume") or 0.0
        usd = currency.upper() == "USD"
        return cls(
            mint=mint,
            start=start,
            open=o,
            high=max(o, h, low, c),
            low=min(o, h, low, c),
            close=c,
            volume_sol=0.0 if usd else volume,
            seconds=seconds,
            currency="USD" if usd else "SOL",
            volume_usd=volume if usd else 0.0,
        )


ACTIVITY_WINDOWS = ("1m", "5m", "1h", "6h", "24h")


@dataclass(frozen=True, slots=True)
class ActivityWindow:
    """Trading in one window (`5m`, `1h`, ...): counts, USD volumes, price change in percent."""

    num_txs: int = 0
    volume_usd: float = 0.0
    num_users: int = 0
    num_buys: int = 0
    num_sells: int = 0
    buy_volume_usd: float = 0.0
    sell_volume_usd: float = 0.0
    num_buyers: int = 0
    num_sellers: int = 0
    price_change_percent: float | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> ActivityWindow:
        if not isinstance(record, Mapping):
            raise ModelError("activity window is not an object")

        def count(key: str) -> int:
            return exact_int(record.get(key), key)

        def usd(key: str) -> float:
            return exact_float(record.get(key), key) or 0.0

        change = as_float(record.get("priceChangePercent"), None)  # may be negative
        return cls(
            num_txs=count("numTxs"),
            volume_usd=usd("volumeUSD"),
            num_users=count("numUsers"),
            num_buys=count("numBuys"),
            num_sells=count("numSells"),
            buy_volume_usd=usd("buyVolumeUSD"),
            sell_volume_usd=usd("sellVolumeUSD"),
            num_buyers=count("numBuyers"),
            num_sellers=count("numSellers"),
            price_change_percent=change,
        )


@dataclass(frozen=True, slots=True)
class MarketActivity:
    """A coin's activity per window; a window is missing when the server had none (null)."""

    mint: str
    windows: Mapping[str, ActivityWindow] = field(default_factory=dict)

    @classmethod
    def from_api(cls, record: Mapping[str, Any], mint: str) -> MarketActivity:
        if not isinstance(record, Mapping):
            raise ModelError("market activity is not an object")
        windows: dict[str, ActivityWindow] = {}
        for key, value in record.items():
            if isinstance(key, str) and key in ACTIVITY_WINDOWS and value is not None:
                windows[key] = ActivityWindow.from_api(value)
        return cls(mint, windows)

    def window(self, name: str) -> ActivityWindow | None:
        return self.windows.get(name)


@dataclass(frozen=True, slots=True)
class TopHolder:
    """One of a coin's largest holders; `tokens` in whole tokens (the API's `amount`)."""

    address: str
    tokens: float
    is_dev: bool = False
    is_sniper: bool = False
    is_bundler: bool = False
    entered_at: float | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> TopHolder:
        if not isinstance(record, Mapping):
            raise ModelError("holder is not an object")
        return cls(
            address=_require(record, "address", "holder"),
            tokens=exact_float(record.get("amount"), "amount") or 0.0,
            is_dev=as_bool(record.get("isDev")),
            is_sniper=as_bool(record.get("isSniper")),
            is_bundler=as_bool(record.get("isBundler")),
            entered_at=as_iso_time(record.get("enteredAt")),
        )


@dataclass(frozen=True, slots=True)
class HolderStats:
    """Who holds a coin. Percentages 0–100; None where the server sent null (non-pump coins)."""

    mint: str
    total_holders: int | None = None
    top10_percent: float | None = None
    dev_percent: float | None = None
    snipers_percent: float | None = None
    bundlers_percent: float | None = None
    total_fees_sol: float | None = None
    as_of: float | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any], mint: str) -> HolderStats:
        if not isinstance(record, Mapping):
            raise ModelError("holder stats are not an object")
        total = record.get("totalHolders")
        return cls(
            mint=as_ident(record.get("mint")) or mint,
            total_holders=None if total is None else exact_int(total, "totalHolders"),
            top10_percent=_percent(record.get("top10HoldersPercent")),
            dev_percent=_percent(record.get("devHoldingsPercent")),
            snipers_percent=_percent(record.get("snipersHoldingsPercent")),
            bundlers_percent=_percent(record.get("bundlersHoldingsPercent")),
            total_fees_sol=exact_float(record.get("totalFeesSol"), "totalFeesSol"),
            as_of=as_iso_time(record.get("asOf")),
        )


def _percent(value: Any) -> float | None:
    number = exact_float(value, "percent")
    if number is not None and number > 100.0 + 1e-9:
        raise ModelError("a percentage above 100")
    return number


@dataclass(frozen=True, slots=True)
class SolPrice:
    """SOL in USD; `stale` is the server's own flag and should be shown."""

    usd: float
    as_of: float | None = None
    stale: bool = False


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One coin on an advanced-indexer board (`new`, `graduating`, `graduated`): a per-coin
    aggregate, not a trade. Market cap and volume in USD, age in seconds, percentages 0–100."""

    mint: str
    name: str = ""
    symbol: str = ""
    image_uri: str | None = None
    market_cap_usd: float | None = None
    age_seconds: float | None = None
    curve_percent: float | None = None
    volume_usd_5m: float | None = None
    txs_5m: int | None = None
    buys: int | None = None
    sells: int | None = None
    txs: int | None = None
    holders: int | None = None
    top10_percent: float | None = None
    dev_percent: float | None = None
    snipers: int | None = None
    dev_wallet: str | None = None
    graduated_at: float | None = None
    program: str | None = None
    chain: str | None = None


@dataclass(frozen=True, slots=True)
class PushCreate:
    """PumpPortal `txType: create`: a launch. Amounts exact from the message's floats."""

    signature: str
    mint: str
    creator: str | None
    name: str
    symbol: str
    uri: str | None
    initial_buy_raw: int | None
    lamports: int | None
    virtual_sol_reserves: int | None
    virtual_token_reserves: int | None
    market_cap_sol: float | None
    pool: str | None


@dataclass(frozen=True, slots=True)
class PushTrade:
    """PumpPortal `txType: buy|sell`. No time and no slot: the receiver supplies them."""

    signature: str
    mint: str
    is_buy: bool
    lamports: int
    raw_tokens: int
    trader: str | None
    virtual_sol_reserves: int | None
    virtual_token_reserves: int | None
    market_cap_sol: float | None
    pool: str | None

    def to_trade(self, *, received_at: float, seq: int) -> Trade:
        """A provisional `Trade`: the receive time and the arrival number stand in for the
        block time and the slot until the REST copy of the same signature replaces it."""
        return Trade(
            signature=self.signature,
            mint=self.mint,
            is_buy=self.is_buy,
            lamports=self.lamports,
            raw_tokens=self.raw_tokens,
            timestamp=received_at,
            user=self.trader,
            pushed_seq=seq,
            program=self.pool,
            pool_price_sol=(
                (self.virtual_sol_reserves / LAMPORTS_PER_SOL)
                / (self.virtual_token_reserves / RAW_PER_TOKEN)
                if self.virtual_sol_reserves and self.virtual_token_reserves
                else None
            ),
        )


@dataclass(frozen=True, slots=True)
class PushMigration:
    """PumpPortal `txType: migrate`: the coin left its curve (fields beyond the mint unknown)."""

    mint: str
    signature: str | None = None
    pool: str | None = None


@dataclass(frozen=True, slots=True)
class PushAck:
    """`{"message": "Successfully subscribed…"}`: the oldest command waiting was accepted."""

    message: str


@dataclass(frozen=True, slots=True)
class PushError:
    """`{"errors": "…"}`: the oldest command waiting was refused (e.g. no API key)."""

    message: str


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a coin's live chat (`routes.read_chat_message` builds it).

    `id` is the service's id (or, when it sent none, a stable hash of author, time and text,
    so a message read twice is still one message). `at` and `expires_at` are Unix seconds
    (0.0 / None when unknown); `kind` is the service's message type ("REGULAR", "SYSTEM"…).
    `text` and `reply_preview` are sanitised; `reactions` pairs each emoji shortcode with the
    number of recent reactors the service listed (a sample, not a total), most first.
    """

    id: str
    mint: str
    text: str
    author: str
    username: str | None = None
    at: float = 0.0
    kind: str = "REGULAR"
    is_moderator: bool = False
    is_creator: bool = False
    expires_at: float | None = None
    reply_to_id: str | None = None
    reply_preview: str | None = None
    reactions: tuple[tuple[str, int], ...] = ()

    @property
    def is_system(self) -> bool:
        return self.kind.upper() == "SYSTEM"

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def to_json(self) -> dict[str, Any]:
        """pumptui's stable shape (`pumptui watch`): Unix seconds, reactions as emoji → count."""
        return {
            "id": self.id,
            "mint": self.mint,
            "text": self.text,
            "author": self.author,
            "username": self.username,
            "at": self.at,
            "kind": self.kind,
            "is_moderator": self.is_moderator,
            "is_creator": self.is_creator,
            "expires_at": self.expires_at,
            "reply_to_id": self.reply_to_id,
            "reply_preview": self.reply_preview,
            "reactions": dict(self.reactions),
        }


@dataclass(frozen=True, slots=True)
class BookmarkList:
    id: str
    name: str
    mints: tuple[str, ...] = ()
    created_at: str | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> BookmarkList:
        if not isinstance(record, Mapping):
            raise ModelError("bookmark list is not an object")
        list_id = record.get("id")
        if not isinstance(list_id, (str, int)) or not str(list_id).strip():
            raise ModelError("bookmark list without an id")
        items = record.get("bookmark_items") or record.get("items") or []
        mints: list[str] = []
        for item in items if isinstance(items, list) else []:
            mint = as_ident(item.get("mint") if isinstance(item, Mapping) else item)
            if mint:
                mints.append(mint)
        return cls(
            id=clean_text(str(list_id), 64),
            name=clean_text(record.get("name"), NAME_LIMIT) or "(unnamed)",
            mints=tuple(mints),
            created_at=clean_optional(record.get("created_at"), 64),
        )


@dataclass(frozen=True, slots=True)
class User:
    address: str
    username: str | None = None
    profile_image: str | None = None
    followers: int | None = None
    followed_at: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> User:
        if not isinstance(record, Mapping):
            raise ModelError("user is not an object")
        address = as_ident(record.get("address")) or as_ident(record.get("user"))
        if address is None:
            raise ModelError("user without an address")
        followers = record.get("followers")
        return cls(
            address=address,
            username=clean_optional(record.get("username"), NAME_LIMIT),
            profile_image=clean_optional(record.get("profile_image"), URL_LIMIT),
            followers=None if followers is None else max(0, as_int(followers)),
            followed_at=as_time(record.get("timestamp")),
        )


# -- users, follows and callouts (2026, reference §3.7) ---------------------------------

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_OPAQUE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def as_uuid(value: Any) -> str | None:
    """A user's UUID (`userId`), lower case; None unless it is one."""
    if isinstance(value, str) and _UUID.match(value.strip()):
        return value.strip().lower()
    return None


def as_opaque_id(value: Any) -> str | None:
    """A server-made id (a callout's, a reply's): a string of safe characters, or an integer."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and _OPAQUE_ID.match(value):
        return value
    return None


def as_wallet(value: Any) -> str | None:
    """A wallet address: base58 of 32 bytes (so a numeric or short id is never taken for one)."""
    return value if isinstance(value, str) and is_pubkey(value) else None


def _optional_count(value: Any, what: str) -> int | None:
    return None if value is None else exact_int(value, what)


@dataclass(frozen=True, slots=True)
class UserProfile:
    """A user as the 2026 service names one: by UUID (what follows take) and by wallet.
    `followers` and `following` are None when the answer did not carry them."""

    uuid: str
    wallet: str | None = None
    username: str | None = None
    profile_image: str | None = None
    followers: int | None = None
    following: int | None = None
    followed_at: float | None = None  # in a follow list: when the follow was made

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> UserProfile:
        if not isinstance(record, Mapping):
            raise ModelError("user is not an object")
        user_id = (
            as_uuid(record.get("userId"))
            or as_uuid(record.get("user_uuid"))
            or as_uuid(record.get("uuid"))
            or as_uuid(record.get("id"))
        )
        if user_id is None:
            raise ModelError("user without a UUID")
        image = record.get("profile_image", record.get("profileImage"))
        return cls(
            uuid=user_id,
            wallet=as_wallet(record.get("address")) or as_wallet(record.get("wallet")),
            username=clean_optional(record.get("username"), NAME_LIMIT),
            profile_image=clean_optional(image, URL_LIMIT),
            followers=_optional_count(record.get("followers"), "followers"),
            following=_optional_count(record.get("following"), "following"),
            followed_at=as_iso_time(record.get("timestamp")),
        )


@dataclass(frozen=True, slots=True)
class FollowCounts:
    """How many follow a user, and how many the user follows."""

    followers: int
    following: int


@dataclass(frozen=True, slots=True)
class Callout:
    """A holder's call on a coin, with a thesis (the successor of threaded replies).

    Units: `market_cap_usd` is the coin's market cap in USD when the call was made; `multiple` is
    the price now over the price then (2.0: doubled since); times are Unix seconds. The service
    recomputes the SOL prices (`call_price_sol`, `max_price_sol`) at read time, so they drift with
    SOL: show the USD cap and the multiple. The author is named by wallet and UUID (which of
    `userId` and `user_uuid` carries which is unverified: both are read by their form).
    `likes`, `replies` and `liked_by_user` are not in the reference: None when the service does
    not send them (the simulator does).
    """

    id: str
    mint: str
    thesis: str = ""
    created_at: float | None = None
    market_cap_usd: float | None = None
    multiple: float | None = None
    author_wallet: str | None = None
    author_uuid: str | None = None
    username: str | None = None
    profile_image: str | None = None
    x_username: str | None = None
    call_price_sol: float | None = None
    max_price_sol: float | None = None
    peak_at: float | None = None
    likes: int | None = None
    replies: int | None = None
    liked_by_user: bool | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any], mint: str | None = None) -> Callout:
        if not isinstance(record, Mapping):
            raise ModelError("callout is not an object")
        callout_id = as_opaque_id(record.get("calloutId")) or as_opaque_id(record.get("id"))
        if callout_id is None:
            raise ModelError("callout without a calloutId")
        coin = as_ident(record.get("coinMint")) or as_ident(record.get("mint")) or mint
        if coin is None:
            raise ModelError("callout without a coinMint")
        user_id, user_uuid = record.get("userId"), record.get("user_uuid")
        liked = record.get("likedByUser")
        return cls(
            id=callout_id,
            mint=coin,
            thesis=clean_text(record.get("thesis"), TEXT_LIMIT, multiline=True),
            created_at=as_iso_time(record.get("createdAt")),
            market_cap_usd=exact_float(record.get("marketCap"), "marketCap"),
            multiple=exact_float(record.get("multiple"), "multiple"),
            author_wallet=as_wallet(user_id)
            or as_wallet(user_uuid)
            or as_wallet(record.get("userAddress")),
            author_uuid=as_uuid(user_uuid) or as_uuid(user_id),
            username=clean_optional(record.get("username"), NAME_LIMIT),
            profile_image=clean_optional(record.get("profileImage"), URL_LIMIT),
            x_username=clean_optional(record.get("xUsername"), NAME_LIMIT),
            call_price_sol=exact_float(record.get("calloutPrice"), "calloutPrice"),
            max_price_sol=exact_float(record.get("maxPriceSol"), "maxPriceSol"),
            peak_at=as_iso_time(record.get("peakTimestamp")),
            likes=_optional_count(record.get("likeCount"), "likeCount"),
            replies=_optional_count(record.get("replyCount"), "replyCount"),
            liked_by_user=None if liked is None else as_bool(liked),
        )

    @property
    def peak_multiple(self) -> float | None:
        """The highest price since the call over the call's price (both recomputed at the same
        SOL price, so their ratio holds); None when either is missing."""
        if self.max_price_sol is None or not self.call_price_sol:
            return None
        return self.max_price_sol / self.call_price_sol

    def to_json(self) -> dict[str, Any]:
        """Stable keys in the app's units (USD, Unix seconds), as `watch --json` prints it."""
        return {
            "id": self.id,
            "mint": self.mint,
            "thesis": self.thesis,
            "created_at": self.created_at,
            "market_cap_usd": self.market_cap_usd,
            "multiple": self.multiple,
            "peak_multiple": self.peak_multiple,
            "peak_at": self.peak_at,
            "author_wallet": self.author_wallet,
            "author_uuid": self.author_uuid,
            "username": self.username,
            "x_username": self.x_username,
            "likes": self.likes,
            "replies": self.replies,
            "liked_by_user": self.liked_by_user,
        }


@dataclass(frozen=True, slots=True)
class CalloutPage:
    """One page of a user's callouts; `next_page_token` is None on the last page."""

    items: list[Callout]
    next_page_token: str | None = None
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class CalloutReply:
    """A reply to a callout. Posting answers `{replyId, createdAt, mediaUrl, rootMessageId}`
    only: `content` and the author are known when a reply is read back (the simulator's read
    route; unverified on the service)."""

    id: str
    callout_id: str | None = None
    created_at: float | None = None
    media_url: str | None = None
    content: str = ""
    author_wallet: str | None = None
    author_uuid: str | None = None
    username: str | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any], callout_id: str | None = None) -> CalloutReply:
        if not isinstance(record, Mapping):
            raise ModelError("callout reply is not an object")
        reply_id = as_opaque_id(record.get("replyId")) or as_opaque_id(record.get("id"))
        if reply_id is None:
            raise ModelError("callout reply without a replyId")
        user_id, user_uuid = record.get("userId"), record.get("user_uuid")
        return cls(
            id=reply_id,
            callout_id=as_opaque_id(record.get("rootMessageId"))
            or as_opaque_id(record.get("calloutId"))
            or callout_id,
            created_at=as_iso_time(record.get("createdAt")),
            media_url=clean_optional(record.get("mediaUrl"), URL_LIMIT),
            content=clean_text(record.get("content"), TEXT_LIMIT, multiline=True),
            author_wallet=as_wallet(user_id) or as_wallet(user_uuid),
            author_uuid=as_uuid(user_uuid) or as_uuid(user_id),
            username=clean_optional(record.get("username"), NAME_LIMIT),
        )


@dataclass(frozen=True, slots=True)
class CalloutEligibility:
    """Whether the logged-in wallet may post a callout on a coin (it must hold it), and why not.
    The answer's shape is unverified: `{eligible, reason}` (the simulator's), a few likely
    synonyms, or a bare boolean are read."""

    eligible: bool
    reason: str | None = None

    @classmethod
    def from_api(cls, payload: Any) -> CalloutEligibility:
        if isinstance(payload, bool):
            return cls(payload)
        if isinstance(payload, Mapping):
            for key in ("eligible", "isEligible", "canPost", "canCallout", "allowed"):
                if key in payload:
                    reason = payload.get("reason", payload.get("message"))
                    return cls(as_bool(payload[key]), clean_optional(reason, 200))
        raise ModelError("eligibility answer without a verdict")


# -- lists ------------------------------------------------------------------------

M = TypeVar("M")
LIST_WRAPPERS = ("data", "coins", "replies", "trades", "items", "results")


def unwrap_list(payload: Any) -> list[Any] | None:
    """The list in a bare or wrapped (`{"data": [...]}` etc.) payload, or None if there is none."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, Mapping):
        for key in LIST_WRAPPERS:
            value = payload.get(key)
            if isinstance(value, list):
                return value
    return None


@dataclass(slots=True)
class Parsed(Generic[M]):
    """Records that parsed, and how many were skipped because they could not be used."""

    items: list[M]
    skipped: int = 0


def parse_list(records: Iterable[Any], parse: Callable[[Any], M]) -> Parsed[M]:
    """Parse each record, keeping going past bad ones (counted in `skipped`)."""
    items: list[M] = []
    skipped = 0
    for record in records:
        try:
            items.append(parse(record))
        except (ModelError, TypeError, ValueError, AttributeError):
            skipped += 1
    return Parsed(items, skipped)


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)
