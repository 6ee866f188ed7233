"""The simulator's HTTP face: every 2026 Pump.fun host on one origin.

`ROUTES` is the route table: each path belongs to one host — v3 (`frontend-api-v3`), swap
(`swap-api`), idx (`advanced-indexer`) or PumpPortal — and, on v3, to a rate-limit group. Paths do
not collide, so one port serves them all (contract-2026.md). Cross-cutting behaviour lives in one
middleware, in the order a real request meets it: the host's rate limit (swap's Cloudflare rule
or v3's per-group windows), then injected faults, then the market is brought up to the clock,
then the handler, then weak ETags / 304 and the rate-limit headers. Admin endpoints under
`/_sim/` (clock, faults, rates, bursts, coins, callouts, buys, sells, features) skip limits and
faults; they exist for tests, benchmarks and the demo. Unknown paths answer like NestJS: 404
`Cannot GET /path`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from aiohttp import WSMsgType, web

from pumptui.base58 import is_pubkey
from pumptui.sim import callouts, people, shapes, swap, trenches
from pumptui.sim import chat as livechat
from pumptui.sim.auth import (
    LOGIN_MODES,
    LOGIN_OPEN,
    LOGIN_REFUSED,
    LOGIN_UNROUTED,
    TOKEN_LOGIN_AUTH_TYPE,
    AuthError,
    Authority,
    Session,
)
from pumptui.sim.faults import FaultInjector, FaultPlan
from pumptui.sim.market import SORT_KEYS, Market, MarketError, SimCoin, SimTrade
from pumptui.sim.ratelimit import BurstBlock, CloudflareShield, GroupLimits

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

COINS_PAGE_CAP = 70  # `limit` is silently clamped to this
COINS_DEPTH = 1000  # offset + limit beyond this gives []
BULK_CAP = 100
USERS_BATCH_CAP = 50
TOP_HOLDERS = 20
GREAT_COINS = 5
SOL_PRICE_STALE_AFTER = 120.0  # market seconds without an update

# v3's per-group limits (requests per window per client), pumpfun-api-2026.md §2.
V3_GROUP_LIMITS: dict[str, int] = {
    "coins": 60,
    "sol-price": 50,
    "great-coins": 20,
    "coins-v2-mints": 30,
    "users": 30,
    "holders": 60,
    "social": 60,
    "other": 60,
    "callout-top": 50,
    "callout-list": 60,
    "follow-counts": 50,
}
# `/callout/list`: 3 requests within 5 s from one client block it there for 30 minutes.
CALLOUT_LIST_BURST = (3, 5.0, 1800.0)
SWAP_LIMIT = 20  # Cloudflare's rule: requests per window per client IP, over every swap path
SWAP_BLOCK = (35.0, 60.0)  # seconds a client stays blocked, renewed by each request meanwhile
SWAP_ADVERTISED_LIMIT = "1000"  # the misleading x-ratelimit-limit swap answers carry
# On every answer the simulator gives (never on the real service's): "this is pumptui's simulator".
SIMULATOR_HEADER = "x-pumptui-simulator"

HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"
)
HTML_RATE_LIMIT_PAGE = (
    "<!DOCTYPE html><html><head><title>Access denied | rate limited</title></head><body>"
    "<h1>Error 1015</h1><p>You are being rate limited.</p></body></html>"
)
HTML_CHALLENGE_PAGE = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>'
    "<noscript>Enable JavaScript and cookies to continue</noscript>"
    '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>'
    "</body></html>"
)
BLOCKED_URL = "https://static.pump.fun/blocked"


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 0
    # One number for every limit the simulator applies (each v3 group, and swap's rule unless
    # `swap_limit` is set); None = the real figures. Tests set 100_000 to switch limits off.
    rate_limit: int | None = None
    rate_limit_window: float = 60.0
    # v3's per-group limits when `rate_limit` is None.
    v3_limits: dict[str, int] = field(default_factory=lambda: dict(V3_GROUP_LIMITS))
    # swap's Cloudflare rule: requests per window per client (None: `rate_limit`, else 20) and
    # the block's length range in seconds.
    swap_limit: int | None = None
    swap_block: tuple[float, float] = SWAP_BLOCK
    # Identify clients by this header instead of their IP (benchmarks run contenders side by side).
    rate_limit_by_header: str | None = None
    admin_wallets: tuple[str, ...] = ()
    faults: FaultPlan | str | None = None
    # `POST /auth/login` and `/auth/login/token`: "open" signs in, "unrouted" answers 404
    # Cannot POST, "refused" 401 (the real cookie route's fate after 2026-09-25 is unknown).
    cookie_login: str = LOGIN_OPEN
    token_login: str = LOGIN_OPEN
    enable_admin: bool = True
    push_queue: int = 5000
    # Bookmarks answer; False makes every bookmark route unrouted ("Cannot GET"), as on a
    # service that dropped them (also switchable at run time: `POST /_sim/features`).
    bookmarks: bool = True
    # `/callout/list`'s burst rule (requests, within seconds, block seconds); on only with the
    # real limits (`rate_limit` None), like every other limit.
    callout_list_burst: tuple[int, float, float] | None = CALLOUT_LIST_BURST
    # The live chat at /socket.io/ (message lifetime, history cap, send interval, chatter).
    chat: livechat.ChatConfig = field(default_factory=livechat.ChatConfig)

    def group_limits(self) -> dict[str, int]:
        if self.rate_limit is not None:
            return dict.fromkeys(V3_GROUP_LIMITS | self.v3_limits, self.rate_limit)
        return {**V3_GROUP_LIMITS, **self.v3_limits}

    def callout_list_rule(self) -> tuple[int, float, float] | None:
        return self.callout_list_burst if self.rate_limit is None else None

    def swap_requests(self) -> int:
        if self.swap_limit is not None:
            return self.swap_limit
        return self.rate_limit if self.rate_limit is not None else SWAP_LIMIT


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    handler: Handler
    host: str  # "v3" | "swap" | "idx" | "pp"
    group: str | None = None  # v3 rate-limit group


@dataclass
class SimState:
    market: Market
    config: ServerConfig
    faults: FaultInjector
    v3_limits: GroupLimits
    swap_shield: CloudflareShield
    authority: Authority
    cache: dict[tuple[Any, ...], tuple[Any, bytes, str]] = field(default_factory=dict)
    sockets: set[PushConnection] = field(default_factory=set)
    boards: dict[str, trenches.Board] = field(
        default_factory=lambda: {name: trenches.Board(name) for name in trenches.BOARDS}
    )
    trench_sockets: set[TrenchesConnection] = field(default_factory=set)
    chat: livechat.SimChat | None = None  # set by build_app
    requests: int = 0
    users_by_uuid: people.UserIndex = field(default_factory=people.UserIndex)
    features: dict[str, bool] = field(default_factory=lambda: {"bookmarks": True})
    callout_list_guard: BurstBlock | None = None

    def advance(self) -> None:
        self.market.advance_to(self.market.clock.now())

    def refresh_board(self, name: str, *, force: bool = False) -> trenches.Board:
        """Bring a board up to date (at most once a market second unless `force`) and send
        the delta to its subscribers; HTTP and the socket share one version sequence."""
        board = self.boards[name]
        base = board.version
        patches = board.refresh(self.market, force=force)
        if patches and base:
            delta = {
                "type": "delta",
                "board": name,
                "baseVersion": base,
                "version": board.version,
                "serverTs": int(self.market.now * 1000),
                "patches": patches,
            }
            for conn in self.trench_sockets:
                if name in conn.boards:
                    conn.offer(delta)
        return board


STATE = web.AppKey("state", SimState)
ROUTE_INFO = web.AppKey("route_info", dict)
# Typed by annotation: a union is not a `type` to pass to the constructor.
SESSION: web.RequestKey[Session | None] = web.RequestKey("session")
VIEWER: web.RequestKey[str | None] = web.RequestKey("viewer")
SESSION_TOKEN: web.RequestKey[str | None] = web.RequestKey("session_token")


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


def json_response(
    request: web.Request,
    data: Any,
    status: int = 200,
    body: bytes | None = None,
    etag: str | None = None,
) -> web.Response:
    body = orjson.dumps(data) if body is None else body
    headers = {}
    if request.method == "GET" and status == 200:
        etag = etag or weak_etag(body)
        headers["ETag"] = etag
        if _etag_matches(request.headers.get("If-None-Match"), etag):
            return web.Response(status=304, headers=headers)
    return web.Response(status=status, body=body, content_type="application/json", headers=headers)


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


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        status=status,
        body=orjson.dumps(shapes.error(status, message)),
        content_type="application/json",
        headers=headers,
    )


def _int(
    request: web.Request, name: str, default: int, *, low: int = 0, high: int | None = None
) -> int:
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
        raise ApiError(404, f"Coin not found for mint: {mint}")
    return coin


def _session(request: web.Request, *, admin: bool = False) -> Session:
    session: Session | None = request.get(SESSION)
    if session is None:
        raise ApiError(401, "Unauthorized")
    if admin and not session.admin:
        raise ApiError(403, "Forbidden resource")
    return session


def feature(name: str) -> Callable[[Handler], Handler]:
    """A route of a feature the simulator can switch off (`POST /_sim/features`): while off it
    answers like a path with no handler, as the service does for a feature it dropped."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            if not request.app[STATE].features.get(name, True):
                raise web.HTTPNotFound()
            return await handler(request)

        return guarded

    return wrap


# -- middleware --------------------------------------------------------------------------


def _route_of(request: web.Request) -> tuple[str, str | None]:
    """(host, v3 group) of a request, by the route table; unknown paths by their prefix."""
    resource = request.match_info.route.resource
    if resource is not None:
        info: tuple[str, str | None] | None = request.app[ROUTE_INFO].get(
            (request.method, resource.canonical)
        )
        if info is not None:
            return info
    path = request.path
    if path.startswith(("/v1/", "/v2/")):
        return "swap", None
    if path.startswith(("/boards", "/ws/", "/in-memory-coin")):
        return "idx", None
    return "v3", "other"


def _client(request: web.Request, state: SimState) -> str:
    header = state.config.rate_limit_by_header
    return (request.headers.get(header) if header else None) or request.remote or "?"


def cloudflare_1015(retry_after: int) -> web.Response:
    """Cloudflare's rate-limit answer: plain text, no x-ratelimit-* headers."""
    return web.Response(
        status=429,
        text="error code: 1015",
        content_type="text/plain",
        headers={"server": "cloudflare", "retry-after": str(retry_after)},
    )


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    state: SimState = request.app[STATE]
    path = request.path
    if path.startswith("/_sim/"):
        if not state.config.enable_admin:
            return error_response(404, f"Cannot {request.method} {path}")
        state.advance()
        return await _guarded(request, handler)
    if path in ("/api/data", "/ws/trenches", "/socket.io/"):  # sockets: one long request each
        return await handler(request)
    state.requests += 1
    host, group = _route_of(request)
    client = _client(request, state)
    limit_headers: dict[str, str] = {}
    if host == "swap":
        shield = state.swap_shield.check(client)
        if not shield.allowed:
            return cloudflare_1015(shield.retry_after)
        limit_headers = {"x-ratelimit-limit": SWAP_ADVERTISED_LIMIT}
    elif host == "v3":
        verdict = state.v3_limits.check(group or "other", client)
        limit_headers = verdict.headers()
        if not verdict.allowed:
            return error_response(429, "ThrottlerException: Too Many Requests", limit_headers)
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
    # Not something the real service sends: it lets an app pointed here say "SIM" on screen.
    response.headers[SIMULATOR_HEADER] = "1"
    if faulty and isinstance(response, web.Response) and response.status in (200, 201):
        damage = state.faults.after()
        if damage == "malformed":
            body = response.body if isinstance(response.body, bytes) else b"{}"
            broken = body[: max(1, len(body) // 2)] + b'",,}{"'
            return web.Response(
                status=response.status,
                body=broken,
                content_type="application/json",
                headers=limit_headers,
            )
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


async def _fault_response(
    request: web.Request, state: SimState, fault: str, limit_headers: dict[str, str]
) -> web.StreamResponse:
    plan = state.faults.plan
    if fault == "rate_limit":
        headers = dict(limit_headers)
        headers["Retry-After"] = str(max(0, round(plan.retry_after)))
        headers["x-ratelimit-remaining"] = "0"
        if state.faults.rate_limit_page():
            return web.Response(
                status=429, text=HTML_RATE_LIMIT_PAGE, content_type="text/html", headers=headers
            )
        return error_response(429, "Too Many Requests", headers)
    if fault == "error":
        status = state.faults._rng.choice((500, 502, 503))
        return error_response(status, "Internal server error")
    if fault == "html":
        return web.Response(status=502, text=HTML_ERROR_PAGE, content_type="text/html")
    if fault == "challenge":
        # A disguised block: 200 and an HTML challenge where JSON was expected.
        return web.Response(
            status=200,
            text=HTML_CHALLENGE_PAGE,
            content_type="text/html",
            headers={"server": "cloudflare", "cf-mitigated": "challenge"},
        )
    if fault == "blocked":
        return web.Response(status=302, headers={"Location": BLOCKED_URL})
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
    stream = web.StreamResponse(
        status=response.status,
        headers={"Content-Type": "application/json", "Content-Length": str(len(body))},
    )
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    _abort(request)
    return stream


# -- v3: coins, holders, SOL price -------------------------------------------------------


async def list_coins(request: web.Request) -> web.Response:
    """`GET /coins`: limit silently clamped to 70; nothing past a depth of 1000."""
    state: SimState = request.app[STATE]
    market = state.market
    sort = request.query.get("sort", "created_timestamp")
    if sort not in SORT_KEYS:
        raise ApiError(400, f"sort must be one of the following values: {', '.join(SORT_KEYS)}")
    order = request.query.get("order", "DESC").upper()
    if order not in ("ASC", "DESC"):
        raise ApiError(400, "order must be one of the following values: ASC, DESC")
    offset = _int(request, "offset", 0)
    limit = _int(request, "limit", 50, low=1, high=COINS_PAGE_CAP)
    if offset + limit > COINS_DEPTH:
        return json_response(request, [])
    complete = request.query.get("complete")
    kwargs: dict[str, Any] = dict(
        sort=sort,
        order=order,
        offset=offset,
        limit=limit,
        include_nsfw=bool(_bool(request, "includeNsfw")),
        search=request.query.get("searchTerm") or None,
        creator=request.query.get("creator") or None,
        complete=None if complete in (None, "") else complete.lower() == "true",
    )
    return cached(
        request,
        market.version,
        lambda: [shapes.coin(market, c) for c in market.list_coins(**kwargs)],
    )


async def one_coin(request: web.Request) -> web.Response:
    """`GET /coins-v3/{mint}` (includeLiveStreamInfo accepted) and `GET /coins-v2/{mint}`."""
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    market = state.market
    return cached(request, (coin.version, market.sol_price), lambda: shapes.coin(market, coin))


async def bulk_coins(request: web.Request) -> web.Response:
    """`POST /coins-v2/mints`: 201, the known coins in the order asked, unknown ones missing."""
    state: SimState = request.app[STATE]
    mints = _mint_list(await _json_body(request), "mints")
    market = state.market
    found = [market.coins[m] for m in dict.fromkeys(mints) if m in market.coins]
    return json_response(request, [shapes.coin(market, c) for c in found], status=201)


async def great_coins(request: web.Request) -> web.Response:
    """Five "trending" coins: the biggest listed, SFW coins still on the curve."""
    market = request.app[STATE].market

    def build() -> list[dict[str, Any]]:
        live = [
            c for c in market.coins.values() if c.listed and not c.nsfw and not c.curve.complete
        ]
        live.sort(key=lambda c: (-c.curve.market_cap_sol, c.mint))
        return [shapes.coin(market, c) for c in live[:GREAT_COINS]]

    return cached(request, market.version, build)


async def top_holders(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    return cached(
        request, coin.version, lambda: shapes.top_holders(state.market, coin, TOP_HOLDERS)
    )


async def holder_stats(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    return cached(
        request, (coin.version, state.market.now), lambda: shapes.holder_stats(state.market, coin)
    )


async def holder_count(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _coin(state, request.match_info["mint"])
    return cached(request, coin.version, lambda: shapes.holder_count(coin))


async def sol_price(request: web.Request) -> web.Response:
    market = request.app[STATE].market
    stale = market.now - market.sol_price_at > SOL_PRICE_STALE_AFTER
    return cached(
        request,
        (market.sol_price, market.sol_price_at, stale),
        lambda: {
            "solPrice": market.sol_price,
            "asOfTimestamp": int(market.sol_price_at * 1000),
            "stale": stale,
        },
    )


async def gone_coin_word(request: web.Request) -> web.Response:
    """`/coins/latest`, `/coins/king-of-the-hill`: a handler takes the word for a mint."""
    word = request.path.rsplit("/", 1)[-1]
    raise ApiError(404, f"Coin not found for mint: {word}")


async def gone_trades_all(request: web.Request) -> web.Response:
    """`/trades/all/{mint}`: caught by `/trades/{chainId}/{address}`, which refuses the chain."""
    raise ApiError(400, "Invalid chainId: all")


@feature("bookmarks")
async def bookmarked_coins(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    list_id = request.match_info["bookmark_id"]
    if list_id != "default" and not _UUID.match(list_id):
        # The real service lets Postgres reject a malformed uuid, and answers 200.
        return json_response(
            request,
            {
                "code": "22P02",
                "message": f'invalid input syntax for type uuid: "{list_id}"',
                "severity": "ERROR",
            },
        )
    market = state.market
    lst = market.bookmark_list(session.address, list_id)
    include_nsfw = bool(_bool(request, "includeNsfw"))
    offset = _int(request, "offset", 0)
    limit = _int(request, "limit", 50, low=1, high=COINS_PAGE_CAP)
    coins = [market.coins[m] for m in lst.items if m in market.coins]
    coins = [c for c in coins if c.listed and (include_nsfw or not c.nsfw)]
    return json_response(request, [shapes.coin(market, c) for c in coins[offset : offset + limit]])


def _mint_list(body: dict[str, Any], key: str) -> list[Any]:
    items = body.get(key)
    if not isinstance(items, list) or not items:
        raise ApiError(400, f"{key} must be a non-empty array")
    if len(items) > BULK_CAP:
        raise ApiError(400, f"{key} must contain no more than {BULK_CAP} elements")
    if key == "mints" and not all(isinstance(m, str) for m in items):
        raise ApiError(400, "each mint must be a string")
    return items


# -- swap: trades, candles, activity, ATH ------------------------------------------------


def _swap_coin(state: SimState, mint: str) -> SimCoin | None:
    """The coin behind a swap path; an unparsable mint is a handler's 404, an unknown valid one
    is simply a coin with no trades (None)."""
    if not is_pubkey(mint):
        raise ApiError(404, f"Invalid mint address: {mint}")
    return state.market.coins.get(mint)


def _max(request: web.Request, name: str, default: int, high: int) -> int:
    value = _int(request, name, default, low=1)
    if value > high:
        raise ApiError(400, f"{name} must not be greater than {high}")
    return value


async def swap_trades(request: web.Request) -> web.Response:
    """`GET /v2/coins/{mint}/trades`: newest first, by exclusive cursor (see `swap`)."""
    state: SimState = request.app[STATE]
    mint = request.match_info["mint"]
    coin = _swap_coin(state, mint)
    limit = _max(request, "limit", 100, swap.TRADES_LIMIT_MAX)
    try:
        cursor = swap.parse_cursor(request.query.get("cursor"))
    except swap.CursorError as exc:
        raise ApiError(400, str(exc)) from None
    keep = _trade_filter(request)

    def build() -> dict[str, Any]:
        page: list[SimTrade]
        if coin is None:
            page, more = [], False
        else:
            page, more = swap.trades_page(coin, cursor, limit, keep)
        pagination: dict[str, Any] = {"hasMore": more, "limit": limit}
        if page:
            pagination = {"nextCursor": swap.cursor_of(page[-1]), **pagination}
        return {"trades": [swap.trade_record(t) for t in page], "pagination": pagination}

    return cached(request, coin.version if coin else state.market.version, build)


def _trade_filter(request: web.Request) -> Callable[[Any], bool] | None:
    """`minSolAmount` (SOL, an assumption: its unit is unconfirmed), `program`, `userAddress`."""
    tests: list[Callable[[Any], bool]] = []
    raw_min = request.query.get("minSolAmount")
    if raw_min not in (None, "", "0"):
        try:
            lamports = round(float(raw_min) * 1_000_000_000)
        except ValueError:
            raise ApiError(400, "minSolAmount must be a number") from None
        if lamports > 0:
            tests.append(lambda t: t.sol_amount >= lamports)
    program = request.query.get("program")
    if program:
        tests.append(lambda t: t.program == program)
    user = request.query.get("userAddress")
    if user:
        tests.append(lambda t: t.user == user)
    if not tests:
        return None
    return lambda t: all(test(t) for test in tests)


async def swap_candles(request: web.Request) -> web.Response:
    """`GET /v2/coins/{mint}/candles` and `/v1/...`: sparse, oldest first, newest-anchored."""
    state: SimState = request.app[STATE]
    coin = _swap_coin(state, request.match_info["mint"])
    interval = request.query.get("interval", "1m")
    seconds = swap.INTERVALS.get(interval)
    if seconds is None:
        raise ApiError(400, f"interval must be one of : {', '.join(swap.INTERVALS)}")
    limit = _max(request, "limit", 1000, swap.CANDLES_LIMIT_MAX)
    currency = request.query.get("currency", "USD").upper()
    if currency not in ("USD", "SOL"):
        raise ApiError(400, "currency must be one of : USD, SOL")
    if coin is None:
        return json_response(request, [])
    return cached(request, coin.version, lambda: swap.candles(coin, seconds, limit, currency))


async def market_activity(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    coin = _swap_coin(state, request.match_info["mint"])
    market = state.market
    if coin is None:
        return json_response(request, {k: dict(swap.EMPTY_WINDOW) for k in swap.ACTIVITY_DEFAULT})
    return cached(
        request, (coin.version, market.now), lambda: swap.market_activity(coin, market.now)
    )


async def market_activity_batch(request: web.Request) -> web.Response:
    """`{addresses:[1..50], intervals, metrics}` → `{mint: {interval: window | null}}`."""
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    addresses = body.get("addresses")
    if (
        not isinstance(addresses, list)
        or not addresses
        or not all(isinstance(a, str) for a in addresses)
    ):
        raise ApiError(400, "addresses must be a non-empty array of strings")
    if len(addresses) > 50:
        raise ApiError(400, "addresses must contain no more than 50 elements")
    intervals = body.get("intervals") or list(swap.ACTIVITY_DEFAULT)
    if not isinstance(intervals, list) or any(i not in swap.ACTIVITY_WINDOWS for i in intervals):
        raise ApiError(
            400, f"each value in intervals must be one of : {', '.join(swap.ACTIVITY_WINDOWS)}"
        )
    metrics = body.get("metrics")
    wanted = set(metrics) if isinstance(metrics, list) and metrics else None
    market = state.market
    out: dict[str, Any] = {}
    for mint in dict.fromkeys(addresses):
        coin = market.coins.get(mint)
        windows = (
            swap.market_activity(coin, market.now, intervals, empty_as_null=True)
            if coin is not None
            else dict.fromkeys(intervals)
        )
        if wanted is not None:
            windows = {
                k: None if w is None else {m: v for m, v in w.items() if m in wanted}
                for k, w in windows.items()
            }
        out[mint] = windows
    return json_response(request, out, status=201)


async def ath(request: web.Request) -> web.Response:
    """`{"athMarketCap": USD}`: the highest market cap any trade left, at that trade's SOL price."""
    state: SimState = request.app[STATE]
    coin = _swap_coin(state, request.match_info["mint"])
    return json_response(request, {"athMarketCap": coin.ath_usd if coin else None})


# -- idx: boards -------------------------------------------------------------------------


async def board_http(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    name = request.match_info["board"]
    if name not in state.boards:
        raise ApiError(404, f"Unknown board: {name}")
    offset = _int(request, "offset", 0)
    limit = _int(request, "limit", trenches.BOARD_SIZE, low=1, high=trenches.BOARD_SIZE)
    board = state.refresh_board(name)
    return json_response(request, {"entries": board.entries[offset : offset + limit]})


# -- social ------------------------------------------------------------------------------
#
# The 2025 social routes are gone from the service (`/replies/{mint}`, `POST /replies`,
# `/likes/{id}`, `POST/DELETE /following/{wallet}`, reference §4): they are not in the table, so
# they answer "Cannot GET" like any unrouted path. Their successors are below (callouts, users,
# follows by UUID).


async def followers(request: web.Request) -> web.Response:
    """`/following/followers/{id}` (a wallet or a UUID): at most 1000 rows, newest first."""
    state: SimState = request.app[STATE]
    market = state.market
    wallet = state.users_by_uuid.resolve(market, request.match_info["address"]) or ""
    rows = market.followers(wallet)[: people.FOLLOWERS_CAP] if wallet else []
    return json_response(request, [people.follow_entry(market, u, at) for u, at in rows])


@feature("bookmarks")
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
    return json_response(
        request,
        [shapes.bookmark_list(session.address, b) for b in market.bookmark_lists(session.address)],
    )


@feature("bookmarks")
async def delete_bookmark(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    session = _session(request)
    state.market.delete_bookmark_list(session.address, request.match_info["bookmark_id"])
    return json_response(request, {"success": True})


@feature("bookmarks")
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


# -- v3: users, follows by UUID, callouts (2026, reference §3.7) -------------------------


def _wallet_param(request: web.Request) -> str:
    wallet = request.match_info["wallet"]
    if not is_pubkey(wallet):
        raise ApiError(400, f"Invalid wallet address: {wallet}")
    return wallet


async def user_profile(request: web.Request) -> web.Response:
    """`GET /users/{wallet}` → the profile with its UUID. A wallet the service has never seen is
    a handler's 404 "User not found" (the real answer for it is unverified)."""
    market = request.app[STATE].market
    wallet = _wallet_param(request)
    user = people.known_user(market, wallet)
    if user is None:
        raise ApiError(404, f"User not found: {wallet}")
    return json_response(request, people.profile(market, user))


async def users_batch(request: web.Request) -> web.Response:
    """`POST /users/batch {addresses:[≤50]}` → 201, the known users' profiles, in the order
    asked; unknown wallets are left out (like unknown mints of the coin batch)."""
    market = request.app[STATE].market
    addresses = (await _json_body(request)).get("addresses")
    if (
        not isinstance(addresses, list)
        or not addresses
        or not all(isinstance(a, str) for a in addresses)
    ):
        raise ApiError(400, "addresses must be a non-empty array of strings")
    if len(addresses) > USERS_BATCH_CAP:
        raise ApiError(400, f"addresses must contain no more than {USERS_BATCH_CAP} elements")
    found = [people.known_user(market, a) for a in dict.fromkeys(addresses) if is_pubkey(a)]
    return json_response(
        request, [people.profile(market, u) for u in found if u is not None], status=201
    )


def _followed_wallet(state: SimState, user_id: str) -> str:
    """The wallet of a follow target given by UUID: a wallet is refused (the real route takes
    UUIDs), an unknown UUID is a handler's 404."""
    if not people.is_uuid(user_id):
        raise ApiError(400, f"Invalid user id (a UUID is expected): {user_id}")
    wallet = state.users_by_uuid.wallet(state.market, user_id)
    if wallet is None:
        raise ApiError(404, f"User not found: {user_id}")
    return wallet


async def follow_uuid(request: web.Request) -> web.Response:
    """`POST /following/v2/{uuid}` follows; `DELETE` unfollows (that route is LOW confidence:
    no evidence of any unfollow route, reference §3.7). No captcha (unverified, §6.9)."""
    state: SimState = request.app[STATE]
    session = _session(request)
    user_id = request.match_info["uuid"]
    wallet = _followed_wallet(state, user_id)
    state.market.ensure_user(session.address)
    if request.method == "POST":
        state.market.follow(session.address, wallet)
        return json_response(request, {"success": True, "following": user_id}, status=201)
    state.market.unfollow(session.address, wallet)
    return json_response(request, {"success": True})


async def following_list(request: web.Request) -> web.Response:
    """`GET /following/v3/following/{uuid}?limit=` (default 20, at most 100): whom the user
    follows, newest follow first (the row shape is the simulator's: unverified)."""
    state: SimState = request.app[STATE]
    wallet = _followed_wallet(state, request.match_info["uuid"])
    limit = _int(request, "limit", 20, low=1, high=100)
    market = state.market
    return json_response(
        request,
        [people.follow_entry(market, u, at) for u, at in people.following(market, wallet)[:limit]],
    )


async def follow_count(request: web.Request) -> web.Response:
    """`GET /following/v3/{followers|following}/count/{id}` (a UUID or a wallet) → {count}."""
    state: SimState = request.app[STATE]
    which = request.match_info["which"]
    if which not in ("followers", "following"):
        raise web.HTTPNotFound()
    market = state.market
    wallet = state.users_by_uuid.resolve(market, request.match_info["ident"])
    if wallet is None:
        raise ApiError(404, f"User not found: {request.match_info['ident']}")
    count = (
        market.follower_count(wallet)
        if which == "followers"
        else len(market.follows.get(wallet, {}))
    )
    return json_response(request, {"count": count})


async def callout_top(request: web.Request) -> web.Response:
    """`GET /callout/top/{mint}` (anonymous) → {callouts}: best multiple first, at most 50. An
    unknown coin has none."""
    state: SimState = request.app[STATE]
    mint = request.match_info["mint"]
    if not is_pubkey(mint):
        raise ApiError(400, f"Invalid coin mint: {mint}")
    market = state.market
    viewer = request.get(VIEWER)
    return json_response(
        request,
        {"callouts": [callouts.callout_json(market, c, viewer) for c in market.callouts.top(mint)]},
    )


async def callout_list(request: web.Request) -> web.Response:
    """`GET /callout/list/{uuid|wallet}?sortBy=TIMESTAMP&sortOrder=DESC&limit&pageToken`: one
    user's callouts. `pageToken` is a page number from 1; the answer's `nextPageToken` is the
    next one, null on the last page (both shapes unverified). A burst of requests blocks the
    client here for 30 minutes (reference §2)."""
    state: SimState = request.app[STATE]
    guard = state.callout_list_guard
    if guard is not None:
        verdict = guard.check(_client(request, state))
        if not verdict.allowed:
            return error_response(
                429,
                "ThrottlerException: Too Many Requests",
                {"Retry-After": str(verdict.retry_after)},
            )
    market = state.market
    wallet = state.users_by_uuid.resolve(market, request.match_info["ident"])
    if wallet is None:
        raise ApiError(404, f"User not found: {request.match_info['ident']}")
    if request.query.get("sortBy", "TIMESTAMP") != "TIMESTAMP":
        raise ApiError(400, "sortBy must be one of the following values: TIMESTAMP")
    order = request.query.get("sortOrder", "DESC").upper()
    if order not in ("ASC", "DESC"):
        raise ApiError(400, "sortOrder must be one of the following values: ASC, DESC")
    limit = _int(request, "limit", callouts.LIST_PAGE_DEFAULT, low=1, high=callouts.LIST_PAGE_MAX)
    page = _int(request, "pageToken", 1, low=1)
    mine = market.callouts.of_author(wallet, newest_first=order == "DESC")
    shown = mine[(page - 1) * limit : page * limit]
    more = page * limit < len(mine)
    viewer = request.get(VIEWER)
    return json_response(
        request,
        {
            "callouts": [callouts.callout_json(market, c, viewer) for c in shown],
            "nextPageToken": str(page + 1) if more else None,
        },
    )


async def callout_eligibility(request: web.Request) -> web.Response:
    """`GET /callout/eligibility/{mint}` (session): eligible iff the wallet holds the coin."""
    state: SimState = request.app[STATE]
    session = _session(request)
    coin = _coin(state, request.match_info["mint"])
    eligible = state.market.callouts.eligible(session.address, coin.mint)
    return json_response(request, callouts.eligibility_json(eligible))


def _too_fast(exc: callouts.TooFast) -> web.Response:
    return error_response(429, exc.message, {"Retry-After": str(exc.retry_after)})


async def callout_create(request: web.Request) -> web.Response:
    """`POST /callout/create {coinMint, thesis, version:2}` (session) → 201 {callout:
    {calloutId}}. A wallet that does not hold the coin is refused (403); a second post within
    a minute is 429 "You're replying too fast"."""
    state: SimState = request.app[STATE]
    session = _session(request)
    body = await _json_body(request)
    mint, thesis = body.get("coinMint"), body.get("thesis")
    if not isinstance(mint, str) or not isinstance(thesis, str):
        raise ApiError(400, "coinMint and thesis are required")
    if body.get("version") != 2:
        raise ApiError(400, "version must be 2")
    try:
        made = state.market.callouts.create(session.address, mint, thesis)
    except callouts.TooFast as exc:
        return _too_fast(exc)
    return json_response(request, {"callout": {"calloutId": made.id}}, status=201)


async def callout_reply(request: web.Request) -> web.Response:
    """`POST /callout/{id}/replies {content}` (session) → 201 {replyId, createdAt, mediaUrl,
    rootMessageId}; the one-post-a-minute pace is shared with posting callouts."""
    state: SimState = request.app[STATE]
    session = _session(request)
    content = (await _json_body(request)).get("content")
    if not isinstance(content, str):
        raise ApiError(400, "content is required")
    try:
        reply = state.market.callouts.reply(
            session.address, request.match_info["callout_id"], content
        )
    except callouts.TooFast as exc:
        return _too_fast(exc)
    return json_response(request, callouts.reply_json(state.market, reply), status=201)


async def callout_replies(request: web.Request) -> web.Response:
    """`GET /callout/{id}/replies?limit=`: oldest first. The simulator's own, so that replies
    can be shown: no such read route has been seen on the service (unverified)."""
    state: SimState = request.app[STATE]
    found = state.market.callouts.callout(request.match_info["callout_id"])
    limit = _int(request, "limit", 50, low=1, high=100)
    return json_response(
        request, {"replies": [callouts.reply_json(state.market, r) for r in found.replies[-limit:]]}
    )


async def callout_like(request: web.Request) -> web.Response:
    """`POST /callout/{id}/like` (session): idempotent; there is no unlike route. The answer's
    shape is the simulator's (unverified)."""
    state: SimState = request.app[STATE]
    session = _session(request)
    liked = state.market.callouts.like(session.address, request.match_info["callout_id"])
    return json_response(
        request, {"success": True, "calloutId": liked.id, "likeCount": len(liked.likes)}, status=201
    )


# -- moderation --------------------------------------------------------------------------


async def moderate(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    _session(request, admin=True)
    body = await _json_body(request)
    kind = request.path.rsplit("-", 1)[-1]  # nsfw | hidden | ban
    action: Literal["nsfw", "hide", "ban"]
    if kind == "nsfw":
        items = _mint_list(body, "mints")
        action = "nsfw"
    else:
        items = _mint_list(body, "ids")
        action = "hide" if kind == "hidden" else "ban"
        if action == "ban" and not isinstance(body.get("reason"), str):
            raise ApiError(400, "reason is required")
    updated, missing = state.market.moderate(action, items)
    return json_response(request, {"updated": updated, "notFound": missing}, status=201)


def _login_switch(request: web.Request, mode: str) -> None:
    """A login route switched off answers as if it had no handler; one set to refuse, 401."""
    if mode == LOGIN_UNROUTED:
        raise ApiError(404, f"Cannot {request.method} {request.path}")
    if mode == LOGIN_REFUSED:
        raise ApiError(401, "Wallet sign-in is not accepted here")


async def login(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    _login_switch(request, state.config.cookie_login)
    body = await _json_body(request)
    token = state.authority.verify_login(
        body.get("address"), body.get("signature"), body.get("timestamp")
    )
    user = state.market.ensure_user(str(body["address"]))
    response = json_response(request, shapes.profile(state.market, user), status=201)
    response.set_cookie(
        "auth_token",
        token,
        httponly=True,
        samesite="Lax",
        path="/",
        max_age=30 * 24 * 3600,
        secure=request.secure,
    )
    return response


async def login_token(request: web.Request) -> web.Response:
    """The bearer-token login: `/auth/login`'s signed body plus `authType: "non_custodial"` →
    `{access_token}` in the body, no cookie. Without that authType: 400 (our choice; what the
    real service does then is unverified)."""
    state: SimState = request.app[STATE]
    _login_switch(request, state.config.token_login)
    body = await _json_body(request)
    if body.get("authType") != TOKEN_LOGIN_AUTH_TYPE:
        raise ApiError(400, f"authType must be {TOKEN_LOGIN_AUTH_TYPE}")
    token = state.authority.verify_login(
        body.get("address"), body.get("signature"), body.get("timestamp")
    )
    state.market.ensure_user(str(body["address"]))
    return json_response(request, {"access_token": token}, status=201)


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


# -- push (PumpPortal /api/data) ---------------------------------------------------------


class SocketConnection:
    """One client socket with a bounded outbox: a client that reads too slowly loses messages
    (counted), as a real server drops them, instead of growing the simulator's memory."""

    def __init__(self, ws: web.WebSocketResponse, size: int) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(size)
        self.dropped = 0

    def offer(self, message: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(orjson.dumps(message))
        except asyncio.QueueFull:
            self.dropped += 1


class PushConnection(SocketConnection):
    def __init__(self, ws: web.WebSocketResponse, has_key: bool, size: int) -> None:
        super().__init__(ws, size)
        self.has_key = has_key
        self.new_tokens = False
        self.migrations = False
        self.mints: set[str] = set()
        self.accounts: set[str] = set()


def push_listener(state: SimState) -> Callable[[str, Any], None]:
    def on_event(kind: str, payload: Any) -> None:
        if not state.sockets:
            return
        message = None
        if kind == "coin":
            for conn in state.sockets:
                if conn.new_tokens:
                    message = message or shapes.push_create(state.market, payload)
                    conn.offer(message)
        elif kind == "migrate":
            for conn in state.sockets:
                if conn.migrations:
                    message = message or shapes.push_migrate(payload)
                    conn.offer(message)
        elif kind == "trade":
            for conn in state.sockets:
                if payload.mint in conn.mints or payload.user in conn.accounts:
                    message = message or shapes.push_trade(state.market, payload)
                    conn.offer(message)

    return on_event


async def push_socket(request: web.Request) -> web.StreamResponse:
    state: SimState = request.app[STATE]
    ws = web.WebSocketResponse(heartbeat=20)
    await ws.prepare(request)
    conn = PushConnection(ws, bool(request.query.get("api-key")), state.config.push_queue)
    state.sockets.add(conn)
    writer = asyncio.create_task(_socket_writer(ws, conn.queue))
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


KEY_REQUIRED = (
    "This method requires an API key (?api-key=...) since 2026-05-01: "
    "https://pumpportal.fun/data-api/real-time"
)


def _push_command(conn: PushConnection, raw: str) -> dict[str, Any]:
    """Free: new tokens and migrations. Keyed: token and account trades (without a key, an
    error and no subscription)."""
    try:
        command = orjson.loads(raw)
        method = command["method"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return {"errors": 'Invalid message: expected {"method": ...}'}
    keys = [k for k in command.get("keys", []) if isinstance(k, str)]
    if method == "subscribeNewToken":
        conn.new_tokens = True
        return {"message": "Successfully subscribed to token creation events."}
    if method == "unsubscribeNewToken":
        conn.new_tokens = False
        return {"message": "Unsubscribed from token creation events."}
    if method == "subscribeMigration":
        conn.migrations = True
        return {"message": "Successfully subscribed to token migration events."}
    if method == "unsubscribeMigration":
        conn.migrations = False
        return {"message": "Unsubscribed from token migration events."}
    if method in ("subscribeTokenTrade", "subscribeAccountTrade"):
        if not conn.has_key:
            return {"errors": KEY_REQUIRED}
        (conn.mints if method == "subscribeTokenTrade" else conn.accounts).update(keys)
        return {"message": "Successfully subscribed to keys."}
    if method in ("unsubscribeTokenTrade", "unsubscribeAccountTrade"):
        (conn.mints if method == "unsubscribeTokenTrade" else conn.accounts).difference_update(keys)
        return {"message": "Unsubscribed from keys."}
    return {"errors": f"Unknown method {method!r}"}


async def _socket_writer(ws: web.WebSocketResponse, queue: asyncio.Queue[bytes]) -> None:
    with contextlib.suppress(ConnectionError, asyncio.CancelledError, RuntimeError):
        while True:
            data = await queue.get()
            # `send_bytes` would make a binary frame; both services send text.
            await ws.send_str(data.decode())


# -- idx: trenches socket ----------------------------------------------------------------


class TrenchesConnection(SocketConnection):
    def __init__(self, ws: web.WebSocketResponse, size: int) -> None:
        super().__init__(ws, size)
        self.boards: set[str] = set()


async def trenches_socket(request: web.Request) -> web.StreamResponse:
    """`/ws/trenches`: `{"event":"subscribe","data":{"board":…}}` → a snapshot, then a delta
    about once a second of market time while the board changes."""
    state: SimState = request.app[STATE]
    ws = web.WebSocketResponse(heartbeat=20)
    await ws.prepare(request)
    conn = TrenchesConnection(ws, state.config.push_queue)
    state.trench_sockets.add(conn)
    writer = asyncio.create_task(_socket_writer(ws, conn.queue))
    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            reply = _trenches_command(state, conn, msg.data)
            if reply is not None:
                conn.offer(reply)
    finally:
        state.trench_sockets.discard(conn)
        writer.cancel()
    return ws


def _trenches_command(state: SimState, conn: TrenchesConnection, raw: str) -> dict[str, Any] | None:
    try:
        command = orjson.loads(raw)
        event, board = command["event"], command["data"]["board"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return {"type": "error", "message": 'expected {"event":"subscribe","data":{"board":…}}'}
    if board not in state.boards:
        return {"type": "error", "message": f"unknown board: {board}"}
    if event == "unsubscribe":
        conn.boards.discard(board)
        return None
    if event != "subscribe":
        return {"type": "error", "message": f"unknown event: {event}"}
    state.advance()
    current = state.refresh_board(board, force=state.boards[board].version == 0)
    conn.boards.add(board)
    return current.snapshot(state.market)


# -- admin (/_sim/) ----------------------------------------------------------------------


async def sim_state(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    snap = state.market.snapshot()
    snap.update(
        simulator=True,
        faults=state.faults.plan.to_dict(),
        requests=state.requests,
        clock=state.market.clock.mode,
        speed=state.market.clock.speed,
    )
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
    names = {
        "launches_per_minute": ("launch", 1 / 60),
        "trades_per_second": ("trade", 1.0),
        "hot_trades_per_second": ("hot", 1.0),
        "replies_per_minute": ("reply", 1 / 60),
        "follows_per_minute": ("follow", 1 / 60),
    }
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


async def sim_create_coin(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    coin = state.market.create_coin(
        name=str(body.get("name", "Test Coin")),
        symbol=str(body.get("symbol", "TEST")),
        description=str(body.get("description", "")),
        creator=body.get("creator"),
        base_attention=float(body.get("attention", 1.0)),
    )
    return web.json_response({"mint": coin.mint})


async def sim_callout(request: web.Request) -> web.Response:
    """Post a callout as any wallet (a random holder's when none is given), past the holder
    rule and the pace: `{mint, user?, thesis?}` → {calloutId}."""
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    coin = _coin(state, str(body.get("mint")))
    author = body.get("user") or coin.holders.choice(state.market.callouts.rng) or coin.creator
    made = state.market.callouts.create(
        str(author), coin.mint, str(body.get("thesis") or "a call from the admin"), vetted=False
    )
    return web.json_response({"calloutId": made.id})


async def sim_buy(request: web.Request) -> web.Response:
    """A buy by a chosen wallet (so that it holds the coin): `{mint, user, sol}`."""
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    coin = _coin(state, str(body.get("mint")))
    lamports = round(float(body.get("sol", 0.1)) * 1_000_000_000)
    trade = state.market.buy_as(coin, str(body.get("user")), lamports)
    return web.json_response({"signature": trade.signature})


async def sim_sell(request: web.Request) -> web.Response:
    """A sell by a chosen wallet of a share of what it holds: `{mint, user, fraction}` (1 = all;
    `user` defaults to the coin's creator: the dev selling)."""
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    coin = _coin(state, str(body.get("mint")))
    user = str(body.get("user") or coin.creator)
    trade = state.market.sell_as(coin, user, float(body.get("fraction", 1.0)))
    return web.json_response({"signature": trade.signature})


async def sim_features(request: web.Request) -> web.Response:
    """`{"bookmarks": false}` makes the bookmark routes unrouted; GET shows what is on."""
    state: SimState = request.app[STATE]
    if request.method == "POST":
        for name, on in (await _json_body(request)).items():
            if name not in state.features:
                raise ApiError(400, f"unknown feature {name!r}")
            state.features[name] = bool(on)
    return web.json_response(state.features)


async def sim_token(request: web.Request) -> web.Response:
    state: SimState = request.app[STATE]
    body = await _json_body(request)
    return web.json_response(
        {"token": state.authority.issue(str(body["address"]), float(body.get("lifetime", 3600)))}
    )


# -- the route table ---------------------------------------------------------------------

V3, SWAP, IDX, PP = "v3", "swap", "idx", "pp"

ROUTES: tuple[Route, ...] = (
    # v3 (frontend-api-v3): coins, holders, SOL price
    Route("GET", "/coins", list_coins, V3, "coins"),
    Route("GET", "/coins/great-coins", great_coins, V3, "great-coins"),
    Route("GET", "/coins/top-holders-v2/{mint}", top_holders, V3, "holders"),
    Route("GET", "/coins/holder-stats/{mint}", holder_stats, V3, "holders"),
    Route("GET", "/coins/bookmarks/{bookmark_id}", bookmarked_coins, V3, "coins"),
    Route("GET", "/coins-v3/{mint}", one_coin, V3, "coins"),
    Route("GET", "/coins-v2/{mint}", one_coin, V3, "coins"),
    Route("POST", "/coins-v2/mints", bulk_coins, V3, "coins-v2-mints"),
    Route("GET", "/token-holders/{mint}/count", holder_count, V3, "holders"),
    Route("GET", "/sol-price", sol_price, V3, "sol-price"),
    # v3: 2025 routes that a handler still catches (every other dead one is "Cannot GET")
    Route("GET", "/coins/latest", gone_coin_word, V3, "coins"),
    Route("GET", "/coins/king-of-the-hill", gone_coin_word, V3, "coins"),
    Route("GET", "/trades/all/{mint}", gone_trades_all, V3, "other"),
    # v3: users, follows by UUID, callouts (the 2025 reply, like and follow routes are gone)
    Route("GET", "/users/{wallet}", user_profile, V3, "users"),
    Route("POST", "/users/batch", users_batch, V3, "users"),
    Route("GET", "/following/followers/{address}", followers, V3, "social"),
    Route("POST", "/following/v2/{uuid}", follow_uuid, V3, "social"),
    Route("DELETE", "/following/v2/{uuid}", follow_uuid, V3, "social"),
    Route("GET", "/following/v3/following/{uuid}", following_list, V3, "social"),
    Route("GET", "/following/v3/{which}/count/{ident}", follow_count, V3, "follow-counts"),
    Route("GET", "/callout/top/{mint}", callout_top, V3, "callout-top"),
    Route("GET", "/callout/list/{ident}", callout_list, V3, "callout-list"),
    Route("GET", "/callout/eligibility/{mint}", callout_eligibility, V3, "social"),
    Route("POST", "/callout/create", callout_create, V3, "social"),
    Route("POST", "/callout/{callout_id}/replies", callout_reply, V3, "social"),
    Route("GET", "/callout/{callout_id}/replies", callout_replies, V3, "social"),
    Route("POST", "/callout/{callout_id}/like", callout_like, V3, "social"),
    # v3: account routes, bookmarks (switchable), moderation
    Route("GET", "/bookmarks", bookmarks, V3, "social"),
    Route("POST", "/bookmarks", bookmarks, V3, "social"),
    Route("POST", "/bookmarks/items/add", bookmark_items, V3, "social"),
    Route("POST", "/bookmarks/items/remove", bookmark_items, V3, "social"),
    Route("DELETE", "/bookmarks/{bookmark_id}", delete_bookmark, V3, "social"),
    Route("POST", "/moderation/bulk-nsfw", moderate, V3, "social"),
    Route("POST", "/moderation/bulk-hidden", moderate, V3, "social"),
    Route("POST", "/moderation/bulk-ban", moderate, V3, "social"),
    Route("POST", "/auth/login", login, V3, "social"),
    Route("POST", "/auth/login/token", login_token, V3, "social"),
    Route("GET", "/auth/my-profile", my_profile, V3, "social"),
    Route("GET", "/auth/is-admin", is_admin, V3, "social"),
    Route("POST", "/auth/logout", logout, V3, "social"),
    # swap (swap-api): one Cloudflare rule over all of these
    Route("GET", "/v2/coins/{mint}/trades", swap_trades, SWAP),
    Route("GET", "/v2/coins/{mint}/candles", swap_candles, SWAP),
    Route("GET", "/v1/coins/{mint}/candles", swap_candles, SWAP),
    Route("GET", "/v1/coins/{mint}/market-activity", market_activity, SWAP),
    Route("POST", "/v1/coins/market-activity/batch", market_activity_batch, SWAP),
    Route("GET", "/v1/coins/{mint}/ath", ath, SWAP),
    # idx (advanced-indexer)
    Route("GET", "/boards/{board}", board_http, IDX),
    Route("GET", "/ws/trenches", trenches_socket, IDX),
    # PumpPortal
    Route("GET", "/api/data", push_socket, PP),
)

ADMIN_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/_sim/state", sim_state),
    ("POST", "/_sim/advance", sim_advance),
    ("POST", "/_sim/faults", sim_faults),
    ("DELETE", "/_sim/faults", sim_faults),
    ("POST", "/_sim/rates", sim_rates),
    ("POST", "/_sim/burst", sim_burst),
    ("POST", "/_sim/coins", sim_create_coin),
    ("POST", "/_sim/callouts", sim_callout),
    ("POST", "/_sim/buy", sim_buy),
    ("POST", "/_sim/sell", sim_sell),
    ("GET", "/_sim/features", sim_features),
    ("POST", "/_sim/features", sim_features),
    ("POST", "/_sim/token", sim_token),
    # the live chat (pumptui.sim.chat); the fixed paths before /_sim/chat/{mint}
    ("GET", "/_sim/chat", livechat.admin_stats),
    ("POST", "/_sim/chat/drop", livechat.admin_drop),
    ("POST", "/_sim/chat/refuse", livechat.admin_refuse),
    ("POST", "/_sim/chat/{mint}", livechat.admin_post),
)


def build_app(state: SimState) -> web.Application:
    app = web.Application(middlewares=[gate], client_max_size=2 * 1024 * 1024)
    app[STATE] = state
    info: dict[tuple[str, str], tuple[str, str | None]] = {}
    app[ROUTE_INFO] = info
    state.market.listeners.append(push_listener(state))
    for route in ROUTES:
        resource = app.router.add_resource(route.path)
        resource.add_route(route.method, route.handler)
        info[(route.method, resource.canonical)] = (route.host, route.group)
    for method, path, handler in ADMIN_ROUTES:
        app.router.add_route(method, path, handler)
    state.chat = livechat.SimChat(state.market, state.authority, state.config.chat, state.advance)
    state.chat.attach(app)  # Socket.IO at /socket.io/, on this same port
    return app


def make_state(market: Market, config: ServerConfig) -> SimState:
    if not {config.cookie_login, config.token_login} <= set(LOGIN_MODES):
        raise ValueError(f"cookie_login and token_login are each one of {', '.join(LOGIN_MODES)}")
    faults = config.faults
    plan = FaultPlan.parse(faults) if isinstance(faults, str) else (faults or FaultPlan())
    seed = market.config.seed
    return SimState(
        market=market,
        config=config,
        faults=FaultInjector(plan, seed=seed),
        v3_limits=GroupLimits(config.group_limits(), config.rate_limit_window),
        swap_shield=CloudflareShield(
            config.swap_requests(), config.rate_limit_window, config.swap_block, seed
        ),
        authority=Authority(config.admin_wallets),
        features={"bookmarks": config.bookmarks},
        callout_list_guard=BurstBlock(*rule) if (rule := config.callout_list_rule()) else None,
    )


async def run_ticker(state: SimState, stop: asyncio.Event) -> None:
    """Keep a real-time market moving (and pushing), and the subscribed boards' deltas flowing
    once a market second (a manual clock's too, as soon as it is advanced)."""
    market = state.market
    while not stop.is_set():
        wait = min(0.05, market.clock.real_seconds_until(market.next_event_time()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(0.005, wait))
        if market.clock.mode == "real":
            state.advance()
        if state.trench_sockets:
            subscribed = set().union(*(c.boards for c in state.trench_sockets))
            for name in sorted(subscribed):
                state.refresh_board(name)


__all__ = [
    "ROUTES",
    "Route",
    "ServerConfig",
    "SimState",
    "build_app",
    "make_state",
    "run_ticker",
    "weak_etag",
]
