"""`pumptui alerts` on the simulator: a scripted burst and a dev sell fire each matching rule
exactly as often as the simulator's own record of the trades says, and cooldowns hold across a
restart; a failing command hook is said once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from pumptui.sim import SimServer
from tests.alerts.headless import Headless

BIG = Decimal("0.3")  # SOL: a "big buy" in these tests

RULES = """
[[alerts]]
name = "big buys"
when = "event = trade and side = buy and sol >= 0.3"
mint = "{mint}"
cooldown = 0

[[alerts]]
name = "first trade"
when = "event = trade"
mint = "{mint}"
cooldown = "1h"

[[alerts]]
name = "never"
when = "event = trade and sol > 100000"
mint = "{mint}"
cooldown = 0

[[alerts]]
name = "hook"
when = "event = trade and side = sell"
mint = "{mint}"
cooldown = 0
deliver = ["command"]
command = "echo 'no bot token' >&2; exit 3"

[[alerts]]
name = "dev sells"
when = "event = trade and side = sell and by = dev"
mint = "{mint}"
cooldown = 0
"""


@pytest.fixture
def quiet_sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    """A market that moves only when the test says so, on a real clock (trades are not late)."""
    return sim_factory(clock="real", warmup=0.0, launches_per_minute=0.0, trades_per_second=0.0)


@pytest.fixture
def runs() -> Iterator[list[Headless]]:
    started: list[Headless] = []
    yield started
    for run in started:
        run.close()


def run_until_the_dev_sells(
    sim: SimServer, mint: str, config: Path, runs: list[Headless]
) -> tuple[Headless, list[str]]:
    """Start `pumptui alerts`, burst 40 trades then make the dev sell once it reads, and read
    until the dev's sell has fired (the last rule on the last trade: all else is out). Returns
    the run and the signatures of the trades made."""
    run = Headless(
        "--api-url", sim.base_url, "alerts", "--config", str(config), "--swap-rpm", "600"
    )
    runs.append(run)
    run.wait_for(lambda: run.said("trades: live"), "the coin's trades are read")
    made = sim.inject_trades(mint, 40)
    dev = sim.user_address
    made.append(sim.buy(mint, wallet=dev, sol=0.5))  # the burst may have sold the dev's share
    made.append(sim.sell(mint))  # the dev dumps
    run.wait_for(
        lambda: any(
            line["signature"] == made[-1] and line["name"] == "dev sells" for line in run.lines
        ),
        "the dev's sell fired",
    )
    run.wait_for(lambda: run.said("exit status 3"), "the failing hook is reported")
    assert run.interrupt() == 130
    return run, made


def fired(run: Headless, name: str) -> list[str]:
    return [line["signature"] for line in run.lines if line["name"] == name]


@pytest.mark.slow
def test_a_burst_and_a_dev_sell_fire_each_rule_as_the_simulator_says(
    quiet_sim: SimServer, runs: list[Headless], tmp_path: Path
) -> None:
    sim = quiet_sim
    dev = sim.user_address
    mint = sim.create_coin(name="Dev Coin", symbol="DEVC", creator=dev)
    config = tmp_path / "config.toml"
    config.write_text(RULES.format(mint=mint), encoding="utf-8")

    run, made = run_until_the_dev_sells(sim, mint, config, runs)
    truth = {t["tx"]: t for t in sim.trades_of(mint) if t["tx"] in set(made)}
    in_order = list(made)
    assert fired(run, "big buys") == [
        s for s in in_order if truth[s]["type"] == "buy" and Decimal(truth[s]["amountSol"]) >= BIG
    ]
    assert fired(run, "dev sells") == [
        s for s in in_order if truth[s]["type"] == "sell" and truth[s]["userAddress"] == dev
    ]
    assert fired(run, "first trade") == made[:1]  # then it cools down for an hour
    assert fired(run, "never") == []
    # The hook ran for each sell and failed each time: said once, on stderr.
    assert len(fired(run, "hook")) >= 2
    assert [line for line in run.errors if "exit status 3" in line] == [
        "pumptui alerts: command echo 'no bot token' >&2; exit 3: exit status 3: no bot token"
    ]
    line = next(line for line in run.lines if line["name"] == "dev sells")
    assert (line["type"], line["mint"], line["symbol"], line["side"], line["by_dev"]) == (
        "alert",
        mint,
        "DEVC",
        "sell",
        True,
    )
    assert line["late"] is False
    assert line["provisional"] is False

    # A restart: the cooldown of "first trade" is remembered; the other rules fire again.
    again, made_again = run_until_the_dev_sells(sim, mint, config, runs)
    assert fired(again, "first trade") == []
    assert fired(again, "dev sells")[-1] == made_again[-1]
    assert fired(again, "big buys") == [
        t["tx"]
        for t in sim.trades_of(mint)
        if t["tx"] in set(made_again) and t["type"] == "buy" and Decimal(t["amountSol"]) >= BIG
    ]
