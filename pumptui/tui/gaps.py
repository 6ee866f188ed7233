"""Spaces between fields belong to the field before them, not to the one after.

A line like `mcap 112 SOL $27k` is built from styled pieces, and a piece that begins with its
separator (" $27k") becomes, in an SVG screenshot, a text element that begins with a space: the
SVG renderers that strip an element's leading whitespace (librsvg, which draws the screenshots
and the snapshot PNGs) then draw `112 SOL$27k`. Moving each separator onto the end of the piece
before it keeps every field apart however the line is drawn; the cells are unchanged.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Span, Text


def gaps_after_fields(text: Text) -> Text:
    """`text` (changed in place, and returned) with the spaces at the start of each styled
    piece moved to the end of the piece before it. An underlined piece (a link) is not extended
    over the gap; the gap then stands alone, which draws as well."""
    plain = text.plain
    boundaries = sorted({p for span in text.spans for p in (span.start, span.end)})
    for start in boundaries:
        if not 0 < start < len(plain) or plain[start] != " " or plain[start - 1] == " ":
            continue
        end = start
        while end < len(plain) and plain[end] == " ":
            end += 1
        spans: list[Span] = []
        for span in text.spans:
            if span.start == start:
                span = Span(end, span.end, span.style)
            elif span.end == start and not _underlined(span.style):
                span = Span(span.start, end, span.style)
            if span.end > span.start:
                spans.append(span)
        text.spans = spans
    return text


def _underlined(style: str | Style) -> bool:
    return bool(Style.parse(style).underline if isinstance(style, str) else style.underline)
