"""A parsed rule, and what it means against a set of facts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pumptui.rules.coin import COIN_FIELDS
from pumptui.rules.fields import Facts, Field
from pumptui.rules.parser import parse_tree
from pumptui.rules.tree import And, Compare, Node, Not, render


@dataclass(frozen=True, slots=True)
class Expr:
    """A checked filter. `fields` are the names it reads (alerts index rules by them);
    `evaluate` never raises: a value that is not known (None) makes its comparison False."""

    source: str
    tree: Node
    field_map: Mapping[str, Field] = field(repr=False, compare=False)
    fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", frozenset(c.field for c in comparisons(self.tree)))

    def evaluate(self, facts: Facts) -> bool:
        return evaluate_tree(self.tree, facts)

    def render(self) -> str:
        """The canonical text of this rule (parses back to the same tree)."""
        return render(self.tree, self.field_map)

    @property
    def reads(self) -> frozenset[tuple[str, float | None]]:
        """Each (field, window) the rule reads: what a caller must have fetched for it."""
        return frozenset((c.field, c.window) for c in comparisons(self.tree))


def parse(text: str, fields: Mapping[str, Field] = COIN_FIELDS) -> Expr:
    """The rule `text` over `fields` (the coin fields by default); `ExprError` when it cannot be
    read, with the offending token's position."""
    return Expr(text, parse_tree(text, fields), fields)


def comparisons(node: Node) -> Iterator[Compare]:
    if isinstance(node, Compare):
        yield node
    elif isinstance(node, Not):
        yield from comparisons(node.operand)
    else:
        for child in node.operands:
            yield from comparisons(child)


def evaluate_tree(node: Node, facts: Facts) -> bool:
    if isinstance(node, Compare):
        return compare(node, facts.value(node.field, node.window))
    if isinstance(node, Not):
        return not evaluate_tree(node.operand, facts)
    if isinstance(node, And):
        return all(evaluate_tree(child, facts) for child in node.operands)
    return any(evaluate_tree(child, facts) for child in node.operands)


def compare(node: Compare, actual: float | str | None) -> bool:
    """One comparison; False when `actual` is unknown or not of the value's type. Text compares
    case-insensitively: `=` the whole text, `~` a part of it."""
    wanted = node.value
    if isinstance(wanted, str):
        if not isinstance(actual, str):
            return False
        have, want = actual.casefold(), wanted.casefold()
        if node.op == "~":
            return want in have
        if node.op == "!~":
            return want not in have
        return (have == want) == (node.op == "=")
    if actual is None or isinstance(actual, (str, bool)):
        return False
    number = float(actual)
    if number != number:  # NaN is not a known value
        return False
    if node.op == ">":
        return number > wanted
    if node.op == ">=":
        return number >= wanted
    if node.op == "<":
        return number < wanted
    if node.op == "<=":
        return number <= wanted
    if node.op == "=":
        return number == wanted
    return number != wanted


def plain_value(
    facts: Facts,
    name: str,
    window: float | None = None,
    fields: Mapping[str, Field] = COIN_FIELDS,
) -> float | str | None:
    """The figure a rule reads for `name`: over `window`, or the field's default window when
    none is given. For code (and tests) that evaluate a rule's meaning in plain Python."""
    spec = fields[name]
    if spec.windowed and window is None:
        window = spec.default_window
    return facts.value(name, window if spec.windowed else None)
