"""The simulator's live chat (pumpfun-api-2026.md §3.6), through a plain python-socketio client:
rooms per mint, history by ack, messages pushed to the room, viewer counts, expiry, posting with
a session, the Origin rule, and the admin hooks tests use to drop and refuse connections."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
import socketio

from pumptui.base58 import is_pubkey
from pumptui.sim import ServerConfig, SimServer
from pumptui.sim.chat import ChatConfig
from tests.sim.support import Spec, check_fields

SITE = "https://pump.fun"
LIFETIME = 600.0
# No chatter of the market's own: every message in these rooms is the test's.
QUIET = ServerConfig(rate_limit=100_000, chat=ChatConfig(lifetime=LIFETIME, chatter=0.0))

MESSAGE_FIELDS: Spec = {
    "id": (str,),
    "roomId": (str,),
    "message": (str,),
    "userAddress": (str,),
    "username": (str, None),
    "profile_image": (str, None),
    "timestamp": (str,),
    "messageType": (str,),
    "isModerator": (bool,),
    "isCreator": (bool,),
    "expiresAt": (int,),
    "replyToId": (str, None),
    "replyPreview": (str, None),
    "reactionRecentAddresses": (dict,),
    "reactionRecentAvatarUrls": (dict,),
}


def check_message(message: dict[str, Any], mint: str) -> None:
    check_fields(message, MESSAGE_FIELDS, "chat message")
    assert message["roomId"] == mint
    assert is_pubkey(message["userAddress"])
    posted = datetime.fromisoformat(message["timestamp"].replace("Z", "+00:00")).timestamp()
    assert message["expiresAt"] < 10**11, "expiresAt is in seconds"
    assert message["expiresAt"] > posted


@dataclass
class Chatter:
    """A client socket and what the server pushed to it, by event name."""

    sio: socketio.AsyncClient
    events: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))

    async def join(self, mint: str) -> None:
        await self.sio.emit("joinRoom", {"roomId": mint, "username": None})

    async def history(self, mint: str, limit: int = 50, before: str | None = None) -> Any:
        return await self.sio.call(
            "getMessageHistory", {"roomId": mint, "limit": limit, "before": before}, timeout=10
        )


def auth(token: str | None = None) -> dict[str, Any]:
    return {"origin": SITE, "timestamp": int(time.time() * 1000), "token": token}


@asynccontextmanager
async def chatter(
    sim: SimServer, *, origin: str | None = SITE, token: str | None = None
) -> AsyncIterator[Chatter]:
    client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    seen = Chatter(client)
    for name in ("newMessage", "viewerCount", "userJoined", "userLeft", "disconnect"):
        client.on(
            name, lambda *args, name=name: seen.events[name].append(args[0] if args else None)
        )
    try:
        await client.connect(
            sim.base_url,
            headers={"Origin": origin} if origin else {},
            auth=auth(token),
            transports=["websocket"],
            socketio_path="socket.io",
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        await client.eio.disconnect(abort=True)  # closes the client's HTTP session
        raise
    try:
        yield seen
    finally:
        await client.disconnect()


async def eventually(predicate: Callable[[], Any], what: str, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
def quiet(sim_factory: Callable[..., SimServer]) -> SimServer:
    return sim_factory(server=QUIET)


async def test_a_room_s_history_comes_as_the_ack_oldest_first(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    posted = [quiet.post_chat(mint, f"message {i}") for i in range(3)]
    async with chatter(quiet) as client:
        await client.join(mint)
        history = await client.history(mint)
    assert [m["message"] for m in history] == ["message 0", "message 1", "message 2"]
    assert [m["id"] for m in history] == [m["id"] for m in posted]
    for message in history:
        check_message(message, mint)
        assert message["messageType"] == "REGULAR"


async def test_history_takes_a_limit_and_a_message_to_read_before(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    ids = [quiet.post_chat(mint, f"m{i}")["id"] for i in range(5)]
    async with chatter(quiet) as client:
        newest = await client.history(mint, limit=2)
        older = await client.history(mint, limit=2, before=ids[3])
        empty = await client.history(next(m for m in quiet.mints() if m != mint))
    assert [m["message"] for m in newest] == ["m3", "m4"]
    assert [m["message"] for m in older] == ["m1", "m2"]
    assert empty == []


async def test_history_is_capped_by_the_server(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(
        server=ServerConfig(rate_limit=100_000, chat=ChatConfig(chatter=0.0, history_cap=3))
    )
    mint = sim.hot_mint
    for i in range(5):
        sim.post_chat(mint, f"m{i}")
    async with chatter(sim) as client:
        history = await client.history(mint, limit=50)
    assert [m["message"] for m in history] == ["m2", "m3", "m4"]


async def test_a_new_message_reaches_the_members_of_its_room_only(quiet: SimServer) -> None:
    here = quiet.hot_mint
    elsewhere = next(m for m in quiet.mints() if m != here)
    async with chatter(quiet) as member, chatter(quiet) as stranger:
        await member.join(here)
        await stranger.join(elsewhere)
        await eventually(
            lambda: member.events["viewerCount"] and stranger.events["viewerCount"], "both joined"
        )
        async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
            response = await admin.post(f"/_sim/chat/{here}", json={"text": "gm chat"})
        assert response.status_code == 200
        await eventually(lambda: member.events["newMessage"], "the new message")
        message = member.events["newMessage"][0]
        check_message(message, here)
        assert message["message"] == "gm chat"
        assert message["id"] == response.json()["id"]
        await asyncio.sleep(0.2)
        assert stranger.events["newMessage"] == []


async def test_viewers_are_counted_on_join_and_leave(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    async with chatter(quiet) as first:
        await first.join(mint)
        await eventually(lambda: first.events["viewerCount"], "the first count")
        assert first.events["viewerCount"][-1] == {"roomId": mint, "count": 1}
        async with chatter(quiet) as second:
            await second.join(mint)
            await eventually(lambda: second.events["viewerCount"], "the second count")
            assert second.events["viewerCount"][-1] == {"roomId": mint, "count": 2}
            await eventually(lambda: first.events["userJoined"], "userJoined")
            assert first.events["userJoined"][0]["roomId"] == mint
            await second.sio.emit("leaveRoom", {"roomId": mint})
            await eventually(lambda: first.events["userLeft"], "userLeft")
        assert first.events["viewerCount"][-1] == {"roomId": mint, "count": 1}
        assert quiet.chat_stats()["rooms"] == {mint: 1}


async def test_expired_messages_are_never_returned(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    short = quiet.post_chat(mint, "short lived", expires_in=30)
    long = quiet.post_chat(mint, "long lived")
    posted = datetime.fromisoformat(long["timestamp"].replace("Z", "+00:00")).timestamp()
    assert long["expiresAt"] == int(posted + LIFETIME)
    assert short["expiresAt"] == int(posted + 30)
    quiet.advance(31)
    async with chatter(quiet) as client:
        assert [m["message"] for m in await client.history(mint)] == ["long lived"]
        quiet.advance(LIFETIME)
        assert await client.history(mint) == []


async def test_badges_and_replies_in_posted_messages(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    creator = quiet.market.coins[mint].creator
    first = quiet.post_chat(mint, "dev is here", user=creator)
    assert first["isCreator"] is True
    assert first["isModerator"] is False
    moderated = quiet.post_chat(mint, "behave", is_moderator=True)
    assert moderated["isModerator"] is True
    reply = quiet.post_chat(mint, "welcome dev", reply_to=first["id"])
    assert reply["replyToId"] == first["id"]
    assert reply["replyPreview"] == "dev is here"


async def test_a_foreign_origin_is_refused_and_none_is_accepted(quiet: SimServer) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with chatter(quiet, origin="https://evil.example"):
            pass
    async with chatter(quiet, origin=None) as client:
        assert client.sio.connected


async def test_posting_needs_a_session_and_a_little_patience(quiet: SimServer) -> None:
    mint = quiet.hot_mint
    async with chatter(quiet) as anonymous:
        ack = await anonymous.sio.call(
            "sendMessage", {"roomId": mint, "message": "hi", "username": None}, timeout=10
        )
        assert isinstance(ack.get("error"), str)
    forged = quiet.token_for() + "x"
    async with chatter(quiet, token=forged) as pretender:
        ack = await pretender.sio.call(
            "sendMessage", {"roomId": mint, "message": "hi", "username": None}, timeout=10
        )
        assert isinstance(ack.get("error"), str)
    async with chatter(quiet, token=quiet.token_for()) as user:
        await user.join(mint)
        ack = await user.sio.call(
            "sendMessage", {"roomId": mint, "message": "first!", "username": None}, timeout=10
        )
        assert ack["success"] is True
        check_message(ack["message"], mint)
        assert ack["message"]["userAddress"] == quiet.user_address
        await eventually(lambda: user.events["newMessage"], "the broadcast of my message")
        assert user.events["newMessage"][0]["id"] == ack["message"]["id"]
        too_fast = await user.sio.call(
            "sendMessage", {"roomId": mint, "message": "second", "username": None}, timeout=10
        )
        assert "too fast" in too_fast["error"]
        assert 0 < too_fast["retryAfter"] <= 2.0
        quiet.advance(2.0)
        later = await user.sio.call(
            "sendMessage", {"roomId": mint, "message": "second", "username": None}, timeout=10
        )
        assert later["success"] is True
        history = await user.history(mint)
    assert [m["message"] for m in history] == ["first!", "second"]


async def test_drop_disconnects_every_chat_socket(quiet: SimServer) -> None:
    async with chatter(quiet) as one, chatter(quiet) as two:
        assert quiet.chat_stats()["connections"] == 2
        async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
            response = await admin.post("/_sim/chat/drop")
        assert response.json() == {"dropped": 2}
        await eventually(
            lambda: not one.sio.connected and not two.sio.connected, "both sockets closed"
        )
    assert quiet.chat_stats()["connections"] == 0


async def test_refused_connections_are_counted_then_accepted_again(quiet: SimServer) -> None:
    async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
        response = await admin.post("/_sim/chat/refuse", json={"count": 2})
    assert response.json() == {"refusing": 2}
    for _ in range(2):
        with pytest.raises(socketio.exceptions.ConnectionError):
            async with chatter(quiet):
                pass
    async with chatter(quiet) as client:
        assert client.sio.connected
    stats = quiet.chat_stats()
    assert (stats["attempts"], stats["refused"]) == (3, 2)


async def test_admin_posting_to_a_coin_that_does_not_exist_is_a_404(quiet: SimServer) -> None:
    async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
        response = await admin.post("/_sim/chat/" + "1" * 32 + "pump", json={"text": "x"})
    assert response.status_code == 404


def chat_of(sim: SimServer, mint: str) -> list[dict[str, Any]]:
    from pumptui.sim.chat import message_shape

    return sim.call(
        lambda: [
            message_shape(m)
            for m in sim.state.chat.history(  # type: ignore
                mint, 100, None
            )
        ]
    )


def test_busy_coins_talk_by_themselves_and_a_seed_writes_the_same_chat(
    sim_factory: Callable[..., SimServer],
) -> None:
    server = ServerConfig(rate_limit=100_000, chat=ChatConfig(chatter=0.2))
    runs = []
    for _ in range(2):
        sim = sim_factory(server=server, hostile_share=0.3)
        mint = sim.hot_mint
        sim.inject_trades(mint, 200)
        runs.append(chat_of(sim, mint))
    first, second = runs
    assert len(first) >= 10, "a busy coin's room fills"
    assert [(m["id"], m["message"]) for m in first] == [(m["id"], m["message"]) for m in second]
    assert any("\x1b" in m["message"] or "[" in m["message"] for m in first), "hostile text"
    assert any(m["replyToId"] for m in first), "some replies"


def test_a_coin_room_is_not_empty_when_first_opened(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, chat=ChatConfig(chatter=0.0001)))
    mint = sim.hot_mint
    sim.inject_trades(mint, 200)

    async def first_look() -> list[Any]:
        async with chatter(sim) as client:
            return await client.history(mint)

    history = asyncio.run(first_look())
    assert history, "the room is backfilled at its recent trade times"
    times = [m["timestamp"] for m in history]
    assert times == sorted(times)
