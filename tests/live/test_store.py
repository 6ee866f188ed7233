"""The market store: the engine's source of truth, bounded however long it runs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pumptui.api.models import INITIAL_REAL_TOKEN_RESERVES, Callout
from pumptui.live.events import (
    CalloutsChanged,
    CoinUpdated,
    FeedHealthChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
    TradeConfirmed,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.store import MarketStore
from tests.live.factories import coin, mint, trade


def test_new_coins_are_listed_newest_launch_first() -> None:
    store = MarketStore()
    for n in (3, 1, 2):
        store.apply(NewCoin(coin(n)))
    assert [c.mint for c in store.new_coins()] == [mint(3), mint(2), mint(1)]
    assert [c.mint for c in store.new_coins(limit=1)] == [mint(3)]


def test_an_update_replaces_the_coin_and_bumps_its_version() -> None:
    store = MarketStore()
    store.apply(NewCoin(coin(1)))
    version, coin_version = store.version, store.coin_version(mint(1))
    richer = replace(coin(1), virtual_sol_reserves=40 * 10**9)
    assert store.apply(CoinUpdated(richer))
    assert store.coin(mint(1)) == richer
    assert store.version > version
    assert store.coin_version(mint(1)) > coin_version
    assert not store.apply(CoinUpdated(richer))  # nothing changed: no bump
    assert store.price_history(mint(1)) == []  # traded, but when: not said


def test_a_coin_records_price_holds_since_its_last_trade_or_its_launch() -> None:
    """The price a coin record gives is placed at its last trade; a coin never traded has had
    it since launch; a traded coin that does not say when is no point on a time axis."""
    store = MarketStore()
    traded = replace(coin(1), last_trade_at=1_780_000_500.0)
    launched = replace(coin(2), real_token_reserves=INITIAL_REAL_TOKEN_RESERVES)
    for record in (traded, launched, coin(3)):
        store.apply(NewCoin(record))
    assert store.price_history(mint(1)) == [(1_780_000_500.0, traded.price_sol)]
    assert store.price_history(mint(2)) == [(launched.created_at, launched.price_sol)]
    assert store.price_history(mint(3)) == []


def test_the_price_history_keeps_each_prices_time_in_time_order_and_bounded() -> None:
    """The trend is drawn over a stated time span, so each price keeps its time: the last price
    of each 15 s step, in time order whatever order trades arrive in, the newest steps kept."""
    store = MarketStore(price_points=4, price_step=15.0)
    start = 1_780_000_020.0  # a step boundary (1_780_000_020 = 15 * 118_666_668)
    # Arriving out of order: 60 s, 0 s, 30 s, then 5 s (same step as 0 s, later) and 3 s
    # (same step, earlier than 5 s: the step keeps the later price).
    for n, at, tokens in [
        (1, start + 60, 1_000_000_000_000),
        (2, start, 4_000_000_000_000),
        (3, start + 30, 2_000_000_000_000),
        (4, start + 5, 3_000_000_000_000),
        (5, start + 3, 5_000_000_000_000),
    ]:
        store.apply(NewTrade(trade(n, timestamp=at, tokens=tokens)))
    history = store.price_history(mint(0))
    assert [at - start for at, _ in history] == [5, 30, 60]
    assert history[0][1] == trade(4, tokens=3_000_000_000_000).chart_price
    for n in range(6, 9):
        store.apply(NewTrade(trade(n, timestamp=start + 60 + 15 * n)))
    assert len(store.price_history(mint(0))) == 4
    assert store.price_history(mint(0))[0][0] == start + 60


def test_trades_are_kept_newest_first_and_a_repeat_changes_nothing() -> None:
    store = MarketStore()
    for n in range(5):
        store.apply(NewTrade(trade(n)))
    version = store.version
    assert not store.apply(NewTrade(trade(3)))
    assert store.version == version
    assert [t.signature for t in store.trades(mint(0))] == [
        trade(n).signature for n in (4, 3, 2, 1, 0)
    ]
    assert len(store.trades(mint(0), limit=2)) == 2
    assert store.site_trades(limit=1)[0].signature == trade(4).signature


def test_a_late_trade_takes_its_place_in_chain_order() -> None:
    store = MarketStore()
    for n in (1, 3, 2):
        store.apply(NewTrade(trade(n)))
    assert [t.slot for t in store.trades(mint(0))] == [1003, 1002, 1001]
    assert [t.slot for t in store.site_trades()] == [1003, 1002, 1001]


def test_candles_follow_trades_at_every_timeframe() -> None:
    store = MarketStore()
    for n in range(120):
        store.apply(NewTrade(trade(n)))
    assert len(store.candles(mint(0), 1)) == 120
    assert len(store.candles(mint(0), 60)) in (2, 3)
    with pytest.raises(ValueError, match="timeframe"):
        store.candles(mint(0), 7)


def test_king_sol_price_and_health() -> None:
    store = MarketStore()
    store.apply(LeaderChanged(coin(9)))
    assert store.leader == coin(9)
    assert store.coin(mint(9)) == coin(9)
    store.apply(SolPriceChanged(201.5))
    assert store.sol_price == 201.5
    assert store.freshest_at is None
    store.apply(FeedHealthChanged(FeedHealth("coins", FeedState.LIVE, 1.0, last_good_at=5.0)))
    store.apply(FeedHealthChanged(FeedHealth("leader", FeedState.LIVE, 1.0, last_good_at=7.0)))
    assert store.freshest_at == 7.0
    assert set(store.health) == {"coins", "leader"}


@pytest.mark.slow
def test_memory_stays_flat_however_long_it_runs() -> None:
    store = MarketStore(
        max_coins=100,
        max_trade_coins=10,
        trades_per_coin=50,
        site_trades=30,
        max_detail_coins=5,
        candle_capacity=40,
    )
    store.protect([mint(0)])
    for n in range(20_000):
        m = mint(n % 300)
        store.apply(NewCoin(coin(n % 300)))
        store.apply(NewTrade(trade(n, coin=m)))
        if n % 7 == 0:
            call = Callout(id=f"c{n}", mint=m, thesis="up", market_cap_usd=5_000.0)
            store.apply(CalloutsChanged(m, (call,), read_at=float(n)))
    sizes = store.sizes()
    assert sizes["coins"] <= 100
    assert sizes["trade_coins"] <= 10
    assert sizes["trades"] <= 10 * 50
    assert sizes["site_trades"] <= 30
    assert sizes["callout_coins"] <= 5
    assert sizes["candles"] <= 10 * 6 * 40
    assert sizes["price_series"] <= 100
    assert store.coin(mint(0)) is not None  # protected: the focused coin is never evicted


def _pushed(confirmed, seq: int, received_at: float):
    """What a push message gives for a trade: no slot, the receive time, an arrival number."""
    return replace(
        confirmed, slot=0, tx_index=0, timestamp=received_at, username=None, pushed_seq=seq
    )


def test_the_rest_copy_of_a_pushed_trade_the_ring_let_go_is_still_a_confirmation() -> None:
    # A coin trading faster than REST confirms: newer pushed trades push older ones out.
    store = MarketStore(trades_per_coin=4)
    real = [trade(n) for n in range(8)]
    for seq, t in enumerate(real):
        assert store.apply(NewTrade(_pushed(t, seq, t.timestamp)))
    assert len(store.trades(mint(0))) == 4
    volume = {s: sum(c.volume_sol for c in store.candles(mint(0), s)) for s in (1, 60)}

    late = real[0]  # long gone from the ring when its REST copy comes
    assert not store.has_trade(mint(0), late.signature)
    assert store.is_provisional(late)  # so the engine sends it as a confirmation
    assert not store.apply(NewTrade(_pushed(late, 0, late.timestamp)))  # a repeated message
    assert store.apply(TradeConfirmed(late))
    assert not store.is_provisional(late)
    # The ring keeps the newest four; the candles count the trade once.
    assert [t.signature for t in store.trades(mint(0))] == [
        t.signature for t in reversed(real[-4:])
    ]
    for seconds, before in volume.items():
        after = sum(c.volume_sol for c in store.candles(mint(0), seconds))
        assert after == pytest.approx(before)
    # What is remembered for late copies is bounded: twice the ring.
    for seq in range(8, 100):
        store.apply(NewTrade(_pushed(trade(seq), seq, trade(seq).timestamp)))
    assert store.sizes()["provisional"] == 8


def test_a_pushed_trade_is_replaced_in_place_by_its_rest_copy() -> None:
    store = MarketStore()
    for n in range(3):
        store.apply(NewTrade(trade(n)))
    real = [trade(n) for n in range(3, 6)]
    pushed = [_pushed(t, seq, 1_790_000_000.0 + seq) for seq, t in enumerate(real)]
    for t in pushed:
        assert store.apply(NewTrade(t))
    assert [t.signature for t in store.trades(mint(0))] == [
        t.signature for t in reversed([trade(n) for n in range(3)] + real)
    ]
    assert store.is_provisional(real[0])
    # A repeat of the pushed copy changes nothing; the REST copy confirms it, once.
    assert not store.apply(NewTrade(pushed[0]))
    assert store.apply(TradeConfirmed(real[0]))
    assert not store.apply(TradeConfirmed(real[0]))
    assert not store.is_provisional(real[0])
    newest_first = store.trades(mint(0))
    # Confirmed trades keep chain order; the ones still pushed stay newest, in arrival order.
    assert [t.signature for t in newest_first[:3]] == [
        real[2].signature,
        real[1].signature,
        real[0].signature,
    ]
    assert newest_first[2] == real[0]
    assert newest_first[0].provisional
    assert store.site_trades(10)[-1] != pushed[0]
    assert real[0] in store.site_trades(10)


def test_callouts_are_kept_per_coin_and_only_changes_count() -> None:
    store = MarketStore(max_detail_coins=2)
    call = Callout(id="c1", mint=mint(1), thesis="up", market_cap_usd=5_000.0, multiple=1.0)
    assert store.callouts(mint(1)) is None
    assert store.apply(CalloutsChanged(mint(1), (call,), read_at=10.0))
    version = store.coin_version(mint(1))

    assert not store.apply(CalloutsChanged(mint(1), (call,), read_at=20.0))  # the same ones
    assert store.apply(CalloutsChanged(mint(1), (replace(call, multiple=2.0),), read_at=30.0))
    assert store.callouts(mint(1)) == (replace(call, multiple=2.0),)
    assert store.callouts_read_at(mint(1)) == 30.0
    assert store.coin_version(mint(1)) > version
    for n in (2, 3):  # bounded like the other per-coin figures
        store.apply(CalloutsChanged(mint(n), ()))
    assert store.callouts(mint(1)) is None
    assert store.sizes()["callout_coins"] == 2
