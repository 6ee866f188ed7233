"""Logging in on today's routes (reference §3.8), against the simulator: `POST /auth/login` and its
cookie while it signs in; `POST /auth/login/token` and a bearer token when the first refuses or is
gone; a clear refusal when both do; and no second knock on a route that failed this session."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from pumptui.api.client import PumpClient
from pumptui.api.errors import AuthRequired, BadResponse, LoginRefused
from pumptui.secret import Secret
from pumptui.sim import FaultPlan, SimServer
from tests.api.conftest import RecordingTransport, make_client
from tests.conftest import TEST_SERVER
from tests.sim.support import sign_in_message

LOGIN = "/auth/login"
LOGIN_TOKEN = "/auth/login/token"


def sim_with_cookie_login(
    factory: Callable[..., SimServer], mode: str, token_mode: str = "open"
) -> SimServer:
    return factory(server=replace(TEST_SERVER, cookie_login=mode, token_login=token_mode))


async def sign_in(client: PumpClient, sim: SimServer, *, skew_ms: int = 0) -> Secret:
    timestamp = int(time.time() * 1000) + skew_ms
    address, signature = sign_in_message(sim.user_keypair, timestamp)
    return await client.login(address, signature, timestamp)


def login_paths(transport: RecordingTransport) -> list[str]:
    return [r.url.path for r in transport.requests if r.url.path.startswith(LOGIN)]


async def test_while_the_cookie_route_signs_in_only_it_is_asked(sim: SimServer) -> None:
    transport = RecordingTransport()
    async with make_client(sim, transport=transport) as client:
        token = await sign_in(client, sim)
        profile = await client.my_profile()

        assert profile.address == sim.user_address
        assert client.token == token
        assert login_paths(transport) == [LOGIN]
        assert client.moved_routes == {}


@pytest.mark.parametrize("mode", ["unrouted", "refused"])
async def test_when_the_cookie_route_is_gone_or_refuses_the_token_route_signs_in(
    sim_factory: Callable[..., SimServer], mode: str
) -> None:
    sim = sim_with_cookie_login(sim_factory, mode)
    transport = RecordingTransport()
    moved: list[tuple[str, str]] = []
    async with make_client(sim, transport=transport) as client:
        client.on_route_moved = lambda view, how: moved.append((view, how))
        token = await sign_in(client, sim)
        profile = await client.my_profile()

    assert login_paths(transport) == [LOGIN, LOGIN_TOKEN]
    assert profile.address == sim.user_address
    assert moved == [("login", "POST /auth/login → POST /auth/login/token")]
    profile_request = next(r for r in transport.requests if r.url.path == "/auth/my-profile")
    assert profile_request.headers["authorization"] == f"Bearer {token.reveal()}"


async def test_a_token_from_the_token_route_is_a_bearer_token_for_my_profile(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_with_cookie_login(sim_factory, "unrouted")
    async with make_client(sim) as client:
        token = await sign_in(client, sim)
    # A fresh client with nothing but that token, as a later session would use it.
    async with make_client(sim, token=token) as later:
        profile = await later.my_profile()

    assert profile.address == sim.user_address


@pytest.mark.parametrize("mode", ["unrouted", "refused"])
async def test_a_second_login_does_not_knock_on_the_route_that_failed(
    sim_factory: Callable[..., SimServer], mode: str
) -> None:
    sim = sim_with_cookie_login(sim_factory, mode)
    transport = RecordingTransport()
    async with make_client(sim, transport=transport) as client:
        await sign_in(client, sim)
        await client.logout()
        await sign_in(client, sim, skew_ms=1)

        assert login_paths(transport) == [LOGIN, LOGIN_TOKEN, LOGIN_TOKEN]
        assert client.moved_routes == {"login": "POST /auth/login → POST /auth/login/token"}


@pytest.mark.parametrize("mode", ["open", "unrouted", "refused"])
async def test_when_both_routes_refuse_the_message_says_so_and_that_privy_tokens_fail_too(
    sim_factory: Callable[..., SimServer], mode: str
) -> None:
    sim = sim_with_cookie_login(sim_factory, mode)
    transport = RecordingTransport()
    async with make_client(sim, transport=transport) as client:
        with pytest.raises(LoginRefused) as refused:
            await sign_in(client, sim, skew_ms=-10 * 60_000)  # a stale signature: both refuse

        assert not client.has_token

    message = str(refused.value)
    assert isinstance(refused.value, AuthRequired)
    assert "POST /auth/login:" in message
    assert "POST /auth/login/token:" in message
    assert "Privy" in message
    assert "not accepted" in message
    assert login_paths(transport) == [LOGIN, LOGIN_TOKEN]
    assert refused.value.__context__ is None


@pytest.mark.parametrize(("mode", "token_mode"), [("refused", "refused"), ("unrouted", "unrouted")])
async def test_a_valid_signature_both_routes_turn_down_is_a_clear_refusal(
    sim_factory: Callable[..., SimServer], mode: str, token_mode: str
) -> None:
    sim = sim_with_cookie_login(sim_factory, mode, token_mode)
    async with make_client(sim) as client:
        with pytest.raises(LoginRefused) as refused:
            await sign_in(client, sim)

    assert len(refused.value.tried) == 2
    assert "Privy" in str(refused.value)


async def test_a_refusal_after_the_cookie_route_failed_still_names_both(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_with_cookie_login(sim_factory, "unrouted")
    transport = RecordingTransport()
    async with make_client(sim, transport=transport) as client:
        await sign_in(client, sim)
        with pytest.raises(LoginRefused) as refused:
            await sign_in(client, sim, skew_ms=-10 * 60_000)

    assert login_paths(transport) == [LOGIN, LOGIN_TOKEN, LOGIN_TOKEN]
    assert "POST /auth/login: not asked" in str(refused.value)
    assert "POST /auth/login/token: refused (401" in str(refused.value)


async def test_an_unreadable_token_answer_never_quotes_the_body(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_with_cookie_login(sim_factory, "unrouted")
    sim.set_faults(FaultPlan(malformed_rate=1.0, paths="^/auth/login/token"))
    async with make_client(sim, max_retries=0) as client:
        with pytest.raises(BadResponse) as unusable:
            await sign_in(client, sim)

        assert not client.has_token
    assert "eyJ" not in str(unusable.value)
    assert "eyJ" not in unusable.value.excerpt
    assert unusable.value.__context__ is None
