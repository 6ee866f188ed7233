"""OSC 9 and OSC 777 notifications reach the terminal when a rule asks for them, and never
otherwise: `pumptui alerts` runs on a real pseudo-terminal and every byte it writes is read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pumptui.sim import SimServer
from tests.helpers.pty_run import DEADLINE, PtyRun

OSC9 = b"\x1b]9;"
OSC777 = b"\x1b]777;notify;"


@pytest.mark.slow
@pytest.mark.parametrize("deliver", [["--deliver", "osc"], []], ids=["osc", "app-only"])
def test_osc_notifications_appear_on_the_terminal_only_when_asked_for(
    sim_factory: Callable[..., SimServer], deliver: list[str]
) -> None:
    sim = sim_factory(clock="real", warmup=0.0, launches_per_minute=0.0, trades_per_second=0.0)
    mint = sim.create_coin(name="Ping", symbol="PING")
    run = PtyRun(
        "--api-url",
        sim.base_url,
        "alerts",
        "--mint",
        mint,
        "--rule",
        "event = trade",
        "--cooldown",
        "0",
        "--count",
        "1",
        "--swap-rpm",
        "600",
        *deliver,
    )
    try:
        assert run.read_until(b"trades: live"), run.output[-500:]
        (signature,) = sim.inject_trades(mint, 1)
        assert run.read_until(signature.encode()), run.output[-500:]
        run.read_to_end()  # --count 1 ends the run
        assert run.process.wait(DEADLINE) == 0
    finally:
        run.close()
    if deliver:
        assert OSC9 + b"pumptui: event = trade: PING: " in run.output
        assert OSC777 + b"pumptui: event = trade;PING: " in run.output
    else:
        assert OSC9 not in run.output
        assert OSC777 not in run.output
        assert b"\x1b]" not in run.output
