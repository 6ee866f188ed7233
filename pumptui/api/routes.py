"""Every path, parameter and JSON shape of the Pump.fun API, in one place.

The service drifts (routes have moved between hosts and versions before), so nothing outside this
module spells a path, a query parameter name or a response key. A `Route` says what to send; the
`read_*` functions say how to find the useful part of what comes back, tolerating the shapes that
have been seen in the wild (bare or wrapped lists, bare booleans or `{"isAdmin": ...}`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import quote

from pumptui.api.models import as_bool, as_float, as_ident, as_int, unwrap_list


class Host(Enum):
    """Which base URL a route lives on."""

    FRONTEND = "frontend"
    ADVANCED = "advanced"


@dataclass(frozen=True, slots=True)
class Route:
    """One request to make.

    `retry_safe` says whether sending it twice has the same effect as sending it once (reads, and
    writes that set a state); only those are retried after an answer may have been lost.
    `auth` says whether the route is useless without a token.
    """

    method: str
    path: str
    host: Host = Host.FRONTEND
    params: Mapping[str, str | int] = field(default_factory=dict)
    json: Any = None
    retry_safe: bool = True
    auth: bool = False

    @property
    def cacheable(self) -> bool:
        """Only GETs carry ETags worth remembering."""
        return self.method == "GET"


def _segment(value: str | int) -> str:
    """A path segment that cannot escape its place (`/`, `?`, `#`, `..` are all quoted)."""
    return quote(str(value), safe="")


def _flag(value: bool) -> str:
    return "true" if value else "false"


# -- coins -------------------------------------------------------------------------------------

COIN_SORTS = (
    "created_timestamp",
    "last_trade_timestamp",
    "last_reply",
    "reply_count",
    "market_cap",
    "currently_live",
)
ORDERS = ("ASC", "DESC")
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
        "limit": max(1, limit),
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
    return Route("GET", "/coins", params=params)


def latest_coin() -> Route:
    return Route("GET", "/coins/latest")


def coin(mint: str) -> Route:
    return Route("GET", f"/coins/{_segment(mint)}")


def king_of_the_hill(*, include_nsfw: bool) -> Route:
    return Route("GET", "/coins/king-of-the-hill", params={"includeNsfw": _flag(include_nsfw)})


def search_coins(term: str, *, limit: int, offset: int, include_nsfw: bool) -> Route:
    params: dict[str, str | int] = {
        "searchTerm": term,
        "limit": max(1, limit),
        "offset": max(0, offset),
        "sort": "market_cap",
        "order": "DESC",
        "includeNsfw": _flag(include_nsfw),
    }
    return Route("GET", "/coins/search", params=params)


def bookmarked_coins(bookmark_id: str, *, limit: int, offset: int, include_nsfw: bool) -> Route:
    params: dict[str, str | int] = {
        "limit": max(1, limit),
        "offset": max(0, offset),
        "includeNsfw": _flag(include_nsfw),
    }
    return Route("GET", f"/coins/bookmarks/{_segment(bookmark_id)}", params=params, auth=True)


def coins_by_mints(mints: Sequence[str]) -> Route:
    """A read sent as POST: repeating it is harmless."""
    _check_bulk(mints)
    return Route("POST", "/coins/mints", host=Host.ADVANCED, json={"mints": list(mints)})


def metadatas(mints: Sequence[str]) -> Route:
    _check_bulk(mints)
    return Route("POST", "/coins/metadatas", host=Host.ADVANCED, json={"mints": list(mints)})


# -- trades and candles ------------------------------------------------------------------------

TRADES_PAGE_LIMIT = 200


def latest_trade() -> Route:
    return Route("GET", "/trades/latest")


def trades(mint: str, *, limit: int, offset: int, minimum_size_lamports: int) -> Route:
    params: dict[str, str | int] = {
        "limit": max(1, min(limit, TRADES_PAGE_LIMIT)),
        "offset": max(0, offset),
        "minimumSize": max(0, minimum_size_lamports),
    }
    return Route("GET", f"/trades/all/{_segment(mint)}", params=params)


def trade_count(mint: str, *, minimum_size_lamports: int) -> Route:
    return Route(
        "GET",
        f"/trades/count/{_segment(mint)}",
        params={"minimumSize": max(0, minimum_size_lamports)},
    )


def candles(mint: str, *, timeframe_minutes: int, offset: int, limit: int) -> Route:
    params: dict[str, str | int] = {
        "offset": max(0, offset),
        "limit": max(1, limit),
        "timeframe": max(1, timeframe_minutes),
    }
    return Route("GET", f"/candlesticks/{_segment(mint)}", params=params)


# -- replies and social ------------------------------------------------------------------------


def replies(mint: str, *, limit: int, offset: int, reverse: bool) -> Route:
    params: dict[str, str | int] = {"limit": max(1, limit), "offset": max(0, offset)}
    if reverse:
        params["reverseOrder"] = "true"
    return Route("GET", f"/replies/{_segment(mint)}", params=params)


def post_reply(mint: str, text: str, *, captcha_token: str | None) -> Route:
    body: dict[str, Any] = {"mint": mint, "text": text}
    if captcha_token:
        body["captchaToken"] = captcha_token
    # A repeated reply is a duplicate post: never retried after it may have arrived.
    return Route("POST", "/replies", json=body, retry_safe=False, auth=True)


def like(target_id: str | int) -> Route:
    return Route("POST", f"/likes/{_segment(target_id)}", retry_safe=False, auth=True)


def unlike(target_id: str | int) -> Route:
    return Route("DELETE", f"/likes/{_segment(target_id)}", auth=True)


def follow(address: str, *, captcha_token: str) -> Route:
    # Captcha tokens are single use, so a second send could only fail.
    return Route(
        "POST",
        f"/following/{_segment(address)}",
        params={"captchaToken": captcha_token},
        retry_safe=False,
        auth=True,
    )


def unfollow(address: str) -> Route:
    return Route("DELETE", f"/following/{_segment(address)}", auth=True)


def followers(address: str) -> Route:
    return Route("GET", f"/following/followers/{_segment(address)}")


def bookmarks() -> Route:
    return Route("GET", "/bookmarks", auth=True)


def create_bookmark(name: str) -> Route:
    return Route("POST", "/bookmarks", json={"name": name}, retry_safe=False, auth=True)


def delete_bookmark(list_id: str) -> Route:
    return Route("DELETE", f"/bookmarks/{_segment(list_id)}", auth=True)


def add_bookmark_item(mint: str, list_ids: Sequence[str]) -> Route:
    return Route(
        "POST",
        "/bookmarks/items/add",
        json={"itemId": mint, "bookmarkIds": list(list_ids)},
        auth=True,
    )


def remove_bookmark_item(mint: str, list_ids: Sequence[str]) -> Route:
    return Route(
        "POST",
        "/bookmarks/items/remove",
        json={"itemId": mint, "bookmarkIds": list(list_ids)},
        auth=True,
    )


# -- moderation (admin) ------------------------------------------------------------------------


def bulk_nsfw(mints: Sequence[str]) -> Route:
    """Setting a flag: idempotent, so safe to repeat."""
    _check_bulk(mints)
    return Route("POST", "/moderation/bulk-nsfw", json={"mints": list(mints)}, auth=True)


def bulk_hide(ids: Sequence[int]) -> Route:
    _check_bulk(ids)
    return Route("POST", "/moderation/bulk-hidden", json={"ids": list(ids)}, auth=True)


def bulk_ban(ids: Sequence[int], reason: str) -> Route:
    _check_bulk(ids)
    return Route(
        "POST", "/moderation/bulk-ban", json={"ids": list(ids), "reason": reason}, auth=True
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
    )


def my_profile() -> Route:
    return Route("GET", "/auth/my-profile", auth=True)


def is_admin() -> Route:
    return Route("GET", "/auth/is-admin", auth=True)


def logout() -> Route:
    return Route("POST", "/auth/logout", auth=True)


def sol_price() -> Route:
    return Route("GET", "/sol-price")


def sim_captcha() -> Route:
    """The embedded simulator's captcha source (`pumptui demo`); the real service has none."""
    return Route("GET", "/_sim/captcha")


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


@dataclass(frozen=True, slots=True)
class RepliesShape:
    records: list[Any]
    has_more: bool | None
    next_offset: int | None


def read_replies(payload: Any) -> RepliesShape:
    """`{"replies": [...], "hasMore": bool, "offset": next}`, or a bare list (older versions)."""
    records = read_list(payload)
    if isinstance(payload, Mapping):
        has_more = payload.get("hasMore")
        next_offset = payload.get("offset")
        return RepliesShape(
            records,
            None if has_more is None else as_bool(has_more),
            None if next_offset is None else as_int(next_offset),
        )
    return RepliesShape(records, None, None)


def read_count(payload: Any) -> int:
    """A bare integer, or `{"count": n}`."""
    if isinstance(payload, Mapping):
        payload = payload.get("count", payload.get("total"))
    if isinstance(payload, bool) or payload is None:
        raise ShapeError("expected a count")
    count = as_int(payload, -1)
    if count < 0:
        raise ShapeError("expected a count")
    return count


def read_is_admin(payload: Any) -> bool:
    """A bare JSON boolean, or `{"isAdmin": bool}`."""
    if isinstance(payload, bool):
        return payload
    if isinstance(payload, Mapping):
        for key in ("isAdmin", "is_admin", "admin"):
            if key in payload:
                return as_bool(payload[key])
    raise ShapeError("expected a boolean")


def read_sol_price(payload: Any) -> float | None:
    if isinstance(payload, Mapping):
        payload = payload.get("solPrice", payload.get("price"))
    price = as_float(payload, None)
    return price if price is not None and price > 0 else None


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


def read_captcha_token(payload: Any) -> str:
    """`{"captchaToken": "..."}` (or a bare string): the token, still to be validated."""
    if isinstance(payload, Mapping):
        payload = payload.get("captchaToken", payload.get("token"))
    if isinstance(payload, str) and payload.strip():
        return payload.strip()
    raise ShapeError("expected a captcha token")


def read_created_bookmark(payload: Any) -> Mapping[str, Any] | None:
    """The created list, bare or wrapped; None when the server only said "success"."""
    if isinstance(payload, Mapping):
        inner = payload.get("bookmark") or payload.get("data")
        if isinstance(inner, Mapping):
            return inner
        if "id" in payload:
            return payload
    return None


def read_reply(payload: Any) -> Mapping[str, Any] | None:
    """The created reply, bare or wrapped; None when the server answered without a body."""
    if isinstance(payload, Mapping):
        inner = payload.get("reply") or payload.get("data")
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
