"""Counted nouns read as English: never "1 coins", never "item(s)"."""

from __future__ import annotations

import pytest

from pumptui.words import plural


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "coin", "1 coin"),
        (2, "coin", "2 coins"),
        (0, "item", "0 items"),
        (1, "batch", "1 batch"),
        (3, "batch", "3 batches"),
        (2, "reply", "2 replies"),
        (2, "day", "2 days"),
        (2, "duplicate", "2 duplicates"),
    ],
)
def test_a_count_takes_the_noun_in_the_right_number(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_an_irregular_plural_is_given_by_the_caller() -> None:
    assert plural(1, "person", "people") == "1 person"
    assert plural(4, "person", "people") == "4 people"
