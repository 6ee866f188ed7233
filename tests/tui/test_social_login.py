"""Logging in from the app, against the simulator: a token is pasted (or a keypair signs in),
checked with the server, kept in the keyring, and never shown anywhere.

What a user relies on: the token never appears on screen, in a toast or in a screenshot; a refused
token stores nothing; a keypair file signs in; an unusable keyring says why and offers the ways
out; a keyring that hangs never freezes the app.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from keyring.backends import fail
from textual import events

from pumptui.auth import SERVICE, InsecureTokenFile
from pumptui.sim import SimServer
from pumptui.tui.screens.login import LoginScreen
from pumptui.tui.social import SocialActions
from tests.conftest import TEST_SERVER
from tests.helpers.keyrings import LockedKeyring
from tests.helpers.pilot import record_toasts, wait_for
from tests.tui.social_support import (
    SIZE,
    MemoryKeyring,
    coin_target,
    open_target,
    settle,
    shown,
    social_app,
)


async def open_login(pilot: Any, social: SocialActions, sim: SimServer) -> LoginScreen:
    await open_target(pilot, social, coin_target(sim))
    social.open_login()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    return screen


def secret_parts(token: str) -> list[str]:
    """What must never be seen: the token, and its signature (the header is the same for all)."""
    return [token, token.split(".")[2]]


async def test_a_pasted_token_is_checked_kept_in_the_keyring_and_never_shown(
    sim: SimServer,
) -> None:
    token = sim.token_for(sim.user_address)
    keyring = MemoryKeyring()
    app, social = social_app(sim, keyring=keyring)
    toasts = record_toasts(app)
    captured: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-token").post_message(events.Paste(token))
        captured += [await shown(pilot), app.export_screenshot()]
        await pilot.press("enter")
        captured += [await shown(pilot), app.export_screenshot()]
        await settle(pilot)
        captured += [await shown(pilot), app.export_screenshot()]

        assert not isinstance(app.screen, LoginScreen)
        assert app.services.logged_in
        assert app.services.account == sim.user_address
        assert keyring.entries[(SERVICE, sim.user_address)] == token
        assert any("Logged in" in toast for toast in toasts)

    for part in secret_parts(token):
        for text in [*captured, *toasts]:
            assert part not in text


async def test_a_refused_token_is_explained_and_nothing_is_stored(sim: SimServer) -> None:
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    forged = f"{header}.{payload}.forgedforgedforgedforgedforgedforged"
    keyring = MemoryKeyring()
    app, social = social_app(sim, keyring=keyring)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-token").value = forged
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen, "still asking"
        text = await shown(pilot)
        assert "refused this token" in text
        assert "forgedforged" not in text
        assert screen.query_one("#login-token").value == "", "the field does not keep it"
        assert keyring.entries == {}
        assert not app.services.logged_in


async def test_a_keypair_file_signs_in(sim: SimServer, tmp_path: Path) -> None:
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair)))
    keyring = MemoryKeyring()
    app, social = social_app(sim, keyring=keyring)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-keypair").value = str(keypair)
        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, LoginScreen)
        assert app.services.account == sim.user_address
        assert (SERVICE, sim.user_address) in keyring.entries
        assert app.services.client.has_token


async def test_a_keypair_signs_in_on_the_token_route_when_the_cookie_route_is_gone(
    sim_factory: Callable[..., SimServer], tmp_path: Path
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="unrouted"))
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair)))
    keyring = MemoryKeyring()
    app, social = social_app(sim, keyring=keyring)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-keypair").value = str(keypair)
        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, LoginScreen)
        assert app.services.account == sim.user_address
        assert (SERVICE, sim.user_address) in keyring.entries


async def test_when_both_login_routes_refuse_the_screen_says_so_and_names_privy(
    sim_factory: Callable[..., SimServer], tmp_path: Path
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="refused", token_login="refused"))
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair)))
    keyring = MemoryKeyring()
    app, social = social_app(sim, keyring=keyring)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-keypair").value = str(keypair)
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen, "still asking"
        text = " ".join((await shown(pilot)).split())
        assert "Neither login route" in text
        assert "Privy" in text
        assert "refused this token" not in text  # it was a signature, not a pasted token
        assert keyring.entries == {}
        assert not app.services.logged_in


async def test_an_unusable_keyring_says_why_and_can_keep_the_token_in_a_private_file(
    sim: SimServer, tmp_path: Path
) -> None:
    token = sim.token_for(sim.user_address)
    token_file = InsecureTokenFile(tmp_path / "token-insecure.json")
    app, social = social_app(sim, keyring=fail.Keyring(), token_file=token_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_login(pilot, social, sim)

        screen.query_one("#login-token").value = token
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen
        assert app.services.logged_in, "logged in for this session meanwhile"
        text = await shown(pilot)
        assert "cannot hold the token" in text
        assert "PUMPTUI_TOKEN" in text
        assert "Keep it in a private file" in text

        await pilot.click("#login-save-file")
        await settle(pilot)

        assert not isinstance(app.screen, LoginScreen)
        assert token_file.path.exists()
        assert stat.S_IMODE(token_file.path.stat().st_mode) == 0o600
        stored = token_file.load()
        assert stored is not None
        assert stored.secret.reveal() == token
        assert token not in await shown(pilot)


async def test_a_keyring_that_hangs_never_freezes_the_app(sim: SimServer) -> None:
    locked = LockedKeyring()
    app, social = social_app(sim, keyring=locked, keyring_timeout=0.5)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_login(pilot, social, sim)
            screen.query_one("#login-token").value = sim.token_for(sim.user_address)
            await pilot.press("enter")

            await wait_for(pilot, lambda: locked.busy > 0, "the keyring call")
            # While the keyring hangs, keys still work: focus moves through the form.
            before = app.focused
            await pilot.press("tab")
            assert app.focused is not before
            assert locked.busy > 0, "the keyring was still stuck meanwhile"
            await settle(pilot)

            text = await shown(pilot)
            assert "did not answer within 0.5 s" in text
            assert app.services.logged_in
            await pilot.click("#login-session-only")
            await pilot.pause()
            assert not isinstance(app.screen, LoginScreen)
    finally:
        locked.released.set()
