"""Helpers for the API tests: a client pointed at the simulator, fast enough for tests."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from pumptui.api import BlockPolicy, PumpClient, RequestBudget, RetryPolicy
from pumptui.base58 import b58encode
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from pumptui.sim import SimServer


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real transport, noting every request that goes out (a spy, not a mock)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await super().handle_async_request(request)


def settings_for(sim: SimServer) -> ApiSettings:
    return ApiSettings(frontend_url=sim.base_url, swap_url=sim.base_url, indexer_url=sim.base_url)


def make_client(
    sim: SimServer,
    *,
    token: Secret | None = None,
    timeout: float = 2.0,
    max_retries: int = 4,
    budget: RequestBudget | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> PumpClient:
    """Short timeouts and tiny backoffs; a budget of its own that never slows a test."""
    return PumpClient(
        settings_for(sim),
        token=token,
        budget=budget or RequestBudget(requests_per_minute=60_000, burst=100),
        retry=RetryPolicy(max_retries=max_retries, base=0.01, cap=0.05, rng=random.Random(1)),
        block=BlockPolicy(minimum=0.05, jitter=0.0),
        timeout=timeout,
        transport=transport,
    )


@pytest.fixture
async def client(sim: SimServer) -> AsyncIterator[PumpClient]:
    async with make_client(sim) as api:
        yield api


def unknown_mints(count: int, seed: int = 3) -> list[str]:
    """Valid mints (base58 of 32 bytes) that no simulated coin has."""
    rng = random.Random(seed)
    return [b58encode(bytes([rng.randrange(1, 256)]) + rng.randbytes(31)) for _ in range(count)]


@pytest.fixture
def many_coins(sim: SimServer) -> Callable[[int], list[str]]:
    """Create `count` more coins in the simulator; returns their mints."""

    def create(count: int) -> list[str]:
        return [
            sim.create_coin(name=f"Bulk {n}", symbol=f"B{n}", description="") for n in range(count)
        ]

    return create


def graduate(sim: SimServer, mint: str) -> None:
    """Buy out a coin's bonding curve: it completes (graduates) at the largest market cap a
    curve reaches, about 410 SOL."""

    def buy_out() -> None:
        market = sim.market
        coin = market.coins[mint]
        market._buy(coin, market._random_user().address, 1_000 * 10**9)
        assert coin.curve.complete

    sim.call(buy_out)
