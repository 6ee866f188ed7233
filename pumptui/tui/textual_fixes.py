"""Work-arounds for Textual defects that hurt a long-running pumptui, applied once (`apply`).

Textual 8.2's `StylesCache.get_inner_outer` is an `lru_cache` on an instance method: every
key holds its `StylesCache` (each widget has one, with the lines it rendered), so the lines of up
to 1,024 closed widgets stayed alive. Browsing coins grew the app by about 4 MB a minute
(`benchmarks/soak.py`). The two colours alone decide the answer, so it is cached on them. When
Textual no longer caches the method (fixed upstream), nothing is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color


def apply() -> None:
    cached: Any = StylesCache.__dict__.get("get_inner_outer")
    original: Callable[..., Any] | None = getattr(cached, "__wrapped__", None)
    if original is None or not hasattr(cached, "cache_info"):
        return  # not an lru_cache any more (or already replaced)
    body = original

    @lru_cache(1024)
    def inner_outer(base_background: Color, background: Color) -> Any:
        return body(None, base_background, background)  # the body never reads its first argument

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> Any:
        return inner_outer(base_background, background)

    setattr(StylesCache, "get_inner_outer", get_inner_outer)  # noqa: B010 (a method, replaced)
    cached.cache_clear()
