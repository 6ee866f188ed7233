"""`pumptui sim`: run the embedded Pump.fun simulator standalone, with a live summary."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pumptui.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sim",
        help="run the embedded Pump.fun simulator",
        description="Serve a seeded, simulated Pump.fun market on a loopback port. Admin "
        "endpoints under /_sim/ control the clock, faults and rates.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--seed", type=int, default=1, help="market seed (same seed, same market)")
    parser.add_argument("--speed", type=float, default=1.0, help="market seconds per real second")
    parser.add_argument("--warmup", type=float, default=900.0, help="seconds of history at start")
    parser.add_argument(
        "--launches",
        type=float,
        help="coin launches per minute (default: the real service's rate in its quietest hour)",
    )
    parser.add_argument("--trades", type=float, default=8.0, help="trades per second overall")
    parser.add_argument(
        "--hot-rate", type=float, default=0.0, help="trades per second on one designated hot coin"
    )
    parser.add_argument(
        "--hostile",
        type=float,
        default=0.0,
        help="share of names, callouts and chat made of hostile text (0..1)",
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=None,
        help="one limit (requests per window per client) for every v3 group "
        "and swap-api; default: the real per-group figures and swap's 20",
    )
    parser.add_argument(
        "--swap-limit",
        type=int,
        default=None,
        help="swap-api's Cloudflare rule: requests per window per client "
        "before a 1015 block (default 20, or --rate-limit)",
    )
    parser.add_argument("--rate-window", type=float, default=60.0, help="rate-limit window (s)")
    parser.add_argument(
        "--rate-limit-by",
        metavar="HEADER",
        help="identify clients by this header instead of their address",
    )
    parser.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help='e.g. "error=0.1,429=0.05,timeout=0.01,drop=0.01,truncate=0.01,'
        "malformed=0.01,html=0.01,challenge=0.01,blocked=0.01,latency=50ms,jitter=20ms,"
        'paths=^/v2/,for=60s"',
    )
    parser.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="WALLET",
        help="wallet allowed to moderate (repeatable)",
    )
    for route, flag in (("/auth/login", "--cookie-login"), ("/auth/login/token", "--token-login")):
        parser.add_argument(
            flag,
            choices=("open", "unrouted", "refused"),
            default="open",
            help=f"what POST {route} does: sign in (default), answer 404 "
            "Cannot POST, or refuse every signature with 401",
        )
    parser.add_argument("--quiet", action="store_true", help="no live summary line")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pumptui.sim import FaultPlan, MarketConfig, ServerConfig, SimServer
    from pumptui.sim.market import DEMO_SERIAL_LAUNCH_SHARE

    try:
        faults = FaultPlan.parse(args.faults) if args.faults else None
    except ValueError as exc:
        print(f"pumptui sim: bad --faults: {exc}", file=sys.stderr)
        return EXIT_USAGE
    market = MarketConfig(
        seed=args.seed,
        clock="real",
        speed=args.speed,
        warmup=args.warmup,
        launches_per_minute=(
            MarketConfig.launches_per_minute if args.launches is None else args.launches
        ),
        trades_per_second=args.trades,
        hot_trades_per_second=args.hot_rate,
        serial_launch_share=DEMO_SERIAL_LAUNCH_SHARE,
        hostile_share=args.hostile,
    )
    server = ServerConfig(
        host=args.host,
        port=args.port,
        rate_limit=args.rate_limit,
        swap_limit=args.swap_limit,
        rate_limit_window=args.rate_window,
        rate_limit_by_header=args.rate_limit_by,
        admin_wallets=tuple(args.admin),
        faults=faults,
        cookie_login=args.cookie_login,
        token_login=args.token_login,
    )
    sim = SimServer(market, server)

    async def main() -> None:
        announced = asyncio.Event()

        def on_ready(ready: SimServer) -> None:
            _announce(ready)
            announced.set()

        task = asyncio.create_task(sim.serve(on_ready=on_ready))
        try:
            while not task.done():
                await asyncio.sleep(1.0)
                # The status line (rewritten in place, no newline) starts only once the URL is
                # out on its own line: after a slow start it would otherwise be glued onto it.
                if not args.quiet and announced.is_set():
                    _summary(sim)
        finally:
            sim.stop_soon()
            await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("\nsimulator stopped", file=sys.stderr)
    except OSError as exc:
        print(
            f"pumptui sim: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _announce(sim: object) -> None:
    from pumptui.sim import SimServer

    assert isinstance(sim, SimServer)
    print(sim.base_url, flush=True)
    print(
        f"admin wallet: {sim.admin_address} (keypair: fixed test key; see README)", file=sys.stderr
    )


def _summary(sim: object) -> None:
    from pumptui.sim import SimServer

    assert isinstance(sim, SimServer)
    assert sim.state is not None
    snap = sim.state.market.snapshot()
    line = (
        f"\rcoins {snap['coins']:>5}  active {snap['active']:>4}  trades "
        f"{snap['trades_total']:>8}  callouts {snap['callouts']:>5}  "
        f"SOL ${snap['sol_price']:.2f}"
        f"  requests {sim.state.requests:>7}"
    )
    print(line, end="", file=sys.stderr, flush=True)
