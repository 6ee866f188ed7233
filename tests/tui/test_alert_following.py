"""What the alert rules ask of the live engine: the coins they name are followed like watched
coins while a rule is on, and the feeds they need keep polling whatever screen is on top.

The engine here is a small recorder of what the services ask (the `Engine` protocol); the live
engine's own following is tested in tests/live.
"""

from __future__ import annotations

from collections.abc import Iterable

from pumptui.alerts import make_rule
from pumptui.config import Settings
from pumptui.live.chat import ChatConnection
from pumptui.tui.services import COIN_FEEDS, AppServices, MemoryWatchlist
from tests.tui.conftest import FROZEN_NOW, frozen_store, make_mint

MINT = make_mint("alerted-coin")


class RecordingEngine:
    def __init__(self) -> None:
        self.watched: list[str] = []
        self.alerted: frozenset[str] = frozenset()
        self.visible: frozenset[str] = frozenset()

    @property
    def paused(self) -> bool:
        return False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def focus(self, mint: str | None) -> None:
        return None

    def watch(self, mints: Iterable[str]) -> None:
        self.watched += [m for m in mints if m not in self.watched]

    def unwatch(self, mints: Iterable[str]) -> None:
        gone = set(mints)
        self.watched = [m for m in self.watched if m not in gone]

    def set_alerted(self, mints: Iterable[str]) -> None:
        self.alerted = frozenset(mints)

    def set_visible(self, feeds: Iterable[str]) -> None:
        self.visible = frozenset(feeds)

    def pause(self) -> None:
        return None

    def resume(self) -> None:
        return None

    def refresh(self, feed: str | None = None) -> None:
        return None

    @property
    def chat(self) -> ChatConnection | None:
        return None


def services_with(engine: RecordingEngine) -> AppServices:
    return AppServices(
        Settings(),
        store=frozen_store(),
        engine=engine,
        watchlist=MemoryWatchlist(),
        clock=lambda: FROZEN_NOW,
    )


def test_a_coin_with_an_alert_is_followed_while_its_rule_is_on() -> None:
    engine = RecordingEngine()
    services = services_with(engine)
    services.set_visible(COIN_FEEDS)
    assert "watchlist" not in engine.visible

    rule = services.alerts.add(make_rule("mc > 50k", mint=MINT, origin="app"))
    services.follow_alert_coins()
    assert engine.watched == [MINT]
    assert engine.alerted == {MINT}  # its trades read at the budget's pace, however quiet
    assert "watchlist" in engine.visible  # its feed polls on the coin screen too

    services.toggle_watch(MINT)
    services.toggle_watch(MINT)  # unwatched by the user: the alert still follows it
    assert engine.watched == [MINT]

    services.alerts.set_enabled(rule.id, False)
    services.follow_alert_coins()
    assert engine.watched == []
    assert engine.alerted == frozenset()
    assert "watchlist" not in engine.visible


def test_a_rule_on_new_coins_keeps_the_new_coins_polled() -> None:
    engine = RecordingEngine()
    services = services_with(engine)
    services.alerts.add(make_rule('name ~ "pepe"', scope="new", origin="app"))
    services.follow_alert_coins()
    services.set_visible(COIN_FEEDS)
    assert "coins" in engine.visible
