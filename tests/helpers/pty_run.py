"""`python -m pumptui …` on a real pseudo-terminal, every byte it writes read back.

For what only a terminal shows: escape sequences (the alternate screen, the mouse, OSC
notifications) and what a signal leaves behind. The child has its own session, so a signal sent
to it reaches it alone.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Generous: a loaded 2-core machine starts Python, Textual and the simulator slowly.
DEADLINE = 60.0


class PtyRun:
    """`pumptui *args` on a pty of `size` (columns, rows; the pty's default when None), with
    `env` added to this process's environment; `output` is every byte it wrote so far."""

    def __init__(
        self, *args: str, size: tuple[int, int] | None = None, env: dict[str, str] | None = None
    ) -> None:
        master, slave = pty.openpty()
        if size is not None:
            columns, rows = size
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pumptui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "TERM": "xterm-256color",
                **(env or {}),
            },
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def read_until(self, wanted: bytes) -> bool:
        """Read until `wanted` has been written (True) or the child closed the pty (False)."""
        end = time.monotonic() + DEADLINE
        while wanted not in self.output and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError as error:  # EIO: every copy of the slave side is closed
                if error.errno != errno.EIO:
                    raise
                return False
            if not chunk:
                return False
            self.output += chunk
        return wanted in self.output

    def read_to_end(self) -> None:
        """Read until the child closed the pty (or the deadline passed)."""
        while self.read_until(b"\x00never\x00"):
            pass

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
