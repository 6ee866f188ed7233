"""`userAddress` on the trades route (reference §3.2): one wallet's trades in a coin, through the
client, against the simulator."""

from __future__ import annotations

from pumptui.api import PumpClient
from pumptui.sim import SimServer


async def test_a_wallets_trades_in_a_coin_are_only_theirs_and_all_of_them(
    sim: SimServer, client: PumpClient
) -> None:
    mint = sim.mints()[0]
    sim.inject_trades(mint, 30)
    wallet = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
    mine = [sim.buy(mint, wallet, sol=0.2) for _ in range(3)]
    sim.inject_trades(mint, 10)
    mine.append(sim.sell(mint, wallet, fraction=0.5))

    page = await client.trades(mint, user=wallet)

    assert [t.signature for t in page.items] == mine[::-1], "newest first"
    assert {t.user for t in page.items} == {wallet}
    everyone = await client.trades(mint)
    assert len({t.user for t in everyone.items}) > 1, "without it, everyone's"
