"""The live chat's wire format (pumpfun-api-2026.md §3.6) as `routes` spells and reads it:
what is sent on connect, join, leave, history and send; how a message, a history ack, a viewer
count and a send ack are read, tolerantly, with hostile text neutralised."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pumptui.api import routes
from pumptui.api.models import ModelError

MINT = "2bZPvkkKLmVxVptivQsDA4qrfE59QERbY8KajqETpump"
WALLET = "FgcwodK7aTtn3DgvqwPuSseKgTPcMpGmK6zdf7Ri9KXm"


def record(**overrides: Any) -> dict[str, Any]:
    """A message object with every field the reference lists."""
    base: dict[str, Any] = {
        "id": "6f1c2d7e-0000-4000-8000-000000000001",
        "roomId": MINT,
        "message": "gm",
        "userAddress": WALLET,
        "username": "degen42",
        "profile_image": None,
        "timestamp": "2026-09-01T12:00:00.000Z",
        "messageType": "REGULAR",
        "isModerator": False,
        "isCreator": True,
        "expiresAt": 1788264000,
        "replyToId": None,
        "replyPreview": None,
        "reactionRecentAddresses": {"fire": [WALLET, WALLET], "rocket": [WALLET]},
        "reactionRecentAvatarUrls": {"fire": ["https://x/a.png"]},
    }
    base.update(overrides)
    return base


def test_the_socket_and_its_handshake_as_the_reference_spells_them() -> None:
    assert (
        routes.chat_url("https://livechat.pump.fun")
        == "wss://livechat.pump.fun/socket.io/?EIO=4&transport=websocket"
    )
    assert (
        routes.chat_url("http://127.0.0.1:8787/")
        == "ws://127.0.0.1:8787/socket.io/?EIO=4&transport=websocket"
    )
    assert routes.chat_headers() == {"Origin": "https://pump.fun"}
    assert routes.chat_auth(None, now_ms=1_788_000_000_000) == {
        "origin": "https://pump.fun",
        "timestamp": 1_788_000_000_000,
        "token": None,
    }


def test_what_is_sent_to_join_leave_read_and_post() -> None:
    assert routes.CHAT_JOIN == "joinRoom"
    assert routes.chat_join(MINT) == {"roomId": MINT, "username": None}
    assert routes.CHAT_LEAVE == "leaveRoom"
    assert routes.chat_leave(MINT) == {"roomId": MINT}
    assert routes.CHAT_HISTORY == "getMessageHistory"
    assert routes.chat_history(MINT, limit=20) == {"roomId": MINT, "limit": 20, "before": None}
    assert routes.chat_history(MINT, limit=20, before="abc") == {
        "roomId": MINT,
        "limit": 20,
        "before": "abc",
    }
    assert routes.CHAT_SEND == "sendMessage"
    assert routes.chat_send(MINT, "hi") == {"roomId": MINT, "message": "hi", "username": None}
    assert (routes.CHAT_NEW_MESSAGE, routes.CHAT_VIEWER_COUNT) == ("newMessage", "viewerCount")


def test_a_message_in_the_app_s_units() -> None:
    message = routes.read_chat_message(record())
    assert message.id == "6f1c2d7e-0000-4000-8000-000000000001"
    assert message.mint == MINT
    assert message.text == "gm"
    assert message.author == WALLET
    assert message.username == "degen42"
    assert message.at == datetime(2026, 9, 1, 12, tzinfo=UTC).timestamp()
    assert message.expires_at == 1788264000.0  # epoch seconds, as sent
    assert message.kind == "REGULAR"
    assert (message.is_creator, message.is_moderator) == (True, False)
    assert message.reactions == (("fire", 2), ("rocket", 1))


def test_only_the_text_and_the_author_are_required() -> None:
    bare = routes.read_chat_message({"message": "hello", "userAddress": WALLET}, room=MINT)
    assert (bare.mint, bare.text, bare.author) == (MINT, "hello", WALLET)
    assert (bare.at, bare.expires_at, bare.kind, bare.reactions) == (0.0, None, "REGULAR", ())
    again = routes.read_chat_message({"message": "hello", "userAddress": WALLET}, room=MINT)
    assert bare.id == again.id, "a message without an id still has a stable one"
    for broken in (
        {"userAddress": WALLET, "roomId": MINT},
        {"message": "hi", "roomId": MINT},
        {"message": "hi", "userAddress": "not an address!", "roomId": MINT},
        {"message": "hi", "userAddress": WALLET},  # no room at all
        "a string",
    ):
        with pytest.raises(ModelError):
            routes.read_chat_message(broken)


def test_hostile_text_and_previews_are_neutralised() -> None:
    message = routes.read_chat_message(
        record(
            message="\x1b[31mRED\x1b[0m \x1b]52;c;cHduZWQ=\x07 \u202eevil",
            username="\x1b[2Jname",
            messageType="system",
            replyToId=7,
            replyPreview={"message": "quoted \x9b31m text", "username": "x"},
        )
    )
    for text in (message.text, message.username or "", message.reply_preview or ""):
        for bad in ("\x1b", "\x9b", "\x07", "\u202e"):
            assert bad not in text
    assert message.text.startswith("RED")
    assert message.kind == "SYSTEM"
    assert message.is_system
    assert message.reply_to_id == "7"
    assert message.reply_preview == "quoted text"
    assert len(routes.read_chat_message(record(message="A" * 10_000)).text) <= 1000


def test_a_history_ack_bare_or_wrapped_and_a_bad_record_costs_only_itself() -> None:
    good = [record(id="a"), {"message": "no author"}, record(id="b")]
    for ack in (good, {"messages": good}, (good,), [good]):
        assert [m.id for m in routes.read_chat_history(ack, room=MINT)] == ["a", "b"]
    assert routes.read_chat_history(None) == []
    assert routes.read_chat_history({"error": "nope"}) == []


def test_a_viewer_count_is_a_number_or_an_object_with_one() -> None:
    assert routes.read_viewer_count(12) == 12
    assert routes.read_viewer_count({"roomId": MINT, "count": 3}) == 3
    assert routes.read_viewer_count("7") == 7
    for nonsense in (None, True, -1, "many", {"roomId": MINT}, float("nan")):
        assert routes.read_viewer_count(nonsense) is None
    assert routes.read_chat_room({"roomId": MINT, "count": 3}) == MINT
    assert routes.read_chat_room(3) is None


def test_a_send_ack_accepted_or_refused_with_the_server_s_reason() -> None:
    accepted = routes.read_chat_send_ack({"success": True, "message": record(id="z")})
    assert accepted.accepted
    assert accepted.message is not None
    assert accepted.message.id == "z"
    refused = routes.read_chat_send_ack(
        {"error": "You're sending messages too fast", "retryAfter": 1.5}
    )
    assert (refused.accepted, refused.reason, refused.retry_after) == (
        False,
        "You're sending messages too fast",
        1.5,
    )
    assert not routes.read_chat_send_ack({"success": False, "message": "Banned"}).accepted
    assert routes.read_chat_send_ack({"success": False, "message": "Banned"}).reason == "Banned"
    assert routes.read_chat_send_ack(None).accepted  # an empty ack: taken as accepted
    assert not routes.read_chat_send_ack("\x1b[31mnope").accepted
    assert routes.read_chat_send_ack("\x1b[31mnope").reason == "nope"
