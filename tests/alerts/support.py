"""Hand-made coins and trades for the evaluator's tests, and a store fed like the engine's."""

from __future__ import annotations

from dataclasses import replace

from pumptui.alerts import AlertEvaluator, AlertRule, CooldownLog, Firing
from pumptui.api.models import Coin, Trade
from pumptui.live.events import Event
from pumptui.live.store import MarketStore
from tests.live.factories import coin, mint, signature

NOW = 1_780_000_000.0
DEV = mint(900)
TRADER = mint(901)


def a_coin(
    n: int = 1,
    *,
    name: str | None = None,
    replies: int = 0,
    real_tokens: int | None = None,
    complete: bool = False,
) -> Coin:
    made = replace(coin(n, name=name), creator=DEV, created_at=NOW - 60, reply_count=replies)
    if real_tokens is not None:
        made = replace(made, real_token_reserves=real_tokens)
    return replace(made, complete=complete)


def a_trade(
    n: int,
    *,
    coin_n: int = 1,
    sol: float = 0.1,
    buy: bool = True,
    user: str = TRADER,
    at: float = NOW,
    pushed: bool = False,
) -> Trade:
    return Trade(
        signature=signature(n),
        mint=mint(coin_n),
        is_buy=buy,
        lamports=round(sol * 1e9),
        raw_tokens=3_000_000_000_000,
        timestamp=at,
        slot=1000 + n,
        user=user,
        pushed_seq=n if pushed else None,
    )


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Fed:
    """An evaluator whose store sees each event first, as the engine's does."""

    def __init__(
        self,
        rules: list[AlertRule],
        *,
        cooldowns: CooldownLog | None = None,
        watchlist: tuple[str, ...] = (),
        clock: Clock | None = None,
        max_coins: int = 2000,
    ) -> None:
        self.store = MarketStore(max_coins=max_coins)
        self.clock = clock or Clock()
        self.evaluator = AlertEvaluator(
            rules, self.store, cooldowns=cooldowns, watchlist=watchlist, clock=self.clock
        )

    def send(self, *events: Event) -> list[Firing]:
        fired: list[Firing] = []
        for event in events:
            self.store.apply(event)
            fired.extend(self.evaluator.evaluate(event))
        return fired
