"""`AlertService`: the evaluator on the live bus, and the firings delivered. No Textual here.

    service = AlertService(engine.bus, engine.store, rules, deliverer, cooldowns=log)
    service.start()                # a task on the running loop, reading its own subscription
    service.set_watchlist(mints)   # the watchlist scope
    service.set_rules(rules)       # after the app added, changed or deleted one
    await service.stop()

The subscription is uncoalesced and large: every trade and every update is seen, in bus order
(should it overflow anyway, the count is in `overflowed` and said once through `problem`).
`history` keeps the last `HISTORY` firings for the alerts screen; `on_firing` listeners (the
TUI's toast and history refresh) are called for each, after delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterable
from typing import Final

from pumptui.alerts.delivery import Deliverer
from pumptui.alerts.evaluator import AlertEvaluator
from pumptui.alerts.files import CooldownLog
from pumptui.alerts.firing import Firing
from pumptui.alerts.rules import AlertRule
from pumptui.config import DEFAULT_WHALE_SOL
from pumptui.live.bus import EventBus, Subscription, SubscriptionClosed
from pumptui.live.events import Event
from pumptui.live.store import MarketStore

HISTORY: Final = 500
QUEUE: Final = 100_000


class AlertService:
    def __init__(
        self,
        bus: EventBus,
        store: MarketStore,
        rules: Iterable[AlertRule],
        deliverer: Deliverer,
        *,
        cooldowns: CooldownLog | None = None,
        watchlist: Iterable[str] = (),
        problem: Callable[[str, str], None] | None = None,
        evaluator: AlertEvaluator | None = None,
        whale_sol: float = DEFAULT_WHALE_SOL,
    ) -> None:
        self.bus = bus
        self.deliverer = deliverer
        self.problem = problem
        self.evaluator = evaluator or AlertEvaluator(
            rules, store, cooldowns=cooldowns, watchlist=watchlist, whale_sol=whale_sol
        )
        self._sync_commands(self.evaluator.rules)
        self.history: deque[Firing] = deque(maxlen=HISTORY)
        self.listeners: list[Callable[[Firing], None]] = []
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._said: set[str] = set()

    @property
    def rules(self) -> tuple[AlertRule, ...]:
        return self.evaluator.rules

    def set_rules(self, rules: Iterable[AlertRule]) -> None:
        self.evaluator.set_rules(rules)
        self._sync_commands(self.evaluator.rules)

    def set_watchlist(self, mints: Iterable[str]) -> None:
        self.evaluator.set_watchlist(mints)

    def _sync_commands(self, rules: Iterable[AlertRule]) -> None:
        self.deliverer.commands = {
            rule.id: (rule.command, rule.command_timeout) for rule in rules if rule.command
        }

    def start(self) -> None:
        """Subscribe now (nothing published from here on is missed) and read in a task."""
        if self._task is not None:
            return
        self._subscription = self.bus.subscribe(maxsize=QUEUE, coalesce=False)
        self._task = asyncio.get_running_loop().create_task(self._read(self._subscription))

    def handle(self, event: Event) -> list[Firing]:
        """Evaluate one event and deliver what fires (the reading task calls this; so can a
        caller that reads the bus itself, like `pumptui alerts`)."""
        firings = self.evaluator.evaluate(event)
        for firing in firings:
            self.deliverer.deliver(firing)
            self.history.append(firing)
            for listener in tuple(self.listeners):
                try:
                    listener(firing)
                except Exception as exc:
                    self._say_once("listener", f"an alert listener failed: {exc}")
        problem = self.evaluator.cooldowns.problem
        if problem is not None:
            self._say_once("cooldowns", problem)
        if self.evaluator.stats.last_error is not None:
            self._say_once(
                "rule", f"a rule could not be evaluated: {self.evaluator.stats.last_error}"
            )
        return firings

    def _say_once(self, what: str, message: str) -> None:
        if what in self._said:
            return
        self._said.add(what)
        if self.problem is not None:
            self.problem(what, message)

    async def _read(self, subscription: Subscription) -> None:
        while True:
            try:
                event = await subscription.get()
            except SubscriptionClosed:
                return
            self.handle(event)
            if subscription.overflowed:
                self._say_once(
                    "overflow", "alerts fell behind the market: some trades were not evaluated"
                )

    async def stop(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.deliverer.aclose()
