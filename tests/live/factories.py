"""Hand-made models for the engine's pure tests (the simulator is used everywhere else)."""

from __future__ import annotations

import random

from pumptui.api.models import Coin, Trade
from pumptui.base58 import b58encode


def mint(n: int) -> str:
    return b58encode(random.Random(n).randbytes(32))


def signature(n: int) -> str:
    return b58encode(random.Random(10**9 + n).randbytes(64))


def trade(
    n: int,
    *,
    coin: str | None = None,
    timestamp: float | None = None,
    lamports: int = 100_000_000,
    tokens: int = 3_000_000_000_000,
    is_buy: bool = True,
) -> Trade:
    """The n-th trade of a coin: one slot per trade, one trade a second unless told."""
    return Trade(
        signature=signature(n),
        mint=coin or mint(0),
        is_buy=is_buy,
        lamports=lamports,
        raw_tokens=tokens,
        timestamp=float(1_780_000_000 + n if timestamp is None else timestamp),
        slot=1000 + n,
        tx_index=0,
    )


def coin(
    n: int, *, created_at: float | None = None, vsol: int = 30_000_000_000, name: str | None = None
) -> Coin:
    return Coin(
        mint=mint(n),
        name=name or f"Coin {n}",
        symbol=f"C{n}",
        created_at=1_780_000_000 + n if created_at is None else created_at,
        virtual_sol_reserves=vsol,
        virtual_token_reserves=1_073_000_000_000_000,
        market_cap_sol=vsol / 1e9 / 1_073_000_000 * 1e9,
    )
