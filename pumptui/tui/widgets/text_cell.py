"""A table cell of one line of text, drawn without Rich's general renderer.

DataTable draws a cell as `Styled(Padding(text, (0, padding)), pre_style, post_style)` through
`Console.render_lines`: a chain of generators, options copies and a line splitter built for any
renderable of any height. A coin table's cells are one short line each, and a busy Home draws
a few hundred of them a second (ages tick, figures move, the cursor's row changes look). This
takes the same steps for that case only (Rich's own justify, truncate and render on the text)
and gives the same segments; anything else is left to the general path (`None`).
"""

from __future__ import annotations

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
) -> list[Segment] | None:
    """The segments of `text` in a cell `width` wide with `padding` blank cells each side,
    styled `pre_style` under the text's own styles and `post_style` over them: what
    `console.render_lines(Styled(Padding(text, (0, padding)), pre_style, post_style),
    options)` draws on its one line. None for text that needs the general path: more than a
    line, tabs, wrapping, or a justification other than left, right or none."""
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
    # (`Text.__rich_console__` renders the lines joined: the line's own style becomes a span.)
    segments = list(Text("\n").join([line]).render(console))
    short = inner - line.cell_len
    null = Style.null()
    if short > 0:
        segments.append(Segment(" " * short, null))
    side = Segment(" " * padding, null) if padding else None
    drawn = [side, *segments, side] if side is not None else segments
    # `Styled`: the pre style under each segment's own, the post style over it.
    return [
        Segment(piece, None if control else pre_style + own + post_style, control)
        for piece, own, control in filter(None, drawn)
    ]
