"""The coin on screen's callouts, live: read from `/callout/top/{mint}` within the v3
callout-top group's budget, at most every 10 s by default, published as `CalloutsChanged` when
they change (the successor of the dead replies feed)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from pumptui.api import Callout, PumpClient, RetryPolicy
from pumptui.api.budget import HostBudgets
from pumptui.api.routes import Host
from pumptui.config import ApiSettings, RefreshSettings
from pumptui.live import CalloutsChanged, FeedState, event_to_json
from pumptui.live.bus import Subscription
from pumptui.sim import SimServer
from tests.live.conftest import MANUAL, EngineFactory, wait_until

QUIET_CALLOUTS = {
    "callouts_per_minute": 0.0,
    "callout_replies_per_minute": 0.0,
    "callout_likes_per_minute": 0.0,
}


@pytest.fixture
def quiet(sim_factory: Callable[..., SimServer]) -> SimServer:
    """No callouts but the test's own."""
    return sim_factory(**QUIET_CALLOUTS)


def changes(subscription: Subscription, mint: str) -> list[CalloutsChanged]:
    return [e for e in subscription.drain() if isinstance(e, CalloutsChanged) and e.mint == mint]


def ids(engine_store_callouts: tuple[Callout, ...] | None) -> list[str]:
    return [c.id for c in engine_store_callouts or ()]


async def test_the_coin_on_screen_gets_its_callouts_and_new_ones(
    quiet: SimServer, engine_factory: EngineFactory
) -> None:
    mint = quiet.create_coin(name="Called", symbol="CALD")
    quiet.buy(mint, quiet.admin_address, sol=0.2)
    first = quiet.post_callout(mint, "first [bold]call[/bold]\x1b[2J")
    engine = engine_factory(quiet, visible={"callouts"})
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(mint)
    await wait_until(lambda: ids(engine.store.callouts(mint)) == [first])
    assert [c.thesis for c in engine.store.callouts(mint) or ()] == ["first [bold]call[/bold]"]

    quiet.buy(mint, quiet.admin_address, sol=2.0)  # the first call is up since
    second = quiet.post_callout(mint, "second call")

    await wait_until(lambda: ids(engine.store.callouts(mint)) == [first, second])
    published = changes(subscription, mint)
    assert [ids(e.callouts) for e in published][-1] == [first, second]  # best multiple first
    assert (published[-1].callouts[0].multiple or 0.0) > 1.0
    assert engine.store.callouts_read_at(mint) == published[-1].read_at


async def test_a_coin_without_callouts_says_so(
    quiet: SimServer, engine_factory: EngineFactory
) -> None:
    mint = quiet.create_coin(name="Uncalled", symbol="NONE")
    engine = engine_factory(quiet, visible={"callouts"})
    assert engine.store.callouts(mint) is None  # not read yet
    await engine.start()
    engine.focus(mint)
    await wait_until(lambda: engine.store.callouts(mint) is not None)
    assert engine.store.callouts(mint) == ()


async def test_callouts_that_did_not_change_publish_nothing(
    quiet: SimServer, engine_factory: EngineFactory
) -> None:
    mint = quiet.create_coin(name="Still", symbol="STILL")
    quiet.post_callout(mint, "a call")
    engine = engine_factory(quiet, visible={"callouts"}, settings=MANUAL)
    subscription = engine.bus.subscribe(coalesce=False)
    await engine.start()
    engine.focus(mint)
    await wait_until(lambda: engine.store.callouts(mint) is not None)
    assert len(changes(subscription, mint)) == 1
    not_modified = engine.client.stats.not_modified
    for _ in range(3):
        polls = engine.runners["callouts"].polls
        engine.refresh("callouts")
        await wait_until(lambda polls=polls: engine.runners["callouts"].polls > polls)

    assert changes(subscription, mint) == []
    assert engine.client.stats.not_modified >= not_modified + 3


async def test_callouts_are_read_on_their_own_group_and_not_faster_than_every_10_s(
    quiet: SimServer, engine_factory: EngineFactory
) -> None:
    budgets = HostBudgets(frontend_per_minute=600, swap_per_minute=600, indexer_per_minute=60)
    client = PumpClient(
        ApiSettings(
            frontend_url=quiet.base_url, swap_url=quiet.base_url, indexer_url=quiet.base_url
        ),
        budgets=budgets,
        retry=RetryPolicy(max_retries=0),
        timeout=2.0,
    )
    mint = quiet.create_coin(name="Slow", symbol="SLOW")
    engine = engine_factory(quiet, visible={"callouts"}, client=client, settings=RefreshSettings())
    await engine.start()
    engine.focus(mint)
    await wait_until(lambda: engine.store.callouts(mint) is not None)
    bucket = client.budget_for(Host.FRONTEND, "callout-top")
    assert bucket.stats.granted == 1
    # Callouts posted now wait for the next read, at least 10 s after the first.
    quiet.post_callout(mint, "posted right after the first read")
    started = time.monotonic()
    while time.monotonic() - started < 1.5:
        await asyncio.sleep(0.1)
    assert bucket.stats.granted == 1
    assert engine.health["callouts"].state is FeedState.LIVE


async def test_leaving_the_coin_stops_its_callouts(
    quiet: SimServer, engine_factory: EngineFactory
) -> None:
    mint = quiet.create_coin(name="Left", symbol="LEFT")
    engine = engine_factory(quiet, visible={"callouts"})
    await engine.start()
    engine.focus(mint)
    await wait_until(lambda: engine.store.callouts(mint) is not None)
    engine.focus(None)
    await wait_until(lambda: engine.health["callouts"].state is FeedState.IDLE)


def test_callouts_as_json_lines_in_the_apps_units() -> None:
    callout = Callout.from_api(
        {
            "calloutId": "c-1",
            "coinMint": "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R",
            "marketCap": 12_500.5,
            "multiple": 3.0,
            "createdAt": 1_790_000_000_000,
            "thesis": "up only",
            "username": "anon",
        }
    )
    data = event_to_json(CalloutsChanged(callout.mint, (callout,), read_at=1_790_000_100.0))

    assert data["type"] == "callouts"
    assert (data["mint"], data["read_at"]) == (callout.mint, 1_790_000_100.0)
    line = data["callouts"][0]
    assert (line["id"], line["market_cap_usd"], line["multiple"], line["created_at"]) == (
        "c-1",
        12_500.5,
        3.0,
        1_790_000_000.0,
    )
    assert (line["thesis"], line["username"]) == ("up only", "anon")
