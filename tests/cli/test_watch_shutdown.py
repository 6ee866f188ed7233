"""`pumptui watch` as a user runs it: a real process, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from pumptui.sim import SimServer

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ("trades", "market", "holders", "activity", "chat")


def collect(stream: IO[str], into: list[str]) -> threading.Thread:
    """Read `stream` line by line into `into`, in a thread, until it ends."""
    thread = threading.Thread(target=lambda: into.extend(iter(stream.readline, "")), daemon=True)
    thread.start()
    return thread


def test_ctrl_c_ends_watch_quietly_with_status_130(sim: SimServer) -> None:
    mint = sim.mints()[0]
    # Every kind of task: the feeds, the chat's socket, the reader of events.
    command = ["--api-url", sim.base_url, "watch", "--mint", mint, "--chat"]
    watch = subprocess.Popen(
        [sys.executable, "-m", "pumptui", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert watch.stdout is not None
    assert watch.stderr is not None
    out: list[str] = []
    err: list[str] = []
    readers = [collect(watch.stdout, out), collect(watch.stderr, err)]
    try:
        # Every feed live and the first events printed: watch now waits for the next event
        # (the simulator's clock stands still), which is when a user presses Ctrl-C.
        deadline = time.monotonic() + 60
        while not (out and all(f"{feed}: live\n" in err for feed in FEEDS)):
            assert watch.poll() is None, f"watch ended early: {err}"
            assert time.monotonic() < deadline, f"feeds never all live: {err}"
            time.sleep(0.05)
        said_before = len(err)
        watch.send_signal(signal.SIGINT)  # what Ctrl-C sends
        status = watch.wait(timeout=60)
    finally:
        watch.kill()
        for reader in readers:
            reader.join(10)

    after = "".join(err[said_before:])
    assert status == 130
    assert "Traceback" not in after
    assert "never retrieved" not in after
