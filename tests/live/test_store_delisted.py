"""Moderated coins: a coin the service hides or bans leaves the listings; the store says so on
the next read of the new-coins listing (or of the coin's record, for a ban)."""

from __future__ import annotations

from dataclasses import replace

from pumptui.live.events import CoinsDelisted, CoinUpdated, NewCoin
from pumptui.live.store import MarketStore
from pumptui.sim import SimServer
from tests.live.conftest import EngineFactory, wait_until
from tests.live.factories import coin, mint


def test_a_coin_the_listing_leaves_out_within_its_span_is_delisted_then_relisted() -> None:
    store = MarketStore()
    for n in range(5):
        store.apply(NewCoin(coin(n)))
    page = [coin(n) for n in (4, 3, 1, 0)]  # newest first, coin 2 left out
    delisted = store.missing_from_listing(page)
    assert delisted == CoinsDelisted((mint(2),))
    assert store.apply(delisted)
    assert store.is_delisted(mint(2))
    assert mint(2) not in [c.mint for c in store.new_coins()]
    assert store.missing_from_listing(page) is None  # nothing new to say
    back = store.missing_from_listing([coin(n) for n in (4, 3, 2, 1, 0)])
    assert back == CoinsDelisted((), (mint(2),))
    store.apply(back)
    assert not store.is_delisted(mint(2))


def test_a_coin_outside_the_listings_span_is_not_judged_by_it() -> None:
    store = MarketStore()
    for n in range(5):
        store.apply(NewCoin(coin(n)))
    # A page of the newest two says nothing of the older coins.
    assert store.missing_from_listing([coin(4), coin(3)]) is None


def test_a_banned_record_is_delisted_and_never_leads() -> None:
    store = MarketStore()
    store.apply(NewCoin(coin(1, vsol=40_000_000_000)))
    store.apply(NewCoin(coin(2, vsol=30_000_000_000)))
    store.apply(CoinUpdated(replace(coin(1, vsol=40_000_000_000), is_banned=True)))
    assert store.is_delisted(mint(1))
    assert [c.mint for c in store.new_coins()] == [mint(2)]
    assert store.leader is not None
    assert store.leader.mint == mint(2)


async def test_a_coin_hidden_on_the_server_is_delisted_on_the_next_poll(
    sim: SimServer, engine_factory: EngineFactory
) -> None:
    engine = engine_factory(sim, visible={"coins"})
    await engine.start()
    store = engine.store
    await wait_until(lambda: len(store.new_coins()) >= 5, message="the first page read")
    hidden = store.new_coins()[2].mint
    assert not store.is_delisted(hidden)
    updated, _ = sim.call(lambda: sim.market.moderate("hide", [hidden]))
    assert updated == [hidden]
    engine.refresh("coins")
    await wait_until(lambda: store.is_delisted(hidden), message="the hidden coin delisted")
    assert hidden not in [c.mint for c in store.new_coins()]
