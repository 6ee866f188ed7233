"""Freshness benchmark: following one coin's trades under the 2026 budgets (swap-api 15/min).

Pump.fun's 2026 API serves a coin's trades only from swap-api (`GET /v2/coins/{mint}/trades`,
at most 100 a page, newest first, a cursor to walk back), behind a Cloudflare rule of about 20
requests a minute per IP over every swap route; a breach blocks the IP for 35-60 s, and each
request during the block extends it. pumptui's default swap budget is 15 requests a minute.

One seeded simulator runs in real time (wall-clock latency), with swap's rule at its real figure
(20 per 60 s, block 35-60 s) and v3's real per-group limits. For each rate of the followed coin
(1, 5, 10, 50 trades/s) every contender follows that coin at the same time, for the same window.
They run SIDE BY SIDE, each from its OWN loopback source address (127.0.<rate>.<n>, all inside
127.0.0.0/8, bound with httpx's `local_address`): the simulator keys its limits by the peer
address, so each contender has its own IP's limit, as each user has in real life, and a new set
of addresses per rate means no block carries over from one rate to the next.

Contenders, all on the same 15 requests a minute of swap-api:
- guide simple:   the polling guide's `poll_latest_trades` ported to the 2026 route: the newest
                  10 trades every 5 s, a `seen` set (12 req/min)
- guide etag:     `smart_poll_with_etag` on the same route, limit 20 (the guide's event-driven
                  parameters), If-None-Match, every trade of a 200 reaches the user (12 req/min)
- guide adaptive: `AdaptivePoller` on the same route, limit 20, x0.8 on change, x1.2 without;
                  its 3 s floor raised to 4 s, which is the 15/min budget (3 s is 20/min, the
                  Cloudflare limit itself)
- newest-100:     the best a poller without a cursor can do on the budget: the newest 100
                  trades every 4 s (15/min), a `seen` set
- pumptui poll:   the live engine as shipped (`LiveEngine` + `PumpClient` with the default
                  `ApiSettings` budgets, its own `HostBudgets` as its own process would have),
                  following the coin headless as `pumptui watch --mint` does (`engine.focus`,
                  trades feed only, no candle backfill): the cursor follower walks back through
                  every gap as far as the budget allows
- pumptui push:   the same engine with `PushSource` on the simulator's PumpPortal socket
                  (`/api/data`) with a key: trades arrive pushed, REST confirms them

Ground truth: a WebSocket observer subscribed to the coin (with a key) timestamps every trade the
moment the simulator makes it. Per contender, over the window (plus a drain so late trades can
arrive): completeness (share of the window's trades delivered), against what its own requests
carried (the window's trades that were in any answer it received: a poller cannot deliver more)
and against the arithmetic ceiling of its budget (pages a minute x trades a page), duplicates
(deliveries beyond the first of the same trade), median and p95 delay (delivery minus that
moment), the longest silent stretch (longest time in the window with no new trade reaching the
contender, beside the market's own longest pause), requests a minute actually sent (all hosts;
swap alone), 429s received and kilobytes of answers a minute.

The arithmetic ceiling of polling is printed beside the figures: 15 requests/min x 100 trades a
page = 25 trades/s at most (less any swap request spent on candles or activity), so at 50
trades/s polling alone cannot exceed 50 %; a poller with smaller pages has a lower ceiling.

Run: `python benchmarks/freshness.py` (about 14 minutes: 5 rates x (30 s warm-up + 120 s window
+ 15 s drain)); `--quick` is a smoke run of about 3 minutes. To set pumptui's polling against an
earlier version of itself, run that version's code with `--code DIR --save before.json`, then
this one with `--compare before.json`: the figures print side by side, "before" beside "after":

    python benchmarks/freshness.py --rates 200 --contenders "pumptui poll" \
        --code /path/to/main --save before.json
    python benchmarks/freshness.py --rates 200 --contenders "pumptui poll" --compare before.json

`--from-rate 5` keeps the coin at 5 trades/s through each warm-up and jumps to the measured rate
as the window opens: a flood that starts while the contenders follow the coin.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import itertools
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson

# The pumptui measured: this checkout's, or the one `--code DIR` names (a baseline).
sys.path.insert(
    0,
    str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve())
    if "--code" in sys.argv[:-1]
    else str(Path(__file__).resolve().parent.parent),
)

import pumptui
from pumptui.api import PumpClient
from pumptui.api.budget import HostBudgets
from pumptui.config import ApiSettings
from pumptui.live import LiveEngine, NewTrade
from pumptui.live.push import PushSource, push_url_for
from pumptui.live.sources import PollingSource
from pumptui.secret import Secret
from pumptui.sim import MarketConfig, ServerConfig, SimServer

RATES = (1.0, 5.0, 10.0, 50.0, 200.0)
DEFAULTS = ApiSettings()
SWAP_BUDGET = DEFAULTS.swap_requests_per_minute  # 15 requests a minute
TRADES_PAGE = 100  # swap-api's largest page
PUSH_KEY = Secret("benchmark-key")  # the simulator accepts any key


# -- what each contender sends and gets ----------------------------------------------------------


class Wire(httpx.AsyncHTTPTransport):
    """A contender's own source address, and what it actually sent and got back."""

    def __init__(self, address: str) -> None:
        super().__init__(local_address=address)
        self.address = address
        self.requests = 0
        self.swap_requests = 0
        self.status_429 = 0
        self.bytes = 0
        # Each trade signature any answer carried, with when it first did.
        self.carried: dict[str, float] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if request.url.path.startswith(("/v1/", "/v2/")):
            self.swap_requests += 1
        response = await super().handle_async_request(request)
        if response.status_code == 429:
            self.status_429 += 1
        # Read here (the body is kept for the caller): what it weighs and which trades it holds.
        body = await response.aread()
        self.bytes += response.num_bytes_downloaded
        if response.status_code == 200 and request.url.path.endswith("/trades"):
            now = time.time()
            with contextlib.suppress(ValueError):
                for trade in _trades_of(orjson.loads(body)):
                    if isinstance(trade.get("tx"), str):
                        self.carried.setdefault(trade["tx"], now)
        return response

    def counters(self) -> tuple[int, int, int, int]:
        return self.requests, self.swap_requests, self.status_429, self.bytes


@dataclass
class Tally:
    """What one contender delivered (first time and count per signature) and what it cost."""

    name: str
    wire: Wire
    ceiling_tps: float | None  # trades a second its polling can carry at most; None: push
    first: dict[str, float] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    at_window: tuple[int, int, int, int] = (0, 0, 0, 0)

    def deliver(self, signature: str) -> None:
        self.first.setdefault(signature, time.time())
        self.count[signature] = self.count.get(signature, 0) + 1


# -- the guide's pollers, ported to the 2026 route ------------------------------------------------
# Same logic as the guide (sleep after each poll, no backoff, no special 429 handling, `seen`
# grows forever); async httpx instead of requests; `tx` is the 2026 trade's signature.


def _trades_url(base: str, mint: str) -> str:
    return f"{base}/v2/coins/{mint}/trades"


def _trades_of(payload: Any) -> list[dict[str, Any]]:
    trades = payload.get("trades") if isinstance(payload, dict) else None
    return [t for t in trades if isinstance(t, dict)] if isinstance(trades, list) else []


async def guide_simple(
    http: httpx.AsyncClient,
    base: str,
    mint: str,
    tally: Tally,
    limit: int = 10,
    interval: float = 5.0,
) -> None:
    """`poll_latest_trades(mint, interval=5)`: the newest `limit`, a `seen` set."""
    url = _trades_url(base, mint)
    params = {"limit": limit}
    last_seen: set[str] = set()
    while True:
        try:
            response = await http.get(url, params=params)
            for trade in _trades_of(response.json()):
                trade_id = trade.get("tx")
                if trade_id and trade_id not in last_seen:
                    last_seen.add(trade_id)
                    tally.deliver(trade_id)
            await asyncio.sleep(interval)
        except (httpx.HTTPError, ValueError):
            await asyncio.sleep(interval)


async def guide_etag(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """`smart_poll_with_etag(url, interval=5)` on the trades route: If-None-Match, 304 skipped."""
    url = f"{_trades_url(base, mint)}?limit=20"
    headers: dict[str, str] = {}
    etag = None
    interval = 5
    while True:
        try:
            if etag:
                headers["If-None-Match"] = etag
            response = await http.get(url, headers=headers)
            if response.status_code == 304:
                pass  # "No changes detected"
            elif response.status_code == 200:
                etag = response.headers.get("ETag")
                for trade in _trades_of(response.json()):  # "Data updated": shown to the user
                    tally.deliver(trade["tx"])
            await asyncio.sleep(interval)
        except (httpx.HTTPError, ValueError, KeyError):
            await asyncio.sleep(interval)


async def guide_adaptive(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """`AdaptivePoller(min_interval=4, max_interval=30).poll(params)` on the trades route (the
    guide's floor of 3 s is 20 requests a minute: the Cloudflare limit, not the budget)."""
    url = _trades_url(base, mint)
    params = {"limit": 20}
    min_interval, max_interval = 60.0 / SWAP_BUDGET, 30.0
    current = min_interval
    last_data = None
    while True:
        try:
            response = await http.get(url, params=params)
            data = response.json()
            if data != last_data:
                current = max(min_interval, current * 0.8)
            else:
                current = min(max_interval, current * 1.2)
            for trade in _trades_of(data):
                tally.deliver(trade["tx"])
            last_data = data
            await asyncio.sleep(current)
        except (httpx.HTTPError, ValueError, KeyError):
            await asyncio.sleep(current)


async def newest_100(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """A cursorless poller using the whole budget: the newest 100 every 4 s."""
    await guide_simple(http, base, mint, tally, limit=TRADES_PAGE, interval=60.0 / SWAP_BUDGET)


# -- pumptui --------------------------------------------------------------------------------------


async def pumptui_engine(base: str, mint: str, tally: Tally, push: bool) -> None:
    """The live engine as shipped, pointed at the simulator, following `mint` headless."""
    settings = ApiSettings(frontend_url=base, swap_url=base, indexer_url=base)
    # Its own budgets, sized by the default settings: what its own process would have.
    budgets = HostBudgets(
        frontend_per_minute=settings.frontend_requests_per_minute,
        swap_per_minute=settings.swap_requests_per_minute,
        indexer_per_minute=settings.indexer_requests_per_minute,
        burst=settings.burst,
    )
    client = PumpClient(settings, budgets=budgets, transport=tally.wire)
    source = (
        PushSource(push_url_for(base), api_key=PUSH_KEY, candles=False)
        if push
        else PollingSource(candles=False)
    )
    engine = LiveEngine(client, visible={"trades"}, source=source)

    def record(event: object) -> bool:
        # Runs synchronously as the engine publishes: the delivery time is exact.
        if isinstance(event, NewTrade) and event.trade.mint == mint and not event.historical:
            tally.deliver(event.trade.signature)
        return False

    engine.bus.subscribe(maxsize=1, accept=record)
    try:
        await engine.start()
        engine.focus(mint)
        await asyncio.Event().wait()
    finally:
        await engine.stop()
        await client.aclose()


# -- ground truth ---------------------------------------------------------------------------------


async def observe(base: str, mint: str, born: dict[str, float], ready: asyncio.Event) -> None:
    """The moment each trade of `mint` is made, as the simulator pushes it."""
    url = push_url_for(base) + f"?api-key={PUSH_KEY.reveal()}"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_str(orjson.dumps({"method": "subscribeTokenTrade", "keys": [mint]}).decode())
        ready.set()
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = orjson.loads(message.data)
            if isinstance(data, dict) and data.get("mint") == mint and "signature" in data:
                born.setdefault(data["signature"], time.time())


# -- one rate -------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    completeness: float
    ceiling: float | None  # % the contender's polling could carry at this rate, None: push
    carried: float  # % of the window's trades that were in an answer it received
    of_carried: float  # % of those it delivered
    of_ceiling: float | None  # completeness / ceiling, %; None: push
    kb_per_minute: float  # answers received, kilobytes a minute
    duplicates: int
    p50: float | None
    p95: float | None
    silent: float
    per_minute: float
    swap_per_minute: float
    status_429: int


Poller = Callable[[httpx.AsyncClient, str, str, Tally], Coroutine[Any, Any, None]]
# name -> (guide poller or None for the engine, push?, trades a second its polling can carry)
CONTENDERS: dict[str, tuple[Poller | None, bool, float | None]] = {
    "guide simple": (guide_simple, False, 10 / 5.0),
    "guide etag": (guide_etag, False, 20 / 5.0),
    "guide adaptive": (guide_adaptive, False, 20 / (60.0 / SWAP_BUDGET)),
    "newest-100": (newest_100, False, TRADES_PAGE * SWAP_BUDGET / 60.0),
    "pumptui poll": (None, False, TRADES_PAGE * SWAP_BUDGET / 60.0),
    "pumptui push": (None, True, None),
}


def _longest_silence(times: list[float], start: float, end: float) -> float:
    points = [start, *sorted(t for t in times if start <= t <= end), end]
    return max(b - a for a, b in itertools.pairwise(points))


async def run_rate(
    sim: SimServer,
    index: int,
    rate: float,
    duration: float,
    drain: float,
    warmup: float,
    names: list[str],
    from_rate: float | None = None,
) -> tuple[int, float, list[Row]]:
    base = sim.base_url
    mint = sim.hot_mint
    # With `from_rate`, the coin trades at that rate through the warm-up and jumps to `rate` as
    # the window opens: a flood that starts while the contenders follow the coin.
    sim.set_rates(hot_trades_per_second=rate if from_rate is None else from_rate)
    born: dict[str, float] = {}
    ready = asyncio.Event()
    observer = asyncio.create_task(observe(base, mint, born, ready))
    await asyncio.wait_for(ready.wait(), 10)
    await asyncio.sleep(1.0)  # the observer is subscribed before anyone starts

    tallies: dict[str, Tally] = {}
    tasks: list[asyncio.Task[None]] = []
    http_clients: list[httpx.AsyncClient] = []
    for n, name in enumerate(names):
        poller, push, ceiling = CONTENDERS[name]
        # Its own IP: 127.0.<rate>.<n>, a fresh set per rate (no block carries over).
        tally = Tally(name, Wire(f"127.0.{index + 1}.{n + 2}"), ceiling)
        tallies[name] = tally
        if poller is None:
            tasks.append(asyncio.create_task(pumptui_engine(base, mint, tally, push)))
        else:
            http = httpx.AsyncClient(
                transport=tally.wire, timeout=10.0, headers={"Accept": "application/json"}
            )
            http_clients.append(http)
            tasks.append(asyncio.create_task(poller(http, base, mint, tally)))
    # Every contender settles at this rate first (the coin traded at the previous one before).
    await asyncio.sleep(warmup)
    sim.set_rates(hot_trades_per_second=rate)
    window_start = time.time()
    for tally in tallies.values():
        tally.at_window = tally.wire.counters()
    await asyncio.sleep(duration)
    window_end = time.time()
    await asyncio.sleep(drain)  # trades made near the end get their chance to arrive
    finished = time.time()
    ends = {name: tally.wire.counters() for name, tally in tallies.items()}
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for http in http_clients:
        await http.aclose()
    observer.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await observer

    window = {sig: t for sig, t in born.items() if window_start <= t <= window_end}
    market_silence = _longest_silence(list(window.values()), window_start, window_end)
    minutes = (finished - window_start) / 60
    rows = []
    for name, tally in tallies.items():
        got = [tally.first[sig] - t for sig, t in window.items() if sig in tally.first]
        delays = sorted(max(0.0, x) for x in got)
        requests, swap, status_429, received = (
            e - s for e, s in zip(ends[name], tally.at_window, strict=True)
        )
        carried = [sig for sig in window if sig in tally.wire.carried]
        completeness = 100.0 * len(got) / max(1, len(window))
        ceiling = (
            None if tally.ceiling_tps is None else min(100.0, 100.0 * tally.ceiling_tps / rate)
        )
        rows.append(
            Row(
                name=name,
                completeness=completeness,
                ceiling=ceiling,
                carried=100.0 * len(carried) / max(1, len(window)),
                of_carried=100.0
                * sum(sig in tally.first for sig in carried)
                / max(1, len(carried)),
                of_ceiling=None if ceiling is None else 100.0 * completeness / ceiling,
                kb_per_minute=received / 1000 / minutes,
                duplicates=sum(tally.count[sig] - 1 for sig in window if sig in tally.count),
                p50=statistics.median(delays) if delays else None,
                p95=delays[min(len(delays) - 1, int(0.95 * len(delays)))] if delays else None,
                silent=_longest_silence(
                    [tally.first[s] for s in window if s in tally.first], window_start, window_end
                ),
                per_minute=requests / minutes,
                swap_per_minute=swap / minutes,
                status_429=status_429,
            )
        )
    return len(window), market_silence, rows


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ceiling(value: float | None) -> str:
    return "push" if value is None else f"≤{value:.0f}%"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


HEADER = (
    f"  {'contender':<22} {'complete':>9} {'ceiling':>8} {'of ceil':>8} {'carried':>8} "
    f"{'of carr':>8} {'dups':>5} {'p50 s':>7} {'p95 s':>7} {'silent s':>9} {'swap/min':>9} "
    f"{'429s':>5} {'KB/min':>8}"
)


def _row_line(r: Row, label: str) -> str:
    return (
        f"  {label:<22} {r.completeness:8.2f}% {_ceiling(r.ceiling):>8} "
        f"{_percent(r.of_ceiling):>8} {r.carried:7.2f}% {r.of_carried:7.1f}% {r.duplicates:5d} "
        f"{_seconds(r.p50):>7} {_seconds(r.p95):>7} {r.silent:9.1f} {r.swap_per_minute:9.1f} "
        f"{r.status_429:5d} {r.kb_per_minute:8.1f}"
    )


def print_rows(
    rate: float,
    trades: int,
    market_silence: float,
    rows: list[Row],
    before: list[Row] | None = None,
) -> None:
    polling = min(100.0, 100.0 * TRADES_PAGE * SWAP_BUDGET / 60.0 / rate)
    print(
        f"\ncoin at {rate:g} trades/s: {trades} trades in the window, the market's longest "
        f"pause {market_silence:.1f} s; polling ceiling {SWAP_BUDGET:g}/min x {TRADES_PAGE} "
        f"= {TRADES_PAGE * SWAP_BUDGET / 60:g} trades/s -> ≤{polling:.0f}% at {rate:g}/s"
    )
    print(HEADER)
    earlier = {r.name: r for r in before or []}
    for r in rows:
        if r.name in earlier:
            print(_row_line(earlier[r.name], f"{r.name} (before)"))
            print(_row_line(r, f"{r.name} (after)"))
        else:
            print(_row_line(r, r.name))
    sys.stdout.flush()


def print_markdown(
    results: dict[float, tuple[int, float, list[Row]]],
    before: dict[float, list[Row]] | None = None,
) -> None:
    """The same figures as one Markdown table (for the README)."""
    print(
        "\n| rate | contender | complete | ceiling | of ceiling | carried | of carried | dups | "
        "p50 s | p95 s | silent s | swap req/min | 429s | KB/min |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for rate, (_, _, rows) in results.items():
        earlier = {r.name: r for r in (before or {}).get(rate, [])}
        for r in rows:
            pairs = [(f"{r.name} (before)", earlier[r.name])] if r.name in earlier else []
            pairs.append((f"{r.name} (after)" if pairs else r.name, r))
            for label, row in pairs:
                print(
                    f"| {rate:g}/s | {label} | {row.completeness:.1f}% | {_ceiling(row.ceiling)} | "
                    f"{_percent(row.of_ceiling)} | {row.carried:.1f}% | {row.of_carried:.1f}% | "
                    f"{row.duplicates} | {_seconds(row.p50)} | {_seconds(row.p95)} | "
                    f"{row.silent:.1f} | {row.swap_per_minute:.1f} | {row.status_429} | "
                    f"{row.kb_per_minute:.0f} |"
                )


def load_rows(path: str) -> dict[float, list[Row]]:
    """Rows saved by `--save`, by rate."""
    saved = orjson.loads(Path(path).read_bytes())
    return {float(rate): [Row(**row) for row in rows] for rate, rows in saved.items()}


def save_rows(path: str, results: dict[float, tuple[int, float, list[Row]]]) -> None:
    data = {
        str(rate): [dataclasses.asdict(r) for r in rows] for rate, (_, _, rows) in results.items()
    }
    Path(path).write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--window",
        "--duration",
        dest="duration",
        type=float,
        default=120.0,
        help="seconds of trades measured per rate, after the warm-up (default 120)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=15.0,
        help="seconds the contenders keep running after the window (default 15)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=30.0,
        help="seconds every contender runs at a rate before the window opens (default 30)",
    )
    parser.add_argument("--rates", type=str, default=",".join(f"{r:g}" for r in RATES))
    parser.add_argument(
        "--contenders",
        type=str,
        default=",".join(CONTENDERS),
        help="comma-separated subset of: " + ", ".join(CONTENDERS),
    )
    parser.add_argument(
        "--from-rate",
        type=float,
        metavar="RATE",
        help="the coin trades at RATE through the warm-up and jumps to each measured rate as "
        "the window opens (a flood that starts while the contenders follow the coin)",
    )
    parser.add_argument(
        "--code",
        metavar="DIR",
        help="measure the pumptui in this checkout instead of this one's (for a baseline)",
    )
    parser.add_argument("--save", metavar="FILE", help="write the rows as JSON (a baseline)")
    parser.add_argument(
        "--compare",
        metavar="FILE",
        help="print each pumptui row beside the same row saved by --save (before / after)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 8 s warm-up, 20 s window, 5 s drain per rate",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.warmup, args.duration, args.drain = 8.0, 20.0, 5.0
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    names = [n.strip() for n in args.contenders.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONTENDERS]
    if unknown:
        parser.error(f"unknown contenders: {', '.join(unknown)}")

    sim = SimServer(
        MarketConfig(
            seed=7,
            clock="real",
            warmup=60.0,
            launches_per_minute=4.0,
            trades_per_second=2.0,
            hot_trades_per_second=1.0,
            replies_per_minute=6.0,
        ),
        # The real limits: swap's Cloudflare rule (20 per 60 s per IP, block 35-60 s), v3's
        # groups; keyed by the peer address.
        ServerConfig(push_queue=50_000),
    ).start()
    config = sim.server_config
    print(
        "freshness benchmark: one seeded simulated market (seed 7), real time; "
        "a shared 2-core machine"
    )
    print(
        f"simulator: swap-api {config.swap_requests()} requests / "
        f"{config.rate_limit_window:g} s per IP, block {config.swap_block[0]:g}-"
        f"{config.swap_block[1]:g} s; every contender its own loopback IP"
    )
    print(
        f"every contender on swap-api's budget of {SWAP_BUDGET:g} requests/min (pumptui: the "
        "default ApiSettings)"
    )
    print(
        f"per rate: {args.warmup:g} s warm-up, a {args.duration:g} s window, {args.drain:g} s "
        "drain; delay from the moment the simulator made the trade; req/min over window+drain"
    )
    if args.from_rate is not None:
        print(
            f"the coin trades at {args.from_rate:g}/s through each warm-up and jumps to the "
            "measured rate as the window opens"
        )
    print(f"pumptui measured: {pumptui.__file__.rsplit('/pumptui/', 1)[0]}")
    before = load_rows(args.compare) if args.compare else None
    results: dict[float, tuple[int, float, list[Row]]] = {}
    started = time.monotonic()
    try:
        for index, rate in enumerate(rates):
            result = await run_rate(
                sim, index, rate, args.duration, args.drain, args.warmup, names, args.from_rate
            )
            print_rows(rate, *result, before=(before or {}).get(rate))
            results[rate] = result
    finally:
        sim.stop()
    if args.save:
        save_rows(args.save, results)
    print_markdown(results, before)
    print(
        f"\nceiling: polling reads at most {SWAP_BUDGET:g} pages of {TRADES_PAGE} a minute = "
        f"{TRADES_PAGE * SWAP_BUDGET / 60:g} trades/s (less what candles and activity take "
        "from the same budget); above that only push can be complete. The guide's pages of "
        "10-20 every 4-5 s carry 2-5 trades/s."
    )
    print(f"run took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
