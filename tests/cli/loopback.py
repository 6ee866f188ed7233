"""Small loopback HTTP servers for command-line tests, each on a free port in its own thread.

- `legacy_2025_app()`: a server that still speaks only the mid-2025 routes (reference
  `pumpfun-api.md`) and answers NestJS "Cannot GET/POST" for every 2026 route.
- `proxy_app(upstream, rules)`: forwards everything to the simulator, except what a rule
  answers or rewrites (a swap-api block, a route that lost its handler, a renamed field).
Every request is logged, so a test can say exactly what was sent where and when.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from tests.api.conftest import unknown_mints

Rule = Callable[[web.Request], Awaitable[web.StreamResponse | None] | None]


@dataclass
class Loopback:
    """A running server: `base_url`, and `log` of (monotonic time, method, path)."""

    app: web.Application
    base_url: str = ""
    log: list[tuple[float, str, str]] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    def start(self) -> Loopback:
        ready = threading.Event()

        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            self.log.append((time.monotonic(), request.method, request.path))
            return await handler(request)

        self.app.middlewares.insert(0, record)

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self.app)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.base_url = f"http://127.0.0.1:{port}"
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def paths(self, prefix: str = "") -> list[str]:
        return [path for _, _, path in self.log if path.startswith(prefix)]


def cannot(request: web.Request) -> web.Response:
    """NestJS's answer for a path without a handler."""
    return web.json_response(
        {
            "message": f"Cannot {request.method} {request.path}",
            "error": "Not Found",
            "statusCode": 404,
        },
        status=404,
    )


# -- a server of the 2025 API ------------------------------------------------------------------

LEGACY_MINTS = unknown_mints(3)


def legacy_coin(mint: str, n: int) -> dict[str, Any]:
    """A coin with the 2025 keys only (pumpfun-api.md, "Coin object")."""
    return {
        "mint": mint,
        "name": f"Old {n}",
        "symbol": f"OLD{n}",
        "description": "",
        "image_uri": None,
        "metadata_uri": None,
        "creator": LEGACY_MINTS[0],
        "bonding_curve": None,
        "associated_bonding_curve": None,
        "twitter": None,
        "telegram": None,
        "website": None,
        "username": None,
        "profile_image": None,
        "created_timestamp": 1_750_000_000_000 + n,
        "last_trade_timestamp": None,
        "king_of_the_hill_timestamp": None,
        "last_reply": None,
        "virtual_sol_reserves": 30_000_000_000,
        "real_sol_reserves": 0,
        "virtual_token_reserves": 1_073_000_000_000_000,
        "real_token_reserves": 793_100_000_000_000,
        "total_supply": 1_000_000_000_000_000,
        "market_cap": 27.96,
        "usd_market_cap": 4194.0,
        "reply_count": 0,
        "complete": False,
        "nsfw": False,
        "is_banned": False,
        "show_name": True,
        "is_currently_live": False,
        "raydium_pool": None,
        "pump_swap_pool": None,
        "ath_market_cap": 27.96,
    }


def legacy_2025_app() -> web.Application:
    coins = [legacy_coin(mint, n) for n, mint in enumerate(LEGACY_MINTS)]
    by_mint = {c["mint"]: c for c in coins}

    async def listing(request: web.Request) -> web.Response:
        return web.json_response(coins)

    async def latest(request: web.Request) -> web.Response:
        return web.json_response(coins[0])

    async def one(request: web.Request) -> web.Response:
        coin = by_mint.get(request.match_info["mint"])
        if coin is None:
            return web.json_response({"message": "Coin not found", "statusCode": 404}, status=404)
        return web.json_response(coin)

    async def trades_all(request: web.Request) -> web.Response:
        return web.json_response([])

    async def candlesticks(request: web.Request) -> web.Response:
        return web.json_response([])

    async def fallback(request: web.Request) -> web.Response:
        return cannot(request)

    app = web.Application()
    app.router.add_get("/coins", listing)
    app.router.add_get("/coins/latest", latest)
    app.router.add_get("/coins/{mint}", one)
    app.router.add_get("/trades/all/{mint}", trades_all)
    app.router.add_get("/candlesticks/{mint}", candlesticks)
    app.router.add_route("*", "/{tail:.*}", fallback)
    return app


# -- a proxy in front of the simulator ---------------------------------------------------------


def proxy_app(upstream: str, *rules: Rule) -> web.Application:
    """Forward to `upstream`; the first rule that returns a response answers instead."""
    client: dict[str, httpx.AsyncClient] = {}

    async def forward(request: web.Request) -> web.StreamResponse:
        for rule in rules:
            answer = rule(request)
            if asyncio.iscoroutine(answer):
                answer = await answer
            if answer is not None:
                return answer
        http = client.setdefault("c", httpx.AsyncClient(timeout=30))
        body = await request.read()
        response = await http.request(
            request.method,
            upstream + request.path_qs,
            content=body or None,
            headers={
                k: v
                for k, v in request.headers.items()
                if k.lower() in ("content-type", "authorization", "cookie")
            },
        )
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower().startswith(("x-ratelimit", "retry-after", "etag"))
        }
        return web.Response(
            status=response.status_code,
            body=response.content,
            content_type=response.headers.get("content-type", "application/json").split(";")[0],
            headers=headers,
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def swap_blocked(retry_after: int = 48) -> Rule:
    """swap-api's Cloudflare answer for every swap path (reference §2)."""

    def rule(request: web.Request) -> web.Response | None:
        if request.path.startswith(("/v1/", "/v2/")):
            return web.Response(
                status=429,
                text="error code: 1015",
                content_type="text/plain",
                headers={"server": "cloudflare", "retry-after": str(retry_after)},
            )
        return None

    return rule


def unrouted(prefix: str) -> Rule:
    """A route that lost its handler: "Cannot GET"."""

    def rule(request: web.Request) -> web.Response | None:
        return cannot(request) if request.path.startswith(prefix) else None

    return rule


def rename_field(path: str, old: str, new: str, upstream: str) -> Rule:
    """Answer `path` as upstream does, with one top-level key renamed."""

    async def rule(request: web.Request) -> web.Response | None:
        if request.path != path:
            return None
        async with httpx.AsyncClient() as http:
            payload = (await http.get(upstream + request.path_qs)).json()
        payload[new] = payload.pop(old)
        return web.json_response(payload)

    return rule
