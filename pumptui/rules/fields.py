"""What a filter may name: each field's kind decides which units and operators it takes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["number", "percent", "usd", "sol", "duration", "count", "text"]
NUMERIC_KINDS: frozenset[str] = frozenset({"number", "percent", "usd", "sol", "duration", "count"})

# The units a kind's values are written in, as the help shows them.
UNITS: Mapping[str, str] = {
    "number": "1.5k 2m 1b",
    "count": "50 1.5k",
    "usd": "USD: 20k 1.5m",
    "sol": "SOL: 85 1.2k",
    "percent": "%: 5% -10%",
    "duration": "30s 10m 2h 1d",
    "text": 'word or "text"',
}


@dataclass(frozen=True, slots=True)
class Field:
    """One name a filter can compare. A windowed field reads a figure over a time window
    (`vol 1h`); without one it reads `default_window` (seconds). `choices`, when given, are the
    only values `=` / `!=` accept (a typo in `stage = graduted` is an error, not a silent miss)."""

    name: str
    kind: Kind
    help: str
    windowed: bool = False
    default_window: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


class Facts(Protocol):
    """The values a rule is evaluated against; None where a value is not known."""

    def value(self, name: str, window: float | None) -> float | str | None: ...


class MappingFacts:
    """Facts from a mapping: `(name, window)` keys for windowed figures, plain names otherwise.
    For rules over figures a caller already holds (alerts' own fields, tests)."""

    def __init__(self, values: Mapping[object, float | str | None]) -> None:
        self.values = values

    def value(self, name: str, window: float | None) -> float | str | None:
        if window is not None and (name, window) in self.values:
            return self.values[(name, window)]
        return self.values.get(name)
