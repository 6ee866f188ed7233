"""The coins' live chat through the engine, against the simulator's Socket.IO server: history on
open, messages as they come, one socket for every room, recovery after a drop without
duplicates, backoff while refused, expiry, hostile text, and posting with a session."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from pumptui.api.errors import AuthRequired, ChatRefused, ConnectionFailed, RateLimited
from pumptui.live import FeedState, LiveEngine
from pumptui.live.bus import Subscription
from pumptui.live.chat import CHAT_FEED, ChatConnection, SendStatus
from pumptui.live.events import (
    ChatMessagesChanged,
    Event,
    FeedHealthChanged,
    NewChatMessage,
    ViewerCountChanged,
    event_to_json,
)
from pumptui.live.schedule import Backoff
from pumptui.secret import Secret
from pumptui.sim import ServerConfig, SimServer
from pumptui.sim.chat import ChatConfig
from pumptui.sim.text import HOSTILE
from tests.live.conftest import MANUAL, EngineFactory, wait_until

LIFETIME = 600.0
QUIET = ServerConfig(rate_limit=100_000, chat=ChatConfig(lifetime=LIFETIME, chatter=0.0))


class RecordingBackoff(Backoff):
    """Tiny delays, and a record of each one asked for."""

    def __init__(self) -> None:
        super().__init__(base=0.05, cap=0.2, floor=0.01, rng=random.Random(5))
        self.delays: list[float] = []

    def next(self, retry_after: float | None = None) -> float:
        delay = super().next(retry_after)
        self.delays.append(delay)
        return delay


@dataclass
class Chat:
    sim: SimServer
    engine: LiveEngine
    chat: ChatConnection
    events: Subscription
    backoff: RecordingBackoff
    seen: list[Event]

    def drain(self) -> list[Event]:
        self.seen.extend(self.events.drain())
        return self.seen

    def new_messages(self, mint: str) -> list[NewChatMessage]:
        return [e for e in self.drain() if isinstance(e, NewChatMessage) and e.mint == mint]

    def texts(self, mint: str) -> list[str]:
        return [m.text for m in self.chat.messages(mint)]

    def health(self) -> FeedState | None:
        health = self.engine.health.get(CHAT_FEED)
        return None if health is None else health.state


@pytest.fixture
def quiet(sim_factory: Callable[..., SimServer]) -> SimServer:
    return sim_factory(server=QUIET)


@pytest.fixture
def chat_factory(engine_factory: EngineFactory) -> Callable[..., Chat]:
    def make(
        sim: SimServer, *, clock: Callable[[], float] | None = None, prune_every: float = 60.0
    ) -> Chat:
        engine = engine_factory(sim, visible=set(), settings=MANUAL)
        backoff = RecordingBackoff()
        # The simulator's clock is manual (it starts in May 2026): expiry follows it, not ours.
        engine.chat = ChatConnection(
            sim.base_url,
            clock=clock or (lambda: sim.market.now),
            backoff=backoff,
            connect_timeout=5.0,
            request_timeout=5.0,
            min_gap=0.05,
            stable_after=60.0,
            prune_every=prune_every,
        )
        events = engine.bus.subscribe(coalesce=False)
        return Chat(sim, engine, engine.chat, events, backoff, [])

    return make


async def test_opening_a_coin_brings_its_history_then_each_new_message(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mint = quiet.hot_mint
    older = [quiet.post_chat(mint, text) for text in ("first", "second")]
    chat = chat_factory(quiet)
    await chat.engine.start()
    chat.engine.focus(mint)
    await wait_until(lambda: chat.texts(mint) == ["first", "second"], message="the history")
    await wait_until(lambda: chat.health() is FeedState.LIVE, message="chat live")
    history = chat.new_messages(mint)
    assert [e.message.id for e in history] == [m["id"] for m in older]
    assert all(e.historical for e in history)

    async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
        response = await admin.post(
            f"/_sim/chat/{mint}", json={"text": "gm from the simulator", "user": quiet.user_address}
        )
    posted = response.json()
    await wait_until(
        lambda: "gm from the simulator" in chat.texts(mint), message="the pushed message"
    )
    pushed = chat.new_messages(mint)[-1]
    assert pushed.message.id == posted["id"]
    assert pushed.message.author == quiet.user_address
    assert not pushed.historical
    snapshots = [e for e in chat.drain() if isinstance(e, ChatMessagesChanged)]
    assert [m.text for m in snapshots[-1].messages] == ["first", "second", "gm from the simulator"]
    viewers = [e for e in chat.drain() if isinstance(e, ViewerCountChanged)]
    assert viewers[-1] == ViewerCountChanged(mint, 1)
    assert chat.chat.viewers(mint) == 1


async def test_closing_a_coin_stops_its_messages(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    closed = quiet.hot_mint
    still_open = next(m for m in quiet.mints() if m != closed)
    chat = chat_factory(quiet)
    await chat.engine.start()
    chat.engine.focus(closed)
    chat.chat.join(still_open)
    await wait_until(
        lambda: set(quiet.chat_stats()["rooms"]) == {closed, still_open},
        message="both rooms joined",
    )
    chat.engine.focus(None)
    await wait_until(
        lambda: set(quiet.chat_stats()["rooms"]) == {still_open},
        message="the closed coin's room left",
    )
    quiet.post_chat(closed, "nobody should see this")
    quiet.post_chat(still_open, "sentinel")
    # The socket delivers in order: once the later message is here, the earlier was not sent.
    await wait_until(lambda: chat.texts(still_open) == ["sentinel"], message="the sentinel")
    assert chat.chat.messages(closed) == ()
    assert chat.new_messages(closed) == []


async def test_a_dropped_connection_recovers_by_itself_without_duplicates(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mint = quiet.hot_mint
    for text in ("one", "two", "three"):
        quiet.post_chat(mint, text)
    chat = chat_factory(quiet)
    await chat.engine.start()
    chat.engine.focus(mint)
    await wait_until(lambda: chat.texts(mint) == ["one", "two", "three"], message="history")
    await wait_until(lambda: chat.health() is FeedState.LIVE, message="chat live")

    quiet.refuse_chat(10_000)  # keep it down until the test has posted
    async with httpx.AsyncClient(base_url=quiet.base_url) as admin:
        dropped = await admin.post("/_sim/chat/drop")
    assert dropped.json() == {"dropped": 1}
    await wait_until(lambda: chat.health() is FeedState.FAILING, message="health down")
    await wait_until(lambda: quiet.chat_stats()["refused"] >= 2, message="reconnect attempts")
    missed = quiet.post_chat(mint, "said while you were away")
    quiet.refuse_chat(0)
    await wait_until(
        lambda: "said while you were away" in chat.texts(mint),
        message="the missed message, read back after the reconnect",
    )
    await wait_until(lambda: chat.health() is FeedState.LIVE, message="live again")

    assert chat.texts(mint) == ["one", "two", "three", "said while you were away"]
    news = chat.new_messages(mint)
    counts = Counter(e.message.id for e in news)
    assert max(counts.values()) == 1, "each message is news once"
    back = next(e for e in news if e.message.id == missed["id"])
    assert not back.historical, "a message missed during an outage is not history"
    states = [
        e.health.state
        for e in chat.drain()
        if isinstance(e, FeedHealthChanged) and e.health.feed == CHAT_FEED
    ]
    failing = states.index(FeedState.FAILING)
    assert FeedState.LIVE in states[failing:]
    assert quiet.chat_stats()["peak"] == 1, "never two sockets at once"


async def test_refused_connections_back_off_and_then_connect(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    quiet.refuse_chat(3, "Too many connections")
    chat = chat_factory(quiet)
    await chat.engine.start()
    chat.engine.focus(quiet.hot_mint)
    await wait_until(lambda: chat.health() is FeedState.LIVE, message="connected in the end")
    stats = quiet.chat_stats()
    assert (stats["attempts"], stats["refused"]) == (4, 3), "one attempt per backoff, no storm"
    assert chat.chat.attempts == 4
    assert len(chat.backoff.delays) == 3
    reasons = [
        e.health.reason
        for e in chat.drain()
        if isinstance(e, FeedHealthChanged) and e.health.state is FeedState.FAILING
    ]
    assert any("Too many connections" in (r or "") for r in reasons)


async def test_nothing_connects_before_a_coin_is_open(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    chat = chat_factory(quiet)
    await chat.engine.start()
    await wait_until(lambda: chat.health() is FeedState.IDLE, message="idle health")
    assert quiet.chat_stats()["attempts"] == 0


async def test_expired_messages_are_dropped_by_the_clock(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mint = quiet.hot_mint
    quiet.post_chat(mint, "short lived", expires_in=30)
    quiet.post_chat(mint, "long lived")
    start = quiet.market.now
    now = [start]
    chat = chat_factory(quiet, clock=lambda: now[0], prune_every=0.05)
    await chat.engine.start()
    chat.engine.focus(mint)
    await wait_until(lambda: chat.texts(mint) == ["short lived", "long lived"], message="history")
    now[0] = start + 31
    await wait_until(lambda: chat.texts(mint) == ["long lived"], message="the expiry")
    last = [e for e in chat.drain() if isinstance(e, ChatMessagesChanged)][-1]
    assert [m.text for m in last.messages] == ["long lived"]
    now[0] = start + LIFETIME + 1
    assert chat.chat.prune() == 1
    assert chat.chat.messages(mint) == ()


async def test_hostile_chat_text_reaches_the_app_harmless(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mint = quiet.hot_mint
    for text in HOSTILE:
        quiet.post_chat(mint, text)
    chat = chat_factory(quiet)
    await chat.engine.start()
    chat.engine.focus(mint)
    await wait_until(lambda: len(chat.chat.messages(mint)) == len(HOSTILE), message="history")
    for message in chat.chat.messages(mint):
        for bad in ("\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u200b", "\ufeff"):
            assert bad not in message.text, (bad, message.text[:40])
        assert len(message.text) <= 1000


async def test_one_socket_serves_every_open_room(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mints = quiet.mints()[:3]
    for mint in mints:
        quiet.post_chat(mint, f"hello {mint[:4]}")
    chat = chat_factory(quiet)
    await chat.engine.start()
    for mint in mints:
        chat.chat.join(mint)
    await wait_until(
        lambda: all(chat.texts(m) == [f"hello {m[:4]}"] for m in mints),
        message="every room's history",
    )
    stats = quiet.chat_stats()
    assert (stats["connections"], stats["peak"], stats["attempts"]) == (1, 1, 1)
    assert stats["rooms"] == dict.fromkeys(sorted(mints), 1)


async def test_posting_with_a_session_and_the_refusals_it_can_meet(
    quiet: SimServer, chat_factory: Callable[..., Chat]
) -> None:
    mint = quiet.hot_mint
    chat = chat_factory(quiet)
    token = quiet.token_for()
    not_running = await chat.chat.try_send(mint, "too early", token)
    assert not_running.status is SendStatus.NOT_CONNECTED
    with pytest.raises(ConnectionFailed):
        await chat.chat.send(mint, "too early", token)
    await chat.engine.start()
    chat.engine.focus(mint)
    await wait_until(lambda: chat.health() is FeedState.LIVE, message="anonymous and live")

    anonymous = await chat.chat.try_send(mint, "hello?", None)
    assert anonymous.status is SendStatus.REFUSED
    assert anonymous.reason
    with pytest.raises(AuthRequired):
        await chat.chat.send(mint, "hello?", None)

    sent = await chat.chat.send(mint, "hello from pumptui", token)
    assert sent is not None
    assert sent.author == quiet.user_address
    await wait_until(lambda: "hello from pumptui" in chat.texts(mint), message="my message")
    assert Counter(e.message.id for e in chat.new_messages(mint))[sent.id] == 1

    too_fast = await chat.chat.try_send(mint, "and again", token)
    assert too_fast.status is SendStatus.REFUSED
    assert "too fast" in (too_fast.reason or "")
    assert too_fast.retry_after is not None
    with pytest.raises(RateLimited) as limited:
        await chat.chat.send(mint, "and again", token)
    assert limited.value.retry_after is not None
    quiet.advance(2.0)
    with pytest.raises(ChatRefused, match="longer than"):
        await chat.chat.send(mint, "x" * 5000, token)

    stats = quiet.chat_stats()
    # Anonymous first, then once more with the session in the connect auth; never two at once.
    assert (stats["attempts"], stats["peak"], stats["connections"]) == (2, 1, 1)


def test_chat_events_as_json_lines() -> None:
    from pumptui.api.models import ChatMessage

    message = ChatMessage(
        id="m1",
        mint="Mint1111",
        text="gm",
        author="Author111",
        at=1.5,
        is_creator=True,
        expires_at=61.0,
        reactions=(("fire", 2),),
    )
    assert event_to_json(NewChatMessage(message, historical=True)) == {
        "type": "chat_message",
        "id": "m1",
        "mint": "Mint1111",
        "text": "gm",
        "author": "Author111",
        "username": None,
        "at": 1.5,
        "kind": "REGULAR",
        "is_moderator": False,
        "is_creator": True,
        "expires_at": 61.0,
        "reply_to_id": None,
        "reply_preview": None,
        "reactions": {"fire": 2},
        "historical": True,
    }
    assert event_to_json(ViewerCountChanged("Mint1111", 4)) == {
        "type": "viewers",
        "mint": "Mint1111",
        "count": 4,
    }
    snapshot = event_to_json(ChatMessagesChanged("Mint1111", (message,)))
    assert snapshot["type"] == "chat"
    assert [m["id"] for m in snapshot["messages"]] == ["m1"]


@pytest.mark.parametrize("url", ["http://192.168.1.20:8765", "http://10.0.0.7", "http://pump.lan"])
async def test_the_session_token_never_goes_over_plain_http_to_another_machine(url: str) -> None:
    chat = ChatConnection(url)
    outcome = await chat.try_send("Mint111", "gm", Secret("tok-secret"))
    assert outcome.status is SendStatus.REFUSED
    assert "plain http" in (outcome.reason or "")
    chat.set_token(Secret("tok-secret"))
    chat._auth_token = chat._carriable(chat._token)  # what a connect would send
    assert "tok-secret" not in repr(chat._auth())


async def test_a_loopback_or_https_chat_may_carry_the_token() -> None:
    for url in ("http://127.0.0.1:9", "https://chat.example"):
        chat = ChatConnection(url)
        chat.set_token(Secret("tok-secret"))
        chat._auth_token = chat._carriable(chat._token)
        assert "tok-secret" in repr(chat._auth())
