"""SIGTERM and SIGHUP end the app cleanly and give the terminal back as it was.

Driven through a real pseudo-terminal: `pumptui demo` runs in a child process whose terminal is a
pty, the test reads everything it writes, sends the signal, and looks at the last bytes.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from tests.helpers.pty_run import DEADLINE, PtyRun

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
CURSOR_SHOWN = b"\x1b[?25h"
MOUSE_ON = b"\x1b[?1000h"
MOUSE_OFF = b"\x1b[?1000l"


@pytest.fixture
def pty_app() -> Iterator[PtyRun]:
    """`pumptui demo` on a 120×36 pty."""
    app = PtyRun(
        "demo",
        "--seed",
        "7",
        size=(120, 36),
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )
    yield app
    app.close()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_restores_the_terminal_and_exits_cleanly(
    pty_app: PtyRun, signum: signal.Signals
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
