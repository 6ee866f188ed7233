"""The leader: one answer, from the market caps the store holds, for every reader."""

from __future__ import annotations

from dataclasses import replace

from pumptui.live.events import CoinUpdated, LeaderChanged, NewCoin
from pumptui.live.store import MarketStore
from tests.live.factories import coin, mint


def test_a_held_coin_that_overtakes_the_reported_leader_leads() -> None:
    store = MarketStore()
    store.apply(NewCoin(coin(1, vsol=40_000_000_000)))
    store.apply(LeaderChanged(coin(2, vsol=50_000_000_000)))
    assert store.leader is not None
    assert store.leader.mint == mint(2)
    # A pushed reserve update lifts coin 1 above the leader the service reported a poll ago.
    store.apply(CoinUpdated(coin(1, vsol=60_000_000_000)))
    assert store.leader.mint == mint(1)
    assert store.reported_leader is not None
    assert store.reported_leader.mint == mint(2)


def test_a_graduated_coin_never_leads() -> None:
    store = MarketStore()
    store.apply(LeaderChanged(coin(2, vsol=50_000_000_000)))
    store.apply(NewCoin(coin(1, vsol=40_000_000_000)))
    store.apply(CoinUpdated(replace(coin(2, vsol=90_000_000_000), complete=True)))
    assert store.leader is not None
    assert store.leader.mint == mint(1)


def test_no_coin_on_the_curve_means_no_leader() -> None:
    store = MarketStore()
    assert store.leader is None
    store.apply(NewCoin(replace(coin(1), complete=True)))
    assert store.leader is None
