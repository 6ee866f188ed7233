"""Engines pointed at the simulator, with short timeouts and tiny backoffs."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import pytest

from pumptui.api import PumpClient, RequestBudget, RetryPolicy
from pumptui.api.client import BlockPolicy
from pumptui.config import ApiSettings, RefreshSettings
from pumptui.live import LiveEngine
from pumptui.sim import SimServer

# Polls as often as a test needs; backoff in tenths of a second.
FAST = RefreshSettings(
    coins_min=0.2,
    coins_max=0.5,
    trades_min=0.2,
    trades_max=0.5,
    market_min=0.2,
    market_max=0.5,
    callouts_min=0.2,
    callouts_max=0.5,
)
# Never polls by itself within a test: only when the test asks (refresh) or something wakes it.
MANUAL = RefreshSettings(
    coins_min=60,
    coins_max=120,
    trades_min=60,
    trades_max=120,
    market_min=60,
    market_max=120,
    callouts_min=60,
    callouts_max=120,
)


def make_client(
    sim: SimServer,
    *,
    requests_per_minute: float = 60_000,
    burst: int = 100,
    max_retries: int = 0,
    timeout: float = 2.0,
) -> PumpClient:
    return PumpClient(
        ApiSettings(frontend_url=sim.base_url, swap_url=sim.base_url, indexer_url=sim.base_url),
        budget=RequestBudget(requests_per_minute=requests_per_minute, burst=burst),
        retry=RetryPolicy(max_retries=max_retries, base=0.01, cap=0.05, rng=random.Random(1)),
        timeout=timeout,
        # A blocked host is left alone for a second here, not a minute.
        block=BlockPolicy(minimum=1.0, jitter=0.2, rng=random.Random(2)),
    )


async def wait_until(
    predicate: Callable[[], Any],
    within: float = 10.0,
    message: str | Callable[[], str] = "condition",
) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"timed out waiting for {text}")
        await asyncio.sleep(0.02)


EngineFactory = Callable[..., LiveEngine]


@pytest.fixture
async def engine_factory() -> AsyncIterator[EngineFactory]:
    """`make(sim, visible=..., settings=..., client=..., **engine_options)`; started engines and
    their clients are stopped and closed after the test."""
    made: list[tuple[LiveEngine, PumpClient]] = []

    def make(
        sim: SimServer,
        *,
        visible: Iterable[str],
        settings: RefreshSettings = FAST,
        client: PumpClient | None = None,
        **options: Any,
    ) -> LiveEngine:
        api = client or make_client(sim)
        options.setdefault("error_backoff", (0.05, 0.3))
        engine = LiveEngine(api, settings=settings, visible=visible, **options)
        made.append((engine, api))
        return engine

    yield make
    for engine, api in made:
        await engine.stop()
        await api.aclose()
