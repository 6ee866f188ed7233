"""advanced-indexer's boards (pumpfun-api-2026.md §3.5): what each holds, and the patches that
take a subscriber from one version of a board to the next.

Boards (at most `BOARD_SIZE` entries each; listed, non-NSFW coins):
- `new`: coins still on the curve, newest first;
- `graduating`: coins on the curve with at least `GRADUATING_PROGRESS` of the curve sold (the
  final stretch), furthest along first;
- `graduated`: complete coins, most recently graduated first.

A board is recomputed at most once per second of market time; each recomputation that changes it
bumps its version by one and yields the patches (`remove`, `add`, `move`, `update`) that turn the
previous entries into the new ones when applied in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pumptui.sim import shapes
from pumptui.sim.curve import INITIAL_REAL_TOKENS
from pumptui.sim.market import Market, SimCoin

BOARDS = ("new", "graduating", "graduated")
BOARD_SIZE = 50
GRADUATING_PROGRESS = 0.70
DELTA_EVERY = 1.0  # market seconds between deltas


def board_coins(market: Market, board: str) -> list[SimCoin]:
    visible = [c for c in market.coins.values() if c.listed and not c.nsfw]
    if board == "new":
        picked = [c for c in reversed(visible) if not c.curve.complete]
    elif board == "graduating":
        # real tokens left ≤ 30 % of the curve's: at least 70 % sold.
        limit = INITIAL_REAL_TOKENS * (1 - GRADUATING_PROGRESS)
        picked = sorted(
            (c for c in visible if not c.curve.complete and c.curve.real_tokens <= limit),
            key=lambda c: (c.curve.real_tokens, -c.created),
        )
    elif board == "graduated":
        picked = sorted(
            (c for c in visible if c.curve.complete), key=lambda c: -(c.graduated_at or 0.0)
        )
    else:
        raise KeyError(board)
    return picked[:BOARD_SIZE]


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Patches that, applied in order, turn `old` into `new` (entries keyed by `m`)."""
    patches: list[dict[str, Any]] = []
    new_by_mint = {e["m"]: e for e in new}
    working = [e["m"] for e in old if e["m"] in new_by_mint]
    for entry in old:
        if entry["m"] not in new_by_mint:
            patches.append({"op": "remove", "mint": entry["m"]})
    old_by_mint = {e["m"]: e for e in old}
    for idx, entry in enumerate(new):
        mint = entry["m"]
        if mint not in old_by_mint:
            working.insert(idx, mint)
            patches.append({"op": "add", "mint": mint, "idx": idx, "fields": entry})
            continue
        if working[idx] != mint:
            working.remove(mint)
            working.insert(idx, mint)
            patches.append({"op": "move", "mint": mint, "idx": idx})
        before = old_by_mint[mint]
        changed = {k: v for k, v in entry.items() if before.get(k) != v}
        if changed:
            patches.append({"op": "update", "mint": mint, "fields": changed})
    return patches


@dataclass
class Board:
    name: str
    version: int = 0
    computed_at: float | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)

    def refresh(self, market: Market, *, force: bool = False) -> list[dict[str, Any]] | None:
        """Recompute if a second of market time has passed (or `force`); returns the patches
        (None when nothing was recomputed, [] when nothing changed)."""
        now = market.now
        if not force and self.computed_at is not None and now - self.computed_at < DELTA_EVERY:
            return None
        fresh = [shapes.board_entry(market, c) for c in board_coins(market, self.name)]
        patches = diff(self.entries, fresh)
        self.computed_at = now
        self.entries = fresh
        if patches or self.version == 0:
            self.version += 1
        return patches

    def snapshot(self, market: Market) -> dict[str, Any]:
        return {
            "type": "snapshot",
            "board": self.name,
            "version": self.version,
            "serverTs": int(market.now * 1000),
            "entries": self.entries,
        }
