"""One coin's chat as the app holds it: unexpired messages in time order, each id once.

Messages are ordered by their time, then by the order they were first seen (several can share
a millisecond, and the service's ids say nothing of order). The chat service resends messages
(a history read after a reconnect overlaps what the socket pushed before; a message can arrive
both in a history ack and as `newMessage`), so every message goes through `add`, which keeps the
first copy of an id (or a changed copy in its place) and says which ones are new. Messages past
their `expires_at` are dropped as they are added and whenever `prune` is called, by the clock
given (injectable, so tests need not wait). The room keeps at most `limit` messages, the newest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from pumptui.api.models import ChatMessage

# Messages a room keeps (the pane shows the newest; the service's history is shorter anyway).
ROOM_LIMIT = 500


class ChatRoom:
    def __init__(
        self, mint: str, *, limit: int = ROOM_LIMIT, clock: Callable[[], float] = time.time
    ) -> None:
        self.mint = mint
        self.limit = max(1, limit)
        self._clock = clock
        self._by_id: dict[str, ChatMessage] = {}
        self._seen: dict[str, int] = {}  # id -> the order it was first seen in
        self._arrivals = 0
        self._ordered: list[ChatMessage] = []
        self.viewers: int | None = None

    @property
    def messages(self) -> tuple[ChatMessage, ...]:
        """Oldest first, newest last (where a chat shows it: at the bottom)."""
        return tuple(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._by_id

    @property
    def oldest(self) -> ChatMessage | None:
        return self._ordered[0] if self._ordered else None

    def add(self, messages: Iterable[ChatMessage]) -> tuple[list[ChatMessage], bool]:
        """Fold messages in. Returns the ones never seen before (in time order) and whether the
        room changed at all (new, updated or pruned messages)."""
        now = self._clock()
        fresh: list[ChatMessage] = []
        changed = False
        for message in messages:
            if message.mint != self.mint or message.expired(now):
                continue
            known = self._by_id.get(message.id)
            if known == message:
                continue
            self._by_id[message.id] = message
            changed = True
            if known is None:
                self._arrivals += 1
                self._seen[message.id] = self._arrivals
                fresh.append(message)
        if changed:
            self._ordered = sorted(self._by_id.values(), key=self._order)
            if len(self._ordered) > self.limit:
                for gone in self._ordered[: len(self._ordered) - self.limit]:
                    self._forget(gone.id)
                self._ordered = self._ordered[-self.limit :]
                fresh = [m for m in fresh if m.id in self._by_id]
        changed = self.prune() > 0 or changed
        return sorted(fresh, key=self._order), changed

    def _order(self, message: ChatMessage) -> tuple[float, int]:
        return (message.at, self._seen[message.id])

    def _forget(self, message_id: str) -> None:
        del self._by_id[message_id]
        del self._seen[message_id]

    def prune(self) -> int:
        """Drop the messages that have expired by now; returns how many went."""
        now = self._clock()
        expired = [m for m in self._ordered if m.expired(now)]
        if not expired:
            return 0
        for message in expired:
            self._forget(message.id)
        self._ordered = [m for m in self._ordered if m.id in self._by_id]
        return len(expired)

    def next_expiry(self) -> float | None:
        """When the next message expires (Unix seconds), if any will."""
        times = [m.expires_at for m in self._ordered if m.expires_at is not None]
        return min(times) if times else None
