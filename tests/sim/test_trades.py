"""Trade and candle endpoints: shapes, units that add up to the reserves, newest-first paging,
and timestamps and slots that follow the market clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pumptui.sim import SimServer
from tests.sim.support import (
    CANDLE_FIELDS,
    LAUNCH_VIRTUAL_SOL,
    LAUNCH_VIRTUAL_TOKENS,
    check_coin,
    check_fields,
    check_trade,
    http,
    market_now,
    nest_error,
)


def test_a_coins_trades_replayed_from_launch_land_on_its_reported_reserves(
        sim: SimServer) -> None:
    """sol_amount is lamports and token_amount raw units: exactly what moved the reserves."""
    mint = sim.create_coin(name="Ledger", symbol="LDGR")
    sim.inject_trades(mint, 120)
    with http(sim) as client:
        trades = client.get(f"/trades/all/{mint}", params={"limit": 200}).json()
        coin = client.get(f"/coins/{mint}").json()
    assert len(trades) == 120
    virtual_sol, virtual_tokens = LAUNCH_VIRTUAL_SOL, LAUNCH_VIRTUAL_TOKENS
    for trade in reversed(trades):  # chain order
        check_trade(trade)
        assert trade["mint"] == mint
        sign = 1 if trade["is_buy"] else -1
        virtual_sol += sign * trade["sol_amount"]
        virtual_tokens -= sign * trade["token_amount"]
    assert (coin["virtual_sol_reserves"], coin["virtual_token_reserves"]) == (virtual_sol,
                                                                            virtual_tokens)
    assert {t["is_buy"] for t in trades} == {True, False}


def test_trades_come_newest_first_200_a_page_with_offset_paging(sim: SimServer) -> None:
    mint = sim.create_coin(name="Busy", symbol="BUSY")
    signatures = sim.inject_trades(mint, 450)
    assert len(signatures) == 450
    chain = [t["signature"] for t in sim.trades_of(mint)]
    assert chain == signatures
    with http(sim) as client:
        pages = [client.get(f"/trades/all/{mint}", params={"limit": 1000, "offset": offset}).json()
                 for offset in (0, 200, 400, 600)]
        default = client.get(f"/trades/all/{mint}").json()
        count = client.get(f"/trades/count/{mint}").json()
    assert [len(p) for p in pages] == [200, 200, 50, 0]
    assert [t["signature"] for p in pages for t in p] == chain[::-1]
    assert len(default) == 100
    assert count == 450


def test_minimum_size_filters_trades_and_their_count(sim: SimServer) -> None:
    mint = sim.create_coin(name="Whales", symbol="WHL")
    sim.inject_trades(mint, 200)
    sizes = sorted(t["sol_amount"] for t in sim.trades_of(mint))
    threshold = sizes[len(sizes) // 2]
    with http(sim) as client:
        big = client.get(f"/trades/all/{mint}",
                         params={"limit": 200, "minimumSize": threshold}).json()
        count = client.get(f"/trades/count/{mint}", params={"minimumSize": threshold}).json()
    assert big
    assert all(t["sol_amount"] >= threshold for t in big)
    assert len(big) == count == sum(1 for s in sizes if s >= threshold)


def test_latest_trade_is_one_object_with_its_coin(sim: SimServer) -> None:
    mint = sim.create_coin(name="Lately", symbol="LATE")
    last = sim.inject_trades(mint, 3)[-1]
    with http(sim) as client:
        trade = client.get("/trades/latest").json()
    assert isinstance(trade, dict)
    check_trade(trade)
    assert trade["signature"] == last
    assert (trade["mint"], trade["symbol"], trade["name"]) == (mint, "LATE", "Lately")
    assert trade["image_uri"].startswith("https://")


def test_trade_endpoints_for_an_unknown_coin_are_nest_404s(sim: SimServer) -> None:
    unknown = "So11111111111111111111111111111111111111112"
    with http(sim) as client:
        for path in (f"/trades/all/{unknown}", f"/trades/count/{unknown}",
                     f"/candlesticks/{unknown}", f"/replies/{unknown}"):
            nest_error(client.get(path), 404)


def test_trade_times_and_slots_follow_the_manual_clock(sim: SimServer) -> None:
    with http(sim) as client:
        before = market_now(client)
        latest_before = client.get("/trades/latest").json()
        assert client.get("/trades/latest").json() == latest_before  # nothing moves by itself
        sim.advance(30.0)
        after = market_now(client)
        assert after == before + 30.0
        latest = client.get("/trades/latest").json()
    assert latest["signature"] != latest_before["signature"]
    fresh = [t for mint in sim.mints() for t in sim.trades_of(mint)
             if t["timestamp"] > before]
    assert len(fresh) > 100  # ten a second
    assert all(before <= t["timestamp"] <= after for t in fresh)
    fresh.sort(key=lambda t: (t["slot"], t["tx_index"]))
    times = [t["timestamp"] for t in fresh]
    assert times == sorted(times), "slots run in step with time"
    # Solana makes a slot every 400 ms.
    span_slots = fresh[-1]["slot"] - fresh[0]["slot"]
    span_seconds = fresh[-1]["timestamp"] - fresh[0]["timestamp"]
    assert abs(span_slots - 2.5 * span_seconds) <= 5
    # Within one slot, tx_index numbers transactions 0, 1, 2, ...
    by_slot: dict[int, list[int]] = {}
    for trade in fresh:
        by_slot.setdefault(trade["slot"], []).append(trade["tx_index"])
    assert all(indexes == list(range(indexes[0], indexes[0] + len(indexes)))
               for indexes in by_slot.values())


def test_candles_bucket_the_trades_by_timeframe(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0)
    mint = sim.create_coin(name="Candles", symbol="CNDL")
    for _ in range(12):  # one burst every 40 s over eight minutes
        sim.inject_trades(mint, 5)
        sim.advance(40.0)
    trades = sim.trades_of(mint)
    with http(sim) as client:
        for minutes in (1, 5):
            candles = client.get(f"/candlesticks/{mint}", params={"timeframe": minutes}).json()
            width = 60 * minutes
            buckets: dict[int, list[dict]] = {}
            for trade in trades:
                start = trade["timestamp"] - trade["timestamp"] % width
                buckets.setdefault(start, []).append(trade)
            assert [c["timestamp"] for c in candles] == sorted(buckets)
            for candle in candles:
                check_fields(candle, CANDLE_FIELDS, "candle")
                assert candle["mint"] == mint
                assert (candle["is_1_min"], candle["is_5_min"]) == (minutes == 1, minutes == 5)
                assert candle["low"] <= min(candle["open"], candle["close"])
                assert candle["high"] >= max(candle["open"], candle["close"])
                inside = buckets[candle["timestamp"]]
                prices = [(t["sol_amount"] / 1e9) / (t["token_amount"] / 1e6) for t in inside]
                assert candle["open"] == pytest.approx(prices[0], rel=1e-12)
                assert candle["close"] == pytest.approx(prices[-1], rel=1e-12)
                assert candle["low"] == pytest.approx(min(prices), rel=1e-12)
                assert candle["high"] == pytest.approx(max(prices), rel=1e-12)
                assert candle["volume"] == sum(t["sol_amount"] for t in inside)  # lamports
                assert candle["slot"] == inside[-1]["slot"]
            # SOL per whole token: around the launch price of 2.8e-8.
            assert all(1e-9 < c["close"] < 1e-5 for c in candles)
        one_minute = client.get(f"/candlesticks/{mint}", params={"timeframe": 1}).json()
        window = client.get(f"/candlesticks/{mint}",
                            params={"timeframe": 1, "limit": 2, "offset": 1}).json()
        coin = client.get(f"/coins/{mint}").json()
    assert len(one_minute) >= 6
    assert window == one_minute[1:3]
    check_coin(coin)
