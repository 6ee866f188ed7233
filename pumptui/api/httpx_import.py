"""httpx, imported without its command-line tool: import `httpx` from here, never directly.

httpx imports its CLI (`httpx._main`: click, pygments, Rich's syntax, table and progress) when
it is imported, about 0.06 s of every start of pumptui, which never runs it. httpx falls back to
a stub `main` when that import fails; an entry of None in `sys.modules` makes it fail at once.
"""

from __future__ import annotations

import sys
from typing import cast

if "httpx" not in sys.modules:
    cast("dict[str, object]", sys.modules).setdefault("httpx._main", None)

import httpx

__all__ = ["httpx"]
