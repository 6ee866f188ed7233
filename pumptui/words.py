"""Counted nouns in English: "1 coin", "2 coins", "1 batch", "3 batches", "0 replies".

One place for the rule, so no message says "1 coins" or hedges with "item(s)". Knows nothing of
Textual: the API layer, the command line and the screens all count with it.
"""

from __future__ import annotations

_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural_of(word: str) -> str:
    """The regular English plural: "coin" → "coins", "batch" → "batches", "reply" → "replies"."""
    if word.endswith(_SIBILANT_ENDINGS):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and the noun in the number it needs: plural(1, "coin") == "1 coin".

    `many` is the plural where the regular rule is wrong ("person" → "people")."""
    noun = word if count == 1 else (many or plural_of(word))
    return f"{count} {noun}"
