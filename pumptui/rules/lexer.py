"""Filter text → tokens, each with its offset, so every error can point at what it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pumptui.rules.errors import ExprError

TokenKind = Literal["word", "number", "string", "op", "lparen", "rparen", "end"]

OPERATORS = (">=", "<=", "==", "!=", "!~", ">", "<", "=", "~")
KEYWORDS = frozenset({"and", "or", "not"})
# Characters that end a bare word (a `!` only when an operator follows it: `wow!` is a word).
BREAK = set(' \t\r\n()"<>=~')
# A number with an optional unit: `1500`, `1.5k`, `-10%`, `.5`, `30s`, `$20k`.
NUMBER = re.compile(
    r"^(?P<dollar>\$)?(?P<digits>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<unit>[a-zA-Z%]*)$"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # as written (a string's text without its quotes and escapes)
    position: int
    length: int

    @property
    def keyword(self) -> str | None:
        """`and`, `or` or `not` when this bare word is one (case-insensitive)."""
        lowered = self.text.lower()
        return lowered if self.kind == "word" and lowered in KEYWORDS else None


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, ending with an `end` token; `ExprError` on an unclosed string."""
    tokens: list[Token] = []
    index, size = 0, len(source)
    while index < size:
        char = source[index]
        if char.isspace():
            index += 1
        elif char == "(":
            tokens.append(Token("lparen", char, index, 1))
            index += 1
        elif char == ")":
            tokens.append(Token("rparen", char, index, 1))
            index += 1
        elif char == '"':
            index = _string(source, index, tokens)
        elif op := operator_at(source, index):
            tokens.append(Token("op", op, index, len(op)))
            index += len(op)
        else:
            start = index
            while index < size and not ends_word(source, index):
                index += 1
            text = source[start:index]
            kind: TokenKind = "number" if NUMBER.match(text) else "word"
            tokens.append(Token(kind, text, start, index - start))
    tokens.append(Token("end", "", size, 1))
    return tokens


def ends_word(source: str, index: int) -> bool:
    """Whether a bare word stops at `index` (a space, a bracket, a quote or an operator)."""
    char = source[index]
    return char.isspace() or char in BREAK or operator_at(source, index) is not None


def operator_at(source: str, index: int) -> str | None:
    for op in OPERATORS:
        if source.startswith(op, index):
            return op
    return None


def _string(source: str, start: int, tokens: list[Token]) -> int:
    """Read the double-quoted string at `start` (`\\"` and `\\\\` escape); its end offset."""
    chars: list[str] = []
    index = start + 1
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source) and source[index + 1] in '"\\':
            chars.append(source[index + 1])
            index += 2
        elif char == '"':
            tokens.append(Token("string", "".join(chars), start, index + 1 - start))
            return index + 1
        else:
            chars.append(char)
            index += 1
    raise ExprError('unclosed quote: end the text with "', start, 1, source)
