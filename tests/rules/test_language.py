"""The filter language as a trader types it: units by field kind, precedence, windows, text
matching, and errors that point at the token they are about."""

from __future__ import annotations

import pytest

from pumptui.rules import (
    COIN_FIELDS,
    ExprError,
    Field,
    MappingFacts,
    fields_help,
    parse,
    plain_value,
)
from pumptui.rules.tree import And, Compare, Not, Or

HOUR = 3600.0


def tree(text: str) -> object:
    return parse(text).tree


def error(text: str) -> ExprError:
    with pytest.raises(ExprError) as caught:
        parse(text)
    return caught.value


def caret(text: str) -> str:
    """The caret line of the error `text` raises."""
    return error(text).pointer().split("\n")[1]


def holds(text: str, **values: float | str | None) -> bool:
    return parse(text).evaluate(MappingFacts(values))


# -- units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mc > 1500", 1500.0),
        ("mc > 1.5k", 1500.0),
        ("mc > 20K", 20_000.0),
        ("mc > 2m", 2_000_000.0),
        ("mc > 1b", 1_000_000_000.0),
        ("mc > $20k", 20_000.0),
        ("mc > 0.1k", 100.0),
        ("mcsol > 0.5", 0.5),
        ("holders >= 1.5k", 1500.0),
        ("dev < 5%", 5.0),
        ("dev < 5", 5.0),
        ("change > -10%", -10.0),
        ("age < 30s", 30.0),
        ("age < 10m", 600.0),
        ("age < 2h", 7200.0),
        ("age < 1d", 86400.0),
        ("age < 1.5h", 5400.0),
    ],
)
def test_a_value_is_read_in_the_unit_its_field_takes(text: str, value: float) -> None:
    node = tree(text)
    assert isinstance(node, Compare)
    assert node.value == value


def test_m_is_minutes_for_a_duration_and_million_for_a_market_cap() -> None:
    assert tree("age < 2m") == Compare("age", "<", 120.0)
    assert tree("mc < 2m") == Compare("mc", "<", 2_000_000.0)


@pytest.mark.parametrize(
    ("text", "message", "marked"),
    [
        ("age < 10k", "age is a duration", "      ^^^"),
        ("age < 10", "age is a duration", "      ^^"),
        ("mc > 5%", "mc is in USD, not a percentage", "     ^^"),
        ("holders > 5%", "holders is a count, not a percentage", "          ^^"),
        ("dev < 5k", "dev is a percentage", "      ^^"),
        ("mc > 5x", "unknown unit 'x'", "     ^^"),
        ("dev < $5", "dev is not in USD", "      ^^"),
    ],
)
def test_a_unit_the_field_does_not_take_is_an_error_at_the_value(
    text: str, message: str, marked: str
) -> None:
    assert message in str(error(text))
    assert caret(text) == marked


# -- structure ------------------------------------------------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    a, b, c = (Compare("holders", ">", float(n)) for n in (1, 2, 3))
    assert tree("holders > 1 or holders > 2 and holders > 3") == Or((a, And((b, c))))
    assert tree("holders > 1 and holders > 2 or holders > 3") == Or((And((a, b)), c))
    assert tree("(holders > 1 or holders > 2) and holders > 3") == And((Or((a, b)), c))


def test_not_applies_to_the_next_condition_only() -> None:
    a, b = Compare("holders", ">", 1.0), Compare("holders", ">", 2.0)
    assert tree("not holders > 1 and holders > 2") == And((Not(a), b))
    assert tree("not (holders > 1 and holders > 2)") == Not(And((a, b)))


def test_keywords_and_field_names_are_case_insensitive() -> None:
    assert tree("MC > 1 AND Holders > 2 Or NOT dev < 3") == tree(
        "mc > 1 and holders > 2 or not dev < 3"
    )


def test_precedence_decides_what_matches() -> None:
    # or(a, and(b, c)): true through `a` alone.
    assert holds("holders > 1 or holders > 200 and dev < 5", holders=10, dev=50)
    assert not holds("(holders > 1 or holders > 200) and dev < 5", holders=10, dev=50)


def test_operators_without_spaces() -> None:
    assert tree("mc>20k and name~pepe") == And(
        (Compare("mc", ">", 20_000.0), Compare("name", "~", "pepe"))
    )


def test_double_equals_is_equals() -> None:
    assert tree("holders == 5") == tree("holders = 5")


# -- windows --------------------------------------------------------------------------------------


def test_a_windowed_field_without_a_window_reads_its_default() -> None:
    assert tree("change > 30%") == Compare("change", ">", 30.0, 300.0)
    assert tree("change 5m > 30%") == tree("change > 30%")


def test_a_window_is_a_duration_in_seconds() -> None:
    assert tree("vol 1h >= 10k") == Compare("vol", ">=", 10_000.0, HOUR)
    assert tree("trades 3m > 5") == Compare("trades", ">", 5.0, 180.0)


def test_the_window_decides_which_figure_is_read() -> None:
    facts = MappingFacts({("vol", 300.0): 50_000.0, ("vol", HOUR): 1_000.0})
    assert parse("vol > 10k").evaluate(facts)
    assert not parse("vol 1h > 10k").evaluate(facts)


def test_a_window_on_a_field_without_windows_is_an_error() -> None:
    assert str(error("mc 5m > 3")) == "mc takes no window"
    assert caret("mc 5m > 3") == "   ^^"


@pytest.mark.parametrize("window", ["5k", "5", "0m", "5%"])
def test_a_window_must_be_a_positive_duration(window: str) -> None:
    text = f"vol {window} > 3"
    assert "window" in str(error(text))
    assert caret(text) == "    " + "^" * len(window)


def test_reads_lists_each_field_with_its_window() -> None:
    rule = parse("change 1h > 5% and vol > 1k and holders > 5")
    assert rule.fields == frozenset({"change", "vol", "holders"})
    assert rule.reads == frozenset({("change", HOUR), ("vol", 300.0), ("holders", None)})


# -- text -----------------------------------------------------------------------------------------


def test_contains_is_case_insensitive() -> None:
    assert holds("name ~ pepe", name="Baby PEPE")
    assert not holds("name ~ pepe", name="Doge")
    assert holds("name !~ pepe", name="Doge")


def test_a_quoted_value_keeps_its_spaces() -> None:
    assert holds('symbol ~ "dog wif"', symbol="DOG WIF HAT")
    assert not holds('symbol ~ "dog wif"', symbol="dogwif")


def test_equals_matches_the_whole_text_in_any_case() -> None:
    assert holds("symbol = PEPE", symbol="pepe")
    assert not holds("symbol = PEPE", symbol="pepe2")
    assert holds("symbol != PEPE", symbol="pepe2")


def test_a_quote_inside_a_string_is_escaped() -> None:
    assert tree(r'name = "say \"hi\""') == Compare("name", "=", 'say "hi"')


def test_stage_takes_its_three_values_in_any_case() -> None:
    assert tree("stage = Graduated") == Compare("stage", "=", "graduated")
    assert holds("not (stage = graduated)", stage="new")
    assert not holds("not (stage = graduated)", stage="graduated")


# -- unknown values -------------------------------------------------------------------------------


def test_an_unknown_value_makes_its_comparison_false() -> None:
    for text in ("dev < 5%", "dev >= 5%", "dev != 5", "name ~ x", "name !~ x", "name != x"):
        assert not holds(text, dev=None, name=None), text


def test_not_of_an_unknown_comparison_is_true() -> None:
    assert holds("not (dev < 5%)", dev=None)


def test_a_number_where_text_is_read_does_not_match() -> None:
    assert not holds("name ~ pepe", name=5.0)
    assert not holds("holders > 1", holders="many")


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "marked"),
    [
        ("holdrs > 5", "unknown field 'holdrs': did you mean holders?", "^^^^^^"),
        ("mc > 1 and vlo > 5", "unknown field 'vlo': did you mean vol?", "           ^^^"),
        ("zzz > 5", "unknown field 'zzz'", "^^^"),
        ("bonk", "unknown field 'bonk': to find a coin by name, write name ~ bonk", "^^^^"),
        ("name ~ 404", 'name is text: quote a number to match it ("404")', "       ^^^"),
        ("mc > pepe", "mc needs a number, not 'pepe'", "     ^^^^"),
        ("mc >", "missing value after mc >", "    ^"),
        ("mc > and dev < 5", "missing value after mc >", "     ^^^"),
        ("name ~ or", 'missing value after name ~ (quote it: "or")', "       ^^"),
        ("mc > 5 and", "missing condition before the end", "          ^"),
        ("and mc > 5", "missing condition before 'and'", "^^^"),
        ("mc > 5 or or dev < 1", "missing condition before 'or'", "          ^^"),
        ("(mc > 1", "unclosed parenthesis: add ')'", "^"),
        ("((mc > 1) and dev < 2", "unclosed parenthesis: add ')'", "^"),
        ("mc > 1)", "')' without a matching '('", "      ^"),
        ("()", "empty parentheses: put a condition inside", " ^"),
        ("mc > 1 holders", "expected 'and', 'or' or the end, found 'holders'", "       ^^^^^^^"),
        (
            "mc > 1 adn dev < 2",
            "expected 'and', 'or' or the end, found 'adn': did you mean and?",
            "       ^^^",
        ),
        ("(mc > 1 dev)", "expected 'and', 'or' or ')', found 'dev'", "        ^^^"),
        ("mc 20k", "expected an operator (> >= < <= = !=) after mc", "   ^^^"),
        ("name pepe", "expected an operator (= != ~ !~) after name", "     ^^^^"),
        ("mc ~ 5", "mc is a number: ~ is for text; use > >= < <= = !=", "   ^"),
        ("name > a", "name is text: compare it with = != ~ (contains) or !~", "     ^"),
        ('name ~ "pepe', 'unclosed quote: end the text with "', "       ^"),
        (
            "stage = graduted",
            "stage is one of new, graduating, graduated: did you mean graduated?",
            "        ^^^^^^^^",
        ),
        ("5 > mc", "expected a field name, found '5'", "^"),
        ("", "empty filter: write a condition such as mc > 20k", "^"),
    ],
)
def test_an_error_names_the_problem_and_points_at_its_token(
    text: str, message: str, marked: str
) -> None:
    raised = error(text)
    assert str(raised) == message
    assert raised.pointer() == f"{text}\n{marked}"
    assert raised.position == len(marked) - len(marked.lstrip())
    assert raised.length == max(1, len(marked.strip()))


def test_the_caret_stays_under_its_token_after_wide_characters_and_tabs() -> None:
    assert (
        error("name ~ 蛙蛙 and holdrs > 5").pointer().split("\n")[1] == " " * 16 + "^" * 6
    )  # 蛙 takes two columns
    assert error("name ~ x and\tholdrs > 5").pointer().split("\n")[1] == " " * 12 + "\t^^^^^^"


def test_a_deeply_nested_rule_is_an_error_not_a_crash() -> None:
    text = "(" * 60 + "mc > 1" + ")" * 60
    assert "nested too deeply" in str(error(text))
    assert str(error("not " * 60 + "mc > 1")).startswith("nested too deeply")
    assert parse("(" * 40 + "mc > 1" + ")" * 40).tree == Compare("mc", ">", 1.0)


def test_the_pointer_shows_only_the_line_of_a_multi_line_rule() -> None:
    raised = error("mc > 1 and\nholdrs > 5")
    assert raised.pointer() == "holdrs > 5\n^^^^^^"


# -- fields of one's own --------------------------------------------------------------------------


def test_a_caller_can_add_fields_of_its_own() -> None:
    fields = COIN_FIELDS | {"late": Field("late", "duration", "how late the trade came")}
    rule = parse("late > 30s and mc > 1k", fields)
    assert rule.fields == frozenset({"late", "mc"})
    assert rule.evaluate(MappingFacts({"late": 45.0, "mc": 5_000.0}))
    with pytest.raises(ExprError):
        parse("late > 30s")


def test_render_writes_the_canonical_text() -> None:
    rule = parse("MC>20000 and (AGE<600s or not stage==graduated) and vol 5m >= 1500")
    assert rule.render() == "mc > 20k and (age < 10m or not (stage = graduated)) and vol >= 1.5k"


def test_the_field_help_lists_every_field_with_its_units_within_80_columns() -> None:
    lines = fields_help().splitlines()
    assert [line.split()[0] for line in lines] == list(COIN_FIELDS)
    assert all(len(line) <= 78 for line in lines)
    assert "vol [5m]" in fields_help()
    assert "new|graduating|graduated" in fields_help()


def test_plain_value_reads_a_windowed_field_at_its_default_window() -> None:
    facts = MappingFacts({("vol", 300.0): 5.0, ("vol", 3600.0): 7.0, "mc": 9.0})
    assert plain_value(facts, "vol") == 5.0
    assert plain_value(facts, "vol", 3600.0) == 7.0
    assert plain_value(facts, "mc") == 9.0
