"""Every path, parameter and JSON shape of the Pump.fun API, in one place: HTTP and sockets.

The service drifts (in 2026 most 2025 routes died and reads moved to three hosts), so nothing
outside this module spells a path, a query parameter name, a response key or a socket message.
A `Route` says what to send and which rate-limit bucket it draws on; the `read_*` functions say
how to find the useful part of what comes back; the PumpPortal and trenches functions build the
messages to send and turn each message received into a typed value, so `live` never parses a
wire message.

Reference: `pumpfun-api-2026.md` (today's API); `pumpfun-api.md` for what did not change (login
signing, ETags, bookmarks and moderation, kept behind a capability check).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import orjson

from pumptui.api.models import (
    ACTIVITY_WINDOWS,
    SOL_DECIMALS,
    TOKEN_DECIMALS,
    BoardEntry,
    ChatMessage,
    ModelError,
    PushAck,
    PushCreate,
    PushError,
    PushMigration,
    PushTrade,
    SolPrice,
    as_bool,
    as_float,
    as_ident,
    as_int,
    as_iso_time,
    as_opaque_id,
    as_program,
    as_time,
    as_uuid,
    exact_float,
    exact_int,
    exact_units,
    unwrap_list,
)
from pumptui.api.sanitize import (
    NAME_LIMIT,
    SYMBOL_LIMIT,
    URL_LIMIT,
    clean_optional,
    clean_text,
)


class Host(Enum):
    """Which base URL a route lives on (reference §1)."""

    FRONTEND = "frontend"  # frontend-api-v3: coins, holders, users, auth, SOL price
    SWAP = "swap"  # swap-api: trades, candles, market activity, ATH
    INDEXER = "indexer"  # advanced-indexer: boards, /ws/trenches


# swap's limit is one Cloudflare rule over every route and mint: one group. v3 counts `/coins*`
# (lists, one coin, holders) as one group, users as another, and so on.
SWAP_GROUP = "swap"
COINS_GROUP = "coins"
INDEXER_GROUP = "indexer"


@dataclass(frozen=True, slots=True)
class Route:
    """One request to make.

    `group` is the rate-limit bucket it draws on within its host (v3 counts per route group,
    reference §2; swap and the indexer have one each). `retry_safe` says whether sending it
    twice has the same effect as once; only those are retried after an answer may have been
    lost. `auth` says whether the route is useless without a token. `label` names the route
    without its arguments ("GET /coins-v3/{mint}"), for messages about a route that moved.
    """

    method: str
    path: str
    host: Host = Host.FRONTEND
    params: Mapping[str, str | int] = field(default_factory=dict)
    json: Any = None
    retry_safe: bool = True
    auth: bool = False
    group: str = COINS_GROUP
    label: str = ""

    @property
    def cacheable(self) -> bool:
        """Only GETs carry ETags worth remembering."""
        return self.method == "GET"

    @property
    def name(self) -> str:
        return self.label or f"{self.method} {self.path}"

    @property
    def template(self) -> str:
        """The path without its arguments or method ("/coins-v3/{mint}"): how a person names
        a route that moved."""
        return self.name.split(" ", 1)[-1]


def _segment(value: str | int) -> str:
    """A path segment that cannot escape its place (`/`, `?`, `#`, `..` are all quoted)."""
    return quote(str(value), safe="")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _swap(method: str, path: str, label: str, **options: Any) -> Route:
    return Route(method, path, host=Host.SWAP, group=SWAP_GROUP, label=label, **options)


# -- views with a fallback ---------------------------------------------------------------------
# A view is one thing the app reads that more than one route serves. The client uses the first
# route until the server says it has no handler for it ("Cannot GET"), then the next one for the
# rest of the session.

VIEW_COIN = "coin"
VIEW_CANDLES = "candles"
VIEW_SEARCH = "search"


# -- coins (v3) --------------------------------------------------------------------------------

COIN_SORTS = (
    "created_timestamp",
    "market_cap",
    "ath_market_cap",
    "reply_count",
    "last_reply",
    "last_trade_timestamp",
)
ORDERS = ("ASC", "DESC")
# `/coins` silently clamps `limit` to 70 and answers [] beyond offset+limit ≈ 1000.
COINS_PAGE_LIMIT = 70
COINS_DEPTH = 1000
BULK_LIMIT = 100


def coins(
    *,
    offset: int,
    limit: int,
    sort: str,
    order: str,
    include_nsfw: bool,
    search: str | None = None,
    creator: str | None = None,
    complete: bool | None = None,
) -> Route:
    if sort not in COIN_SORTS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(COIN_SORTS)}")
    if order.upper() not in ORDERS:
        raise ValueError("order is ASC or DESC")
    params: dict[str, str | int] = {
        "offset": max(0, offset),
        "limit": max(1, min(limit, COINS_PAGE_LIMIT)),
        "sort": sort,
        "order": order.upper(),
        "includeNsfw": _flag(include_nsfw),
    }
    if search:
        params["searchTerm"] = search
    if creator:
        params["creator"] = creator
    if complete is not None:
        params["complete"] = _flag(complete)
    return Route("GET", "/coins", params=params, label="GET /coins")


def coin(mint: str) -> tuple[Route, ...]:
    """One coin: `/coins-v3/{mint}`, falling back to `/coins-v2/{mint}` (same keys)."""
    return (
        Route("GET", f"/coins-v3/{_segment(mint)}", label="GET /coins-v3/{mint}"),
        Route("GET", f"/coins-v2/{_segment(mint)}", label="GET /coins-v2/{mint}"),
    )


def search_coins(term: str, *, limit: int, offset: int, include_nsfw: bool) -> tuple[Route, ...]:
    """`/coins?searchTerm=` (what the site uses), falling back to `/coins/search-unrestricted`."""
    primary = coins(
        offset=offset,
        limit=limit,
        sort="market_cap",
        order="DESC",
        include_nsfw=include_nsfw,
        search=term,
    )
    fallback = Route(
        "GET",
        "/coins/search-unrestricted",
        params={
            "searchTerm": term,
            "limit": max(1, min(limit, 100)),
            "offset": max(0, offset),
            "includeNsfw": _flag(include_nsfw),
        },
        label="GET /coins/search-unrestricted",
    )
    return (
        Route(primary.method, primary.path, params=primary.params, label="GET /coins?searchTerm="),
        fallback,
    )


def bookmarked_coins(bookmark_id: str, *, limit: int, offset: int, include_nsfw: bool) -> Route:
    params: dict[str, str | int] = {
        "limit": max(1, limit),
        "offset": max(0, offset),
        "includeNsfw": _flag(include_nsfw),
    }
    return Route("GET", f"/coins/bookmarks/{_segment(bookmark_id)}", params=params, auth=True)


def coins_by_mints(mints: Sequence[str]) -> Route:
    """A read sent as POST: repeating it is harmless. Its own v3 group (30/min)."""
    _check_bulk(mints)
    return Route(
        "POST",
        "/coins-v2/mints",
        json={"mints": list(mints), "includeNsfw": True, "include_nsfw": True},
        group="coins-v2-mints",
        label="POST /coins-v2/mints",
    )


# -- holders and price (v3) --------------------------------------------------------------------


def top_holders(mint: str) -> Route:
    return Route(
        "GET", f"/coins/top-holders-v2/{_segment(mint)}", label="GET /coins/top-holders-v2/{mint}"
    )


def holder_stats(mint: str) -> Route:
    return Route(
        "GET", f"/coins/holder-stats/{_segment(mint)}", label="GET /coins/holder-stats/{mint}"
    )


def holder_count(mint: str) -> Route:
    return Route(
        "GET",
        f"/token-holders/{_segment(mint)}/count",
        group="token-holders",
        label="GET /token-holders/{mint}/count",
    )


def sol_price() -> Route:
    return Route("GET", "/sol-price", group="sol-price", label="GET /sol-price")


# -- trades, candles and stats (swap) ----------------------------------------------------------

TRADES_PAGE_LIMIT = 100
# `cursor=<22 zeros>-<ms>` seeks to the trades older than that time.
SEEK_PREFIX = "0" * 22


def trades(
    mint: str,
    *,
    limit: int,
    cursor: str | None = None,
    min_sol: float | None = None,
    program: str | None = None,
    user: str | None = None,
) -> Route:
    """Newest first; `cursor` (a page's `nextCursor`) is exclusive. `minSolAmount`'s unit is
    unconfirmed (reference §6.3): it is sent as SOL, as the site sends `0`."""
    params: dict[str, str | int] = {"limit": max(1, min(limit, TRADES_PAGE_LIMIT))}
    if cursor:
        params["cursor"] = cursor
    if min_sol is not None and min_sol > 0:
        params["minSolAmount"] = format(min_sol, "f")
    if program:
        params["program"] = program
    if user:
        params["userAddress"] = user
    return _swap(
        "GET", f"/v2/coins/{_segment(mint)}/trades", "GET /v2/coins/{mint}/trades", params=params
    )


def seek_cursor(before_ms: int) -> str:
    """A cursor that starts at the newest trade older than `before_ms` (epoch milliseconds)."""
    return f"{SEEK_PREFIX}-{max(0, int(before_ms))}"


CANDLE_INTERVALS = {
    "1s": 1,
    "15s": 15,
    "30s": 30,
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "30m": 1800,
    "1h": 3600,
    "4h": 14400,
    "6h": 21600,
    "12h": 43200,
    "24h": 86400,
}
CANDLES_LIMIT = 1000
CURRENCIES = ("SOL", "USD")


def interval_seconds(interval: str) -> int:
    try:
        return CANDLE_INTERVALS[interval]
    except KeyError:
        raise ValueError(
            f"unknown interval {interval!r}; one of {', '.join(CANDLE_INTERVALS)}"
        ) from None


def candles(
    mint: str,
    *,
    interval: str,
    limit: int,
    currency: str = "SOL",
    created_ms: int | None = None,
) -> tuple[Route, ...]:
    """The newest `limit` non-empty buckets, oldest first: v2, falling back to v1."""
    interval_seconds(interval)
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise ValueError("currency is SOL or USD")
    params: dict[str, str | int] = {
        "interval": interval,
        "limit": max(1, min(limit, CANDLES_LIMIT)),
        "currency": currency,
    }
    v1 = _swap(
        "GET",
        f"/v1/coins/{_segment(mint)}/candles",
        "GET /v1/coins/{mint}/candles",
        params=dict(params),
    )
    if created_ms is not None:
        params["createdTs"] = max(0, int(created_ms))
    v2 = _swap(
        "GET", f"/v2/coins/{_segment(mint)}/candles", "GET /v2/coins/{mint}/candles", params=params
    )
    return (v2, v1)


def market_activity(mint: str) -> Route:
    return _swap(
        "GET", f"/v1/coins/{_segment(mint)}/market-activity", "GET /v1/coins/{mint}/market-activity"
    )


ACTIVITY_BATCH_LIMIT = 50
ACTIVITY_METRICS = (
    "numTxs",
    "volumeUSD",
    "numUsers",
    "numBuys",
    "numSells",
    "buyVolumeUSD",
    "sellVolumeUSD",
    "numBuyers",
    "numSellers",
    "priceChangePercent",
)


def market_activity_batch(mints: Sequence[str], intervals: Sequence[str] = ()) -> Route:
    """Up to 50 coins for one request of swap's budget: a read, safe to repeat."""
    if not mints:
        raise ValueError("a batch needs at least one mint")
    if len(mints) > ACTIVITY_BATCH_LIMIT:
        raise ValueError(f"at most {ACTIVITY_BATCH_LIMIT} mints per batch, not {len(mints)}")
    wanted = list(intervals) or [w for w in ACTIVITY_WINDOWS if w != "1m"]
    return _swap(
        "POST",
        "/v1/coins/market-activity/batch",
        "POST /v1/coins/market-activity/batch",
        json={"addresses": list(mints), "intervals": wanted, "metrics": list(ACTIVITY_METRICS)},
    )


def ath(mint: str) -> Route:
    return _swap(
        "GET",
        f"/v1/coins/{_segment(mint)}/ath",
        "GET /v1/coins/{mint}/ath",
        params={"currency": "USD"},
    )


# -- boards (advanced indexer) -----------------------------------------------------------------

BOARDS = ("new", "graduating", "graduated", "movers")


def board(name: str, *, offset: int = 0, limit: int = 50) -> Route:
    if name not in BOARDS:
        raise ValueError(f"unknown board {name!r}; one of {', '.join(BOARDS)}")
    return Route(
        "GET",
        f"/boards/{name}",
        host=Host.INDEXER,
        group=INDEXER_GROUP,
        params={"offset": max(0, offset), "limit": max(1, limit)},
        label="GET /boards/{board}",
    )


# -- users, follows and callouts (v3, 2026; reference §3.7) -----------------------------------
# The 2025 social routes are gone (§4): `/replies/{mint}`, `POST /replies`, `/likes/{id}` and
# follows by wallet have no handler; nothing here spells them any more. Reads of `/users*` (30 a
# minute), `/callout/top` and `/following/v3/*/count` (50 each) count in v3 groups of their own,
# and `/callout/list` punishes bursts (keep 3 s apart): each has its own bucket
# (`budget.V3_GROUP_BUDGETS`). Posts go to a group of their own, whose refusal ("too fast") is
# the wallet's pace and never pauses a budget.

USERS_GROUP = "users"
CALLOUT_TOP_GROUP = "callout-top"
CALLOUT_LIST_GROUP = "callout-list"
FOLLOW_COUNTS_GROUP = "follow-counts"
CALLOUTS_GROUP = "callouts"  # eligibility, likes, reading a callout's replies
CALLOUT_POSTS_GROUP = "callout-posts"  # posting a callout or a reply: ~1 a minute per wallet
# Groups whose 429 is the wallet's posting pace, not the API's rate: the client waits it out for
# that session's posts only, and pauses no request budget.
PACED_GROUPS = frozenset((CALLOUT_POSTS_GROUP,))
FOLLOWING_GROUP = "following"
# Features a client may find missing on a service ("Cannot GET"): `errors.NotAvailable.feature`.
FEATURE_USERS = "users"
FEATURE_CALLOUTS = "callouts"
FEATURE_CALLOUT_LIST = "callout-list"
FEATURE_CALLOUT_REPLIES = "callout-replies"  # reading them: the simulator's route (unverified)
FEATURE_FOLLOWS = "follows"
FEATURE_UNFOLLOW = "unfollow"
FEATURE_FOLLOW_COUNTS = "follow-counts"
FEATURE_BOOKMARKS = "bookmarks"
USERS_BATCH_LIMIT = 50
CALLOUT_LIST_LIMIT = 50
FOLLOWING_LIMIT = 100
CALLOUT_VERSION = 2
FOLLOW_COUNT_KINDS = ("followers", "following")


def user(wallet: str) -> Route:
    """A wallet's profile, with its UUID (`userId`): how a wallet becomes a UUID."""
    return Route(
        "GET", f"/users/{_segment(wallet)}", group=USERS_GROUP, label="GET /users/{wallet}"
    )


def users_batch(wallets: Sequence[str]) -> Route:
    """Up to 50 profiles in one request; a read sent as POST, safe to repeat."""
    if not wallets:
        raise ValueError("a batch needs at least one wallet")
    if len(wallets) > USERS_BATCH_LIMIT:
        raise ValueError(f"at most {USERS_BATCH_LIMIT} wallets per batch, not {len(wallets)}")
    return Route(
        "POST",
        "/users/batch",
        json={"addresses": list(wallets)},
        group=USERS_GROUP,
        label="POST /users/batch",
    )


def callout_top(mint: str) -> Route:
    """A coin's top callouts (anonymous)."""
    return Route(
        "GET",
        f"/callout/top/{_segment(mint)}",
        group=CALLOUT_TOP_GROUP,
        label="GET /callout/top/{mint}",
    )


def callout_list(
    user_id: str, *, limit: int, page_token: str | None = None, newest_first: bool = True
) -> Route:
    """One user's callouts (`user_id`: a UUID or a wallet), a page at a time. `pageToken` is a
    page number (reference §3.7); the client passes back what the last answer gave."""
    params: dict[str, str | int] = {
        "sortBy": "TIMESTAMP",
        "sortOrder": "DESC" if newest_first else "ASC",
        "limit": max(1, min(limit, CALLOUT_LIST_LIMIT)),
    }
    if page_token:
        params["pageToken"] = page_token
    return Route(
        "GET",
        f"/callout/list/{_segment(user_id)}",
        params=params,
        group=CALLOUT_LIST_GROUP,
        label="GET /callout/list/{user}",
    )


def callout_eligibility(mint: str) -> Route:
    return Route(
        "GET",
        f"/callout/eligibility/{_segment(mint)}",
        auth=True,
        group=CALLOUTS_GROUP,
        label="GET /callout/eligibility/{mint}",
    )


def create_callout(mint: str, thesis: str) -> Route:
    # A repeated post is a duplicate callout: never sent twice.
    return Route(
        "POST",
        "/callout/create",
        json={"coinMint": mint, "thesis": thesis, "version": CALLOUT_VERSION},
        retry_safe=False,
        auth=True,
        group=CALLOUT_POSTS_GROUP,
        label="POST /callout/create",
    )


def reply_to_callout(callout_id: str, content: str) -> Route:
    return Route(
        "POST",
        f"/callout/{_segment(callout_id)}/replies",
        json={"content": content},
        retry_safe=False,
        auth=True,
        group=CALLOUT_POSTS_GROUP,
        label="POST /callout/{id}/replies",
    )


def callout_replies(callout_id: str, *, limit: int = 50) -> Route:
    """Reading a callout's replies: the simulator's route; none seen on the service."""
    return Route(
        "GET",
        f"/callout/{_segment(callout_id)}/replies",
        params={"limit": max(1, min(limit, 100))},
        group=CALLOUTS_GROUP,
        label="GET /callout/{id}/replies",
    )


def like_callout(callout_id: str) -> Route:
    # Whether a second like is harmless on the service is unknown (no unlike route was found):
    # not repeated after an answer may have been lost.
    return Route(
        "POST",
        f"/callout/{_segment(callout_id)}/like",
        retry_safe=False,
        auth=True,
        group=CALLOUTS_GROUP,
        label="POST /callout/{id}/like",
    )


def follow_uuid(user_uuid: str) -> Route:
    """Follow by UUID (a wallet is refused). Whether it needs a captcha is unknown (§6.9)."""
    return Route(
        "POST",
        f"/following/v2/{_segment(user_uuid)}",
        retry_safe=False,
        auth=True,
        group=FOLLOWING_GROUP,
        label="POST /following/v2/{uuid}",
    )


def unfollow_uuid(user_uuid: str) -> Route:
    """LOW confidence (§3.7: no evidence of any unfollow route): the follow route's DELETE."""
    return Route(
        "DELETE",
        f"/following/v2/{_segment(user_uuid)}",
        auth=True,
        group=FOLLOWING_GROUP,
        label="DELETE /following/v2/{uuid}",
    )


def following(user_uuid: str, *, limit: int = FOLLOWING_LIMIT) -> Route:
    """Whom a user follows (the service's default page is about 20)."""
    return Route(
        "GET",
        f"/following/v3/following/{_segment(user_uuid)}",
        params={"limit": max(1, min(limit, FOLLOWING_LIMIT))},
        group=FOLLOWING_GROUP,
        label="GET /following/v3/following/{uuid}",
    )


def follow_count(user_id: str, kind: str) -> Route:
    """`kind` is "followers" or "following"; `user_id` a UUID (a wallet works on the
    simulator; on the service, unverified)."""
    if kind not in FOLLOW_COUNT_KINDS:
        raise ValueError(f"kind is one of {', '.join(FOLLOW_COUNT_KINDS)}")
    return Route(
        "GET",
        f"/following/v3/{kind}/count/{_segment(user_id)}",
        group=FOLLOW_COUNTS_GROUP,
        label=f"GET /following/v3/{kind}/count/{{id}}",
    )


def read_callouts(payload: Any) -> list[Any]:
    """`{"callouts": [...]}`, or a bare or otherwise wrapped list."""
    if isinstance(payload, Mapping) and isinstance(callouts := payload.get("callouts"), list):
        return callouts
    return read_list(payload)


def read_callout_page(payload: Any) -> tuple[list[Any], str | None]:
    """A page of `/callout/list`: the records and the next page's token (None on the last)."""
    records = read_callouts(payload)
    token = None
    if isinstance(payload, Mapping):
        for key in ("nextPageToken", "nextPage", "pageToken"):
            value = payload.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                token = clean_text(str(value), 64) or None
                break
    return records, token


def read_created_callout(payload: Any) -> str:
    """The new callout's id: `{"callout": {"calloutId"}}` (or the id at the top level)."""
    record = payload.get("callout", payload) if isinstance(payload, Mapping) else None
    if isinstance(record, Mapping):
        callout_id = as_opaque_id(record.get("calloutId")) or as_opaque_id(record.get("id"))
        if callout_id is not None:
            return callout_id
    raise ShapeError("expected {callout: {calloutId}}")


def read_callout_replies(payload: Any) -> list[Any]:
    if isinstance(payload, Mapping) and isinstance(replies := payload.get("replies"), list):
        return replies
    return read_list(payload)


def read_count(payload: Any) -> int:
    """`{"count": n}`, or a bare number."""
    if isinstance(payload, Mapping):
        payload = payload.get("count")
    try:
        return exact_int(payload, "count", -1)
    except ModelError:
        raise ShapeError("expected {count}") from None


def read_one(payload: Any, *wrappers: str) -> Mapping[str, Any]:
    """One record, bare or wrapped in one of `wrappers` (or `data`)."""
    if isinstance(payload, Mapping):
        for key in (*wrappers, "data"):
            inner = payload.get(key)
            if isinstance(inner, Mapping):
                return inner
        return payload
    raise ShapeError("expected an object")


def followers(user_id: str) -> Route:
    """Who follows a user (a wallet or a UUID): live in 2026, capped at 1000 rows."""
    return Route(
        "GET",
        f"/following/followers/{_segment(user_id)}",
        group=FOLLOWING_GROUP,
        label="GET /following/followers/{id}",
    )


def bookmarks() -> Route:
    return Route("GET", "/bookmarks", auth=True, group="bookmarks")


def create_bookmark(name: str) -> Route:
    return Route(
        "POST", "/bookmarks", json={"name": name}, retry_safe=False, auth=True, group="bookmarks"
    )


def delete_bookmark(list_id: str) -> Route:
    return Route("DELETE", f"/bookmarks/{_segment(list_id)}", auth=True, group="bookmarks")


def add_bookmark_item(mint: str, list_ids: Sequence[str]) -> Route:
    return Route(
        "POST",
        "/bookmarks/items/add",
        json={"itemId": mint, "bookmarkIds": list(list_ids)},
        auth=True,
        group="bookmarks",
    )


def remove_bookmark_item(mint: str, list_ids: Sequence[str]) -> Route:
    return Route(
        "POST",
        "/bookmarks/items/remove",
        json={"itemId": mint, "bookmarkIds": list(list_ids)},
        auth=True,
        group="bookmarks",
    )


# -- moderation (admin) ------------------------------------------------------------------------


def bulk_nsfw(mints: Sequence[str]) -> Route:
    """Setting a flag: idempotent, so safe to repeat."""
    _check_bulk(mints)
    return Route(
        "POST", "/moderation/bulk-nsfw", json={"mints": list(mints)}, auth=True, group="moderation"
    )


def bulk_hide(ids: Sequence[int | str]) -> Route:
    _check_bulk(ids)
    return Route(
        "POST", "/moderation/bulk-hidden", json={"ids": list(ids)}, auth=True, group="moderation"
    )


def bulk_ban(ids: Sequence[int | str], reason: str) -> Route:
    _check_bulk(ids)
    return Route(
        "POST",
        "/moderation/bulk-ban",
        json={"ids": list(ids), "reason": reason},
        auth=True,
        group="moderation",
    )


# -- auth and misc -----------------------------------------------------------------------------

AUTH_COOKIE = "auth_token"


def login_message(timestamp_ms: int) -> str:
    """The exact text a wallet signs to log in."""
    return f"Sign in to pump.fun: {timestamp_ms}"


def login(address: str, signature_b58: str, timestamp_ms: int) -> Route:
    # The timestamp is part of a one-time proof; a lost answer is retried by the user, not us.
    return Route(
        "POST",
        "/auth/login",
        json={"address": address, "signature": signature_b58, "timestamp": timestamp_ms},
        retry_safe=False,
        group="auth",
    )


# The bearer-token login (reference §3.8, MED: one client, date unclear): the fallback when
# `/auth/login` refuses or is gone (the web site moved its own sign-in to Privy on 2026-09-25).
VIEW_LOGIN = "login"
LOGIN_AUTH_TYPE = "non_custodial"
ACCESS_TOKEN_KEYS = ("access_token", "accessToken")


def login_token(address: str, signature_b58: str, timestamp_ms: int) -> Route:
    """The same signed body as `login` plus `authType`; the token comes back in the JSON body,
    to be sent as `Authorization: Bearer`. Not retried, like `login`."""
    return Route(
        "POST",
        "/auth/login/token",
        json={
            "address": address,
            "signature": signature_b58,
            "timestamp": timestamp_ms,
            "authType": LOGIN_AUTH_TYPE,
        },
        retry_safe=False,
        group="auth",
        label="POST /auth/login/token",
    )


def read_access_token(payload: Any) -> str:
    """`{"access_token": "<JWT>"}` → the token (`accessToken` accepted too: unverified which the
    real service sends). The `ShapeError` never quotes the payload: it may hold a token."""
    if isinstance(payload, Mapping):
        for key in ACCESS_TOKEN_KEYS:
            value = payload.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    raise ShapeError('expected {"access_token": "…"}')


def login_probes() -> tuple[Route, Route]:
    """Both login routes with an unsigned body, for doctor: a handler refuses it (400/401)
    without signing anyone in; a route with no handler answers 404 "Cannot POST"."""
    return (
        Route(
            "POST", "/auth/login", json={}, retry_safe=False, group="auth", label="POST /auth/login"
        ),
        Route(
            "POST",
            "/auth/login/token",
            json={},
            retry_safe=False,
            group="auth",
            label="POST /auth/login/token",
        ),
    )


def my_profile() -> Route:
    return Route("GET", "/auth/my-profile", auth=True, group="auth")


def is_admin() -> Route:
    return Route("GET", "/auth/is-admin", auth=True, group="auth")


def logout() -> Route:
    return Route("POST", "/auth/logout", auth=True, group="auth")


def _check_bulk(items: Sequence[Any]) -> None:
    if not items:
        raise ValueError("a bulk request needs at least one item")
    if len(items) > BULK_LIMIT:
        raise ValueError(f"at most {BULK_LIMIT} items per bulk request, not {len(items)}")


# -- response shapes ---------------------------------------------------------------------------


class ShapeError(ValueError):
    """The payload has none of the shapes this route is known to answer with."""


def read_list(payload: Any) -> list[Any]:
    """A list of records, bare or wrapped in `{"data"|"coins"|"replies"|...: [...]}`."""
    records = unwrap_list(payload)
    if records is None:
        raise ShapeError("expected a list")
    return records


def read_object(payload: Any) -> Mapping[str, Any]:
    """One record; some deployments wrap single objects in `{"data": {...}}`."""
    if isinstance(payload, Mapping):
        inner = payload.get("data")
        if isinstance(inner, Mapping) and "mint" not in payload:
            return inner
        return payload
    raise ShapeError("expected an object")


def read_is_admin(payload: Any) -> bool:
    """A bare JSON boolean, or `{"isAdmin": bool}`."""
    if isinstance(payload, bool):
        return payload
    if isinstance(payload, Mapping):
        for key in ("isAdmin", "is_admin", "admin"):
            if key in payload:
                return as_bool(payload[key])
    raise ShapeError("expected a boolean")


@dataclass(frozen=True, slots=True)
class ModerationShape:
    """What a moderation POST reported. `complete` is False when the server only said "success",
    in which case every item sent counts as done."""

    updated: list[str]
    not_found: list[str]
    complete: bool


def read_moderation(payload: Any) -> ModerationShape:
    """`{"updated": [...], "notFound": [...]}`, or a bare `{"success": true}`."""
    if isinstance(payload, Mapping):
        updated = payload.get("updated")
        missing = payload.get("notFound", payload.get("not_found"))
        if isinstance(updated, list) or isinstance(missing, list):
            return ModerationShape(
                [_item_key(x) for x in updated or [] if _item_key(x)],
                [_item_key(x) for x in missing or [] if _item_key(x)],
                True,
            )
        if as_bool(payload.get("success")):
            return ModerationShape([], [], False)
    if payload is True:
        return ModerationShape([], [], False)
    raise ShapeError("expected a moderation result")


def _item_key(value: Any) -> str:
    """Moderation items are mints or integer ids; both are compared as plain strings."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        ident = as_ident(value)
        if ident is not None:
            return ident
        number = as_int(value, -1)
        return str(number) if number >= 0 else ""
    return ""


def read_auth_cookie(set_cookie_headers: Sequence[str]) -> str | None:
    """The JWT from `Set-Cookie: auth_token=<JWT>; ...`."""
    for header in set_cookie_headers:
        first = header.split(";", 1)[0]
        name, _, value = first.partition("=")
        if name.strip() == AUTH_COOKIE and value.strip():
            return value.strip().strip('"')
    return None


def read_created_bookmark(payload: Any) -> Mapping[str, Any] | None:
    """The created list, bare or wrapped; None when the server only said "success"."""
    if isinstance(payload, Mapping):
        inner = payload.get("bookmark") or payload.get("data")
        if isinstance(inner, Mapping):
            return inner
        if "id" in payload:
            return payload
    return None


def is_database_error(payload: Any) -> bool:
    """Some database errors come back as HTTP 200 with `{"code": "22P02", "message": ...}`."""
    if not isinstance(payload, Mapping) or "mint" in payload:
        return False
    code = payload.get("code")
    return (
        isinstance(code, str)
        and len(code) == 5
        and code.isalnum()
        and code.upper() == code
        and "message" in payload
    )


def error_message(payload: Any) -> str | None:
    """The message of a NestJS-style error body (`{"statusCode", "message", "error"}`)."""
    if isinstance(payload, Mapping):
        message = payload.get("message")
        if isinstance(message, list):
            message = "; ".join(str(m) for m in message[:3])
        if isinstance(message, str):
            return message
        error = payload.get("error")
        if isinstance(error, str):
            return error
    return None


# -- decoding and the two kinds of 404 ---------------------------------------------------------


def decode_json(body: bytes) -> Any:
    """JSON from a body. orjson refuses integers beyond 64 bits and NaN/Infinity literals; those
    bodies are read again by the standard library, so one absurd number costs its record (the
    models refuse it) rather than the whole page."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        try:
            return json.loads(body)
        except ValueError:  # JSONDecodeError, and integers beyond Python's digit limit
            raise orjson.JSONDecodeError(
                "malformed JSON", body.decode("utf-8", "replace"), 0
            ) from None


def is_unrouted(payload: Any) -> bool:
    """NestJS's answer for a path with no handler: `{"message": "Cannot GET /path"}`. Any other
    404 means a handler looked and found nothing (`Coin not found for mint: …`)."""
    message = error_message(payload)
    return isinstance(message, str) and message.startswith(
        ("Cannot GET ", "Cannot POST ", "Cannot PUT ", "Cannot DELETE ", "Cannot PATCH ")
    )


BLOCKED_PATH = "/blocked"
BLOCK_BODY_1015 = "error code: 1015"


def is_block_redirect(location: str | None) -> bool:
    """A redirect to `static.pump.fun/blocked` (or any `/blocked` page) is a block, not a move."""
    if not location:
        return False
    parts = urlsplit(location)
    return parts.path.rstrip("/").endswith(BLOCKED_PATH)


# -- swap shapes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TradePageShape:
    records: list[Any]
    next_cursor: str | None
    has_more: bool


def read_trade_page(payload: Any) -> TradePageShape:
    """`{"trades": [...], "pagination": {"nextCursor"?, "hasMore", "limit"}}`; at the end of
    history there is no `nextCursor` and `hasMore` is false."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("trades"), list):
        raise ShapeError("expected {trades, pagination}")
    pagination = payload.get("pagination")
    pagination = pagination if isinstance(pagination, Mapping) else {}
    cursor = pagination.get("nextCursor")
    if not isinstance(cursor, str) or not _is_cursor(cursor):
        cursor = None
    has_more = as_bool(pagination.get("hasMore")) and cursor is not None
    return TradePageShape(payload["trades"], cursor, has_more)


def _is_cursor(text: str) -> bool:
    ident, _, ms = text.partition("-")
    return ident.isascii() and ident.isdigit() and ms.isascii() and ms.isdigit() and len(text) < 80


def read_market_activity(payload: Any) -> Mapping[str, Any]:
    """`{"5m": {...}, "1h": {...}, ...}`."""
    if not isinstance(payload, Mapping):
        raise ShapeError("expected an object of windows")
    return payload


def read_activity_batch(payload: Any) -> Mapping[str, Mapping[str, Any]]:
    """`{<mint>: {<interval>: window | null}}`; a mint with no trades may be null altogether."""
    if not isinstance(payload, Mapping):
        raise ShapeError("expected an object of mints")
    inner = payload.get("data")
    if isinstance(inner, Mapping):
        payload = inner
    return {
        key: value if isinstance(value, Mapping) else {}
        for key, value in payload.items()
        if as_ident(key) is not None
    }


def read_ath(payload: Any) -> float | None:
    """`{"athMarketCap": <USD>}`; None when absent or not a sane number."""
    if not isinstance(payload, Mapping):
        raise ShapeError("expected {athMarketCap}")
    try:
        return exact_float(payload.get("athMarketCap"), "athMarketCap")
    except ModelError:
        return None


# -- v3 shapes -----------------------------------------------------------------------------


def read_top_holders(payload: Any) -> tuple[list[Any], int | None]:
    """`{"topHolders": [...], "totalHolders": n}`."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("topHolders"), list):
        raise ShapeError("expected {topHolders, totalHolders}")
    total = payload.get("totalHolders")
    count = as_int(total, -1) if total is not None else -1
    return payload["topHolders"], count if count >= 0 else None


def read_holder_count(payload: Any) -> int:
    """`{mint, chain, networkId, holderCount}`."""
    if isinstance(payload, Mapping):
        payload = payload.get("holderCount")
    try:
        return exact_int(payload, "holderCount", -1)
    except ModelError:
        raise ShapeError("expected a holder count") from None


def read_sol_price(payload: Any) -> SolPrice | None:
    """`{"solPrice": float, "asOfTimestamp": ms, "stale": bool}`; None without a usable price."""
    stale = False
    as_of = None
    if isinstance(payload, Mapping):
        stale = as_bool(payload.get("stale"))
        as_of = as_time(payload.get("asOfTimestamp"))
        payload = payload.get("solPrice", payload.get("price"))
    price = as_float(payload, None)
    if price is None or price <= 0:
        return None
    return SolPrice(price, as_of, stale)


# -- boards (HTTP and the trenches socket) ---------------------------------------------------


def read_board(payload: Any) -> list[Any]:
    """`{"entries": [E...]}`, or a bare list (the other boards' shape is not confirmed)."""
    if isinstance(payload, Mapping) and isinstance(entries := payload.get("entries"), list):
        return entries
    if isinstance(payload, list):
        return payload
    raise ShapeError("expected {entries}")


def _opt_int(value: Any, key: str) -> int | None:
    return None if value is None else exact_int(value, key)


# An entry's figures: short key -> (the `BoardEntry` field, its reader). A delta's update mostly
# moves these alone (`age` ticks every second on every entry), and only they are read again.
BOARD_FIGURES: dict[str, tuple[str, Callable[[Any, str], float | int | None]]] = {
    "mc": ("market_cap_usd", exact_float),
    "age": ("age_seconds", exact_float),
    "p": ("curve_percent", exact_float),
    "vUsd5m": ("volume_usd_5m", exact_float),
    "tx5": ("txs_5m", _opt_int),
    "bc": ("buys", _opt_int),
    "sc": ("sells", _opt_int),
    "txc": ("txs", _opt_int),
    "nh": ("holders", _opt_int),
    "t10": ("top10_percent", exact_float),
    "dh": ("dev_percent", exact_float),
    "sn": ("snipers", _opt_int),
}


def read_board_entry(record: Any) -> BoardEntry:
    """An entry `E` of a board: short keys (reference §3.5). `mc` is USD, `age` seconds, `p`
    the curve in percent; `vUsd5m` USD volume over 5 minutes."""
    if not isinstance(record, Mapping):
        raise ModelError("board entry is not an object")
    mint = as_ident(record.get("m"))
    if mint is None:
        raise ModelError("board entry without a mint")
    chain = record.get("c")
    return BoardEntry(
        mint=mint,
        name=clean_text(record.get("n"), NAME_LIMIT),
        symbol=clean_text(record.get("t"), SYMBOL_LIMIT),
        image_uri=clean_optional(record.get("i"), URL_LIMIT),
        dev_wallet=as_ident(record.get("dw")),
        graduated_at=as_time(record.get("gd")),
        program=as_program(record.get("pg")),
        chain=clean_optional(chain, 64) if isinstance(chain, str) else None,
        **read_board_figures(record),
    )


def read_board_figures(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The figures among `fields` (short keys), by `BoardEntry` field; `ModelError` if absurd."""
    figures: dict[str, Any] = {}
    for key, (name, read) in BOARD_FIGURES.items():
        if key in fields:
            figures[name] = read(fields[key], key)
    return figures


def trenches_url(indexer_url: str, board: str) -> str:
    """`ws(s)://<indexer>/ws/trenches?subscription=<urlencoded {"board","tier","filterKey"}>`."""
    if board not in BOARDS:
        raise ValueError(f"unknown board {board!r}")
    parts = urlsplit(indexer_url.rstrip("/"))
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    subscription = json.dumps(
        {"board": board, "tier": "web", "filterKey": "default"}, separators=(",", ":")
    )
    return urlunsplit(
        (
            scheme,
            parts.netloc,
            parts.path + "/ws/trenches",
            urlencode({"subscription": subscription}),
            "",
        )
    )


def trenches_subscribe(board: str) -> str:
    """The message to send once connected."""
    if board not in BOARDS:
        raise ValueError(f"unknown board {board!r}")
    return orjson.dumps(
        {
            "event": "subscribe",
            "data": {"board": board, "tier": "web", "platform": "WEB", "surface": "WEB"},
        }
    ).decode()


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    board: str
    version: int
    server_ts: float | None
    records: list[Mapping[str, Any]]


PATCH_OPS = ("update", "add", "remove", "move")


@dataclass(frozen=True, slots=True)
class BoardPatch:
    """`update` merges `fields` into the entry; `add` inserts it at `idx`; `remove` drops it;
    `move` moves it to `idx`."""

    op: str
    mint: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    idx: int | None = None


@dataclass(frozen=True, slots=True)
class BoardDelta:
    board: str
    base_version: int | None
    version: int
    server_ts: float | None
    patches: list[BoardPatch]


def read_trenches(message: str | bytes | Mapping[str, Any]) -> BoardSnapshot | BoardDelta | None:
    """A trenches message as a snapshot or a delta; None for anything else (pings, unknown
    types, garbage). Entries stay raw here: `BoardState` merges patches into them and builds a
    `BoardEntry` per coin, so a bad entry costs only itself."""
    data = _load(message)
    if not isinstance(data, Mapping):
        return None
    kind = data.get("type")
    board = data.get("board")
    version = as_int(data.get("version"), -1)
    if not isinstance(board, str) or board not in BOARDS or version < 0:
        return None
    server_ts = as_time(data.get("serverTs"))
    if kind == "snapshot":
        entries = data.get("entries")
        if not isinstance(entries, list):
            return None
        return BoardSnapshot(
            board, version, server_ts, [e for e in entries if isinstance(e, Mapping)]
        )
    if kind == "delta":
        raw_patches = data.get("patches")
        if not isinstance(raw_patches, list):
            return None
        patches = []
        for raw in raw_patches:
            if not isinstance(raw, Mapping) or raw.get("op") not in PATCH_OPS:
                continue
            mint = as_ident(raw.get("mint"))
            if mint is None:
                continue
            fields = raw.get("fields")
            idx = raw.get("idx")
            patches.append(
                BoardPatch(
                    raw["op"],
                    mint,
                    fields if isinstance(fields, Mapping) else {},
                    as_int(idx, 0) if idx is not None else None,
                )
            )
        base = data.get("baseVersion")
        return BoardDelta(
            board, None if base is None else as_int(base, -1), version, server_ts, patches
        )
    return None


class BoardApply(Enum):
    APPLIED = "applied"
    IGNORED = "ignored"  # a repeat of a version already applied
    RESUBSCRIBE = "resubscribe"  # a version went backwards, or a delta before any snapshot


class BoardState:
    """One board as the trenches socket describes it: a snapshot, then patches.

    Versions may skip ahead (the server coalesces), so a delta newer than what is held is
    applied whatever its `baseVersion`; one that goes backwards (the server restarted, or the
    socket replays) means what is held can no longer be trusted: `apply` says `RESUBSCRIBE`,
    and the caller sends `trenches_subscribe` again for a fresh snapshot.
    """

    def __init__(self, board: str) -> None:
        self.board = board
        self.version: int | None = None
        self._order: list[str] = []
        self._raw: dict[str, dict[str, Any]] = {}
        # Each entry as last read from its record (None: absurd, left out), until a patch
        # touches it: a delta changes a few of the board's entries, and `entries` is read
        # after every one (reading all of them again was most of a delta's cost).
        self._read: dict[str, BoardEntry | None] = {}
        self.skipped = 0

    def apply(self, message: BoardSnapshot | BoardDelta) -> BoardApply:
        if message.board != self.board:
            return BoardApply.IGNORED
        if isinstance(message, BoardSnapshot):
            self._order, self._raw, self._read = [], {}, {}
            for record in message.records:
                mint = as_ident(record.get("m"))
                if mint is not None and mint not in self._raw:
                    self._order.append(mint)
                    self._raw[mint] = dict(record)
            self.version = message.version
            return BoardApply.APPLIED
        if self.version is None or message.version < self.version:
            return BoardApply.RESUBSCRIBE
        if message.version == self.version:
            return BoardApply.IGNORED
        for patch in message.patches:
            self._patch(patch)
        self.version = message.version
        return BoardApply.APPLIED

    def _patch(self, patch: BoardPatch) -> None:
        mint = patch.mint
        if patch.op == "update":
            if mint in self._raw:
                self._raw[mint].update(patch.fields)
                self._read_figures(mint, patch.fields)
            return
        self._read.pop(mint, None)
        if patch.op == "remove":
            if mint in self._raw:
                del self._raw[mint]
                self._order.remove(mint)
            return
        if patch.op == "add":
            if mint in self._raw:
                self._order.remove(mint)
            self._raw[mint] = {**self._raw.get(mint, {}), **patch.fields, "m": mint}
        elif mint not in self._raw:  # a move of something we do not hold
            return
        else:
            self._order.remove(mint)
            if patch.fields:
                self._raw[mint].update(patch.fields)
        index = len(self._order) if patch.idx is None else max(0, min(patch.idx, len(self._order)))
        self._order.insert(index, mint)

    def _read_figures(self, mint: str, fields: Mapping[str, Any]) -> None:
        """An update of figures alone: the entry as read, with those figures read again (the
        rest of it, its texts above all, is what it was). Anything else: read it all again."""
        entry = self._read.pop(mint, None)
        if entry is None or not fields.keys() <= BOARD_FIGURES.keys():
            return  # (read whole by the next `entries`)
        try:
            self._read[mint] = replace(entry, **read_board_figures(fields))
        except ModelError:
            self._read[mint] = None

    @property
    def mints(self) -> list[str]:
        return list(self._order)

    @property
    def entries(self) -> list[BoardEntry]:
        """The board in order; an entry with an absurd value is left out (and counted)."""
        out: list[BoardEntry] = []
        skipped = 0
        read = self._read
        for mint in self._order:
            if mint in read:
                entry = read[mint]
            else:
                try:
                    entry = read_board_entry(self._raw[mint])
                except ModelError:
                    entry = None
                read[mint] = entry
            if entry is None:
                skipped += 1
            else:
                out.append(entry)
        self.skipped = skipped
        return out


# -- PumpPortal ------------------------------------------------------------------------------

PP_NEW_TOKENS = "subscribeNewToken"
PP_MIGRATIONS = "subscribeMigration"
PP_TOKEN_TRADES = "subscribeTokenTrade"
PP_ACCOUNT_TRADES = "subscribeAccountTrade"
PP_METHODS = (
    PP_NEW_TOKENS,
    PP_MIGRATIONS,
    PP_TOKEN_TRADES,
    PP_ACCOUNT_TRADES,
    "unsubscribeNewToken",
    "unsubscribeMigration",
    "unsubscribeTokenTrade",
    "unsubscribeAccountTrade",
)
# PumpPortal's FAQ: at most 5000 keys in one message.
PP_KEYS_LIMIT = 5000
PP_API_KEY_PARAM = "api-key"


def pumpportal_url(url: str, api_key: str | None = None) -> str:
    """The socket URL, with the user's key as `?api-key=` when there is one. (The caller holds
    the key in a `Secret` and reveals it only to build this.)"""
    if not api_key:
        return url
    parts = urlsplit(url)
    query = urlencode({PP_API_KEY_PARAM: api_key})
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


def pumpportal_subscribe(method: str, keys: Sequence[str] | None = None) -> str:
    """A (un)subscribe command: `{"method": …}` or `{"method": …, "keys": [...]}`."""
    if method not in PP_METHODS:
        raise ValueError(f"unknown PumpPortal method {method!r}")
    body: dict[str, Any] = {"method": method}
    if keys is not None:
        keys = list(keys)
        if len(keys) > PP_KEYS_LIMIT:
            raise ValueError(f"at most {PP_KEYS_LIMIT} keys per message")
        body["keys"] = keys
    return orjson.dumps(body).decode()


def read_pumpportal(
    message: str | bytes | Mapping[str, Any],
) -> PushCreate | PushTrade | PushMigration | PushAck | PushError | None:
    """One PumpPortal message, typed; None for anything unusable (garbage, an unknown txType,
    a trade with absurd or missing amounts). Amounts arrive as floats of SOL and whole
    tokens; each float is read by its shortest repr and scaled exactly (4.567891234 SOL →
    4567891234 lamports), never multiplied as a float."""
    data = _load(message)
    if not isinstance(data, Mapping):
        return None
    kind = data.get("txType")
    if kind is None:
        if "errors" in data:
            return PushError(clean_text(str(data.get("errors")), 200))
        if "message" in data:
            return PushAck(clean_text(str(data.get("message")), 200))
        return None
    mint = as_ident(data.get("mint"))
    if mint is None:
        return None
    try:
        if kind in ("buy", "sell"):
            signature = as_ident(data.get("signature"))
            lamports = exact_units(data.get("solAmount"), SOL_DECIMALS, "solAmount")
            raw = exact_units(data.get("tokenAmount"), TOKEN_DECIMALS, "tokenAmount")
            if signature is None or lamports is None or raw is None:
                return None
            vsol, vtok = _pp_reserves(data)
            return PushTrade(
                signature=signature,
                mint=mint,
                is_buy=kind == "buy",
                lamports=lamports,
                raw_tokens=raw,
                trader=as_ident(data.get("traderPublicKey")),
                virtual_sol_reserves=vsol,
                virtual_token_reserves=vtok,
                market_cap_sol=exact_float(data.get("marketCapSol"), "marketCapSol"),
                pool=as_program(data.get("pool")),
            )
        if kind == "create":
            signature = as_ident(data.get("signature"))
            if signature is None:
                return None
            vsol, vtok = _pp_reserves(data)
            return PushCreate(
                signature=signature,
                mint=mint,
                creator=as_ident(data.get("traderPublicKey")),
                name=clean_text(data.get("name"), NAME_LIMIT),
                symbol=clean_text(data.get("symbol"), SYMBOL_LIMIT),
                uri=clean_optional(data.get("uri"), URL_LIMIT),
                initial_buy_raw=exact_units(data.get("initialBuy"), TOKEN_DECIMALS, "initialBuy"),
                lamports=exact_units(data.get("solAmount"), SOL_DECIMALS, "solAmount"),
                virtual_sol_reserves=vsol,
                virtual_token_reserves=vtok,
                market_cap_sol=exact_float(data.get("marketCapSol"), "marketCapSol"),
                pool=as_program(data.get("pool")),
            )
        if kind == "migrate":
            return PushMigration(
                mint, as_ident(data.get("signature")), as_program(data.get("pool"))
            )
    except ModelError:
        return None
    return None


def _pp_reserves(data: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Curve reserves of a PumpPortal message; a `bonk` pool names them `solInPool` and
    `tokensInPool`."""
    vsol = data.get("vSolInBondingCurve", data.get("solInPool"))
    vtok = data.get("vTokensInBondingCurve", data.get("tokensInPool"))
    return (
        exact_units(vsol, SOL_DECIMALS, "vSolInBondingCurve"),
        exact_units(vtok, TOKEN_DECIMALS, "vTokensInBondingCurve"),
    )


def _load(message: str | bytes | Mapping[str, Any]) -> Any:
    if isinstance(message, Mapping):
        return message
    if isinstance(message, (str, bytes)):
        try:
            return orjson.loads(message)
        except orjson.JSONDecodeError:
            return None
    return None


# -- live chat (livechat.pump.fun, Socket.IO v4) -----------------------------------------------
# Reference §3.6 (MED: one live client, Aug 2026, and the site's bundle). ONE socket per process
# (§2: ten connections in a row drew only errors), rooms joined and left on it. python-socketio
# speaks the protocol; this section spells the events and payloads and reads what comes back.
# Unverified on the real service (`pumptui doctor` says so): `sendMessage` as the way to post
# and whether it takes the session token of the connect auth (LOW); `newMessage` as the event
# that pushes messages (what clients saw); the largest history `limit`; how long messages live.

CHAT_SOCKETIO_PATH = "socket.io"
# The site's own origin, in the handshake header and the connect auth (§0: never another).
CHAT_ORIGIN = "https://pump.fun"
CHAT_JOIN = "joinRoom"
CHAT_LEAVE = "leaveRoom"
CHAT_HISTORY = "getMessageHistory"
CHAT_SEND = "sendMessage"  # LOW: whether the service takes it, and from whom, is unknown
CHAT_NEW_MESSAGE = "newMessage"
CHAT_VIEWER_COUNT = "viewerCount"
CHAT_USER_JOINED = "userJoined"
CHAT_USER_LEFT = "userLeft"
# Messages asked for per history read (the service's own cap is unknown).
CHAT_HISTORY_LIMIT = 50
# Characters of a message kept for display, and of a reply preview.
CHAT_TEXT_LIMIT = 1000
CHAT_PREVIEW_LIMIT = 200
# Wrappers a history ack has been seen in (a bare list is the usual shape).
_CHAT_LIST_KEYS = ("messages", "data", "items", "results")


def chat_url(base: str) -> str:
    """The socket as the reference spells it: `wss://<host>/socket.io/?EIO=4&transport=websocket`
    (for messages and `doctor`; python-socketio builds it from `chat_endpoint`)."""
    parts = urlsplit(base.rstrip("/"))
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    return urlunsplit(
        (scheme, parts.netloc, f"/{CHAT_SOCKETIO_PATH}/", "EIO=4&transport=websocket", "")
    )


def chat_endpoint(base: str) -> str:
    """The server URL python-socketio connects to, with `CHAT_SOCKETIO_PATH` and the websocket
    transport only (the site never polls)."""
    return base.rstrip("/")


def chat_headers() -> dict[str, str]:
    return {"Origin": CHAT_ORIGIN}


def chat_auth(token: str | None, *, now_ms: int) -> dict[str, Any]:
    """The connect auth: `{"origin", "timestamp", "token"}`; a null token is anonymous. (The
    site also sends a `deviceId`; none is sent here.) Whether a session token here lets the
    socket post is unverified."""
    return {"origin": CHAT_ORIGIN, "timestamp": now_ms, "token": token}


def chat_join(mint: str, username: str | None = None) -> dict[str, Any]:
    return {"roomId": mint, "username": username}


def chat_leave(mint: str) -> dict[str, Any]:
    return {"roomId": mint}


def chat_history(
    mint: str, *, limit: int = CHAT_HISTORY_LIMIT, before: str | None = None
) -> dict[str, Any]:
    """Up to `limit` messages older than the message `before` names (None: the newest)."""
    return {"roomId": mint, "limit": max(1, limit), "before": before}


def chat_send(mint: str, text: str, username: str | None = None) -> dict[str, Any]:
    return {"roomId": mint, "message": text, "username": username}


def _chat_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return clean_text(str(value), 64) or None


def _chat_preview(value: Any) -> str | None:
    """`replyPreview`: a string, or (guarded) an object holding the replied message's text."""
    if isinstance(value, Mapping):
        value = next(
            (value[k] for k in ("message", "text", "content") if isinstance(value.get(k), str)),
            None,
        )
    return clean_text(value, CHAT_PREVIEW_LIMIT, multiline=False) or None


def _chat_reactions(record: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """Emoji shortcode → how many recent reactors the service listed (addresses, or avatars
    when those are all it sent), most first."""
    counts: dict[str, int] = {}
    for key in ("reactionRecentAddresses", "reactionRecentAvatarUrls"):
        listed = record.get(key)
        if not isinstance(listed, Mapping):
            continue
        for emoji, people in list(listed.items())[:50]:
            name = clean_text(emoji, 32) if isinstance(emoji, str) else ""
            if name and isinstance(people, list):
                counts[name] = max(counts.get(name, 0), len(people))
    return tuple(
        sorted(((e, n) for e, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0]))
    )


def read_chat_message(record: Any, *, room: str | None = None) -> ChatMessage:
    """One message object (§3.6). `message` and `userAddress` are required (`ModelError`
    otherwise); the room is `roomId`, else `room` (the room it was asked of). Text is
    sanitised; `timestamp` is ISO, `expiresAt` epoch seconds."""
    if not isinstance(record, Mapping):
        raise ModelError("chat message is not an object")
    raw_text = record.get("message")
    if not isinstance(raw_text, str):
        raise ModelError("chat message without text")
    author = as_ident(record.get("userAddress"))
    if author is None:
        raise ModelError("chat message without a valid userAddress")
    mint = as_ident(record.get("roomId")) or room
    if mint is None:
        raise ModelError("chat message without a room")
    text = clean_text(raw_text, CHAT_TEXT_LIMIT, multiline=True)
    at = as_iso_time(record.get("timestamp")) or 0.0
    message_id = _chat_id(record.get("id"))
    if message_id is None:
        digest = hashlib.sha256(f"{author}|{at}|{text}".encode()).hexdigest()[:24]
        message_id = f"h:{digest}"
    kind = record.get("messageType")
    return ChatMessage(
        id=message_id,
        mint=mint,
        text=text,
        author=author,
        username=clean_optional(record.get("username"), NAME_LIMIT),
        at=at,
        kind=(clean_text(kind, 32).upper() if isinstance(kind, str) else "") or "REGULAR",
        is_moderator=as_bool(record.get("isModerator")),
        is_creator=as_bool(record.get("isCreator")),
        expires_at=as_time(record.get("expiresAt")),
        reply_to_id=_chat_id(record.get("replyToId")),
        reply_preview=_chat_preview(record.get("replyPreview")),
        reactions=_chat_reactions(record),
    )


def read_chat_records(ack: Any) -> list[Any]:
    """The list of messages in an ack: a bare list, a wrapping object (`{messages: […]}`), or
    either as the first of several ack arguments."""
    if isinstance(ack, tuple):
        ack = next((a for a in ack if isinstance(a, list | Mapping)), None)
    if isinstance(ack, list):
        if len(ack) == 1 and isinstance(ack[0], list):
            return ack[0]
        return ack
    if isinstance(ack, Mapping):
        for key in _CHAT_LIST_KEYS:
            if isinstance(records := ack.get(key), list):
                return records
    return []


def read_chat_history(ack: Any, *, room: str | None = None) -> list[ChatMessage]:
    """The messages of a `getMessageHistory` ack, in the order sent; an unusable record costs
    only itself."""
    messages: list[ChatMessage] = []
    for record in read_chat_records(ack):
        try:
            messages.append(read_chat_message(record, room=room))
        except ModelError:
            continue
    return messages


def read_viewer_count(payload: Any) -> int | None:
    """`viewerCount`: a bare number, or an object with a count (`{roomId, count}`-like);
    None when there is no sensible count in it."""
    if isinstance(payload, Mapping):
        payload = next(
            (payload[k] for k in ("count", "viewerCount", "viewers", "online") if k in payload),
            None,
        )
    if isinstance(payload, bool) or payload is None:
        return None
    number = as_float(payload, None)
    if number is None or number < 0 or number > 10**9:
        return None
    return int(number)


def read_chat_room(payload: Any) -> str | None:
    """The room (mint) a server event names, if it names one."""
    return as_ident(payload.get("roomId")) if isinstance(payload, Mapping) else None


def read_chat_error(payload: Any) -> str:
    """The reason in a refusal (a connect error's data, an `error` event): sanitised."""
    if isinstance(payload, Mapping):
        payload = payload.get("message") or payload.get("error") or payload.get("reason")
    text = clean_text(payload, 200) if isinstance(payload, str) else ""
    return text or "refused"


@dataclass(frozen=True, slots=True)
class ChatSendAck:
    """What the server answered to `sendMessage`: accepted (with the message when it sent it
    back), or refused with its reason and, when given, seconds to wait."""

    accepted: bool
    reason: str | None = None
    message: ChatMessage | None = None
    retry_after: float | None = None


def read_chat_send_ack(ack: Any, *, room: str | None = None) -> ChatSendAck:
    """`{"success": true, "message": {…}}` or `{"error": "…", "retryAfter": s}` (the
    simulator's shapes; the real one is unknown, so a bare message object, a bare true, an
    empty ack and an error string are all read too)."""
    if isinstance(ack, tuple | list) and ack:
        ack = ack[0]
    if ack is None or ack is True:
        return ChatSendAck(True)
    if ack is False:
        return ChatSendAck(False, "refused")
    if isinstance(ack, str):
        if ack.strip().lower() in ("ok", "success", "sent"):
            return ChatSendAck(True)
        return ChatSendAck(False, read_chat_error(ack))
    if not isinstance(ack, Mapping):
        return ChatSendAck(False, "an answer that could not be read")
    retry = as_float(ack.get("retryAfter"), None)
    retry_after = retry if retry is not None and retry >= 0 else None
    error = ack.get("error")
    if error or ack.get("success") is False:
        reason = read_chat_error(error if error else ack)
        return ChatSendAck(False, reason, None, retry_after)
    inner = ack.get("message") if isinstance(ack.get("message"), Mapping) else ack
    try:
        message = read_chat_message(inner, room=room)
    except ModelError:
        message = None
    return ChatSendAck(True, None, message)


# -- documented shapes, and the routes `pumptui doctor` probes ---------------------------------
# Expected keys come from the reference (§3, §5), not from any server: a key in `required` that
# is missing is drift; a key in neither set is "unexpected" (shown, not a failure: the service
# adds fields often).

_COIN_2025 = (
    "mint",
    "name",
    "symbol",
    "description",
    "image_uri",
    "metadata_uri",
    "creator",
    "bonding_curve",
    "associated_bonding_curve",
    "twitter",
    "telegram",
    "website",
    "username",
    "profile_image",
    "created_timestamp",
    "last_trade_timestamp",
    "last_reply",
    "virtual_sol_reserves",
    "real_sol_reserves",
    "virtual_token_reserves",
    "real_token_reserves",
    "total_supply",
    "market_cap",
    "usd_market_cap",
    "reply_count",
    "complete",
    "nsfw",
    "is_banned",
    "show_name",
    "is_currently_live",
    "pump_swap_pool",
    "ath_market_cap",
)
_COIN_2026 = (
    "ath_market_cap_timestamp",
    "updated_at",
    "total_supply_str",
    "market_cap_usd",
    "market_cap_quote",
    "program",
    "protocol",
    "token_program",
    "quote_mint",
    "quote_decimals",
    "base_decimals",
    "quote_token_program",
    "virtual_quote_reserves",
    "real_quote_reserves",
    "pool_address",
    "chain_id",
    "multichain_family",
    "is_cashback_enabled",
    "boost_mode",
    "mayhem_state",
    "verified",
    "hide_banner",
    "livestream_ban_expiry",
    "banner_uri",
    "video_uri",
    "inverted",
    "platform",
    "is_holder_reward",
    "transfer_fee_bps",
    "transfer_hook_program",
    "depth",
    "security_verdict",
)
COIN_REQUIRED_KEYS = frozenset(
    (
        "mint",
        "name",
        "symbol",
        "creator",
        "created_timestamp",
        "virtual_sol_reserves",
        "virtual_token_reserves",
        "total_supply",
        "market_cap",
        "usd_market_cap",
        "complete",
        "ath_market_cap",
        "program",
        "quote_mint",
        "quote_decimals",
    )
)
COIN_KNOWN_KEYS = frozenset(_COIN_2025 + _COIN_2026)
TRADE_REQUIRED_KEYS = frozenset(
    (
        "slotIndexId",
        "tx",
        "timestamp",
        "userAddress",
        "type",
        "amountSol",
        "baseAmount",
    )
)
TRADE_KNOWN_KEYS = frozenset(
    (
        "program",
        "amountUsd",
        "quoteAmount",
        "priceSol",
        "priceUsd",
        "fillPriceSol",
        "fillPriceUsd",
    )
)
CANDLE_KEYS = frozenset(("timestamp", "open", "high", "low", "close", "volume"))
CALLOUT_REQUIRED_KEYS = frozenset(
    (
        "calloutId",
        "coinMint",
        "marketCap",
        "multiple",
        "createdAt",
        "thesis",
    )
)
CALLOUT_KNOWN_KEYS = frozenset(
    (
        "userId",
        "user_uuid",
        "calloutPrice",
        "maxPriceSol",
        "peakTimestamp",
        "username",
        "profileImage",
        "xUsername",
        "likeCount",
        "replyCount",
        "likedByUser",  # the simulator's; not in the reference
    )
)
USER_KNOWN_KEYS = frozenset(
    (
        "address",
        "username",
        "profile_image",
        "bio",
        "likes_received",
        "unread_notifs_count",
    )
)
CHAT_MESSAGE_KEYS = frozenset(
    (
        "id",
        "roomId",
        "username",
        "profile_image",
        "timestamp",
        "messageType",
        "isModerator",
        "isCreator",
        "expiresAt",
        "replyToId",
        "replyPreview",
        "reactionRecentAddresses",
        "reactionRecentAvatarUrls",
    )
)
BOARD_ENTRY_KEYS = frozenset(
    (
        "m",
        "n",
        "t",
        "i",
        "mc",
        "age",
        "p",
        "vUsd5m",
        "tx5",
        "bc",
        "sc",
        "txc",
        "nh",
        "t10",
        "dh",
        "sn",
        "dw",
        "gd",
        "pg",
        "c",
    )
)


@dataclass(frozen=True, slots=True)
class Shape:
    """The documented keys of an answer. `records` says where they are: "" the payload is one
    object; "[]" a bare list of records; "{}" an object of windows (market activity); any
    other value, the key of a list inside the object whose own keys are `top`."""

    required: frozenset[str]
    known: frozenset[str] = frozenset()
    records: str = ""
    top: frozenset[str] = frozenset()
    top_known: frozenset[str] = frozenset()  # optional keys of the wrapping object


@dataclass(frozen=True, slots=True)
class ShapeCheck:
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    problem: str | None = None  # not even the container is right (an object for a list...)
    empty: bool = False  # nothing to check the records against (an empty list)

    @property
    def drifted(self) -> bool:
        return bool(self.missing) or self.problem is not None


def check_shape(shape: Shape, payload: Any) -> ShapeCheck:
    """Compare an answer with its documented shape: the first record of a list (and the
    wrapping object's keys), each window of an object of windows."""
    records: list[Any]
    missing: set[str] = set()
    unexpected: set[str] = set()
    if shape.records == "[]":
        if not isinstance(payload, list):
            return ShapeCheck(problem="expected a list")
        records = payload[:1]
    elif shape.records == "{}":
        if not isinstance(payload, Mapping):
            return ShapeCheck(problem="expected an object of windows")
        records = [w for w in payload.values() if isinstance(w, Mapping)][:1]
    elif shape.records:
        if not isinstance(payload, Mapping) or not isinstance(payload.get(shape.records), list):
            return ShapeCheck(problem=f"expected {{{shape.records}: [...]}}")
        missing |= shape.top - payload.keys()
        unexpected |= payload.keys() - shape.top - shape.top_known - {shape.records}
        records = payload[shape.records][:1]
    else:
        if not isinstance(payload, Mapping):
            return ShapeCheck(problem="expected an object")
        records = [payload]
    for record in records:
        if not isinstance(record, Mapping):
            return ShapeCheck(problem="a record is not an object")
        missing |= shape.required - record.keys()
        unexpected |= record.keys() - shape.required - shape.known
    return ShapeCheck(tuple(sorted(missing)), tuple(sorted(unexpected)), empty=not records)


COIN_SHAPE = Shape(COIN_REQUIRED_KEYS, COIN_KNOWN_KEYS)
COIN_LIST_SHAPE = Shape(COIN_REQUIRED_KEYS, COIN_KNOWN_KEYS, records="[]")
SHAPES: dict[str, Shape] = {
    "coins": COIN_LIST_SHAPE,
    VIEW_COIN: COIN_SHAPE,
    "coins-by-mints": COIN_LIST_SHAPE,
    VIEW_SEARCH: COIN_LIST_SHAPE,
    "top-holders": Shape(
        frozenset(("address", "amount")),
        frozenset(("isDev", "isSniper", "isBundler", "enteredAt")),
        records="topHolders",
        top=frozenset(("totalHolders",)),
    ),
    "holder-stats": Shape(
        frozenset(("mint", "totalHolders", "top10HoldersPercent", "devHoldingsPercent")),
        frozenset(("snipersHoldingsPercent", "bundlersHoldingsPercent", "totalFeesSol", "asOf")),
    ),
    "holder-count": Shape(frozenset(("holderCount",)), frozenset(("mint", "chain", "networkId"))),
    "sol-price": Shape(frozenset(("solPrice",)), frozenset(("asOfTimestamp", "stale"))),
    "trades": Shape(
        TRADE_REQUIRED_KEYS, TRADE_KNOWN_KEYS, records="trades", top=frozenset(("pagination",))
    ),
    VIEW_CANDLES: Shape(CANDLE_KEYS, records="[]"),
    "market-activity": Shape(
        frozenset(("numTxs", "volumeUSD")), frozenset(ACTIVITY_METRICS), records="{}"
    ),
    "ath": Shape(frozenset(("athMarketCap",))),
    "board": Shape(frozenset(("m",)), BOARD_ENTRY_KEYS, records="entries"),
    "callouts": Shape(CALLOUT_REQUIRED_KEYS, CALLOUT_KNOWN_KEYS, records="callouts"),
    "user": Shape(frozenset(("userId", "followers", "following")), USER_KNOWN_KEYS),
    "user-callouts": Shape(
        CALLOUT_REQUIRED_KEYS,
        CALLOUT_KNOWN_KEYS,
        records="callouts",
        top_known=frozenset(("nextPageToken",)),
    ),
    "follower-count": Shape(frozenset(("count",))),
    "following-count": Shape(frozenset(("count",))),
    # The records of a history ack (`read_chat_records` unwraps it first); §3.6 lists the keys.
    "chat": Shape(frozenset(("message", "userAddress")), CHAT_MESSAGE_KEYS, records="[]"),
}


@dataclass(frozen=True, slots=True)
class Probe:
    """One thing the app reads, as doctor checks it: the routes that serve it (the first is
    the primary, the rest fallbacks, as the client uses them) and its documented shape."""

    view: str
    routes: tuple[Route, ...]
    shape: Shape

    @property
    def host(self) -> Host:
        return self.routes[0].host


def doctor_probes(mint: str, *, search_term: str = "pump") -> tuple[Probe, ...]:
    """Every route the app reads (besides `/coins`, which doctor reads first to find `mint`),
    one request each: v3 first, then swap-api (four requests, well inside its budget), then
    the indexer. Sizes are the smallest that still show a record."""
    probes: list[tuple[str, tuple[Route, ...]]] = [
        (VIEW_COIN, coin(mint)),
        ("coins-by-mints", (coins_by_mints([mint]),)),
        (VIEW_SEARCH, search_coins(search_term, limit=1, offset=0, include_nsfw=False)),
        ("top-holders", (top_holders(mint),)),
        ("holder-stats", (holder_stats(mint),)),
        ("holder-count", (holder_count(mint),)),
        ("sol-price", (sol_price(),)),
        ("trades", (trades(mint, limit=5),)),
        (VIEW_CANDLES, candles(mint, interval="1m", limit=5)),
        ("market-activity", (market_activity(mint),)),
        ("ath", (ath(mint),)),
        ("board", (board("new", limit=5),)),
        ("callouts", (callout_top(mint),)),
    ]
    return tuple(Probe(view, candidates, SHAPES[view]) for view, candidates in probes)


def doctor_user_probe(wallet: str) -> Probe:
    """A user's profile (the creator of the coin probed): it also gives doctor the UUID the
    follow-count probes take."""
    return Probe("user", (user(wallet),), SHAPES["user"])


def doctor_people_probes(user_id: str) -> tuple[Probe, ...]:
    """Follow counts and one page of the user's callouts (one request each: `/callout/list`
    only punishes bursts)."""
    return (
        Probe("follower-count", (follow_count(user_id, "followers"),), SHAPES["follower-count"]),
        Probe("following-count", (follow_count(user_id, "following"),), SHAPES["following-count"]),
        Probe("user-callouts", (callout_list(user_id, limit=1),), SHAPES["user-callouts"]),
    )


def doctor_bookmarks() -> Route:
    """Bookmarks' liveness, asked without a session: a live route answers 401 (or 200), a
    dropped one "Cannot GET"."""
    return bookmarks()


def read_user_uuid(payload: Any) -> str | None:
    """The UUID in a `/users/{wallet}` answer, if there is one."""
    return as_uuid(payload.get("userId")) if isinstance(payload, Mapping) else None


def doctor_listing() -> Probe:
    """The first probe: the newest coins (it also gives doctor a mint for the others)."""
    return Probe(
        "coins",
        (coins(offset=0, limit=2, sort="created_timestamp", order="DESC", include_nsfw=False),),
        SHAPES["coins"],
    )


# Routes the app may call whose behaviour on the real service is not known (reference §6, and
# the social routes kept until their replacement): doctor names them "unverified" and sends
# nothing (most need a session, or would act).
UNVERIFIED_ROUTES: tuple[tuple[str, str, str], ...] = (
    (
        "login",
        "POST /auth/login",
        "whether a signed sign-in still works after 2026-09-25; else /auth/login/token (§6.1)",
    ),
    ("login token", "POST /auth/login/token", "how long its tokens last (§6.1)"),
    ("candles createdTs", "GET /v2/coins/{mint}/candles?createdTs=", "what createdTs does (§6.2)"),
    ("trades minSolAmount", "GET /v2/coins/{mint}/trades?minSolAmount=", "its unit (§6.3)"),
    ("bulk size", "POST /coins-v2/mints", "the largest batch; order kept? (§6.5)"),
    (
        "callout eligibility",
        "GET /callout/eligibility/{mint}",
        "needs a session; the shape of its answer is unknown ({eligible, reason} assumed)",
    ),
    (
        "callout posts",
        "POST /callout/create, POST /callout/{id}/replies",
        "need a session and would post; whether 'too fast' carries a Retry-After is unknown",
    ),
    ("callout unlike", "(none)", "no unlike route found (§3.7): a like cannot be taken back"),
    (
        "callout replies",
        "GET /callout/{id}/replies",
        "reading a callout's replies: the simulator's route, not seen on the service",
    ),
    ("unfollow", "DELETE /following/v2/{uuid}", "no evidence of any unfollow route (§3.7, LOW)"),
    ("follow captcha", "POST /following/v2/{uuid}", "whether a follow needs a captcha (§6.9)"),
    (
        "callout list paging",
        "GET /callout/list/{user}?pageToken=",
        "the page token's numbering and where the next one is in the answer",
    ),
    ("moderation", "POST /moderation/*", "no 2026 evidence (§6.4)"),
    ("is-admin", "GET /auth/is-admin", "no 2026 evidence (§6.4)"),
    ("logout", "POST /auth/logout", "no 2026 evidence (§6.4)"),
)

# What the reference leaves open about the live chat (§3.6, §6.8); doctor lists these as
# unverified next to its own check of connecting, joining and reading history.
CHAT_UNVERIFIED: tuple[tuple[str, str, str], ...] = (
    (
        "chat posting",
        f"socket.io {CHAT_SEND}",
        "whether posting works, and whether a session token in the connect auth is accepted for "
        "it (LOW: one client)",
    ),
    ("chat push", f"socket.io {CHAT_NEW_MESSAGE}", "the event that pushes new messages (§6.8)"),
    (
        "chat history limit",
        f"socket.io {CHAT_HISTORY} limit",
        f"the largest limit the service honours (§6.8); pumptui asks for {CHAT_HISTORY_LIMIT}",
    ),
    ("chat lifetime", "message expiresAt", "how long messages live (§6.8)"),
)

SIM_STATE_PATH = "/_sim/state"
# A header only pumptui's simulator sends, on every answer: an app pointed at it says so on screen.
SIMULATOR_HEADER = "x-pumptui-simulator"


def sim_state() -> Route:
    """The simulator's admin state; `{"simulator": true}` says the server is pumptui's own."""
    return Route("GET", SIM_STATE_PATH, group="sim", label="GET /_sim/state")
