"""The store's tally of what a coin's creator bought and sold, and one trader's trades in a coin.

The dev-sold figure is a fact of the market (the header's badge and alerts both read it), so it
is kept in the store, from trades, whichever way they came: the coin's tape, a pushed trade
confirmed later, or a read of the creator's own trades (`userAddress`).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pumptui.api.models import Trade
from pumptui.live.events import NewCoin, NewTrade, TradeConfirmed
from pumptui.live.store import CreatorTally, MarketStore
from tests.live.factories import coin, mint, trade

CREATOR = mint(900)
WHALE = mint(901)
COIN = replace(coin(1), creator=CREATOR)


def by(user: str, n: int, *, is_buy: bool = True, tokens: int = 1_000_000) -> Trade:
    return replace(trade(n, coin=COIN.mint, is_buy=is_buy, tokens=tokens), user=user)


def test_nothing_is_known_of_a_creator_who_has_not_traded() -> None:
    store = MarketStore()
    store.apply(NewCoin(COIN))
    store.apply(NewTrade(by(WHALE, 1)))
    assert store.creator_tally(COIN.mint) is None
    assert store.dev_sold_fraction(COIN.mint) is None


def test_the_creator_selling_part_of_their_buy_is_that_share_sold() -> None:
    store = MarketStore()
    store.apply(NewCoin(COIN))
    store.apply(NewTrade(by(CREATOR, 1, tokens=40_000_000)))
    store.apply(NewTrade(by(WHALE, 2, tokens=99_000_000)))
    assert store.dev_sold_fraction(COIN.mint) is None, "bought, not sold yet"
    store.apply(NewTrade(by(CREATOR, 3, is_buy=False, tokens=10_000_000)))
    assert store.creator_tally(COIN.mint) == CreatorTally(40_000_000, 10_000_000, 1, 1)
    assert store.dev_sold_fraction(COIN.mint) == pytest.approx(0.25)
    store.apply(NewTrade(by(CREATOR, 3, is_buy=False, tokens=10_000_000)))  # the same again
    assert store.dev_sold_fraction(COIN.mint) == pytest.approx(0.25)
    store.apply(NewTrade(by(CREATOR, 4, is_buy=False, tokens=30_000_000)))
    assert store.dev_sold_fraction(COIN.mint) == pytest.approx(1.0)


def test_trades_seen_before_the_coin_count_once_the_creator_is_known() -> None:
    store = MarketStore()
    store.apply(NewTrade(by(CREATOR, 1, tokens=8_000_000)))
    store.apply(NewTrade(by(CREATOR, 2, is_buy=False, tokens=2_000_000)))
    store.apply(NewCoin(COIN))
    assert store.dev_sold_fraction(COIN.mint) == pytest.approx(0.25)


def test_a_pushed_sell_confirmed_later_counts_once() -> None:
    store = MarketStore()
    store.apply(NewCoin(COIN))
    store.apply(NewTrade(by(CREATOR, 1, tokens=8_000_000)))
    sell = by(CREATOR, 2, is_buy=False, tokens=4_000_000)
    store.apply(NewTrade(replace(sell, pushed_seq=1, slot=0)))
    store.apply(TradeConfirmed(sell))
    assert store.creator_tally(COIN.mint) == CreatorTally(8_000_000, 4_000_000, 1, 1)


def test_the_creators_own_trades_read_by_wallet_fill_in_a_buy_the_tape_never_had() -> None:
    store = MarketStore()
    store.apply(NewCoin(COIN))
    dev_buy = by(CREATOR, 1, tokens=50_000_000)
    dev_sell = by(CREATOR, 900, is_buy=False, tokens=5_000_000)
    store.apply(NewTrade(dev_sell))
    assert store.dev_sold_fraction(COIN.mint) is None, "a sell whose buy was never seen"
    store.put_trader_trades(COIN.mint, CREATOR, [dev_sell, dev_buy])
    assert store.dev_sold_fraction(COIN.mint) == pytest.approx(0.1)


def test_one_traders_trades_merge_the_tape_and_a_read_newest_first_each_once() -> None:
    store = MarketStore()
    store.apply(NewCoin(COIN))
    on_tape = [by(WHALE, 5), by(CREATOR, 6), by(WHALE, 7, is_buy=False)]
    for t in on_tape:
        store.apply(NewTrade(t))
    older = by(WHALE, 2)
    assert not store.has_trader_trades(COIN.mint, WHALE)
    store.put_trader_trades(COIN.mint, WHALE, [on_tape[2], on_tape[0], older, by(CREATOR, 3)])
    assert store.has_trader_trades(COIN.mint, WHALE)
    assert store.trader_trades(COIN.mint, WHALE) == [on_tape[2], on_tape[0], older]
