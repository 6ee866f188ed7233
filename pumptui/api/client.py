"""`PumpClient`: the one way pumptui talks to a Pump.fun-compatible server.

What a caller can rely on:
- one long-lived `httpx.AsyncClient` (pooled connections, explicit timeouts and limits);
- every request first takes a token from the process-wide `RequestBudget`, with a priority;
- 429, 5xx, timeouts, dropped connections and unusable bodies are retried with exponential
  backoff and full jitter (honouring `Retry-After`), but a POST only when repeating it is safe;
- every failure is one of the typed errors in `pumptui.api.errors`, with a short, safe message;
- conditional GETs: ETags are remembered per URL; a 304 comes back as "unchanged" unparsed;
- the token goes out as the `auth_token` cookie and a Bearer header, only over https or to a
  loopback host, and never appears in a repr, a log line or an error message.

Paths and JSON shapes live in `routes`; this module only moves bytes and maps failures.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import random
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx
import orjson

from pumptui import __version__
from pumptui.api import routes
from pumptui.api.budget import Priority, RequestBudget, shared_budget
from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    BadResponse,
    ClientError,
    ConnectionFailed,
    Forbidden,
    InsecureTransport,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from pumptui.api.models import (
    BookmarkList,
    Candle,
    Coin,
    CoinMetadata,
    ModelError,
    Reply,
    Trade,
    User,
    parse_list,
)
from pumptui.api.routes import Host, Route
from pumptui.api.sanitize import clean_text
from pumptui.config import SITE_URL, ApiSettings
from pumptui.secret import Secret

log = logging.getLogger("pumptui.api")

T = TypeVar("T")
USER_AGENT = f"pumptui/{__version__}"
ETAG_MEMORY = 2048
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


@dataclass(frozen=True, slots=True)
class ClientStats:
    requests: int
    requests_last_minute: int
    bytes_in: int
    last_status: int | None
    rate_limited_until: float | None  # Unix seconds, None when not held back
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


class _NoCookies(DefaultCookiePolicy):
    """The client never keeps cookies: the token is sent explicitly, only where allowed."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


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


def token_allowed(url: str) -> bool:
    """A token may only travel encrypted, or not leave the machine."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or ""))


class PumpClient:
    """Async client for the Pump.fun API. Use as `async with PumpClient(settings) as client:`."""

    def __init__(
        self,
        settings: ApiSettings | None = None,
        *,
        token: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
    ) -> None:
        self.settings = settings or ApiSettings()
        for url in (self.settings.frontend_url, self.settings.advanced_url):
            problem = base_url_problem(url)
            if problem:
                raise ValueError(problem)
        self.budget = budget or shared_budget(
            self.settings.requests_per_minute, self.settings.burst
        )
        self.retry = retry or RetryPolicy(max_retries=self.settings.max_retries)
        self._token = token
        seconds = timeout if timeout is not None else self.settings.timeout
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
        )
        self._etags: OrderedDict[str, str] = OrderedDict()
        self._requests = 0
        self._retries = 0
        self._not_modified = 0
        self._bytes_in = 0
        self._last_status: int | None = None
        self._sent_at: deque[float] = deque()

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
            f"advanced={self.settings.advanced_url!r}, "
            f"token={'set' if self._token else 'none'})"
        )

    def set_token(self, token: Secret | None) -> None:
        self._token = token

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
        paused = self.budget.paused_until
        return ClientStats(
            requests=self._requests,
            requests_last_minute=len(self._sent_at),
            bytes_in=self._bytes_in,
            last_status=self._last_status,
            rate_limited_until=None if paused is None else time.time() + (paused - now),
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
        limit: int = 50,
        sort: str = "created_timestamp",
        order: str = "DESC",
        include_nsfw: bool = False,
        search: str | None = None,
        creator: str | None = None,
        complete: bool | None = None,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Page[Coin]:
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
        answer = await self._call(route, priority=priority, conditional=conditional)
        return self._page(answer, route, Coin.from_api, offset=offset, limit=limit)

    async def latest_coin(self, *, priority: Priority = Priority.NORMAL) -> Coin:
        route = routes.latest_coin()
        answer = await self._call(route, priority=priority)
        return self._one(answer, route, Coin.from_api)

    async def coin(
        self, mint: str, *, conditional: bool = False, priority: Priority = Priority.NORMAL
    ) -> Coin | None:
        """The coin, or None only when `conditional` and it has not changed (304)."""
        route = routes.coin(mint)
        answer = await self._call(route, priority=priority, conditional=conditional)
        if answer.unchanged:
            return None
        return self._one(answer, route, Coin.from_api)

    async def king_of_the_hill(
        self,
        *,
        include_nsfw: bool = False,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Coin | None:
        """The current king, or None when unchanged (304) or when there is no king."""
        route = routes.king_of_the_hill(include_nsfw=include_nsfw)
        answer = await self._call(route, priority=priority, conditional=conditional)
        if answer.unchanged or not answer.payload:
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
    ) -> Page[Coin]:
        route = routes.search_coins(term, limit=limit, offset=offset, include_nsfw=include_nsfw)
        answer = await self._call(route, priority=priority)
        return self._page(answer, route, Coin.from_api, offset=offset, limit=limit)

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
        answer = await self._call(route, priority=priority, conditional=conditional)
        return self._page(answer, route, Coin.from_api, offset=offset, limit=limit)

    async def coins_by_mints(
        self,
        mints: Sequence[str],
        *,
        priority: Priority = Priority.NORMAL,
        max_retries: int | None = None,
    ) -> Page[Coin]:
        """One request for at most 100 mints. Unknown mints are simply missing; order is the
        server's. `max_retries=0` leaves retrying to the caller (bulk operations do)."""
        route = routes.coins_by_mints(mints)
        answer = await self._call(route, priority=priority, max_retries=max_retries)
        return self._page(answer, route, Coin.from_api)

    async def metadatas(
        self,
        mints: Sequence[str],
        *,
        priority: Priority = Priority.NORMAL,
        max_retries: int | None = None,
    ) -> Page[CoinMetadata]:
        route = routes.metadatas(mints)
        answer = await self._call(route, priority=priority, max_retries=max_retries)
        return self._page(answer, route, CoinMetadata.from_api)

    # -- trades and candles ---------------------------------------------------------------------

    async def latest_trade(
        self, *, conditional: bool = False, priority: Priority = Priority.NORMAL
    ) -> Trade | None:
        """The newest trade on the whole site, or None when unchanged (304)."""
        route = routes.latest_trade()
        answer = await self._call(route, priority=priority, conditional=conditional)
        if answer.unchanged:
            return None
        return self._one(answer, route, Trade.from_api)

    async def trades(
        self,
        mint: str,
        *,
        limit: int = 200,
        offset: int = 0,
        minimum_size_lamports: int = 0,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Page[Trade]:
        """Newest first, as the API sends them."""
        route = routes.trades(
            mint, limit=limit, offset=offset, minimum_size_lamports=minimum_size_lamports
        )
        answer = await self._call(route, priority=priority, conditional=conditional)
        return self._page(answer, route, Trade.from_api, offset=offset, limit=limit)

    async def trade_count(
        self,
        mint: str,
        *,
        minimum_size_lamports: int = 0,
        priority: Priority = Priority.NORMAL,
    ) -> int:
        route = routes.trade_count(mint, minimum_size_lamports=minimum_size_lamports)
        answer = await self._call(route, priority=priority)
        return self._shape(answer, route, routes.read_count)

    async def candles(
        self,
        mint: str,
        *,
        timeframe_minutes: int = 1,
        offset: int = 0,
        limit: int = 1000,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Page[Candle]:
        route = routes.candles(
            mint, timeframe_minutes=timeframe_minutes, offset=offset, limit=limit
        )
        answer = await self._call(route, priority=priority, conditional=conditional)
        seconds = max(1, timeframe_minutes) * 60
        return self._page(
            answer,
            route,
            lambda record: Candle.from_api(record, seconds=seconds),
            offset=offset,
            limit=limit,
        )

    # -- replies and social ---------------------------------------------------------------------

    async def replies(
        self,
        mint: str,
        *,
        limit: int = 50,
        offset: int = 0,
        reverse: bool = False,
        conditional: bool = False,
        priority: Priority = Priority.NORMAL,
    ) -> Page[Reply]:
        route = routes.replies(mint, limit=limit, offset=offset, reverse=reverse)
        answer = await self._call(route, priority=priority, conditional=conditional)
        if answer.unchanged:
            return Page([], unchanged=True)
        shape = self._shape(answer, route, routes.read_replies)
        parsed = parse_list(shape.records, Reply.from_api)
        has_more = shape.has_more
        if has_more is None:
            has_more = len(shape.records) >= limit
        next_offset = shape.next_offset
        if next_offset is None:
            next_offset = offset + len(shape.records)
        return Page(parsed.items, parsed.skipped, has_more=has_more, next_offset=next_offset)

    async def post_reply(
        self, mint: str, text: str, *, captcha_token: str | None = None
    ) -> Reply | None:
        """Post a reply; None when the server accepted it without echoing it back."""
        route = routes.post_reply(mint, text, captcha_token=captcha_token)
        answer = await self._call(route, priority=Priority.FOREGROUND)
        record = routes.read_reply(answer.payload)
        if record is None:
            return None
        try:
            return Reply.from_api(record)
        except ModelError:
            return None

    async def like(self, target_id: str | int) -> None:
        await self._call(routes.like(target_id), priority=Priority.FOREGROUND)

    async def unlike(self, target_id: str | int) -> None:
        await self._call(routes.unlike(target_id), priority=Priority.FOREGROUND)

    async def follow(self, address: str, *, captcha_token: str) -> None:
        route = routes.follow(address, captcha_token=captcha_token)
        await self._call(route, priority=Priority.FOREGROUND)

    async def unfollow(self, address: str) -> None:
        await self._call(routes.unfollow(address), priority=Priority.FOREGROUND)

    async def followers(
        self, address: str, *, priority: Priority = Priority.NORMAL
    ) -> list[User]:
        route = routes.followers(address)
        answer = await self._call(route, priority=priority)
        return self._page(answer, route, User.from_api).items

    async def bookmarks(self, *, priority: Priority = Priority.NORMAL) -> list[BookmarkList]:
        route = routes.bookmarks()
        answer = await self._call(route, priority=priority)
        return self._page(answer, route, BookmarkList.from_api).items

    async def create_bookmark(self, name: str) -> BookmarkList | None:
        """The new list, or None when the server did not echo it back."""
        answer = await self._call(routes.create_bookmark(name), priority=Priority.FOREGROUND)
        record = routes.read_created_bookmark(answer.payload)
        if record is None:
            return None
        try:
            return BookmarkList.from_api(record)
        except ModelError:
            return None

    async def delete_bookmark(self, list_id: str) -> None:
        await self._call(routes.delete_bookmark(list_id), priority=Priority.FOREGROUND)

    async def add_bookmark_item(self, mint: str, list_ids: Sequence[str]) -> None:
        route = routes.add_bookmark_item(mint, list_ids)
        await self._call(route, priority=Priority.FOREGROUND)

    async def remove_bookmark_item(self, mint: str, list_ids: Sequence[str]) -> None:
        route = routes.remove_bookmark_item(mint, list_ids)
        await self._call(route, priority=Priority.FOREGROUND)

    # -- moderation -----------------------------------------------------------------------------

    async def bulk_nsfw(
        self, mints: Sequence[str], *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_nsfw(mints), max_retries)

    async def bulk_hide(
        self, ids: Sequence[int], *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_hide(ids), max_retries)

    async def bulk_ban(
        self, ids: Sequence[int], reason: str, *, max_retries: int | None = None
    ) -> ModerationResult:
        return await self._moderate(routes.bulk_ban(ids, reason), max_retries)

    async def _moderate(self, route: Route, max_retries: int | None) -> ModerationResult:
        answer = await self._call(route, priority=Priority.NORMAL, max_retries=max_retries)
        shape = self._shape(answer, route, routes.read_moderation)
        return ModerationResult(shape.updated, shape.not_found, shape.complete)

    # -- auth and misc --------------------------------------------------------------------------

    async def sol_price(
        self, *, conditional: bool = False, priority: Priority = Priority.BACKGROUND
    ) -> float | None:
        """SOL in USD; None when unchanged (304) or when the server gave no usable price."""
        route = routes.sol_price()
        answer = await self._call(route, priority=priority, conditional=conditional)
        if answer.unchanged:
            return None
        return routes.read_sol_price(answer.payload)

    async def sim_captcha(self) -> str:
        """A captcha token from the embedded simulator (demo mode). Not retried: a token is cheap
        to ask for again, and the user is waiting."""
        route = routes.sim_captcha()
        answer = await self._call(route, priority=Priority.FOREGROUND, max_retries=0)
        return self._shape(answer, route, routes.read_captcha_token)

    async def login(self, address: str, signature_b58: str, timestamp_ms: int) -> Secret:
        """Exchange a signed login message for a token (read from `Set-Cookie`); the client
        uses it from now on."""
        route = routes.login(address, signature_b58, timestamp_ms)
        answer = await self._call(route, priority=Priority.FOREGROUND)
        raw = routes.read_auth_cookie(answer.headers.get_list("set-cookie"))
        if raw is None:
            raise BadResponse("login answered without an auth_token cookie", url=route.path)
        token = Secret(raw)
        del raw
        self._token = token
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
            self._token = None

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
            return Page([], unchanged=True)
        records = self._shape(answer, route, routes.read_list)
        parsed = parse_list(records, parse)
        if parsed.skipped:
            log.debug("%s %s: skipped %d bad records", route.method, route.path, parsed.skipped)
        page: Page[T] = Page(parsed.items, parsed.skipped)
        if offset is not None and limit is not None:
            page.has_more = len(records) >= limit
            page.next_offset = offset + len(records)
        return page

    def _one(self, answer: _Answer, route: Route, parse: Callable[[Any], T]) -> T:
        record = self._shape(answer, route, routes.read_object)
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

    async def _call(
        self,
        route: Route,
        *,
        priority: Priority = Priority.NORMAL,
        conditional: bool = False,
        max_retries: int | None = None,
    ) -> _Answer:
        """Send with retries. Only retryable errors on retry-safe routes are repeated; a 429 or a
        refused connection is repeated for any route, as the server never acted on it."""
        retries = self.retry.max_retries if max_retries is None else max(0, max_retries)
        attempt = 0
        while True:
            try:
                return await self._send_once(route, priority=priority, conditional=conditional)
            except ApiError as error:
                never_arrived = isinstance(error, RateLimited) or (
                    isinstance(error, ConnectionFailed) and error.never_sent
                )
                if not error.retryable or attempt >= retries:
                    raise
                if not (route.retry_safe or never_arrived):
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
                    route.method, route.path, error.message, attempt, wait,
                )
                await asyncio.sleep(wait)

    def _build_request(self, route: Route, conditional: bool) -> httpx.Request:
        """The request, with the token only where it may go. Kept apart from sending so that no
        frame on a traceback holds the token in a plain local."""
        settings = self.settings
        base = settings.advanced_url if route.host is Host.ADVANCED else settings.frontend_url
        url = base.rstrip("/") + route.path
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
        if self._token is not None:
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

    async def _send_once(self, route: Route, *, priority: Priority, conditional: bool) -> _Answer:
        request = self._build_request(route, conditional)
        await self.budget.acquire(priority)
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
        if response.status_code != 429 or "retry-after" not in response.headers:
            # A 429's Retry-After is the server's specific instruction; its window headers
            # (often "0 left, reset in 50 s") would otherwise override it.
            self.budget.observe(response.headers)
        log.debug(
            "%s %s -> %d (%d bytes, %.0f ms)",
            route.method, route.path, response.status_code, len(body), elapsed * 1000,
        )
        return self._interpret(route, request, response, body)

    def _interpret(
        self, route: Route, request: httpx.Request, response: httpx.Response, body: bytes
    ) -> _Answer:
        status = response.status_code
        where = f"{route.method} {route.path}"
        if status == 304:
            self._not_modified += 1
            return _Answer(status, None, response.headers, unchanged=True)
        if 200 <= status < 300:
            payload = self._decode(where, route, response, body)
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
            retry_after = _retry_after(response.headers.get("retry-after"))
            self.budget.pause_for(retry_after if retry_after is not None else self.retry.base)
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
            raise NotFound(f"{where}: not found{detail}", url=route.path)
        if status >= 500:
            raise ServerError(f"{where}: server error {status}{detail}", status=status,
                              url=route.path)
        raise ClientError(f"{where}: refused ({status}){detail}", status=status, url=route.path)

    def _decode(self, where: str, route: Route, response: httpx.Response, body: bytes) -> Any:
        if not body.strip():
            return None
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or body.lstrip()[:1] == b"<":
            raise BadResponse(
                f"{where}: an HTML page instead of JSON", excerpt=_excerpt(body), url=route.path
            )
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise BadResponse(
                f"{where}: malformed or truncated JSON", excerpt=_excerpt(body), url=route.path
            ) from None


def _excerpt(body: bytes) -> str:
    return clean_text(body[: EXCERPT_LIMIT * 2].decode("utf-8", "replace"), EXCERPT_LIMIT)


def _error_message(body: bytes) -> str | None:
    """A short, sanitised message from an error body (JSON or an HTML page)."""
    if not body.strip():
        return None
    if body.lstrip()[:1] == b"<":
        return "HTML error page"
    try:
        message = routes.error_message(orjson.loads(body))
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

