"""Random rules over random facts: the text a rule renders to parses back to the same rule, and
evaluating it agrees with a plain-Python reading of the same rule (written here, from the
language's definition, without the evaluator)."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pumptui.rules import COIN_FIELDS, STAGES, MappingFacts, parse, render
from pumptui.rules.tree import NUMERIC_OPS, TEXT_OPS, And, Compare, Node, Not, Or

Values = Mapping[object, float | str | None]

WINDOWS = (60.0, 180.0, 300.0, 3600.0, 21600.0, 86400.0, 90.0)
# Figures a rule and the facts share often, so `=` and the boundaries of `<` get exercised.
NUMBERS = st.sampled_from([0.0, 1.0, 5.0, 50.0, 1500.0, 20_000.0, 2.5e6, -10.0, 0.1, 600.0])
ANY_NUMBER = NUMBERS | st.floats(allow_nan=False, allow_infinity=False, width=64)
# Text that stresses the quoting: spaces, quotes, backslashes, operators, keywords, numbers.
WORDS = st.sampled_from(
    ["pepe", "PEPE", "dog wif", "and", "Or", "5m", "1.5k", "", 'say "hi"', "a\\b"]
)
TEXT = WORDS | st.text(alphabet='aAbB pe"\\~!=<>()-5%$', max_size=8)

NUMERIC_FIELDS = sorted(n for n, f in COIN_FIELDS.items() if not f.is_text)
TEXT_FIELDS = sorted(n for n, f in COIN_FIELDS.items() if f.is_text)


@st.composite
def comparisons(draw: st.DrawFn) -> Compare:
    name = draw(st.sampled_from(NUMERIC_FIELDS + TEXT_FIELDS))
    spec = COIN_FIELDS[name]
    window = draw(st.sampled_from(WINDOWS)) if spec.windowed else None
    if not spec.is_text:
        return Compare(name, draw(st.sampled_from(NUMERIC_OPS)), draw(ANY_NUMBER), window)
    op = draw(st.sampled_from(TEXT_OPS))
    if spec.choices and op in ("=", "!="):
        return Compare(name, op, draw(st.sampled_from(spec.choices)))
    return Compare(name, op, draw(TEXT))


def groups(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    several = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(children.map(Not), several.map(And), several.map(Or))


RULES: st.SearchStrategy[Node] = st.recursive(comparisons(), groups, max_leaves=6)


def fact_values(rule: Node) -> st.SearchStrategy[Values]:
    """A value (or None) for each figure `rule` reads: a number, a text, or a stage."""
    strategies: dict[object, st.SearchStrategy[float | str | None]] = {}
    for compare in comparisons_in(rule):
        spec = COIN_FIELDS[compare.field]
        pool: st.SearchStrategy[float | str | None]
        if spec.choices:
            pool = st.sampled_from(STAGES)
        elif spec.is_text:
            pool = TEXT
        else:
            pool = NUMBERS
        key = (compare.field, compare.window) if compare.window is not None else compare.field
        strategies[key] = st.none() | pool
    return st.fixed_dictionaries(strategies)


def comparisons_in(rule: Node) -> list[Compare]:
    if isinstance(rule, Compare):
        return [rule]
    if isinstance(rule, Not):
        return comparisons_in(rule.operand)
    return [c for child in rule.operands for c in comparisons_in(child)]


def plain(rule: Node, values: Values) -> bool:
    """The rule's meaning, spelled out: an unknown figure makes a comparison False, text
    compares without regard to case, `~` is "contains"."""
    if isinstance(rule, Not):
        return not plain(rule.operand, values)
    if isinstance(rule, And):
        return all(plain(child, values) for child in rule.operands)
    if isinstance(rule, Or):
        return any(plain(child, values) for child in rule.operands)
    have = values[(rule.field, rule.window)] if rule.window is not None else values[rule.field]
    want = rule.value
    if have is None:
        return False
    if isinstance(want, str):
        assert isinstance(have, str)
        have_text, want_text = have.lower(), want.lower()
        return {
            "=": have_text == want_text,
            "!=": have_text != want_text,
            "~": want_text in have_text,
            "!~": want_text not in have_text,
        }[rule.op]
    assert isinstance(have, float)
    return {
        ">": have > want,
        ">=": have >= want,
        "<": have < want,
        "<=": have <= want,
        "=": have == want,
        "!=": have != want,
    }[rule.op]


A, B, C = (Compare("holders", ">", n) for n in (1.0, 2.0, 3.0))


@settings(max_examples=100, deadline=None)
@given(RULES)
@example(And((A, And((B, C)))))
@example(Or((A, Or((B, C)))))
@example(Or((And((A, B)), C)))
@example(And((Or((A, B)), C)))
@example(Not(Not(And((A, B)))))
def test_a_rule_rendered_to_text_parses_back_to_itself(rule: Node) -> None:
    text = render(rule, COIN_FIELDS)
    parsed = parse(text)
    assert parsed.tree == rule
    assert parsed.render() == text


@settings(max_examples=100, deadline=None)
@given(RULES, st.data())
def test_evaluating_the_parsed_text_agrees_with_plain_python(
    rule: Node, data: st.DataObject
) -> None:
    values = data.draw(fact_values(rule))
    parsed = parse(render(rule, COIN_FIELDS))
    assert parsed.evaluate(MappingFacts(values)) == plain(rule, values)
