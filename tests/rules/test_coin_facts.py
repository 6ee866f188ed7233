"""What each coin field means: read from the coin, its holder stats, its trenches board entry, its
market activity and the prices the app has seen. Expected figures come from the bonding-curve
constants (program docs) and the API reference's units, not from the code under test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from pumptui.api.models import (
    INITIAL_REAL_TOKEN_RESERVES,
    BoardEntry,
    Coin,
    HolderStats,
    MarketActivity,
)
from pumptui.rules import GRADUATING_CURVE_PERCENT, CoinFacts, coin_facts, parse

MINT = "Mint1111111111111111111111111111111111111pump"
CREATOR = "Dev11111111111111111111111111111111111111111"
NOW = 1_780_000_600.0
SOL_USD = 200.0
LAUNCH_VSOL = 30_000_000_000
LAUNCH_VTOK = 1_073_000_000_000_000
LAUNCH_CAP_SOL = 27.96  # program docs: 30 SOL / 1.073 B tokens × 1 B supply


LAUNCH = Coin(
    mint=MINT,
    name="Baby Pepe",
    symbol="BPEPE",
    creator=CREATOR,
    created_at=NOW - 90,
    virtual_sol_reserves=LAUNCH_VSOL,
    virtual_token_reserves=LAUNCH_VTOK,
    real_token_reserves=INITIAL_REAL_TOKEN_RESERVES,
    market_cap_sol=LAUNCH_VSOL / LAUNCH_VTOK * 1_000_000,
    reply_count=7,
    ath_market_cap_usd=9_000.0,
)


def launch_coin(**changes: Any) -> Coin:
    return replace(LAUNCH, **changes)


def on_curve(sold: float) -> Coin:
    """A coin with `sold` (0-1) of its 793.1 M curve tokens bought."""
    return launch_coin(real_token_reserves=round(INITIAL_REAL_TOKEN_RESERVES * (1 - sold)))


ACTIVITY = MarketActivity.from_api(
    {
        "5m": {
            "numTxs": 40,
            "volumeUSD": "12500.5",
            "numBuys": 30,
            "numSells": 10,
            "numBuyers": 25,
            "numSellers": 8,
            "priceChangePercent": 35.5,
        },
        "1h": {"numTxs": 400, "volumeUSD": 90_000, "priceChangePercent": -12.0},
        "24h": None,
    },
    MINT,
)
BOARD = BoardEntry(
    mint=MINT,
    market_cap_usd=7_000.0,
    age_seconds=120.0,
    curve_percent=42.0,
    volume_usd_5m=3_000.0,
    txs_5m=11,
    holders=64,
    top10_percent=31.5,
    dev_percent=4.0,
    snipers=3,
)


def facts(
    coin: Coin = LAUNCH,
    *,
    sol_usd: float | None = SOL_USD,
    board: BoardEntry | None = None,
    activity: MarketActivity | None = None,
    price_points: Sequence[tuple[float, float]] = (),
    holder_stats: HolderStats | None = None,
) -> CoinFacts:
    return coin_facts(
        coin,
        now=NOW,
        sol_usd=sol_usd,
        board=board,
        activity=activity,
        price_points=price_points,
        holder_stats=holder_stats,
    )


def test_age_is_seconds_since_creation() -> None:
    assert facts().value("age", None) == 90.0
    assert facts(launch_coin(created_at=None), board=BOARD).value("age", None) == 120.0
    assert facts(launch_coin(created_at=None)).value("age", None) is None


def test_market_cap_in_sol_and_in_usd_at_the_current_sol_price() -> None:
    f = facts()
    assert f.value("mcsol", None) == pytest.approx(LAUNCH_CAP_SOL, rel=1e-3)
    assert f.value("mc", None) == pytest.approx(LAUNCH_CAP_SOL * SOL_USD, rel=1e-3)


def test_market_cap_without_a_sol_price_is_the_coins_usd_figure_else_the_boards() -> None:
    coin = launch_coin(market_cap_usd=6_000.0)
    assert facts(coin, sol_usd=None).value("mc", None) == 6_000.0
    assert facts(launch_coin(), sol_usd=None, board=BOARD).value("mc", None) == 7_000.0
    assert facts(launch_coin(), sol_usd=None).value("mc", None) is None


def test_a_coin_quoted_in_another_currency_has_no_sol_market_cap_of_its_own() -> None:
    usdc = launch_coin(
        quote_mint="EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", market_cap_usd=1e6
    )
    assert facts(usdc, sol_usd=None).value("mcsol", None) is None
    assert facts(usdc, sol_usd=250.0).value("mcsol", None) == 4_000.0


@pytest.mark.parametrize(
    ("sold", "curve", "stage"),
    [
        (0.0, 0.0, "new"),
        (0.69, 69.0, "new"),
        (0.70, 70.0, "graduating"),
        (0.95, 95.0, "graduating"),
    ],
)
def test_curve_and_stage_from_the_share_of_the_curve_sold(
    sold: float, curve: float, stage: str
) -> None:
    f = facts(on_curve(sold))
    assert f.value("curve", None) == pytest.approx(curve)
    assert f.value("stage", None) == stage


def test_the_final_stretch_starts_where_the_trenches_graduating_board_does() -> None:
    assert GRADUATING_CURVE_PERCENT == 70.0  # the simulator's GRADUATING_PROGRESS = 0.70


def test_a_complete_coin_is_graduated_with_a_full_curve() -> None:
    f = facts(launch_coin(complete=True))
    assert f.value("stage", None) == "graduated"
    assert f.value("curve", None) == 100.0


def test_a_coin_without_reserves_takes_the_boards_curve() -> None:
    bare = launch_coin(virtual_token_reserves=0, real_token_reserves=0)
    assert facts(bare, board=BOARD).value("curve", None) == 42.0
    assert facts(bare, board=BOARD).value("stage", None) == "new"
    assert facts(bare).value("stage", None) is None


def test_holder_figures_come_from_the_board_and_holder_stats_win() -> None:
    f = facts(board=BOARD)
    assert (f.value("holders", None), f.value("top10", None), f.value("dev", None)) == (
        64.0,
        31.5,
        4.0,
    )
    assert f.value("snipers", None) == 3.0
    stats = HolderStats(MINT, total_holders=70, top10_percent=30.0, dev_percent=0.0)
    g = facts(board=BOARD, holder_stats=stats)
    assert (g.value("holders", None), g.value("top10", None), g.value("dev", None)) == (
        70.0,
        30.0,
        0.0,
    )
    assert facts().value("holders", None) is None


def test_windowed_figures_come_from_market_activity() -> None:
    f = facts(activity=ACTIVITY, board=BOARD)
    assert f.value("vol", 300.0) == 12_500.5
    assert f.value("vol", 3600.0) == 90_000.0
    assert f.value("trades", 300.0) == 40.0
    assert f.value("trades", 3600.0) == 400.0
    assert [f.value(n, 300.0) for n in ("buys", "sells", "buyers", "sellers")] == [30, 10, 25, 8]
    assert f.value("change", 300.0) == 35.5
    assert f.value("change", 3600.0) == -12.0
    assert f.value("vol", 86400.0) is None  # the server had no 24h window


def test_without_market_activity_five_minute_volume_and_trades_come_from_the_board() -> None:
    f = facts(board=BOARD)
    assert f.value("vol", 300.0) == 3_000.0
    assert f.value("trades", 300.0) == 11.0
    assert f.value("vol", 3600.0) is None
    assert f.value("buys", 300.0) is None


def test_change_over_another_window_is_computed_from_the_prices_seen() -> None:
    points = [(NOW - 600, 1.0), (NOW - 200, 2.0), (NOW - 60, 2.5), (NOW, 3.0)]
    f = facts(price_points=points)
    assert f.value("change", 180.0) == pytest.approx(50.0)  # 2.0 three minutes ago → 3.0
    assert f.value("change", 600.0) == pytest.approx(200.0)
    assert f.value("change", 900.0) is None  # the prices seen do not reach back 15 minutes


def test_text_fields() -> None:
    f = facts()
    assert [f.value(n, None) for n in ("name", "symbol", "mint", "creator")] == [
        "Baby Pepe",
        "BPEPE",
        MINT,
        CREATOR,
    ]
    assert f.value("replies", None) == 7.0
    assert f.value("ath", None) == 9_000.0


def test_a_rule_over_a_coin() -> None:
    rule = parse("mc > 5k and age < 10m and dev < 5% and holders >= 50 and name ~ pepe")
    assert rule.evaluate(facts(board=BOARD))
    assert not rule.evaluate(facts(board=BOARD, sol_usd=100.0))  # mc ≈ 2.8k
    assert not rule.evaluate(facts())  # holders and dev unknown
    assert parse("change 5m > 30% and vol 5m >= 10k").evaluate(facts(activity=ACTIVITY))
    assert parse("not (stage = graduated) and top10 <= 35%").evaluate(facts(board=BOARD))
