"""The simulator's clock: real time, real time × a speed factor, or stepped by hand.

Market time is Unix seconds (a float), so timestamps look like real ones. In manual mode nothing
happens until `advance()` is called, which makes tests deterministic.
"""

from __future__ import annotations

import time
from typing import Literal

ClockMode = Literal["real", "manual"]
# Manual clocks start here unless told otherwise: a fixed instant keeps seeded runs identical.
MANUAL_EPOCH = 1_780_000_000.0


class SimClock:
    def __init__(
        self,
        mode: ClockMode = "real",
        *,
        speed: float = 1.0,
        start: float | None = None,
    ) -> None:
        if mode not in ("real", "manual"):
            raise ValueError(f"unknown clock mode {mode!r}")
        self.mode: ClockMode = mode
        self._speed = max(0.0, speed)
        self._origin = (
            start if start is not None else (time.time() if mode == "real" else MANUAL_EPOCH)
        )
        self._mono0 = time.monotonic()
        self._manual = self._origin

    def now(self) -> float:
        if self.mode == "manual":
            return self._manual
        return self._origin + (time.monotonic() - self._mono0) * self._speed

    @property
    def speed(self) -> float:
        return 0.0 if self.mode == "manual" else self._speed

    def set_speed(self, speed: float) -> None:
        """Change the speed without a jump in market time (0 pauses a real clock)."""
        if self.mode == "manual":
            raise ValueError("a manual clock has no speed; use advance()")
        self._origin = self.now()
        self._mono0 = time.monotonic()
        self._speed = max(0.0, speed)

    def advance(self, seconds: float) -> float:
        """Move a manual clock forward; returns the new time."""
        if self.mode != "manual":
            raise ValueError("only a manual clock can be advanced by hand")
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._manual += seconds
        return self._manual

    def real_seconds_until(self, market_time: float) -> float:
        """How long to sleep (wall seconds) until the market clock reaches `market_time`."""
        if self.mode == "manual" or self._speed == 0:
            return float("inf")
        return max(0.0, (market_time - self.now()) / self._speed)
