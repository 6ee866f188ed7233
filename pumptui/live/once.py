"""Whether something keyed is due to be told again: once an interval a key, and no key kept for
longer than that. The keys of what the user is told vary (a coin, a wait in seconds), so a table
of when each was last told must forget them, or it grows for as long as the app runs."""

from __future__ import annotations


class OncePer:
    """`due(key, now)`: True at most once per `interval` seconds for each key."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._told: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._told)

    def due(self, key: str, now: float) -> bool:
        told = self._told
        last = told.get(key)
        if last is not None and now - last < self.interval:
            return False
        for old in [k for k, at in told.items() if now - at >= self.interval]:
            del told[old]
        told[key] = now
        return True
