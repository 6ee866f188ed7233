"""`pumptui watch` sends its lines out per batch: everything queued is printed, then flushed
once, so a flood costs one write to the pipe per batch instead of one per line, and a live tail
still sees each batch as soon as it is printed."""

from __future__ import annotations

import argparse
import asyncio
import io

from pumptui.api.models import Trade
from pumptui.cli.watch import EventPrinter, HealthReporter, Reading, _stream
from pumptui.live.bus import EventBus
from pumptui.live.events import NewTrade

MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
BATCH = 200


class Pipe(io.StringIO):
    """stdout as a reader at the other end of a pipe sees it: only what was flushed."""

    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0
        self.delivered = ""

    def flush(self) -> None:
        self.flushes += 1
        self.delivered = self.getvalue()

    def delivered_lines(self) -> int:
        return self.delivered.count("\n")


def trade(n: int) -> NewTrade:
    return NewTrade(
        Trade(
            signature=f"{n:088d}",
            mint=MINT,
            is_buy=n % 2 == 0,
            lamports=250_000_000,
            raw_tokens=7_000_000_000_000,
            timestamp=1_750_075_201.0 + n,
            user="9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
        )
    )


async def test_a_batch_of_events_goes_out_in_a_few_flushes_and_none_is_held_back() -> None:
    bus = EventBus()
    subscription = bus.subscribe(maxsize=50_000, coalesce=False)
    out = Pipe()
    printer = EventPrinter(out, "jsonl", frozenset(), named={MINT}, history=True)
    args = argparse.Namespace(duration=None, count=2 * BATCH, coins=False)
    watching = asyncio.create_task(
        _stream(subscription, printer, HealthReporter(None), Reading(dict), args, [MINT])
    )

    for n in range(BATCH):
        bus.publish(trade(n))
    for _ in range(400):  # a bound, not a timing assertion
        if out.delivered_lines() == BATCH:
            break
        await asyncio.sleep(0.025)

    assert out.delivered_lines() == BATCH, "the whole batch is out before the next event comes"
    assert out.flushes < BATCH // 10, "flushed per batch, not per line"

    for n in range(BATCH, 2 * BATCH):
        bus.publish(trade(n))
    assert await asyncio.wait_for(watching, 10) == 0
    assert out.delivered_lines() == 2 * BATCH, "the last lines are flushed when watch ends"
