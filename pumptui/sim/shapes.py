"""The JSON shapes of the Pump.fun API, as the simulator sends them.

Field names, units and nesting follow pumpfun-api.md: lamports and raw token units as integers,
`market_cap` in SOL, coin and reply times in milliseconds, trade times in seconds. A few of the
unknown extra fields the real service sends are included on purpose, so that clients prove they
ignore them.
"""

from __future__ import annotations

from typing import Any

from pumptui.sim.curve import TOTAL_SUPPLY
from pumptui.sim.market import (
    BookmarkList,
    Market,
    SimCandle,
    SimCoin,
    SimReply,
    SimTrade,
    SimUser,
)


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(seconds * 1000)


def coin(market: Market, c: SimCoin) -> dict[str, Any]:
    curve = c.curve
    creator = market.users.get(c.creator)
    mc = curve.market_cap_sol
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
        "raydium_pool": None,
        "complete": curve.complete,
        "virtual_sol_reserves": curve.virtual_sol,
        "virtual_token_reserves": curve.virtual_tokens,
        "hidden": None,
        "total_supply": TOTAL_SUPPLY,
        "website": c.website,
        "show_name": True,
        "last_trade_timestamp": _ms(c.last_trade),
        "king_of_the_hill_timestamp": _ms(c.koth_at),
        "market_cap": mc,
        "nsfw": c.nsfw,
        "market_id": None,
        "inverted": None,
        "real_sol_reserves": curve.real_sol,
        "real_token_reserves": curve.real_tokens,
        "livestream_ban_expiry": 0,
        "last_reply": _ms(c.last_reply),
        "reply_count": c.reply_count,
        "is_banned": c.banned,
        "is_currently_live": c.live,
        "initialized": True,
        "video_uri": None,
        "updated_at": None,
        "pump_swap_pool": c.pool,
        "ath_market_cap": c.ath_market_cap,
        "ath_market_cap_timestamp": _ms(c.ath_at),
        "banner_uri": None,
        "hide_banner": False,
        "livestream_downrank_score": 0,
        "program": None,
        "usd_market_cap": mc * market.sol_price,
        "username": creator.username if creator else None,
        "profile_image": creator.profile_image if creator else None,
    }


def trade(market: Market, t: SimTrade, *, with_coin: bool = False) -> dict[str, Any]:
    user = market.users.get(t.user)
    data: dict[str, Any] = {
        "signature": t.signature,
        "mint": t.mint,
        "sol_amount": t.sol_amount,
        "token_amount": t.token_amount,
        "is_buy": t.is_buy,
        "user": t.user,
        "timestamp": t.timestamp,
        "tx_index": t.tx_index,
        "username": user.username if user else None,
        "profile_image": user.profile_image if user else None,
        "slot": t.slot,
    }
    if with_coin:
        c = market.coins.get(t.mint)
        data["symbol"] = c.symbol if c else None
        data["image_uri"] = c.image_uri if c else None
        data["name"] = c.name if c else None
    return data


def reply(market: Market, r: SimReply, viewer: str | None) -> dict[str, Any]:
    user = market.users.get(r.user)
    return {
        "id": r.id,
        "mint": r.mint,
        "file_uri": r.file_uri,
        "text": r.text,
        "user": r.user,
        "timestamp": _ms(r.time),
        "total_likes": r.likes,
        "username": user.username if user else None,
        "profile_image": user.profile_image if user else None,
        "liked_by_user": viewer is not None and (viewer, str(r.id)) in market.likes,
        "is_buy": r.is_buy,
        "sol_amount": r.sol_amount,
        "signature": r.signature,
    }


def candle(mint: str, c: SimCandle, minutes: int) -> dict[str, Any]:
    return {
        "mint": mint,
        "timestamp": c.start,
        "open": c.open,
        "high": c.high,
        "low": c.low,
        "close": c.close,
        "volume": c.volume,
        "slot": c.slot,
        "is_5_min": minutes == 5,
        "is_1_min": minutes == 1,
    }


def metadata(c: SimCoin) -> dict[str, Any]:
    return {
        "mint": c.mint,
        "name": c.name,
        "symbol": c.symbol,
        "description": c.description,
        "image": c.image_uri,
        "twitter": c.twitter,
        "telegram": c.telegram,
        "website": c.website,
        "showName": True,
        "createdOn": "https://pump.fun",
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
    reasons = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error",
               502: "Bad Gateway", 503: "Service Unavailable"}
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
        "pool": "pump",
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
        "pool": "pump",
    }
