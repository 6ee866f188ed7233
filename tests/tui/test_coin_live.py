"""The Coin screen on the live engine, against the simulator over loopback HTTP and Socket.IO.

What a trader relies on: opening a coin points the engine at it, its trades arrive and keep
arriving, the chart follows the last trade, its chat room is joined on the app's one chat socket
(history, then each message as it is posted), its callouts come from the callouts feed, a dropped
chat connection says so and recovers by itself, and leaving the coin releases the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.pilot import Pilot

from pumptui.api.budget import RequestBudget
from pumptui.api.models import Trade
from pumptui.config import ApiSettings, RefreshSettings, Settings
from pumptui.live.health import FeedState
from pumptui.live.schedule import Backoff
from pumptui.sim import SimServer
from pumptui.sim.chat import ChatConfig
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.chat_pane import ChatPane
from tests.conftest import TEST_SERVER
from tests.helpers.pilot import wait_for
from tests.tui.conftest import screen_text

# Poll fast: the simulator has no real rate limit here, and the test should not wait.
FAST = RefreshSettings(
    coins_min=0.2,
    coins_max=1.0,
    trades_min=0.1,
    trades_max=0.3,
    callouts_min=0.2,
    callouts_max=1.0,
    market_min=0.5,
    market_max=2.0,
)
# The chat as a test wants it: nobody chatting but the test. The market runs on the real clock,
# as the service does: a chat message expires an hour after it was posted, by the app's clock.
QUIET_CHAT = replace(TEST_SERVER, chat=ChatConfig(chatter=0.0))


@pytest.fixture
def chatty(sim_factory: Callable[..., SimServer]) -> SimServer:
    """A simulator on the real clock whose chat rooms hear only what the test posts."""
    return sim_factory(server=QUIET_CHAT, clock="real", trades_per_second=1.0)


def live_app(sim: SimServer) -> PumpApp:
    settings = Settings(
        api=ApiSettings(burst=50, timeout=2.0, max_retries=1), refresh=FAST
    ).with_api_urls(sim.base_url)
    # One generous bucket for every host: this test is about the flow, not swap's budget.
    services = AppServices.connect(
        settings,
        sim_mode=True,
        watchlist=MemoryWatchlist(),
        timeout=2.0,
        budget=RequestBudget(6000, 50),
    )
    return PumpApp(services)


async def open_coin(pilot: Pilot[None], mint: str) -> CoinScreen:
    app = pilot.app
    assert isinstance(app, PumpApp)
    app.open_coin(mint)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CoinScreen)
    return screen


def chat_texts(pane: ChatPane) -> list[str]:
    return [message.text for message in pane.messages]


def chat_lines(pane: ChatPane) -> str:
    """What the chat pane shows now, its wrapped lines joined."""
    return " ".join(
        "".join(segment.text for segment in pane.render_line(y)).strip()
        for y in range(pane.size.height)
    )


def status_line(app: PumpApp) -> str:
    """The status bar: the line above the footer."""
    return screen_text(app).rstrip("\n").split("\n")[-2]


async def test_a_coin_opened_on_the_simulator_fills_and_follows_live(sim: SimServer) -> None:
    mint = max(sim.mints(), key=lambda m: len(sim.trades_of(m)))
    app = live_app(sim)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_coin(pilot, mint)
        engine = app.services.engine
        assert engine is not None
        assert engine.focused == mint

        def newest_signatures(count: int) -> list[str]:
            return [t["tx"] for t in reversed(sim.trades_of(mint))][:count]

        await wait_for(pilot, lambda: len(screen.tape.rows) >= 5, "the coin's trades")
        shown = [t.signature for t in screen.tape.rows]
        assert shown == newest_signatures(len(shown)), "the newest trades, in order, no gaps"

        burst = sim.inject_trades(mint, 3)
        await wait_for(
            pilot,
            lambda: [t.signature for t in screen.tape.rows[:3]] == list(reversed(burst)),
            "the burst on top of the tape",
        )
        last = Trade.from_swap(sim.trades_of(mint)[-1], mint)
        await wait_for(
            pilot,
            lambda: (
                screen.chart.grid is not None
                and bool(screen.chart.grid.candles)
                and screen.chart.grid.candles[-1].close == last.chart_price
            ),
            "the last candle closing at the pool price after the last trade",
        )

        # Holder figures arrive from the holders feed: the header's third line shows them, as
        # the simulator's holder-stats route gives them.
        store = app.services.store
        await wait_for(pilot, lambda: store.holders(mint) is not None, "the coin's holders")
        stats = store.holders(mint).stats  # type: ignore[union-attr]

        def third() -> str:
            return screen.header.header_text(118).plain.splitlines()[2]

        await wait_for(
            pilot, lambda: third().startswith(f"holders {stats.total_holders:,}"), "holders line"
        )
        await pilot.press("i")
        assert screen.showing_holders
        assert (screen.holders_panel.border_title or "").startswith(
            f"Holders {stats.total_holders:,}"
        )
        await pilot.press("i")

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CoinScreen)
        assert engine.focused is None


async def test_opening_a_coin_joins_its_chat_and_new_messages_appear_in_the_pane(
    chatty: SimServer,
) -> None:
    mint = chatty.hot_mint
    earlier = chatty.post_chat(mint, "posted before anyone opened the coin")
    app = live_app(chatty)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_coin(pilot, mint)
        pane = screen.chat_pane
        await wait_for(
            pilot, lambda: earlier["message"] in chat_texts(pane), "the room's history in the pane"
        )
        await wait_for(
            pilot,
            lambda: pane.border_title == "Chat · 1 watching",
            "the viewer count (this app) in the title",
        )
        assert "Chat · 1 watching" in screen_text(app)

        posted = chatty.post_chat(mint, "[bold]gm[/bold] from the sim")
        await wait_for(
            pilot,
            lambda: bool(pane.messages) and pane.messages[-1].id == posted["id"],
            "the new message, last",
        )
        assert pane.messages[-1].text == "[bold]gm[/bold] from the sim", "shown as typed"
        await wait_for(
            pilot,
            lambda: "[bold]gm[/bold] from the sim" in chat_lines(pane),
            "the new message on screen",
        )
        assert chatty.chat_stats()["rooms"] == {mint: 1}

        # Another coin: its room instead of this one, on the same socket.
        other = next(m for m in chatty.mints() if m != mint)
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_coin(pilot, other)
        await wait_for(
            pilot,
            lambda: chatty.chat_stats()["rooms"] == {other: 1},
            "the other coin's room joined, the first one left",
        )
        assert chatty.chat_stats()["peak"] == 1, "one chat connection for the whole app"
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: chatty.chat_stats()["rooms"] == {}, "no room joined once no coin is open"
        )


async def test_the_coins_callouts_arrive_from_the_callouts_feed(chatty: SimServer) -> None:
    mint = chatty.create_coin(name="Called", symbol="CALD")
    chatty.buy(mint, chatty.admin_address, sol=0.2)
    first = chatty.post_callout(mint, "first [bold]call[/bold]", user=chatty.admin_address)
    app = live_app(chatty)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_coin(pilot, mint)
        pane = screen.callouts_pane
        await wait_for(
            pilot,
            lambda: [c.id for c in pane.callouts] == [first],
            "the coin's callout in the pane",
        )
        assert pane.callouts[0].thesis == "first [bold]call[/bold]"
        assert "Callouts · 1" in screen_text(app)
        assert "first [bold]call[/bold]" in screen_text(app), "the thesis as typed"

        chatty.buy(mint, sol=0.5)  # the plain user holds it too, and may call it
        second = chatty.post_callout(mint, "second call", user=chatty.user_address)
        await wait_for(
            pilot,
            lambda: {c.id for c in pane.callouts} == {first, second},
            "the new callout, without a key",
        )
        await wait_for(pilot, lambda: "Callouts · 2" in screen_text(app), "the count")


@pytest.mark.slow
async def test_a_dropped_chat_connection_shows_on_screen_and_recovers_by_itself(
    chatty: SimServer,
) -> None:
    mint = chatty.hot_mint
    app = live_app(chatty)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_coin(pilot, mint)
        pane = screen.chat_pane
        before = chatty.post_chat(mint, "before the drop")
        await wait_for(pilot, lambda: before["message"] in chat_texts(pane), "live first")
        engine = app.services.engine
        assert engine is not None
        chat = engine.chat
        assert chat is not None
        # Attempts paced for a test: the real pacing (2 s apart, a jittered backoff from 2 s) made
        # this test take 4 to 30 s by the draw of the dice. Still a second or so apart, so the
        # failure lasts long enough to be seen on screen.
        chat.min_gap = 1.0
        chat._backoff = Backoff(base=1.0, cap=1.0, floor=1.0)

        # The server drops the socket, then refuses the next three attempts: the chat fails
        # for at least that many attempts, whatever the machine's speed.
        chatty.refuse_chat(3)
        assert chatty.drop_chat() == 1
        await wait_for(
            pilot, lambda: "✖ chat" in status_line(app), "the chat's failure in the status bar"
        )
        view = app.services.chat_view(mint)
        assert view is not None
        assert view.state == "reconnecting…"
        await wait_for(
            pilot, lambda: "reconnecting…" in screen_text(app), "the pane says it reconnects"
        )
        assert before["message"] in chat_texts(pane), "what was read stays on screen"
        during = chatty.post_chat(mint, "posted while the app was away")

        await wait_for(
            pilot,
            lambda: chat.health.state is FeedState.LIVE and chatty.chat_stats()["refusing"] == 0,
            "the chat reconnected",
            seconds=90.0,
        )
        await wait_for(
            pilot,
            lambda: "✖ chat" not in status_line(app),
            "the status bar no longer says the chat fails",
        )
        await wait_for(
            pilot,
            lambda: during["message"] in chat_texts(pane),
            "the message missed while away, read back after the reconnect",
        )
        after = chatty.post_chat(mint, "posted after the recovery")
        await wait_for(
            pilot,
            lambda: bool(pane.messages) and pane.messages[-1].id == after["id"],
            "a new message, live again",
        )
        texts = chat_texts(pane)
        assert texts.count(before["message"]) == 1, "nothing shown twice after the reconnect"
        assert texts.index(before["message"]) < texts.index(during["message"]) < len(texts) - 1
        assert chatty.chat_stats()["connections"] == 1, "one socket again, not two"
