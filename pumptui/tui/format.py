"""Numbers and times as a trader reads them in a narrow terminal cell.

Every function returns a short plain string (no markup) of bounded width, so table columns can
have fixed widths and never need measuring. The figures themselves (prices, market caps, ages)
are formatted in `pumptui.numbers`, shared with the command line, and importable from here.
"""

from __future__ import annotations

import time

from pumptui.numbers import (
    age,
    coin_caps,
    compact,
    holder_percent,
    market_caps,
    percent,
    price,
    short_address,
    sol,
    usd,
)

__all__ = [
    "DOWN_STYLE",
    "UP_STYLE",
    "age",
    "clock_time",
    "coin_caps",
    "compact",
    "holder_percent",
    "market_caps",
    "percent",
    "price",
    "short_address",
    "sol",
    "usd",
]

# Up/buy and down/sell colours, light enough to stay readable when NO_COLOR turns every colour
# into a grey of the same brightness (the ▲/▼ marks tell them apart there).
UP_STYLE = "#5fd787"
DOWN_STYLE = "#ff7b72"


def clock_time(timestamp: float) -> str:
    """Local wall-clock time, "14:03:27"."""
    return time.strftime("%H:%M:%S", time.localtime(timestamp))
