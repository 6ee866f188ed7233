"""`pumptui alerts` in a child process: its JSON lines and stderr as they come, read by threads,
so a test waits for a line (with a generous deadline), never for a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tests.helpers.ctrl_c import sigint_reaches_children

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0  # a loaded 2-core machine starts Python and the engine slowly


class Headless:
    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with sigint_reaches_children():  # `interrupt` is heard however this run was started
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pumptui", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
        self.lines: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self._changed = threading.Condition()
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._threads = [
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True)
            for stream, sink in ((self.process.stdout, None), (self.process.stderr, self.errors))
        ]
        for thread in self._threads:
            thread.start()

    def _pump(self, stream: IO[str], sink: list[str] | None) -> None:
        for line in stream:
            with self._changed:
                if sink is None:
                    self.lines.append(json.loads(line))
                else:
                    sink.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, condition: Callable[[], object], what: str) -> None:
        end = time.monotonic() + DEADLINE
        with self._changed:
            while not condition():
                if time.monotonic() > end or (self.process.poll() is not None and not condition()):
                    raise AssertionError(
                        f"never happened: {what}; stderr: {self.errors[-10:]}; "
                        f"lines: {len(self.lines)}"
                    )
                self._changed.wait(0.2)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.errors)

    def interrupt(self) -> int:
        """Ctrl-C, as a user would stop it; the exit status, once all it wrote is read."""
        self.process.send_signal(signal.SIGINT)
        status = self.process.wait(DEADLINE)
        for thread in self._threads:
            thread.join(DEADLINE)
        return status

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
