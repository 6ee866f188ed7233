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

Textual turns a style into ANSI codes through an `lru_cache` of 16,384 styles (`Strip.render_ansi`).
A style's mouse metadata is part of its identity, and the coin table's cells name their coin and
column in it, so nearly every cell drawn was a new entry: the cache held up to 16,384 styles, each
with its metadata, never read again (about a third of the memory Home added while re-sorting). The
codes depend only on the colours and attributes, so they are kept by those (a few hundred looks).

Textual sends a repainted span of a line from the left edge of the widget it falls in, not from
the span's own start (`ChopsUpdate.render_segments` crops only on the right). The chart repaints
the few cells a trade changed, but its whole width up to them went to the terminal: a third of
the coin screen's bytes, over SSH for most users. The span is now sent from where it starts,
widened to whole characters: half of a double-width character is sent by Rich as a space, and a
terminal erases the whole character when either half is written.

Textual copies every line a widget draws into a new `Strip` (`StylesCache.render_line`), even when
it adds nothing to it (no border, padding, outline, tint, hatch or opacity: the coin table, the
tape, most of the screen), then runs the ANSI-to-truecolour filter on the copy. A strip keeps
what a filter made of it, but the copy is new every time, so each frame filtered again every line
it drew, the coin table's kept lines too (a fifth of a re-sorted frame). Such a line is now the
widget's own strip, and a line the widget kept is filtered once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.css.styles import StylesBase
from textual.geometry import Size, Spacing
from textual.strip import Strip

# Most distinct looks whose ANSI codes are kept (the app's themes draw a few hundred).
ANSI_LOOKS_KEPT = 4096


def apply() -> None:
    _free_styles_caches()
    _no_strip_in_its_own_cache()
    _ansi_by_look()
    _plain_lines_as_drawn()
    setattr(ChopsUpdate, "render_segments", render_spans)  # noqa: B010 (a method, replaced)


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


def _ansi_by_look() -> None:
    held: Any = Strip.__dict__.get("render_ansi")
    cached: Any = getattr(held, "__func__", None)
    body: Callable[..., str] | None = getattr(cached, "__wrapped__", None)
    if body is None or not hasattr(cached, "cache_info"):
        return  # not an lru_cache any more (or already replaced)
    looks: dict[tuple[object, ...], str] = {}

    def render_ansi(cls: type[Strip], style: Style, color_system: ColorSystem) -> str:
        # (What Textual's body reads: the colours, the attributes set, the colour system.)
        attributes = style._attributes & style._set_attributes
        key = (style._color, style._bgcolor, attributes, color_system)
        ansi = looks.get(key)
        if ansi is None:
            if len(looks) >= ANSI_LOOKS_KEPT:
                looks.clear()
            ansi = looks[key] = body(cls, style, color_system)
        style._ansi = ansi  # as Textual's body does: the style's next line skips the lookup
        return ansi

    setattr(Strip, "render_ansi", classmethod(render_ansi))  # noqa: B010 (a method, replaced)
    cached.cache_clear()


def _plain_lines_as_drawn() -> None:
    original: Any = StylesCache.render_line
    if getattr(original, "_pumptui_plain", False):
        return

    def render_line(
        self: StylesCache,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: Any,
        border_subtitle: Any,
        opacity: float,
        ansi_theme: Any,
        native_ansi: bool,
    ) -> Strip:
        if (
            opacity == 1.0
            and y < content_size.height
            and content_size.width == size.width
            and not any(padding)
            and plain_styles(styles)
        ):
            inner, _outer = self.get_inner_outer(base_background, background)
            return render_content_line(y).adjust_cell_length(size.width, inner.rich_style)
        strip: Strip = original(
            self,
            styles,
            y,
            size,
            content_size,
            padding,
            base_background,
            background,
            render_content_line,
            border_title,
            border_subtitle,
            opacity,
            ansi_theme,
            native_ansi,
        )
        return strip

    setattr(render_line, "_pumptui_plain", True)  # noqa: B010
    setattr(render_line, "__wrapped__", original)  # noqa: B010
    setattr(StylesCache, "render_line", render_line)  # noqa: B010 (a method, replaced)


def plain_styles(styles: StylesBase) -> bool:
    """Whether `StylesCache.render_line` leaves a content line of a widget with these styles
    as its widget drew it: no border, outline, text opacity, tint or hatch to add."""
    return (
        not any(edge[0] for edge in styles.border)
        and not any(edge[0] for edge in styles.outline)
        and styles.text_opacity == 1.0
        and not styles.tint.a
        and (not styles.has_rule("hatch") or styles.hatch == "none")
    )


def render_spans(self: ChopsUpdate, console: Console) -> str:
    """What `ChopsUpdate.render_segments` sends to the terminal, each span cut on both sides."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops, chop_ends = self.chops, self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is None or x >= x2 or end <= x1:
                continue
            if x1 <= x and end <= x2:
                append(move_to(x, y).segment.text)
                append(strip.render(console))
                continue
            start, stop = whole_characters(strip, max(x1 - x, 0), min(end, x2) - x)
            append(move_to(x + start, y).segment.text)
            append(strip.crop(start, stop).render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def whole_characters(strip: Strip, start: int, end: int) -> tuple[int, int]:
    """The cells `start` to `end` of `strip`, widened so that neither cuts a character in two."""
    position = 0
    for text, _style, control in strip:
        if control:
            continue
        if text.isascii():  # one cell a character: no cut can fall inside one
            position += len(text)
        else:
            for character in text:
                width = get_character_cell_size(character)
                if width == 2:
                    if position < start < position + 2:
                        start = position
                    if position < end < position + 2:
                        end = position + 2
                position += width
                if position >= end:
                    break
        if position >= end:
            break
    return start, end
