"""Starting a child that Ctrl-C (SIGINT) can stop, however this test run was started.

A shell without job control (a script, `make test > log &`, a CI step run in the background)
starts a background command with SIGINT ignored, so that Ctrl-C at the terminal does not reach
it, and an ignored signal stays ignored across fork and exec: pytest, its xdist workers and every
`pumptui` they start inherit it. Python keeps an inherited SIG_IGN (no KeyboardInterrupt) and so
does `asyncio.run`, as every well-behaved program does, so the child never hears the test's
SIGINT and runs on. A terminal starts a foreground command with SIGINT at its default, which is
what a user pressing Ctrl-C has: `sigint_reaches_children` gives the child that.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sigint_reaches_children() -> Iterator[None]:
    """Children started inside get SIGINT at its default, as a terminal's foreground command.

    SIGINT is caught in this process meanwhile (Python's own handler): a caught signal is reset
    to its default in a child when it execs, an ignored one is not. Main thread only (`signal`).
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous is not None:  # None: set outside Python, nothing we could restore
            signal.signal(signal.SIGINT, previous)
