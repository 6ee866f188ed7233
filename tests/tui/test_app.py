"""The shell: global keys, help, palette, keymap, pause, the status bar, and how it starts.

Tests marked with the `sim` fixture run the real client and live engine against the seeded
simulator over loopback HTTP; the rest use frozen data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from pumptui.api.budget import RequestBudget
from pumptui.api.routes import Host
from pumptui.cli import main as cli_main
from pumptui.config import RefreshSettings, Settings, UiSettings
from pumptui.live.events import EngineError, FeedHealthChanged, NewTrade, RouteMoved
from pumptui.live.health import FeedHealth, FeedState
from pumptui.sim import SimServer
from pumptui.tui.app import TOAST_INTERVAL, PumpApp, can_open_browser
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.screens.help import HelpScreen
from pumptui.tui.screens.home import HomeScreen
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.coin_table import CoinTable
from pumptui.tui.widgets.status_bar import StatusBar, StatusInfo, render_status
from tests.helpers.pilot import record_toasts, wait_for
from tests.tui.conftest import (
    FROZEN_NOW,
    frozen_coins,
    frozen_services,
    frozen_store,
    live_health,
    make_mint,
    screen_text,
)

AppFactory = Callable[..., PumpApp]
# Fast feeds and no client retries: a fault shows on the first failed request.
FAST_REFRESH = RefreshSettings(
    coins_min=0.2,
    coins_max=1.0,
    trades_min=0.2,
    trades_max=1.0,
    callouts_min=0.5,
    callouts_max=2.0,
    market_min=0.5,
    market_max=2.0,
)


def sim_services(sim: SimServer, **kwargs: Any) -> AppServices:
    settings = Settings(refresh=FAST_REFRESH).with_api_urls(sim.base_url)
    settings = replace(settings, api=replace(settings.api, burst=50, max_retries=0, timeout=2.0))
    # One generous bucket for every host: these tests are about the flow, not swap's budget.
    kwargs.setdefault("sim_mode", True)
    return AppServices.connect(
        settings,
        watchlist=MemoryWatchlist(),
        budget=RequestBudget(6000.0, 50),
        **kwargs,
    )


def status_text(app: PumpApp) -> str:
    """The status bar as the terminal shows it (its row of the screen, not its renderer)."""
    bar = app.screen.query_one(StatusBar)
    return screen_text(app).splitlines()[bar.region.y]


# -- keys ----------------------------------------------------------------------------------------


async def test_question_mark_lists_every_key_of_the_current_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys · Home" in screen_text(app), "the help says which screen's keys these are"
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        for binding_id in (
            "coins.sort",
            "coins.filter",
            "coins.watch",
            "coins.copy-mint",
            "coins.open-browser",
            "table.open",
            "table.down",
            "app.quit",
            "app.pause",
            "app.help",
            "app.watchlist",
            "app.command-palette",
        ):
            assert binding_id in rows
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "question_mark")  # the Coin screen has its own keys
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert "coin.cycle-timeframe" in rows
        assert "coins.sort" not in rows
        text = screen_text(app)
        assert "Keys · " in text
        assert "Keys · Home" not in text


async def test_keymap_and_theme_come_from_the_config() -> None:
    services = frozen_services()
    services.settings = replace(
        services.settings, keymap={"coins.sort": "S"}, ui=UiSettings(theme="nord")
    )
    app = PumpApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        table = app.screen.query_one(CoinTable)
        await pilot.press("s")
        assert table.current_sort.label == "newest"
        await pilot.press("S")
        assert table.current_sort.label == "market cap"


async def run_from_palette(pilot: Pilot[None], query: str) -> None:
    """`:`, the query, and Enter on the best hit."""
    await pilot.press("colon", *query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_colon_opens_the_palette_which_runs_screen_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "cycle the sort")
        assert app.screen.query_one(CoinTable).current_sort.label == "market cap"


async def test_palette_finds_a_coin_by_name_and_opens_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "golden shiba")
        assert getattr(app.screen, "mint", None) == frozen_coins()[7].mint


@pytest.mark.slow
async def test_palette_opens_a_coin_seen_only_on_the_followed_tape_or_pasted_whole(
    make_app: AppFactory,
) -> None:
    # A watched old coin trades on the tape but is not among the newest listed on Home.
    hot = make_mint("hot-old-coin")
    store = frozen_store()
    store.apply(
        NewTrade(
            replace(
                store.site_trades(1)[0],
                signature=make_mint("sig-hot"),
                mint=hot,
                timestamp=FROZEN_NOW - 1,
                slot=5000,
            )
        )
    )
    assert store.coin(hot) is None
    pasted = make_mint("never-seen")
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, hot[:10])
        assert getattr(app.screen, "mint", None) == hot
        await pilot.press("escape")
        await pilot.pause()
        await run_from_palette(pilot, pasted)
        assert getattr(app.screen, "mint", None) == pasted


async def test_p_pauses_and_resumes_live_updates(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        assert app.services.paused
        await wait_for(pilot, lambda: "PAUSED" in status_text(app))
        await pilot.press("p")
        assert not app.services.paused
        await wait_for(pilot, lambda: "PAUSED" not in status_text(app))


async def test_q_quits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_the_app_trims_its_heap_while_it_runs_and_no_longer(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        trimmer = app.heap_trimmer
        assert trimmer.running
    assert not trimmer.running  # no thread outlives the app


async def test_shift_h_and_w_jump_between_home_and_watchlist(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "W")
        await pilot.pause()
        assert type(app.screen).__name__ == "WatchlistScreen"
        assert len(app.screen_stack) == 3  # default, Home, Watchlist: no pile-up
        await pilot.press("H")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("W", "backspace")  # backspace goes back, like escape
        assert isinstance(app.screen, HomeScreen)


# -- the status bar ------------------------------------------------------------------------------


async def test_status_bar_shows_each_feed_problem_with_its_detail(make_app: AppFactory) -> None:
    store = frozen_store()
    store.apply(
        FeedHealthChanged(
            live_health("sol-price", FeedState.RATE_LIMITED, retry_at=FROZEN_NOW + 12)
        )
    )
    store.apply(
        FeedHealthChanged(
            live_health(
                "leader", FeedState.FAILING, since=FROZEN_NOW - 40, reason="server error 503"
            )
        )
    )
    app = make_app(store, sim_mode=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = status_text(app)
        assert "● coins" in text
        assert "✖ leader failing 40s: server error 503" in text
        assert "◔ sol rate limited · retry in 12s" in text
        assert "data 2s" in text
        assert text.rstrip().endswith("read-only │ SIM")


def test_status_bar_names_feeds_with_the_same_problem_once_when_space_is_short() -> None:
    now = FROZEN_NOW
    failing = tuple(
        FeedHealth(feed, FeedState.FAILING, since=now - 90, reason="connection failed")
        for feed in ("coins", "trades", "leader")
    )
    waiting = FeedHealth("sol-price", FeedState.STARTING, since=now - 40)
    text = render_status(StatusInfo(now=now, feeds=(*failing, waiting)), 80).plain
    assert text.startswith("✖ coins leader trades: connection failed  ○ sol 40s ")
    assert text.endswith("read-only")
    assert len(text) == 80


def test_a_feed_that_says_live_but_has_not_answered_for_long_shows_stale() -> None:
    now = 1_800_000_000.0
    # Polled every 4 s: fresh 6 s after its last answer, stale 20 s after it (a dead server
    # whose failure the next poll has not found yet).
    fresh = FeedHealth("trades", FeedState.LIVE, since=now - 60, last_good_at=now - 6, interval=4.0)
    quiet = FeedHealth(
        "sol-price", FeedState.LIVE, since=now - 600, last_good_at=now - 200, interval=300.0
    )  # a slow feed is not stale within its own interval
    silent = replace(fresh, feed="coins", last_good_at=now - 20)
    text = render_status(StatusInfo(now=now, feeds=(fresh, quiet, silent)), 160).plain
    assert "● trades" in text
    assert "● sol" in text
    assert "◌ coins stale: no answer for 20s" in text


def test_a_moved_route_and_a_blocked_swap_api_read_in_the_status_bar() -> None:
    """swap-api's 1015 block: the feeds waiting on it are named once with the time left, and
    the host's block is said; a route that moved to its fallback is named (in full when there
    is room, by its view when not)."""
    now = FROZEN_NOW
    limited = tuple(
        FeedHealth(feed, FeedState.RATE_LIMITED, since=now - 5, retry_at=now + 42)
        for feed in ("trades", "activity")
    )
    live = FeedHealth("coins", FeedState.LIVE, since=now - 60, last_good_at=now - 1)
    info = StatusInfo(
        now=now,
        feeds=(live, *limited),
        moved_routes=(("candles", "/v2/coins/{mint}/candles → /v1/coins/{mint}/candles"),),
        blocked_hosts=(("swap-api", now + 42),),
    )
    wide = render_status(info, 160).plain
    assert "◔ trades activity rate limited · retry in 42s" in wide
    assert "swap-api blocked 42s" in wide
    assert "↪ candles: /v2/coins/{mint}/candles → /v1/coins/{mint}/candles" in wide
    narrow = render_status(info, 80).plain
    assert len(narrow) == 80
    assert "◔ trades activity 42s" in narrow
    assert "swap-api blocked 42s" in narrow
    assert "↪ candles" in narrow


async def test_status_bar_shows_moved_routes_from_the_store(make_app: AppFactory) -> None:
    store = frozen_store()
    store.apply(RouteMoved("candles", "/v2/coins/{mint}/candles → /v1/coins/{mint}/candles"))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "↪ candles: /v2/coins/{mint}/candles → /v1/coins/{mint}/candles" in status_text(app)


async def test_sim_shows_whenever_the_server_says_it_is_the_simulator(sim: SimServer) -> None:
    # `pumptui --api-url <simulator>`, not `pumptui demo`: the server's answers say what it is.
    app = PumpApp(sim_services(sim, sim_mode=False))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(CoinTable).row_count > 0)
        # The bar re-reads its source once a second: SIM shows by its next tick at the latest.
        await wait_for(pilot, lambda: status_text(app).rstrip().endswith("SIM"))


async def test_a_mint_the_service_does_not_know_says_so_instead_of_loading(
    sim: SimServer,
) -> None:
    unknown = "So11111111111111111111111111111111111111112"  # a real mint, but no pump.fun coin
    app = PumpApp(sim_services(sim))
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_coin(unknown)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoinScreen)
        await wait_for(pilot, lambda: "Coin not found" in screen.header.header_text(118).plain)
        assert "esc goes back" in screen.header.header_text(118).plain
        await wait_for(pilot, lambda: "Coin not found" in screen_text(app), "it on the terminal")
        assert "esc goes back" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_feed_error_and_its_recovery_show_in_the_status_bar(sim: SimServer) -> None:
    app = PumpApp(sim_services(sim))
    toasts = record_toasts(app)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        store = app.services.store
        await wait_for(
            pilot, lambda: "coins" in store.health and store.health["coins"].state is FeedState.LIVE
        )
        await wait_for(pilot, lambda: app.screen.query_one(CoinTable).row_count > 0)
        sim.set_faults("error=1.0")
        await pilot.press("R")
        await wait_for(pilot, lambda: "✖ coins" in status_text(app))
        assert "server error" in status_text(app)
        # Every feed fails at once: one toast says so, not one per feed.
        await wait_for(pilot, lambda: any("coins" in t and "server error" in t for t in toasts))
        assert len([t for t in toasts if "server error" in t]) == 1
        assert app.is_running
        sim.clear_faults()
        await pilot.press("R")
        await wait_for(pilot, lambda: "✖ coins" not in status_text(app))
        assert "● coins" in status_text(app)
        await wait_for(pilot, lambda: any("live again" in t for t in toasts))


def test_an_error_is_toasted_once_a_while_and_texts_toasted_long_ago_are_forgotten() -> None:
    now = FROZEN_NOW
    services = frozen_services()
    services.clock = lambda: now
    app = PumpApp(services)
    for second in range(600):
        now = FROZEN_NOW + second
        # One text that comes back, and one that differs each time (a wait in seconds).
        app._note_event(EngineError("trades", "unusable trades skipped"))
        app._note_event(EngineError("trades", f"429: wait {second} s"))
    assert app._messages.count("unusable trades skipped") == 600 // TOAST_INTERVAL
    assert len(app._messages) == 600 // TOAST_INTERVAL + 600
    assert len(app._errors_toasted) <= TOAST_INTERVAL + 1


async def test_an_unreachable_server_never_crashes_the_app() -> None:
    settings = Settings(refresh=FAST_REFRESH).with_api_urls("http://127.0.0.1:9")
    settings = replace(settings, api=replace(settings.api, max_retries=0, timeout=1.0))
    app = PumpApp(AppServices.connect(settings, watchlist=MemoryWatchlist()))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "✖ coins" in status_text(app))
        assert "connect" in status_text(app)  # the reason, e.g. "cannot connect"
        await pilot.press("j", "enter", "s")
        assert app.is_running


# -- against the seeded simulator ----------------------------------------------------------------


async def test_home_fills_from_the_simulator_and_opens_a_coin_with_its_trades(
    sim: SimServer,
) -> None:
    app = PumpApp(sim_services(sim))
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one(CoinTable)
        await wait_for(pilot, lambda: table.row_count >= 5)
        assert set(table.shown_mints) <= set(sim.mints())
        await pilot.press("j")
        chosen = table.cursor_mint
        assert chosen is not None
        await pilot.press("enter")
        await pilot.pause()
        assert getattr(app.screen, "mint", None) == chosen
        store = app.services.store
        expected = {t["tx"] for t in sim.trades_of(chosen)}
        if expected:
            await wait_for(pilot, lambda: bool(store.trades(chosen)))
            assert {t.signature for t in store.trades(chosen)} <= expected
        await pilot.press("w", "escape")
        await pilot.pause()
        assert app.services.is_watched(chosen)
        assert table.cursor_mint == chosen
        await pilot.press("W")
        await pilot.pause()
        watched_table = app.screen.query_one(CoinTable)
        await wait_for(pilot, lambda: watched_table.shown_mints == [chosen])
    # Leaving the app stops the engine and closes the client.
    assert app.services.engine is None
    assert app.services.client is None


async def test_new_launches_appear_on_top_while_the_cursor_keeps_its_coin(sim: SimServer) -> None:
    app = PumpApp(sim_services(sim))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(CoinTable)
        await wait_for(pilot, lambda: table.row_count >= 5)
        await pilot.press("j", "j")
        chosen = table.cursor_mint
        launched = sim.create_coin(name="Fresh Launch", symbol="FRESH")
        await pilot.press("R")
        await wait_for(pilot, lambda: bool(table.shown_mints) and table.shown_mints[0] == launched)
        first_row = table.region.y + 1  # under the column labels
        await wait_for(
            pilot,
            lambda: "FRESH" in screen_text(app).splitlines()[first_row],
            "the launch on the table's first row on the terminal",
        )
        assert table.cursor_mint == chosen
        assert table.cursor_row == 3


# -- how it starts -------------------------------------------------------------------------------


def test_demo_starts_the_simulator_runs_the_app_on_it_and_stops_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(self: PumpApp, **kwargs: Any) -> None:
        services = self.services
        seen["url"] = services.settings.api.frontend_url
        seen["sim_mode"] = services.sim_mode
        seen["logged_in"] = services.logged_in
        seen["rpm"] = services.client.budget_for(Host.SWAP).requests_per_minute
        seen["sims"] = list(started)

    started: list[SimServer] = []
    real_start = SimServer.start

    def tracking_start(self: SimServer) -> SimServer:
        started.append(self)
        return real_start(self)

    monkeypatch.setattr(PumpApp, "run", fake_run)
    monkeypatch.setattr(SimServer, "start", tracking_start)
    assert cli_main(["demo", "--seed", "3", "--hot-rate", "0", "--requests-per-minute", "60"]) == 0
    (sim,) = seen["sims"]
    assert sim.market_config.seed == 3
    assert seen["url"].startswith("http://127.0.0.1:")
    assert seen["sim_mode"]
    assert seen["logged_in"]
    assert seen["rpm"] == 60
    with pytest.raises(httpx.ConnectError):  # stopped on exit
        httpx.get(f"{seen['url']}/sol-price", timeout=2.0)


def test_plain_pumptui_opens_on_the_api_url_given(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(self: PumpApp, **kwargs: Any) -> None:
        seen["front"] = self.services.settings.api.frontend_url
        seen["swap"] = self.services.settings.api.swap_url
        seen["indexer"] = self.services.settings.api.indexer_url
        seen["sim_mode"] = self.services.sim_mode

    monkeypatch.setattr(PumpApp, "run", fake_run)
    assert cli_main(["--api-url", "http://127.0.0.1:8123/"]) == 0
    assert seen == {
        "front": "http://127.0.0.1:8123",
        "swap": "http://127.0.0.1:8123",
        "indexer": "http://127.0.0.1:8123",
        "sim_mode": False,
    }


def test_a_broken_config_file_is_reported_not_raised(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[ui\ntheme = 1\n")
    assert cli_main(["--config", str(config)]) == 2
    assert str(config) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({}, "linux", False),
        ({"SSH_CONNECTION": "a b c d", "DISPLAY": ":10"}, "linux", False),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", False),
        ({}, "darwin", True),
        ({"BROWSER": "firefox", "SSH_TTY": "/dev/pts/1"}, "linux", True),
    ],
)
def test_a_browser_is_only_started_where_the_user_can_see_it(
    env: dict[str, str], platform: str, expected: bool
) -> None:
    assert can_open_browser(env, platform) is expected
