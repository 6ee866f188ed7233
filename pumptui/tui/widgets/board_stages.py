"""Which trenches column each coin is in, and which coins just changed column.

The indexer's boards overlap (the simulator's `new` board lists every young coin still on the
curve, graduating ones too, and a graduated coin may linger on `graduating` until that board's
next delta, as the boards arrive over separate sockets). The screen shows each coin once, in the
column of its furthest stage: graduated, then graduating, then new. A coin that shows in another
column than the last time it was seen has moved; for `MOVE_SECONDS` its row is marked, up a
stage (towards graduation) or down (a graduating coin that fell back under the threshold).

A move down is believed only once it has lasted `SETTLE_SECONDS`: when a coin graduates, the
graduating board may drop it a moment before the graduated board lists it, while the new board
still does; shown as it arrives, the coin would fall back to New and jump on to Graduated.
Until then it keeps its column and place.

Nothing here draws or knows of Textual: the screen feeds boards in and reads columns and moves.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pumptui.api.models import BoardEntry

# The columns, left to right: a coin's stages in the order it goes through them.
STAGES: tuple[str, ...] = ("new", "graduating", "graduated")
STAGE_TITLES: Mapping[str, str] = {
    "new": "New",
    "graduating": "Graduating",
    "graduated": "Graduated",
}
# How long a coin that changed column stays marked (seconds of the app's clock).
MOVE_SECONDS = 10.0
# How long a coin seen in an earlier stage than before keeps its column (boards arrive apart).
SETTLE_SECONDS = 3.0
# Coins whose last column is remembered: the boards list 150 at most, the rest left lately.
REMEMBERED = 1000


def stage_columns(boards: Mapping[str, Sequence[BoardEntry]]) -> dict[str, list[BoardEntry]]:
    """Each stage's coins in their board's order, each coin in its furthest stage only."""
    taken: set[str] = set()
    columns: dict[str, list[BoardEntry]] = {}
    for stage in reversed(STAGES):
        column = []
        for entry in boards.get(stage, ()):
            if entry.mint not in taken:
                taken.add(entry.mint)
                column.append(entry)
        columns[stage] = column
    return {stage: columns[stage] for stage in STAGES}


@dataclass(frozen=True, slots=True)
class Move:
    """A coin's change of column: from which stage to which, and when it was seen."""

    source: str
    target: str
    at: float

    @property
    def up(self) -> bool:
        """Towards graduation (a fall back to an earlier stage is not)."""
        return STAGES.index(self.target) > STAGES.index(self.source)


class StageMoves:
    """Remembers the column and place each coin was last shown in, and the moves seen lately."""

    def __init__(
        self,
        remembered: int = REMEMBERED,
        move_seconds: float = MOVE_SECONDS,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self.remembered = remembered
        self.move_seconds = move_seconds
        self.settle_seconds = settle_seconds
        # Each coin's column and row when last shown, most recently shown last.
        self._place: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._moves: dict[str, Move] = {}
        # Coins seen in an earlier stage than their column, and since when.
        self._falling: dict[str, float] = {}
        self.found: list[Move] = []

    def update(
        self, columns: Mapping[str, Sequence[BoardEntry]], now: float
    ) -> dict[str, list[BoardEntry]]:
        """The columns to show, given each board's coins (`stage_columns`) now; notes where each
        coin is and puts the moves this update found in `found`. A coin seen for the first time
        has not moved, whatever its column; one that left every board and comes back elsewhere
        has."""
        shown: dict[str, list[BoardEntry]] = {stage: [] for stage in STAGES}
        held: list[tuple[str, int, BoardEntry]] = []
        for stage, entries in columns.items():
            for entry in entries:
                before = self._place.get(entry.mint)
                if before is not None and _rank(stage) < _rank(before[0]):
                    since = self._falling.setdefault(entry.mint, now)
                    if now - since < self.settle_seconds:
                        held.append((before[0], before[1], entry))
                        continue
                else:
                    self._falling.pop(entry.mint, None)
                shown[stage].append(entry)
        for stage, row, entry in sorted(held, key=lambda h: h[1]):
            column = shown[stage]
            column.insert(min(row, len(column)), entry)
        self.found = []
        for stage, entries in shown.items():
            for row, entry in enumerate(entries):
                before = self._place.get(entry.mint)
                if before is not None and before[0] != stage:
                    move = Move(before[0], stage, now)
                    self._moves[entry.mint] = move
                    self.found.append(move)
                self._place[entry.mint] = (stage, row)
                self._place.move_to_end(entry.mint)
        while len(self._place) > self.remembered:
            self._place.popitem(last=False)
        for mint in [m for m, move in self._moves.items() if now - move.at > self.move_seconds]:
            del self._moves[mint]
        for mint in [m for m, since in self._falling.items() if now - since > self.move_seconds]:
            del self._falling[mint]
        return shown

    def recent(self, mint: str, now: float) -> Move | None:
        """The coin's move if it changed column within the last `move_seconds`."""
        move = self._moves.get(mint)
        if move is None or now - move.at > self.move_seconds:
            return None
        return move

    def stage_of(self, mint: str) -> str | None:
        """The column the coin was last shown in (None: never, or forgotten)."""
        place = self._place.get(mint)
        return place[0] if place is not None else None


def _rank(stage: str) -> int:
    return STAGES.index(stage)
