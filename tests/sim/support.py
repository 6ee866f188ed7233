"""What the simulator's tests share: an httpx client, sign-in, and the API's shapes as checks.

The shape checks spell out pumpfun-api-2026.md field by field (names, JSON types, units), so a
drift in the simulator's answers fails here before it misleads a client test. httpx is used
directly: these tests must not depend on pumptui's own API client. Expected values are worked out
here from the reference and the bonding-curve maths, never by calling the simulator's code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, localcontext
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pumptui.base58 import b58decode, b58encode, is_pubkey
from pumptui.sim import SimServer

LAMPORTS_PER_SOL = 1_000_000_000
RAW_PER_TOKEN = 1_000_000
LAUNCH_VIRTUAL_SOL = 30_000_000_000
LAUNCH_VIRTUAL_TOKENS = 1_073_000_000_000_000
LAUNCH_REAL_TOKENS = 793_100_000_000_000
TOTAL_SUPPLY = 1_000_000_000_000_000

# JSON types per field; `None` in a tuple means the field may be null.
Spec = dict[str, tuple[type | None, ...]]
STR, INT, FLOAT, BOOL = (str,), (int,), (float,), (bool,)
OPT_STR, OPT_INT, OPT_FLOAT = (str, None), (int, None), (float, None)

WSOL = "So11111111111111111111111111111111111111112"
COIN_FIELDS: Spec = {
    "mint": STR,
    "name": STR,
    "symbol": STR,
    "description": OPT_STR,
    "image_uri": STR,
    "metadata_uri": STR,
    "creator": STR,
    "bonding_curve": STR,
    "associated_bonding_curve": STR,
    "twitter": OPT_STR,
    "telegram": OPT_STR,
    "website": OPT_STR,
    "username": OPT_STR,
    "profile_image": OPT_STR,
    "created_timestamp": INT,
    "last_trade_timestamp": OPT_INT,
    "last_reply": OPT_INT,
    "updated_at": INT,
    "ath_market_cap_timestamp": OPT_INT,
    "virtual_sol_reserves": INT,
    "real_sol_reserves": INT,
    "virtual_token_reserves": INT,
    "real_token_reserves": INT,
    "total_supply": INT,
    "total_supply_str": STR,
    "virtual_quote_reserves": INT,
    "real_quote_reserves": INT,
    "market_cap": FLOAT,
    "usd_market_cap": FLOAT,
    "market_cap_usd": FLOAT,
    "ath_market_cap": FLOAT,
    "reply_count": INT,
    "complete": BOOL,
    "nsfw": BOOL,
    "is_banned": BOOL,
    "show_name": BOOL,
    "is_currently_live": BOOL,
    "pump_swap_pool": OPT_STR,
    "pool_address": OPT_STR,
    "program": STR,
    "quote_mint": STR,
    "quote_decimals": INT,
    "base_decimals": INT,
    "chain_id": STR,
}
GONE_COIN_FIELDS = ("king_of_the_hill_timestamp", "raydium_pool")
SWAP_TRADE_FIELDS: Spec = {
    "slotIndexId": STR,
    "tx": STR,
    "timestamp": STR,
    "userAddress": STR,
    "type": STR,
    "program": STR,
    "amountSol": STR,
    "amountUsd": STR,
    "baseAmount": STR,
    "quoteAmount": STR,
    "priceSol": STR,
    "priceUsd": STR,
    "fillPriceSol": STR,
    "fillPriceUsd": STR,
}
GONE_TRADE_FIELDS = (
    "signature",
    "is_buy",
    "sol_amount",
    "token_amount",
    "user",
    "slot",
    "tx_index",
    "username",
    "profile_image",
)
BOOKMARK_LIST_FIELDS: Spec = {
    "id": STR,
    "user_id": STR,
    "name": STR,
    "created_at": STR,
    "bookmark_items": (list,),
}
PROFILE_FIELDS: Spec = {
    "address": STR,
    "username": OPT_STR,
    "profile_image": OPT_STR,
    "followers": INT,
    "following": INT,
}
FOLLOWER_FIELDS: Spec = {
    "username": OPT_STR,
    "profile_image": OPT_STR,
    "address": STR,
    "timestamp": INT,
    "followers": INT,
}


def check_fields(obj: Any, spec: Spec, what: str) -> None:
    """Every documented field is present with its documented JSON type (bools are not ints)."""
    assert isinstance(obj, dict), f"{what} is not an object: {obj!r}"
    for name, kinds in spec.items():
        assert name in obj, f"{what} lacks {name!r}"
        value = obj[name]
        if value is None:
            assert None in kinds, f"{what}.{name} is null"
            continue
        allowed = tuple(k for k in kinds if k is not None)
        if bool not in allowed:
            assert not isinstance(value, bool), f"{what}.{name} is a bool: {value!r}"
        assert isinstance(value, allowed), f"{what}.{name} has type {type(value).__name__}"


def check_coin(coin: dict[str, Any], sol_price: float | None = None) -> None:
    """A 2026 coin's fields, and the units that tie them together (lamports, raw 6-decimal
    tokens, market cap in SOL, USD figures, times in ms except `updated_at` in seconds)."""
    check_fields(coin, COIN_FIELDS, "coin")
    for gone in GONE_COIN_FIELDS:
        assert gone not in coin, gone
    assert is_pubkey(coin["mint"])
    assert coin["mint"].endswith("pump")
    for key in ("creator", "bonding_curve", "associated_bonding_curve"):
        assert is_pubkey(coin[key]), key
    assert (coin["program"], coin["quote_mint"]) == ("pump", WSOL)
    assert (coin["quote_decimals"], coin["base_decimals"]) == (9, 6)
    assert coin["chain_id"].startswith("solana:")
    assert (
        coin["virtual_token_reserves"] - coin["real_token_reserves"]
        == LAUNCH_VIRTUAL_TOKENS - LAUNCH_REAL_TOKENS
    )
    assert coin["virtual_quote_reserves"] == coin["virtual_sol_reserves"]
    assert coin["real_quote_reserves"] == coin["real_sol_reserves"]
    if coin["complete"]:
        # Graduated: the curve is empty and the pool took the SOL.
        assert coin["real_sol_reserves"] == 0
        assert coin["real_token_reserves"] == 0
        assert coin["pump_swap_pool"] is not None
        assert coin["pool_address"] == coin["pump_swap_pool"]
    else:
        # Real reserves move with the virtual ones, so the offsets are the launch offsets.
        assert coin["virtual_sol_reserves"] - coin["real_sol_reserves"] == LAUNCH_VIRTUAL_SOL
        assert coin["pump_swap_pool"] is None
    assert coin["real_sol_reserves"] >= 0
    assert coin["total_supply"] == TOTAL_SUPPLY
    assert coin["total_supply_str"] == str(TOTAL_SUPPLY)
    if not coin["complete"]:
        # On the curve its reserves price it; a graduated coin's curve is frozen and its pool
        # (not in the Coin) prices it.
        price = (coin["virtual_sol_reserves"] / LAMPORTS_PER_SOL) / (
            coin["virtual_token_reserves"] / RAW_PER_TOKEN
        )
        assert abs(coin["market_cap"] - price * 1e9) <= 1e-9 * coin["market_cap"]
    assert coin["market_cap_usd"] == coin["usd_market_cap"]
    if sol_price is not None:
        assert abs(coin["usd_market_cap"] - coin["market_cap"] * sol_price) <= 1e-6
        # The ATH is in USD now: never below today's USD market cap by more than SOL's drift.
        assert coin["ath_market_cap"] >= coin["usd_market_cap"] * 0.9
    for key in (
        "created_timestamp",
        "last_trade_timestamp",
        "last_reply",
        "ath_market_cap_timestamp",
    ):
        if coin[key] is not None:
            assert coin[key] > 10**12, f"{key} is not in milliseconds"
    assert 10**9 < coin["updated_at"] < 10**11, "updated_at is not in seconds"
    if coin["last_trade_timestamp"] is not None:
        assert coin["last_trade_timestamp"] >= coin["created_timestamp"]


def lamports_of(sol: str) -> int:
    """`"1.500000001"` → 1_500_000_001, refusing anything but exactly 9 decimals."""
    whole, frac = sol.split(".")
    assert len(frac) == 9, sol
    return int(whole) * LAMPORTS_PER_SOL + int(frac)


def raw_of(tokens: str) -> int:
    """`"1.234567"` → 1_234_567, refusing anything but exactly 6 decimals."""
    whole, frac = tokens.split(".")
    assert len(frac) == 6, tokens
    return int(whole) * RAW_PER_TOKEN + int(frac)


def pool_price(virtual_sol: int, virtual_tokens: int) -> Decimal:
    """SOL per whole token, from the reserves (lamports / raw units), with plenty of digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(virtual_sol) / LAMPORTS_PER_SOL) / (Decimal(virtual_tokens) / RAW_PER_TOKEN)


def check_swap_trade(trade: dict[str, Any], program: str = "pump") -> None:
    """A swap-api trade row (§3.2): decimal strings, ISO whole seconds, a slotIndexId; on the
    curve (`pump`) unless `program` says where else it traded (`pump_amm`: PumpSwap)."""
    check_fields(trade, SWAP_TRADE_FIELDS, "trade")
    for gone in GONE_TRADE_FIELDS:
        assert gone not in trade, gone
    assert len(b58decode(trade["tx"])) == 64
    assert is_pubkey(trade["userAddress"])
    assert trade["type"] in ("buy", "sell")
    assert trade["program"] == program
    assert lamports_of(trade["amountSol"]) > 0
    assert raw_of(trade["baseAmount"]) > 0
    assert trade["quoteAmount"] == trade["amountSol"]
    assert len(trade["slotIndexId"]) == 22
    assert trade["slotIndexId"].isdigit()
    stamp = trade["timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", stamp), stamp
    for key in ("amountUsd", "priceSol", "priceUsd", "fillPriceSol", "fillPriceUsd"):
        assert Decimal(trade[key]) > 0, key
        assert "E" not in trade[key].upper(), f"{key} in exponent notation"


def epoch_ms(iso: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


@contextmanager
def http(sim: SimServer, timeout: float = 5.0, **kwargs: Any) -> Iterator[httpx.Client]:
    """A keep-alive client for one simulator (v3, swap and idx paths share its origin)."""
    with httpx.Client(base_url=sim.base_url, timeout=timeout, **kwargs) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in_message(keypair: bytes, timestamp_ms: int) -> tuple[str, str]:
    """(address, signature) in base58 for `Sign in to pump.fun: <ms>`, as a wallet signs it."""
    key = Ed25519PrivateKey.from_private_bytes(keypair[:32])
    signature = key.sign(f"Sign in to pump.fun: {timestamp_ms}".encode())
    return b58encode(keypair[32:]), b58encode(signature)


def login_body(keypair: bytes, timestamp_ms: int | None = None) -> dict[str, Any]:
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    address, signature = sign_in_message(keypair, timestamp_ms)
    return {"address": address, "signature": signature, "timestamp": timestamp_ms}


def market_now(client: httpx.Client) -> float:
    """The simulator's market clock (Unix seconds)."""
    return float(client.get("/_sim/state").json()["now"])


def nest_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert a NestJS-style error body with this status; returns it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["statusCode"] == status
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["error"], str)
    assert body["error"]
    return body
