"""`AlertService` on the live bus: what the TUI runs. Every event published after `start` is
evaluated; firings reach the app channel, the history and the listeners."""

from __future__ import annotations

import asyncio
import time

from pumptui.alerts import AlertService, Deliverer, Firing, make_rule
from pumptui.live.bus import EventBus
from pumptui.live.events import CoinUpdated, NewTrade
from pumptui.live.store import MarketStore
from tests.alerts.support import DEV, a_coin, a_trade
from tests.live.factories import mint


async def test_the_service_reads_the_bus_and_delivers_every_firing() -> None:
    bus, store = EventBus(), MarketStore()
    shown: list[Firing] = []
    heard: list[Firing] = []
    rule = make_rule("event = trade and by = dev", mint=mint(1), cooldown=0)
    service = AlertService(bus, store, [rule], Deliverer(app=shown.append, notify_send=None))
    service.listeners.append(heard.append)
    service.start()
    try:
        for event in (
            CoinUpdated(a_coin(1)),
            *(NewTrade(a_trade(n, user=DEV, buy=n % 2 == 0)) for n in range(1, 101)),
        ):
            store.apply(event)
            bus.publish(event)
        deadline = time.monotonic() + 10
        while len(service.history) < 100 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    finally:
        await service.stop()
    assert [f.signature for f in shown] == [a_trade(n).signature for n in range(1, 101)]
    assert heard == shown == list(service.history)
    assert bus.subscriber_count == 0
