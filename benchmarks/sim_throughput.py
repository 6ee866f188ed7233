"""How fast is the embedded simulator? Requests/s served on loopback and trades/s generated.

The simulator is the peer of every client test and benchmark, so it must never be their
bottleneck. Targets (issue 2): at least 1,000 requests/s for cached list endpoints and at least
500 trades/s generated.

HTTP: the simulator runs in its own process (`pumptui sim --port 0 --quiet`, a live market on a
real clock with a hot coin trading 50 times a second), load comes from separate client processes,
each an asyncio aiohttp client holding keep-alive connections, so client and server never share a
GIL. Baseline, measured the same way in the same run: a trivial aiohttp "hello" handler, the
framework's ceiling on this machine.

Engine: `Market.advance_to` alone, timed, with a high hot-coin rate and with the whole market
busy. Baseline: a bare `BondingCurve` buy/sell loop, the ceiling of the curve maths in Python.

    python benchmarks/sim_throughput.py [--seconds 3] [--clients 2] [--connections 16] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import aiohttp

TARGET_CACHED_RPS = 1_000
TARGET_TRADES_PER_SECOND = 500


# -- HTTP load ---------------------------------------------------------------------------


@dataclass
class Scenario:
    """One row: a weighted set of request paths; `revalidate` sends the last ETag back."""

    label: str
    paths: list[tuple[str, float]]
    revalidate: bool = False
    cached_list: bool = False


@dataclass
class LoadResult:
    requests: int = 0
    elapsed: float = 0.0
    not_modified: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)

    def merge(self, other: LoadResult) -> None:
        self.requests += other.requests
        self.elapsed = max(self.elapsed, other.elapsed)
        self.not_modified += other.not_modified
        self.failed += other.failed
        self.latencies += other.latencies


async def _load(
    base_url: str, scenario: Scenario, seconds: float, connections: int, seed: int
) -> LoadResult:
    rng = random.Random(seed)
    paths = [p for p, _ in scenario.paths]
    weights = [w for _, w in scenario.paths]
    result = LoadResult()
    etags: dict[str, str] = {}
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        # Open the connections before the clock starts.
        await asyncio.gather(*(_fetch(session, "/sol-price", {}) for _ in range(connections)))
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                path = rng.choices(paths, weights)[0]
                headers = {}
                if scenario.revalidate and path in etags:
                    headers["If-None-Match"] = etags[path]
                started = time.perf_counter()
                status, etag = await _fetch(session, path, headers)
                result.latencies.append(time.perf_counter() - started)
                result.requests += 1
                if status == 304:
                    result.not_modified += 1
                elif status != 200:
                    result.failed += 1
                if etag:
                    etags[path] = etag

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        result.elapsed = time.perf_counter() - started
    return result


async def _fetch(
    session: aiohttp.ClientSession, path: str, headers: dict[str, str]
) -> tuple[int, str | None]:
    async with session.get(path, headers=headers) as response:
        await response.read()
        return response.status, response.headers.get("ETag")


def _load_process(
    base_url: str, scenario: Scenario, seconds: float, connections: int, seed: int, out: mp.Queue
) -> None:
    out.put(asyncio.run(_load(base_url, scenario, seconds, connections, seed)))


def drive(
    base_url: str, scenario: Scenario, seconds: float, clients: int, connections: int
) -> LoadResult:
    """Run `clients` load processes at once against one server; their results merged."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    procs = [
        ctx.Process(target=_load_process, args=(base_url, scenario, seconds, connections, i, out))
        for i in range(clients)
    ]
    for proc in procs:
        proc.start()
    total = LoadResult()
    for _ in procs:
        total.merge(out.get(timeout=seconds + 60))
    for proc in procs:
        proc.join(timeout=10)
    return total


# -- servers -----------------------------------------------------------------------------


@contextmanager
def server_process(argv: list[str]) -> Iterator[str]:
    """Start a server that prints its base URL as the first line of stdout; stop it after."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"server did not announce a loopback URL: {url!r}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve_hello() -> None:
    """The baseline server: aiohttp with one trivial JSON handler and nothing else."""
    from aiohttp import web

    body = b'{"hello":"world"}'

    async def hello(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", hello)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def sim_argv() -> list[str]:
    return [
        sys.executable,
        "-m",
        "pumptui",
        "sim",
        "--port",
        "0",
        "--quiet",
        "--seed",
        "1",
        "--warmup",
        "600",
        "--hot-rate",
        "50",
        "--rate-limit",
        "1000000000",
    ]


def hello_argv() -> list[str]:
    return [sys.executable, os.path.abspath(__file__), "--serve-hello"]


async def _discover(base_url: str) -> tuple[list[str], str]:
    async with aiohttp.ClientSession(base_url) as session:
        async with session.get("/coins", params={"limit": "20"}) as response:
            mints = [c["mint"] for c in await response.json()]
        async with session.get("/_sim/state") as response:
            hot = (await response.json())["hot_mint"]
    return mints, hot


def scenarios(mints: list[str], hot: str) -> list[Scenario]:
    quiet = mints[-10:]
    each = 1.0 / len(quiet)
    return [
        Scenario(
            "GET /coins?limit=50 (cached list)",
            [("/coins?limit=50&sort=created_timestamp&order=DESC", 1.0)],
            cached_list=True,
        ),
        Scenario(
            "GET /coins 4 sorts (cached lists)",
            [
                (f"/coins?limit=50&sort={s}", 1.0)
                for s in ("created_timestamp", "market_cap", "last_trade_timestamp", "last_reply")
            ],
            cached_list=True,
        ),
        Scenario("GET /coins-v3/{mint} (10 coins)", [(f"/coins-v3/{m}", each) for m in quiet]),
        Scenario(
            "GET /v2/coins/{hot}/trades?limit=100 (50/s)",
            [(f"/v2/coins/{hot}/trades?limit=100", 1.0)],
        ),
        Scenario(
            "304 revalidation of /coins-v3/{mint}",
            [(f"/coins-v3/{m}", each) for m in quiet],
            revalidate=True,
        ),
        Scenario(
            "mix, revalidating: list/coin/trades/sol-price",
            [
                ("/coins?limit=50", 0.4),
                *((f"/coins-v3/{m}", 0.2 / len(quiet)) for m in quiet),
                (f"/v2/coins/{hot}/trades?limit=100", 0.2),
                ("/sol-price", 0.2),
            ],
            revalidate=True,
        ),
    ]


# -- engine ------------------------------------------------------------------------------


def curve_loop_rate(seconds: float) -> float:
    """Trades/s of bare curve maths: alternate buys and sells of what was bought."""
    from pumptui.sim.curve import BondingCurve

    curve = BondingCurve()
    rng = random.Random(1)
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        for _ in range(1000):
            fill = curve.buy(int(rng.lognormvariate(19.7, 1.1)) + 1_000_000)
            curve.sell(fill.token_amount)
        done += 2000
    return done / (time.perf_counter() - started)


def market_rate(market_seconds: float, **rates: float) -> tuple[float, int]:
    """(trades/s, trades) for `Market.advance_to` over `market_seconds` of market time."""
    from pumptui.sim import Market, MarketConfig

    config = MarketConfig(seed=1, clock="manual", warmup=0.0, **rates)
    market = Market(config)
    before = market.trades_total
    market.clock.advance(market_seconds)
    started = time.perf_counter()
    market.advance_to(market.clock.now())
    elapsed = time.perf_counter() - started
    made = market.trades_total - before
    return made / elapsed, made


# -- report ------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per row")
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    parser.add_argument(
        "--connections", type=int, default=16, help="keep-alive connections per client process"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--serve-hello", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_hello:
        serve_hello()
        return 0

    print(
        f"pumptui simulator throughput: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, aiohttp {aiohttp.__version__}; {args.clients} client "
        f"processes x {args.connections} keep-alive connections, {args.seconds:g} s a row"
    )
    print()
    header = (
        f"{'HTTP on loopback':<50}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'304':>7}"
        f"{'errors':>8}{'vs hello':>10}"
    )
    print(header)
    print("-" * len(header))

    def row(label: str, result: LoadResult, baseline: float | None) -> float:
        rps = result.requests / result.elapsed if result.elapsed else 0.0
        share_304 = f"{result.not_modified / result.requests:.0%}" if result.requests else "-"
        versus = f"{rps / baseline:.0%}" if baseline else "-"
        print(
            f"{label:<50}{rps:>9,.0f}{_ms(result.latencies, 0.5):>9.1f}"
            f"{_ms(result.latencies, 0.99):>9.1f}{share_304:>7}{result.failed:>8}"
            f"{versus:>10}",
            flush=True,
        )
        return rps

    with server_process(hello_argv()) as hello_url:
        hello = drive(
            hello_url, Scenario("hello", [("/", 1.0)]), args.seconds, args.clients, args.connections
        )
    baseline = row('baseline: aiohttp "hello" handler', hello, None)

    cached_rates: list[float] = []
    with server_process(sim_argv()) as sim_url:
        mints, hot = asyncio.run(_discover(sim_url))
        for scenario in scenarios(mints, hot):
            result = drive(sim_url, scenario, args.seconds, args.clients, args.connections)
            rps = row(scenario.label, result, baseline)
            if scenario.cached_list:
                cached_rates.append(rps)

    print()
    header = f"{'Engine (Market.advance_to, no HTTP)':<50}{'trades/s':>12}{'trades':>10}"
    print(header)
    print("-" * len(header))
    curve_rate = curve_loop_rate(min(args.seconds, 2.0))
    print(f"{'baseline: bare BondingCurve buy/sell loop':<50}{curve_rate:>12,.0f}{'-':>10}")
    engine_rates: list[float] = []
    for label, seconds, rates in (
        (
            "hot coin alone, 5,000 trades/s asked",
            10.0,
            {"hot_trades_per_second": 5000.0, "trades_per_second": 0.0, "launches_per_minute": 0.0},
        ),
        (
            "whole market: 500 trades/s, 60 launches/min",
            60.0,
            {"trades_per_second": 500.0, "launches_per_minute": 60.0},
        ),
        (
            "whole market and hot coin at 2,000/s",
            20.0,
            {
                "trades_per_second": 200.0,
                "launches_per_minute": 30.0,
                "hot_trades_per_second": 2000.0,
            },
        ),
    ):
        rate, made = market_rate(seconds, **rates)
        engine_rates.append(rate)
        print(f"{label:<50}{rate:>12,.0f}{made:>10,}", flush=True)

    print()
    cached_ok = bool(cached_rates) and min(cached_rates) >= TARGET_CACHED_RPS
    engine_ok = min(engine_rates) >= TARGET_TRADES_PER_SECOND
    print(
        f"target: cached lists >= {TARGET_CACHED_RPS:,} req/s: "
        f"{'met' if cached_ok else 'MISSED'} (slowest {min(cached_rates):,.0f})"
    )
    print(
        f"target: engine >= {TARGET_TRADES_PER_SECOND:,} trades/s: "
        f"{'met' if engine_ok else 'MISSED'} (slowest {min(engine_rates):,.0f})"
    )
    if statistics.fmean(cached_rates) < baseline * 0.2:
        print("note: the simulator serves under a fifth of the framework's ceiling")
    return 1 if args.check and not (cached_ok and engine_ok) else 0


if __name__ == "__main__":
    raise SystemExit(main())
