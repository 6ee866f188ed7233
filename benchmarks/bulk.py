"""Bulk coin look-ups: pumptui's `fetch_coins` as shipped against the guide's two examples.

All three run in this process, one after the other, on the same mints, against the same
simulator with the same faults (by default 10% of requests answer 500/502/503, plus 30 ms of
latency) and the real 2026 limits: `POST /coins-v2/mints` is its own v3 route group, 30 requests
per 60 s per IP, 429 + `Retry-After` beyond. Each contender sends from its own loopback address
(127.0.0.2 pumptui, 127.0.0.3 and 127.0.0.4 the guide; the simulator keys its limits by the peer
address), so none inherits another's window; each size gets a fresh simulator.

pumptui runs as shipped: `PumpClient` with the budgets `pumptui coins` builds from the default
settings (`frontend_requests_per_minute` 24 for each v3 group, burst 3: about half the server's
30), batches of 50, 4 workers. The budget sets its pace, so its time is judged against the
arithmetic floor of that budget: the requests the run needed (one per batch of 50, plus one for
each fault answer it drew: no client can avoid resending those) less the burst, at 24 a minute.
Target: within 15% of that floor, 0 lost, 0 unaccounted, no 429.

The baselines are the guide's code (seeds/000, the bulk operations guide) with `requests` swapped
for `httpx` (same behaviour; `requests` is not a dependency here), its dead URL
(`advanced-api-v2/coins/mints`) replaced by today's `POST /coins-v2/mints`, and one charitable
fix: it only accepts status 200, but the service answers the POST with 201, so taken literally
it would lose every batch. Its prints are counted, not printed.
- "Error handling in bulk operations" (`BulkOperationHandler`): batches of 50, one at a time,
  0.5 s apart, a 429 retried after 1 and 2 s, anything else given up;
- "Parallel batch processing" (`fetch_coins_parallel`): batches of 50 on 5 threads, no retry.

    .venv/bin/python benchmarks/bulk.py [--mints 1000,5000] [--error-rate 0.1] [--latency-ms 30]
                                        [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pumptui.api import Outcome, PumpClient, fetch_coins
from pumptui.api.budget import HostBudgets
from pumptui.base58 import b58encode
from pumptui.config import ApiSettings
from pumptui.sim import FaultPlan, MarketConfig, ServerConfig, SimServer

PUMPTUI_ADDRESS = "127.0.0.2"
GUIDE_ADDRESS = "127.0.0.3"
GUIDE_PARALLEL_ADDRESS = "127.0.0.4"
BULK_GROUP = "coins-v2-mints"  # the v3 route group of POST /coins-v2/mints
TARGET_ABOVE_FLOOR = 0.15


class CountingTransport(httpx.AsyncHTTPTransport):
    """pumptui's own source address, and the 429s and server faults it got back."""

    def __init__(self, address: str) -> None:
        super().__init__(local_address=address)
        self.status_429 = 0
        self.faults = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if response.status_code == 429:
            self.status_429 += 1
        elif response.status_code >= 500:
            self.faults += 1
        return response


# -- the guide's code, as written (see the module docstring for the deviations) -----------------


class GuideBulkOperationHandler:
    def __init__(self, token: str, base_url: str, max_retries: int = 3) -> None:
        self.token = token
        self.max_retries = max_retries
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.url = base_url + "/coins-v2/mints"  # the guide: advanced-api-v2 /coins/mints
        self.http = httpx.Client(transport=httpx.HTTPTransport(local_address=GUIDE_ADDRESS))
        self.requests = 0
        self.status_429 = 0
        self.printed_lines = 0

    def print(self, *args: object) -> None:
        self.printed_lines += 1

    def fetch_coins_with_retry(self, mints: list[str]) -> list[dict[str, Any]] | None:
        data = {"mints": mints}
        for attempt in range(self.max_retries):
            try:
                self.requests += 1
                response = self.http.post(self.url, headers=self.headers, json=data, timeout=30)
                if response.status_code in (200, 201):  # the guide: == 200
                    return response.json()  # type: ignore[no-any-return]
                elif response.status_code == 429:
                    self.status_429 += 1
                    wait_time = 2**attempt
                    self.print(f"Rate limited. Waiting {wait_time}s...")
                    time.sleep(wait_time)
                else:
                    self.print(f"Error {response.status_code}: {response.text}")
                    return None
            except httpx.TimeoutException:
                self.print(f"Timeout on attempt {attempt + 1}")
                if attempt < self.max_retries - 1:
                    time.sleep(2**attempt)
            except Exception as e:
                self.print(f"Error: {e}")
                return None
        return None

    def process_large_list(self, mints: list[str], batch_size: int = 50) -> dict[str, Any]:
        successful: list[dict[str, Any]] = []
        failed: list[str] = []
        batches = [mints[i : i + batch_size] for i in range(0, len(mints), batch_size)]
        for i, batch in enumerate(batches, 1):
            self.print(f"Processing batch {i}/{len(batches)}...")
            result = self.fetch_coins_with_retry(batch)
            if result:
                successful.extend(result)
            else:
                failed.extend(batch)
            time.sleep(0.5)
        return {
            "successful": successful,
            "failed": failed,
            "success_rate": len(successful) / len(mints) * 100,
        }


class GuideParallel:
    """The guide's `fetch_batch` and `fetch_coins_parallel`, counting what they send."""

    def __init__(self, token: str, base_url: str) -> None:
        self.token = token
        self.url = base_url + "/coins-v2/mints"  # the guide: advanced-api-v2 /coins/mints
        transport = httpx.HTTPTransport(local_address=GUIDE_PARALLEL_ADDRESS)
        self.http = httpx.Client(transport=transport, limits=httpx.Limits(max_connections=5))
        self.requests = 0
        self.status_429 = 0
        self.printed_lines = 0

    def fetch_batch(self, batch: list[str], headers: dict[str, str]) -> list[dict[str, Any]]:
        data = {"mints": batch}
        try:
            self.requests += 1
            response = self.http.post(self.url, headers=headers, json=data, timeout=10)
            if response.status_code == 429:
                self.status_429 += 1
            if response.status_code in (200, 201):  # the guide: == 200
                return response.json()  # type: ignore[no-any-return]
        except Exception:
            self.printed_lines += 1
        return []

    def fetch_coins_parallel(
        self, mints: list[str], batch_size: int = 50, max_workers: int = 5
    ) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        batches = [mints[i : i + batch_size] for i in range(0, len(mints), batch_size)]
        all_coins: list[dict[str, Any]] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max_workers) as executor:
            future_to_batch = {
                executor.submit(self.fetch_batch, batch, headers): batch for batch in batches
            }
            for future in concurrent.futures.as_completed(future_to_batch):
                all_coins.extend(future.result())
        return all_coins


# -- measuring -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    seconds: float
    requests: int
    status_429: int
    delivered: int
    lost: int
    unaccounted: int


@dataclass
class Floor:
    """The least time the budget allows: `needed` requests, `burst` of them at once, the rest
    at `per_minute`."""

    batches: int
    needed: int
    per_minute: float
    burst: int

    @property
    def seconds(self) -> float:
        return max(0, self.needed - self.burst) * 60.0 / self.per_minute


def run_guide(sim: SimServer, mints: list[str], existing: set[str]) -> Row:
    handler = GuideBulkOperationHandler(sim.token_for(), sim.base_url)
    started = time.perf_counter()
    outcome = handler.process_large_list(mints, batch_size=50)
    seconds = time.perf_counter() - started
    delivered = {c["mint"] for c in outcome["successful"] if isinstance(c, dict)}
    reported = delivered | set(outcome["failed"])
    return Row(
        "guide error handling",
        seconds,
        handler.requests,
        handler.status_429,
        len(delivered & existing),
        len(existing - delivered),
        sum(1 for m in mints if m not in reported),
    )


def run_guide_parallel(sim: SimServer, mints: list[str], existing: set[str]) -> Row:
    guide = GuideParallel(sim.token_for(), sim.base_url)
    started = time.perf_counter()
    coins = guide.fetch_coins_parallel(mints, batch_size=50, max_workers=5)
    seconds = time.perf_counter() - started
    delivered = {c["mint"] for c in coins if isinstance(c, dict)}
    return Row(
        "guide parallel (5 threads)",
        seconds,
        guide.requests,
        guide.status_429,
        len(delivered & existing),
        len(existing - delivered),
        # It returns only the coins it got: every mint it did not deliver goes unreported.
        sum(1 for m in mints if m not in delivered),
    )


async def run_pumptui(
    sim: SimServer, mints: list[str], existing: set[str], batch_size: int, concurrency: int
) -> tuple[Row, Floor]:
    base = sim.base_url
    settings = ApiSettings(frontend_url=base, swap_url=base, indexer_url=base)
    # The budgets `pumptui coins` builds from the default settings (cli.options.client_budgets).
    budgets = HostBudgets(
        frontend_per_minute=settings.frontend_requests_per_minute,
        swap_per_minute=settings.swap_requests_per_minute,
        indexer_per_minute=settings.indexer_requests_per_minute,
        burst=settings.burst,
    )
    transport = CountingTransport(PUMPTUI_ADDRESS)
    async with PumpClient(settings, budgets=budgets, transport=transport) as client:
        started = time.perf_counter()
        result = await fetch_coins(client, mints, batch_size=batch_size, concurrency=concurrency)
        seconds = time.perf_counter() - started
    delivered = {i.key for i in result.items if i.outcome is Outcome.FOUND}
    accounted = {i.key for i in result.items if i.outcome is not None}
    bucket = budgets.bucket("frontend", BULK_GROUP)
    batches = math.ceil(result.valid_count / batch_size)
    floor = Floor(
        batches=batches,
        needed=batches + transport.faults,
        per_minute=bucket.requests_per_minute,
        burst=bucket.burst,
    )
    row = Row(
        "pumptui fetch_coins",
        seconds,
        result.requests,
        transport.status_429,
        len(delivered & existing),
        len(existing - delivered),
        sum(1 for m in mints if m not in accounted),
    )
    return row, floor


def prepare(
    sim: SimServer, count: int, unknown_share: float, seed: int
) -> tuple[list[str], set[str]]:
    """`count` mints: most of them coins the simulator has, some valid mints it has never seen."""
    rng = random.Random(seed)
    unknown = int(count * unknown_share)
    existing = [
        sim.create_coin(name=f"Bench {n}", symbol=f"B{n % 1000}") for n in range(count - unknown)
    ]
    strangers = [
        b58encode(bytes([rng.randrange(1, 256)]) + rng.randbytes(31)) for _ in range(unknown)
    ]
    mints = existing + strangers
    rng.shuffle(mints)
    return mints, set(existing)


def measure(count: int, args: argparse.Namespace) -> bool:
    """One size: the three contenders on the same mints; True when pumptui met its target."""
    market = MarketConfig(
        seed=args.seed, clock="manual", warmup=30.0, launches_per_minute=2.0, trades_per_second=1.0
    )
    server = ServerConfig()  # the real limits, keyed by the peer address
    with SimServer(market, server) as sim:
        mints, existing = prepare(sim, count, args.unknown_share, args.seed)
        faults = FaultPlan(error_rate=args.error_rate, latency_ms=args.latency_ms)
        limit = server.group_limits()[BULK_GROUP]
        sim.set_faults(faults)
        ours, floor = asyncio.run(
            run_pumptui(sim, mints, existing, args.batch_size, args.concurrency)
        )
        sim.set_faults(faults)
        guide = run_guide(sim, mints, existing)
        sim.set_faults(faults)
        parallel = run_guide_parallel(sim, mints, existing)

    print(
        f"{len(mints)} mints ({len(existing)} known to the simulator), "
        f"{args.error_rate:.0%} of requests failing, {args.latency_ms:g} ms latency; "
        f"POST /coins-v2/mints limited to {limit}/min per IP; pumptui's budget for it "
        f"{floor.per_minute:g}/min, burst {floor.burst} (the defaults)"
    )
    header = (
        f"{'':28} {'seconds':>8} {'requests':>9} {'429s':>5} {'delivered':>10} {'lost':>6} "
        f"{'unaccounted':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in (parallel, guide, ours):
        print(
            f"{row.name:28} {row.seconds:8.1f} {row.requests:9d} {row.status_429:5d} "
            f"{row.delivered:10d} {row.lost:6d} {row.unaccounted:12d}"
        )
    above = ours.seconds / floor.seconds - 1 if floor.seconds else 0.0
    print(
        f"floor: {floor.needed} requests needed ({floor.batches} batches of {args.batch_size} "
        f"+ {floor.needed - floor.batches} fault answers drawn), {floor.burst} at once, the rest "
        f"at {floor.per_minute:g}/min: {floor.seconds:.1f} s; pumptui {ours.seconds:.1f} s, "
        f"{above:+.1%} above the floor"
    )
    print(
        f"pumptui lost {ours.lost} of {len(existing)} coins against the guide's {guide.lost} "
        f"(error handling) and {parallel.lost} (parallel); it took "
        f"{ours.seconds / parallel.seconds:.0f}x the time of the guide's parallel example and "
        f"{ours.seconds / guide.seconds:.1f}x that of its error-handling example"
    )
    met = (
        ours.lost == 0
        and ours.unaccounted == 0
        and ours.status_429 == 0
        and above <= TARGET_ABOVE_FLOOR
    )
    print(
        f"target (0 lost, 0 unaccounted, no 429, within {TARGET_ABOVE_FLOOR:.0%} of the floor): "
        f"{'met' if met else 'NOT met'}\n"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mints", default="1000", help="how many mints; several sizes comma-separated"
    )
    parser.add_argument("--error-rate", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument(
        "--unknown-share",
        type=float,
        default=0.05,
        help="share of valid mints the simulator does not know",
    )
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 mints")
    args = parser.parse_args()
    sizes = [300] if args.quick else [int(n) for n in args.mints.split(",")]
    print("a shared 2-core machine; sizes run one after the other\n")
    results = [measure(count, args) for count in sizes]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
