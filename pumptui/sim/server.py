"""The simulator's HTTP face: the Pump.fun frontend and advanced endpoints on one origin.

Cross-cutting behaviour lives in one middleware, in the order a real request meets it: the CDN's
per-client rate limit, then injected faults, then the market is brought up to the clock, then the
handler, then weak ETags / 304 and the rate-limit headers. Admin endpoints under `/_sim/`
(clock, faults, rates, bursts, captcha) skip limits and faults; they exist for tests, benchmarks
and the demo.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import WSMsgType, web

from pumptui.base58 import is_pubkey
from pumptui.sim import shapes
from pumptui.sim.auth import AuthError, Authority, Session
from pumptui.sim.faults import FaultInjector, FaultPlan
from pumptui.sim.market import Market, MarketError, SimCoin
from pumptui.sim.ratelimit import RateLimiter

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

COINS_PAGE_CAP = 100
TRADES_PAGE_CAP = 200
REPLIES_PAGE_CAP = 100
CANDLES_PAGE_CAP = 1000
BULK_CAP = 100

HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"
)
HTML_RATE_LIMIT_PAGE = (
    "<!DOCTYPE html><html><head><title>Access denied | rate limited</title></head><body>"
    "<h1>Error 1015</h1><p>You are being rate limited.</p></body></html>"
)


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 0
    # Per-client budget; generous by default (demo), tests and benchmarks tighten it.
    rate_limit: int = 600
    rate_limit_window: float = 60.0
    # Identify clients by this header instead of their IP (benchmarks run contenders side by side).
    rate_limit_by_header: str | None = None
    admin_wallets: tuple[str, ...] = ()
    faults: FaultPlan | str | None = None
    reply_captcha: bool = False
    enable_admin: bool = True
    # Older response shapes: replies as a bare list, metadatas as a bare list.
    legacy_shapes: bool = False
    push_queue: int = 5000


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class SimState:
    market: Market
    config: ServerConfig
    faults: FaultInjector
    limiter: RateLimiter
    authority: Authority
    cache: dict[tuple[Any, ...], tuple[Any, bytes, str]] = field(default_factory=dict)
    sockets: set[PushConnection] = field(default_factory=set)
    requests: int = 0

    def advance(self) -> None:
        self.market.advance_to(self.market.clock.now())


STATE = web.AppKey("state", SimState)
SESSION = web.RequestKey("session", Session | None)  # type: ignore[arg-type]
VIEWER = web.RequestKey("viewer", str | None)  # type: ignore[arg-type]
SESSION_TOKEN = web.RequestKey("session_token", str | None)  # type: ignore[arg-type]


# -- helpers -----------------------------------------------------------------------------


def weak_etag(body: bytes) -> str:
    """Express-style weak ETag: `W/"<len hex>-<base64 sha1, 27 chars>"`."""
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode()[:27]
    return f'W/"{len(body):x}-{digest}"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    bare = etag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") in (bare, "*") for part in header.split(","))


def json_response(request: web.Request, data: Any, status: int = 200,
                  body: bytes | None = None, etag: str | None = None) -> web.Response:
    body = orjson.dumps(data) if body is None else body
    headers = {}
    if request.method == "GET" and status == 200:
        etag = etag or weak_etag(body)
        headers["ETag"] = etag
        if _etag_matches(request.headers.get("If-None-Match"), etag):
            return web.Response(status=304, headers=headers)
    return web.Response(status=status, body=body, content_type="application/json",
                        headers=headers)


def cached(request: web.Request, version: Any, build: Callable[[], Any]) -> web.Response:
    """Serve a GET from the body cache while `version` is unchanged."""
    state: SimState = request.app[STATE]
    key = (request.path_qs, request.get(VIEWER))
    hit = state.cache.get(key)
    if hit is not None and hit[0] == version:
        return json_response(request, None, body=hit[1], etag=hit[2])
    body = orjson.dumps(build())
    etag = weak_etag(body)
    if len(state.cache) > 4000:
        state.cache.clear()
    state.cache[key] = (version, body, etag)
    return json_response(request, None, body=body, etag=etag)


def error_response(status: int, message: str, headers: dict[str, str] | None = None
                   ) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(shapes.error(status, message)),
                        content_type="application/json", headers=headers)


def _int(request: web.Request, name: str, default: int, *, low: int = 0,
         high: int | None = None) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer") from None
    if value < low:
        raise ApiError(400, f"{name} must not be less than {low}")
    return min(value, high) if high is not None else value


def _bool(request: web.Request, name: str, default: bool | None = False) -> bool | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    return raw.lower() in ("true", "1", "yes")


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        data = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        raise ApiError(400, "Body must be JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Body must be a JSON object")
    return data


def _coin(state: SimState, mint: str) -> SimCoin:
    coin = state.market.coins.get(mint)
    if coin is None:
        raise ApiError(404, "Coin not found")
    return coin


def _session(request: web.Request, *, admin: bool = False) -> Session:
    session: Session | None = request.get(SESSION)
    if session is None:
        raise ApiError(401, "Unauthorized")
    if admin and not session.admin:
        raise ApiError(403, "Forbidden resource")
    return session


# -- middleware --------------------------------------------------------------------------


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    state: SimState = request.app[STATE]
    path = request.path
    if path.startswith("/_sim/"):
        if not state.config.enable_admin:
            return error_response(404, f"Cannot {request.method} {path}")
        state.advance()
        return await _guarded(request, handler)
    if path == "/api/data":
        return await handler(request)
    state.requests += 1
    header = state.config.rate_limit_by_header
    client = (request.headers.get(header) if header else None) or request.remote or "?"
    verdict = state.limiter.check(client)
    limit_headers = verdict.headers()
    if not verdict.allowed:
        return error_response(429, "Too Many Requests", limit_headers)
    faulty = state.faults.applies(path)
    if faulty:
        delay = state.faults.latency()
        if delay:
            await asyncio.sleep(delay)
        fault = state.faults.before()
        if fault is not None:
            return await _fault_response(request, state, fault, limit_headers)
    session_token = request.cookies.get("auth_token")
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        session_token = auth[7:].strip() or session_token
    session = state.authority.session(session_token)
    request[SESSION] = session
    request[SESSION_TOKEN] = session_token if session else None
    request[VIEWER] = session.address if session else None
    state.advance()
    response = await _guarded(request, handler)
    response.headers.update(limit_headers)
    if faulty and isinstance(response, web.Response) and response.status in (200, 201):
        damage = state.faults.after()
        if damage == "malformed":
            body = response.body if isinstance(response.body, bytes) else b"{}"
            broken = body[: max(1, len(body) // 2)] + b'",,}{"'
            return web.Response(status=response.status, body=broken,
                                content_type="application/json", headers=limit_headers)
        if damage == "truncate":
            return await _truncated(request, response)
    return response


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.message)
    except MarketError as exc:
        return error_response(exc.status, exc.message)
    except AuthError as exc:
        return error_response(exc.status, exc.message)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        # NestJS answers an unknown route or method with a JSON 404, not aiohttp's text.
        return error_response(404, f"Cannot {request.method} {request.path}")


async def _fault_response(request: web.Request, state: SimState, fault: str,
                          limit_headers: dict[str, str]) -> web.StreamResponse:
    plan = state.faults.plan
    if fault == "rate_limit":
        headers = dict(limit_headers)
        headers["Retry-After"] = str(max(0, round(plan.retry_after)))
        headers["x-ratelimit-remaining"] = "0"
        if state.faults._rng.random() < 0.5:
            return web.Response(status=429, text=HTML_RATE_LIMIT_PAGE, content_type="text/html",
                                headers=headers)
        return error_response(429, "Too Many Requests", headers)
    if fault == "error":
        status = state.faults._rng.choice((500, 502, 503))
        return error_response(status, "Internal server error")
    if fault == "html":
        return web.Response(status=502, text=HTML_ERROR_PAGE, content_type="text/html")
    if fault == "timeout":
        await asyncio.sleep(plan.hang_seconds)
    # "drop", and a timeout that outlived the client: close without an answer.
    _abort(request)
    raise asyncio.CancelledError


def _abort(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


async def _truncated(request: web.Request, response: web.Response) -> web.StreamResponse:
    body = response.body if isinstance(response.body, bytes) else b""
    stream = web.StreamResponse(status=response.status, headers={
        "Content-Type": "application/json", "Content-Length": str(len(body))})
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    _abort(request)
    return stream


# -- coins -------------------------------------------------------------------------------


async def list_coins(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    market = state.market
    complete = request.query.get("complete")
    creator = request.query.get("creator") or None
    kwargs: dict[str, Any] = dict(
        sort=request.query.get("sort", "created_timestamp"),
        order=request.query.get("order", "DESC"),
        offset=_int(request, "offset", 0),
        limit=_int(request, "limit", 50, low=1, high=COINS_PAGE_CAP),
        include_nsfw=bool(_bool(request, "includeNsfw")),
        search=request.query.get("searchTerm") or None,
        creator=creator,
        complete=None if complete in (None, "") else complete.lower() == "true",
    )
    return cached(request, market.version,
                  lambda: [shapes.coin(market, c) for c in market.list_coins(**kwargs)])


async def search_coins(request: web.Request) -> web.Response:
    if not request.query.get("searchTerm"):
        raise ApiError(400, "searchTerm is required")
    return await list_coins(request)


async def latest_coin(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    coin = market.latest_coin()
    if coin is None:
        raise ApiError(404, "No coins")
    return cached(request, market.version, lambda: shapes.coin(market, coin))


async def king_of_the_hill(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    coin = market.king_of_the_hill(bool(_bool(request, "includeNsfw")))
    if coin is None:
        raise ApiError(404, "No king of the hill")
    return cached(request, market.version, lambda: shapes.coin(market, coin))


async def one_coin(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    market = state.market
    return cached(request, (coin.version, market.sol_price), lambda: shapes.coin(market, coin))


async def bookmarked_coins(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    list_id = request.match_info["bookmark_id"]
    if list_id != "default" and not _UUID.match(list_id):
        # The real service lets Postgres reject a malformed uuid, and answers 200.
        return json_response(request, {
            "code": "22P02", "message": f'invalid input syntax for type uuid: "{list_id}"',
            "severity": "ERROR",
        })
    market = state.market
    lst = market.bookmark_list(session.address, list_id)
    include_nsfw = bool(_bool(request, "includeNsfw"))
    offset = _int(request, "offset", 0)
    limit = _int(request, "limit", 50, low=1, high=COINS_PAGE_CAP)
    coins = [market.coins[m] for m in lst.items if m in market.coins]
    coins = [c for c in coins if c.listed and (include_nsfw or not c.nsfw)]
    return json_response(request, [shapes.coin(market, c) for c in coins[offset: offset + limit]])


async def bulk_coins(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    mints = _mint_list(await _json_body(request), "mints")
    market = state.market
    found = sorted((market.coins[m] for m in set(mints) if m in market.coins), key=lambda c: c.mint)
    return json_response(request, [shapes.coin(market, c) for c in found], status=201)


async def bulk_metadatas(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    mints = _mint_list(await _json_body(request), "mints")
    market = state.market
    found = sorted((market.coins[m] for m in set(mints) if m in market.coins), key=lambda c: c.mint)
    data = [shapes.metadata(c) for c in found]
    return json_response(request, data if state.config.legacy_shapes else {"data": data},
                         status=201)


def _mint_list(body: dict[str, Any], key: str) -> list[Any]:
    items = body.get(key)
    if not isinstance(items, list) or not items:
        raise ApiError(400, f"{key} must be a non-empty array")
    if len(items) > BULK_CAP:
        raise ApiError(400, f"{key} must contain no more than {BULK_CAP} elements")
    if key == "mints" and not all(isinstance(m, str) for m in items):
        raise ApiError(400, "each mint must be a string")
    return items


# -- trades & candles --------------------------------------------------------------------


async def latest_trade(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    trade = market.latest_trade
    if trade is None:
        raise ApiError(404, "No trades")
    return cached(request, market.trades_total, lambda: shapes.trade(market, trade, with_coin=True))


async def coin_trades(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    limit = _int(request, "limit", 100, low=1, high=TRADES_PAGE_CAP)
    offset = _int(request, "offset", 0)
    minimum = _int(request, "minimumSize", 0)
    market = state.market
    return cached(request, coin.version, lambda: [
        shapes.trade(market, t) for t in market.trades_page(coin, limit, offset, minimum)])


async def trade_count(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    minimum = _int(request, "minimumSize", 0)
    return cached(request, coin.version, lambda: state.market.trade_count(coin, minimum))


async def candlesticks(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    minutes = _int(request, "timeframe", 5, low=1, high=1440)
    offset = _int(request, "offset", 0)
    limit = _int(request, "limit", 1000, low=1, high=CANDLES_PAGE_CAP)
    mint = coin.mint

    def build() -> list[dict[str, Any]]:
        candles = state.market.candles(coin, minutes)
        return [shapes.candle(mint, c, minutes) for c in candles[offset: offset + limit]]

    return cached(request, coin.version, build)


# -- replies -----------------------------------------------------------------------------


async def get_replies(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    limit = _int(request, "limit", 50, low=1, high=REPLIES_PAGE_CAP)
    offset = _int(request, "offset", 0)
    oldest_first = bool(_bool(request, "reverseOrder"))
    market = state.market
    viewer = request.get(VIEWER)

    def build() -> Any:
        replies = market.visible_replies(coin)
        if not oldest_first:
            replies.reverse()
        page = replies[offset: offset + limit]
        items = [shapes.reply(market, r, viewer) for r in page]
        if state.config.legacy_shapes:
            return items
        has_more = offset + limit < len(replies)
        return {"replies": items, "hasMore": has_more, "offset": offset + len(page)}

    return cached(request, coin.version, build)


async def post_reply(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    body = await _json_body(request)
    mint, text = body.get("mint"), body.get("text")
    if not isinstance(mint, str) or not isinstance(text, str):
        raise ApiError(400, "mint and text are required")
    if state.config.reply_captcha and not state.authority.check_captcha(body.get("captchaToken")):
        raise ApiError(400, "Invalid captcha")
    image = body.get("image") if isinstance(body.get("image"), str) else None
    reply = state.market.post_reply(session.address, mint, text, image)
    return json_response(request, shapes.reply(state.market, reply, session.address), status=201)


# -- social ------------------------------------------------------------------------------


async def like(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    target = request.match_info["target"]
    if request.method == "POST":
        state.market.like(session.address, target)
        return json_response(request, {"success": True, "targetId": target}, status=201)
    state.market.unlike(session.address, target)
    return json_response(request, {"success": True, "targetId": target})


async def follow(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    address = request.match_info["address"]
    if not is_pubkey(address):
        raise ApiError(400, "Invalid user id")
    if request.method == "POST":
        if not state.authority.check_captcha(request.query.get("captchaToken")):
            raise ApiError(400, "Invalid captcha")
        state.market.follow(session.address, address)
        return json_response(request, {"success": True, "following": address}, status=201)
    state.market.unfollow(session.address, address)
    return json_response(request, {"success": True})


async def followers(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    address = request.match_info["address"]
    return json_response(request, [shapes.follower(market, u, at)
                                   for u, at in market.followers(address)])


async def bookmarks(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    market = state.market
    if request.method == "POST":
        body = await _json_body(request)
        name = body.get("name")
        if not isinstance(name, str):
            raise ApiError(400, "name is required")
        lst = market.create_bookmark_list(session.address, name)
        return json_response(request, shapes.bookmark_list(session.address, lst), status=201)
    return json_response(request, [shapes.bookmark_list(session.address, b)
                                   for b in market.bookmark_lists(session.address)])


async def delete_bookmark(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    state.market.delete_bookmark_list(session.address, request.match_info["bookmark_id"])
    return json_response(request, {"success": True})


async def bookmark_items(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    body = await _json_body(request)
    item, ids = body.get("itemId"), body.get("bookmarkIds")
    if not isinstance(item, str) or not isinstance(ids, list) or not ids:
        raise ApiError(400, "itemId and bookmarkIds are required")
    add = request.path.endswith("/add")
    state.market.bookmark_items(session.address, item, [str(i) for i in ids], add)
    return json_response(request, {"success": True}, status=201)


# -- moderation --------------------------------------------------------------------------


async def moderate(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    _session(request, admin=True)
    body = await _json_body(request)
    kind = request.path.rsplit("-", 1)[-1]  # nsfw | hidden | ban
    if kind == "nsfw":
        items = _mint_list(body, "mints")
        action = "nsfw"
    else:
        items = _mint_list(body, "ids")
        action = "hide" if kind == "hidden" else "ban"
        if action == "ban" and not isinstance(body.get("reason"), str):
            raise ApiError(400, "reason is required")
    updated, missing = state.market.moderate(action, items)  # type: ignore[arg-type]
    return json_response(request, {"updated": updated, "notFound": missing}, status=201)


# -- misc & auth -------------------------------------------------------------------------


async def sol_price(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    return cached(request, market.sol_price, lambda: {"solPrice": market.sol_price})


async def login(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    token = state.authority.verify_login(body.get("address"), body.get("signature"),
                                         body.get("timestamp"))
    user = state.market.ensure_user(str(body["address"]))
    response = json_response(request, shapes.profile(state.market, user), status=201)
    response.set_cookie("auth_token", token, httponly=True, samesite="Lax", path="/",
                        max_age=30 * 24 * 3600, secure=request.secure)
    return response


async def my_profile(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    user = state.market.ensure_user(session.address)
    return json_response(request, shapes.profile(state.market, user))


async def is_admin(request: web.Request) -> web.Response:
    session = _session(request)
    return json_response(request, session.admin)


async def logout(request: web.Request) -> web.Response:
    """Ends the session: the token it was made with is refused from now on."""
    token = request.get(SESSION_TOKEN)
    if token:
        request.app[STATE].authority.revoke(token)
    response = json_response(request, {"success": True}, status=201)
    response.del_cookie("auth_token", path="/")
    return response


# -- push (PumpPortal-shaped WebSocket) --------------------------------------------------


class PushConnection:
    def __init__(self, ws: web.WebSocketResponse, has_key: bool, size: int) -> None:
        self.ws = ws
        self.has_key = has_key
        self.new_tokens = False
        self.mints: set[str] = set()
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(size)
        self.dropped = 0

    def offer(self, message: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(orjson.dumps(message))
        except asyncio.QueueFull:
            self.dropped += 1


def push_listener(state: SimState) -> Callable[[str, Any], None]:
    def on_event(kind: str, payload: Any) -> None:
        if not state.sockets:
            return
        if kind == "coin":
            message = None
            for conn in state.sockets:
                if conn.new_tokens:
                    message = message or shapes.push_create(state.market, payload)
                    conn.offer(message)
        elif kind == "trade":
            message = None
            for conn in state.sockets:
                if payload.mint in conn.mints:
                    message = message or shapes.push_trade(state.market, payload)
                    conn.offer(message)

    return on_event


async def push_socket(request: web.Request) -> web.StreamResponse:
    state: SimState = request.app[STATE]
    ws = web.WebSocketResponse(heartbeat=20)
    await ws.prepare(request)
    conn = PushConnection(ws, bool(request.query.get("api-key")), state.config.push_queue)
    state.sockets.add(conn)
    writer = asyncio.create_task(_push_writer(conn))
    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            # Text frames, like every PumpPortal message (send_bytes would make binary ones).
            await ws.send_str(orjson.dumps(_push_command(conn, msg.data)).decode())
    finally:
        state.sockets.discard(conn)
        writer.cancel()
    return ws


def _push_command(conn: PushConnection, raw: str) -> dict[str, Any]:
    try:
        command = orjson.loads(raw)
        method = command["method"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return {"errors": "Invalid message: expected {\"method\": ...}"}
    keys = [k for k in command.get("keys", []) if isinstance(k, str)]
    if method == "subscribeNewToken":
        conn.new_tokens = True
        return {"message": "Successfully subscribed to token creation events."}
    if method == "unsubscribeNewToken":
        conn.new_tokens = False
        return {"message": "Unsubscribed from token creation events."}
    if method == "subscribeTokenTrade":
        if not conn.has_key:
            return {"errors": "This method requires an API key (?api-key=...)."}
        conn.mints.update(keys)
        return {"message": "Successfully subscribed to keys."}
    if method == "unsubscribeTokenTrade":
        conn.mints.difference_update(keys)
        return {"message": "Unsubscribed from keys."}
    return {"errors": f"Unknown method {method!r}"}


async def _push_writer(conn: PushConnection) -> None:
    with contextlib.suppress(ConnectionError, asyncio.CancelledError, RuntimeError):
        while True:
            data = await conn.queue.get()
            # `send_bytes` would make a binary frame; PumpPortal sends text.
            await conn.ws.send_str(data.decode())


# -- admin (/_sim/) ----------------------------------------------------------------------


async def sim_state(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    snap = state.market.snapshot()
    snap.update(faults=state.faults.plan.to_dict(), requests=state.requests,
                clock=state.market.clock.mode, speed=state.market.clock.speed)
    return web.json_response(snap)


async def sim_advance(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    seconds = float(body.get("seconds", 0))
    try:
        state.market.clock.advance(seconds)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    state.advance()
    return web.json_response({"now": state.market.now})


async def sim_faults(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    if request.method == "DELETE":
        state.faults.set(FaultPlan())
    else:
        raw = await request.read()
        try:
            data = orjson.loads(raw) if raw.strip().startswith(b"{") else None
            plan = FaultPlan.from_dict(data) if data is not None else FaultPlan.parse(raw.decode())
        except (ValueError, TypeError) as exc:
            raise ApiError(400, f"bad fault plan: {exc}") from None
        state.faults.set(plan)
    return web.json_response(state.faults.plan.to_dict())


async def sim_rates(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    names = {"launches_per_minute": ("launch", 1 / 60), "trades_per_second": ("trade", 1.0),
             "hot_trades_per_second": ("hot", 1.0), "replies_per_minute": ("reply", 1 / 60),
             "likes_per_minute": ("like", 1 / 60), "follows_per_minute": ("follow", 1 / 60)}
    rates = {}
    for key, value in body.items():
        if key not in names:
            raise ApiError(400, f"unknown rate {key!r}")
        process, scale = names[key]
        rates[process] = float(value) * scale
    state.market.set_rates(**rates)
    if "speed" in body:
        state.market.clock.set_speed(float(body["speed"]))
    hot = state.market.hot_coin
    return web.json_response({"rates": state.market.rates, "hot_mint": hot.mint if hot else None})


async def sim_burst(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    trades = state.market.inject_trades(str(body.get("mint")), int(body.get("count", 1)))
    return web.json_response({"signatures": [t.signature for t in trades]})


async def sim_captcha(request: web.Request) -> web.Response:
    return web.json_response({"captchaToken": request.app[STATE].authority.captcha()})


async def sim_create_coin(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    coin = state.market.create_coin(
        name=str(body.get("name", "Test Coin")), symbol=str(body.get("symbol", "TEST")),
        description=str(body.get("description", "")), creator=body.get("creator"),
        base_attention=float(body.get("attention", 1.0)),
    )
    return web.json_response({"mint": coin.mint})


async def sim_reply(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    market = state.market
    coin = _coin(state, str(body.get("mint")))
    author = str(body.get("user") or market._random_user().address)
    reply = market._add_reply(coin, author, str(body.get("text", "")), None, None)
    return web.json_response({"id": reply.id})


async def sim_token(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    return web.json_response({"token": state.authority.issue(str(body["address"]),
                                                              float(body.get("lifetime", 3600)))})


def build_app(state: SimState) -> web.Application:
    app = web.Application(middlewares=[gate], client_max_size=2 * 1024 * 1024)
    app[STATE] = state
    state.market.listeners.append(push_listener(state))
    r = app.router
    r.add_get("/coins", list_coins)
    r.add_get("/coins/latest", latest_coin)
    r.add_get("/coins/king-of-the-hill", king_of_the_hill)
    r.add_get("/coins/search", search_coins)
    r.add_get("/coins/bookmarks/{bookmark_id}", bookmarked_coins)
    r.add_post("/coins/mints", bulk_coins)
    r.add_post("/coins/metadatas", bulk_metadatas)
    r.add_get("/coins/{mint}", one_coin)
    r.add_get("/trades/latest", latest_trade)
    r.add_get("/trades/all/{mint}", coin_trades)
    r.add_get("/trades/count/{mint}", trade_count)
    r.add_get("/candlesticks/{mint}", candlesticks)
    r.add_get("/replies/{mint}", get_replies)
    r.add_post("/replies", post_reply)
    r.add_post("/likes/{target}", like)
    r.add_delete("/likes/{target}", like)
    r.add_get("/following/followers/{address}", followers)
    r.add_post("/following/{address}", follow)
    r.add_delete("/following/{address}", follow)
    r.add_get("/bookmarks", bookmarks)
    r.add_post("/bookmarks", bookmarks)
    r.add_post("/bookmarks/items/add", bookmark_items)
    r.add_post("/bookmarks/items/remove", bookmark_items)
    r.add_delete("/bookmarks/{bookmark_id}", delete_bookmark)
    r.add_post("/moderation/bulk-nsfw", moderate)
    r.add_post("/moderation/bulk-hidden", moderate)
    r.add_post("/moderation/bulk-ban", moderate)
    r.add_get("/sol-price", sol_price)
    r.add_post("/auth/login", login)
    r.add_get("/auth/my-profile", my_profile)
    r.add_get("/auth/is-admin", is_admin)
    r.add_post("/auth/logout", logout)
    r.add_get("/api/data", push_socket)
    r.add_get("/_sim/state", sim_state)
    r.add_post("/_sim/advance", sim_advance)
    r.add_post("/_sim/faults", sim_faults)
    r.add_delete("/_sim/faults", sim_faults)
    r.add_post("/_sim/rates", sim_rates)
    r.add_post("/_sim/burst", sim_burst)
    r.add_get("/_sim/captcha", sim_captcha)
    r.add_post("/_sim/coins", sim_create_coin)
    r.add_post("/_sim/replies", sim_reply)
    r.add_post("/_sim/token", sim_token)
    return app


def make_state(market: Market, config: ServerConfig) -> SimState:
    faults = config.faults
    plan = FaultPlan.parse(faults) if isinstance(faults, str) else (faults or FaultPlan())
    return SimState(
        market=market,
        config=config,
        faults=FaultInjector(plan, seed=market.config.seed),
        limiter=RateLimiter(config.rate_limit, config.rate_limit_window),
        authority=Authority(config.admin_wallets),
    )


async def run_ticker(state: SimState, stop: asyncio.Event) -> None:
    """Keep a real-time market moving (and pushing) between requests."""
    market = state.market
    while not stop.is_set():
        wait = min(0.05, market.clock.real_seconds_until(market.next_event_time()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(0.005, wait))
        if market.clock.mode == "real":
            state.advance()


__all__ = ["ServerConfig", "SimState", "build_app", "make_state", "run_ticker", "weak_etag"]
