"""A token that does not leak through repr, str, f-strings, logs or crash tracebacks.

Textual's crash screen prints the locals of every frame; a token kept in a plain `str` local
would be printed there. Code holds a `Secret` and calls `reveal()` only at the point where the
value must leave the process (an HTTP header, the keyring).
"""

from __future__ import annotations

from typing import Final

_MASK: Final = "Secret('********')"


class Secret:
    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a secret must be a non-empty string")
        object.__setattr__(self, "_value", value.strip())

    def reveal(self) -> str:
        return self._value

    def fingerprint(self) -> str:
        """Short, non-reversible label to tell tokens apart in messages (`…a1b2`)."""
        import hashlib

        return "…" + hashlib.sha256(self._value.encode()).hexdigest()[:6]

    def __repr__(self) -> str:
        return _MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Secret is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")
