"""The trenches boards, kept live from advanced-indexer's keyless socket.

Pump.fun's own site lists new, graduating and graduated coins from `/ws/trenches`: a snapshot,
then about once a second a delta (entries updated, added, removed, moved). Each entry is a
per-coin aggregate (USD market cap, curve %, holders, top-10 %, dev %, snipers, 5-minute volume),
not a trade, and it costs no REST budget at all. So the engine keeps one socket per board and
publishes each board as it changes (`BoardChanged`); a coin new to the "new" board wakes the
new-coins feed, whose REST read brings the full record.

The boards named at construction are kept live for the engine's lifetime; `show()` keeps others
live too while a screen shows them (the trenches screen: `graduated`), and closes them after.

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
        # The boards always kept live; `boards` is those plus the ones shown now.
        self.kept = _known(boards)
        self.boards = self.kept
        self.heartbeat = heartbeat
        self.http_interval = http_interval
        self._backoff = backoff
        self._backoffs: dict[str, Backoff] = {}
        self._states: dict[str, BoardState] = {}
        self._connected: dict[str, bool] = {}
        self._reasons: dict[str, str | None] = {}
        for board in self.boards:
            self._add(board)
        self._engine: LiveEngine | None = None
        # Each running board's socket and HTTP-fallback tasks.
        self._tasks: dict[str, list[asyncio.Task[None]]] = {}
        self._since = time.time()
        self._last_message_at: float | None = None
        self.messages = 0
        self.resubscribed = 0

    async def start(self, engine: LiveEngine) -> None:
        self._engine = engine
        for board in self.boards:
            self._open(board)
        self._publish_health()

    async def stop(self) -> None:
        running, self._tasks = self._tasks, {}
        tasks = [task for board_tasks in running.values() for task in board_tasks]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=6.0)
        self._engine = None

    def show(self, boards: Iterable[str]) -> None:
        """Keep `boards` live as well as the kept ones, while a screen shows them; boards shown
        before and not now are closed (their last state stays in the store). Before `start`
        it only notes them."""
        wanted = _known((*self.kept, *boards))
        if wanted == self.boards:
            return
        for board in self.boards:
            if board not in wanted:
                for task in self._tasks.pop(board, []):
                    task.cancel()
                for table in (self._backoffs, self._states, self._connected, self._reasons):
                    table.pop(board, None)
        for board in wanted:
            if board not in self._states:
                self._add(board)
        self.boards = wanted
        if self._engine is not None:
            for board in wanted:
                if board not in self._tasks:
                    self._open(board)
            self._publish_health()

    def _add(self, board: str) -> None:
        self._backoffs[board] = self._backoff or Backoff(base=1.0, cap=30.0)
        self._states[board] = BoardState(board)
        self._connected[board] = False
        self._reasons[board] = None

    def _open(self, board: str) -> None:
        self._tasks[board] = [
            asyncio.create_task(self._run(board), name=f"trenches:{board}"),
            asyncio.create_task(self._fallback(board), name=f"trenches-http:{board}"),
        ]

    @property
    def connected(self) -> bool:
        return all(self._connected.get(board, False) for board in self.boards)

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
                if board in self._connected:
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
            # Boards shown beside the kept ones stretch every board's interval: all of them
            # together read no more often than the kept ones alone (the indexer's budget).
            await asyncio.sleep(self.http_interval * len(self.boards) / max(1, len(self.kept)))
            engine = self._engine
            if engine is None or self._connected.get(board, True) or engine.paused:
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
            if not self._connected.get(board, True):
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
        engine.emit(BoardChanged(board, entries, version, read_at=time.time()))

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
        down = [b for b in self.boards if not self._connected.get(b, False)]
        if not down:
            state, reason = FeedState.LIVE, None
            silent = self._last_message_at is None or time.time() - self._last_message_at > SILENCE
            if silent and self._last_message_at is not None:
                state, reason = FeedState.SLOW, "no board update lately"
        else:
            # A board whose socket has not failed yet is still connecting (at start-up, or one
            # the trenches screen just opened): that is starting, not failing, and no alarm.
            failed = any(self._reasons[board] for board in down)
            state = FeedState.FAILING if failed else FeedState.STARTING
            # Boards down for the same reason are named together: "new, graduating: …".
            by_reason: dict[str, list[str]] = {}
            for board in down:
                by_reason.setdefault(self._reasons[board] or "connecting", []).append(board)
            why = "; ".join(f"{', '.join(boards)}: {why}" for why, boards in by_reason.items())
            reason = f"{why} (boards read over HTTP meanwhile)" if failed else why
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


def _known(boards: Iterable[str]) -> tuple[str, ...]:
    """The boards without repeats, in order; an unknown name is an error."""
    named = tuple(dict.fromkeys(boards))
    for board in named:
        if board not in routes.BOARDS:
            raise ValueError(f"unknown board {board!r}")
    return named
