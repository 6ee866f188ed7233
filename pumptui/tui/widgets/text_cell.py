"""A table cell of one line of text, drawn without Rich's general renderer.

DataTable draws a cell as `Styled(Padding(text, (0, padding)), pre_style, post_style)` through
`Console.render_lines`: a chain of generators, options copies and a line splitter built for any
renderable of any height. A coin table's cells are one short line each, and a busy Home draws
a few hundred of them a second (ages tick, figures move, the cursor's row changes look). This
takes the same steps for that case only (Rich's own justify, truncate and render on the text)
and gives the same segments (simplified); anything else is left to the general path (`None`).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, OverflowMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text


def text_cell(
    console: Console,
    options: ConsoleOptions,
    text: Text,
    width: int,
    padding: int,
    pre_style: Style,
    post_style: Style,
    looks: dict[Style | None, Style] | None = None,
    meta: Style | None = None,
) -> list[Segment] | None:
    """The segments of `text` in a cell `width` wide with `padding` blank cells each side,
    styled `pre_style` under the text's own styles and `post_style` over them: what
    `console.render_lines(Styled(Padding(text, (0, padding)), pre_style, post_style),
    options)` draws on its one line. None for text that needs the general path: more than a
    line, tabs, wrapping, or a justification other than left, right or none.

    The segments come simplified (neighbours of one look merged). `looks`: each style the
    text's pieces have, under `pre_style` and over `post_style`, as worked out for earlier
    cells drawn with the same two (a row's cells share a few). `meta`: a style of mouse
    metadata alone, added over every segment once the looks are worked out, as if it were
    part of `pre_style`: metadata makes each sum a new style, which Rich's cache of sums
    cannot keep, so it is added once a segment, not in each sum."""
    inner = width - 2 * padding
    plain = text.plain
    no_wrap = text.no_wrap if text.no_wrap is not None else options.no_wrap
    justify = text.justify or options.justify or DEFAULT_JUSTIFY
    if (
        inner < 1
        or not no_wrap
        or "\n" in plain
        or "\t" in plain
        or justify not in ("default", "left", "right")
    ):
        return None
    null = Style.null()
    side = Segment(" " * padding, null) if padding else None
    body = plain.rstrip() if justify == "right" else plain
    used = cell_len(body)
    if not text.spans and (body or justify != "default") and used <= inner:
        # One style over the whole text, which fits: what the steps below come to, without
        # copying the text twice (most of a coin row's cells are such figures).
        look = console.get_style(text.style, default=null) if text.style else None
        short = inner - used
        if justify == "left":
            drawn = [side, Segment(body + " " * short, look), side]
        elif justify == "right":
            drawn = [side, Segment(" " * short + body, look), side]
        else:
            drawn = [side, Segment(body, look), Segment(" " * short, null) if short else None, side]
        return _styled(drawn, pre_style, post_style, looks, meta)
    overflow: OverflowMethod = text.overflow or options.overflow or DEFAULT_OVERFLOW
    # `Text.wrap` without wrapping: justified (as `Lines.justify` does it), then truncated.
    line = text.copy()
    if justify == "left":
        line.truncate(inner, overflow=overflow, pad=True)
    elif justify == "right":
        line.rstrip()
        line.truncate(inner, overflow=overflow)
        line.pad_left(inner - line.cell_len)
    line.truncate(inner, overflow=overflow)
    # (`Text.__rich_console__` renders the lines joined: the line's own style becomes a span;
    # without one, joining changes nothing.)
    segments = list((Text("\n").join([line]) if line.style else line).render(console))
    short = inner - line.cell_len
    if short > 0:
        segments.append(Segment(" " * short, null))
    return _styled([side, *segments, side], pre_style, post_style, looks, meta)


def _styled(
    drawn: Iterable[Segment | None],
    pre_style: Style,
    post_style: Style,
    looks: dict[Style | None, Style] | None,
    meta: Style | None,
) -> list[Segment]:
    """`Styled`: the pre style under each segment's own, the post style over it, then `meta`;
    None is no segment, and neighbours of one look are merged (`Segment.simplify`)."""
    if looks is None:
        looks = {}
    cell: list[Segment] = []
    last: Style | None = None
    for piece, own, control in filter(None, drawn):
        if control:
            cell.append(Segment(piece, None, control))
            last = None
            continue
        look = looks.get(own)
        if look is None:
            look = looks[own] = pre_style + own + post_style
        if last is not None and look == last:
            cell[-1] = Segment(cell[-1].text + piece, cell[-1].style)
        else:
            cell.append(Segment(piece, look if meta is None else look + meta))
            last = look
    return cell
