"""Freshness benchmark: pumptui's live engine against the guide's pollers, on one market.

One seeded simulator runs in real time. For each rate of the hot coin (1, 10, 50, 200 trades/s)
every contender follows that coin at the same time, for the same window, each identified to the
simulator's rate limiter by its own `x-client-id` and so each with the same per-client budget:

- guide simple:   GET /trades/all/{mint}?limit=10 every 5 s, a `seen` set (the guide's first poller)
- guide etag:     the same URL with limit=20 (the guide's event-driven parameters), If-None-Match
- guide adaptive: AdaptivePoller, 3..30 s, x0.8 when the data changed, x1.2 when not, limit=20
- pumptui push:   LiveEngine as `pumptui demo` runs it: the PumpPortal-style WebSocket delivers
                  the coin's trades, REST confirms them within the same request budget
- pumptui poll:   the same engine with the polling source alone (REST only, as against an API
                  without a push feed), the coin focused, its client budget = the same budget

The guides are re-implemented faithfully (async httpx instead of requests, same logic: sleep
after each poll, no backoff, no special 429 handling, `seen` grows forever).

Ground truth: a WebSocket observer subscribed to the hot coin timestamps every trade the moment
the simulator makes it. Completeness = share of the trades made during the window that a
contender delivered; latency = delivery time - that moment; requests/minute and response body
bytes are counted per contender.

Run: `python benchmarks/freshness.py` (about 4 minutes; see `--help` to shorten it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pumptui.api import PumpClient, RequestBudget
from pumptui.config import ApiSettings
from pumptui.live import LiveEngine, NewTrade
from pumptui.live.push import PushSource, push_url_for
from pumptui.live.sources import PollingSource
from pumptui.sim import MarketConfig, ServerConfig, SimServer

# The real service answers 429 above roughly 25-30 requests a minute per IP. Every contender
# gets this per-client budget from the simulator, and pumptui's engine is configured with it.
BUDGET_PER_MINUTE = 30
RATES = (1.0, 10.0, 50.0, 200.0)
CLIENT_HEADER = "x-client-id"


@dataclass
class Tally:
    """What one contender delivered and what it cost."""

    name: str
    delivered: dict[str, float] = field(default_factory=dict)  # signature -> wall time
    requests: int = 0
    bytes_in: int = 0
    status_429: int = 0
    # For the engine: its client's counters (the guides count as they go).
    counters: Callable[[], tuple[int, int]] | None = None
    at_window: tuple[int, int] = (0, 0)

    def deliver(self, signature: str) -> None:
        self.delivered.setdefault(signature, time.time())

    def snapshot(self) -> tuple[int, int]:
        if self.counters is not None:
            self.requests, self.bytes_in = self.counters()
        return self.requests, self.bytes_in


# -- the guide's pollers, re-implemented faithfully ---------------------------------------------


def _count(tally: Tally, response: httpx.Response) -> None:
    tally.requests += 1
    tally.bytes_in += len(response.content)
    if response.status_code == 429:
        tally.status_429 += 1


async def guide_simple(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """`poll_latest_trades(mint, interval=5)`: limit=10, a `seen` set, sleep after each poll."""
    url = f"{base}/trades/all/{mint}"
    params = {"limit": 10, "offset": 0, "minimumSize": 0}
    last_seen: set[str] = set()
    interval = 5
    while True:
        try:
            response = await http.get(url, params=params)
            _count(tally, response)
            trades = response.json()
            for trade in trades:
                trade_id = trade.get("signature")
                if trade_id and trade_id not in last_seen:
                    last_seen.add(trade_id)
                    tally.deliver(trade_id)
            await asyncio.sleep(interval)
        except (httpx.HTTPError, ValueError, AttributeError, TypeError):
            await asyncio.sleep(interval)


async def guide_etag(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """`smart_poll_with_etag(url, interval=5)` on the trades URL: If-None-Match, 304 skipped."""
    url = f"{base}/trades/all/{mint}?limit=20&offset=0&minimumSize=0"
    headers: dict[str, str] = {}
    etag = None
    interval = 5
    while True:
        try:
            if etag:
                headers["If-None-Match"] = etag
            response = await http.get(url, headers=headers)
            _count(tally, response)
            if response.status_code == 304:
                pass  # "No changes detected"
            elif response.status_code == 200:
                etag = response.headers.get("ETag")
                data = response.json()
                for trade in data:  # "Data updated": every trade in it reaches the user
                    tally.deliver(trade["signature"])
            await asyncio.sleep(interval)
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            await asyncio.sleep(interval)


async def guide_adaptive(http: httpx.AsyncClient, base: str, mint: str, tally: Tally) -> None:
    """`AdaptivePoller(min_interval=3, max_interval=30).poll(params)` on the trades URL."""
    url = f"{base}/trades/all/{mint}"
    params = {"limit": 20, "offset": 0, "minimumSize": 0}
    min_interval, max_interval = 3, 30
    current = float(min_interval)
    last_data = None
    while True:
        try:
            response = await http.get(url, params=params)
            _count(tally, response)
            data = response.json()
            if data != last_data:
                current = max(min_interval, current * 0.8)
            else:
                current = min(max_interval, current * 1.2)
            for trade in data if isinstance(data, list) else []:
                tally.deliver(trade["signature"])
            last_data = data
            await asyncio.sleep(current)
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            await asyncio.sleep(current)


# -- pumptui ------------------------------------------------------------------------------------


class IdentifiedTransport(httpx.AsyncHTTPTransport):
    """Tells the simulator's rate limiter who is asking."""

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers[CLIENT_HEADER] = self.client_id
        return await super().handle_async_request(request)


async def pumptui_engine(base: str, mint: str, tally: Tally, client_id: str,
                         push: bool = False) -> None:
    settings = ApiSettings(frontend_url=base, advanced_url=base,
                           requests_per_minute=BUDGET_PER_MINUTE)
    client = PumpClient(settings, budget=RequestBudget(BUDGET_PER_MINUTE, settings.burst),
                        transport=IdentifiedTransport(client_id))
    # A headless follower: no chart, so no candle backfill (as `pumptui watch --mint`).
    source = PushSource(push_url_for(base), candles=False) if push else PollingSource(
        candles=False)
    engine = LiveEngine(client, visible={"trades"}, source=source)

    def record(event: object) -> bool:
        # Runs synchronously as the engine publishes: the delivery time is exact.
        if isinstance(event, NewTrade) and event.trade.mint == mint and not event.historical:
            tally.deliver(event.trade.signature)
        return False

    engine.bus.subscribe(maxsize=1, accept=record)
    tally.counters = lambda: (client.stats.requests, client.stats.bytes_in)
    try:
        await engine.start()
        engine.focus(mint)
        await asyncio.Event().wait()
    finally:
        tally.snapshot()
        tally.counters = None
        await engine.stop()
        await client.aclose()


# -- ground truth -------------------------------------------------------------------------------


async def observe(base: str, mint: str, born: dict[str, float], ready: asyncio.Event) -> None:
    """The moment each trade of `mint` is made, as the simulator pushes it."""
    url = push_url_for(base) + "?api-key=benchmark"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_str(orjson.dumps({"method": "subscribeTokenTrade", "keys": [mint]}).decode())
        ready.set()
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = orjson.loads(message.data)
            if isinstance(data, dict) and data.get("mint") == mint and "signature" in data:
                born.setdefault(data["signature"], time.time())


# -- one rate -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    completeness: float
    p50: float | None
    p95: float | None
    per_minute: float
    kib: float
    status_429: int


async def run_rate(sim: SimServer, rate: float, duration: float, drain: float, warmup: float,
                   with_push: bool) -> tuple[int, list[Row]]:
    base = sim.base_url
    mint = sim.hot_mint
    sim.set_rates(hot_trades_per_second=rate)
    born: dict[str, float] = {}
    ready = asyncio.Event()
    observer = asyncio.create_task(observe(base, mint, born, ready))
    await asyncio.wait_for(ready.wait(), 10)
    await asyncio.sleep(1.0)  # the observer is subscribed before the window opens

    tag = f"{rate:g}"
    tallies = {name: Tally(name) for name in
               ("guide simple", "guide etag", "guide adaptive", "pumptui push", "pumptui poll")}
    http_clients: list[httpx.AsyncClient] = []

    def guide(name: str, poller: Callable[..., Any]) -> asyncio.Task[None]:
        http = httpx.AsyncClient(headers={CLIENT_HEADER: f"{name}-{tag}",
                                          "Accept": "application/json"}, timeout=10.0)
        http_clients.append(http)
        return asyncio.create_task(poller(http, base, mint, tallies[name]))

    tasks = [
        guide("guide simple", guide_simple),
        guide("guide etag", guide_etag),
        guide("guide adaptive", guide_adaptive),
        asyncio.create_task(pumptui_engine(base, mint, tallies["pumptui poll"],
                                           f"pumptui-poll-{tag}")),
    ]
    if with_push:
        tasks.append(asyncio.create_task(pumptui_engine(
            base, mint, tallies["pumptui push"], f"pumptui-push-{tag}", push=True)))
    # Every contender settles at this rate first (the coin traded at the previous one before).
    await asyncio.sleep(warmup)
    window_start = time.time()
    for tally in tallies.values():
        tally.at_window = tally.snapshot()
    await asyncio.sleep(duration)
    window_end = time.time()
    await asyncio.sleep(drain)  # trades made near the end get their chance to arrive
    for tally in tallies.values():
        tally.snapshot()
    finished = time.time()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for http in http_clients:
        await http.aclose()
    observer.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await observer

    window = {sig: t for sig, t in born.items() if window_start <= t <= window_end}
    minutes = (finished - window_start) / 60
    rows = []
    for name, tally in tallies.items():
        if name == "pumptui push" and not with_push:
            continue
        got = [tally.delivered[sig] - t for sig, t in window.items() if sig in tally.delivered]
        latencies = sorted(max(0.0, x) for x in got)
        rows.append(Row(
            name=name,
            completeness=100.0 * len(got) / max(1, len(window)),
            p50=statistics.median(latencies) if latencies else None,
            p95=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            if latencies else None,
            per_minute=(tally.requests - tally.at_window[0]) / minutes,
            kib=(tally.bytes_in - tally.at_window[1]) / 1024,
            status_429=tally.status_429,
        ))
    return len(window), rows


def _seconds(value: float | None) -> str:
    return "     -" if value is None else f"{value:6.2f}"


def print_rows(rate: float, trades: int, rows: list[Row]) -> None:
    print(f"\nhot coin at {rate:g} trades/s — {trades} trades in the window")
    print(f"  {'contender':<15} {'complete':>9} {'p50 s':>7} {'p95 s':>7} {'req/min':>8} "
          f"{'KiB':>8} {'429s':>5}")
    for row in rows:
        print(f"  {row.name:<15} {row.completeness:8.2f}% {_seconds(row.p50):>7} "
              f"{_seconds(row.p95):>7} {row.per_minute:8.1f} {row.kib:8.1f} {row.status_429:5d}")


def verdict(results: dict[float, list[Row]]) -> None:
    print("\ntargets for pumptui:")
    for name in ("pumptui push", "pumptui poll"):
        if not any(r.name == name for rows in results.values() for r in rows):
            continue
        print(f"  {name}:")
        for rate, rows in results.items():
            mine = next(r for r in rows if r.name == name)
            peers = [r for r in rows if r.name.startswith("guide")
                     and r.completeness >= mine.completeness - 0.05]
            fewer = all(mine.per_minute < r.per_minute for r in peers)
            complete = "100% complete" if mine.completeness >= 99.995 else (
                f"{mine.completeness:.2f}% complete (NOT 100%)")
            cheaper = ("no guide poller reaches that completeness" if not peers else
                       f"{'fewer' if fewer else 'NOT fewer'} requests than the guide pollers "
                       f"that reach it ({', '.join(r.name for r in peers)})")
            print(f"    {rate:>5g}/s: {complete}; {cheaper}")
            if rate == 10.0:
                ok = (mine.p50 is not None and mine.p50 <= 1.0 and mine.p95 is not None
                      and mine.p95 <= 3.0 and mine.per_minute <= 30.0)
                print(f"           latency p50 {_seconds(mine.p50).strip()} s (target ≤ 1), "
                      f"p95 {_seconds(mine.p95).strip()} s (target ≤ 3), "
                      f"{mine.per_minute:.1f} req/min (target ≤ 30): "
                      f"{'met' if ok else 'NOT met'}")
    top = max(results)
    ceiling = min(100.0, 100.0 * BUDGET_PER_MINUTE * 200 / (top * 60))
    print(f"\n  polling alone: at {top:g} trades/s a complete reading needs at least "
          f"{top * 60 / 200:.0f} full pages (200 trades) a minute; the budget is "
          f"{BUDGET_PER_MINUTE}/min, so no poller can deliver more than {ceiling:.0f}% there, and "
          "within 30 requests a minute a poller looks at best every 2 s, so a trade waits 1 s "
          "on median. The push feed has neither limit; its REST check stays within the budget.")


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=35.0,
                        help="seconds of trades measured per rate (default 35)")
    parser.add_argument("--drain", type=float, default=10.0,
                        help="seconds the contenders keep running after the window")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds every contender runs at a rate before the window opens")
    parser.add_argument("--rates", type=str, default=",".join(f"{r:g}" for r in RATES))
    parser.add_argument("--no-push", action="store_true", help="skip the push-source row")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",") if r.strip()]

    sim = SimServer(
        MarketConfig(seed=7, clock="real", warmup=60.0, launches_per_minute=4.0,
                     trades_per_second=2.0, hot_trades_per_second=1.0, replies_per_minute=6.0),
        ServerConfig(rate_limit=BUDGET_PER_MINUTE, rate_limit_window=60.0,
                     rate_limit_by_header=CLIENT_HEADER, push_queue=50_000),
    ).start()
    print("freshness benchmark: one seeded simulated market (seed 7), real time")
    print(f"per-client budget at the simulator: {BUDGET_PER_MINUTE} requests / 60 s window "
          f"(each contender its own); pumptui's engine budget: {BUDGET_PER_MINUTE}/min")
    print(f"per rate: {args.warmup:g} s warm-up, then a {args.duration:g} s window (+"
          f"{args.drain:g} s drain); latency from the moment the simulator made the trade;")
    print("req/min and KiB (response bodies) over the window and drain")
    results: dict[float, list[Row]] = {}
    try:
        for rate in rates:
            trades, rows = await run_rate(sim, rate, args.duration, args.drain, args.warmup,
                                          not args.no_push)
            print_rows(rate, trades, rows)
            results[rate] = rows
    finally:
        sim.stop()
    verdict(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
