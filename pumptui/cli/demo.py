"""`pumptui demo`: the TUI on the embedded simulator, in-process; no network, no account.

The simulator serves both API hosts on one loopback port; the app talks to it over real HTTP,
exactly as it talks to Pump.fun. The status bar says SIM. The demo is logged in as the
simulator's user, so actions that need an account work, and its watchlist is kept apart from the
real one (simulated mints mean nothing to the real API).

Push is on by default: the simulator serves a PumpPortal-shaped WebSocket at `/api/data`, so the
demo shows trades the moment they happen; `--no-push` shows the same market by polling alone.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

from pumptui.config import ConfigError

DEMO_STATE_FILE = "demo-social.sqlite3"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="open the TUI on the embedded simulator (no network needed)",
        description="Start the seeded market simulator in-process and open the TUI on it.",
    )
    parser.add_argument("--seed", type=int, default=7, help="market seed (default: 7)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="market time per real second (default: 1.0)"
    )
    parser.add_argument(
        "--hot-rate",
        type=float,
        default=3.0,
        metavar="TPS",
        help="trades a second of one hot coin, 0 for none (default: 3)",
    )
    parser.add_argument(
        "--requests-per-minute",
        dest="demo_requests_per_minute",
        type=float,
        default=None,
        metavar="N",
        help="one request budget for every host together (default: the real per-host budgets "
        "of the config, e.g. 15 a minute on swap-api, as against the real service)",
    )
    parser.add_argument(
        "--no-push",
        dest="push",
        action="store_const",
        const="",
        default=argparse.SUPPRESS,
        help="poll only, without the simulator's WebSocket (to compare with push)",
    )
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from pumptui.cli.app import settings_from_args
    from pumptui.config import PUSH_AUTO

    rpm = args.demo_requests_per_minute
    if args.speed <= 0 or args.hot_rate < 0 or (rpm is not None and rpm <= 0):
        print(
            "pumptui demo: --speed and --requests-per-minute must be positive, "
            "--hot-rate not negative",
            file=sys.stderr,
        )
        return 2
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        print(f"pumptui: {exc}", file=sys.stderr)
        return 2

    from pumptui.config import data_dir
    from pumptui.sim import MarketConfig, ServerConfig, SimServer
    from pumptui.sim.market import MarketError
    from pumptui.tui.app import PumpApp
    from pumptui.tui.services import AppServices, MemoryWatchlist, Watchlist

    sim = SimServer(
        MarketConfig(
            seed=args.seed, clock="real", speed=args.speed, hot_trades_per_second=args.hot_rate
        ),
        ServerConfig(),
    ).start()
    try:
        # The demo wallet holds a little of every coin listed at start, so posting a callout
        # (the wallet must hold the coin) can be tried on any of them.
        for mint in {sim.hot_mint, *sim.mints()}:
            with contextlib.suppress(MarketError):  # a graduated coin has no curve to buy on
                sim.buy(mint, sol=0.01)
        watchlist: Watchlist
        try:
            from pumptui.social.state import SocialState

            watchlist = SocialState(data_dir() / DEMO_STATE_FILE)
        except Exception:
            watchlist = MemoryWatchlist()
        services = AppServices.for_simulator(
            sim,
            settings,
            requests_per_minute=rpm,
            watchlist=watchlist,
            push=getattr(args, "push", PUSH_AUTO) != "",
        )
        app = PumpApp(services)
        app.run(mouse=settings.ui.mouse)
        return app.return_code or 0
    finally:
        sim.stop()
