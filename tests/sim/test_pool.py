"""Graduated coins keep trading: the curve's reserves migrate to a PumpSwap constant-product pool
(`program` pump_amm, pumpfun-api-2026.md §3.2), whose maths is x·y = k on real reserves."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pumptui.sim import BondingCurve, SimServer
from pumptui.sim.market import supply_is_conserved
from pumptui.sim.pool import ConstantProductPool
from tests.sim.support import (
    LAMPORTS_PER_SOL,
    LAUNCH_REAL_TOKENS,
    TOTAL_SUPPLY,
    check_coin,
    check_swap_trade,
    http,
    lamports_of,
    raw_of,
)

SOL = LAMPORTS_PER_SOL
# PumpSwap's fee as publicly described (0.20 % to LPs + 0.05 % protocol), taken in SOL.
FEE_BPS = 25


def completed_curve() -> BondingCurve:
    curve = BondingCurve()
    curve.buy(200 * SOL)
    assert curve.complete
    return curve


def test_the_pool_takes_the_curves_sol_and_the_tokens_it_never_sold() -> None:
    curve = completed_curve()
    pool = ConstantProductPool.from_curve(curve)
    assert pool.sol == curve.real_sol
    assert pool.sol / SOL == pytest.approx(85.0, abs=0.05)
    assert pool.tokens == TOTAL_SUPPLY - LAUNCH_REAL_TOKENS  # 206.9 M tokens
    # The curve's constants make the pool open at the curve's last price: no jump on the chart.
    assert pool.price_sol == pytest.approx(curve.price_sol, rel=1e-3)
    assert pool.market_cap_sol == pytest.approx(410.9, abs=0.5)


def test_a_pool_buy_follows_the_constant_product_formula() -> None:
    pool = ConstantProductPool(sol=100 * SOL, tokens=200_000_000 * 10**6)
    fill = pool.buy(SOL)
    net = SOL * 10_000 // (10_000 + FEE_BPS)
    assert fill.sol_amount == net
    assert fill.token_amount == net * 200_000_000 * 10**6 // (100 * SOL + net)
    assert fill.fee == -(-net * FEE_BPS // 10_000)
    assert (pool.sol, pool.tokens) == (100 * SOL + net, 200_000_000 * 10**6 - fill.token_amount)


def test_a_pool_sell_follows_the_constant_product_formula() -> None:
    pool = ConstantProductPool(sol=100 * SOL, tokens=200_000_000 * 10**6)
    sold = 1_000_000 * 10**6
    fill = pool.sell(sold)
    out = sold * 100 * SOL // (200_000_000 * 10**6 + sold)
    assert (fill.sol_amount, fill.token_amount) == (out, sold)
    assert fill.trader_sol == out - -(-out * FEE_BPS // 10_000)
    assert (pool.sol, pool.tokens) == (100 * SOL - out, 200_000_000 * 10**6 + sold)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(min_value=10**6, max_value=50 * SOL)),
        min_size=1,
        max_size=40,
    )
)
def test_k_never_shrinks_and_reserves_stay_positive(steps: list[tuple[bool, int]]) -> None:
    pool = ConstantProductPool.from_curve(completed_curve())
    held = 0
    for is_buy, amount in steps:
        k = pool.sol * pool.tokens
        if is_buy:
            try:
                held += pool.buy(amount).token_amount
            except ValueError:
                continue
        elif held:
            sold = min(held, amount * 1000)
            pool.sell(sold)
            held -= sold
        assert pool.sol > 0
        assert pool.tokens > 0
        assert pool.sol * pool.tokens >= k  # roundings favour the pool
    assert pool.tokens + held == pool.initial_tokens


def graduate_on_server(sim: SimServer, mint: str) -> None:
    def buy_out() -> None:
        market = sim.market
        coin = market.coins[mint]
        market._buy(coin, market._random_user().address, 1_000 * SOL)
        assert coin.curve.complete

    sim.call(buy_out)


def test_a_graduated_coin_keeps_trading_on_pumpswap(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    mint = sim.create_coin(name="Alumnus", symbol="ALUM")
    sim.inject_trades(mint, 5)
    graduate_on_server(sim, mint)
    after = sim.inject_trades(mint, 40)
    assert len(after) == 40, "trading went on after graduation"
    with http(sim) as client:
        rows = client.get(f"/v2/coins/{mint}/trades", params={"limit": 100}).json()["trades"]
        newest_first = [r["tx"] for r in rows]
        assert newest_first[:40] == after[::-1]
        for row in rows[:40]:
            check_swap_trade(row, program="pump_amm")
        assert {r["program"] for r in rows[40:]} == {"pump"}
        only_amm = client.get(
            f"/v2/coins/{mint}/trades", params={"limit": 100, "program": "pump_amm"}
        ).json()["trades"]
        assert [r["tx"] for r in only_amm] == after[::-1]
        coin = client.get(f"/coins-v3/{mint}").json()
        check_coin(coin)
        assert coin["complete"] is True
        # The pool prices the coin: its market cap is the newest trade's price × the supply.
        price = Decimal(rows[0]["priceSol"])
        assert coin["market_cap"] == pytest.approx(float(price) * 1e9, rel=1e-9)

    def replayed() -> tuple[int, int, bool]:
        sim_coin = sim.market.coins[mint]
        assert sim_coin.amm is not None
        return sim_coin.amm.sol, sim_coin.amm.tokens, supply_is_conserved(sim_coin)

    pool_sol, pool_tokens, conserved = sim.call(replayed)
    assert conserved
    # The rows replay to the pool's reserves: buys add their SOL and take their tokens.
    start_sol, start_tokens = pool_sol, pool_tokens
    for row in only_amm:
        sol, tokens = lamports_of(row["amountSol"]), raw_of(row["baseAmount"])
        if row["type"] == "buy":
            start_sol, start_tokens = start_sol - sol, start_tokens + tokens
        else:
            start_sol, start_tokens = start_sol + sol, start_tokens - tokens
    assert start_tokens == TOTAL_SUPPLY - LAUNCH_REAL_TOKENS
