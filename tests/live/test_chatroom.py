"""A coin's chat as the app keeps it: each message once, in time order, nothing expired."""

from __future__ import annotations

from pumptui.api.models import ChatMessage
from pumptui.live.chatroom import ChatRoom

MINT = "Mint111111111111111111111111111111111pump"


def message(
    id: str, at: float, *, expires_at: float | None = None, text: str = "", mint: str = MINT
) -> ChatMessage:
    return ChatMessage(
        id=id, mint=mint, text=text or id, author="Author1111", at=at, expires_at=expires_at
    )


def test_messages_are_kept_once_in_time_order_and_the_new_ones_are_named() -> None:
    room = ChatRoom(MINT, clock=lambda: 100.0)
    fresh, changed = room.add([message("b", 20), message("a", 10)])
    assert [m.id for m in fresh] == ["a", "b"]
    assert changed
    fresh, changed = room.add([message("a", 10), message("c", 30), message("b", 20)])
    assert [m.id for m in fresh] == ["c"]
    assert [m.id for m in room.messages] == ["a", "b", "c"]
    assert room.add([message("c", 30)]) == ([], False)


def test_messages_of_the_same_instant_keep_the_order_they_came_in() -> None:
    room = ChatRoom(MINT, clock=lambda: 100.0)
    room.add([message("zz", 50), message("aa", 50)])
    room.add([message("mm", 50)])
    assert [m.id for m in room.messages] == ["zz", "aa", "mm"]


def test_a_changed_copy_replaces_the_old_one_without_being_news() -> None:
    room = ChatRoom(MINT, clock=lambda: 100.0)
    room.add([message("a", 10, text="before")])
    fresh, changed = room.add([message("a", 10, text="after")])
    assert (fresh, changed) == ([], True)
    assert [m.text for m in room.messages] == ["after"]


def test_expired_messages_never_enter_and_leave_when_their_time_comes() -> None:
    now = [100.0]
    room = ChatRoom(MINT, clock=lambda: now[0])
    fresh, _ = room.add(
        [
            message("old", 1, expires_at=90),
            message("soon", 2, expires_at=150),
            message("forever", 3),
        ]
    )
    assert [m.id for m in fresh] == ["soon", "forever"]
    assert room.next_expiry() == 150
    now[0] = 150.0
    assert room.prune() == 1
    assert [m.id for m in room.messages] == ["forever"]
    assert room.prune() == 0


def test_other_rooms_messages_are_ignored_and_the_room_is_bounded() -> None:
    room = ChatRoom(MINT, limit=3, clock=lambda: 100.0)
    assert room.add([message("x", 1, mint="Other11111111111111111111111111111pump")]) == ([], False)
    room.add([message(str(i), i) for i in range(5)])
    assert [m.id for m in room.messages] == ["2", "3", "4"]
    assert "0" not in room
    assert room.oldest is not None
    assert room.oldest.id == "2"
