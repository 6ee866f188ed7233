"""The market model: one seed gives one market, rates are knobs, the manual clock drives it,
supply is conserved, and memory stays bounded however long it runs."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import pytest

from pumptui.sim import MarketConfig, SimServer
from pumptui.sim.market import Market, supply_is_conserved
from pumptui.sim.text import HOSTILE
from tests.sim.support import check_swap_trade, epoch_ms, http, market_now

QUIET = {
    "trades_per_second": 0.0,
    "launches_per_minute": 0.0,
    "replies_per_minute": 0.0,
    "follows_per_minute": 0.0,
}


def world_as_seen(sim: SimServer) -> list[bytes]:
    """Raw bodies of the public reads a client makes, after the same script of events."""
    sim.advance(30.0)
    mint = sim.create_coin(name="Scripted", symbol="SCR", description="same every run")
    sim.inject_trades(mint, 25)
    sim.post_callout(mint, "scripted call")
    sim.advance(15.0)
    hot = sim.mints()[5]
    creator = sim.call(lambda: sim.market.coins[hot].creator)
    paths = [
        "/coins?limit=70&includeNsfw=true",
        "/coins?sort=market_cap&limit=70",
        f"/coins-v3/{mint}",
        f"/coins-v3/{hot}",
        f"/v2/coins/{hot}/trades?limit=100",
        f"/v2/coins/{mint}/trades",
        f"/v2/coins/{hot}/candles?interval=1m&currency=SOL",
        f"/v1/coins/{hot}/market-activity",
        f"/coins/holder-stats/{hot}",
        f"/coins/top-holders-v2/{hot}",
        "/boards/new",
        f"/callout/top/{hot}",
        f"/callout/top/{mint}",
        f"/users/{creator}",
        "/sol-price",
    ]
    with http(sim) as client:
        bodies = []
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            bodies.append(response.content)
        bulk = client.post("/coins-v2/mints", json={"mints": sim.mints()[:20]})
        bodies.append(bulk.content)
    return bodies


def test_two_runs_with_one_seed_answer_byte_for_byte_alike(
    sim_factory: Callable[..., SimServer],
) -> None:
    first = world_as_seen(sim_factory(seed=11))
    second = world_as_seen(sim_factory(seed=11))
    other = world_as_seen(sim_factory(seed=12))
    assert first == second
    assert all(a != b for a, b in zip(first[:4], other[:4], strict=True))


def test_a_manual_clock_stands_still_until_advanced(sim: SimServer) -> None:
    with http(sim) as client:
        before = market_now(client)
        etag = client.get("/coins").headers["ETag"]
        snapshot = sim.snapshot()
        assert client.get("/coins", headers={"If-None-Match": etag}).status_code == 304
        assert sim.snapshot()["trades_total"] == snapshot["trades_total"]
        assert market_now(client) == before
        assert client.post("/_sim/advance", json={"seconds": 5}).json()["now"] == before + 5
        assert client.post("/_sim/advance", json={"seconds": -1}).status_code == 400
    assert sim.snapshot()["trades_total"] > snapshot["trades_total"]


def test_the_hot_coin_trades_at_the_rate_asked(sim: SimServer) -> None:
    sim.set_rates(hot_trades_per_second=50.0, **QUIET)
    hot = sim.hot_mint
    before = len(sim.trades_of(hot))
    total_before = sim.snapshot()["trades_total"]
    sim.advance(10.0)
    made = len(sim.trades_of(hot)) - before
    # Poisson(500): five standard deviations either side cannot flake.
    assert abs(made - 500) <= 5 * math.sqrt(500)
    assert sim.snapshot()["trades_total"] - total_before == made  # nothing else traded
    with http(sim) as client:
        coin = client.get(f"/coins-v3/{hot}").json()
    assert coin["complete"] is False
    assert hot in sim.mints()


def test_rates_can_be_changed_over_http_and_zero_stops_a_process(sim: SimServer) -> None:
    with http(sim) as client:
        answer = client.post("/_sim/rates", json={**QUIET, "hot_trades_per_second": 20}).json()
        assert answer["hot_mint"]
        assert answer["rates"]["hot"] == 20.0
        client.post("/_sim/rates", json={"hot_trades_per_second": 0})
        assert client.post("/_sim/rates", json={"bogus": 1}).status_code == 400
    total = sim.snapshot()["trades_total"]
    coins = len(sim.mints())
    sim.advance(60.0)
    assert sim.snapshot()["trades_total"] == total
    assert len(sim.mints()) == coins


def test_launch_and_trade_rates_set_the_pace(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(warmup=0.0, launches_per_minute=30.0, trades_per_second=20.0)
    coins, trades = len(sim.mints()), sim.snapshot()["trades_total"]
    sim.advance(120.0)
    launched = len(sim.mints()) - coins
    traded = sim.snapshot()["trades_total"] - trades
    assert abs(launched - 60) <= 5 * math.sqrt(60)
    # Trades: Poisson(2400) plus the launches' own first buys.
    assert abs(traded - 2400 - launched) <= 5 * math.sqrt(2400) + launched


def test_a_burst_of_trades_lands_at_one_instant(sim: SimServer) -> None:
    mint = sim.create_coin(name="Burst", symbol="BRST")
    with http(sim) as client:
        now = market_now(client)
    signatures = sim.inject_trades(mint, 50)
    trades = sim.trades_of(mint)
    assert [t["tx"] for t in trades] == signatures
    assert {epoch_ms(t["timestamp"]) for t in trades} == {int(now) * 1000}
    assert len({t["tx"] for t in trades}) == 50
    for trade in trades:
        check_swap_trade(trade)


def test_supply_is_conserved_across_a_long_run() -> None:
    """Holders plus the curve always hold every token of every coin, graduated or not."""
    market = Market(
        MarketConfig(
            seed=3,
            clock="manual",
            warmup=0.0,
            trades_per_second=20.0,
            launches_per_minute=10.0,
            hot_trades_per_second=40.0,
            users=300,
        )
    )
    for _ in range(10):
        market.clock.advance(60.0)
        market.advance_to(market.clock.now())
        assert all(supply_is_conserved(coin) for coin in market.coins.values())
    assert market.trades_total > 30_000
    for coin in market.coins.values():
        assert all(balance > 0 for balance in coin.holders.balances.values())
        assert coin.curve.real_sol >= 0


def test_no_trade_moves_zero_sol_even_on_a_busy_hot_coin() -> None:
    """Holders never keep unsellable dust whose sale would print a zero-lamport trade (a
    price of 0 in every chart). A busy hot coin is where partial sells pile up."""
    market = Market(
        MarketConfig(
            seed=3,
            clock="manual",
            warmup=0.0,
            hot_trades_per_second=2000.0,
            **{k: 0.0 for k in QUIET},
        )
    )
    market.clock.advance(20.0)
    market.advance_to(market.clock.now())
    hot = market.hot_coin
    assert hot is not None
    assert len(hot.trades) > 35_000
    assert min(trade.sol_amount for trade in hot.trades) > 0
    assert min(trade.token_amount for trade in hot.trades) > 0
    assert min(trade.virtual_sol for trade in hot.trades) > 0


@pytest.mark.slow
def test_memory_stays_bounded_dead_coins_go_and_trades_are_capped() -> None:
    config = MarketConfig(
        seed=5,
        clock="manual",
        warmup=0.0,
        history_horizon=300.0,
        max_trades_per_coin=50,
        trades_per_second=4.0,
        launches_per_minute=6.0,
        hot_trades_per_second=5.0,
        users=200,
    )
    market = Market(config)
    launched: list[str] = list(market.coins)
    made = Counter({mint: market.trade_count(coin) for mint, coin in market.coins.items()})

    def on_event(kind: str, payload: object) -> None:
        if kind == "coin":
            launched.append(payload.mint)  # type: ignore[attr-defined]
        elif kind == "trade":
            made[payload.mint] += 1  # type: ignore[attr-defined]

    market.listeners.append(on_event)
    keep = launched[0]  # bookmarked coins are never pruned
    market.bookmark_items("someone", keep, ["default"], add=True)
    for _ in range(45):
        market.clock.advance(60.0)
        market.advance_to(market.clock.now())
    now = market.now
    gone = [mint for mint in launched if mint not in market.coins]
    assert len(gone) > len(launched) // 4
    assert keep in market.coins
    assert market.hot_coin is not None
    assert market.hot_coin.mint in market.coins
    for coin in market.coins.values():
        assert len(coin.trades) <= 55  # the cap plus its 10 % slack
        assert market.trade_count(coin) == made[coin.mint]  # forgotten trades still count
        if not coin.alive and coin.mint != keep and not coin.hot:
            assert coin.last_activity >= now - config.history_horizon - 60.0
    assert market.trade_count(market.hot_coin) > 10_000


def test_hostile_text_is_served_verbatim_for_clients_to_sanitise(
    sim_factory: Callable[..., SimServer],
) -> None:
    """The simulator does not clean names: proving the client does is the point."""
    sim = sim_factory(hostile_share=1.0, warmup=60.0)
    with http(sim) as client:
        coins = client.get("/coins", params={"limit": 100, "includeNsfw": "true"}).json()
    assert len(coins) > 5
    assert all(coin["name"] in HOSTILE for coin in coins)
    assert any("\x1b" in coin["name"] for coin in coins)
