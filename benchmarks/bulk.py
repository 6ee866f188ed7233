"""Bulk coin look-ups: pumptui's `fetch_coins` against the guide's `BulkOperationHandler`.

Both run in this process, one after the other, against the same simulator with the same faults
(by default 10% of requests answer 500/502/503, plus a little latency) and the real 2026 limits:
`POST /coins-v2/mints` is its own v3 route group, 30 requests per 60 s per IP, 429 +
`Retry-After` beyond. Each contender sends from its own loopback address (127.0.0.2 for
pumptui, 127.0.0.3 for the guide; the simulator keys its limits by the peer address), so neither
inherits the other's window. Printed for each: wall time, requests sent, 429s received, coins
delivered, items lost (existing coins whose data the run did not deliver) and items unaccounted
(inputs the result says nothing about).

pumptui runs as shipped: `PumpClient` with the default `ApiSettings` budgets (24 requests a
minute per v3 group, about half the service's limit), batches of 50 to start with. So it is
not fast: 2,000 mints in 40 batches need at least 1.7 minutes of budget, more when its batches
shrink. What it promises is that nothing is lost and nothing draws a 429; the requests column
shows how many batches it really sent.

The baseline is the guide's code (seeds/000_*.txt, "Error handling in bulk operations") with
`requests` swapped for a synchronous `httpx.Client` (same behaviour; `requests` is not a
dependency here), its dead URL (`advanced-api-v2/coins/mints`) replaced by today's
`POST /coins-v2/mints`, and one charitable fix: the guide only accepts status 200, but the
service answers POSTs with 201, so taken literally it would lose every batch. Its 0.5 s pause
between batches is about 100 requests a minute against a limit of 30; its progress prints are
counted, not printed.

    .venv/bin/python benchmarks/bulk.py [--mints 2000] [--error-rate 0.1] [--latency-ms 30]
                                        [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
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


class CountingTransport(httpx.AsyncHTTPTransport):
    """pumptui's own source address, and the 429s it got back."""

    def __init__(self, address: str) -> None:
        super().__init__(local_address=address)
        self.status_429 = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if response.status_code == 429:
            self.status_429 += 1
        return response


# -- the guide's code, as written (see the module docstring for the two deviations) --------------


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


def run_guide(sim: SimServer, mints: list[str], existing: set[str]) -> Row:
    handler = GuideBulkOperationHandler(sim.token_for(), sim.base_url)
    started = time.perf_counter()
    outcome = handler.process_large_list(mints, batch_size=50)
    seconds = time.perf_counter() - started
    delivered = {c["mint"] for c in outcome["successful"] if isinstance(c, dict)}
    reported = delivered | set(outcome["failed"])
    return Row(
        "guide BulkOperationHandler",
        seconds,
        handler.requests,
        handler.status_429,
        len(delivered & existing),
        len(existing - delivered),
        sum(1 for m in mints if m not in reported),
    )


async def run_pumptui(
    sim: SimServer, mints: list[str], existing: set[str], batch_size: int, concurrency: int
) -> Row:
    base = sim.base_url
    settings = ApiSettings(frontend_url=base, swap_url=base, indexer_url=base)
    # The default budgets, its own (as its own process would have them).
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
    return Row(
        "pumptui fetch_coins",
        seconds,
        result.requests,
        transport.status_429,
        len(delivered & existing),
        len(existing - delivered),
        sum(1 for m in mints if m not in accounted),
    )


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mints", type=int, default=2000)
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
    if args.quick:
        args.mints = 300

    market = MarketConfig(
        seed=args.seed, clock="manual", warmup=30.0, launches_per_minute=2.0, trades_per_second=1.0
    )
    server = ServerConfig()  # the real limits, keyed by the peer address
    with SimServer(market, server) as sim:
        mints, existing = prepare(sim, args.mints, args.unknown_share, args.seed)
        faults = FaultPlan(error_rate=args.error_rate, latency_ms=args.latency_ms)
        limit = server.group_limits()["coins-v2-mints"]
        print(
            f"{len(mints)} mints ({len(existing)} known to the simulator), "
            f"{args.error_rate:.0%} of requests failing, {args.latency_ms:g} ms latency; "
            f"POST /coins-v2/mints limited to {limit}/min per IP, pumptui's budget "
            f"{ApiSettings().frontend_requests_per_minute:g}/min; a shared 2-core machine\n"
        )
        sim.set_faults(faults)
        ours = asyncio.run(run_pumptui(sim, mints, existing, args.batch_size, args.concurrency))
        sim.set_faults(faults)
        guide = run_guide(sim, mints, existing)

    header = (
        f"{'':28} {'wall s':>8} {'requests':>9} {'429s':>5} {'delivered':>10} {'lost':>6} "
        f"{'unaccounted':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in (guide, ours):
        print(
            f"{row.name:28} {row.seconds:8.2f} {row.requests:9d} {row.status_429:5d} "
            f"{row.delivered:10d} "
            f"{row.lost:6d} {row.unaccounted:12d}"
        )
    print(
        f"\npumptui took {ours.seconds:.1f} s ({ours.seconds / guide.seconds:.1f}x the guide's "
        f"time), drew {ours.status_429} 429s and lost {ours.lost} items; the guide drew "
        f"{guide.status_429} 429s, lost {guide.lost} and left {guide.unaccounted} unaccounted."
    )
    target_met = ours.lost == 0 and ours.unaccounted == 0 and ours.status_429 == 0
    print(f"target (0 lost, 0 unaccounted, no 429): {'met' if target_met else 'NOT met'}")
    return 0 if target_met else 1


if __name__ == "__main__":
    sys.exit(main())
