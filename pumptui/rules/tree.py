"""The parsed form of a filter: a small frozen tree, and its canonical text.

`render` writes a tree so that parsing the text gives the same tree back (parentheses only where
they are needed to keep its shape; a window only where it is not the field's default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pumptui.rules.fields import Field
from pumptui.rules.lexer import KEYWORDS, NUMBER, ends_word
from pumptui.rules.units import format_duration, format_value

NUMERIC_OPS = (">", ">=", "<", "<=", "=", "!=")
TEXT_OPS = ("=", "!=", "~", "!~")


@dataclass(frozen=True, slots=True)
class Compare:
    """`field [window] op value`. `window` is in seconds for a windowed field (its default when
    none was written) and None otherwise; a text value is kept as written, a number in the
    field's display unit (USD, SOL, percent 0-100, seconds)."""

    field: str
    op: str
    value: float | str
    window: float | None = None


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]


Node = Compare | Not | And | Or


def render(node: Node, fields: Mapping[str, Field]) -> str:
    """Canonical text for `node`: `parse(render(node))` has the same tree."""
    if isinstance(node, Compare):
        spec = fields[node.field]
        head = node.field
        if node.window is not None and node.window != spec.default_window:
            head += " " + format_duration(node.window)
        if isinstance(node.value, str):
            value = quote_text(node.value)
        else:
            value = format_value(node.value, spec.kind)
        return f"{head} {node.op} {value}"
    if isinstance(node, Not):
        inner = render(node.operand, fields)
        return f"not ({inner})"
    joiner = " and " if isinstance(node, And) else " or "
    return joiner.join(_operand(child, node, fields) for child in node.operands)


def _operand(child: Node, parent: And | Or, fields: Mapping[str, Field]) -> str:
    text = render(child, fields)
    # `and` binds tighter than `or`, and a nested group of the same kind keeps its shape.
    needs = isinstance(child, Or) or (isinstance(child, And) and isinstance(parent, And))
    return f"({text})" if needs else text


def quote_text(text: str) -> str:
    """A text value as a bare word when it reads back as the same word, else double-quoted."""
    bare = (
        text
        and text.lower() not in KEYWORDS
        and not NUMBER.match(text)
        and not any(ends_word(text, i) for i in range(len(text)))
    )
    if bare:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
