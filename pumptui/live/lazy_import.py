"""Libraries the live engine needs only once a socket opens, imported then and off the loop.

aiohttp and python-socketio take about 0.2 s to import (aiohttp builds its SSL contexts at import
time). Imported at the top of the socket modules they sat on every start's path to the first
frame; imported on the event loop when a socket first connects, they would freeze the screen for
as long. `import_off_loop` imports in a worker thread while the loop keeps drawing; after it, a
plain `import` in the socket's code is a dictionary look-up and keeps the type checker's view.
"""

from __future__ import annotations

import asyncio
import importlib
import sys


async def import_off_loop(name: str) -> None:
    """Import module `name` in a worker thread unless it is already imported. Concurrent callers
    are safe: Python's per-module import lock makes the later ones wait for the first."""
    if name not in sys.modules:
        await asyncio.to_thread(importlib.import_module, name)
