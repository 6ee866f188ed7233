"""advanced-indexer boards (pumpfun-api-2026.md §3.5): the trenches socket's snapshot and
deltas, and the same boards over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from pumptui.sim import SimServer
from pumptui.sim.trenches import BOARDS
from tests.sim.support import http

ENTRY_KEYS = {
    "m",
    "n",
    "t",
    "i",
    "mc",
    "age",
    "p",
    "vUsd5m",
    "tx5",
    "bc",
    "sc",
    "txc",
    "nh",
    "t10",
    "dh",
    "sn",
    "dw",
    "gd",
    "pg",
    "c",
}


def apply(entries: list[dict[str, Any]], patches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A subscriber's reading of §3.5: update merges, add inserts at idx, remove drops, move
    moves to idx."""
    out = [dict(e) for e in entries]
    for patch in patches:
        at = next((i for i, e in enumerate(out) if e["m"] == patch["mint"]), None)
        if patch["op"] == "add":
            out.insert(patch["idx"], dict(patch["fields"]))
        elif at is None:
            raise AssertionError(f"patch for an entry not on the board: {patch}")
        elif patch["op"] == "remove":
            out.pop(at)
        elif patch["op"] == "move":
            out.insert(patch["idx"], out.pop(at))
        elif patch["op"] == "update":
            out[at].update(patch["fields"])
    return out


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await asyncio.wait_for(ws.receive(), timeout=5.0)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg
    return msg.json()


def socket_url(sim: SimServer, board: str) -> str:
    sub = quote(json.dumps({"board": board, "tier": "web", "filterKey": "default"}))
    return f"{sim.base_url}/ws/trenches?subscription={sub}"


async def subscribe(ws: aiohttp.ClientWebSocketResponse, board: str) -> dict[str, Any]:
    await ws.send_json(
        {
            "event": "subscribe",
            "data": {"board": board, "tier": "web", "platform": "WEB", "surface": "WEB"},
        }
    )
    return await receive(ws)


async def test_a_snapshot_then_deltas_that_keep_the_board_current(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(socket_url(sim, "new")) as ws:
        snapshot = await subscribe(ws, "new")
        assert snapshot["type"] == "snapshot"
        assert snapshot["board"] == "new"
        entries, version = snapshot["entries"], snapshot["version"]
        assert entries
        for entry in entries:
            assert set(entry) == ENTRY_KEYS
        ages = [e["age"] for e in entries]
        assert ages == sorted(ages), "newest first"
        for _ in range(3):
            await asyncio.to_thread(sim.advance, 5.0)
            delta = await receive(ws)
            assert delta["type"] == "delta"
            assert delta["baseVersion"] == version
            assert delta["version"] > version
            assert delta["serverTs"] > snapshot["serverTs"]
            assert {p["op"] for p in delta["patches"]} <= {"update", "add", "remove", "move"}
            entries, version = apply(entries, delta["patches"]), delta["version"]
        with http(sim) as client:
            board = await asyncio.to_thread(lambda: client.get("/boards/new").json())
    assert entries == board["entries"]


async def test_boards_hold_what_their_names_say(
    sim_factory: Callable[..., SimServer], session: aiohttp.ClientSession
) -> None:
    sim = sim_factory(nsfw_share=0.0, trades_per_second=0.0, launches_per_minute=0.0)

    def pump(mint: str, until: Callable[[dict], bool]) -> None:
        with http(sim) as client:
            while not until(client.get(f"/coins-v3/{mint}").json()):
                sim.call(
                    lambda: sim.market._buy(sim.market.coins[mint], sim.user_address, 2_000_000_000)
                )

    near = sim.call(lambda: sim.market.create_coin(name="Near", symbol="NEAR").mint)
    done = sim.call(lambda: sim.market.create_coin(name="Done", symbol="DONE").mint)
    # At least 70 % of the curve's tokens sold: on the graduating board.
    await asyncio.to_thread(pump, near, lambda c: c["real_token_reserves"] <= 0.29 * 793.1e12)
    await asyncio.to_thread(pump, done, lambda c: c["complete"])
    async with session.ws_connect(socket_url(sim, "graduating")) as ws:
        graduating = await subscribe(ws, "graduating")
        graduated = await subscribe(ws, "graduated")
        new = await subscribe(ws, "new")
    assert [e["m"] for e in graduating["entries"]] == [near]
    assert graduating["entries"][0]["p"] >= 70.0
    assert [e["m"] for e in graduated["entries"]] == [done]
    assert graduated["entries"][0]["gd"] is not None
    assert done not in {e["m"] for e in new["entries"]}
    assert near in {e["m"] for e in new["entries"]}


async def test_an_entry_is_a_per_coin_aggregate_in_usd_and_seconds(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = await asyncio.to_thread(
        sim.create_coin, name="Agg", symbol="AGG", creator=sim.user_address
    )
    await asyncio.to_thread(sim.advance, 12.0)
    await asyncio.to_thread(sim.inject_trades, mint, 10)
    with http(sim) as client:
        entry = next(e for e in client.get("/boards/new").json()["entries"] if e["m"] == mint)
        coin = client.get(f"/coins-v3/{mint}").json()
        count = client.get(f"/token-holders/{mint}/count").json()["holderCount"]
    trades = sim.trades_of(mint)
    assert entry["age"] == 12
    assert entry["mc"] == pytest.approx(coin["usd_market_cap"], abs=0.01)
    assert entry["txc"] == entry["tx5"] == 10
    assert entry["bc"] == sum(t["type"] == "buy" for t in trades)
    assert entry["nh"] == count
    assert entry["dw"] == sim.user_address
    assert (entry["pg"], entry["c"], entry["gd"]) == ("pump", "solana", None)


async def test_unknown_boards_and_bad_messages_get_errors(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(f"{sim.base_url}/ws/trenches") as ws:
        assert (await subscribe(ws, "movers"))["type"] == "error"
        await ws.send_str("not json")
        assert (await receive(ws))["type"] == "error"
        assert (await subscribe(ws, "new"))["type"] == "snapshot"
    with http(sim) as client:
        assert client.get("/boards/nothing").status_code == 404
        assert len(client.get("/boards/new", params={"limit": 2}).json()["entries"]) <= 2


async def test_a_coin_moves_from_new_to_graduating_to_graduated_by_deltas_as_it_happens(
    sim_factory: Callable[..., SimServer], session: aiohttp.ClientSession
) -> None:
    """One subscriber to the three boards sees the coin's path in deltas alone: added to
    `graduating` once 70 % of its curve is sold, then, when the curve completes, removed from
    `new` and `graduating` and added on top of `graduated`, in the same market second."""
    sim = sim_factory(nsfw_share=0.0, trades_per_second=0.0, launches_per_minute=0.0)
    mint = sim.create_coin(name="Path", symbol="PATH")
    sim.advance(1.0)

    def sold() -> float:
        return sim.call(lambda: 1 - sim.market.coins[mint].curve.real_tokens / 793.1e12)

    def buy_until(done: Callable[[], bool]) -> None:
        while not done():
            sim.buy(mint, sol=3.0)
        sim.advance(1.0)

    async with session.ws_connect(socket_url(sim, "new")) as ws:
        boards = {name: (await subscribe(ws, name))["entries"] for name in BOARDS}
        assert mint in {e["m"] for e in boards["new"]}
        assert mint not in {e["m"] for e in boards["graduating"] + boards["graduated"]}

        async def deltas_until(done: Callable[[], bool]) -> list[dict[str, Any]]:
            seen = []
            while not done():
                delta = await receive(ws)
                assert delta["type"] == "delta"
                seen.append(delta)
                boards[delta["board"]] = apply(boards[delta["board"]], delta["patches"])
            return seen

        def listed(board: str) -> bool:
            return mint in {e["m"] for e in boards[board]}

        await asyncio.to_thread(buy_until, lambda: sold() >= 0.75)
        seen = await deltas_until(lambda: listed("graduating"))
        added = [p for d in seen for p in d["patches"] if d["board"] == "graduating"]
        assert {"op": "add", "mint": mint} in [{"op": p["op"], "mint": p["mint"]} for p in added]
        entry = next(e for e in boards["graduating"] if e["m"] == mint)
        assert 75.0 <= entry["p"] < 100.0
        assert listed("new"), "still a young coin on the curve"

        complete = sim.call(lambda: sim.market.coins[mint].curve)
        await asyncio.to_thread(buy_until, lambda: sim.call(lambda: complete.complete))
        await deltas_until(lambda: listed("graduated") and not listed("graduating"))
        await deltas_until(lambda: not listed("new"))
        assert boards["graduated"][0]["m"] == mint, "the latest graduation first"
        assert boards["graduated"][0]["gd"] is not None
        assert boards["graduated"][0]["p"] == 100.0
