"""Candles from trades: built incrementally, they match a computation from scratch."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pumptui.api.models import Candle
from pumptui.live.candles import TIMEFRAMES, CandleSeries, aggregate, candles_from_trades
from tests.live.factories import mint, trade


def test_one_bucket_has_first_and_last_prices_extremes_and_summed_volume() -> None:
    trades = [
        trade(1, timestamp=60.0, lamports=100, tokens=1_000_000),  # price 1e-7
        trade(2, timestamp=61.0, lamports=300, tokens=1_000_000),
        trade(3, timestamp=62.0, lamports=50, tokens=1_000_000),
        trade(4, timestamp=119.0, lamports=200, tokens=1_000_000),
        trade(5, timestamp=120.0, lamports=400, tokens=1_000_000),
    ]
    first, second = candles_from_trades(trades, 60)
    assert (first.start, first.open, first.high, first.low, first.close) == (
        60.0,
        1e-7,
        3e-7,
        5e-8,
        2e-7,
    )
    assert first.volume_sol == 650 / 1e9
    # The next candle opens where this one closed, as charting sites draw them.
    assert (second.start, second.open, second.high, second.low, second.close) == (
        120.0,
        2e-7,
        4e-7,
        2e-7,
        4e-7,
    )


def test_a_candle_of_one_sell_is_red_and_one_of_one_buy_green() -> None:
    # One trade a bucket (1 s or 15 s charts): each candle must show which way the price went.
    trades = [
        trade(1, timestamp=60.0, lamports=300, tokens=1_000_000),  # price 3e-7
        trade(2, timestamp=75.0, lamports=100, tokens=1_000_000),  # a sell to 1e-7
        trade(3, timestamp=90.0, lamports=200, tokens=1_000_000),  # a buy to 2e-7
    ]
    series = CandleSeries(mint(0), 15)
    for each in reversed(trades):  # arrival order does not matter
        series.add_trade(each)
    for candles in (candles_from_trades(trades, 15), series.candles()):
        _, sell, buy = candles
        assert sell.close < sell.open  # red
        assert buy.close > buy.open  # green
    assert series.candles(limit=1)[0].open == 1e-7  # a window still opens at the close before


def test_a_trade_that_moved_no_tokens_makes_no_price() -> None:
    assert candles_from_trades([trade(1, tokens=0)], 60) == []
    series = CandleSeries(mint(0), 60)
    assert not series.add_trade(trade(1, tokens=0))


def test_a_series_keeps_only_its_newest_buckets() -> None:
    series = CandleSeries(mint(0), 1, capacity=50)
    for n in range(500):
        series.add_trade(trade(n))
    candles = series.candles()
    assert len(candles) == 50
    assert candles[-1].start == trade(499).timestamp


@settings(max_examples=80, deadline=None)
@given(
    gaps=st.lists(st.floats(min_value=0, max_value=200), min_size=1, max_size=120),
    seed=st.integers(0, 2**32),
)
def test_incremental_candles_equal_candles_from_scratch_in_any_arrival_order(
    gaps: list[float], seed: int
) -> None:
    rng = random.Random(seed)
    clock = 1_780_000_000.0
    trades = []
    for n, gap in enumerate(gaps):
        clock += gap
        trades.append(
            trade(
                n,
                timestamp=int(clock),
                lamports=rng.randrange(1, 10**10),
                tokens=rng.randrange(1, 10**13),
            )
        )
    shuffled = trades[:]
    rng.shuffle(shuffled)
    for seconds in TIMEFRAMES:
        series = CandleSeries(mint(0), seconds, capacity=10_000)
        for t in shuffled:
            series.add_trade(t)
        assert series.candles() == candles_from_trades(trades, seconds)


def test_fine_candles_aggregate_into_coarse_ones() -> None:
    fine = [Candle(mint(0), 60.0 * n, 1.0 + n, 2.0 + n, 0.5, 1.5 + n, 1.0, 60) for n in range(30)]
    coarse = aggregate(fine, 900)
    assert [c.start for c in coarse] == [0.0, 900.0]
    assert coarse[0].open == 1.0
    assert coarse[0].close == 15.5
    assert coarse[0].high == 16.0
    assert coarse[0].volume_sol == 15.0


def test_a_confirmed_push_trade_moves_to_the_bucket_of_its_block_time() -> None:
    from dataclasses import replace

    series = CandleSeries(mint(0), 1)
    first = trade(1, timestamp=100.2, lamports=50)
    series.add_trade(first)
    confirmed = trade(2, timestamp=100.7, lamports=70, tokens=1_000_000_000_000)
    # Received 0.6 s after its block time: a second later, in another 1 s bucket.
    pushed = replace(confirmed, slot=0, timestamp=101.3, pushed_seq=1)
    series.add_trade(pushed)
    assert [c.start for c in series.candles()] == [100.0, 101.0]

    series.confirm(pushed, confirmed)
    assert series.candles() == candles_from_trades([first, confirmed], 1)
    # A later trade in the same bucket may close it: the confirmed key is the real one.
    later = trade(3, timestamp=100.9, lamports=10, tokens=2_000_000_000_000)
    series.add_trade(later)
    assert series.candles() == candles_from_trades([first, confirmed, later], 1)


def test_a_confirmed_push_trade_in_the_same_bucket_only_changes_its_order() -> None:
    from dataclasses import replace

    series = CandleSeries(mint(0), 60)
    confirmed = trade(2, timestamp=110.0)
    pushed = replace(confirmed, slot=0, timestamp=111.0, pushed_seq=1)
    series.add_trade(pushed)
    series.confirm(pushed, confirmed)
    late = trade(3, timestamp=112.0, tokens=1_000_000_000_000)
    series.add_trade(late)  # newer in chain order: it closes the bucket
    assert series.candles() == candles_from_trades([confirmed, late], 60)


def test_a_backfilled_candle_widens_the_live_bucket_it_lands_in() -> None:
    """The API saw trades from before the engine started: its open, high, low and volume count;
    the live close (newer) stays."""
    series = CandleSeries(mint(0), 60)
    series.add_trade(trade(1, timestamp=130.0, lamports=200, tokens=1_000_000))  # 2e-7
    series.add_trade(trade(2, timestamp=140.0, lamports=300, tokens=1_000_000))  # 3e-7
    backfill = Candle(mint(0), 120.0, 1.5e-7, 9e-7, 1e-7, 2.5e-7, 8e-7, 60)

    series.merge(backfill)

    (merged,) = series.candles()
    assert (merged.open, merged.high, merged.low, merged.close) == (1.5e-7, 9e-7, 1e-7, 3e-7)
    assert merged.volume_sol == 8e-7  # the API's volume: it holds the live trades too


def test_a_backfill_never_narrows_a_live_bucket() -> None:
    series = CandleSeries(mint(0), 60)
    series.add_trade(trade(1, timestamp=130.0, lamports=900, tokens=1_000_000))  # 9e-7
    series.add_trade(trade(2, timestamp=140.0, lamports=100, tokens=1_000_000))  # 1e-7
    series.merge(Candle(mint(0), 120.0, 5e-7, 6e-7, 4e-7, 5e-7, 1e-9, 60))

    (merged,) = series.candles()
    assert (merged.high, merged.low, merged.close) == (9e-7, 1e-7, 1e-7)
    assert merged.volume_sol == 1000 / 1e9


def test_a_backfilled_candle_for_an_untouched_bucket_is_taken_as_is() -> None:
    series = CandleSeries(mint(0), 60)
    series.merge(Candle(mint(0), 60.0, 2e-7, 8e-7, 1e-7, 4e-7, 3.0, 60))

    assert series.candles() == [Candle(mint(0), 60.0, 2e-7, 8e-7, 1e-7, 4e-7, 3.0, 60)]
