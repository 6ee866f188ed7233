"""Stats and holders (pumpfun-api-2026.md §3.4): market activity windows counted from the trades,
the USD ATH, holder figures from the wallets' balances, and the SOL price with its age."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from pumptui.sim import SimServer
from tests.sim.support import LAUNCH_REAL_TOKENS, TOTAL_SUPPLY, http, lamports_of, raw_of

UNKNOWN_MINT = "So11111111111111111111111111111111111111112"
WINDOW_KEYS = {
    "numTxs",
    "volumeUSD",
    "numUsers",
    "numBuys",
    "numSells",
    "buyVolumeUSD",
    "sellVolumeUSD",
    "numBuyers",
    "numSellers",
    "priceChangePercent",
}


@pytest.fixture
def quiet_sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    return sim_factory(trades_per_second=0.0, launches_per_minute=0.0)


def test_market_activity_counts_the_trades_in_each_window(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    mint = sim.create_coin(name="Active", symbol="ACT")
    sim.inject_trades(mint, 20)
    sim.advance(600.0)  # ten minutes later: outside 5m, inside 1h
    sim.inject_trades(mint, 7)
    chain = sim.trades_of(mint)
    with http(sim) as client:
        activity = client.get(f"/v1/coins/{mint}/market-activity").json()
    assert set(activity) == {"5m", "1h", "6h", "24h"}
    for window in activity.values():
        assert set(window) == WINDOW_KEYS
    recent, hour = chain[20:], chain
    assert activity["5m"]["numTxs"] == 7
    assert activity["1h"]["numTxs"] == activity["24h"]["numTxs"] == 27
    for name, inside in (("5m", recent), ("1h", hour)):
        w = activity[name]
        buys = [t for t in inside if t["type"] == "buy"]
        assert w["numBuys"] == len(buys)
        assert w["numSells"] == len(inside) - len(buys)
        assert w["numUsers"] == len({t["userAddress"] for t in inside})
        assert w["numBuyers"] == len({t["userAddress"] for t in buys})
        usd = sum(Decimal(t["amountUsd"]) for t in inside)
        assert w["volumeUSD"] == pytest.approx(float(usd), rel=1e-9)
        assert w["buyVolumeUSD"] + w["sellVolumeUSD"] == pytest.approx(w["volumeUSD"])
    # The hour's change runs from the launch price to the last trade's pool price.
    launch = (30_000_000_000 / 1e9) / (1_073_000_000_000_000 / 1e6)
    last = float(Decimal(chain[-1]["priceSol"]))
    assert activity["1h"]["priceChangePercent"] == pytest.approx(
        (last / launch - 1) * 100, rel=1e-9
    )


def test_the_batch_buys_fifty_coins_for_one_request(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    traded = sim.create_coin(name="Traded", symbol="TRD")
    idle = sim.create_coin(name="Idle", symbol="IDL")
    sim.inject_trades(traded, 4)
    with http(sim) as client:
        response = client.post(
            "/v1/coins/market-activity/batch",
            json={
                "addresses": [traded, idle, UNKNOWN_MINT],
                "intervals": ["1m", "5m"],
                "metrics": ["numTxs"],
            },
        )
        too_many = client.post(
            "/v1/coins/market-activity/batch", json={"addresses": [UNKNOWN_MINT] * 51}
        )
    assert response.status_code == 201
    assert response.json() == {
        traded: {"1m": {"numTxs": 4}, "5m": {"numTxs": 4}},
        idle: {"1m": None, "5m": None},
        UNKNOWN_MINT: {"1m": None, "5m": None},
    }
    assert too_many.status_code == 400


def test_ath_is_the_highest_usd_market_cap(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    mint = sim.create_coin(name="Peak", symbol="PEAK")
    sim.inject_trades(mint, 40)
    with http(sim) as client:
        ath = client.get(f"/v1/coins/{mint}/ath", params={"currency": "USD"}).json()
        coin = client.get(f"/coins-v3/{mint}").json()
    # Market cap = price per whole token × a billion tokens, in USD at each trade's SOL price.
    caps = [Decimal(t["priceUsd"]) * 10**9 for t in sim.trades_of(mint)]
    assert ath["athMarketCap"] == pytest.approx(float(max(caps)), rel=1e-9)
    assert coin["ath_market_cap"] == ath["athMarketCap"]


def test_holders_are_the_wallets_the_trades_left_holding(quiet_sim: SimServer) -> None:
    sim = quiet_sim
    creator = sim.user_address
    mint = sim.create_coin(name="Held", symbol="HELD", creator=creator)
    sim.advance(30.0)  # past the sniping window
    sim.inject_trades(mint, 60)
    balances: dict[str, int] = {}
    for t in sim.trades_of(mint):
        sign = 1 if t["type"] == "buy" else -1
        balances[t["userAddress"]] = balances.get(t["userAddress"], 0) + sign * raw_of(
            t["baseAmount"]
        )
    holding = {w: b for w, b in balances.items() if b > 0}
    top10 = sorted(holding.values(), reverse=True)[:10]
    with http(sim) as client:
        stats = client.get(f"/coins/holder-stats/{mint}").json()
        top = client.get(f"/coins/top-holders-v2/{mint}").json()
        count = client.get(f"/token-holders/{mint}/count").json()
        coin = client.get(f"/coins-v3/{mint}").json()
        missing = client.get(f"/coins/holder-stats/{UNKNOWN_MINT}")
    assert count == {
        "mint": mint,
        "chain": "solana",
        "networkId": 1399811149,
        "holderCount": len(holding),
    }
    assert stats["totalHolders"] == top["totalHolders"] == len(holding)
    assert stats["top10HoldersPercent"] == pytest.approx(sum(top10) * 100 / TOTAL_SUPPLY)
    # Nobody bought in the creation slot or the first seconds, and the creator never bought.
    assert stats["devHoldingsPercent"] == 0
    assert stats["snipersHoldingsPercent"] == stats["bundlersHoldingsPercent"] == 0
    fees = sum(lamports_of(t["amountSol"]) for t in sim.trades_of(mint)) / 100 / 1e9
    assert stats["totalFeesSol"] == pytest.approx(fees, rel=1e-3)  # 1 % of the SOL moved
    assert [h["amount"] for h in top["topHolders"][:10]] == [b / 1e6 for b in top10]
    assert all(h["enteredAt"] is None and h["isDev"] is False for h in top["topHolders"])
    # Holders hold what the curve sold.
    assert sum(holding.values()) == LAUNCH_REAL_TOKENS - coin["real_token_reserves"]
    assert missing.status_code == 404
    assert missing.json()["message"] == f"Coin not found for mint: {UNKNOWN_MINT}"


def test_dev_snipers_and_bundlers_follow_the_documented_rules(quiet_sim: SimServer) -> None:
    """Bundler: first buy in the creation slot; sniper: first buy within 5 s of creation; the
    creator is the dev, never a sniper nor a bundler."""
    sim = quiet_sim

    def script() -> tuple[str, str, str, str]:
        market = sim.market
        coin = market.create_coin(name="Launch", symbol="LNCH", creator=sim.user_address)
        market._buy(coin, coin.creator, 1_000_000_000)  # the dev, same slot
        bundler = market._random_user().address
        market._buy(coin, bundler, 2_000_000_000)  # same slot: a bundle
        market.clock.advance(2.0)
        market.advance_to(market.clock.now())
        sniper = market._random_user().address
        market._buy(coin, sniper, 500_000_000)
        market.clock.advance(10.0)
        market.advance_to(market.clock.now())
        late = market._random_user().address
        market._buy(coin, late, 500_000_000)
        return coin.mint, bundler, sniper, late

    mint, bundler, sniper, late = sim.call(script)
    with http(sim) as client:
        top = {
            h["address"]: h
            for h in client.get(f"/coins/top-holders-v2/{mint}").json()["topHolders"]
        }
        stats = client.get(f"/coins/holder-stats/{mint}").json()
    dev = sim.user_address
    assert (top[dev]["isDev"], top[dev]["isSniper"], top[dev]["isBundler"]) == (True, False, False)
    assert (top[bundler]["isBundler"], top[bundler]["isSniper"]) == (True, False)
    assert (top[sniper]["isSniper"], top[sniper]["isBundler"]) == (True, False)
    assert (top[late]["isSniper"], top[late]["isBundler"]) == (False, False)
    for key, wallet in (
        ("devHoldingsPercent", dev),
        ("bundlersHoldingsPercent", bundler),
        ("snipersHoldingsPercent", sniper),
    ):
        assert stats[key] == pytest.approx(top[wallet]["amount"] * 1e6 * 100 / TOTAL_SUPPLY)


def test_sol_price_says_when_and_whether_it_is_stale(quiet_sim: SimServer) -> None:
    with http(quiet_sim) as client:
        first = client.get("/sol-price").json()
        quiet_sim.advance(25.0)  # the price moves every 10 s
        later = client.get("/sol-price").json()
    assert set(first) == {"solPrice", "asOfTimestamp", "stale"}
    assert 20 <= first["solPrice"] <= 1000
    assert later["asOfTimestamp"] - first["asOfTimestamp"] in (20_000, 30_000)
    assert first["stale"] is later["stale"] is False
