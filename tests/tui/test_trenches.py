"""The trenches screen: new, graduating and graduated coins in live columns.

What a trader relies on: a coin pushed over the graduation threshold on the simulator moves from
New to Graduating to Graduated on screen as it happens, marked where it lands; the cursor stays
on its coin while rows move around it, and goes with it when it changes column; an 80×24
terminal shows one column at a time and the switch keys change it; Enter opens the coin.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from pumptui.api.budget import RequestBudget
from pumptui.api.models import BoardEntry
from pumptui.config import ApiSettings, RefreshSettings, Settings
from pumptui.live.events import BoardChanged
from pumptui.live.store import BoardRead
from pumptui.sim import SimServer
from pumptui.sim.curve import INITIAL_REAL_TOKENS
from pumptui.sim.trenches import GRADUATING_PROGRESS
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.screens.trenches import TrenchesScreen, board_title
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.widgets.board_column import BoardRowContext, label_lines, row_lines
from pumptui.tui.widgets.board_stages import Move, StageMoves, stage_columns
from tests.helpers.pilot import wait_for
from tests.tui.conftest import FROZEN_NOW, screen_text
from tests.tui.trenches_support import frozen_boards, trenches_store

NARROW = (80, 24)


def live_app(sim: SimServer) -> PumpApp:
    settings = Settings(
        api=ApiSettings(burst=50, timeout=2.0, max_retries=1),
        refresh=RefreshSettings(coins_min=0.5, coins_max=2.0),
    ).with_api_urls(sim.base_url)
    services = AppServices.connect(
        settings,
        sim_mode=True,
        watchlist=MemoryWatchlist(),
        timeout=2.0,
        budget=RequestBudget(6000, 50),
    )
    return PumpApp(services)


async def open_trenches(pilot: Pilot[None]) -> TrenchesScreen:
    await pilot.press("N")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TrenchesScreen), "the screen")
    screen = pilot.app.screen
    assert isinstance(screen, TrenchesScreen)
    return screen


def sold(sim: SimServer, mint: str) -> float:
    """The share of the curve's tokens sold (what the boards' stages are decided by)."""
    return sim.call(lambda: 1 - sim.market.coins[mint].curve.real_tokens / INITIAL_REAL_TOKENS)


def pump(sim: SimServer, mint: str, until: Callable[[], bool]) -> None:
    """Buy the coin, a few SOL at a time, until `until` holds; then let a market second pass
    (boards are recomputed, and their deltas sent, once a market second)."""
    while not until():
        sim.buy(mint, sol=3.0)
    sim.advance(1.0)


def row_text(app: PumpApp, symbol: str) -> str:
    """The screen's line that shows the coin (its first line)."""
    return next(line for line in screen_text(app).splitlines() if f" {symbol} " in line)


async def test_a_coin_pushed_over_the_threshold_moves_from_new_to_graduating_to_graduated(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = sim.create_coin(name="Rocket Frog", symbol="RKTF")
    sim.advance(1.0)
    app = live_app(sim)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_trenches(pilot)
        new = screen.column("new")
        await wait_for(pilot, lambda: mint in new.mints, "the launch in New")
        assert new.cursor_mint == mint, "the newest coin, at the top, under the cursor"

        # Rows move in place: launches push the coin down, the cursor stays on it.
        launched = [sim.create_coin(name=f"Later {n}", symbol=f"LAT{n}") for n in range(3)]
        sim.advance(1.0)
        await wait_for(pilot, lambda: new.mints[:3] == launched[::-1], "the launches on top")
        assert new.cursor_mint == mint
        assert new.cursor_row == new.mints.index(mint) == 3

        # Over 70 % of the curve sold: the final stretch.
        pump(sim, mint, lambda: sold(sim, mint) >= GRADUATING_PROGRESS + 0.05)
        graduating = screen.column("graduating")
        await wait_for(pilot, lambda: mint in graduating.mints, "the coin in Graduating")
        await pilot.pause()
        assert mint not in new.mints, "each coin in one column: its furthest stage"
        assert screen.stage == "graduating", "the cursor went with its coin"
        assert graduating.cursor_mint == mint
        assert screen.moves.stage_of(mint) == "graduating"
        assert "Graduating" in screen_text(app).splitlines()[1], "that column is on screen"
        assert "▲" in row_text(app, "RKTF"), "marked as having moved up a stage"

        # The curve completes: graduated.
        pump(sim, mint, lambda: sim.call(lambda: sim.market.coins[mint].curve.complete))
        graduated = screen.column("graduated")
        await wait_for(pilot, lambda: mint in graduated.mints, "the coin in Graduated")
        await pilot.pause()
        assert mint not in graduating.mints
        assert screen.stage == "graduated"
        assert graduated.cursor_mint == mint
        assert "▲" in row_text(app, "RKTF")
        engine = app.services.engine
        assert engine is not None
        assert engine.trenches is not None
        assert engine.trenches.boards == ("new", "graduating", "graduated")

        # Enter opens the coin; back on the trenches, leaving them closes the graduated board.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the coin screen")
        coin_screen = app.screen
        assert isinstance(coin_screen, CoinScreen)
        assert coin_screen.mint == mint
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back on the trenches")
        assert engine.trenches.boards == ("new", "graduating", "graduated")
        # `N` from the coin screen: a fresh trenches screen, the board still open for it.
        await pilot.press("enter", "N")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, TrenchesScreen) and app.screen is not screen,
            "the trenches again",
        )
        await wait_for(pilot, lambda: not screen.is_attached, "the first one gone")
        assert engine.trenches.boards == ("new", "graduating", "graduated")
        await pilot.press("escape")
        await wait_for(pilot, lambda: engine.trenches.boards == ("new", "graduating"), "closed")


async def test_80x24_shows_one_column_and_the_keys_switch_it(
    make_app: Callable[..., PumpApp],
) -> None:
    app = make_app(trenches_store())
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_trenches(pilot)

        def shown() -> list[str]:
            return [s for s in ("new", "graduating", "graduated") if screen.column(s).size.width]

        await pilot.pause()
        assert shown() == ["new"]
        assert screen.column("new").size.width == NARROW[0]
        for keys, stage in (
            (["2"], "graduating"),
            (["3"], "graduated"),
            (["right"], "new"),
            (["left"], "graduated"),
            (["1"], "new"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            assert shown() == [stage], keys
            assert screen.stage == stage
            assert app.focused is screen.column(stage)


async def test_a_wide_terminal_shows_the_three_columns(make_app: Callable[..., PumpApp]) -> None:
    app = make_app(trenches_store())
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_trenches(pilot)
        await pilot.pause()
        widths = [screen.column(s).size.width for s in ("new", "graduating", "graduated")]
        assert all(width >= 36 for width in widths), widths
        await pilot.press("right")
        assert app.focused is screen.column("graduating")


async def test_the_cursor_stays_on_its_coin_while_rows_move(
    make_app: Callable[..., PumpApp],
) -> None:
    store = trenches_store()
    app = make_app(store)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_trenches(pilot)
        new = screen.column("new")
        await pilot.press("j", "j")
        chosen = new.cursor_mint
        assert chosen == new.mints[2]
        # The board reorders: the last coin first, the chosen one last.
        entries = list(store.board("new"))
        picked = next(e for e in entries if e.mint == chosen)
        others = [e for e in entries if e.mint != chosen]
        store.apply(BoardChanged("new", (*others[::-1], picked), version=99, read_at=FROZEN_NOW))
        screen.redraw()
        await pilot.pause()
        assert new.mints[-1] == chosen
        assert new.cursor_mint == chosen
        assert new.cursor_row == len(new.mints) - 1
        # The coin leaves every board: the cursor stays where it was, on the coin there now.
        store.apply(BoardChanged("new", tuple(others), version=100, read_at=FROZEN_NOW))
        screen.redraw()
        await pilot.pause()
        assert chosen not in new.mints
        assert new.cursor_row == len(new.mints) - 1
        assert new.cursor_mint == new.mints[-1]
        assert screen.stage == "new"


async def test_watch_and_copy_act_on_the_coin_under_the_cursor(
    make_app: Callable[..., PumpApp],
) -> None:
    app = make_app(trenches_store())
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_trenches(pilot)
        await pilot.press("2", "j")
        mint = screen.column("graduating").cursor_mint
        assert mint == screen.column("graduating").mints[1]
        await pilot.press("w")
        await pilot.pause()
        assert app.services.is_watched(mint)
        symbol = next(e.symbol for e in app.services.store.board("graduating") if e.mint == mint)
        assert "★" in row_text(app, symbol)
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("c")
        assert copied == [mint]


# -- the parts, without an app ---------------------------------------------------------------


def entry(mint: str, **fields: object) -> BoardEntry:
    return BoardEntry(mint=mint, name=mint.title(), symbol=mint.upper(), **fields)  # type: ignore[arg-type]


def test_each_coin_shows_once_in_its_furthest_stage() -> None:
    a, b, c = entry("a"), entry("b"), entry("c")
    columns = stage_columns({"new": [a, b, c], "graduating": [c, b], "graduated": [c]})
    assert [[e.mint for e in column] for column in columns.values()] == [["a"], ["b"], ["c"]]


def test_a_coin_that_changes_column_is_a_move_for_a_while() -> None:
    moves = StageMoves(move_seconds=10.0, settle_seconds=3.0)
    a, b = entry("a"), entry("b")
    moves.update({"new": [a, b], "graduating": [], "graduated": []}, 100.0)
    assert moves.found == []
    shown = moves.update({"new": [b], "graduating": [a], "graduated": []}, 101.0)
    assert shown == {"new": [b], "graduating": [a], "graduated": []}
    assert moves.found == [Move("new", "graduating", 101.0)]
    assert moves.found[0].up
    assert moves.recent("a", 111.0) == Move("new", "graduating", 101.0)
    assert moves.recent("a", 111.5) is None
    # Falling back under the threshold is a move too, down, once it has lasted.
    back = {"new": [a, b], "graduating": [], "graduated": []}
    assert moves.update(back, 120.0)["graduating"] == [a]
    assert moves.found == []
    assert moves.update(back, 123.5) == back
    assert moves.found == [Move("graduating", "new", 123.5)]
    assert not moves.found[0].up
    # A coin seen for the first time in a later stage has not moved.
    moves.update({"new": [], "graduating": [], "graduated": [entry("c")]}, 124.0)
    assert moves.found == []


def test_a_coin_graduating_while_the_boards_disagree_never_falls_back_to_new() -> None:
    """The graduating board drops the coin before the graduated board lists it, while the new
    board (its delta not in yet) still does: the coin keeps its place until it graduates."""
    moves = StageMoves(settle_seconds=3.0)
    a, b, c = entry("a"), entry("b"), entry("c")
    moves.update({"new": [a], "graduating": [b, c], "graduated": []}, 100.0)
    shown = moves.update({"new": [a, c], "graduating": [b], "graduated": []}, 101.0)
    assert shown == {"new": [a], "graduating": [b, c], "graduated": []}
    assert moves.found == []
    shown = moves.update({"new": [a], "graduating": [b], "graduated": [c]}, 102.0)
    assert shown == {"new": [a], "graduating": [b], "graduated": [c]}
    assert moves.found == [Move("graduating", "graduated", 102.0)]


def test_rows_and_labels_fill_their_width_on_one_line_or_two() -> None:
    boards = frozen_boards()
    context = BoardRowContext(now=FROZEN_NOW)
    for width in (80, 62, 61, 38):
        labels = label_lines(width)
        for shown in boards["new"]:
            lines = row_lines(shown, context, width)
            assert len(lines) == len(labels) == (1 if width >= 62 else 2)
            assert lines[0].cell_len == labels[0].cell_len == width


def test_a_row_shows_every_figure_of_the_entry() -> None:
    shown = entry(
        "pepe",
        market_cap_usd=23_400.0,
        age_seconds=125.0,
        curve_percent=81.6,
        volume_usd_5m=4_510.0,
        holders=321,
        top10_percent=44.4,
        dev_percent=12.0,
        snipers=7,
    )
    line = row_lines(shown, BoardRowContext(now=FROZEN_NOW), 80)[0].plain
    assert line.split() == ["2m", "PEPE", "Pepe", "$23.4k", "82%", "321", "44", "12", "7", "$4.51k"]


def test_a_board_title_says_how_fresh_it_is_and_how_it_came() -> None:
    now = FROZEN_NOW
    assert board_title("new", 3, BoardRead(12, now - 2), now).plain == "New 3 · ● live 2s"
    assert board_title("graduated", 0, BoardRead(None, now - 25), now).plain == (
        "Graduated 0 · ◑ HTTP 25s"
    )
    assert board_title("new", 3, BoardRead(12, now - 45), now).plain == "New 3 · ◌ quiet 45s"
    assert board_title("graduating", 0, None, now).plain == "Graduating 0 · ○ connecting"
