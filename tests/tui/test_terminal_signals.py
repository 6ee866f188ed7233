"""SIGTERM and SIGHUP end the app cleanly and give the terminal back as it was.

Driven through a real pseudo-terminal: `pumptui demo` runs in a child process whose terminal is a
pty, the test reads everything it writes, sends the signal, and looks at the last bytes.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generous: a loaded 2-core machine starts Python, Textual and the simulator slowly.
DEADLINE = 60.0

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
CURSOR_SHOWN = b"\x1b[?25h"
MOUSE_ON = b"\x1b[?1000h"
MOUSE_OFF = b"\x1b[?1000l"


class PtyApp:
    """`pumptui demo` on a 120×36 pty; `output` is every byte it wrote so far."""

    def __init__(self) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pumptui", "demo", "--seed", "7"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
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
        while self.read_until(b"\x00never\x00"):
            pass

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def pty_app() -> PtyApp:
    app = PtyApp()
    yield app
    app.close()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_restores_the_terminal_and_exits_cleanly(
    pty_app: PtyApp, signum: signal.Signals
) -> None:
    # The app is up: alternate screen, mouse on, and the status bar drawn (it says SIM).
    assert pty_app.read_until(ALT_SCREEN_ON), pty_app.output[-500:]
    assert pty_app.read_until(MOUSE_ON), pty_app.output[-500:]
    assert pty_app.read_until(b"SIM"), pty_app.output[-500:]
    started = len(pty_app.output)

    pty_app.process.send_signal(signum)
    pty_app.read_to_end()
    returncode = pty_app.process.wait(timeout=DEADLINE)

    after = pty_app.output[started:]
    assert ALT_SCREEN_OFF in after
    assert CURSOR_SHOWN in after
    assert MOUSE_OFF in after
    assert b"Traceback" not in after
    assert returncode == 0
