"""swap-api trades and candles (pumpfun-api-2026.md §3.2, §3.3): exact decimal units that add up
to the reserves, the exclusive cursor and the seek cursor, the end of history, and sparse,
oldest-first, newest-anchored candles."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from pumptui.sim import SimServer
from tests.sim.support import (
    LAUNCH_VIRTUAL_SOL,
    LAUNCH_VIRTUAL_TOKENS,
    check_swap_trade,
    epoch_ms,
    http,
    lamports_of,
    market_now,
    nest_error,
    pool_price,
    raw_of,
)

UNKNOWN_MINT = "So11111111111111111111111111111111111111112"
SEEK_ZERO = "0" * 22
PRICE_Q = Decimal("1e-18")


def trades(client, mint: str, **params: object) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/v2/coins/{mint}/trades", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def walk(client, mint: str, limit: int) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every trade, page by page, following nextCursor until the end of history."""
    out: list[dict] = []
    cursor = None
    while True:
        page = trades(client, mint, limit=limit, **({"cursor": cursor} if cursor else {}))
        if not page["trades"]:
            assert page["pagination"] == {"hasMore": False, "limit": limit}
            return out
        out += page["trades"]
        cursor = page["pagination"]["nextCursor"]


@pytest.fixture
def quiet_sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    return sim_factory(trades_per_second=0.0, launches_per_minute=0.0)


def test_amounts_are_exact_decimals_that_replay_to_the_coins_reserves(sim: SimServer) -> None:
    """amountSol is SOL with 9 decimals (lamports exactly), baseAmount whole tokens with 6;
    replayed from the launch reserves they land on the coin's reported reserves."""
    mint = sim.create_coin(name="Ledger", symbol="LDGR")
    sim.inject_trades(mint, 120)
    with http(sim) as client:
        page = (
            trades(client, mint, limit=100)["trades"]
            + trades(
                client,
                mint,
                limit=100,
                cursor=trades(client, mint, limit=100)["pagination"]["nextCursor"],
            )["trades"]
        )
        coin = client.get(f"/coins-v3/{mint}").json()
    assert len(page) == 120
    virtual_sol, virtual_tokens = LAUNCH_VIRTUAL_SOL, LAUNCH_VIRTUAL_TOKENS
    for trade in reversed(page):  # chain order
        check_swap_trade(trade)
        sign = 1 if trade["type"] == "buy" else -1
        virtual_sol += sign * lamports_of(trade["amountSol"])
        virtual_tokens -= sign * raw_of(trade["baseAmount"])
        # priceSol: the pool price per whole token after the trade.
        expected = pool_price(virtual_sol, virtual_tokens).quantize(PRICE_Q, ROUND_HALF_EVEN)
        assert Decimal(trade["priceSol"]) == expected
    assert (coin["virtual_sol_reserves"], coin["virtual_token_reserves"]) == (
        virtual_sol,
        virtual_tokens,
    )
    assert {t["type"] for t in page} == {"buy", "sell"}


def test_unit_traps_one_known_buy() -> None:
    """The conversions on a worked example: 1_500_000_001 lamports is "1.500000001" SOL, and
    1_234_567 raw units "1.234567" tokens (no float on the way)."""
    assert lamports_of("1.500000001") == 1_500_000_001
    assert raw_of("1.234567") == 1_234_567
    with pytest.raises(AssertionError):
        lamports_of("1.5")


def test_one_trade_row_in_detail(quiet_sim: SimServer) -> None:
    """A fresh coin's first buy: every field's unit, worked out from the curve maths."""
    sim = quiet_sim
    mint = sim.create_coin(name="Detail", symbol="DTL")
    sim.inject_trades(mint, 1)
    with http(sim) as client:
        now = market_now(client)
        sol_price = Decimal(repr(client.get("/sol-price").json()["solPrice"]))
        (trade,) = trades(client, mint)["trades"]
    check_swap_trade(trade)
    lamports, raw = lamports_of(trade["amountSol"]), raw_of(trade["baseAmount"])
    assert trade["type"] == "buy"
    # Constant product on the virtual reserves: tokens out = floor(net × vTok / (vSol + net)).
    assert raw == lamports * LAUNCH_VIRTUAL_TOKENS // (LAUNCH_VIRTUAL_SOL + lamports)
    # ISO, whole seconds, at the market clock.
    assert trade["timestamp"].endswith(".000Z")
    assert epoch_ms(trade["timestamp"]) == int(now) * 1000
    # amountUsd = amountSol × the SOL price.
    usd = Decimal(trade["amountSol"]) * sol_price
    assert abs(Decimal(trade["amountUsd"]) - usd) <= Decimal("1e-9")
    price = pool_price(LAUNCH_VIRTUAL_SOL + lamports, LAUNCH_VIRTUAL_TOKENS - raw)
    assert abs(Decimal(trade["priceUsd"]) - price * sol_price) <= Decimal("1e-17")
    # The taker paid the 1 % fee on top: the fill price is above the SOL moved per token.
    moved = Decimal(lamports) / 10**9 / (Decimal(raw) / 10**6)
    fill = Decimal(trade["fillPriceSol"])
    assert fill > moved
    assert fill / moved == pytest.approx(Decimal("1.01"), abs=Decimal("1e-6"))


def test_slot_index_id_is_a_12_digit_slot_then_the_position_in_it(sim: SimServer) -> None:
    mint = sim.create_coin(name="Slots", symbol="SLT")
    sim.inject_trades(mint, 30)  # one instant: one slot, positions counting up
    with http(sim) as client:
        page = trades(client, mint, limit=30)["trades"]
    ids = [t["slotIndexId"] for t in reversed(page)]
    assert all(len(i) == 22 for i in ids)
    slots = {int(i[:12]) for i in ids}
    positions = [int(i[12:]) for i in ids]
    assert len(slots) == 1
    assert positions == list(range(positions[0], positions[0] + 30))
    assert ids == sorted(ids), "chain order is slotIndexId order"


def test_slots_follow_the_clock_at_400_ms(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    mint = sim.create_coin(name="Ticking", symbol="TIK")
    sim.inject_trades(mint, 1)
    sim.advance(40.0)
    sim.inject_trades(mint, 1)
    with http(sim) as client:
        newer, older = trades(client, mint)["trades"][:2]
    slot_gap = int(newer["slotIndexId"][:12]) - int(older["slotIndexId"][:12])
    assert slot_gap == 100  # 40 s / 0.4 s
    assert epoch_ms(newer["timestamp"]) - epoch_ms(older["timestamp"]) == 40_000


def test_pages_follow_the_exclusive_cursor_to_the_end_of_history(sim: SimServer) -> None:
    mint = sim.create_coin(name="Busy", symbol="BUSY")
    sim.inject_trades(mint, 250)
    chain = [t["tx"] for t in sim.trades_of(mint)]
    assert len(chain) == 250
    with http(sim) as client:
        first = trades(client, mint, limit=100)
        second = trades(client, mint, limit=100, cursor=first["pagination"]["nextCursor"])
        everything = walk(client, mint, 100)
    assert [t["tx"] for t in everything] == chain[::-1], "newest first, nothing twice"
    assert first["pagination"]["hasMore"] is True
    assert first["pagination"]["limit"] == 100
    last = first["trades"][-1]
    assert first["pagination"]["nextCursor"] == (
        f"{last['slotIndexId']}-{epoch_ms(last['timestamp'])}"
    )
    # Exclusive: the next page starts right after the cursor's trade.
    assert second["trades"][0]["tx"] == chain[::-1][100]


def test_the_last_page_says_no_more_and_then_comes_an_empty_one(sim: SimServer) -> None:
    mint = sim.create_coin(name="Short", symbol="SHRT")
    sim.inject_trades(mint, 5)
    with http(sim) as client:
        page = trades(client, mint, limit=10)
        after = trades(client, mint, limit=10, cursor=page["pagination"]["nextCursor"])
        unknown = trades(client, UNKNOWN_MINT, limit=10)
    assert len(page["trades"]) == 5
    assert page["pagination"]["hasMore"] is False
    assert after == {"trades": [], "pagination": {"hasMore": False, "limit": 10}}
    assert unknown == {"trades": [], "pagination": {"hasMore": False, "limit": 10}}


def test_a_zero_cursor_seeks_to_trades_older_than_a_time(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    mint = sim.create_coin(name="Seek", symbol="SEEK")
    for _ in range(4):  # four bursts ten seconds apart
        sim.inject_trades(mint, 3)
        sim.advance(10.0)
    chain = sim.trades_of(mint)
    third_burst_ms = epoch_ms(chain[6]["timestamp"])
    with http(sim) as client:
        older = trades(client, mint, cursor=f"{SEEK_ZERO}-{third_burst_ms}")["trades"]
        newest = trades(client, mint, cursor="0")["trades"]
        empty = trades(client, mint, cursor="")["trades"]
    assert [t["tx"] for t in older] == [t["tx"] for t in chain[:6]][::-1]
    assert all(epoch_ms(t["timestamp"]) < third_burst_ms for t in older)
    assert [t["tx"] for t in newest] == [t["tx"] for t in empty] == [t["tx"] for t in chain][::-1]


def test_limit_is_1_to_100_and_a_bad_cursor_is_refused(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        body = nest_error(client.get(f"/v2/coins/{mint}/trades", params={"limit": 101}), 400)
        assert body["message"] == "limit must not be greater than 100"
        nest_error(client.get(f"/v2/coins/{mint}/trades", params={"limit": 0}), 400)
        nest_error(client.get(f"/v2/coins/{mint}/trades", params={"cursor": "nonsense"}), 400)
        assert len(trades(client, mint, limit=100)["trades"]) <= 100
        nest_error(client.get("/v2/coins/not-a-mint/trades"), 404)


def test_filters_by_minimum_sol_and_by_wallet(sim: SimServer) -> None:
    mint = sim.create_coin(name="Whales", symbol="WHL")
    sim.inject_trades(mint, 150)
    chain = sim.trades_of(mint)
    sizes = sorted(lamports_of(t["amountSol"]) for t in chain)
    threshold = sizes[len(sizes) // 2]
    wallet = chain[-1]["userAddress"]
    with http(sim) as client:
        big = walk_filtered(client, mint, minSolAmount=f"{Decimal(threshold) / 10**9}")
        mine = walk_filtered(client, mint, userAddress=wallet)
    assert big
    assert all(lamports_of(t["amountSol"]) >= threshold for t in big)
    assert len(big) == sum(1 for s in sizes if s >= threshold)
    assert [t["tx"] for t in mine] == [t["tx"] for t in chain if t["userAddress"] == wallet][::-1]


def walk_filtered(client, mint: str, **params: object) -> list[dict]:  # type: ignore[no-untyped-def]
    out: list[dict] = []
    cursor = None
    while True:
        page = trades(client, mint, limit=7, **params, **({"cursor": cursor} if cursor else {}))
        out += page["trades"]
        if not page["pagination"]["hasMore"]:
            return out
        cursor = page["pagination"]["nextCursor"]


def test_trades_of_is_the_api_row_in_chain_order(sim: SimServer) -> None:
    mint = sim.create_coin(name="Order", symbol="ORD")
    signatures = sim.inject_trades(mint, 10)
    with http(sim) as client:
        page = trades(client, mint)["trades"]
    assert [t["tx"] for t in sim.trades_of(mint)] == signatures  # newest last
    assert sim.trades_of(mint) == page[::-1]


# -- candles -----------------------------------------------------------------------------


def candle_script(sim: SimServer) -> tuple[str, list[dict]]:
    """Twelve bursts 40 s apart over eight minutes: some minutes have no trade."""
    mint = sim.create_coin(name="Candles", symbol="CNDL")
    for _ in range(12):
        sim.inject_trades(mint, 5)
        sim.advance(40.0)
    return mint, sim.trades_of(mint)


def expected_candles(chain: list[dict], width: int, usd_per_sol: Decimal | None) -> list[dict]:
    """Buckets by the trade's whole-second time; prices are the pool price after each trade."""
    buckets: dict[int, list[dict]] = {}
    for trade in chain:
        start = epoch_ms(trade["timestamp"]) // 1000
        buckets.setdefault(start - start % width, []).append(trade)
    rows = []
    for start in sorted(buckets):
        inside = buckets[start]
        key = "priceSol" if usd_per_sol is None else "priceUsd"
        prices = [Decimal(t[key]) for t in inside]
        if usd_per_sol is None:
            volume = Decimal(sum(lamports_of(t["amountSol"]) for t in inside)) / 10**9
        else:
            volume = sum((Decimal(t["amountUsd"]) for t in inside), Decimal(0))
        rows.append(
            {
                "timestamp": start * 1000,
                "open": prices[0],
                "close": prices[-1],
                "high": max(prices),
                "low": min(prices),
                "volume": volume,
            }
        )
    return rows


def test_sol_candles_are_sparse_oldest_first_from_the_trades(quiet_sim: SimServer) -> None:
    mint, chain = candle_script(quiet_sim)
    with http(quiet_sim) as client:
        for interval, width in (("1m", 60), ("5m", 300), ("15s", 15)):
            got = client.get(
                f"/v2/coins/{mint}/candles", params={"interval": interval, "currency": "SOL"}
            ).json()
            want = expected_candles(chain, width, None)
            assert [c["timestamp"] for c in got] == [w["timestamp"] for w in want]
            for candle, expected in zip(got, want, strict=True):
                assert set(candle) == {"timestamp", "open", "high", "low", "close", "volume"}
                for key in ("open", "high", "low", "close"):
                    assert Decimal(candle[key]) == expected[key], (interval, key)
                assert Decimal(candle["volume"]) == expected["volume"]  # SOL, not lamports
            if width == 15:
                # Bursts 40 s apart: most 15 s buckets are empty, and are left out.
                gaps = {b["timestamp"] - a["timestamp"] for a, b in itertools.pairwise(got)}
                assert gaps <= {30_000, 45_000}
                assert len(got) == 12


def test_usd_candles_are_usd_per_token_and_usd_volume(quiet_sim: SimServer) -> None:
    mint, chain = candle_script(quiet_sim)
    with http(quiet_sim) as client:
        got = client.get(f"/v2/coins/{mint}/candles", params={"interval": "1m"}).json()
        v1 = client.get(
            f"/v1/coins/{mint}/candles", params={"interval": "1m", "currency": "USD"}
        ).json()
    want = expected_candles(chain, 60, Decimal(1))
    assert got == v1
    for candle, expected in zip(got, want, strict=True):
        assert Decimal(candle["close"]) == expected["close"]
        assert abs(Decimal(candle["volume"]) - expected["volume"]) <= Decimal("1e-8")


def test_candles_are_the_newest_limit_buckets(quiet_sim: SimServer) -> None:
    mint, _ = candle_script(quiet_sim)
    with http(quiet_sim) as client:
        every = client.get(f"/v2/coins/{mint}/candles", params={"interval": "1m"}).json()
        newest = client.get(
            f"/v2/coins/{mint}/candles", params={"interval": "1m", "limit": 3}
        ).json()
    assert len(every) >= 6
    assert newest == every[-3:]


def test_candle_intervals_and_limits_are_checked(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        for bad in ("1d", "2m", "", "60"):
            body = nest_error(
                client.get(f"/v2/coins/{mint}/candles", params={"interval": bad}), 400
            )
            assert body["message"] == (
                "interval must be one of : 1s, 15s, 30s, 1m, 5m, 15m, 30m, 1h, 4h, 6h, 12h, 24h"
            )
        nest_error(client.get(f"/v1/coins/{mint}/candles", params={"interval": "1d"}), 400)
        nest_error(
            client.get(f"/v2/coins/{mint}/candles", params={"interval": "1m", "limit": 1001}), 400
        )
        for interval in (
            "1s",
            "15s",
            "30s",
            "1m",
            "5m",
            "15m",
            "30m",
            "1h",
            "4h",
            "6h",
            "12h",
            "24h",
        ):
            assert (
                client.get(f"/v2/coins/{mint}/candles", params={"interval": interval}).status_code
                == 200
            )
        assert (
            client.get(f"/v1/coins/{UNKNOWN_MINT}/candles", params={"interval": "1m"}).json() == []
        )
        nest_error(client.get("/v1/coins/0OIl/candles", params={"interval": "1m"}), 404)
