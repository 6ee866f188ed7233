"""`pumptui sim` as a user starts it: its URL on a line of its own (issue 13 item 24)."""

from __future__ import annotations

import io
import sys
import threading
import time
from typing import Any

import pytest

import pumptui.sim
import pumptui.sim.runner
from pumptui.cli import main
from pumptui.sim.market import Market


@pytest.mark.slow  # a start that takes longer than the status line's first tick
def test_the_url_is_on_its_own_line_even_after_a_slow_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[pumptui.sim.SimServer] = []

    class SlowMarket(Market):
        """A long warm-up: the market is built on the server's loop, blocking it for a while."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            time.sleep(1.2)  # longer than the status line's first tick (1 s)

    class RecordedSimServer(pumptui.sim.SimServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    terminal = io.StringIO()  # stdout and stderr on one terminal, as a user sees them
    monkeypatch.setattr(pumptui.sim.runner, "Market", SlowMarket)
    monkeypatch.setattr(pumptui.sim, "SimServer", RecordedSimServer)
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", terminal)

    def stop_after_a_status_line() -> None:
        deadline = time.monotonic() + 30
        while "requests" not in terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        started[0].stop()

    stopper = threading.Thread(target=stop_after_a_status_line)
    stopper.start()
    status = main(["sim", "--port", "0", "--warmup", "0", "--launches", "0", "--trades", "1"])
    stopper.join()

    shown = terminal.getvalue()
    assert status == 0
    assert "requests" in shown, "a status line was shown"
    url = f"http://127.0.0.1:{started[0].port}"
    assert url + "\n" in shown
    assert shown.startswith(url + "\n") or f"\n{url}\n" in shown, shown[:300]
