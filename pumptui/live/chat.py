"""The coins' live chat over ONE Socket.IO connection for the whole process.

`livechat.pump.fun` punishes clients that connect often (reference §2: ten connections in a row
drew only errors), so `ChatConnection` holds a single python-socketio `AsyncClient` and never has
two sockets open: coins' rooms are joined and left on that one socket as their screens open and
close (`join`, `leave`; the engine's `focus` does it for the coin on screen). The socket is opened
at the first join and kept until `stop`, even while no room is open, so opening coins one after
another costs no new connections.

What a room gets: its history on join (`getMessageHistory`, answered by ack), then each message
as the service pushes it, and the viewer count. Every message passes through the room's store
(`ChatRoom`), which keeps each id once and drops what has expired, so the history read again
after a reconnect (every room is re-joined and re-read, paging back until it meets what is
already known) neither loses nor repeats anything.

A connection that fails or drops is retried with exponential backoff and full jitter, never
sooner than `min_gap` after the previous attempt; a connection must stay up `stable_after`
seconds before the backoff starts over, so a server that accepts and then drops us at once sees
the same slow pace as one that refuses us. Health is published as `FeedHealthChanged` under the
feed name "chat", in the vocabulary of every other feed: idle (no coin open yet), starting,
live, slow (a history read went unanswered), failing (with the reason and the next retry).

Events, on the engine's bus: `NewChatMessage` (each message once; `historical` for the history
read on join), `ChatMessagesChanged` (a room as it stands, oldest first: what a chat pane draws),
`ViewerCountChanged`. `messages(mint)` and `viewers(mint)` read the same state directly.

Posting is UNVERIFIED on the real service: `sendMessage` and whether the connect auth's session
token lets a socket post are inferred from one client (LOW). `send` reconnects once with the
session token in the connect auth when the socket was opened without it and never retries a
post; it raises the API's typed errors (the social layer's drafts handle them like a REST
post's), while `try_send` returns a `ChatSendOutcome` instead.

The wire format (event names, payloads, readers) is `pumptui.api.routes`'; this module only
keeps the connection and the rooms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pumptui.api import routes
from pumptui.api.client import token_allowed
from pumptui.api.errors import (
    AuthRequired,
    ChatRefused,
    ConnectionFailed,
    RateLimited,
    RequestTimeout,
)
from pumptui.api.models import ChatMessage, ModelError
from pumptui.live.chatroom import ChatRoom
from pumptui.live.events import (
    ChatMessagesChanged,
    Event,
    FeedHealthChanged,
    NewChatMessage,
    ViewerCountChanged,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.lazy_import import import_off_loop
from pumptui.live.schedule import Backoff
from pumptui.secret import Secret

# python-socketio's own messages: to logging when the app configures it, never to stderr (a TUI
# owns the terminal; without a handler, Python would print warnings there).
socket_log = logging.getLogger(f"{__name__}.socket")
socket_log.addHandler(logging.NullHandler())

CHAT_FEED = "chat"
# Seconds to open the socket (TCP, TLS, Engine.IO, the namespace) before giving up on an attempt.
CONNECT_TIMEOUT = 20.0
# Seconds to wait for a history or send ack.
REQUEST_TIMEOUT = 15.0
# Never two connection attempts closer than this, whatever the reason (a storm is punished).
MIN_GAP = 2.0
# A connection that lasted this long resets the backoff; a shorter one counts as a failure.
STABLE_AFTER = 30.0
# Pages of history read back after a reconnect, at most, to close the gap.
GAP_PAGES = 4
# Seconds between sweeps for expired messages.
PRUNE_EVERY = 5.0
# How often a `send` waiting for the socket looks again.
_SEND_POLL = 0.05


class SendStatus(StrEnum):
    SENT = "sent"
    REFUSED = "refused"  # the server said no; `reason` says why
    NOT_CONNECTED = "not_connected"  # no socket to send on within the timeout
    NO_ANSWER = "no_answer"  # sent, but the server never acknowledged it


@dataclass(frozen=True, slots=True)
class ChatSendOutcome:
    """What became of a `send`. `message` is the server's copy when it sent one back;
    `retry_after` (seconds) comes with a refusal for sending too fast, when the server says."""

    status: SendStatus
    reason: str | None = None
    message: ChatMessage | None = None
    retry_after: float | None = None

    @property
    def sent(self) -> bool:
        return self.status is SendStatus.SENT


class ChatConnection:
    """One socket, any number of rooms. Use from one event loop: `start`, `join`/`leave`,
    `send`, `stop`."""

    def __init__(
        self,
        chat_url: str,
        *,
        clock: Callable[[], float] = time.time,
        backoff: Backoff | None = None,
        history_limit: int = routes.CHAT_HISTORY_LIMIT,
        connect_timeout: float = CONNECT_TIMEOUT,
        request_timeout: float = REQUEST_TIMEOUT,
        min_gap: float = MIN_GAP,
        stable_after: float = STABLE_AFTER,
        prune_every: float = PRUNE_EVERY,
    ) -> None:
        self.chat_url = chat_url
        self._clock = clock
        self._backoff = backoff or Backoff(base=2.0, cap=120.0, floor=1.0)
        self.history_limit = max(1, history_limit)
        self.connect_timeout = connect_timeout
        self.request_timeout = request_timeout
        self.min_gap = min_gap
        self.stable_after = stable_after
        self.prune_every = prune_every
        # The process's one Socket.IO client, reused for every (re)connection; made at the first
        # (`_sio`), so python-socketio and aiohttp (~0.2 s to import) stay off the app's start.
        self._socket: Any = None
        self._rooms: dict[str, ChatRoom] = {}
        self._joined: set[str] = set()  # rooms joined on the socket open now
        self._loaded: set[str] = set()  # rooms whose first history was read
        self._last_joined: str | None = None
        self._token: Secret | None = None  # the session to connect with
        self._auth_token: Secret | None = None  # the session the open socket connected with
        self._senders = 0
        self._wake = asyncio.Event()
        self._down = asyncio.Event()
        self._ready = asyncio.Event()
        self._reauth = False
        self._refusal: str | None = None
        self._last_attempt: float | None = None
        self._emit: Callable[[Event], None] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._health = FeedHealth(CHAT_FEED, FeedState.IDLE, time.time(), reason="no coin open")
        self.attempts = 0  # connection attempts, failed or not
        self.connections = 0  # connections that opened
        self.skipped = 0  # pushed messages that could not be read
        self.last_error: str | None = None

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, emit: Callable[[Event], None]) -> None:
        """Run in the current loop, publishing events through `emit`. Nothing is sent until a
        room is joined (or a message sent)."""
        if self._tasks:
            return
        self._emit = emit
        self._tasks = [
            asyncio.create_task(self._run(), name="chat"),
            asyncio.create_task(self._prune_loop(), name="chat-prune"),
        ]
        self._publish_health()

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=6.0)
        await self._close()
        self._ready.clear()

    @property
    def connected(self) -> bool:
        if self._socket is None:
            return False
        connected: bool = self._socket.connected  # python-socketio has no types
        return connected

    @property
    def _sio(self) -> Any:
        """The Socket.IO client, made on first use. Its own reconnection is off: the loop below
        paces attempts. Its logs go to logging, never to stderr (a TUI owns the terminal)."""
        if self._socket is None:
            import socketio

            sio = socketio.AsyncClient(
                reconnection=False,
                handle_sigint=False,
                logger=socket_log,
                engineio_logger=socket_log,
            )
            for event, handler in (
                ("connect_error", self._on_connect_error),
                ("disconnect", self._on_disconnect),
                ("error", self._on_error),
                (routes.CHAT_NEW_MESSAGE, self._on_new_message),
                (routes.CHAT_VIEWER_COUNT, self._on_viewer_count),
                # Who came and went: nothing the app shows beyond the viewer count.
                (routes.CHAT_USER_JOINED, self._on_presence),
                (routes.CHAT_USER_LEFT, self._on_presence),
            ):
                sio.on(event, handler)
            self._socket = sio
        return self._socket

    @property
    def health(self) -> FeedHealth:
        return self._health

    # -- rooms ------------------------------------------------------------------------------

    @property
    def rooms(self) -> tuple[str, ...]:
        return tuple(self._rooms)

    def join(self, mint: str) -> None:
        """Follow a coin's chat: its history, then its messages as they come."""
        if mint in self._rooms:
            return
        self._rooms[mint] = ChatRoom(mint, clock=self._clock)
        self._wake.set()

    def leave(self, mint: str) -> None:
        """Stop following a coin's chat; its messages are forgotten."""
        if self._rooms.pop(mint, None) is None:
            return
        self._loaded.discard(mint)
        self._wake.set()

    def messages(self, mint: str) -> tuple[ChatMessage, ...]:
        """A followed coin's unexpired messages, oldest first (empty when not followed)."""
        room = self._rooms.get(mint)
        return room.messages if room is not None else ()

    def viewers(self, mint: str) -> int | None:
        room = self._rooms.get(mint)
        return room.viewers if room is not None else None

    def prune(self) -> int:
        """Drop expired messages from every room now (also done every `prune_every` seconds);
        returns how many went."""
        removed = 0
        for room in list(self._rooms.values()):
            gone = room.prune()
            if gone:
                removed += gone
                self._publish(ChatMessagesChanged(room.mint, room.messages))
        return removed

    # -- posting ----------------------------------------------------------------------------

    async def send(
        self, mint: str, text: str, token: Secret | str | None, *, within: float | None = None
    ) -> ChatMessage | None:
        """Post `text` in a coin's chat as the session `token`: the server's copy of the
        message when it sent one back. Raises the API's typed errors, as a REST post does:
        `AuthRequired` without a session, `RateLimited` (with `retry_after`) when sending too
        fast, `ChatRefused` with the server's reason, `ConnectionFailed` (never sent) without a
        socket, `RequestTimeout` when the server never acknowledged it."""
        if token is None:
            raise AuthRequired("log in to chat")
        outcome = await self.try_send(mint, text, token, within=within)
        match outcome.status:
            case SendStatus.SENT:
                return outcome.message
            case SendStatus.NOT_CONNECTED:
                raise ConnectionFailed(f"chat not connected: {outcome.reason}", never_sent=True)
            case SendStatus.NO_ANSWER:
                raise RequestTimeout("the chat server did not acknowledge the message")
        reason = outcome.reason or "refused"
        if outcome.retry_after is not None:
            raise RateLimited(reason, retry_after=outcome.retry_after)
        raise ChatRefused(reason)

    async def try_send(
        self, mint: str, text: str, token: Secret | str | None, *, within: float | None = None
    ) -> ChatSendOutcome:
        """Post `text` in a coin's chat as the session `token` (None: anonymously, which the
        service is expected to refuse), and say what became of it; never raises. UNVERIFIED on
        the real service. Joins the room if needed; reconnects once with the token in the
        connect auth if the socket was opened without it; never retries the post itself.
        `within` bounds the wait for a socket and for the server's answer (default
        `request_timeout`)."""
        if not text.strip():
            return ChatSendOutcome(SendStatus.REFUSED, "the message is empty")
        if token is not None and not token_allowed(self.chat_url):
            host = urlsplit(self.chat_url).hostname
            return ChatSendOutcome(
                SendStatus.REFUSED, f"refusing to send the token over plain http to {host}"
            )
        if not self._tasks:
            return ChatSendOutcome(SendStatus.NOT_CONNECTED, "the chat is not running")
        session = Secret(token) if isinstance(token, str) else token
        wait = self.request_timeout if within is None else within
        self.join(mint)
        if session != self._token:
            self._token = session
            self._wake.set()
        self._senders += 1
        self._wake.set()
        try:
            deadline = time.monotonic() + wait
            while not (self._ready.is_set() and self._auth_token == self._token and self.connected):
                if time.monotonic() >= deadline:
                    why = self._health.reason or "connecting"
                    return ChatSendOutcome(SendStatus.NOT_CONNECTED, why)
                await asyncio.sleep(_SEND_POLL)
        finally:
            self._senders -= 1
        import socketio  # imported by the connection just made

        try:
            ack = await self._sio.call(
                routes.CHAT_SEND,
                routes.chat_send(mint, text.strip()),
                timeout=max(1.0, deadline - time.monotonic()),
            )
        except socketio.exceptions.TimeoutError:
            return ChatSendOutcome(SendStatus.NO_ANSWER, "the server did not acknowledge it")
        except socketio.exceptions.SocketIOError as exc:
            return ChatSendOutcome(SendStatus.NOT_CONNECTED, type(exc).__name__)
        answer = routes.read_chat_send_ack(ack, room=mint)
        if not answer.accepted:
            return ChatSendOutcome(SendStatus.REFUSED, answer.reason, None, answer.retry_after)
        if answer.message is not None:
            self._take(mint, [answer.message], historical=False)
        return ChatSendOutcome(SendStatus.SENT, None, answer.message)

    def set_token(self, token: Secret | None) -> None:
        """The session to connect with from now on (None: anonymous, e.g. after logout); an
        open socket reconnects with it."""
        token = self._carriable(token)
        if token != self._token:
            self._token = token
            self._wake.set()

    def _carriable(self, token: Secret | None) -> Secret | None:
        """The token, or None where it may not travel (plain http to another machine: a LAN
        address is not loopback), so such a socket connects anonymously and only reads."""
        return token if token is None or token_allowed(self.chat_url) else None

    # -- the connection ---------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            while not (self._rooms or self._senders):
                self._wake.clear()
                await self._wake.wait()
            await self._keep_gap()
            self.attempts += 1
            if self.connections == 0:
                self._set_health(FeedState.STARTING, "connecting")
            try:
                await asyncio.wait_for(self._connect(), self.connect_timeout + 1.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                await self._close()
                reason = f"refused: {self._refusal}" if self._refusal else _describe(exc)
                await self._back_off(reason)
                continue
            self.connections += 1
            opened = time.monotonic()
            self._set_health(FeedState.LIVE)  # connected; the rooms are (re)joined next
            await self._session()
            self._ready.clear()
            self._joined.clear()
            await self._close()
            if time.monotonic() - opened >= self.stable_after:
                self._backoff.reset()
            if self._reauth:  # a deliberate reconnect with another session: no backoff
                self._reauth = False
                self._set_health(FeedState.STARTING, "reconnecting with the session")
                continue
            await self._back_off(
                (self._health.reason or "connection lost")
                if self._health.state is FeedState.FAILING
                else "connection lost"
            )

    async def _keep_gap(self) -> None:
        if self._last_attempt is not None:
            wait = self._last_attempt + self.min_gap - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        self._last_attempt = time.monotonic()

    async def _back_off(self, reason: str) -> None:
        delay = self._backoff.next()
        self._set_health(FeedState.FAILING, reason, retry_at=time.time() + delay)
        await asyncio.sleep(delay)

    async def _connect(self) -> None:
        self._down.clear()
        self._refusal = None
        self._auth_token = self._carriable(self._token)
        await import_off_loop("socketio")  # the first connection imports it (and aiohttp)
        await self._sio.connect(
            routes.chat_endpoint(self.chat_url),
            headers=routes.chat_headers(),
            auth=self._auth,
            transports=["websocket"],
            socketio_path=routes.CHAT_SOCKETIO_PATH,
            wait_timeout=self.connect_timeout,
        )

    def _auth(self) -> dict[str, Any]:
        """The connect auth, built at each connection (the token leaves the `Secret` only
        here, into the handshake)."""
        token = self._auth_token
        return routes.chat_auth(
            token.reveal() if token is not None else None, now_ms=int(time.time() * 1000)
        )

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            if self._sio.connected:
                await asyncio.wait_for(self._sio.disconnect(), 5.0)
            else:
                await asyncio.wait_for(self._sio.eio.disconnect(abort=True), 5.0)

    async def _session(self) -> None:
        """While the socket is open: keep the joined rooms equal to the followed ones, and
        reconnect when the session to use changed."""
        import socketio  # imported by the connection just made

        while not self._down.is_set():
            self._wake.clear()
            if self._token != self._auth_token:
                self._reauth = True
                return
            try:
                await self._sync_rooms()
            except socketio.exceptions.SocketIOError:
                return  # the socket went away mid-way
            if self._down.is_set():
                return
            self._ready.set()
            if self._health.state is not FeedState.SLOW:
                self._set_health(FeedState.LIVE)
            woken = asyncio.ensure_future(self._wake.wait())
            down = asyncio.ensure_future(self._down.wait())
            try:
                await asyncio.wait({woken, down}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                woken.cancel()
                down.cancel()

    async def _sync_rooms(self) -> None:
        for mint in sorted(self._joined - set(self._rooms)):
            await self._sio.emit(routes.CHAT_LEAVE, routes.chat_leave(mint))
            self._joined.discard(mint)
        for mint in [m for m in self._rooms if m not in self._joined]:
            await self._sio.emit(routes.CHAT_JOIN, routes.chat_join(mint))
            self._joined.add(mint)
            self._last_joined = mint
            await self._load_history(mint)

    async def _load_history(self, mint: str) -> None:
        """The room's history: one page on first join; after a reconnect, pages back until
        they meet a message already known (at most `GAP_PAGES`)."""
        import socketio  # imported by the connection just made

        historical = mint not in self._loaded
        gathered: list[ChatMessage] = []
        before: str | None = None
        for _ in range(1 if historical else GAP_PAGES):
            try:
                ack = await self._sio.call(
                    routes.CHAT_HISTORY,
                    routes.chat_history(mint, limit=self.history_limit, before=before),
                    timeout=self.request_timeout,
                )
            except socketio.exceptions.TimeoutError:
                self._set_health(FeedState.SLOW, "history unanswered")
                return
            room = self._rooms.get(mint)
            if room is None:
                return  # left meanwhile
            page = routes.read_chat_history(ack, room=mint)
            gathered.extend(page)
            if not page or len(page) < self.history_limit or any(m.id in room for m in page):
                break
            before = min(page, key=lambda m: m.at).id  # the oldest (the first, on a tie)
        if self._health.state is FeedState.SLOW:
            self._set_health(FeedState.LIVE)
        self._loaded.add(mint)
        self._take(mint, gathered, historical=historical)

    # -- what the server pushes -------------------------------------------------------------

    def _on_connect_error(self, data: Any = None) -> None:
        # The server's refusal is an object ({"message": …}); a bare string is the library
        # saying the transport failed (no server answer to quote).
        if isinstance(data, dict):
            self._refusal = routes.read_chat_error(data)

    def _on_disconnect(self, reason: Any = None) -> None:
        self._ready.clear()
        if not self._down.is_set():
            why = f"connection lost ({reason})" if isinstance(reason, str) else "connection lost"
            if not self._reauth and self._token == self._auth_token:
                self._set_health(FeedState.FAILING, why)
        self._down.set()

    def _on_error(self, data: Any = None) -> None:
        self.last_error = routes.read_chat_error(data)

    def _on_presence(self, data: Any = None) -> None:
        return None

    def _room_of(self, payload: Any) -> str | None:
        """The followed room a pushed event is about: its `roomId`, or (unverified: the
        service may send bare values) the only room followed, or the one joined last."""
        mint = routes.read_chat_room(payload)
        if mint is not None:
            return mint if mint in self._rooms else None
        if len(self._rooms) == 1:
            return next(iter(self._rooms))
        return self._last_joined if self._last_joined in self._rooms else None

    def _on_new_message(self, data: Any = None) -> None:
        mint = self._room_of(data)
        if mint is None:
            return
        try:
            message = routes.read_chat_message(data, room=mint)
        except ModelError:
            self.skipped += 1
            return
        self._take(message.mint, [message], historical=False)

    def _on_viewer_count(self, data: Any = None) -> None:
        mint = self._room_of(data)
        count = routes.read_viewer_count(data)
        room = self._rooms.get(mint) if mint is not None else None
        if room is None or count is None or room.viewers == count:
            return
        room.viewers = count
        self._publish(ViewerCountChanged(room.mint, count))

    # -- publishing -------------------------------------------------------------------------

    def _take(self, mint: str, messages: list[ChatMessage], *, historical: bool) -> None:
        room = self._rooms.get(mint)
        if room is None:
            return
        fresh, changed = room.add(messages)
        if messages:
            self._mark_good()
        for message in fresh:
            self._publish(NewChatMessage(message, historical))
        if changed or historical:
            self._publish(ChatMessagesChanged(mint, room.messages))

    async def _prune_loop(self) -> None:
        while True:
            await asyncio.sleep(self.prune_every)
            self.prune()

    def _publish(self, event: Event) -> None:
        # Nothing after `stop` (closing the socket is not news for a status bar).
        if self._emit is not None and self._tasks:
            with contextlib.suppress(Exception):
                self._emit(event)

    def _mark_good(self) -> None:
        health = self._health
        now = time.time()
        if health.last_good_at is None or now - health.last_good_at >= 1.0:
            self._health = FeedHealth(
                health.feed, health.state, health.since, now, health.reason, health.retry_at
            )
            self._publish_health()

    def _set_health(
        self, state: FeedState, reason: str | None = None, retry_at: float | None = None
    ) -> None:
        health = self._health
        if (state, reason, retry_at) == (health.state, health.reason, health.retry_at):
            return
        since = health.since if state is health.state else time.time()
        last_good = health.last_good_at
        if state is FeedState.LIVE and last_good is None:
            last_good = time.time()
        self._health = FeedHealth(CHAT_FEED, state, since, last_good, reason, retry_at)
        self._publish_health()

    def _publish_health(self) -> None:
        self._publish(FeedHealthChanged(self._health))


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    text = str(error).strip()
    socketio = sys.modules.get("socketio")  # None: the failure came before it was imported
    if socketio is not None and isinstance(error, socketio.exceptions.ConnectionError) and text:
        return f"could not connect ({text[:80]})"
    return f"could not connect ({type(error).__name__})"


__all__ = ["CHAT_FEED", "ChatConnection", "ChatSendOutcome", "SendStatus"]
