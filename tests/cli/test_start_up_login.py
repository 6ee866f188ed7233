"""Plain `pumptui` finds the user's token as it starts (issue 14: this path had no test), and a
token from the opted-in plain-text file is said once, in one short toast (issue 13 item 24)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from pumptui.auth import InsecureTokenFile
from pumptui.cli import main
from pumptui.secret import Secret
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp


@pytest.fixture
def unusable_keyring() -> Iterator[None]:
    previous = keyring.core._keyring_backend
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.core._keyring_backend = previous


def test_a_token_in_the_plain_text_file_logs_in_with_one_short_toast(
    sim: SimServer, unusable_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    InsecureTokenFile().save(Secret(sim.token_for(sim.user_address)), sim.user_address)
    toasts: list[str] = []
    seen: dict[str, Any] = {}

    async def drive(app: PumpApp) -> None:
        notify = app.notify

        def recording(message: str, *args: Any, **kwargs: Any) -> None:
            toasts.append(str(message))
            notify(message, *args, **kwargs)

        app.notify = recording  # type: ignore[method-assign]
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            for _ in range(200):  # a bound, not a timing assertion
                if app.services.logged_in and toasts:
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            seen["logged_in"] = app.services.logged_in
            seen["account"] = app.services.session.account

    def headless_run(self: PumpApp, **_: Any) -> None:
        asyncio.run(drive(self))

    monkeypatch.setattr(PumpApp, "run", headless_run)

    assert main(["--api-url", sim.base_url, "--no-push"]) == 0

    assert seen == {"logged_in": True, "account": sim.user_address}
    warned = [toast for toast in toasts if "plain text" in toast]
    assert len(warned) == 1, toasts
    assert "\n" not in warned[0]
    assert len(warned[0].replace(str(InsecureTokenFile().path), "")) <= 60, warned[0]  # small
