"""What push changes on screen: the socket's health in the status bar, and a pushed trade whose
REST copy arrives gains its trader's name on the tape."""

from __future__ import annotations

from dataclasses import replace

from pumptui.live.events import FeedHealthChanged, NewTrade, TradeConfirmed
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.store import MarketStore
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.status_bar import render_status
from tests.tui.conftest import screen_text
from tests.tui.test_coin_screen import (
    MINT,
    NOW,
    build_store,
    coin_screen,
    make_app,
    open_coin,
    redraw,
    strip_text,
    widget_lines,
)

PUSHED_SIGNATURE = "4" * 88


def test_the_push_sockets_health_is_in_the_status_bars_text() -> None:
    store = MarketStore()
    store.apply(
        FeedHealthChanged(FeedHealth("coins", FeedState.LIVE, since=NOW - 60, last_good_at=NOW - 1))
    )
    store.apply(
        FeedHealthChanged(
            FeedHealth(
                "push",
                FeedState.FAILING,
                since=NOW - 30,
                reason="connection failed (ClientConnectorError)",
            )
        )
    )
    services = AppServices(store=store, clock=lambda: NOW, watchlist=MemoryWatchlist())
    text = render_status(services.status_info(), 120).plain
    assert "● coins" in text
    assert "✖ push failing 30s: connection failed" in text


async def test_a_confirmed_trade_shows_its_traders_name_on_the_tape() -> None:
    store: MarketStore = build_store()
    newest = store.trades(MINT)[0]
    pushed = replace(
        newest,
        signature=PUSHED_SIGNATURE,
        timestamp=NOW - 1,
        slot=0,
        tx_index=0,
        username=None,
        user="9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
        pushed_seq=1,
    )
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_coin(pilot)
        tape = coin_screen(app).tape
        store.apply(NewTrade(pushed))
        await redraw(pilot)
        assert tape.rows[0].signature == PUSHED_SIGNATURE
        assert "confirmed_whale" not in strip_text(widget_lines(tape)[0])

        confirmed = replace(
            pushed,
            timestamp=NOW - 2,
            slot=newest.slot + 1,
            pushed_seq=None,
            username="confirmed_whale",
        )
        store.apply(TradeConfirmed(confirmed))
        await redraw(pilot)
        assert tape.rows[0].signature == PUSHED_SIGNATURE
        assert not tape.rows[0].provisional
        assert "confirmed_whale" in strip_text(widget_lines(tape)[0])
        assert "confirmed_whale" in screen_text(app).splitlines()[tape.content_region.y]
