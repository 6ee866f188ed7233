"""Typed models of what the Pump.fun API returns, built tolerantly at the boundary.

Conversions happen once, here:
- lamports → SOL (`sol`), raw 6-decimal units → whole tokens (`tokens`); the exact integers the
  API sent are kept beside them (`lamports`, `raw_tokens`) for scripts that want API units;
- milliseconds and seconds → float Unix seconds (`*_at` fields);
- every text field is sanitised (see `sanitize`); the mint and wallet addresses are kept verbatim
  because they are identifiers, but they are checked to be plain base58-ish ASCII.

Parsers (`Coin.from_api` etc.) accept missing fields, nulls, numeric strings and unknown extra
fields, and raise `ModelError` only when a record lacks what identifies it (a trade without a
signature, a coin without a mint). `parse_list` skips such records and counts them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pumptui.api.sanitize import (
    NAME_LIMIT,
    SYMBOL_LIMIT,
    TEXT_LIMIT,
    URL_LIMIT,
    clean_optional,
    clean_text,
)

LAMPORTS_PER_SOL = 1_000_000_000
RAW_PER_TOKEN = 1_000_000
TOTAL_SUPPLY_RAW = 1_000_000_000_000_000
INITIAL_REAL_TOKEN_RESERVES = 793_100_000_000_000
# Timestamps above this are milliseconds (year 33658 in seconds; 1973 in milliseconds).
_MS_THRESHOLD = 1e12
_IDENT = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{1,100}$")
# Chain-order slot of a trade known only from a push message: after every confirmed trade.
UNCONFIRMED_SLOT = 2**62


class ModelError(ValueError):
    """A record lacks a field that identifies it; it cannot be used at all."""


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


def as_ident(value: Any) -> str | None:
    """An address, mint or signature: kept verbatim, but only if it is plain base58."""
    if isinstance(value, str) and _IDENT.match(value):
        return value
    return None


def _require(record: Mapping[str, Any], key: str, what: str) -> str:
    ident = as_ident(record.get(key))
    if ident is None:
        raise ModelError(f"{what} without a valid {key}")
    return ident


# -- models ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coin:
    mint: str
    name: str = ""
    symbol: str = ""
    description: str = ""
    image_uri: str | None = None
    creator: str | None = None
    creator_username: str | None = None
    created_at: float | None = None
    last_trade_at: float | None = None
    king_of_the_hill_at: float | None = None
    last_reply_at: float | None = None
    virtual_sol_reserves: int = 0
    virtual_token_reserves: int = 0
    real_sol_reserves: int = 0
    real_token_reserves: int = 0
    total_supply: int = TOTAL_SUPPLY_RAW
    market_cap_sol: float = 0.0
    usd_market_cap: float | None = None
    ath_market_cap_sol: float | None = None
    reply_count: int = 0
    complete: bool = False
    nsfw: bool = False
    is_banned: bool = False
    is_currently_live: bool = False
    pool: str | None = None
    twitter: str | None = None
    telegram: str | None = None
    website: str | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> Coin:
        if not isinstance(record, Mapping):
            raise ModelError("coin is not an object")
        mint = _require(record, "mint", "coin")
        vsol = as_int(record.get("virtual_sol_reserves"))
        vtok = as_int(record.get("virtual_token_reserves"))
        market_cap = as_float(record.get("market_cap"), None)
        if market_cap is None and vtok > 0:
            supply = as_int(record.get("total_supply"), TOTAL_SUPPLY_RAW)
            market_cap = vsol / vtok * 1e6 * supply / TOTAL_SUPPLY_RAW
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
            king_of_the_hill_at=as_time(record.get("king_of_the_hill_timestamp")),
            last_reply_at=as_time(record.get("last_reply")),
            virtual_sol_reserves=vsol,
            virtual_token_reserves=vtok,
            real_sol_reserves=as_int(record.get("real_sol_reserves")),
            real_token_reserves=as_int(record.get("real_token_reserves")),
            total_supply=as_int(record.get("total_supply"), TOTAL_SUPPLY_RAW) or TOTAL_SUPPLY_RAW,
            market_cap_sol=market_cap or 0.0,
            usd_market_cap=as_float(record.get("usd_market_cap"), None),
            ath_market_cap_sol=as_float(record.get("ath_market_cap"), None),
            reply_count=max(0, as_int(record.get("reply_count"))),
            complete=as_bool(record.get("complete")),
            nsfw=as_bool(record.get("nsfw")),
            is_banned=as_bool(record.get("is_banned")),
            is_currently_live=as_bool(record.get("is_currently_live")),
            pool=as_ident(record.get("pump_swap_pool")) or as_ident(record.get("raydium_pool")),
            twitter=clean_optional(record.get("twitter"), URL_LIMIT),
            telegram=clean_optional(record.get("telegram"), URL_LIMIT),
            website=clean_optional(record.get("website"), URL_LIMIT),
        )

    @property
    def price_sol(self) -> float:
        """SOL per whole token, from the virtual reserves (the curve's spot price)."""
        if self.virtual_token_reserves <= 0:
            supply = self.total_supply / RAW_PER_TOKEN
            return self.market_cap_sol / supply if supply else 0.0
        return (self.virtual_sol_reserves / LAMPORTS_PER_SOL) / (
            self.virtual_token_reserves / RAW_PER_TOKEN
        )

    @property
    def progress(self) -> float:
        """Bonding-curve progress towards graduation, 0.0 to 1.0."""
        if self.complete:
            return 1.0
        if self.real_token_reserves <= 0 and self.virtual_token_reserves <= 0:
            return 0.0
        left = min(self.real_token_reserves, INITIAL_REAL_TOKEN_RESERVES)
        return max(0.0, min(1.0, 1.0 - left / INITIAL_REAL_TOKEN_RESERVES))

    @property
    def real_sol(self) -> float:
        return self.real_sol_reserves / LAMPORTS_PER_SOL

    def to_api(self) -> dict[str, Any]:
        """The fields in the API's own names and units (lamports, raw units, milliseconds)."""
        return {
            "mint": self.mint,
            "name": self.name,
            "symbol": self.symbol,
            "description": self.description,
            "image_uri": self.image_uri,
            "creator": self.creator,
            "username": self.creator_username,
            "created_timestamp": _ms(self.created_at),
            "last_trade_timestamp": _ms(self.last_trade_at),
            "king_of_the_hill_timestamp": _ms(self.king_of_the_hill_at),
            "last_reply": _ms(self.last_reply_at),
            "virtual_sol_reserves": self.virtual_sol_reserves,
            "virtual_token_reserves": self.virtual_token_reserves,
            "real_sol_reserves": self.real_sol_reserves,
            "real_token_reserves": self.real_token_reserves,
            "total_supply": self.total_supply,
            "market_cap": self.market_cap_sol,
            "usd_market_cap": self.usd_market_cap,
            "ath_market_cap": self.ath_market_cap_sol,
            "reply_count": self.reply_count,
            "complete": self.complete,
            "nsfw": self.nsfw,
            "is_banned": self.is_banned,
            "is_currently_live": self.is_currently_live,
            "pump_swap_pool": self.pool,
            "twitter": self.twitter,
            "telegram": self.telegram,
            "website": self.website,
        }


@dataclass(frozen=True, slots=True)
class Trade:
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
    # Only on the site-wide /trades/latest.
    symbol: str | None = None
    image_uri: str | None = None
    # Set on a trade known only from a push message (no slot, `timestamp` = when it was
    # received): its arrival number, which orders it after every confirmed trade. The REST copy
    # of the same signature later replaces it (`TradeConfirmed`).
    pushed_seq: int | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> Trade:
        if not isinstance(record, Mapping):
            raise ModelError("trade is not an object")
        signature = _require(record, "signature", "trade")
        mint = _require(record, "mint", "trade")
        timestamp = as_time(record.get("timestamp"))
        if timestamp is None:
            raise ModelError("trade without a timestamp")
        return cls(
            signature=signature,
            mint=mint,
            is_buy=as_bool(record.get("is_buy")),
            lamports=max(0, as_int(record.get("sol_amount"))),
            raw_tokens=max(0, as_int(record.get("token_amount"))),
            timestamp=timestamp,
            slot=as_int(record.get("slot")),
            tx_index=as_int(record.get("tx_index")),
            user=as_ident(record.get("user")),
            username=clean_optional(record.get("username"), NAME_LIMIT),
            symbol=clean_optional(record.get("symbol"), SYMBOL_LIMIT),
            image_uri=clean_optional(record.get("image_uri"), URL_LIMIT),
        )

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

    @classmethod
    def from_push(cls, message: Mapping[str, Any], *, received_at: float, seq: int) -> Trade:
        """A trade from a PumpPortal message: amounts in human units (floats), no timestamp and
        no slot, so the receive time and the arrival number stand in until the REST copy."""
        if not isinstance(message, Mapping):
            raise ModelError("push message is not an object")
        signature = _require(message, "signature", "pushed trade")
        mint = _require(message, "mint", "pushed trade")
        kind = message.get("txType")
        if kind not in ("buy", "sell"):
            raise ModelError("pushed trade is neither a buy nor a sell")
        sol = as_float(message.get("solAmount"), None)
        tokens = as_float(message.get("tokenAmount"), None)
        if sol is None or tokens is None or sol < 0 or tokens < 0:
            raise ModelError("pushed trade without amounts")
        return cls(
            signature=signature,
            mint=mint,
            is_buy=kind == "buy",
            # Floats carry 15 significant digits: enough to give back the exact integers.
            lamports=round(sol * LAMPORTS_PER_SOL),
            raw_tokens=round(tokens * RAW_PER_TOKEN),
            timestamp=received_at,
            user=as_ident(message.get("traderPublicKey")),
            pushed_seq=seq,
        )

    @property
    def provisional(self) -> bool:
        return self.pushed_seq is not None

    @property
    def chain_order(self) -> tuple[int, int, float, str]:
        """Sort key for chain order: slot, then position in the slot. Pushed trades arrive in
        chain order and are newer than any confirmed one, so they sort last, by arrival."""
        if self.pushed_seq is not None:
            return (UNCONFIRMED_SLOT, self.pushed_seq, self.timestamp, self.signature)
        return (self.slot, self.tx_index, self.timestamp, self.signature)

    def to_api(self) -> dict[str, Any]:
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
        }
        if self.symbol is not None:
            data["symbol"] = self.symbol
        if self.pushed_seq is not None:
            # Not known yet: a pushed trade has no slot, and its time is when it was received.
            data["slot"] = data["tx_index"] = None
            data["provisional"] = True
        return data


@dataclass(frozen=True, slots=True)
class Reply:
    id: int
    mint: str
    text: str
    timestamp: float
    user: str | None = None
    username: str | None = None
    total_likes: int = 0
    liked_by_user: bool = False
    file_uri: str | None = None
    # The poster's attached trade, when there is one.
    signature: str | None = None
    is_buy: bool | None = None
    lamports: int | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> Reply:
        if not isinstance(record, Mapping):
            raise ModelError("reply is not an object")
        reply_id = as_int(record.get("id"), -1)
        if reply_id < 0:
            raise ModelError("reply without an id")
        mint = _require(record, "mint", "reply")
        sol_amount = record.get("sol_amount")
        is_buy = record.get("is_buy")
        return cls(
            id=reply_id,
            mint=mint,
            text=clean_text(record.get("text"), TEXT_LIMIT, multiline=True),
            timestamp=as_time(record.get("timestamp")) or 0.0,
            user=as_ident(record.get("user")),
            username=clean_optional(record.get("username"), NAME_LIMIT),
            total_likes=max(0, as_int(record.get("total_likes"))),
            liked_by_user=as_bool(record.get("liked_by_user")),
            file_uri=clean_optional(record.get("file_uri"), URL_LIMIT),
            signature=as_ident(record.get("signature")),
            is_buy=None if is_buy is None else as_bool(is_buy),
            lamports=None if sol_amount is None else max(0, as_int(sol_amount)),
        )

    @property
    def sol(self) -> float | None:
        return None if self.lamports is None else self.lamports / LAMPORTS_PER_SOL

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mint": self.mint,
            "text": self.text,
            "user": self.user,
            "username": self.username,
            "timestamp": _ms(self.timestamp),
            "total_likes": self.total_likes,
            "liked_by_user": self.liked_by_user,
            "file_uri": self.file_uri,
            "signature": self.signature,
            "is_buy": self.is_buy,
            "sol_amount": self.lamports,
        }


@dataclass(frozen=True, slots=True)
class Candle:
    """One OHLCV bucket. Prices in SOL per whole token, volume in SOL, start in Unix seconds."""

    mint: str
    start: float
    open: float
    high: float
    low: float
    close: float
    volume_sol: float = 0.0
    seconds: int = 60

    @classmethod
    def from_api(cls, record: Mapping[str, Any], seconds: int = 60) -> Candle:
        if not isinstance(record, Mapping):
            raise ModelError("candle is not an object")
        mint = _require(record, "mint", "candle")
        start = as_time(record.get("timestamp"))
        if start is None:
            raise ModelError("candle without a timestamp")
        prices = [as_float(record.get(k), None) for k in ("open", "high", "low", "close")]
        if any(p is None for p in prices):
            raise ModelError("candle without prices")
        o, h, low, c = (float(p) for p in prices)  # type: ignore[arg-type]
        return cls(
            mint=mint,
            start=start,
            open=o,
            high=max(o, h, low, c),
            low=min(o, h, low, c),
            close=c,
            volume_sol=max(0, as_int(record.get("volume"))) / LAMPORTS_PER_SOL,
            seconds=seconds,
        )


@dataclass(frozen=True, slots=True)
class CoinMetadata:
    mint: str
    name: str = ""
    symbol: str = ""
    description: str = ""
    image: str | None = None
    twitter: str | None = None
    telegram: str | None = None
    website: str | None = None

    @classmethod
    def from_api(cls, record: Mapping[str, Any]) -> CoinMetadata:
        if not isinstance(record, Mapping):
            raise ModelError("metadata is not an object")
        return cls(
            mint=_require(record, "mint", "metadata"),
            name=clean_text(record.get("name"), NAME_LIMIT),
            symbol=clean_text(record.get("symbol"), SYMBOL_LIMIT),
            description=clean_text(record.get("description"), TEXT_LIMIT, multiline=True),
            image=clean_optional(record.get("image") or record.get("image_uri"), URL_LIMIT),
            twitter=clean_optional(record.get("twitter"), URL_LIMIT),
            telegram=clean_optional(record.get("telegram"), URL_LIMIT),
            website=clean_optional(record.get("website"), URL_LIMIT),
        )

    def to_api(self) -> dict[str, Any]:
        return {
            "mint": self.mint,
            "name": self.name,
            "symbol": self.symbol,
            "description": self.description,
            "image": self.image,
            "twitter": self.twitter,
            "telegram": self.telegram,
            "website": self.website,
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
