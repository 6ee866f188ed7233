"""Creators in the simulator: some wallets launch again and again (serial launchers), and
`GET /coins?creator=` lists exactly one wallet's coins, newest first, as the market holds them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pumptui.sim import SimServer
from tests.sim.support import check_coin, http


def test_serial_launchers_coins_are_listed_by_creator(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(
        warmup=600.0,
        launches_per_minute=6.0,
        trades_per_second=1.0,
        nsfw_share=0.0,
        serial_launch_share=0.3,
        serial_launchers=5,
    )

    def launches() -> dict[str, list[tuple[str, float, bool]]]:
        by_creator: dict[str, list[tuple[str, float, bool]]] = {}
        for coin in sim.market.coins.values():
            if coin.listed:
                by_creator.setdefault(coin.creator, []).append(
                    (coin.mint, coin.created, coin.curve.complete)
                )
        return by_creator

    by_creator = sim.call(launches)
    counts = Counter({creator: len(coins) for creator, coins in by_creator.items()})
    creator, most = counts.most_common(1)[0]
    assert most >= 3, "a serial launcher has several coins"
    with http(sim) as client:
        listed = client.get("/coins", params={"creator": creator, "limit": 70}).json()
    expected = sorted(by_creator[creator], key=lambda c: -c[1])
    assert [c["mint"] for c in listed] == [mint for mint, _, _ in expected]
    assert [c["complete"] for c in listed] == [done for _, _, done in expected]
    for coin in listed:
        check_coin(coin)
        assert coin["creator"] == creator
