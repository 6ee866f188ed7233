"""The one error a filter expression raises, pointing at the token that caused it."""

from __future__ import annotations


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
        width = max(1, min(self.length, len(line) - column)) if column < len(line) else 1
        return f"{line}\n{' ' * column}{'^' * width}"

    def __str__(self) -> str:
        return self.message
