"""Numbers, prices, market caps and ages as a trader reads them, for the TUI and the command line.

Every function returns a short plain string (no markup) of bounded width, so table columns can
have fixed widths and never need measuring. Nothing here knows of Textual: `pumptui watch` and
`pumptui coins` print the same figures the screens show (a tiny price is `0.0₇936` everywhere).
"""

from __future__ import annotations

import math

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def age(seconds: float | None) -> str:
    """How long ago, in at most 3 characters where possible: "4s", "12m", "3h", "9d", "2y"."""
    if seconds is None or not math.isfinite(seconds):
        return "?"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    if seconds < 86400 * 365:
        return f"{seconds // 86400}d"
    return f"{seconds // (86400 * 365)}y"


def compact(value: float | None, digits: int = 3) -> str:
    """A magnitude in about `digits` significant figures with k/M/B: "31.2", "4.51k", "1.2M"."""
    if value is None or not math.isfinite(value):
        return "—"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return sign + _significant(value / limit, digits) + suffix
    return sign + _significant(value, digits)


def _significant(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    if value >= 10**digits:
        return f"{value:.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(value)))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def usd(value: float | None) -> str:
    """ "$4.51k", "$69k", "$1.2M"; "—" when unknown."""
    if value is None or not math.isfinite(value):
        return "—"
    return "$" + compact(value)


def sol(value: float | None) -> str:
    """A SOL amount with enough precision for small trades: "0.052", "1.23", "412"."""
    if value is None or not math.isfinite(value):
        return "—"
    if 0 < abs(value) < 0.001:
        return "<0.001"
    return compact(value)


def price(value: float | None) -> str:
    """A tiny token price without a wall of zeros: 2.796e-8 → "0.0₇2796"."""
    if value is None or not math.isfinite(value) or value <= 0:
        return "—"
    if value >= 0.01:
        return _significant(value, 4)
    zeros = -math.floor(math.log10(value)) - 1
    digits = f"{value * 10 ** (zeros + 4):.0f}"[:4].rstrip("0") or "0"
    return f"0.0{str(zeros).translate(_SUBSCRIPT)}{digits}"


def percent(fraction: float) -> str:
    """Progress as a whole percentage, "100%" only when really complete."""
    if not math.isfinite(fraction):
        return "?"
    value = max(0.0, min(1.0, fraction)) * 100
    whole = math.floor(value) if value < 100 else 100
    return f"{whole}%"


def short_address(address: str | None, keep: int = 4) -> str:
    """ "7xKX…9pQe" for a wallet or mint; "" when missing."""
    if not address:
        return ""
    if len(address) <= keep * 2 + 1:
        return address
    return f"{address[:keep]}…{address[-keep:]}"


def market_caps(
    market_cap_sol: float, usd_field: float | None, sol_usd: float | None, *, sol_quoted: bool
) -> tuple[float | None, float | None]:
    """A coin's market cap as (SOL, USD), each None when unknown.

    SOL only for a coin quoted in SOL (a USDC-quoted coin's "SOL" figures are not SOL). USD is
    SOL × the current SOL price where both exist, so every coin on screen is priced at the same
    SOL price; otherwise the coin's own USD field.
    """
    in_sol = market_cap_sol if sol_quoted and market_cap_sol > 0 else None
    if in_sol is not None and sol_usd:
        return in_sol, in_sol * sol_usd
    return in_sol, usd_field


def coin_caps(coin: object, sol_usd: float | None) -> tuple[float | None, float | None]:
    """`market_caps` of a `Coin`."""
    return market_caps(
        float(getattr(coin, "market_cap_sol", 0.0) or 0.0),
        getattr(coin, "market_cap_usd", None),
        sol_usd,
        sol_quoted=bool(getattr(coin, "is_sol_quoted", True)),
    )


def holder_percent(value: float | None) -> str:
    """A share of supply (0–100): "31%", "4.2%", "0.3%"; "—" when unknown."""
    if value is None or not math.isfinite(value):
        return "—"
    value = max(0.0, value)
    if value >= 10 or value == 0:
        return f"{value:.0f}%"
    return f"{value:.1f}%"
