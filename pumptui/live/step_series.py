"""A coin's price (or market cap) over time: the latest value of each time step, in two flat arrays.

The store keeps one for each of up to 2,000 coins. As a list of `(time, value)` tuples a full one
(48 points) takes about 5.1 KB: a tuple and two floats a point, and a new tuple for every trade.
As two arrays of doubles it takes about 1.1 KB (some 8 MB less over a full store), and a trade in
a step already kept writes two numbers in place.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left


class StepSeries:
    """The latest `(unix_seconds, value)` of each `step` seconds, in time order whatever order
    values arrive in, for the newest `capacity` steps."""

    __slots__ = ("_times", "_values", "capacity", "step")

    def __init__(self, step: float, capacity: int) -> None:
        self.step = step
        self.capacity = max(1, capacity)
        self._times = array("d")
        self._values = array("d")

    def __len__(self) -> int:
        return len(self._times)

    @property
    def last_time(self) -> float | None:
        return self._times[-1] if self._times else None

    def put(self, at: float, value: float) -> None:
        """Keep `value` as the one at `at`, unless its step already holds a later one or it is
        older than every step kept in a full series."""
        times, step = self._times, self.step
        index = bisect_left(times, at)
        for i in (index - 1, index):
            if 0 <= i < len(times) and times[i] // step == at // step:
                if at >= times[i]:
                    times[i] = at
                    self._values[i] = value
                return
        if index == 0 and len(times) >= self.capacity:
            return
        times.insert(index, at)
        self._values.insert(index, value)
        if len(times) > self.capacity:
            del times[0]
            del self._values[0]

    def points(self) -> list[tuple[float, float]]:
        """A copy, oldest first: the store changes the series while readers hold the points."""
        return list(zip(self._times, self._values, strict=True))
