"""Numbers as a trader types them, read and written by the field's kind.

`m` is minutes for a duration and million for anything else: the field decides, and a unit its
kind does not take is an error pointing at the value (`age < 10k`). Reading goes through
`Decimal`, so `1.5k` is exactly 1500 and `0.1k` exactly 100; `format_value` writes a value so
that `read_value` gives back the same float.
"""

from __future__ import annotations

from decimal import Decimal

from pumptui.rules.lexer import NUMBER

MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION_HINT = "30s, 10m, 2h or 1d"


class UnitError(ValueError):
    """A value whose unit its field's kind does not take; the message says what would do."""


def read_value(text: str, kind: str, field_name: str) -> float:
    """The number `text` means for a field of `kind`: USD, SOL, a count or a percentage as it
    is shown (0-100), or a duration in seconds. `UnitError` when the unit does not fit."""
    match = NUMBER.match(text)
    if match is None:
        raise UnitError(f"{field_name} needs a number, not {text!r}")
    digits, unit = Decimal(match["digits"]), match["unit"].lower()
    if match["dollar"] and kind != "usd":
        raise UnitError(f"{field_name} is not in USD: drop the $")
    if kind == "duration":
        if unit not in DURATIONS:
            raise UnitError(f"{field_name} is a duration: write it as {DURATION_HINT}")
        return float(digits * DURATIONS[unit])
    if kind == "percent":
        if unit not in ("", "%"):
            raise UnitError(f"{field_name} is a percentage: write it as 5% or -10%")
        return float(digits)
    if unit == "%":
        raise UnitError(f"{field_name} is {_KIND_WORDS.get(kind, 'a number')}, not a percentage")
    if unit not in MULTIPLIERS:
        raise UnitError(f"unknown unit {unit!r}: {field_name} takes k, m (million) or b")
    return float(digits * MULTIPLIERS[unit])


_KIND_WORDS = {"usd": "in USD", "sol": "in SOL", "count": "a count", "number": "a number"}


def read_window(text: str) -> float:
    """A window (`5m`, `1h`) in seconds; `UnitError` unless it is a positive duration."""
    match = NUMBER.match(text)
    unit = match["unit"].lower() if match else ""
    if match is None or match["dollar"] or unit not in DURATIONS:
        raise UnitError(f"a window is a duration: {DURATION_HINT}")
    seconds = float(Decimal(match["digits"]) * DURATIONS[unit])
    if seconds <= 0:
        raise UnitError("a window must be longer than 0s")
    return seconds


def plain(value: float) -> str:
    """A float's shortest exact decimal without an exponent: 1e-05 → "0.00001"."""
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: float, kind: str) -> str:
    """`value` as it would be typed for a field of `kind`, reading back to the same float."""
    if kind == "duration":
        return format_duration(value)
    if kind == "percent":
        return plain(value) + "%"
    for unit in ("b", "m", "k"):
        scale = MULTIPLIERS[unit]
        if abs(value) >= scale:
            text = plain(value / scale) + unit
            if read_value(text, kind, "") == value:
                return text
    return plain(value)


def format_duration(seconds: float) -> str:
    """Seconds in the largest unit that writes them exactly: 600 → "10m", 90 → "90s"."""
    for unit in ("d", "h", "m"):
        scale = DURATIONS[unit]
        if seconds and abs(seconds) >= scale:
            digits = plain(seconds / scale)
            if float(Decimal(digits) * scale) == seconds:
                return digits + unit
    return plain(seconds) + "s"
