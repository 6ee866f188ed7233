"""One malformed record never stops a feed: the rest of its page is delivered, the user is told,
and the feed keeps following. (A record the simulator would never serve, so the server here is a
scripted loopback one.)"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

from pumptui.api import PumpClient, RequestBudget, RetryPolicy
from pumptui.config import ApiSettings, RefreshSettings
from pumptui.live import EngineError, FeedState, LiveEngine, NewTrade
from pumptui.live.events import Event
from pumptui.live.feeds import SKIP_NOTE_EVERY, FeedContext, note_skipped
from pumptui.live.store import MarketStore
from tests.api.canned import CannedServer, canned, json_answer
from tests.live.conftest import FAST, wait_until

__all__ = ["canned"]

MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"
TRADES = f"/v2/coins/{MINT}/trades"
PAGE = json.loads(
    (Path(__file__).parent.parent / "api" / "fixtures" / "trades_page.json").read_text()
)


def engine_on(server: CannedServer) -> LiveEngine:
    """The live engine as shipped, every host pointed at the scripted server."""
    client = PumpClient(
        ApiSettings(
            frontend_url=server.base_url, swap_url=server.base_url, indexer_url=server.base_url
        ),
        budget=RequestBudget(60_000, 100),
        retry=RetryPolicy(max_retries=0),
        timeout=2.0,
    )
    return LiveEngine(client, settings=FAST, visible={"trades"})


async def following(engine: LiveEngine, until: Callable[[], bool], what: str) -> None:
    """Focus the coin, wait for `until`, then for two more polls: the feed must go on."""
    await engine.start()
    engine.focus(MINT)
    await wait_until(until, message=what)
    polls = engine.runners["trades"].polls
    await wait_until(
        lambda: engine.runners["trades"].polls >= polls + 2, message="the feed polling on"
    )
    assert engine.health["trades"].state is FeedState.LIVE


def page_with_a_poisoned_record() -> dict[str, object]:
    """The documented page (two trades), the newer one carrying a 400-digit SOL amount."""
    page = copy.deepcopy(PAGE)
    page["trades"][0]["amountSol"] = "9" * 400
    page["pagination"] = {"hasMore": False, "limit": 100}
    return page


async def test_a_400_digit_amount_costs_one_trade_and_a_note_not_the_feed(
    canned: CannedServer,
) -> None:
    good_tx = PAGE["trades"][1]["tx"]
    canned.answer("GET", TRADES, json_answer(page_with_a_poisoned_record()))
    canned.answer("GET", f"/v2/coins/{MINT}/candles", json_answer([]))
    engine = engine_on(canned)
    reader = engine.bus.subscribe(coalesce=False)
    try:
        await following(engine, lambda: engine.store.has_trade(MINT, good_tx), "the good trade")
        events = reader.drain()
        assert [e.trade.signature for e in events if isinstance(e, NewTrade)] == [good_tx]
        notes = [e for e in events if isinstance(e, EngineError) and e.feed == "trades"]
        assert len(notes) == 1  # said once, not at every poll that reads the page again
        assert "1 unusable trade record" in notes[0].message
    finally:
        await engine.stop()
        await engine.client.aclose()


async def test_chart_history_that_fails_never_fails_the_trades(canned: CannedServer) -> None:
    canned.answer(
        "GET", TRADES, json_answer({**PAGE, "pagination": {"hasMore": False, "limit": 100}})
    )
    # No candles route answers at all (both v2 and v1 are unrouted here).
    engine = engine_on(canned)
    reader = engine.bus.subscribe(coalesce=False)
    try:
        await following(
            engine,
            lambda: all(engine.store.has_trade(MINT, t["tx"]) for t in PAGE["trades"]),
            "the trades",
        )
        notes = [e.message for e in reader.drain() if isinstance(e, EngineError)]
        assert len([n for n in notes if n.startswith("chart history unavailable")]) == 1
        assert canned.count("GET", f"/v1/coins/{MINT}/candles") == 1  # given up, not hammered
    finally:
        await engine.stop()
        await engine.client.aclose()


def test_malformed_records_are_said_once_a_minute_and_coins_said_long_ago_are_forgotten() -> None:
    now = 0.0
    said: list[Event] = []
    ctx = FeedContext(
        client=None,  # type: ignore[arg-type]  # nothing is sent
        store=MarketStore(),
        emit=said.append,
        settings=RefreshSettings(),
        monotonic=lambda: now,
    )
    for second in range(600):
        now = float(second)
        note_skipped(ctx, "trades", 1, f"trade record(s) of coin {second}")
        note_skipped(ctx, "coins", 2, "coin record(s)")
    messages = [event.message for event in said if isinstance(event, EngineError)]
    assert messages.count("2 unusable coin record(s) skipped (malformed data)") == 10
    assert len(messages) == 10 + 600  # each coin's once
    assert len(ctx.noted) <= SKIP_NOTE_EVERY + 1
