"""The trenches boards, kept live from advanced-indexer's keyless socket.

Pump.fun's own site lists new, graduating and graduated coins from `/ws/trenches`: a snapshot,
then about once a second a delta (entries updated, added, removed, moved). Each entry is a
per-coin aggregate (USD market cap, curve %, holders, top-10 %, dev %, snipers, 5-minute volume),
not a trade, and it costs no REST budget at all. So the engine keeps one socket per board and
publishes each board as it changes (`BoardChanged`); a coin new to the "new" board wakes the
new-coins feed, whose REST read brings the full record.

While a board's socket is down, the board is read over HTTP instead (`GET /boards/{board}`),
no more often than the indexer budget allows; the socket is retried with backoff all along.
The wire format (URLs, the subscribe message, snapshot and delta readers, patch rules) is
`pumptui.api.routes`'; this module only keeps the connections and says what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pumptui.api import routes
from pumptui.api.errors import ApiError
from pumptui.api.models import BoardEntry
from pumptui.api.routes import BoardApply, BoardState
from pumptui.live.events import BoardChanged, FeedHealthChanged
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.lazy_import import import_off_loop
from pumptui.live.schedule import Backoff

if TYPE_CHECKING:
    from pumptui.live.engine import LiveEngine

TRENCHES_FEED = "trenches"
DEFAULT_BOARDS = ("new", "graduating")
# Seconds without a message after which a board counts as stale (deltas come about once a second).
SILENCE = 15.0
# While a socket is down: seconds between HTTP reads of its board (6 a minute over all boards).
HTTP_INTERVAL = 20.0


class TrenchesWatcher:
    """One socket per board; the boards' health is one status-bar entry ("trenches")."""

    def __init__(
        self,
        indexer_url: str,
        boards: Iterable[str] = DEFAULT_BOARDS,
        *,
        heartbeat: float = 20.0,
        backoff: Backoff | None = None,
        http_interval: float = HTTP_INTERVAL,
    ) -> None:
        self.indexer_url = indexer_url
        self.boards = tuple(dict.fromkeys(boards))
        for board in self.boards:
            if board not in routes.BOARDS:
                raise ValueError(f"unknown board {board!r}")
        self.heartbeat = heartbeat
        self.http_interval = http_interval
        self._backoffs = {b: backoff or Backoff(base=1.0, cap=30.0) for b in self.boards}
        self._states = {b: BoardState(b) for b in self.boards}
        self._connected: dict[str, bool] = dict.fromkeys(self.boards, False)
        self._reasons: dict[str, str | None] = dict.fromkeys(self.boards)
        self._engine: LiveEngine | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._since = time.time()
        self._last_message_at: float | None = None
        self.messages = 0
        self.resubscribed = 0

    async def start(self, engine: LiveEngine) -> None:
        self._engine = engine
        for board in self.boards:
            self._tasks.append(asyncio.create_task(self._run(board), name=f"trenches:{board}"))
            self._tasks.append(
                asyncio.create_task(self._fallback(board), name=f"trenches-http:{board}")
            )
        self._publish_health()

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=6.0)

    @property
    def connected(self) -> bool:
        return all(self._connected.values())

    # -- the sockets ------------------------------------------------------------------------

    async def _run(self, board: str) -> None:
        url = routes.trenches_url(self.indexer_url, board)
        backoff = self._backoffs[board]
        await import_off_loop("aiohttp")
        import aiohttp

        while True:
            reason = "connection closed"
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.ws_connect(
                        url,
                        heartbeat=self.heartbeat,
                        timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                    ) as ws,
                ):
                    await ws.send_str(routes.trenches_subscribe(board))
                    self._set_connected(board, True)
                    backoff.reset()
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            if self._on_message(board, message.data):
                                self.resubscribed += 1
                                await ws.send_str(routes.trenches_subscribe(board))
                        elif message.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSED):
                            break
            except asyncio.CancelledError:
                self._set_connected(board, False, "stopped")
                raise
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            self._set_connected(board, False, reason)
            await asyncio.sleep(backoff.next())

    def _on_message(self, board: str, raw: str) -> bool:
        """Apply one message; True when the board must be subscribed to again."""
        message = routes.read_trenches(raw)
        if message is None:
            return False
        state = self._states[board]
        outcome = state.apply(message)
        if outcome is BoardApply.RESUBSCRIBE:
            return True
        if outcome is BoardApply.APPLIED:
            self.messages += 1
            self._last_message_at = time.time()
            self._publish(board)
        return False

    async def _fallback(self, board: str) -> None:
        """Read the board over HTTP while its socket is down (a slow, budgeted stand-in)."""
        while True:
            await asyncio.sleep(self.http_interval)
            engine = self._engine
            if engine is None or self._connected[board] or engine.paused:
                continue
            client = engine.client
            try:
                entries = await client.board(board)
            except ApiError as error:
                self._reasons[board] = error.message
                self._publish_health()
                continue
            except Exception as error:  # never let a fallback read end the task
                self._reasons[board] = type(error).__name__
                self._publish_health()
                continue
            if not self._connected[board]:
                self._last_message_at = time.time()
                self._emit_board(board, tuple(entries), None)

    # -- what the engine learns -------------------------------------------------------------

    def _publish(self, board: str) -> None:
        state = self._states[board]
        self._emit_board(board, tuple(state.entries), state.version)

    def _emit_board(self, board: str, entries: tuple[BoardEntry, ...], version: int | None) -> None:
        engine = self._engine
        if engine is None or engine.paused:
            return
        if board == "new" and any(engine.store.coin(e.mint) is None for e in entries[:10]):
            engine.nudge("coins")  # a launch: REST brings the full record
        engine.emit(BoardChanged(board, entries, version))

    def _set_connected(self, board: str, connected: bool, reason: str | None = None) -> None:
        was = self.connected
        self._connected[board] = connected
        self._reasons[board] = None if connected else reason
        if self.connected != was:
            self._since = time.time()
        self._publish_health()

    def _publish_health(self) -> None:
        engine = self._engine
        if engine is None:
            return
        down = [b for b in self.boards if not self._connected[b]]
        if not down:
            state, reason = FeedState.LIVE, None
            silent = self._last_message_at is None or time.time() - self._last_message_at > SILENCE
            if silent and self._last_message_at is not None:
                state, reason = FeedState.SLOW, "no board update lately"
        else:
            state = FeedState.FAILING
            # Boards down for the same reason are named together: "new, graduating: …".
            by_reason: dict[str, list[str]] = {}
            for board in down:
                by_reason.setdefault(self._reasons[board] or "connecting", []).append(board)
            why = "; ".join(f"{', '.join(boards)}: {why}" for why, boards in by_reason.items())
            reason = f"{why} (boards read over HTTP meanwhile)"
        with contextlib.suppress(Exception):
            engine.emit(
                FeedHealthChanged(
                    FeedHealth(
                        TRENCHES_FEED,
                        state,
                        self._since,
                        self._last_message_at,
                        reason,
                        None,
                        0.0,
                    )
                )
            )
