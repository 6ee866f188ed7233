"""`POST /_sim/sell`: a chosen wallet (by default the coin's creator) sells a share of what it
holds, so tests and the demo can make the dev dump."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.sim import SimServer
from tests.sim.support import http, raw_of


def test_the_creator_sells_half_of_what_they_hold(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0)
    creator = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
    mint = sim.create_coin(name="Dump", symbol="DUMP", creator=creator)
    sim.buy(mint, creator, sol=1.0)
    bought = raw_of(sim.trades_of(mint)[-1]["baseAmount"])
    with http(sim) as client:
        answer = client.post("/_sim/sell", json={"mint": mint, "fraction": 0.5})
        assert answer.status_code == 200, answer.text
        sell = sim.trades_of(mint)[-1]
        assert sell["tx"] == answer.json()["signature"]
        assert (sell["type"], sell["userAddress"]) == ("sell", creator)
        assert raw_of(sell["baseAmount"]) == round(bought / 2)
        refused = client.post("/_sim/sell", json={"mint": mint, "user": "1" * 32})
        assert refused.status_code == 400, "a wallet that holds none of the coin"
    assert sim.sell(mint) != sell["tx"], "the runner sells the rest"
    assert sim.trades_of(mint)[-1]["type"] == "sell"
