"""A socket's library is imported when the socket first connects, in a worker thread, so the
screen keeps drawing meanwhile (aiohttp and python-socketio take about 0.2 s)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pumptui.live.lazy_import import import_off_loop

MODULE = "pumptui_test_slow_library"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[str]:
    """A module that records the thread it was imported in."""
    (tmp_path / f"{MODULE}.py").write_text(
        "import threading\nimported_in = threading.get_ident()\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield MODULE
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(MODULE, None)


async def test_a_library_is_imported_off_the_event_loop(library: str) -> None:
    await import_off_loop(library)

    assert sys.modules[library].imported_in != threading.get_ident()


async def test_a_library_already_imported_is_not_imported_again(library: str) -> None:
    await import_off_loop(library)
    first = sys.modules[library]

    await import_off_loop(library)

    assert sys.modules[library] is first
