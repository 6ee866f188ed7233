"""The one error a filter expression raises, pointing at the token that caused it."""

from __future__ import annotations

import unicodedata


class ExprError(ValueError):
    """A filter expression that cannot be read or cannot apply to its fields.

    `position` and `length` are character offsets into `source` (the whole text), so a caller
    can underline the offending token: `pointer()` gives that as two lines, the source and a
    caret line (`^^^`), ready for a monospaced error message.
    """

    def __init__(self, message: str, position: int, length: int = 1, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = max(0, position)
        self.length = max(1, length)
        self.source = source

    def pointer(self) -> str:
        """The source line holding the error and a caret line under the offending token."""
        start = self.source.rfind("\n", 0, self.position) + 1
        end = self.source.find("\n", self.position)
        line = self.source[start:] if end < 0 else self.source[start:end]
        column = self.position - start
        token = line[column : column + self.length] or " "
        return f"{line}\n{_pad(line[:column])}{'^' * _cells(token)}"

    def __str__(self) -> str:
        return self.message


def _char_cells(char: str) -> int:
    """Terminal columns one character takes: two when wide (CJK, emoji), none for a combining
    mark, one otherwise; so a caret lands under its token in a monospaced font."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _cells(text: str) -> int:
    return max(1, sum(_char_cells(c) for c in text))


def _pad(prefix: str) -> str:
    """Blank space as wide as `prefix`, keeping its tabs (so they expand the same way)."""
    return "".join(c if c == "\t" else " " * _char_cells(c) for c in prefix)
