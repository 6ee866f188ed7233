"""A coin an alert rule waits on is read at the budget's pace however quiet it is: a quiet coin
is otherwise read less and less often (up to `trades_max`), and its dev's sell heard late."""

from __future__ import annotations

from pumptui.config import RefreshSettings
from pumptui.live.feeds import CoinTradesFeed, WatchlistFeed
from pumptui.sim import SimServer
from tests.live.conftest import EngineFactory, wait_until

# Quick polls; a quiet coin may relax to a minute (the default allows 30 s).
QUIET = RefreshSettings(trades_min=0.1, trades_max=60.0)


async def test_the_focused_coin_an_alert_names_is_read_at_the_budgets_pace_however_quiet(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    quiet, alerted = (
        sim.create_coin(name="Quiet", symbol="QT"),
        sim.create_coin(name="Alerted", symbol="AL"),
    )
    engine = engine_factory(sim, visible={"trades"}, settings=QUIET)
    feed = engine.feeds["trades"]
    assert isinstance(feed, CoinTradesFeed)
    runner = engine.runners["trades"]
    await engine.start()

    engine.focus(quiet)
    await wait_until(lambda: runner.polls >= 3, message="three polls of the quiet coin")
    assert feed.interval.value > QUIET.trades_min  # no trades: it relaxes

    engine.set_alerted([alerted])
    engine.focus(alerted)
    polls = runner.polls
    await wait_until(lambda: runner.polls >= polls + 2, message="two polls of the alerted coin")
    assert feed.interval.value == feed.interval.low  # the runner keeps to the budget's floor


async def test_watched_coins_an_alert_names_are_looked_at_the_budgets_pace_however_quiet(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    first, second = (
        sim.create_coin(name="One", symbol="W1"),
        sim.create_coin(name="Two", symbol="W2"),
    )
    engine = engine_factory(sim, visible={"watchlist"}, settings=QUIET)
    feed = engine.feeds["watchlist"]
    assert isinstance(feed, WatchlistFeed)
    runner = engine.runners["watchlist"]
    await engine.start()

    engine.watch([first, second])
    await wait_until(lambda: runner.polls >= 3, message="three looks at quiet coins")
    assert feed.interval.value > feed.interval.low

    engine.set_alerted([second])
    polls = runner.polls
    await wait_until(lambda: runner.polls >= polls + 2, message="two looks with an alert")
    assert feed.interval.value == feed.interval.low
