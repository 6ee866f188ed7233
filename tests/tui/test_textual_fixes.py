"""A widget's rendered lines are freed with the widget: Textual's colour cache no longer keeps
every widget's `StylesCache` (and the lines in it) alive."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

from pumptui.tui import textual_fixes


def test_a_styles_cache_is_freed_once_its_widget_is_gone() -> None:
    textual_fixes.apply()
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(Color(10, 20, 30), Color(200, 0, 0, 0.5))
    assert (inner, outer) == StylesCache().get_inner_outer(Color(10, 20, 30), Color(200, 0, 0, 0.5))
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None
