"""Work-arounds for Textual defects that hurt a long-running pumptui, applied once (`apply`).

Textual 8.2's `StylesCache.get_inner_outer` is an `lru_cache` on an instance method: every
key holds its `StylesCache` (each widget has one, with the lines it rendered), so the lines of up
to 1,024 closed widgets stayed alive. Browsing coins grew the app by about 4 MB a minute
(`benchmarks/soak.py`). The two colours alone decide the answer, so it is cached on them. When
Textual no longer caches the method (fixed upstream), nothing is replaced.

Textual's `Strip` caches what its methods return, and two of them return the strip itself: one
cut at the strip's own end (`divide`, which the compositor calls on every line of every frame)
and a crop to the strip's own length (`crop_extend`). A strip in its own cache is a reference
cycle: instead of being freed when its frame is done, each waited for a full garbage collection.
Under a trade flood that was about a thousand strips (twenty thousand objects) per collection,
which took 30-100 ms every few seconds: the longest pauses between a key and its frame. Those two
cases return the strip without caching it (what Textual returns is unchanged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from rich.style import Style
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.strip import Strip


def apply() -> None:
    _free_styles_caches()
    _no_strip_in_its_own_cache()


def _free_styles_caches() -> None:
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


def _no_strip_in_its_own_cache() -> None:
    if getattr(Strip, "_pumptui_no_self_cache", False):
        return
    divide, crop_extend = Strip.divide, Strip.crop_extend

    def divide_without_self(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        cuts = list(cuts)
        if [cut for cut in cuts if cut <= self.cell_length] == [self.cell_length]:
            return [self]
        return divide(self, cuts)

    def crop_extend_without_self(self: Strip, start: int, end: int, style: Style | None) -> Strip:
        if start <= 0 and end == self.cell_length:
            return self
        return crop_extend(self, start, end, style)

    setattr(Strip, "divide", divide_without_self)  # noqa: B010 (a method, replaced)
    setattr(Strip, "crop_extend", crop_extend_without_self)  # noqa: B010
    setattr(Strip, "_pumptui_no_self_cache", True)  # noqa: B010
