"""At start the app finds the user's token itself (PUMPTUI_TOKEN, then the OS keyring), as
`pumptui` run from a shell does, and shows who is logged in."""

from __future__ import annotations

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
from pumptui.tui.widgets.status_bar import StatusBar
from tests.helpers.keyrings import MemoryKeyring

SIZE = (120, 36)


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    """The process's keyring backend, as `keyring.get_keyring()` gives it to the app."""
    previous = keyring.core._keyring_backend
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous


def app_as_started_from_a_shell(sim: SimServer) -> PumpApp:
    """What `pumptui` (cli/app.py) builds: services that resolve the token at start."""
    settings = Settings().with_api_urls(sim.base_url)
    services = AppServices.connect(
        settings,
        resolve_login=True,
        watchlist=MemoryWatchlist(),
        budget=RequestBudget(6000.0, 50),  # one bucket: this test is not about budgets
    )
    return PumpApp(services)


def status(app: PumpApp) -> str:
    bar = app.screen.query_one(StatusBar)
    bar.update_status()
    return bar.render().plain


async def shows(pilot: Pilot[Any], text: str, seconds: float = 10.0) -> str:
    """Let the app run until its status bar shows `text` (a bound, not a timing assertion)."""
    for _ in range(int(seconds / 0.05)):
        shown = status(pilot.app)  # type: ignore[arg-type]
        if text in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"the status bar never showed {text!r}: {status(pilot.app)!r}")  # type: ignore[arg-type]


def short(address: str) -> str:
    return f"@{address[:4]}…{address[-4:]}"


async def test_the_app_logs_in_at_start_with_the_token_in_the_keyring(
    sim: SimServer, os_keyring: MemoryKeyring
) -> None:
    TokenStore().save(Secret(sim.token_for(sim.user_address)), sim.user_address)
    app = app_as_started_from_a_shell(sim)
    async with app.run_test(size=SIZE) as pilot:
        await shows(pilot, short(sim.user_address))

        assert app.services.account == sim.user_address
        assert app.services.client is not None
        assert await app.services.client.my_profile()  # the session really works


async def test_the_token_in_the_environment_goes_before_the_keyring(
    sim: SimServer, os_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    TokenStore().save(Secret(sim.token_for(sim.user_address)), sim.user_address)
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(sim.admin_address))
    app = app_as_started_from_a_shell(sim)
    async with app.run_test(size=SIZE) as pilot:
        await shows(pilot, short(sim.admin_address))
