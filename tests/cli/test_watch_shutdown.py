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

import pytest

from pumptui.cli import CommandParsers, main
from pumptui.sim import SimServer
from tests.helpers.ctrl_c import sigint_reaches_children

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
    with sigint_reaches_children():  # as a terminal starts it, whatever this run inherited
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


def test_children_hear_ctrl_c_even_when_this_run_was_started_with_it_ignored() -> None:
    # A run started by a shell without job control (`make test > log &`) has SIGINT ignored,
    # and so had every `pumptui` it started: the test above sent its SIGINT to a process that
    # ignored it and waited 60 s. Started as a terminal starts a command, the child hears it.
    probe = [
        sys.executable,
        "-c",
        "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)",
    ]
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as such a shell leaves it
    try:
        inherited = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
        with sigint_reaches_children():
            foreground = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
        after = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)

    assert inherited == "False\n"  # Python keeps an inherited SIG_IGN: Ctrl-C would do nothing
    assert foreground == "True\n"
    assert after == signal.SIG_IGN  # this process is left as it was


def test_ctrl_c_while_the_command_is_still_loading_is_a_quiet_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first second of `pumptui watch` imports the command (and asyncio, httpx, the engine)
    # before any of its own handling: Ctrl-C there printed the traceback of whichever import
    # it interrupted, and Python died of the signal.
    def interrupted(self: CommandParsers, command: str) -> None:
        raise KeyboardInterrupt  # what Ctrl-C raises in the middle of that import

    monkeypatch.setattr(CommandParsers, "load", interrupted)

    assert main(["watch", "--mint", "So11111111111111111111111111111111111111112"]) == 130
    assert capsys.readouterr().err == "interrupted\n"
