"""Polling a coin that trades faster than the request budget can read: what was read is
delivered at once, the trades skipped are said (with an estimate of how many), and the feed
keeps reading the live edge. Against the simulator in real time, over loopback HTTP."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import orjson
import pytest

from pumptui.api.models import Trade
from pumptui.cli.watch import EventPrinter
from pumptui.live import FeedState, NewTrade
from pumptui.live.events import Event, TradesSkipped
from pumptui.sim import SimServer
from tests.live.conftest import FAST, EngineFactory, make_client, wait_until

# 90 requests a minute, 100 trades a page: polling carries at most 150 trades a second; the
# coin makes twice that.
BUDGET_PER_MINUTE = 90.0
TRADES_PER_SECOND = 300.0
POLLS = 7


@pytest.mark.slow
async def test_a_flood_is_delivered_at_once_with_its_gaps_said_and_never_goes_silent(
    sim_factory: Callable[..., SimServer], engine_factory: EngineFactory
) -> None:
    sim = sim_factory(clock="real", warmup=2.0, hot_trades_per_second=TRADES_PER_SECOND)
    hot = sim.hot_mint
    client = make_client(sim, requests_per_minute=BUDGET_PER_MINUTE, burst=1)
    engine = engine_factory(sim, visible={"trades"}, client=client, settings=FAST)
    runner = engine.runners["trades"]
    # Each live trade with the number of the poll that delivered it; the gap notes.
    delivered: list[tuple[int, NewTrade]] = []
    gaps: list[TradesSkipped] = []

    def record(event: Event) -> bool:
        if isinstance(event, NewTrade) and event.mint == hot and not event.historical:
            delivered.append((runner.polls, event))
        elif isinstance(event, TradesSkipped):
            gaps.append(event)
        return False

    engine.bus.subscribe(accept=record)
    await engine.start()
    engine.focus(hot)
    await wait_until(lambda: runner.polls >= 2, message="the first polls")
    start = runner.polls
    await wait_until(lambda: runner.polls >= start + POLLS, within=30.0, message="the polls")
    end = runner.polls

    trades = [event.trade for _, event in delivered]
    signatures = [trade.signature for trade in trades]
    assert len(signatures) == len(set(signatures)), "a trade was delivered twice"
    assert [t.chain_order for t in trades] == sorted(t.chain_order for t in trades)

    # Every poll delivers what it read: no poll in the window goes by without trades, so no
    # silent stretch is longer than two poll periods.
    polls_with_trades = sorted({poll for poll, _ in delivered if start <= poll < end})
    stretches = [b - a for a, b in itertools.pairwise([start - 1, *polls_with_trades, end])]
    assert max(stretches) <= 2, f"polls that delivered: {polls_with_trades} of {start}..{end}"

    # The trades skipped are said, with an estimate near what really went missing.
    assert gaps
    assert all(g.mint == hot and g.feed == "trades" for g in gaps)
    first, last = trades[0], trades[-1]
    made = [Trade.from_swap(record, hot) for record in sim.trades_of(hot)]
    between = {t.signature for t in made if first.chain_order <= t.chain_order <= last.chain_order}
    missing = len(between - set(signatures))
    estimated = sum(g.skipped or 0 for g in gaps if g.before is not None)
    assert missing > len(signatures) / 2  # a flood: the budget reads half of it at most
    assert 0.4 * missing <= estimated <= 2.0 * missing, (estimated, missing)
    health = engine.health["trades"]
    assert health.state is FeedState.SLOW
    assert health.reason is not None
    assert health.reason.endswith("skipped (budget)")


def test_a_gap_is_a_line_of_watch_output_in_json_and_in_the_table() -> None:
    mint = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmW2hr"
    gap = TradesSkipped(mint, "trades", 1240, after=1_764_633_600.0, before=1_764_633_604.0)
    out = io.StringIO()
    EventPrinter(out, "jsonl", frozenset(), named={mint}, history=False).print(gap)
    assert orjson.loads(out.getvalue()) == {
        "type": "trades_skipped",
        "mint": mint,
        "feed": "trades",
        "skipped": 1240,
        "after": 1_764_633_600.0,
        "before": 1_764_633_604.0,
    }
    table = io.StringIO()
    EventPrinter(table, "table", frozenset(), named={mint}, history=False).print(gap)
    assert "~1,240 trades skipped since 00:00:00" in table.getvalue()
