"""The characters pumptui draws with: Unicode where the terminal has it, ASCII where not.

The Linux console (TERM=linux) and terminals in a non-UTF-8 locale have no eighth blocks, stars or
flags; they draw them as blanks or question marks. `current()` is the set to draw with now: ASCII
when the config says `[ui] ascii = true` (see `use`) or the terminal looks like one of those,
Unicode otherwise. Every ASCII glyph is one cell wide like its Unicode twin, so columns keep their
widths. Widgets read `current()` when they draw (never at import), so the choice made at start-up
applies everywhere.

Both sets tell every state apart by shape alone, so they read without colour (NO_COLOR).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Glyphs:
    """One character (one cell) per meaning; `levels` and `eighths` are strings to index."""

    name: str
    # Sparklines and volume bars: 8 rising levels, lowest first (index 0..7).
    levels: str
    # Part of a cell filled from the left, in eighths (index 0..7; 0 is empty).
    eighths: str
    full: str  # a whole filled cell
    lower_half: str  # the lower half of a cell filled
    upper_half: str  # the upper half of a cell filled
    wick: str  # a thin vertical line (a candle's wick)
    wick_top: str  # a wick ending in this cell going down
    wick_bottom: str  # a wick ending in this cell going up
    buy: str
    sell: str
    leader: str
    graduated: str
    watched: str
    liked: str
    followed: str
    marked: str  # marked for a bulk moderation action
    delisted: str  # the service no longer lists the coin (hidden or banned)
    # A box ticked or not, a radio button chosen or not: three cells each, different in shape
    # (not only in colour, which NO_COLOR takes away).
    checked: str
    unchecked: str
    chosen: str
    unchosen: str
    # Feed states in the status bar.
    feed_starting: str
    feed_live: str
    feed_slow: str
    feed_stale: str
    feed_rate_limited: str
    feed_failing: str
    feed_paused: str
    feed_idle: str

    @property
    def ascii(self) -> bool:
        """Whether this is the ASCII set (widgets with glyphs of their own pick theirs by it)."""
        return self.name == "ascii"


UNICODE = Glyphs(
    name="unicode",
    levels="▁▂▃▄▅▆▇█",
    eighths=" ▏▎▍▌▋▊▉",
    full="█",
    lower_half="▄",
    upper_half="▀",
    wick="│",
    wick_top="╷",
    wick_bottom="╵",
    buy="▲",
    sell="▼",
    leader="⚑",
    graduated="✓",
    delisted="⊘",
    watched="★",
    liked="♥",
    followed="+",
    marked="■",
    checked="▐X▌",
    unchecked="▐ ▌",
    chosen="▐●▌",
    unchosen="▐ ▌",
    feed_starting="○",
    feed_live="●",
    feed_slow="◑",
    feed_stale="◌",
    feed_rate_limited="◔",
    feed_failing="✖",
    feed_paused="‖",
    feed_idle="·",
)

ASCII = Glyphs(
    name="ascii",
    levels="_.-~=+*#",
    eighths="    ||||",
    full="#",
    lower_half="=",
    upper_half='"',
    wick="|",
    wick_top=".",
    wick_bottom="'",
    buy="^",
    sell="v",
    leader="!",
    graduated="G",
    delisted="x",
    watched="*",
    liked="L",
    followed="+",
    marked="#",
    checked="[x]",
    unchecked="[ ]",
    chosen="(*)",
    unchosen="( )",
    feed_starting="o",
    feed_live="*",
    feed_slow="~",
    feed_stale="?",
    feed_rate_limited="%",
    feed_failing="X",
    feed_paused="=",
    feed_idle=".",
)

_chosen: Glyphs | None = None


def terminal_lacks_unicode(env: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal probably cannot draw the Unicode set: the Linux console, or a locale
    that names an encoding other than UTF-8 (`LC_ALL`, else `LC_CTYPE`, else `LANG`). No locale
    set at all says nothing (Python assumes UTF-8 there, and so do most terminals)."""
    env = os.environ if env is None else env
    if env.get("TERM", "").startswith("linux"):
        return True
    locale = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    if not locale:
        return False
    normalised = locale.lower().replace("-", "").replace("_", "")
    return "utf8" not in normalised


def use(ascii_only: bool = False, env: Mapping[str, str] | None = None) -> Glyphs:
    """Choose the set for this run: ASCII when asked (`[ui] ascii = true`) or auto-detected."""
    global _chosen
    _chosen = ASCII if ascii_only or terminal_lacks_unicode(env) else UNICODE
    return _chosen


def current() -> Glyphs:
    """The set to draw with: what `use` chose, else what the terminal suggests."""
    return _chosen if _chosen is not None else use()
