"""SVG screenshots of every screen from the seeded demo: `python scripts/screenshots.py DIR`.

The README's pictures come from here (`make screenshots`), and so does its keys table
(`DIR/keys.md`, generated from the bindings). The app runs headless on the embedded
simulator (seed 7, the same market `pumptui demo` shows), wired as the demo wires it
(`pumptui.cli.demo`), through the real client and engine; the script waits until each screen
has live data before it takes the picture.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from pumptui.alerts import make_rule
from pumptui.cli.demo import simulator_services
from pumptui.config import Settings
from pumptui.sim import MarketConfig, ServerConfig, SimServer
from pumptui.sim.market import DEMO_SERIAL_LAUNCH_SHARE
from pumptui.tui.app import PumpApp
from pumptui.tui.services import MemoryWatchlist
from pumptui.tui.widgets.coin_table import CoinTable

SIZE = (120, 36)
NARROW = (80, 24)
# Long enough for the engine to list coins and follow trades; never hangs the script.
WAIT_LIMIT = 30.0


async def _until(
    condition: Callable[[], bool],
    pause: Callable[[float], Awaitable[None]],
    limit: float = WAIT_LIMIT,
) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await pause(0.2)


async def capture(*, seed: int = 7) -> dict[str, str]:
    """Take the screenshots; returns SVG text by file name."""
    sim = SimServer(
        MarketConfig(
            seed=seed,
            clock="real",
            warmup=900.0,
            trades_per_second=8.0,
            hot_trades_per_second=4.0,
            serial_launch_share=DEMO_SERIAL_LAUNCH_SHARE,
        ),
        ServerConfig(rate_limit=100_000),
    ).start()
    try:
        shots = await _shoot(sim, SIZE, every_screen=True)
        shots.update(await _shoot(sim, NARROW, every_screen=False))
    finally:
        sim.stop()
    return shots


async def _shoot(sim: SimServer, size: tuple[int, int], *, every_screen: bool) -> dict[str, str]:
    services = simulator_services(
        sim, Settings(), requests_per_minute=600.0, watchlist=MemoryWatchlist()
    )
    app = PumpApp(services)
    store = services.store
    suffix = "" if size == SIZE else f"-{size[0]}x{size[1]}"
    shots: dict[str, str] = {}

    def save(name: str) -> None:
        shots[f"{name}{suffix}.svg"] = app.export_screenshot(title=f"pumptui · {name}")

    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one(CoinTable)
        await _until(lambda: table.row_count >= 20, pilot.pause)
        # Home's tape holds the trades of followed coins (there is no site-wide tape): follow
        # the hot coin and two others first, as a user would.
        hot = sim.hot_mint
        for mint in (hot, *table.shown_mints[1:3]):
            if not services.is_watched(mint):
                services.toggle_watch(mint)
        await _until(lambda: len(store.site_trades(5)) >= 5, pilot.pause)
        await pilot.pause(1.0)
        save("home")
        if not every_screen:
            return shots
        # Two holders call the hot coin, so its callouts pane has something to show.
        sim.post_callout(hot, "Dev locked the LP and keeps buying: this runs to graduation.")
        sim.post_callout(hot, "Chart is a cup and handle on the 5m, volume rising. Sized in.")
        app.open_coin(hot)

        def chat_shown() -> bool:
            chat = services.chat_view(hot)
            return chat is not None and len(chat.messages) >= 5

        await _until(
            lambda: (
                len(store.trades(hot)) >= 30
                and store.holders(hot) is not None
                and store.market_activity(hot) is not None
                and bool(store.callouts(hot))
                and chat_shown()
            ),
            pilot.pause,
        )
        await pilot.pause(2.0)
        save("coin")
        await pilot.press("C")  # the creator's view: every coin the hot coin's creator launched
        hot_coin = store.coin(hot)
        creator = hot_coin.creator if hot_coin is not None else None
        await _until(
            lambda: creator is None or store.creator_coins(creator) is not None, pilot.pause
        )
        await pilot.pause(1.0)
        save("creator")
        await pilot.press("escape")
        await pilot.pause(0.5)
        await pilot.press("i")
        await pilot.pause(0.5)
        save("coin-holders")
        await pilot.press("i")
        await pilot.press("question_mark")
        await pilot.pause(0.5)
        save("help")
        await pilot.press("escape", "W")
        await pilot.pause(2.0)
        save("watchlist")
        await pilot.press("escape")
        await pilot.pause(0.5)
        await pilot.press("colon", *"laser")
        await pilot.pause(1.0)
        save("palette")
        await pilot.press("escape", "N")
        await _until(
            lambda: all(store.board_read(b) for b in ("new", "graduating", "graduated")),
            pilot.pause,
        )
        await pilot.pause(1.0)
        save("trenches")
        # Alerts as a trader would set them (the app's own rules, as a coin's form and Home's `F`
        # make them); a whale then buys the hot coin, so the history has a firing to show.
        app.add_alert(
            make_rule("event = trade and side = sell and by = dev", mint=hot, name="HOT dev sells")
        )
        app.add_alert(
            make_rule(
                "event = trade and side = buy and whale = yes", mint=hot, name="HOT whale buys"
            )
        )
        app.add_alert(
            make_rule("mc > 8k and holders >= 10", scope="new", cooldown=600, name="fresh runners")
        )
        await pilot.press("escape", "A")
        sim.buy(hot, sol=8.0)
        await _until(lambda: bool(services.alerts.history), pilot.pause)
        app.clear_notifications()
        await pilot.pause(1.0)
        save("alerts")
    return shots


def keys_table() -> str:
    """The README's keys table, generated from the bindings so it cannot drift from them."""
    from textual.binding import Binding

    from pumptui.tui.keys import (
        APP_BINDINGS,
        BACK_BINDINGS,
        COIN_LIST_BINDINGS,
        TABLE_BINDINGS,
        binding_rows,
    )

    groups = [
        ("Everywhere", [*APP_BINDINGS, *BACK_BINDINGS]),
        ("Coin tables", TABLE_BINDINGS),
        ("Home and Watchlist", COIN_LIST_BINDINGS),
    ]
    from pumptui.tui.screens.coin import COIN_BINDINGS
    from pumptui.tui.social import SOCIAL_BINDINGS
    from pumptui.tui.widgets.candle_chart import CandleChart
    from pumptui.tui.widgets.trade_tape import TAPE_BINDINGS

    groups.append(("Coin screen", COIN_BINDINGS))
    groups.append(("Chart in focus", [b for b in CandleChart.BINDINGS if isinstance(b, Binding)]))
    groups.append(("Trades in focus", TAPE_BINDINGS))
    groups.append(("Social", SOCIAL_BINDINGS))
    from pumptui.tui.screens.trenches import TRENCHES_BINDINGS

    groups.append(("Trenches", TRENCHES_BINDINGS))
    from pumptui.tui.keys import ALERTS_BINDINGS, COIN_ALERT_BINDING, FILTER_ALERT_BINDING

    groups.append(("Home", [FILTER_ALERT_BINDING]))
    groups.append(("Coin screen", [COIN_ALERT_BINDING]))
    groups.append(("Alerts screen", ALERTS_BINDINGS))
    lines = ["| Where | Keys | Action | Id (for `[keymap]`) |", "|---|---|---|---|"]
    for where, bindings in groups:
        for ident, keys, what in binding_rows(bindings):
            shown = ", ".join(f"`{k.strip()}`" for k in keys.split(", "))
            lines.append(f"| {where} | {shown} | {what} | `{ident}` |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/screenshots.py",
        description="Write SVG screenshots of each screen.",
    )
    parser.add_argument("directory", type=Path, help="where to write the SVG files")
    parser.add_argument("--seed", type=int, default=7, help="market seed (default: 7)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        # The pictures' alerts, watchlist and drafts are the script's, never the user's files.
        os.environ["PUMPTUI_DATA_DIR"] = scratch
        files = asyncio.run(capture(seed=args.seed))
    files["keys.md"] = keys_table()
    args.directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = args.directory / name
        path.write_text(content, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
