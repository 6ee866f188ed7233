"""The coin chat of `livechat.pump.fun` (pumpfun-api-2026.md §3.6): a Socket.IO v4 server on the
simulator's own port, at `/socket.io/`, built on python-socketio's server (no hand-made frames).

What it speaks, as the reference and the public clients of the real service describe it:
- connect with `Origin: https://pump.fun` (or none: any other is refused, as the site refuses a
  foreign Origin) and the auth `{"origin", "timestamp", "token"}`; a null token is anonymous;
- `joinRoom {roomId, username}` / `leaveRoom {roomId}`: a room per mint; every member then gets
  `viewerCount {roomId, count}`, and the others `userJoined` / `userLeft`;
- `getMessageHistory {roomId, limit, before}`: the ack is a list of message objects, oldest
  first, at most `ChatConfig.history_cap`, older than the message `before` names (null: newest);
- `newMessage`: one message object, to the room;
- `sendMessage {roomId, message, username}` (LOW confidence on the real service): accepted only
  from a connection whose auth carried a valid session token of this simulator's `Authority`,
  at most one message per `send_interval` seconds per wallet; the ack says `{"success": true,
  "message": …}` or `{"error": "…"}` (plus `retryAfter` seconds when sending too fast).

Messages expire (`expiresAt`, epoch seconds, `ChatConfig.lifetime` after posting) and an expired
message is never sent again. Times are market times, so a manual clock makes tests exact.

The market makes the chat alive: a trade on a coin now and then brings a message in its room
(busy coins talk more), from its traders, sometimes from its creator (`isCreator`) or a
moderator (`isModerator`), some as replies (`replyToId`, `replyPreview`), some with reactions,
some hostile (the market's `hostile_share`). These draws use their own RNG seeded from the
market's seed, so a seeded simulator writes the same chat and the market itself is unchanged.
A coin's room also gets a short backfill of messages at its recent trade times the first time
someone joins it, so the demo's chat is not empty on open.

For tests and the demo: `drop()` disconnects every chat socket (a service restart), and
`refuse(n)` refuses the next `n` connection attempts (the real service answers a client that
connects too often with errors only). Connection attempts and sockets are counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import socketio
from aiohttp import web

from pumptui.base58 import is_pubkey
from pumptui.sim import text as simtext
from pumptui.sim.auth import Authority
from pumptui.sim.market import Market, SimCoin, SimTrade

SOCKETIO_PATH = "socket.io"
SITE_ORIGIN = "https://pump.fun"

JOIN, LEAVE, HISTORY, SEND = "joinRoom", "leaveRoom", "getMessageHistory", "sendMessage"
NEW_MESSAGE, VIEWERS, USER_JOINED, USER_LEFT = "newMessage", "viewerCount", "userJoined", "userLeft"

REFUSED_REASON = "Too many connections"
_MODERATOR_LINES = (
    "keep it civil please",
    "no shilling other coins here",
    "report scam links to the mods",
    "mods are watching, behave",
    "warning: do not share your seed phrase",
)
_CREATOR_LINES = (
    "dev here, not selling",
    "community, we are just getting started",
    "twitter is live",
    "thanks for the support {symbol} fam",
    "locked in for graduation",
)
_REACTIONS = ("fire", "rocket", "100", "gem", "skull", "joy")
# Wallets among the market's first users that moderate every room (besides admin wallets).
MODERATORS = 3


@dataclass(frozen=True)
class ChatConfig:
    # Seconds a message lives (`expiresAt` = posted + lifetime). The real figure is unknown.
    lifetime: float = 3600.0
    # Most messages one history ack holds (the real service's largest `limit` is unknown).
    history_cap: int = 100
    # Messages a room remembers (the oldest go first).
    room_cap: int = 500
    # Seconds between two messages of one wallet (market time).
    send_interval: float = 2.0
    text_limit: int = 500
    # Chance that a trade on a coin brings a chat message in its room.
    chatter: float = 0.03
    # Messages written into a coin's room, at its recent trade times, when first joined.
    backfill: int = 12


@dataclass(slots=True)
class SimChatMessage:
    id: str
    mint: str
    text: str
    user: str
    username: str | None
    profile_image: str | None
    time: float
    expires: float
    kind: str = "REGULAR"
    moderator: bool = False
    creator: bool = False
    reply_to: str | None = None
    reply_preview: str | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    avatars: dict[str, list[str]] = field(default_factory=dict)


def message_shape(message: SimChatMessage) -> dict[str, Any]:
    """One message object as the service sends it (§3.6)."""
    return {
        "id": message.id,
        "roomId": message.mint,
        "message": message.text,
        "userAddress": message.user,
        "username": message.username,
        "profile_image": message.profile_image,
        "timestamp": datetime.fromtimestamp(message.time, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "messageType": message.kind,
        "isModerator": message.moderator,
        "isCreator": message.creator,
        "expiresAt": int(message.expires),
        "replyToId": message.reply_to,
        "replyPreview": message.reply_preview,
        "reactionRecentAddresses": message.reactions,
        "reactionRecentAvatarUrls": message.avatars,
    }


class SimChat:
    """The chat server: rooms, their histories, the connected sockets. Runs on the simulator's
    event loop and reads the market there (not thread-safe, like the market)."""

    def __init__(
        self,
        market: Market,
        authority: Authority,
        config: ChatConfig | None = None,
        advance: Callable[[], None] | None = None,
    ) -> None:
        self.market = market
        self.authority = authority
        self.config = config or ChatConfig()
        self._advance = advance or (lambda: None)
        self._rng = random.Random(market.config.seed ^ 0xC4A7)
        self.rooms: dict[str, list[SimChatMessage]] = {}
        self._backfilled: set[str] = set()
        # sid -> the wallet its auth token proved (None: anonymous), and the rooms it joined.
        self.sessions: dict[str, str | None] = {}
        self.members: dict[str, set[str]] = {}
        self._last_sent: dict[str, float] = {}
        self.attempts = 0
        self.refused = 0
        self.peak = 0
        self._refuse_left = 0
        self._refuse_reason = REFUSED_REASON
        self._moderators = list(market.users)[:MODERATORS]
        self._posted = 0
        self._outbox: asyncio.Queue[tuple[str, dict[str, Any], str]] = asyncio.Queue(10_000)
        self._pump: asyncio.Task[None] | None = None
        self.sio = socketio.AsyncServer(
            async_mode="aiohttp",
            cors_allowed_origins=[SITE_ORIGIN],
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on(JOIN, self._on_join)
        self.sio.on(LEAVE, self._on_leave)
        self.sio.on(HISTORY, self._on_history)
        self.sio.on(SEND, self._on_send)

    def attach(self, app: web.Application) -> None:
        """Serve `/socket.io/` on `app`, and listen to the market for its chatter."""
        self.sio.attach(app, socketio_path=SOCKETIO_PATH)
        app[CHAT] = self
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._shutdown)
        self.market.listeners.append(self.on_market_event)

    async def _start(self, app: web.Application) -> None:
        self._pump = asyncio.create_task(self._send_outbox())

    async def _shutdown(self, app: web.Application) -> None:
        with contextlib.suppress(Exception):
            await self.drop()
        if self._pump is not None:
            self._pump.cancel()
        # Not `sio.shutdown()`: its service task stops by raising KeyboardInterrupt, which a
        # garbage-collector callback can catch mid-flight; the loop's end cancels it cleanly.

    async def _send_outbox(self) -> None:
        """Broadcasts decided by the market (inside a synchronous listener) go out in order."""
        while True:
            event, data, room = await self._outbox.get()
            with contextlib.suppress(Exception):
                await self.sio.emit(event, data, room=room)

    # -- for tests and the demo -------------------------------------------------------------

    def refuse(self, count: int, reason: str = REFUSED_REASON) -> None:
        """Refuse the next `count` connection attempts with `reason`."""
        self._refuse_left = max(0, count)
        self._refuse_reason = reason

    async def drop(self) -> int:
        """Disconnect every chat socket from the server side; returns how many there were."""
        sids = list(self.sessions)
        for sid in sids:
            with contextlib.suppress(Exception):
                await self.sio.disconnect(sid)
        return len(sids)

    def stats(self) -> dict[str, Any]:
        return {
            "connections": len(self.sessions),
            "peak": self.peak,
            "attempts": self.attempts,
            "refused": self.refused,
            "refusing": self._refuse_left,
            "rooms": {mint: self.viewers(mint) for mint in sorted(self.joined_rooms())},
        }

    def joined_rooms(self) -> set[str]:
        return set().union(*self.members.values()) if self.members else set()

    def viewers(self, mint: str) -> int:
        return sum(1 for rooms in self.members.values() if mint in rooms)

    # -- posting ----------------------------------------------------------------------------

    def post(
        self,
        coin: SimCoin,
        user: str,
        text: str,
        *,
        at: float | None = None,
        moderator: bool | None = None,
        creator: bool | None = None,
        expires_in: float | None = None,
        kind: str = "REGULAR",
        reply_to: str | None = None,
    ) -> SimChatMessage:
        """Add a message to a coin's room and broadcast it to the room's members."""
        now = self.market.now if at is None else at
        profile = self.market.users.get(user) or self.market.ensure_user(user)
        lifetime = self.config.lifetime if expires_in is None else expires_in
        room = self._room(coin.mint)
        preview = None
        if reply_to is not None:
            target = next((m for m in room if m.id == reply_to), None)
            preview = target.text[:80] if target is not None else None
        message = SimChatMessage(
            id=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            mint=coin.mint,
            text=text,
            user=user,
            username=profile.username,
            profile_image=profile.profile_image,
            time=now,
            expires=now + lifetime,
            kind=kind,
            moderator=self.is_moderator(user) if moderator is None else moderator,
            creator=(user == coin.creator) if creator is None else creator,
            reply_to=reply_to,
            reply_preview=preview,
        )
        room.append(message)
        if at is not None:
            room.sort(key=lambda m: m.time)
        if len(room) > self.config.room_cap:
            del room[: len(room) - self.config.room_cap]
        self._posted += 1
        if self._posted % 500 == 0:
            self._forget_dead_rooms()
        if at is None and self.viewers(coin.mint):
            self._broadcast(NEW_MESSAGE, message_shape(message), coin.mint)
        return message

    def is_moderator(self, address: str) -> bool:
        return address in self.authority.admin_wallets or address in self._moderators

    def _room(self, mint: str) -> list[SimChatMessage]:
        """A room's messages, the expired ones gone."""
        room = self.rooms.setdefault(mint, [])
        now = self.market.now
        if any(m.expires <= now for m in room):
            room[:] = [m for m in room if m.expires > now]
        return room

    def _forget_dead_rooms(self) -> None:
        """Rooms of coins the market forgot, with nobody in them, go too (bounded memory)."""
        joined = self.joined_rooms()
        for mint in [m for m in self.rooms if m not in self.market.coins and m not in joined]:
            del self.rooms[mint]
            self._backfilled.discard(mint)

    def history(self, mint: str, limit: int, before: str | None) -> list[SimChatMessage]:
        """Up to `limit` unexpired messages older than `before` (None: the newest), oldest
        first."""
        room = self._room(mint)
        end = len(room)
        if before is not None:
            end = next((i for i, m in enumerate(room) if m.id == before), 0)
        limit = max(1, min(limit, self.config.history_cap))
        return room[max(0, end - limit) : end]

    def _broadcast(self, event: str, data: dict[str, Any], room: str) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            self._outbox.put_nowait((event, data, room))

    # -- the market's chatter ---------------------------------------------------------------

    def on_market_event(self, kind: str, payload: Any) -> None:
        if kind == "trade" and self.config.chatter > 0:
            trade: SimTrade = payload
            if self._rng.random() < self.config.chatter:
                coin = self.market.coins.get(trade.mint)
                if coin is not None and coin.listed:
                    self._chatter(coin, trade.user)
        elif kind == "migrate":
            coin = payload
            self.post(
                coin,
                coin.creator,
                f"{coin.symbol} graduated to PumpSwap 🎓",
                kind="SYSTEM",
                moderator=False,
                creator=False,
            )

    def _chatter(self, coin: SimCoin, trader: str, at: float | None = None) -> SimChatMessage:
        rng = self._rng
        roll = rng.random()
        moderator = creator = False
        if roll < 0.04:
            author, moderator = rng.choice(self._moderators), True
            text = rng.choice(_MODERATOR_LINES)
        elif roll < 0.10:
            author, creator = coin.creator, True
            text = rng.choice(_CREATOR_LINES).format(symbol=coin.symbol)
        else:
            author = trader if rng.random() < 0.6 else (coin.holders.choice(rng) or trader)
            text = simtext.reply_text(rng, coin.symbol)
        share = self.market.config.hostile_share
        if share > 0 and rng.random() < share:
            text = simtext.hostile(rng)
        room = self._room(coin.mint)
        recent = [m for m in room[-10:] if at is None or m.time <= at]
        reply_to = rng.choice(recent).id if recent and rng.random() < 0.15 else None
        message = self.post(
            coin, author, text, at=at, moderator=moderator, creator=creator, reply_to=reply_to
        )
        if rng.random() < 0.2:
            for emoji in rng.sample(_REACTIONS, rng.randint(1, 2)):
                people = [
                    self.market.users[a]
                    for a in rng.sample(list(self.market.users)[:200], rng.randint(1, 4))
                ]
                message.reactions[emoji] = [p.address for p in people]
                message.avatars[emoji] = [p.profile_image for p in people if p.profile_image]
        return message

    def _backfill(self, mint: str) -> None:
        """A busy coin's room on first join: messages at some of its recent trade times."""
        if mint in self._backfilled:
            return
        self._backfilled.add(mint)
        coin = self.market.coins.get(mint)
        if coin is None or self.config.backfill <= 0 or self.config.chatter <= 0:
            return
        trades = coin.trades[-200:]
        count = min(self.config.backfill, len(trades) // 4)
        earliest = self.market.now - self.config.lifetime
        chosen = sorted(self._rng.sample(range(len(trades)), count)) if count else []
        for index in chosen:
            trade = trades[index]
            if trade.time > earliest:
                self._chatter(coin, trade.user, at=trade.time)

    # -- the socket -------------------------------------------------------------------------

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        self.attempts += 1
        if self._refuse_left > 0:
            self._refuse_left -= 1
            self.refused += 1
            raise socketio.exceptions.ConnectionRefusedError(self._refuse_reason)
        auth = auth if isinstance(auth, dict) else {}
        origin = auth.get("origin")
        if origin is not None and origin != SITE_ORIGIN:
            self.refused += 1
            raise socketio.exceptions.ConnectionRefusedError("Not allowed by CORS")
        token = auth.get("token")
        session = self.authority.session(token) if isinstance(token, str) else None
        self.sessions[sid] = session.address if session else None
        self.members[sid] = set()
        self.peak = max(self.peak, len(self.sessions))

    async def _on_disconnect(self, sid: str, reason: Any = None) -> None:
        rooms = self.members.pop(sid, set())
        address = self.sessions.pop(sid, None)
        for mint in sorted(rooms):
            await self._announce(mint, USER_LEFT, sid, address)

    async def _announce(self, mint: str, event: str, sid: str, address: str | None) -> None:
        """The room's viewer count to every member; who came or went to the others."""
        await self.sio.emit(VIEWERS, {"roomId": mint, "count": self.viewers(mint)}, room=mint)
        profile = self.market.users.get(address) if address else None
        await self.sio.emit(
            event,
            {
                "roomId": mint,
                "userAddress": address,
                "username": profile.username if profile else None,
            },
            room=mint,
            skip_sid=sid,
        )

    @staticmethod
    def _room_id(data: Any) -> str | None:
        room = data.get("roomId") if isinstance(data, dict) else None
        return room if isinstance(room, str) and is_pubkey(room) else None

    async def _on_join(self, sid: str, data: Any) -> dict[str, Any]:
        mint = self._room_id(data)
        if mint is None or sid not in self.members:
            return {"error": "roomId must be a mint"}
        self._advance()
        self._backfill(mint)
        await self.sio.enter_room(sid, mint)
        self.members[sid].add(mint)
        await self._announce(mint, USER_JOINED, sid, self.sessions.get(sid))
        return {"success": True}

    async def _on_leave(self, sid: str, data: Any) -> dict[str, Any]:
        mint = self._room_id(data)
        if mint is None or sid not in self.members:
            return {"error": "roomId must be a mint"}
        await self.sio.leave_room(sid, mint)
        self.members[sid].discard(mint)
        await self._announce(mint, USER_LEFT, sid, self.sessions.get(sid))
        return {"success": True}

    async def _on_history(self, sid: str, data: Any) -> list[dict[str, Any]]:
        mint = self._room_id(data)
        if mint is None:
            return []
        self._advance()
        self._backfill(mint)
        limit = data.get("limit")
        limit = limit if isinstance(limit, int) and not isinstance(limit, bool) else 50
        before = data.get("before")
        before = before if isinstance(before, str) else None
        return [message_shape(m) for m in self.history(mint, limit, before)]

    async def _on_send(self, sid: str, data: Any) -> dict[str, Any]:
        self._advance()
        address = self.sessions.get(sid)
        if address is None:
            return {"error": "Sign in to chat"}
        mint = self._room_id(data)
        coin = self.market.coins.get(mint) if mint else None
        if coin is None or not coin.listed:
            return {"error": "Room not found"}
        text = data.get("message")
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            return {"error": "Message is empty"}
        if len(text) > self.config.text_limit:
            return {"error": f"Message is longer than {self.config.text_limit} characters"}
        now = self.market.now
        last = self._last_sent.get(address)
        if last is not None and now - last < self.config.send_interval:
            return {
                "error": "You're sending messages too fast",
                "retryAfter": round(self.config.send_interval - (now - last), 3),
            }
        self._last_sent[address] = now
        message = self.post(coin, address, text)
        return {"success": True, "message": message_shape(message)}


CHAT = web.AppKey("chat", SimChat)


# -- admin (/_sim/chat…) ------------------------------------------------------------------


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json() if request.can_read_body else {}
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text='{"message":"Body must be a JSON object"}', content_type="application/json"
        )
    return data


async def admin_post(request: web.Request) -> web.Response:
    """`POST /_sim/chat/{mint}` `{text, user?, isCreator?, isModerator?, expires_in?,
    replyToId?, messageType?}`: a message in the coin's room, as that wallet (default: a
    user of the market)."""
    chat = request.app[CHAT]
    mint = request.match_info["mint"]
    coin = chat.market.coins.get(mint)
    if coin is None:
        return web.json_response({"message": f"Coin not found for mint: {mint}"}, status=404)
    body = await _body(request)
    user = body.get("user")
    if not isinstance(user, str) or not is_pubkey(user):
        user = chat._rng.choice(list(chat.market.users)[:500])
    expires = body.get("expires_in")
    reply_to = body.get("replyToId")
    message = chat.post(
        coin,
        user,
        str(body.get("text", "")),
        moderator=None if body.get("isModerator") is None else bool(body["isModerator"]),
        creator=None if body.get("isCreator") is None else bool(body["isCreator"]),
        expires_in=float(expires) if isinstance(expires, int | float) else None,
        kind=str(body.get("messageType") or "REGULAR"),
        reply_to=reply_to if isinstance(reply_to, str) else None,
    )
    return web.json_response(message_shape(message))


async def admin_drop(request: web.Request) -> web.Response:
    """`POST /_sim/chat/drop`: disconnect every chat socket (clients must reconnect)."""
    return web.json_response({"dropped": await request.app[CHAT].drop()})


async def admin_refuse(request: web.Request) -> web.Response:
    """`POST /_sim/chat/refuse` `{count, reason?}`: refuse the next `count` connections."""
    body = await _body(request)
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return web.json_response({"message": "count must be a whole number"}, status=400)
    request.app[CHAT].refuse(count, str(body.get("reason") or REFUSED_REASON))
    return web.json_response({"refusing": count})


async def admin_stats(request: web.Request) -> web.Response:
    """`GET /_sim/chat`: sockets now and at most, connection attempts, refusals, rooms."""
    return web.json_response(request.app[CHAT].stats())


__all__ = [
    "CHAT",
    "ChatConfig",
    "SimChat",
    "SimChatMessage",
    "admin_drop",
    "admin_post",
    "admin_refuse",
    "admin_stats",
    "message_shape",
]
