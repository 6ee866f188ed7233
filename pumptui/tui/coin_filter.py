"""What the `/` filter line means: plain words, an expression, or a named preset.

One line serves both kinds of search a trader makes. Words ("pepe", "dog wif") keep filtering
by name, symbol or mint as they always did; text the filter language reads
(`mc > 20k and dev < 5%`, see `pumptui.rules`) filters by the coins' figures; `@name` is a
preset from the config (`[screener.presets]`), a unique start of its name being enough. Text that
looks like an expression (an operator, a parenthesis, a field name followed by more) but cannot
be read is an error pointing at the offending token, never a silent substring search.

No Textual here: the table asks `matches`, the screen shows `ExprError.pointer()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pumptui.api.models import Coin
from pumptui.rules import COIN_FIELDS, Expr, ExprError, Facts, parse

PRESET_MARK = "@"
# Characters only an expression holds: comparison operators and parentheses.
_OPERATORS = re.compile(r"[<>=~!()]")


@dataclass(frozen=True, slots=True)
class CoinFilter:
    """A filter as the user typed it (`text`), read: a substring (`needle`), an expression
    (`expr`), both empty for no filter. `preset` names the preset it came from."""

    text: str = ""
    needle: str = ""
    expr: Expr | None = None
    preset: str | None = None

    def __bool__(self) -> bool:
        return bool(self.needle or self.expr)

    @property
    def needs_facts(self) -> bool:
        return self.expr is not None

    def matches(self, coin: Coin, facts: Callable[[], Facts]) -> bool:
        """Whether the coin passes; `facts` is called only for an expression."""
        if self.expr is not None:
            return self.expr.evaluate(facts())
        return coin_matches(coin, self.needle)

    def describe(self) -> str:
        """How the summary line names it: `"pep"`, `mc > 20k`, `@fresh-and-clean`."""
        if self.preset is not None:
            return f"{PRESET_MARK}{self.preset}"
        if self.expr is not None:
            return self.expr.source.strip()
        return f'"{self.needle}"' if self.needle else ""


NO_FILTER = CoinFilter()


def coin_matches(coin: Coin, needle: str) -> bool:
    """Case-insensitive substring match on symbol, name or mint (the plain-words filter)."""
    if not needle:
        return True
    needle = needle.casefold()
    return (
        needle in coin.symbol.casefold()
        or needle in coin.name.casefold()
        or needle in coin.mint.casefold()
    )


def looks_like_expression(text: str) -> bool:
    """Whether `text` is meant as an expression: it holds an operator or a parenthesis, or it
    starts with a field name and goes on (`mc 20k` is a missing operator, not a coin's name).
    One word alone ("dev", "curve") stays a name search."""
    if _OPERATORS.search(text):
        return True
    words = text.split()
    return len(words) > 1 and words[0].casefold() in COIN_FIELDS


def find_preset(name: str, presets: Mapping[str, str]) -> str | None:
    """The preset `name` names: itself, else the only one it starts (case-insensitive)."""
    folded = name.casefold()
    exact = [p for p in presets if p.casefold() == folded]
    if exact:
        return exact[0]
    started = [p for p in presets if p.casefold().startswith(folded)]
    return started[0] if len(started) == 1 and folded else None


def read_filter(text: str, presets: Mapping[str, str] = {}) -> CoinFilter:
    """The filter `text` means. Raises `ExprError` (positions in `text`) for an expression that
    cannot be read or an unknown preset; plain words never raise."""
    stripped = text.strip()
    if not stripped:
        return NO_FILTER
    if stripped.startswith(PRESET_MARK):
        return _read_preset(text, presets)
    try:
        return CoinFilter(text, expr=parse(text))
    except ExprError:
        if looks_like_expression(stripped):
            raise
    return CoinFilter(text, needle=stripped)


def _read_preset(text: str, presets: Mapping[str, str]) -> CoinFilter:
    start = text.index(PRESET_MARK)
    name = text[start + 1 :].strip()
    found = find_preset(name, presets)
    if found is None:
        known = ", ".join(f"{PRESET_MARK}{p}" for p in presets) or "none"
        what = f"no preset {PRESET_MARK}{name}" if name else "which preset?"
        raise ExprError(f"{what} (presets: {known})", start, len(text) - start, text)
    try:
        return CoinFilter(text, expr=parse(presets[found]), preset=found)
    except ExprError as error:  # the config is checked when loaded: only a caller's own map
        raise ExprError(f"preset {PRESET_MARK}{found}: {error.message}", start, 1, text) from None


def next_preset(current: str, presets: Mapping[str, str]) -> str | None:
    """The preset after the one `current` names (`@name`), in the config's order, wrapping;
    the first one when `current` names none. None when there are no presets."""
    names = list(presets)
    if not names:
        return None
    stripped = current.strip()
    found = find_preset(stripped[1:], presets) if stripped.startswith(PRESET_MARK) else None
    if found is None:
        return names[0]
    return names[(names.index(found) + 1) % len(names)]
