"""A loopback HTTP server that answers exactly what a test scripts, and counts what it got.

Client behaviour that needs answers the simulator does not give on demand (a primary route gone,
a fixture record from the reference, a challenge page at a chosen moment) is tested against this:
a real aiohttp server on a free loopback port, so requests really travel over HTTP and the
counting happens server-side — a test that says "nothing was sent" is checked where it counts.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from aiohttp import web


@dataclass(slots=True)
class Canned:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(payload: Any, status: int = 200, **headers: str) -> Canned:
    return Canned(
        status,
        orjson.dumps(payload),
        {"content-type": "application/json; charset=utf-8", **headers},
    )


def text_answer(text: str, status: int, content_type: str = "text/plain", **headers: str) -> Canned:
    return Canned(status, text.encode(), {"content-type": content_type, **headers})


def cannot(method: str, path: str) -> Canned:
    """NestJS's answer for a path with no handler."""
    return json_answer(
        {"message": f"Cannot {method} {path}", "error": "Not Found", "statusCode": 404}, 404
    )


class CannedServer:
    """`answer(method, path, *canned)`: the answers to give, in order; the last one repeats.
    Paths are matched without the query string. An unscripted path gets NestJS's "Cannot GET"."""

    def __init__(self) -> None:
        self._script: dict[tuple[str, str], deque[Canned]] = {}
        self.hits: dict[str, list[float]] = defaultdict(list)  # "GET /path" -> arrival times
        self.requests: list[web.Request] = []
        self.bodies: list[Any] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def answer(self, method: str, path: str, *answers: Canned) -> None:
        self._script[(method, path)] = deque(answers)

    def count(self, method: str, path: str) -> int:
        return len(self.hits[f"{method} {path}"])

    def times(self, prefix: str = "") -> list[float]:
        """Arrival times (monotonic) of every request whose "METHOD /path" starts with prefix."""
        return sorted(t for key, ts in self.hits.items() if key.startswith(prefix) for t in ts)

    @property
    def total(self) -> int:
        return sum(len(ts) for ts in self.hits.values())

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        key = f"{request.method} {request.path}"
        self.hits[key].append(time.monotonic())
        self.requests.append(request)
        if request.can_read_body:
            raw = await request.read()
            try:
                self.bodies.append(orjson.loads(raw))
            except orjson.JSONDecodeError:
                self.bodies.append(raw)
        queue = self._script.get((request.method, request.path))
        canned = (
            cannot(request.method, request.path)
            if not queue
            else (queue.popleft() if len(queue) > 1 else queue[0])
        )
        return web.Response(status=canned.status, body=canned.body, headers=canned.headers)

    async def start(self) -> CannedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def canned() -> AsyncIterator[CannedServer]:
    server = await CannedServer().start()
    yield server
    await server.stop()
