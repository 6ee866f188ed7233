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
from typing import TYPE_CHECKING

from pumptui.cli.options import EXIT_OK, EXIT_USAGE, add_config_option

if TYPE_CHECKING:
    from pumptui.config import Settings
    from pumptui.sim import SimServer
    from pumptui.tui.services import AppServices, Watchlist

# The demo's login: long enough for any session, minted by the simulator for its own user.
DEMO_TOKEN_LIFETIME = 30 * 86400.0


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
    add_config_option(parser)
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from pumptui.cli.app import check_keymap
    from pumptui.cli.options import settings_from_args
    from pumptui.config import PUSH_AUTO

    rpm = args.demo_requests_per_minute
    if args.speed <= 0 or args.hot_rate < 0 or (rpm is not None and rpm <= 0):
        print(
            "pumptui demo: --speed and --requests-per-minute must be positive, "
            "--hot-rate not negative",
            file=sys.stderr,
        )
        return EXIT_USAGE
    settings = settings_from_args(args)  # a ConfigError is one line and status 2 (cli.main)
    check_keymap(settings)

    from pumptui.sim import MarketConfig, ServerConfig, SimServer
    from pumptui.sim.market import DEMO_SERIAL_LAUNCH_SHARE, MarketError
    from pumptui.tui.app import PumpApp
    from pumptui.tui.services import open_watchlist

    sim = SimServer(
        MarketConfig(
            seed=args.seed,
            clock="real",
            speed=args.speed,
            hot_trades_per_second=args.hot_rate,
            serial_launch_share=DEMO_SERIAL_LAUNCH_SHARE,
        ),
        ServerConfig(),
    ).start()
    try:
        # The demo wallet holds a little of every coin listed at start, so posting a callout
        # (the wallet must hold the coin) can be tried on any of them.
        for mint in {sim.hot_mint, *sim.mints()}:
            with contextlib.suppress(MarketError):  # a graduated coin has no curve to buy on
                sim.buy(mint, sol=0.01)
        services = simulator_services(
            sim,
            settings,
            requests_per_minute=rpm,
            watchlist=open_watchlist(demo=True),
            push=getattr(args, "push", PUSH_AUTO) != "",
        )
        app = PumpApp(services)
        app.social.print_local_problem(sys.stderr)
        app.run(mouse=settings.ui.mouse)
        return app.return_code or EXIT_OK
    finally:
        sim.stop()


def simulator_services(
    sim: SimServer,
    settings: Settings,
    *,
    requests_per_minute: float | None = None,
    watchlist: Watchlist | None = None,
    push: bool = True,
) -> AppServices:
    """The app's services on the embedded simulator (`pumptui demo`, the screenshot script),
    logged in as the simulator's user so that actions needing an account work.

    The wiring lives here, not in the TUI: the app is handed services and never learns that a
    simulator exists (its SIM badge comes from the server's header and `sim_mode`).

    `push` listens to the simulator's own WebSocket (whatever the config's `[push]` says:
    simulated mints mean nothing elsewhere), without the user's PumpPortal key.

    Budgets: by default the real service's, per host (swap-api 15 a minute for every swap
    route, v3 per route group, from `settings.api`), in buckets of this app's own (the
    simulator is its own server, so the process-wide buckets are not drawn on).
    `requests_per_minute` instead puts every request on one bucket of that size (tests and
    screenshots, which must not wait on swap-api's budget).
    """
    from dataclasses import replace

    from pumptui.api.budget import HostBudgets, RequestBudget
    from pumptui.auth import ResolvedToken
    from pumptui.config import PUSH_AUTO, PushSettings
    from pumptui.secret import Secret
    from pumptui.tui.services import AppServices, MemoryWatchlist

    settings = settings.with_api_urls(sim.base_url)
    settings = replace(settings, push=PushSettings(url=PUSH_AUTO if push else ""))
    api = settings.api
    budget = (
        RequestBudget(requests_per_minute, api.burst) if requests_per_minute is not None else None
    )
    budgets = HostBudgets(
        frontend_per_minute=api.frontend_requests_per_minute,
        swap_per_minute=api.swap_requests_per_minute,
        indexer_per_minute=api.indexer_requests_per_minute,
        burst=api.burst,
    )
    token = ResolvedToken(
        Secret(sim.token_for(sim.user_address, lifetime=DEMO_TOKEN_LIFETIME)),
        "simulator",
        sim.user_address,
    )
    return AppServices.connect(
        settings,
        token=token,
        sim_mode=True,
        watchlist=watchlist if watchlist is not None else MemoryWatchlist(),
        budget=budget,
        budgets=budgets,
    )
