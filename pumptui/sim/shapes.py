"""The JSON shapes of the Pump.fun API (late 2026), as the simulator sends them.

Field names, units and nesting follow pumpfun-api-2026.md §3 and §5: a Coin keeps the 2025 units
(lamports, raw 6-decimal token units, `market_cap` in SOL, times in ms) with the 2026 additions
(`ath_market_cap` in USD, `updated_at` in seconds, quote and pool fields); swap-api rows are
decimal strings (see `pumptui.sim.swap`). A few unknown extra fields the real service sends are
included on purpose, so that clients prove they ignore them.
"""

from __future__ import annotations

from typing import Any

from pumptui.sim.curve import INITIAL_REAL_TOKENS, TOTAL_SUPPLY
from pumptui.sim.market import (
    BookmarkList,
    Market,
    SimCoin,
    SimTrade,
    SimUser,
)
from pumptui.sim.swap import recent_volume

WSOL_MINT = "So11111111111111111111111111111111111111112"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
CHAIN_ID = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"
SOLANA_NETWORK_ID = 1399811149


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(seconds * 1000)


def coin(market: Market, c: SimCoin) -> dict[str, Any]:
    """One Coin (§5). A graduated coin shows `real_sol_reserves: 0` and its PumpSwap pool."""
    curve = c.curve
    creator = market.users.get(c.creator)
    mc = c.market_cap_sol  # the pool's once graduated
    mc_usd = mc * market.sol_price
    real_sol = 0 if curve.complete else curve.real_sol
    return {
        "mint": c.mint,
        "name": c.name,
        "symbol": c.symbol,
        "description": c.description,
        "image_uri": c.image_uri,
        "metadata_uri": c.metadata_uri,
        "twitter": c.twitter,
        "telegram": c.telegram,
        "bonding_curve": c.bonding_curve,
        "associated_bonding_curve": c.associated_bonding_curve,
        "creator": c.creator,
        "created_timestamp": _ms(c.created),
        "complete": curve.complete,
        "virtual_sol_reserves": curve.virtual_sol,
        "virtual_token_reserves": curve.virtual_tokens,
        "total_supply": TOTAL_SUPPLY,
        "total_supply_str": str(TOTAL_SUPPLY),
        "website": c.website,
        "show_name": True,
        "last_trade_timestamp": _ms(c.last_trade),
        "market_cap": mc,
        "market_cap_quote": mc,
        "usd_market_cap": mc_usd,
        "market_cap_usd": mc_usd,
        "nsfw": c.nsfw,
        "inverted": None,
        "real_sol_reserves": real_sol,
        "real_token_reserves": curve.real_tokens,
        "virtual_quote_reserves": curve.virtual_sol,
        "real_quote_reserves": real_sol,
        "livestream_ban_expiry": 0,
        "last_reply": _ms(c.last_reply),
        "reply_count": c.reply_count,
        "is_banned": c.banned,
        "is_currently_live": c.live,
        "video_uri": None,
        "updated_at": int(c.last_activity),
        "pump_swap_pool": c.pool,
        "pool_address": c.pool,
        "ath_market_cap": c.ath_usd,
        "ath_market_cap_timestamp": _ms(c.ath_at),
        "banner_uri": None,
        "hide_banner": False,
        "program": "pump",
        "protocol": "pump",
        "platform": "pump",
        "token_program": TOKEN_2022_PROGRAM,
        "quote_mint": WSOL_MINT,
        "quote_decimals": 9,
        "base_decimals": 6,
        "quote_token_program": TOKEN_PROGRAM,
        "chain_id": CHAIN_ID,
        "multichain_family": "solana",
        "is_cashback_enabled": False,
        "boost_mode": None,
        "mayhem_state": None,
        "verified": False,
        "is_holder_reward": False,
        "transfer_fee_bps": 0,
        "transfer_hook_program": None,
        "username": creator.username if creator else None,
        "profile_image": creator.profile_image if creator else None,
    }


def percent(raw: int) -> float:
    """A share of the total supply, 0–100."""
    return raw * 100 / TOTAL_SUPPLY


def holder_stats(market: Market, c: SimCoin) -> dict[str, Any]:
    f = market.holder_figures(c)
    return {
        "mint": c.mint,
        "totalHolders": f.holders,
        "top10HoldersPercent": percent(f.top10),
        "devHoldingsPercent": percent(f.dev),
        "snipersHoldingsPercent": percent(f.snipers),
        "bundlersHoldingsPercent": percent(f.bundlers),
        "totalFeesSol": c.fees / 1e9,
        "asOf": _ms(market.now),
    }


def top_holders(market: Market, c: SimCoin, n: int) -> dict[str, Any]:
    return {
        "topHolders": [
            {
                "address": who,
                "amount": raw / 1e6,
                "isDev": who == c.creator,
                "isSniper": who in c.snipers,
                "isBundler": who in c.bundlers,
                "enteredAt": None,
            }
            for who, raw in market.top_holders(c, n)
        ],
        "totalHolders": len(c.holders),
    }


def holder_count(c: SimCoin) -> dict[str, Any]:
    return {
        "mint": c.mint,
        "chain": "solana",
        "networkId": SOLANA_NETWORK_ID,
        "holderCount": len(c.holders),
    }


def board_entry(market: Market, c: SimCoin) -> dict[str, Any]:
    """A trenches board entry `E` (§3.5): a per-coin aggregate, not a trade."""
    f = market.holder_figures(c)
    tx5, usd5 = recent_volume(c, market.now, 300)
    curve = c.curve
    return {
        "m": c.mint,
        "n": c.name,
        "t": c.symbol,
        "i": c.image_uri,
        "mc": round(c.market_cap_sol * market.sol_price, 2),
        "age": int(market.now - c.created),
        "p": round(100.0 * (1 - curve.real_tokens / INITIAL_REAL_TOKENS), 2),
        "vUsd5m": round(usd5, 2),
        "tx5": tx5,
        "bc": c.buys,
        "sc": c.sells,
        "txc": c.buys + c.sells,
        "nh": f.holders,
        "t10": round(percent(f.top10), 2),
        "dh": round(percent(f.dev), 2),
        "sn": f.sniper_count,
        "dw": c.creator,
        "gd": _ms(c.graduated_at),
        "pg": "pump",
        "c": "solana",
    }


def bookmark_list(owner: str, b: BookmarkList) -> dict[str, Any]:
    return {
        "id": b.id,
        "user_id": owner,
        "name": b.name,
        "created_at": b.created_at,
        "bookmark_items": list(b.items),
    }


def follower(market: Market, u: SimUser, followed_at: float) -> dict[str, Any]:
    return {
        "username": u.username,
        "profile_image": u.profile_image,
        "address": u.address,
        "timestamp": _ms(followed_at),
        "followers": market.follower_count(u.address),
    }


def profile(market: Market, u: SimUser) -> dict[str, Any]:
    return {
        "address": u.address,
        "username": u.username,
        "profile_image": u.profile_image,
        "bio": None,
        "followers": market.follower_count(u.address),
        "following": len(market.follows.get(u.address, {})),
        "likes_received": 0,
        "unread_notifs_count": 0,
    }


def error(status: int, message: str) -> dict[str, Any]:
    """NestJS-style error body."""
    reasons = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        429: "Too Many Requests",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
    }
    return {"statusCode": status, "message": message, "error": reasons.get(status, "Error")}


def push_create(market: Market, c: SimCoin) -> dict[str, Any]:
    """PumpPortal-shaped `create` message (human units, no timestamp)."""
    curve = c.curve
    return {
        "signature": c.create_signature,
        "mint": c.mint,
        "traderPublicKey": c.creator,
        "txType": "create",
        "initialBuy": 0,
        "solAmount": 0,
        "bondingCurveKey": c.bonding_curve,
        "vTokensInBondingCurve": curve.virtual_tokens / 1e6,
        "vSolInBondingCurve": curve.virtual_sol / 1e9,
        "marketCapSol": curve.market_cap_sol,
        "name": c.name,
        "symbol": c.symbol,
        "uri": c.metadata_uri,
        "is_mayhem_mode": False,
        "pool": "pump",
    }


def push_migrate(c: SimCoin) -> dict[str, Any]:
    """PumpPortal `migrate` message (its fields are an open question; these are the ones seen:
    the migration transaction, the mint, and the pool it moved to)."""
    return {
        "signature": c.migrate_signature,
        "mint": c.mint,
        "txType": "migrate",
        "pool": "pump-amm",
    }


def push_trade(market: Market, t: SimTrade) -> dict[str, Any]:
    c = market.coins.get(t.mint)
    return {
        "signature": t.signature,
        "mint": t.mint,
        "traderPublicKey": t.user,
        "txType": "buy" if t.is_buy else "sell",
        "tokenAmount": t.token_amount / 1e6,
        "solAmount": t.sol_amount / 1e9,
        "newTokenBalance": (c.holders.balances.get(t.user, 0) / 1e6) if c else 0,
        "bondingCurveKey": c.bonding_curve if c else None,
        "vTokensInBondingCurve": t.virtual_tokens / 1e6,
        "vSolInBondingCurve": t.virtual_sol / 1e9,
        "marketCapSol": t.market_cap,
        "pool": "pump-amm" if t.program == "pump_amm" else "pump",
    }
