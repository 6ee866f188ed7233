"""The bonding curve: launch and graduation figures from the program docs, exact fee accounting,
and invariants (no negative reserves, conserved supply) over arbitrary trade sequences."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pumptui.sim import BondingCurve, SimServer
from pumptui.sim.curve import CurveComplete, graduation_market_cap_sol
from tests.sim.support import (
    LAMPORTS_PER_SOL,
    LAUNCH_REAL_TOKENS,
    LAUNCH_VIRTUAL_SOL,
    LAUNCH_VIRTUAL_TOKENS,
    check_coin,
    http,
)

SOL = LAMPORTS_PER_SOL


def test_launch_price_and_market_cap_match_the_program_docs() -> None:
    curve = BondingCurve()
    assert curve.price_sol == pytest.approx(2.796e-8, rel=1e-3)
    assert curve.market_cap_sol == pytest.approx(27.96, rel=1e-3)
    assert curve.progress == 0.0


def test_buying_every_real_token_graduates_at_85_sol_and_410_9_market_cap() -> None:
    curve = BondingCurve()
    fill = curve.buy(200 * SOL)  # more than enough: capped at the tokens left
    assert fill.token_amount == LAUNCH_REAL_TOKENS
    assert curve.complete
    assert curve.real_tokens == 0
    assert curve.progress == 1.0
    assert curve.real_sol / SOL == pytest.approx(85.0, abs=0.05)
    assert curve.market_cap_sol == pytest.approx(410.9, abs=0.1)
    assert graduation_market_cap_sol() == pytest.approx(curve.market_cap_sol, rel=1e-6)
    # The capped buyer paid only what the remaining tokens cost, plus the 1 % fee.
    assert fill.sol_amount == curve.real_sol
    assert fill.fee == -(-fill.sol_amount // 100)
    with pytest.raises(CurveComplete):
        curve.buy(SOL)
    with pytest.raises(CurveComplete):
        curve.sell(1)


@pytest.mark.parametrize("spend", [10_000_000, SOL, 17 * SOL, 60 * SOL])
def test_a_round_trip_loses_exactly_the_fees(spend: int) -> None:
    """Buy, then sell the same tokens: the trader is down the two fees, and the only other
    difference is rounding dust (at most a lamport) that stays in the curve."""
    curve = BondingCurve()
    buy = curve.buy(spend)
    sell = curve.sell(buy.token_amount)
    assert buy.fee == -(-buy.sol_amount * 100 // 10_000)
    assert sell.fee == -(-sell.sol_amount * 100 // 10_000)
    dust = curve.real_sol
    assert 0 <= dust <= 1
    assert buy.trader_sol - sell.trader_sol == buy.fee + sell.fee + dust
    assert buy.trader_sol <= spend
    assert curve.real_tokens == LAUNCH_REAL_TOKENS
    assert curve.virtual_sol == LAUNCH_VIRTUAL_SOL + dust


# A trade: ("buy", lamports spent) or ("sell", holder index, share of their balance in ‰).
trades = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.integers(1, 120 * SOL)),
        st.tuples(st.just("sell"), st.integers(0, 7), st.integers(1, 1000)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(trades)
def test_reserves_never_go_negative_and_supply_is_conserved(ops: list[tuple]) -> None:
    curve = BondingCurve()
    holders = [0] * 8
    k = curve.virtual_sol * curve.virtual_tokens
    for i, op in enumerate(ops):
        if curve.complete:
            break
        price_before = curve.price_sol
        if op[0] == "buy":
            try:
                fill = curve.buy(op[1])
            except ValueError:  # too small to buy a single raw unit
                continue
            holders[i % 8] += fill.token_amount
            assert curve.price_sol >= price_before
        else:
            who = op[1]
            amount = holders[who] * op[2] // 1000
            if amount <= 0:
                continue
            fill = curve.sell(amount)
            holders[who] -= amount
            assert curve.price_sol <= price_before
            assert 0 <= fill.fee <= fill.sol_amount
        assert curve.real_sol >= 0
        assert curve.real_tokens >= 0
        assert sum(holders) + curve.real_tokens == LAUNCH_REAL_TOKENS
        assert curve.virtual_sol - curve.real_sol == LAUNCH_VIRTUAL_SOL
        assert (
            curve.virtual_tokens - curve.real_tokens == LAUNCH_VIRTUAL_TOKENS - LAUNCH_REAL_TOKENS
        )
        # Integer rounding always favours the curve: the product never shrinks.
        new_k = curve.virtual_sol * curve.virtual_tokens
        assert new_k >= k
        k = new_k
        assert curve.complete == (curve.real_tokens == 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200 * SOL))
def test_a_buy_never_takes_more_than_the_real_tokens_nor_costs_more_than_offered(
    spend: int,
) -> None:
    curve = BondingCurve()
    try:
        fill = curve.buy(spend)
    except ValueError:
        assert curve.tokens_for_sol(spend)[0] == 0
        return
    assert 0 < fill.token_amount <= LAUNCH_REAL_TOKENS
    assert fill.sol_amount + fill.fee <= spend + 1  # fee rounded up by at most a lamport
    exact_tokens = fill.sol_amount * LAUNCH_VIRTUAL_TOKENS / (LAUNCH_VIRTUAL_SOL + fill.sol_amount)
    assert fill.token_amount <= exact_tokens + 1


def test_a_coin_launched_on_the_server_starts_at_the_launch_reserves(sim: SimServer) -> None:
    mint = sim.create_coin(name="Fresh", symbol="FRSH")
    with http(sim) as client:
        sol_price = client.get("/sol-price").json()["solPrice"]
        coin = client.get(f"/coins-v3/{mint}").json()
    check_coin(coin, sol_price)
    assert coin["virtual_sol_reserves"] == LAUNCH_VIRTUAL_SOL
    assert coin["virtual_token_reserves"] == LAUNCH_VIRTUAL_TOKENS
    assert coin["real_sol_reserves"] == 0
    assert coin["real_token_reserves"] == LAUNCH_REAL_TOKENS
    assert coin["market_cap"] == pytest.approx(27.96, rel=1e-3)
    assert coin["complete"] is False
    assert coin["pump_swap_pool"] is None


def test_a_coin_pumped_on_the_server_graduates_and_migrates(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(nsfw_share=0.0, warmup=0.0)
    # A coin with a very bullish fate: its traders nearly always buy.
    mint = sim.call(lambda: sim.market.create_coin(name="Rocket", symbol="RKT", fate=3.0).mint)
    with http(sim) as client:
        for _ in range(4000):
            sim.inject_trades(mint, 1)
            if sim.call(lambda: sim.market.coins[mint].curve.complete):
                break
        coin = client.get(f"/coins-v3/{mint}").json()
        sol_price = client.get("/sol-price").json()["solPrice"]
        check_coin(coin)
        assert coin["complete"] is True
        assert coin["real_token_reserves"] == 0
        # The curve took 85 SOL; in 2026 a graduated coin shows its real SOL as 0 (the pool
        # holds it now), the virtual reserves still say where the curve ended.
        assert (coin["virtual_sol_reserves"] - LAUNCH_VIRTUAL_SOL) / SOL == pytest.approx(
            85.0, abs=0.05
        )
        assert coin["real_sol_reserves"] == 0
        assert coin["market_cap"] == pytest.approx(410.9, abs=0.1)
        assert coin["usd_market_cap"] == pytest.approx(coin["market_cap"] * sol_price)
        assert coin["pump_swap_pool"] is not None
        assert coin["pool_address"] == coin["pump_swap_pool"]
        # Trading has moved off the curve to PumpSwap: the curve stays as it ended.
        frozen = (coin["virtual_sol_reserves"], coin["virtual_token_reserves"])
        after = sim.call(lambda: sim.market.inject_trades(mint, 3))
        assert [t.program for t in after] == ["pump_amm"] * 3
        again = client.get(f"/coins-v3/{mint}").json()
        assert (again["virtual_sol_reserves"], again["virtual_token_reserves"]) == frozen
        graduated = client.get("/coins", params={"complete": "true", "limit": 70}).json()
        assert mint in {c["mint"] for c in graduated}
        on_curve = client.get("/coins", params={"complete": "false", "limit": 70}).json()
        assert mint not in {c["mint"] for c in on_curve}
