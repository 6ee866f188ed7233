"""`pumptui` shows the market before the OS keyring answers: the token is looked up alongside
the first polls, so a slow or locked keyring (seconds, up to its timeout) never holds back the
first frame with data. Until it answers the app is read-only; then it logs in."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.core
import pytest
from textual.pilot import Pilot

from pumptui.api.budget import RequestBudget
from pumptui.auth import TokenStore
from pumptui.config import Settings
from pumptui.secret import Secret
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.services import AppServices, MemoryWatchlist
from tests.helpers.keyrings import MemoryKeyring


class KeyringThatWaits(MemoryKeyring):
    """A keyring that answers only when the test says so (a locked collection being unlocked)."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.answer.wait(30.0)  # a bound so a failing test leaves no thread behind for long
        return super().get_password(service, username)


@pytest.fixture
def slow_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyringThatWaits]:
    monkeypatch.setenv("PUMPTUI_KEYRING_TIMEOUT", "60")  # the store waits; the test decides
    previous = keyring.core._keyring_backend
    backend = KeyringThatWaits()
    keyring.set_keyring(backend)
    yield backend
    backend.answer.set()
    keyring.core._keyring_backend = previous


async def until(pilot: Pilot[Any], condition: Any, what: str, seconds: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a bound, not a timing assertion)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never: {what}")


async def test_the_first_coins_arrive_while_the_keyring_has_not_answered(
    sim: SimServer, slow_keyring: KeyringThatWaits
) -> None:
    slow_keyring.answer.set()  # the save goes through; the look-up at start waits again
    TokenStore().save(Secret(sim.token_for(sim.user_address)), sim.user_address)
    slow_keyring.answer.clear()
    services = AppServices.connect(  # what `pumptui` (cli/app.py run_app) builds
        Settings().with_api_urls(sim.base_url),
        resolve_login=True,
        watchlist=MemoryWatchlist(),
        budget=RequestBudget(6000.0, 50),  # one bucket: this test is not about budgets
    )
    app = PumpApp(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: services.store.new_coins(), "the first coins arrived")

        assert not slow_keyring.answer.is_set()
        assert services.account is None  # read-only until the keyring answers

        slow_keyring.answer.set()
        await until(pilot, lambda: services.account == sim.user_address, "logged in")


class KeyringThatNotes(MemoryKeyring):
    """A keyring that notes what the app had when it was first asked."""

    def __init__(self, services: list[AppServices]) -> None:
        super().__init__()
        self.services = services
        self.coins_when_asked: int | None = None

    def get_password(self, service: str, username: str) -> str | None:
        if self.coins_when_asked is None:
            self.coins_when_asked = len(self.services[0].store.new_coins())
        return super().get_password(service, username)


async def test_the_keyring_is_asked_once_the_first_coins_are_in(sim: SimServer) -> None:
    """Its import and backend discovery (Python, in a thread) would share the CPU with the
    first frame with data."""
    built: list[AppServices] = []
    previous = keyring.core._keyring_backend
    backend = KeyringThatNotes(built)
    keyring.set_keyring(backend)
    try:
        services = AppServices.connect(
            Settings().with_api_urls(sim.base_url),
            resolve_login=True,
            watchlist=MemoryWatchlist(),
            budget=RequestBudget(6000.0, 50),
        )
        built.append(services)
        app = PumpApp(services)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: backend.coins_when_asked is not None, "keyring asked")

            assert backend.coins_when_asked
    finally:
        keyring.core._keyring_backend = previous
