"""The screener's market activity: the rows on screen first, 50 coins a request from swap-api's
batch route, inside the host's budget, every answer kept by the store with the time it was read."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from pumptui.api import PumpClient, RequestBudget
from pumptui.api.budget import Priority
from pumptui.api.models import ActivityWindow, MarketActivity
from pumptui.config import ApiSettings, RefreshSettings
from pumptui.live.events import ActivityChanged
from pumptui.live.feeds import FeedContext
from pumptui.live.screener import SCREENER_FEED, ScreenerActivityFeed
from pumptui.live.store import MarketStore
from pumptui.sim import SimServer
from tests.live.conftest import FAST, EngineFactory, wait_until


class RecordingClient(PumpClient):
    """The real client over loopback, noting the mints of each batch it sends."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.batches: list[list[str]] = []

    async def market_activity_batch(
        self,
        mints: Sequence[str],
        *,
        intervals: Sequence[str] = (),
        priority: Priority = Priority.NORMAL,
        fail_fast: bool = False,
    ) -> dict[str, MarketActivity]:
        self.batches.append(list(mints))
        return await super().market_activity_batch(
            mints, intervals=intervals, priority=priority, fail_fast=fail_fast
        )


def fake_mints(count: int) -> list[str]:
    """Mints the simulator has no coin for: it answers null for them, like a coin not traded."""
    return [f"NoSuchCoin{n:03d}pump" for n in range(count)]


@pytest.mark.slow
async def test_rows_on_screen_are_read_first_in_batches_of_fifty_within_the_budget(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    real = sim.mints()
    on_screen = real[:8]
    listed = [*real, *fake_mints(130)]
    # One request a second after the first: swap-api's budget, scaled down for a test.
    rate, burst = 60.0, 1
    client = RecordingClient(
        ApiSettings(frontend_url=sim.base_url, swap_url=sim.base_url, indexer_url=sim.base_url),
        budget=RequestBudget(requests_per_minute=rate, burst=burst),
        timeout=2.0,
    )
    engine = engine_factory(sim, visible={SCREENER_FEED}, client=client)
    engine.show_rows(on_screen, listed)
    started = time.monotonic()
    await engine.start()

    store = engine.store
    await wait_until(
        lambda: all(store.market_activity(m) is not None for m in listed),
        message="every listed row's activity",
    )
    elapsed = time.monotonic() - started

    batches = client.batches
    assert batches[0][: len(on_screen)] == on_screen  # the rows on screen first, in their order
    assert all(0 < len(batch) <= 50 for batch in batches)
    assert all(len(set(batch)) == len(batch) for batch in batches)
    # 141 rows take three batches, and one more if the rows on screen fell due meanwhile (they
    # come first again whenever they are due).
    covering = next(
        n for n in range(1, len(batches) + 1) if set().union(*batches[:n]) == set(listed)
    )
    assert covering <= 4
    assert all(batch[0] == on_screen[0] for batch in batches if on_screen[0] in batch)
    assert len(batches) <= burst + rate / 60.0 * elapsed  # what the budget allowed
    # The simulator's coins carry their trading; a coin it has none for reads as no activity.
    assert any(store.market_activity(m).window("5m") for m in real)  # type: ignore[union-attr]
    # A coin without trades in a window (null from the route) has no volume there.
    quiet = store.market_activity(listed[-1])
    assert quiet is not None
    assert quiet.window("5m") == ActivityWindow(price_change_percent=None)
    assert store.market_activity_read_at(on_screen[0]) is not None


async def test_what_the_store_keeps_is_what_the_single_coin_route_says(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    mint = sim.hot_mint
    sim.inject_trades(mint, 12)
    engine = engine_factory(sim, visible={SCREENER_FEED})
    engine.show_rows([mint])
    await engine.start()
    await wait_until(lambda: engine.store.market_activity(mint) is not None)
    single = await engine.client.market_activity(mint)  # the clock stands still: same figures
    kept = engine.store.market_activity(mint)
    assert kept is not None
    for window in ("5m", "1h"):
        batch, alone = kept.window(window), single.window(window)
        assert batch is not None
        assert alone is not None
        assert batch.num_txs == alone.num_txs >= 12
        assert batch.volume_usd == alone.volume_usd > 0
        assert batch.price_change_percent == alone.price_change_percent


def feed_at(clock: list[float], store: MarketStore) -> ScreenerActivityFeed:
    ctx = FeedContext(
        client=None,  # type: ignore[arg-type]  # next_batch never sends
        store=store,
        emit=store.apply,
        settings=RefreshSettings(market_min=15.0, market_max=60.0),
        monotonic=lambda: clock[0],
    )
    return ScreenerActivityFeed(ctx)


def test_a_batch_takes_due_rows_on_screen_then_the_rows_read_longest_ago() -> None:
    clock = [1000.0]
    feed = feed_at(clock, MarketStore())
    listed = fake_mints(120)
    feed.set_rows(listed[:5], listed)
    first = feed.next_batch()
    assert first[:5] == listed[:5]
    assert len(first) == 50
    # As if the first batch was read: on the next poll nothing on screen is due yet, and the
    # rows never read come before those read a moment ago.
    for mint in first:
        feed._asked_at[mint] = clock[0]
    clock[0] += 1.0
    second = feed.next_batch()
    assert set(second).isdisjoint(first)
    assert len(second) == 50
    clock[0] += FAST.market_min + 15.0  # past the shortest interval: the screen's rows are due
    third = feed.next_batch()
    assert third[:5] == listed[:5]


def test_a_row_scrolled_into_view_that_was_never_read_asks_for_a_poll() -> None:
    feed = feed_at([0.0], MarketStore())
    mints = fake_mints(3)
    assert feed.set_rows(mints[:1], mints)
    feed._asked_at[mints[0]] = 0.0
    assert not feed.set_rows(mints[:1], mints)
    assert feed.set_rows(mints[1:2], mints)


def test_the_store_keeps_the_activity_of_every_listed_row() -> None:
    store = MarketStore()
    mints = fake_mints(250)
    for mint in mints:
        store.apply(ActivityChanged(mint, MarketActivity(mint), read_at=1.0))
    assert all(store.market_activity(m) is not None for m in mints)


async def test_rows_shown_after_the_start_are_read_at_once(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible={SCREENER_FEED})
    await engine.start()  # no rows yet: the feed has nothing to do and waits
    mint = sim.mints()[0]
    engine.show_rows([mint])
    await wait_until(lambda: engine.store.market_activity(mint) is not None, within=5.0)
