"""PumpPortal's WebSocket at /api/data (pumpfun-api-2026.md §3.9): new tokens and migrations are
free, token and account trades need the user's API key; messages in human units and without
timestamps, matching what swap-api reports."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from pumptui.sim import SimServer
from tests.sim.support import lamports_of, raw_of

TRADE_KEYS = {
    "signature",
    "mint",
    "traderPublicKey",
    "txType",
    "tokenAmount",
    "solAmount",
    "newTokenBalance",
    "bondingCurveKey",
    "vTokensInBondingCurve",
    "vSolInBondingCurve",
    "marketCapSol",
    "pool",
}
CREATE_KEYS = {
    "signature",
    "mint",
    "traderPublicKey",
    "txType",
    "initialBuy",
    "solAmount",
    "bondingCurveKey",
    "vTokensInBondingCurve",
    "vSolInBondingCurve",
    "marketCapSol",
    "name",
    "symbol",
    "uri",
    "is_mayhem_mode",
    "pool",
}


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    msg = await asyncio.wait_for(ws.receive(), timeout=5.0)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg  # PumpPortal sends text frames
    data = msg.json()
    assert isinstance(data, dict)
    return data


async def command(
    ws: aiohttp.ClientWebSocketResponse, method: str, keys: list[str] | None = None
) -> dict[str, Any]:
    await ws.send_json({"method": method, **({"keys": keys} if keys is not None else {})})
    return await receive(ws)


def no_timestamps(message: dict[str, Any]) -> bool:
    return not any("time" in key.lower() for key in message)


async def test_new_token_subscribers_see_each_launch(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(f"{sim.base_url}/api/data") as ws:
        ack = await command(ws, "subscribeNewToken")
        assert "message" in ack
        assert "errors" not in ack
        mint = await asyncio.to_thread(sim.create_coin, name="Pushed", symbol="PUSH")
        created = await receive(ws)
    assert set(created) == CREATE_KEYS
    assert no_timestamps(created)
    assert (created["mint"], created["txType"], created["name"], created["symbol"]) == (
        mint,
        "create",
        "Pushed",
        "PUSH",
    )
    assert created["vSolInBondingCurve"] == 30.0  # SOL, not lamports
    assert created["vTokensInBondingCurve"] == 1_073_000_000.0  # whole tokens
    assert created["marketCapSol"] == pytest.approx(27.96, rel=1e-3)


async def test_trade_subscriptions_need_an_api_key_and_send_nothing_without(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    mint = await asyncio.to_thread(sim.create_coin, name="Keyless", symbol="NOKEY")
    async with session.ws_connect(f"{sim.base_url}/api/data") as ws:
        for method, keys in (
            ("subscribeTokenTrade", [mint]),
            ("subscribeAccountTrade", [sim.user_address]),
        ):
            refused = await command(ws, method, keys)
            assert "errors" in refused
            assert "API key" in refused["errors"]
        await asyncio.to_thread(sim.inject_trades, mint, 5)
        # Nothing was subscribed: the next message is the answer to the next command.
        assert "message" in await command(ws, "subscribeNewToken")


async def test_account_trades_follow_a_wallet_with_a_key(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    mint = await asyncio.to_thread(sim.create_coin, name="Wallet", symbol="WLT")
    await asyncio.to_thread(sim.inject_trades, mint, 10)
    wallet = (await asyncio.to_thread(sim.trades_of, mint))[-1]["userAddress"]
    async with session.ws_connect(f"{sim.base_url}/api/data?api-key=k") as ws:
        assert "errors" not in await command(ws, "subscribeAccountTrade", [wallet])

        def buy() -> str:
            def run() -> str:
                trade = sim.market._buy(sim.market.coins[mint], wallet, 100_000_000)
                assert trade is not None
                return trade.signature

            return sim.call(run)

        signature = await asyncio.to_thread(buy)
        message = await receive(ws)
    assert (message["signature"], message["traderPublicKey"]) == (signature, wallet)


async def test_migrations_are_free_and_name_the_graduated_coin(
    sim_factory, session: aiohttp.ClientSession
) -> None:  # type: ignore[no-untyped-def]
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0)
    mint = await asyncio.to_thread(
        lambda: sim.call(lambda: sim.market.create_coin(name="Grad", symbol="GRAD").mint)
    )
    async with session.ws_connect(f"{sim.base_url}/api/data") as ws:
        assert "errors" not in await command(ws, "subscribeMigration")

        def graduate() -> None:
            market = sim.market
            coin = market.coins[mint]
            while not coin.curve.complete:
                market._buy(coin, sim.user_address, 5_000_000_000)

        await asyncio.to_thread(sim.call, graduate)
        migrated = await receive(ws)
    assert migrated["txType"] == "migrate"
    assert migrated["mint"] == mint
    assert no_timestamps(migrated)


async def test_trade_messages_match_the_chain_in_human_units(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    mint = await asyncio.to_thread(sim.create_coin, name="Tape", symbol="TAPE")
    async with session.ws_connect(f"{sim.base_url}/api/data?api-key=test-key") as ws:
        ack = await command(ws, "subscribeTokenTrade", [mint])
        assert "errors" not in ack
        signatures = await asyncio.to_thread(sim.inject_trades, mint, 20)
        messages = [await receive(ws) for _ in signatures]
    chain = {t["tx"]: t for t in await asyncio.to_thread(sim.trades_of, mint)}
    assert [m["signature"] for m in messages] == signatures
    for message in messages:
        assert set(message) == TRADE_KEYS
        assert no_timestamps(message)
        trade = chain[message["signature"]]
        assert message["mint"] == mint
        assert message["traderPublicKey"] == trade["userAddress"]
        assert message["txType"] == trade["type"]
        assert message["solAmount"] == pytest.approx(lamports_of(trade["amountSol"]) / 1e9)
        assert message["tokenAmount"] == pytest.approx(raw_of(trade["baseAmount"]) / 1e6)
        assert message["newTokenBalance"] >= 0
        price = message["vSolInBondingCurve"] / message["vTokensInBondingCurve"]
        assert message["marketCapSol"] == pytest.approx(price * 1e9)


async def test_unsubscribing_stops_a_coins_trades(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    first = await asyncio.to_thread(sim.create_coin, name="First", symbol="ONE")
    second = await asyncio.to_thread(sim.create_coin, name="Second", symbol="TWO")
    async with session.ws_connect(f"{sim.base_url}/api/data?api-key=k") as ws:
        await command(ws, "subscribeTokenTrade", [first])
        await command(ws, "unsubscribeTokenTrade", [first])
        await asyncio.to_thread(sim.inject_trades, first, 5)
        await command(ws, "subscribeTokenTrade", [second])
        wanted = await asyncio.to_thread(sim.inject_trades, second, 1)
        # Messages are delivered in order: had `first` still been pushed, it would come first.
        assert (await receive(ws))["signature"] == wanted[0]


async def test_bad_commands_get_errors_and_the_socket_stays_open(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(f"{sim.base_url}/api/data") as ws:
        await ws.send_str("not json")
        assert "errors" in await receive(ws)
        assert "errors" in await command(ws, "subscribeEverything")
        assert "errors" not in await command(ws, "subscribeNewToken")


async def test_the_socket_is_outside_the_rate_limit(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    """A socket is one long request: faults and request budgets are for the REST API."""
    await asyncio.to_thread(sim.set_faults, "error=1")
    async with session.ws_connect(f"{sim.base_url}/api/data") as ws:
        assert "errors" not in await command(ws, "subscribeNewToken")
