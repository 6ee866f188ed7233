"""`text_cell` draws a one-line cell exactly as DataTable's general path (Rich's `Styled`,
`Padding` and `render_lines`) draws it, or declines."""

from __future__ import annotations

import random

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from pumptui.tui.widgets.text_cell import text_cell

PIECES = ("a", "Pepe", " ", "  ", "42.1k", "—", "▁▃▇", "猫", "🐸", "é", "e\u0301", "x" * 14, "$")
STYLES = ("", "bold", "dim", "red", "bold green", "strike", "on blue", "italic magenta")


def rich_cell(
    console: Console, text: Text, width: int, padding: int, pre: Style, post: Style
) -> list[Segment]:
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = console.render_lines(Styled(Padding(text, (0, padding)), pre, post), options)
    return list(Segment.simplify(lines[0]))


def random_text(rng: random.Random) -> Text:
    text = Text(
        justify=rng.choice((None, "left", "right", "default")),
        overflow=rng.choice((None, "ellipsis", "fold", "crop")),
        no_wrap=rng.choice((True, None)),
        style=rng.choice(STYLES),
    )
    # Half the texts carry their style alone, without spans (a figure: most of a row's cells).
    spans = rng.random() < 0.5
    for _ in range(rng.randrange(0, 4)):
        text.append(rng.choice(PIECES), style=rng.choice(STYLES) if spans else "")
    return text


def test_every_one_line_cell_matches_richs_general_path() -> None:
    console = Console(width=80, color_system="truecolor", force_terminal=True)
    rng = random.Random(7)
    drawn = 0
    # The styles of pieces already worked out, shared by cells of the same pre and post styles.
    looks: dict[tuple[Style, Style], dict[Style | None, Style]] = {}
    for _ in range(6000):
        text = random_text(rng)
        width, padding = rng.randrange(1, 18), rng.choice((0, 1, 1, 2))
        look = Style(color=rng.choice(("white", "grey50")), bgcolor="black")
        meta = Style.from_meta({"mint": "M", "column": rng.randrange(5)})
        post = rng.choice((Style(), Style(bold=True), Style(reverse=True, color="yellow")))
        options = console.options.update_dimensions(width, 1).update(no_wrap=True)
        expected = rich_cell(console, text, width, padding, look + meta, post)
        fast = text_cell(console, options, text, width, padding, look + meta, post)
        if fast is None:
            assert not text.no_wrap or width - 2 * padding < 1
            continue
        drawn += 1
        assert fast == expected
        # The metadata apart, added over the finished looks: the same segments.
        shared = looks.setdefault((look, post), {})
        apart = text_cell(console, options, text, width, padding, look, post, shared, meta)
        assert apart == expected
        assert [s.style.meta if s.style else None for s in apart] == [
            s.style.meta if s.style else None for s in expected
        ]
    assert drawn > 3000


@pytest.mark.parametrize(
    "text",
    [
        Text("two\nlines", no_wrap=True),
        Text("a\tb", no_wrap=True),
        Text("wraps"),
        Text("c", justify="center", no_wrap=True),
    ],
)
def test_what_it_does_not_draw_is_left_to_the_general_path(text: Text) -> None:
    console = Console(width=80)
    options = console.options.update_dimensions(8, 1)
    assert text_cell(console, options, text, 8, 1, Style(bold=True), Style()) is None
