"""`PumpClient`: the one way pumptui talks to a Pump.fun-compatible server (three hosts in 2026).

What a caller can rely on:
- one long-lived `httpx.AsyncClient` (pooled connections, explicit timeouts and limits);
- every request first takes a token from its bucket in the process-wide `HostBudgets` (swap as
  a whole, each v3 route group, the indexer), with a priority;
- a block of a host — any 429 on swap (Cloudflare's `error code: 1015`), an HTML page where JSON
  was due, a redirect to `/blocked`, a 403/503 challenge page — stops EVERY request to that host
  until max(Retry-After, `BlockPolicy.minimum`) + jitter has passed: nothing is sent meanwhile;
  a caller waits, or with `fail_fast=True` gets `Blocked` at once with the time left;
- a view served by more than one route (a coin: coins-v3, then coins-v2; candles: swap v2, then
  v1; search) switches to the next route for the rest of the session when the server says it
  has no handler ("Cannot GET"), says so once (`moved_routes`, `on_route_moved`) and never
  calls the dead route again; a handler's 404 ("Coin not found") is `NotFound`, not a move;
- 408, 413, 429, 5xx, timeouts, dropped connections and unusable bodies are retried with
  exponential backoff and full jitter (honouring `Retry-After`, never inside a block), but a
  POST only when repeating it is safe;
- every failure is one of the typed errors in `pumptui.api.errors`, with a short, safe message;
- conditional GETs: ETags are remembered per URL; a 304 comes back as "unchanged" unparsed;
- the token goes out as the `auth_token` cookie and a Bearer header, only over https or to a
  loopback host, and never appears in a repr, a log line or an error message.

Paths and JSON shapes live in `routes`; this module only moves bytes and maps failures.
"""

from __future__ import annotations

import dataclasses
import email.utils
import functools
import ipaddress
import logging
import random
import ssl
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import orjson

from pumptui import __version__
from pumptui.api import routes
from pumptui.api.budget import Clock, HostBudgets, Priority, RequestBudget, shared_budgets
from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    BadResponse,
    Blocked,
    ClientError,
    ConnectionFailed,
    Forbidden,
    InsecureTransport,
    LoginRefused,
    NotAvailable,
    NotEligible,
    NotFound,
    PostingTooFast,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from pumptui.api.httpx_import import httpx
from pumptui.api.models import (
    BoardEntry,
    BookmarkList,
    Callout,
    CalloutEligibility,
    CalloutPage,
    CalloutReply,
    Candle,
    Coin,
    FollowCounts,
    HolderStats,
    MarketActivity,
    ModelError,
    SolPrice,
    TopHolder,
    Trade,
    TradePage,
    User,
    UserProfile,
    parse_list,
)
from pumptui.api.routes import Host, Route
from pumptui.api.sanitize import TEXT_LIMIT, clean_text
from pumptui.config import SITE_URL, ApiSettings
from pumptui.secret import Secret
from pumptui.session import Session

log = logging.getLogger("pumptui.api")

T = TypeVar("T")
USER_AGENT = f"pumptui/{__version__}"
ETAG_MEMORY = 2048
UUID_MEMORY = 4096
# Seconds a post waits after "You're replying too fast" when the service gives no Retry-After.
POST_INTERVAL = 60.0
EXCERPT_LIMIT = 120


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of a list. `unchanged` means a 304: `items` is empty and the caller keeps what
    it had. `skipped` counts records that could not be used (one bad record never fails a page)."""

    items: list[T]
    skipped: int = 0
    unchanged: bool = False
    has_more: bool | None = None
    next_offset: int | None = None
    # Seconds the server took to answer (from sending to the body read), without any time spent
    # waiting for the request budget or a block: what adaptive batch sizes must judge by.
    latency: float | None = None


@dataclass(frozen=True, slots=True)
class ClientStats:
    requests: int
    requests_last_minute: int
    bytes_in: int
    last_status: int | None
    rate_limited_until: float | None  # Unix seconds, None when not held back (pause or block)
    retries: int = 0
    not_modified: int = 0


@dataclass(frozen=True, slots=True)
class ModerationResult:
    """What one moderation request changed. When the server only says "success" (`complete` is
    False), every item sent counts as done."""

    updated: list[str]
    not_found: list[str]
    complete: bool


@dataclass(slots=True)
class _Answer:
    status: int
    payload: Any
    headers: httpx.Headers
    unchanged: bool = False
    latency: float | None = None


class _NoCookies(DefaultCookiePolicy):
    """The client never keeps cookies: the token is sent explicitly, only where allowed."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


@dataclass(slots=True)
class BlockPolicy:
    """How long a blocked host is left alone: max(Retry-After, `minimum`) + uniform(0, `jitter`)
    seconds. Swap's Cloudflare block lasts 35–60 s and every request during it extends it, so
    the default waits a full minute and a little more. Tests shorten it."""

    minimum: float = 60.0
    jitter: float = 10.0
    rng: random.Random = field(default_factory=random.Random)

    def duration(self, retry_after: float | None) -> float:
        return max(retry_after or 0.0, self.minimum) + self.rng.uniform(0.0, self.jitter)


# Statuses the site's own client retries (reference §2).
RETRY_STATUSES = frozenset({408, 413, 429, 500, 502, 503, 504})


@dataclass(slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2**n)),
    or the server's Retry-After when that is longer. A Retry-After beyond `max_wait` is not
    waited out: the caller gets `RateLimited` at once and decides."""

    max_retries: int = 4
    base: float = 0.5
    cap: float = 8.0
    max_wait: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        return self.rng.uniform(0.0, min(self.cap, self.base * (2**attempt)))


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be a base URL (None when it can): http(s), a host, nothing after."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return f"not a URL: {url!r} ({exc})"
    if parsed.scheme not in ("http", "https"):
        return f"not an http(s) URL: {url!r}"
    if not parsed.host:
        return f"no host in {url!r}"
    if parsed.query or parsed.fragment:
        return f"a base URL has no query or fragment: {url!r}"
    return None


def tls_context(*base_urls: str) -> ssl.SSLContext:
    """The TLS context for a client of these servers. httpx builds one per client from the CA
    bundle (about 0.1 s at every start, again for each client); this one is built once per
    process, and only when a server is reached over https. Every request goes to a base URL
    and no redirect is followed, so a client of plain-http servers (the simulator, any loopback
    server) never makes a TLS handshake: it gets a context that trusts no certificate, so that
    one, were it ever made, would fail rather than go unverified."""
    if any(urlsplit(url).scheme == "https" for url in base_urls):
        return _verified_tls_context()
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@functools.cache
def _verified_tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # httpx's own: certifi, or SSL_CERT_FILE / SSL_CERT_DIR


def token_allowed(url: str) -> bool:
    """A token may only travel encrypted, or not leave the machine."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or ""))


class PumpClient:
    """Async client for the Pump.fun API. Use as `async with PumpClient(settings) as client:`.

    `budget` puts every request on one bucket (the simulator's demo, tests); otherwise `budgets`
    (default: the process-wide `shared_budgets`, sized from the settings) gives each host and v3
    group its own. `block` and `clock` set how long a blocked host is left alone and how time
    passes (tests shorten both). `on_route_moved(view, description)` is called once per view
    that switches to its fallback route.
    """

    def __init__(
        self,
        settings: ApiSettings | None = None,
        *,
        token: Secret | None = None,
        session: Session | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        budget: RequestBudget | None = None,
        budgets: HostBudgets | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        block: BlockPolicy | None = None,
        clock: Clock | None = None,
        on_route_moved: Callable[[str, str], None] | None = None,
    ) -> None:
        self.settings = settings or ApiSettings()
        s = self.settings
        for url in (s.frontend_url, s.swap_url, s.indexer_url):
            problem = base_url_problem(url)
            if problem:
                raise ValueError(problem)
        if budget is not None:
            self.budgets = HostBudgets(single=budget)
        else:
            self.budgets = budgets or shared_budgets(
                s.frontend_requests_per_minute,
                s.swap_requests_per_minute,
                s.indexer_requests_per_minute,
                s.burst,
            )
        self.retry = retry or RetryPolicy(max_retries=s.max_retries)
        self.block = block or BlockPolicy()
        self._clock = clock or Clock()
        self.on_route_moved = on_route_moved
        # Who the user is lives in the session (shared with the app); `token` starts a new one.
        self.session = session if session is not None else Session(token)
        seconds = timeout if timeout is not None else s.timeout
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(seconds, connect=min(seconds, 5.0)),
            limits=httpx.Limits(
                max_connections=10, max_keepalive_connections=5, keepalive_expiry=15.0
            ),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Origin": SITE_URL,
            },
            cookies=httpx.Cookies(CookieJar(policy=_NoCookies())),
            transport=transport,
            follow_redirects=False,
            verify=tls_context(s.frontend_url, s.swap_url, s.indexer_url),
        )
        self._etags: OrderedDict[str, str] = OrderedDict()
        self._requests = 0
        self._retries = 0
        self._not_modified = 0
        self._bytes_in = 0
        self._last_status: int | None = None
        self._sent_at: deque[float] = deque()
        self._blocked: dict[Host, float] = {}  # host -> monotonic end of its block
        # The server said it is pumptui's simulator (a header the real service never sends).
        self.server_is_simulator = False
        self._view_route: dict[str, int] = {}  # view -> index of the route in use
        self._moved: dict[str, str] = {}
        # Optional features the service has no handler for (`NotAvailable`), and wallet → UUID.
        self._unavailable: set[str] = set()
        self._uuids: OrderedDict[str, str] = OrderedDict()
        self._posts_held: dict[str, float] = {}  # session fingerprint -> monotonic end of wait

    # -- budgets, blocks and moved routes -------------------------------------------------------

    def budget_for(self, host: Host, group: str | None = None) -> RequestBudget:
        """The bucket requests to `host` (on v3: its route `group`) draw on."""
        return self.budgets.bucket(host.value, group)

    @property
    def budget(self) -> RequestBudget:
        """The one bucket when the client was given one; else swap's, the scarcest (what a
        caller sizing its polls by one figure should respect)."""
        return self.budget_for(Host.SWAP)

    def blocked_until(self, host: Host) -> float | None:
        """Wall time until which nothing is sent to `host`, or None when it is not blocked."""
        left = self._block_left(host)
        return None if left <= 0 else self._clock.wall() + left

    def _block_left(self, host: Host) -> float:
        return self._blocked.get(host, 0.0) - self._clock.monotonic()

    def _start_block(self, host: Host, retry_after: float | None) -> float:
        """Block `host` (extending a block already running, never shortening it)."""
        until = self._clock.monotonic() + self.block.duration(retry_after)
        if until > self._blocked.get(host, 0.0):
            self._blocked[host] = until
        left = self._block_left(host)
        log.warning("%s host blocked; sending nothing to it for %.0fs", host.value, left)
        return left

    @property
    def moved_routes(self) -> dict[str, str]:
        """Views that switched to a fallback route this session: view → "old → new"."""
        return dict(self._moved)

    # -- lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> PumpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:
        return (
            f"PumpClient(frontend={self.settings.frontend_url!r}, "
            f"swap={self.settings.swap_url!r}, indexer={self.settings.indexer_url!r}, "
            f"token={'set' if self._token else 'none'})"
        )

    def set_token(self, token: Secret | None) -> None:
        self.session.set_token(token)

    @property
    def _token(self) -> Secret | None:
        return self.session.token

    @property
    def has_token(self) -> bool:
        return self._token is not None

    @property
    def token(self) -> Secret | None:
        """The token in use (a `Secret`: it never prints), e.g. to put back after a failed
        attempt to log in as someone else."""
        return self._token

    @property
    def stats(self) -> ClientStats:
        now = time.monotonic()
        self._forget_old_sends(now)
        clock_now = self._clock.monotonic()
        holds = [b.paused_until for b in self.budgets.buckets.values()]
        holds += list(self._blocked.values())
        latest = max((h for h in holds if h is not None and h > clock_now), default=None)
        return ClientStats(
            requests=self._requests,
            requests_last_minute=len(self._sent_at),
            bytes_in=self._bytes_in,
            last_status=self._last_status,
            rate_limited_until=None if latest is None else self._clock.wall() + latest - clock_now,
            retries=self._retries,
            not_modified=self._not_modified,
        )

    def _forget_old_sends(self, now: float) -> None:
        while self._sent_at and self._sent_at[0] <= now - 60.0:
            self._sent_at.popleft()

    # -- coins ----------------------------------------------------------------------------------

    async def coins(
        self,
        *,
        offset: int = 0,
        limit: int = routes.COINS_PAGE_LIMIT,
        sort: str = "created_timestamp",
        order: str = "DESC",
        include_nsfw: bool = False,
        search: str | None = None,
        creator: str | None = None,
        complete: bool | None = None,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> Page[Coin]:
        """A page of `/coins`: at most 70 (the server clamps), about 1000 deep."""
        route = routes.coins(
            offset=offset,
            limit=limit,
            sort=sort,
            order=order,
            include_nsfw=include_nsfw,
            search=search,
            creator=creator,
            complete=complete,
        )
        answer = await self._call(
            route, priority=priority, conditional=conditional, fail_fast=fail_fast
        )
        return self._page(
            answer, route, Coin.from_api, offset=offset, limit=min(limit, routes.COINS_PAGE_LIMIT)
        )

    async def coin(
        self,
        mint: str,
        *,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> Coin | None:
        """The coin (coins-v3, else coins-v2), or None only when `conditional` and it has not
        changed (304). An unknown mint is `NotFound`."""
        answer, route = await self._call_view(
            routes.VIEW_COIN,
            routes.coin(mint),
            priority=priority,
            conditional=conditional,
            fail_fast=fail_fast,
        )
        if answer.unchanged:
            return None
        return self._one(answer, route, Coin.from_api)

    async def search_coins(
        self,
        term: str,
        *,
        limit: int = 50,
        offset: int = 0,
        include_nsfw: bool = False,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> Page[Coin]:
        """`/coins?searchTerm=` by market cap, else `/coins/search-unrestricted`."""
        candidates = routes.search_coins(
            term, limit=limit, offset=offset, include_nsfw=include_nsfw
        )
        answer, route = await self._call_view(
            routes.VIEW_SEARCH, candidates, priority=priority, fail_fast=fail_fast
        )
        return self._page(
            answer, route, Coin.from_api, offset=offset, limit=min(limit, routes.COINS_PAGE_LIMIT)
        )

    async def bookmarked_coins(
        self,
        bookmark_id: str = "default",
        *,
        limit: int = 50,
        offset: int = 0,
        include_nsfw: bool = False,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Page[Coin]:
        route = routes.bookmarked_coins(
            bookmark_id, limit=limit, offset=offset, include_nsfw=include_nsfw
        )
        answer = await self._feature_call(
            routes.FEATURE_BOOKMARKS, route, priority=priority, conditional=conditional
        )
        return self._page(answer, route, Coin.from_api, offset=offset, limit=limit)

    async def coins_by_mints(
        self,
        mints: Sequence[str],
        *,
        priority: Priority = Priority.NORMAL,
        max_retries: int | None = None,
    ) -> Page[Coin]:
        """One `POST /coins-v2/mints` for at most 100 mints. Unknown mints are simply missing;
        order is the server's. `max_retries=0` leaves retrying to the caller (bulk does)."""
        route = routes.coins_by_mints(mints)
        answer = await self._call(route, priority=priority, max_retries=max_retries)
        return self._page(answer, route, Coin.from_api)

    # -- holders and price (v3) -----------------------------------------------------------------

    async def holder_stats(
        self, mint: str, *, priority: Priority = Priority.NORMAL, fail_fast: bool = False
    ) -> HolderStats:
        route = routes.holder_stats(mint)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        return self._one(answer, route, lambda record: HolderStats.from_api(record, mint))

    async def top_holders(
        self, mint: str, *, priority: Priority = Priority.NORMAL, fail_fast: bool = False
    ) -> tuple[list[TopHolder], int | None]:
        """The largest holders (whole tokens each) and the total number of holders."""
        route = routes.top_holders(mint)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        records, total = self._shape(answer, route, routes.read_top_holders)
        return parse_list(records, TopHolder.from_api).items, total

    async def holder_count(
        self, mint: str, *, priority: Priority = Priority.NORMAL, fail_fast: bool = False
    ) -> int:
        """The authoritative number of holders."""
        route = routes.holder_count(mint)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        return self._shape(answer, route, routes.read_holder_count)

    async def sol_price(
        self,
        *,
        conditional: bool = False,
        priority: Priority = Priority.BACKGROUND,
        fail_fast: bool = False,
    ) -> SolPrice | None:
        """SOL in USD with the server's `stale` flag; None when unchanged (304) or when the
        server gave no usable price."""
        route = routes.sol_price()
        answer = await self._call(
            route, priority=priority, conditional=conditional, fail_fast=fail_fast
        )
        if answer.unchanged:
            return None
        return routes.read_sol_price(answer.payload)

    # -- trades, candles and stats (swap) -------------------------------------------------------

    async def trades(
        self,
        mint: str,
        *,
        cursor: str | None = None,
        limit: int = routes.TRADES_PAGE_LIMIT,
        min_sol: float | None = None,
        user: str | None = None,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> TradePage:
        """A page of the coin's trades, newest first; `cursor` (a page's `next_cursor`)
        continues to older ones, exclusively. `user`: only that wallet's trades
        (`userAddress`)."""
        route = routes.trades(mint, limit=limit, cursor=cursor, min_sol=min_sol, user=user)
        answer = await self._call(
            route, priority=priority, conditional=conditional, fail_fast=fail_fast
        )
        return self._trade_page(answer, route, mint)

    async def trades_before(
        self,
        mint: str,
        before_ms: int,
        *,
        limit: int = routes.TRADES_PAGE_LIMIT,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> TradePage:
        """The newest trades older than `before_ms` (epoch milliseconds), by a cursor seek."""
        return await self.trades(
            mint,
            cursor=routes.seek_cursor(before_ms),
            limit=limit,
            priority=priority,
            fail_fast=fail_fast,
        )

    def _trade_page(self, answer: _Answer, route: Route, mint: str) -> TradePage:
        if answer.unchanged:
            return TradePage([], unchanged=True)
        shape = self._shape(answer, route, routes.read_trade_page)
        parsed = parse_list(shape.records, lambda record: Trade.from_swap(record, mint))
        if parsed.skipped:
            log.debug("%s: skipped %d bad trades", route.name, parsed.skipped)
        return TradePage(parsed.items, shape.next_cursor, shape.has_more, parsed.skipped)

    async def candles(
        self,
        mint: str,
        *,
        interval: str = "1m",
        limit: int = routes.CANDLES_LIMIT,
        currency: str = "SOL",
        created_ms: int | None = None,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> list[Candle]:
        """The newest `limit` non-empty buckets, oldest first (swap v2, else v1). Buckets
        without a trade are absent: the caller fills gaps."""
        seconds = routes.interval_seconds(interval)
        candidates = routes.candles(
            mint, interval=interval, limit=limit, currency=currency, created_ms=created_ms
        )
        answer, route = await self._call_view(
            routes.VIEW_CANDLES, candidates, priority=priority, fail_fast=fail_fast
        )
        page = self._page(
            answer,
            route,
            lambda record: Candle.from_swap(record, mint=mint, seconds=seconds, currency=currency),
        )
        return sorted(page.items, key=lambda c: c.start)

    async def market_activity(
        self, mint: str, *, priority: Priority = Priority.NORMAL, fail_fast: bool = False
    ) -> MarketActivity:
        route = routes.market_activity(mint)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        record = self._shape(answer, route, routes.read_market_activity)
        return self._one_of(record, route, lambda r: MarketActivity.from_api(r, mint))

    async def market_activity_batch(
        self,
        mints: Sequence[str],
        *,
        intervals: Sequence[str] = (),
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> dict[str, MarketActivity]:
        """Up to 50 coins for one request of swap's budget. A coin the server left out or
        sent null for has no entry; one with absurd numbers is left out too."""
        route = routes.market_activity_batch(mints, intervals)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        by_mint = self._shape(answer, route, routes.read_activity_batch)
        out: dict[str, MarketActivity] = {}
        for mint, record in by_mint.items():
            try:
                out[mint] = MarketActivity.from_api(record, mint)
            except ModelError:
                log.debug("%s: skipped the activity of one coin", route.name)
        return out

    async def ath(
        self, mint: str, *, priority: Priority = Priority.BACKGROUND, fail_fast: bool = False
    ) -> float | None:
        """The all-time-high market cap in USD, or None when the server has none."""
        route = routes.ath(mint)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        return self._shape(answer, route, routes.read_ath)

    # -- boards (indexer) -----------------------------------------------------------------------

    async def board(
        self,
        name: str,
        *,
        offset: int = 0,
        limit: int = 50,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> list[BoardEntry]:
        """A board over HTTP (for while its socket is down)."""
        route = routes.board(name, offset=offset, limit=limit)
        answer = await self._call(route, priority=priority, fail_fast=fail_fast)
        records = self._shape(answer, route, routes.read_board)
        return parse_list(records, routes.read_board_entry).items

    # -- users and follows (2026) ---------------------------------------------------------------

    async def user(self, wallet: str, *, priority: Priority = Priority.NORMAL) -> UserProfile:
        """A wallet's profile with its UUID; a wallet the service has never seen is `NotFound`.
        The UUID is remembered (it never changes), so `user_uuid` asks once per wallet."""
        route = routes.user(wallet)
        answer = await self._feature_call(routes.FEATURE_USERS, route, priority=priority)
        record = self._shape(answer, route, lambda payload: routes.read_one(payload, "user"))
        profile = self._one_of(record, route, UserProfile.from_api)
        self._remember_uuid(wallet, profile.uuid)
        return profile

    async def user_uuid(self, wallet: str, *, priority: Priority = Priority.NORMAL) -> str:
        """The UUID follows take, looked up once per wallet and then remembered."""
        known = self._uuids.get(wallet)
        if known is not None:
            self._uuids.move_to_end(wallet)
            return known
        return (await self.user(wallet, priority=priority)).uuid

    async def users(
        self, wallets: Sequence[str], *, priority: Priority = Priority.NORMAL
    ) -> list[UserProfile]:
        """Profiles of many wallets, 50 a request; unknown wallets are simply missing."""
        wanted = list(dict.fromkeys(wallets))
        found: list[UserProfile] = []
        for start in range(0, len(wanted), routes.USERS_BATCH_LIMIT):
            route = routes.users_batch(wanted[start : start + routes.USERS_BATCH_LIMIT])
            answer = await self._feature_call(routes.FEATURE_USERS, route, priority=priority)
            page = parse_list(self._shape(answer, route, routes.read_list), UserProfile.from_api)
            for profile in page.items:
                if profile.wallet is not None:
                    self._remember_uuid(profile.wallet, profile.uuid)
            found += page.items
        return found

    def _remember_uuid(self, wallet: str, user_uuid: str) -> None:
        self._uuids[wallet] = user_uuid
        self._uuids.move_to_end(wallet)
        while len(self._uuids) > UUID_MEMORY:
            self._uuids.popitem(last=False)

    async def follow_uuid(self, user_uuid: str) -> None:
        """Follow a user by UUID (`user_uuid(wallet)` gives it). Not repeated on a lost answer."""
        await self._feature_call(
            routes.FEATURE_FOLLOWS, routes.follow_uuid(user_uuid), priority=Priority.FOREGROUND
        )

    async def unfollow_uuid(self, user_uuid: str) -> None:
        """Unfollow by UUID. LOW confidence: no unfollow route was ever seen (reference §3.7);
        a service without this one raises `NotAvailable` ("unfollow")."""
        await self._feature_call(
            routes.FEATURE_UNFOLLOW, routes.unfollow_uuid(user_uuid), priority=Priority.FOREGROUND
        )

    async def following(
        self,
        user_uuid: str,
        *,
        limit: int = routes.FOLLOWING_LIMIT,
        priority: Priority = Priority.NORMAL,
    ) -> list[UserProfile]:
        """Whom a user follows (at most 100); rows without a UUID are skipped."""
        route = routes.following(user_uuid, limit=limit)
        answer = await self._feature_call(routes.FEATURE_FOLLOWS, route, priority=priority)
        return self._page(answer, route, UserProfile.from_api).items

    async def follow_counts(
        self, user_id: str, *, priority: Priority = Priority.NORMAL
    ) -> FollowCounts:
        """How many follow the user and how many it follows (two requests of the follow-count
        group). `user_id` is a UUID (a wallet works on the simulator; unverified elsewhere)."""
        counts = []
        for kind in routes.FOLLOW_COUNT_KINDS:
            route = routes.follow_count(user_id, kind)
            answer = await self._feature_call(
                routes.FEATURE_FOLLOW_COUNTS, route, priority=priority
            )
            counts.append(self._shape(answer, route, routes.read_count))
        return FollowCounts(followers=counts[0], following=counts[1])

    async def followers(self, address: str, *, priority: Priority = Priority.NORMAL) -> list[User]:
        """Who follows a user (a wallet or a UUID): at most 1000 rows, the service's cap."""
        route = routes.followers(address)
        answer = await self._call(route, priority=priority)
        return self._page(answer, route, User.from_api).items

    # -- callouts (2026) ------------------------------------------------------------------------

    async def callouts(
        self,
        mint: str,
        *,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> Page[Callout]:
        """The coin's top callouts (anonymous). `unchanged` when `conditional` and nothing
        changed (304)."""
        route = routes.callout_top(mint)
        answer = await self._feature_call(
            routes.FEATURE_CALLOUTS,
            route,
            priority=priority,
            conditional=conditional,
            fail_fast=fail_fast,
        )
        if answer.unchanged:
            return Page([], unchanged=True, latency=answer.latency)
        records = self._shape(answer, route, routes.read_callouts)
        parsed = parse_list(records, lambda record: Callout.from_api(record, mint))
        return Page(parsed.items, parsed.skipped, latency=answer.latency)

    async def user_callouts(
        self,
        user_id: str,
        *,
        limit: int = 20,
        page_token: str | None = None,
        newest_first: bool = True,
        priority: Priority = Priority.NORMAL,
    ) -> CalloutPage:
        """One user's callouts (`user_id`: a UUID or a wallet), a page at a time: pass the
        last page's `next_page_token` for the next. The route blocks a burst for 30 minutes,
        so its bucket spaces requests 3 s apart (a 429 pauses it for its Retry-After)."""
        route = routes.callout_list(
            user_id, limit=limit, page_token=page_token, newest_first=newest_first
        )
        answer = await self._feature_call(routes.FEATURE_CALLOUT_LIST, route, priority=priority)
        records, token = self._shape(answer, route, routes.read_callout_page)
        parsed = parse_list(records, Callout.from_api)
        return CalloutPage(parsed.items, token, parsed.skipped)

    async def callout_eligibility(self, mint: str) -> CalloutEligibility:
        """Whether the logged-in wallet may post a callout on the coin (it must hold it). The
        answer's shape is unverified (see `CalloutEligibility`)."""
        route = routes.callout_eligibility(mint)
        answer = await self._feature_call(
            routes.FEATURE_CALLOUTS, route, priority=Priority.FOREGROUND
        )
        return self._one_of(answer.payload, route, CalloutEligibility.from_api)

    async def create_callout(self, mint: str, thesis: str) -> str:
        """Post a callout; returns its id. Sent once, never retried. `NotEligible` when the
        wallet does not hold the coin; `PostingTooFast` (with the seconds to wait) within about
        a minute of the wallet's last post — also at once, without sending, while the last
        such refusal's wait runs."""
        route = routes.create_callout(mint, thesis)
        try:
            answer = await self._post(route)
        except Forbidden as error:
            raise NotEligible(error.message, url=route.path) from None
        return self._shape(answer, route, routes.read_created_callout)

    async def reply_to_callout(self, callout_id: str, text: str) -> CalloutReply:
        """Reply to a callout (the one-post-a-minute pace is shared with `create_callout`);
        returns what the service says of the reply (`content` is the text sent)."""
        route = routes.reply_to_callout(callout_id, text)
        answer = await self._post(route)
        record = self._shape(answer, route, lambda payload: routes.read_one(payload, "reply"))
        reply = self._one_of(record, route, lambda r: CalloutReply.from_api(r, callout_id))
        if not reply.content:
            reply = dataclasses.replace(reply, content=clean_text(text, TEXT_LIMIT, multiline=True))
        return reply

    async def callout_replies(
        self, callout_id: str, *, limit: int = 50, priority: Priority = Priority.NORMAL
    ) -> list[CalloutReply]:
        """A callout's replies, oldest first. The simulator's route: none has been seen on the
        service, where this raises `NotAvailable` ("callout-replies")."""
        route = routes.callout_replies(callout_id, limit=limit)
        answer = await self._feature_call(routes.FEATURE_CALLOUT_REPLIES, route, priority=priority)
        records = self._shape(answer, route, routes.read_callout_replies)
        return parse_list(records, lambda r: CalloutReply.from_api(r, callout_id)).items

    async def like_callout(self, callout_id: str) -> None:
        """Like a callout. There is no unlike: a like cannot be taken back."""
        await self._feature_call(
            routes.FEATURE_CALLOUTS, routes.like_callout(callout_id), priority=Priority.FOREGROUND
        )

    async def _post(self, route: Route) -> _Answer:
        """A callout or a reply: sent once. The service allows about one post a minute per
        wallet; after its refusal, posts by the same session are refused here, without being
        sent, for the wait it gave (60 s when it gave none). The wait is the wallet's: it holds
        back nothing else, whatever the budgets (even one bucket for everything)."""
        who = self._token.fingerprint() if self._token is not None else "-"
        left = self._posts_held.get(who, 0.0) - self._clock.monotonic()
        if left > 0:
            raise PostingTooFast(
                f"{route.name}: wait {left:.0f}s before posting again",
                retry_after=left,
                url=route.path,
            )
        try:
            return await self._feature_call(
                routes.FEATURE_CALLOUTS, route, priority=Priority.FOREGROUND, max_retries=0
            )
        except RateLimited as error:
            if isinstance(error, Blocked):
                raise
            wait = error.retry_after if error.retry_after else POST_INTERVAL
            self._posts_held[who] = self._clock.monotonic() + wait
            raise PostingTooFast(
                f"{route.name}: posting too fast; wait {wait:.0f}s",
                retry_after=wait,
                url=route.path,
            ) from None

    async def _feature_call(self, feature: str, route: Route, **options: Any) -> _Answer:
        """A request to a route of an optional feature. When the service has no handler for it
        ("Cannot GET"), `NotAvailable` — at once, without sending, for the rest of the session."""
        if feature in self._unavailable:
            raise NotAvailable(
                f"{route.name}: {feature} not available on this service",
                feature=feature,
                url=route.path,
            )
        try:
            return await self._call(route, **options)
        except NotFound as error:
            if not error.unrouted:
                raise
            self._unavailable.add(feature)
            log.warning("%s: no handler; %s not available on this service", route.name, feature)
            raise NotAvailable(
                f"{route.name}: {feature} not available on this service",
                feature=feature,
                url=route.path,
            ) from None

    @property
    def unavailable_features(self) -> frozenset[str]:
        """Features the service answered "Cannot GET" for this session (`routes.FEATURE_*`)."""
        return frozenset(self._unavailable)

    # -- bookmarks ------------------------------------------------------------------------------
    # Not seen in use in 2026 (reference §4): kept behind a capability check. A service without
    # them raises `NotAvailable` ("bookmarks").

    async def bookmarks(self, *, priority: Priority = Priority.NORMAL) -> list[BookmarkList]:
        route = routes.bookmarks()
        answer = await self._feature_call(routes.FEATURE_BOOKMARKS, route, priority=priority)
        return self._page(answer, route, BookmarkList.from_api).items

    async def create_bookmark(self, name: str) -> BookmarkList | None:
        """The new list, or None when the server did not echo it back."""
        answer = await self._feature_call(
            routes.FEATURE_BOOKMARKS, routes.create_bookmark(name), priority=Priority.FOREGROUND
        )
        record = routes.read_created_bookmark(answer.payload)
        if record is None:
            return None
        try:
            return BookmarkList.from_api(record)
        except ModelError:
            return None

    async def delete_bookmark(self, list_id: str) -> None:
        await self._feature_call(
            routes.FEATURE_BOOKMARKS, routes.delete_bookmark(list_id), priority=Priority.FOREGROUND
        )

    async def add_bookmark_item(self, mint: str, list_ids: Sequence[str]) -> None:
        route = routes.add_bookmark_item(mint, list_ids)
        await self._feature_call(routes.FEATURE_BOOKMARKS, route, priority=Priority.FOREGROUND)

    async def remove_bookmark_item(self, mint: str, list_ids: Sequence[str]) -> None:
        route = routes.remove_bookmark_item(mint, list_ids)
        await self._feature_call(routes.FEATURE_BOOKMARKS, route, priority=Priority.FOREGROUND)

    # -- moderation -----------------------------------------------------------------------------

    async def bulk_nsfw(
        self, mints: Sequence[str], *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_nsfw(mints), max_retries)

    async def bulk_hide(
        self, ids: Sequence[int | str], *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_hide(ids), max_retries)

    async def bulk_ban(
        self, ids: Sequence[int | str], reason: str, *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_ban(ids, reason), max_retries)

    async def _moderate(self, route: Route, max_retries: int | None) -> ModerationResult:
        answer = await self._call(route, priority=Priority.NORMAL, max_retries=max_retries)
        shape = self._shape(answer, route, routes.read_moderation)
        return ModerationResult(shape.updated, shape.not_found, shape.complete)

    # -- auth and misc --------------------------------------------------------------------------

    async def login(self, address: str, signature_b58: str, timestamp_ms: int) -> Secret:
        """Exchange a signed login message for a token; the client uses it from now on.

        Today's two login routes, in order (reference §3.8): `POST /auth/login` (the token comes
        as the `auth_token` cookie), then `POST /auth/login/token` (a bearer token in the body)
        when the first refuses (401/403) or is gone (404 "Cannot POST", 410): the web site moved
        its own sign-in to Privy on 2026-09-25, and whether the first still works is unverified.
        For the rest of the session the route that worked goes first, and a gone route is not
        asked again (`moved_routes`, `on_route_moved`, as for a view). Raises `LoginRefused` when
        no route would sign in, and the usual typed errors for anything else (offline, 5xx, …).
        """
        attempts = (self.login_cookie, self.login_token)
        labels = (
            routes.login(address, signature_b58, timestamp_ms).name,
            routes.login_token(address, signature_b58, timestamp_ms).name,
        )
        start = self._view_route.get(routes.VIEW_LOGIN, 0)
        tried = [f"{labels[i]}: not asked, it failed earlier this session" for i in range(start)]
        for index in range(start, len(attempts)):
            try:
                token = await attempts[index](address, signature_b58, timestamp_ms)
            except ApiError as error:
                refusal = _login_refusal(error)
                if refusal is None:
                    raise
                tried.append(f"{labels[index]}: {refusal}")
                if _login_route_gone(error) and index + 1 < len(attempts):
                    self._give_up_login_route(index + 1, labels)
                continue
            if index != self._view_route.get(routes.VIEW_LOGIN, 0):
                self._give_up_login_route(index, labels)
            return token
        raise LoginRefused(
            "Neither login route would sign this wallet in (" + "; ".join(tried) + "). A token "
            "from the web site's new sign-in provider (Privy) is not accepted either.",
            tried=tuple(tried),
        )

    def _give_up_login_route(self, index: int, labels: Sequence[str]) -> None:
        """Sign in on route `index` from now on (what `_call_view` does for a moved view)."""
        start = self._view_route.get(routes.VIEW_LOGIN, 0)
        self._view_route[routes.VIEW_LOGIN] = index
        description = f"{labels[start]} → {labels[index]}"
        self._moved[routes.VIEW_LOGIN] = description
        log.warning("%s moved: %s", routes.VIEW_LOGIN, description)
        if self.on_route_moved is not None:
            self.on_route_moved(routes.VIEW_LOGIN, description)

    async def login_cookie(self, address: str, signature_b58: str, timestamp_ms: int) -> Secret:
        """`POST /auth/login` only: the token from `Set-Cookie: auth_token=…`."""
        route = routes.login(address, signature_b58, timestamp_ms)
        answer = await self._call(route, priority=Priority.FOREGROUND)
        raw = routes.read_auth_cookie(answer.headers.get_list("set-cookie"))
        if raw is None:
            raise BadResponse("login answered without an auth_token cookie", url=route.path)
        token = Secret(raw)
        del raw
        self.session.set_token(token)
        return token

    async def login_token(self, address: str, signature_b58: str, timestamp_ms: int) -> Secret:
        """`POST /auth/login/token` only: the bearer token from the JSON body. A body we cannot
        use gives a `BadResponse` without an excerpt (it may hold the token)."""
        route = routes.login_token(address, signature_b58, timestamp_ms)
        unusable = False
        try:
            answer = await self._call(route, priority=Priority.FOREGROUND)
            token = Secret(routes.read_access_token(answer.payload))
        except (BadResponse, routes.ShapeError):
            unusable = True
        if unusable:  # raised outside the `except`: nothing chained that quotes the body
            raise BadResponse(f"{route.name}: answered without an access_token", url=route.path)
        self.session.set_token(token)
        return token

    async def my_profile(self) -> User:
        route = routes.my_profile()
        answer = await self._call(route, priority=Priority.FOREGROUND)
        return self._one(answer, route, User.from_api)

    async def is_admin(self) -> bool:
        route = routes.is_admin()
        answer = await self._call(route, priority=Priority.FOREGROUND)
        return self._shape(answer, route, routes.read_is_admin)

    async def logout(self) -> None:
        """Tell the server, then forget the token whatever it answered."""
        try:
            if self._token is not None:
                await self._call(routes.logout(), priority=Priority.FOREGROUND, max_retries=0)
        finally:
            self.session.log_out()

    # -- parsing helpers ------------------------------------------------------------------------

    def _page(
        self,
        answer: _Answer,
        route: Route,
        parse: Callable[[Any], T],
        *,
        offset: int | None = None,
        limit: int | None = None,
    ) -> Page[T]:
        if answer.unchanged:
            return Page([], unchanged=True, latency=answer.latency)
        records = self._shape(answer, route, routes.read_list)
        parsed = parse_list(records, parse)
        if parsed.skipped:
            log.debug("%s %s: skipped %d bad records", route.method, route.path, parsed.skipped)
        page: Page[T] = Page(parsed.items, parsed.skipped, latency=answer.latency)
        if offset is not None and limit is not None:
            page.has_more = len(records) >= limit
            page.next_offset = offset + len(records)
        return page

    def _one(self, answer: _Answer, route: Route, parse: Callable[[Any], T]) -> T:
        return self._one_of(self._shape(answer, route, routes.read_object), route, parse)

    def _one_of(self, record: Any, route: Route, parse: Callable[[Any], T]) -> T:
        try:
            return parse(record)
        except (ModelError, TypeError, ValueError) as exc:
            raise BadResponse(
                f"{route.method} {route.path}: unusable record ({exc})",
                excerpt=_excerpt(orjson.dumps(record, default=str)),
                url=route.path,
            ) from None

    def _shape(self, answer: _Answer, route: Route, read: Callable[[Any], T]) -> T:
        try:
            return read(answer.payload)
        except routes.ShapeError as exc:
            raise BadResponse(
                f"{route.method} {route.path}: unexpected answer ({exc})",
                excerpt=_excerpt(orjson.dumps(answer.payload, default=str)),
                url=route.path,
            ) from None

    # -- the request loop -----------------------------------------------------------------------

    async def _call_view(
        self,
        view: str,
        candidates: Sequence[Route],
        *,
        priority: Priority = Priority.NORMAL,
        conditional: bool = False,
        fail_fast: bool = False,
    ) -> tuple[_Answer, Route]:
        """Call the route this view uses now; when the server has no handler for it, switch
        the view to the next route for the rest of the session and call that."""
        index = self._view_route.get(view, 0)
        while True:
            route = candidates[min(index, len(candidates) - 1)]
            try:
                answer = await self._call(
                    route, priority=priority, conditional=conditional, fail_fast=fail_fast
                )
                return answer, route
            except NotFound as error:
                if not error.unrouted or index + 1 >= len(candidates):
                    raise
                index += 1
                self._view_route[view] = index
                description = f"{route.template} → {candidates[index].template}"
                self._moved[view] = description
                log.warning("%s moved: %s", view, description)
                if self.on_route_moved is not None:
                    self.on_route_moved(view, description)

    async def _call(
        self,
        route: Route,
        *,
        priority: Priority = Priority.NORMAL,
        conditional: bool = False,
        max_retries: int | None = None,
        fail_fast: bool = False,
    ) -> _Answer:
        """Send with retries. Only retryable errors on retry-safe routes are repeated; a 429 or a
        refused connection is repeated for any route, as the server never acted on it. A block
        (`Blocked`) or a wait longer than `RetryPolicy.max_wait` is not waited out here: the
        caller gets the error with the time left and decides (its next call waits the block
        out, or fails fast)."""
        retries = self.retry.max_retries if max_retries is None else max(0, max_retries)
        attempt = 0
        while True:
            try:
                return await self._send_once(
                    route, priority=priority, conditional=conditional, fail_fast=fail_fast
                )
            except ApiError as error:
                never_arrived = isinstance(error, RateLimited) or (
                    isinstance(error, ConnectionFailed) and error.never_sent
                )
                if not error.retryable or attempt >= retries:
                    raise
                if not (route.retry_safe or never_arrived):
                    raise
                if isinstance(error, Blocked):
                    # The host is blocked for a minute or more; the next call waits it out (or
                    # fails fast). Retrying here would only hold this caller without telling it.
                    raise
                wait = self.retry.delay(attempt)
                if isinstance(error, RateLimited):
                    if error.retry_after is not None and error.retry_after > self.retry.max_wait:
                        raise
                    wait = max(wait, error.retry_after or 0.0)
                attempt += 1
                self._retries += 1
                log.debug(
                    "%s %s: %s; retry %d in %.2fs",
                    route.method,
                    route.path,
                    error.message,
                    attempt,
                    wait,
                )
                await self._clock.sleep(wait)

    def _base_url(self, host: Host) -> str:
        settings = self.settings
        if host is Host.SWAP:
            return settings.swap_url
        if host is Host.INDEXER:
            return settings.indexer_url
        return settings.frontend_url

    def _build_request(self, route: Route, conditional: bool) -> httpx.Request:
        """The request, with the token only where it may go. Kept apart from sending so that no
        frame on a traceback holds the token in a plain local."""
        url = self._base_url(route.host).rstrip("/") + route.path
        try:
            request = self._http.build_request(
                route.method, url, params=dict(route.params) or None, json=route.json
            )
        except httpx.InvalidURL:
            raise ClientError(f"{route.method} {route.path}: invalid URL", url=route.path) from None
        if conditional and route.cacheable:
            etag = self._etags.get(self._etag_key(request))
            if etag:
                request.headers["If-None-Match"] = etag
        # The session is frontend-api-v3's: swap-api and the indexer are public and never see it.
        if self._token is not None and route.host is Host.FRONTEND:
            if token_allowed(url):
                request.headers["Authorization"] = "Bearer " + self._token.reveal()
                request.headers["Cookie"] = f"{routes.AUTH_COOKIE}={self._token.reveal()}"
            elif route.auth:
                raise InsecureTransport(
                    f"refusing to send the token over plain http to {urlsplit(url).hostname}",
                    url=route.path,
                )
        elif route.auth:
            raise AuthRequired(f"{route.method} {route.path} needs you to log in", url=route.path)
        return request

    def _etag_key(self, request: httpx.Request) -> str:
        # Answers may differ per user (liked_by_user, ...), so the key notes whether we are
        # logged in; a token change makes the next poll a plain GET.
        who = self._token.fingerprint() if self._token is not None else "-"
        return f"{who} {request.url}"

    async def _wait_out_block(self, route: Route, fail_fast: bool) -> None:
        """Nothing goes to a blocked host: wait the block out, or refuse at once."""
        while (left := self._block_left(route.host)) > 0:
            if fail_fast:
                raise Blocked(
                    f"{route.method} {route.path}: {route.host.value} is blocking us; "
                    f"{left:.0f}s left",
                    retry_after=left,
                    host=route.host.value,
                    url=route.path,
                )
            await self._clock.sleep(left)

    async def _send_once(
        self, route: Route, *, priority: Priority, conditional: bool, fail_fast: bool = False
    ) -> _Answer:
        request = self._build_request(route, conditional)
        await self._wait_out_block(route, fail_fast)
        await self.budget_for(route.host, route.group).acquire(priority)
        # A block may have begun while this request queued for its token.
        await self._wait_out_block(route, fail_fast)
        started = time.monotonic()
        self._requests += 1
        self._sent_at.append(started)
        self._forget_old_sends(started)
        try:
            response = await self._http.send(request)
        except httpx.TimeoutException:
            raise RequestTimeout(
                f"{route.method} {route.path}: no answer in time", url=route.path
            ) from None
        except httpx.UnsupportedProtocol:
            raise ClientError(
                f"{route.method} {route.path}: unsupported URL scheme", url=route.path
            ) from None
        except httpx.ConnectError:
            raise ConnectionFailed(
                f"{route.method} {route.path}: could not connect", never_sent=True, url=route.path
            ) from None
        except httpx.TransportError as exc:
            raise ConnectionFailed(
                f"{route.method} {route.path}: connection dropped ({type(exc).__name__})",
                url=route.path,
            ) from None
        elapsed = time.monotonic() - started
        body = response.content
        self._bytes_in += len(body)
        self._last_status = response.status_code
        if routes.SIMULATOR_HEADER in response.headers:
            self.server_is_simulator = True
        if route.host is Host.FRONTEND and (
            response.status_code != 429 or "retry-after" not in response.headers
        ):
            # v3's x-ratelimit-* describe the route group's window. swap's are misleading (a
            # `limit: 1000` over a Cloudflare rule of ~20), so they are not listened to. A 429's
            # Retry-After is the server's specific instruction; its window headers (often "0
            # left, reset in 50 s") would otherwise override it.
            self.budget_for(route.host, route.group).observe(response.headers)
        log.debug(
            "%s %s -> %d (%d bytes, %.0f ms)",
            route.method,
            route.path,
            response.status_code,
            len(body),
            elapsed * 1000,
        )
        answer = self._interpret(route, request, response, body)
        answer.latency = elapsed
        return answer

    def _block_error(self, route: Route, response: httpx.Response, why: str) -> Blocked:
        retry_after = _retry_after(response.headers.get("retry-after"))
        left = self._start_block(route.host, retry_after)
        return Blocked(
            f"{route.method} {route.path}: {route.host.value} is blocking us ({why}); "
            f"nothing sent to it for {left:.0f}s",
            retry_after=left,
            host=route.host.value,
            url=route.path,
        )

    def _interpret(
        self, route: Route, request: httpx.Request, response: httpx.Response, body: bytes
    ) -> _Answer:
        status = response.status_code
        where = f"{route.method} {route.path}"
        if status == 304:
            self._not_modified += 1
            return _Answer(status, None, response.headers, unchanged=True)
        html = _is_html(response, body)
        if 300 <= status < 400:
            if routes.is_block_redirect(response.headers.get("location")):
                raise self._block_error(route, response, "redirected to the blocked page")
            raise BadResponse(f"{where}: unexpected redirect ({status})", url=route.path)
        if html and (200 <= status < 300 or status in (403, 429, 503)):
            # A challenge page where JSON was due: a block, never data.
            raise self._block_error(route, response, "a challenge page")
        if 200 <= status < 300:
            payload = self._decode(where, route, body)
            if routes.is_database_error(payload):
                raise BadResponse(
                    f"{where}: database error {payload.get('code')}",
                    excerpt=_excerpt(body),
                    url=route.path,
                )
            etag = response.headers.get("etag")
            if etag and route.cacheable:
                key = self._etag_key(request)
                self._etags[key] = etag
                self._etags.move_to_end(key)
                while len(self._etags) > ETAG_MEMORY:
                    self._etags.popitem(last=False)
            return _Answer(status, payload, response.headers)
        message = _error_message(body)
        if status == 429:
            if route.host is Host.SWAP or routes.BLOCK_BODY_1015 in body[:200].decode(
                "utf-8", "replace"
            ):
                # swap's limit is a Cloudflare rule: the whole IP is blocked, and every request
                # during the block extends it.
                raise self._block_error(route, response, "rate limit, error 1015")
            retry_after = _retry_after(response.headers.get("retry-after"))
            if route.group not in routes.PACED_GROUPS:
                self.budget_for(route.host, route.group).pause_for(
                    retry_after if retry_after is not None else self.retry.base
                )
            raise RateLimited(
                f"{where}: rate limited" + (f", retry in {retry_after:g}s" if retry_after else ""),
                retry_after=retry_after,
                url=route.path,
            )
        detail = f": {message}" if message else ""
        if status == 401:
            raise AuthRequired(f"{where}: not logged in or token expired{detail}", url=route.path)
        if status == 403:
            raise Forbidden(f"{where}: not allowed{detail}", url=route.path)
        if status == 404:
            unrouted = routes.is_unrouted(_json_or_none(body))
            raise NotFound(f"{where}: not found{detail}", unrouted=unrouted, url=route.path)
        if status >= 500:
            raise ServerError(
                f"{where}: server error {status}{detail}", status=status, url=route.path
            )
        error = ClientError(f"{where}: refused ({status}){detail}", status=status, url=route.path)
        if status in RETRY_STATUSES:  # 408 and 413: the site's own client retries them
            error.retryable = True
        raise error

    def _decode(self, where: str, route: Route, body: bytes) -> Any:
        if not body.strip():
            return None
        try:
            return routes.decode_json(body)
        except orjson.JSONDecodeError:
            raise BadResponse(
                f"{where}: malformed or truncated JSON", excerpt=_excerpt(body), url=route.path
            ) from None


def _login_refusal(error: ApiError) -> str | None:
    """How a login route turned us down ("refused (401: Invalid signature)"), or None when the
    failure is not that route's answer to this signature (offline, blocked, 5xx, a bad body)."""
    if isinstance(error, NotFound) and error.unrouted:
        return "no such route (404)"
    parts = error.message.split(": ", 2)  # "<route>: <what>: <the server's message>"
    detail = f": {parts[2]}" if len(parts) == 3 else ""
    if isinstance(error, ClientError) and error.status == 410:
        return f"gone (410{detail})"
    if isinstance(error, AuthRequired):
        return f"refused (401{detail})"
    if isinstance(error, Forbidden):
        return f"refused (403{detail})"
    return None


def _login_route_gone(error: ApiError) -> bool:
    """No handler, or 410: the route will not come back this session."""
    return (isinstance(error, NotFound) and error.unrouted) or (
        isinstance(error, ClientError) and error.status == 410
    )


def _is_html(response: httpx.Response, body: bytes) -> bool:
    content_type = response.headers.get("content-type", "")
    return "html" in content_type or body.lstrip()[:1] == b"<"


def _json_or_none(body: bytes) -> Any:
    try:
        return routes.decode_json(body)
    except orjson.JSONDecodeError:
        return None


def _excerpt(body: bytes) -> str:
    return clean_text(body[: EXCERPT_LIMIT * 2].decode("utf-8", "replace"), EXCERPT_LIMIT)


def _error_message(body: bytes) -> str | None:
    """A short, sanitised message from an error body (JSON or an HTML page)."""
    if not body.strip():
        return None
    if body.lstrip()[:1] == b"<":
        return "HTML error page"
    try:
        message = routes.error_message(routes.decode_json(body))
    except orjson.JSONDecodeError:
        message = None
    return clean_text(message, EXCERPT_LIMIT) if message else None


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds, given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:
        return None
    return max(0.0, seconds)
