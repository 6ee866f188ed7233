"""Signing in with a Solana keypair file, as the web site does, against the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pumptui.api.budget import RequestBudget
from pumptui.api.client import PumpClient, RetryPolicy
from pumptui.api.errors import AuthRequired
from pumptui.auth import check_token, token_claims
from pumptui.base58 import b58decode, b58encode
from pumptui.config import ApiSettings
from pumptui.keypair import KeypairError, login_message, login_with_keypair, now_ms, sign_login
from pumptui.secret import Secret
from pumptui.sim import SimServer
from tests.conftest import TEST_SERVER

SEED = bytes(range(200, 232))
KEY = Ed25519PrivateKey.from_private_bytes(SEED)
PUBLIC = KEY.public_key().public_bytes_raw()
ADDRESS = b58encode(PUBLIC)


def write(path: Path, content: str) -> Path:
    path.write_text(content)
    return path


def client_for(sim: SimServer) -> PumpClient:
    settings = ApiSettings(
        frontend_url=sim.base_url, swap_url=sim.base_url, indexer_url=sim.base_url, timeout=5.0
    )
    return PumpClient(
        settings, retry=RetryPolicy(max_retries=0), budget=RequestBudget(60_000, burst=100)
    )


@pytest.mark.parametrize(
    "content",
    [
        json.dumps(list(SEED + PUBLIC)),  # solana-keygen's format
        json.dumps(list(SEED + PUBLIC), indent=2) + "\n",
        json.dumps(list(SEED)),  # the seed alone
        b58encode(SEED + PUBLIC),  # a wallet's "export private key"
        b58encode(SEED) + "\n",
    ],
    ids=["json-64", "json-indented", "json-seed", "base58-64", "base58-seed"],
)
def test_the_login_message_is_signed_by_the_wallet_in_the_file(
    tmp_path: Path, content: str
) -> None:
    signed = sign_login(write(tmp_path / "id.json", content), timestamp_ms=1_700_000_000_123)

    assert signed.address == ADDRESS
    assert signed.timestamp_ms == 1_700_000_000_123
    Ed25519PublicKey.from_public_bytes(PUBLIC).verify(
        b58decode(signed.signature), b"Sign in to pump.fun: 1700000000123"
    )
    assert login_message(1) == b"Sign in to pump.fun: 1"


def test_a_file_whose_public_half_does_not_match_is_refused(tmp_path: Path) -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    path = write(tmp_path / "id.json", json.dumps(list(SEED + other)))

    with pytest.raises(KeypairError, match="public half does not match"):
        sign_login(path)


@pytest.mark.parametrize(
    "content",
    [
        "",
        "[1, 2, 3]",
        json.dumps([*SEED, *PUBLIC, 7]),
        "[" + ",".join(["300"] * 64) + "]",
        "[" + ",".join(str(b) for b in SEED + PUBLIC) + ",]",
        '{"secretKey": [1, 2]}',
        b58encode(SEED + PUBLIC) + "0OIl",
        b58encode(SEED + PUBLIC + b"x"),
    ],
    ids=[
        "empty",
        "short",
        "long",
        "out-of-range",
        "trailing-comma",
        "object",
        "not-base58",
        "base58-too-long",
    ],
)
def test_malformed_files_are_refused_without_showing_their_content(
    tmp_path: Path, content: str
) -> None:
    path = write(tmp_path / "id.json", content)

    with pytest.raises(KeypairError) as refused:
        sign_login(path)

    message = str(refused.value)
    assert message.startswith(f"keypair file {path}: ")
    secret_digits = ",".join(str(b) for b in SEED)
    assert secret_digits not in message
    assert b58encode(SEED) not in message
    assert refused.value.__context__ is None  # nothing chained whose frames hold the key


def test_a_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(KeypairError, match="cannot be read"):
        sign_login(tmp_path / "nope.json")


async def test_signing_in_with_a_keypair_gets_a_token_for_that_wallet(
    sim: SimServer, tmp_path: Path
) -> None:
    path = write(tmp_path / "id.json", json.dumps(list(sim.user_keypair)))

    async with client_for(sim) as client:
        token = await login_with_keypair(client, path)
        info = await check_token(client, token)

    assert info.verified
    assert info.address == sim.user_address
    assert info.admin is False
    assert token_claims(token).address == sim.user_address  # type: ignore[union-attr]


async def test_the_admin_keypair_signs_in_as_an_admin(sim: SimServer, tmp_path: Path) -> None:
    path = write(tmp_path / "admin.json", json.dumps(list(sim.admin_keypair)))

    async with client_for(sim) as client:
        info = await check_token(client, await login_with_keypair(client, path))

    assert info.admin is True


async def test_a_keypair_signs_in_on_the_token_route_when_the_cookie_route_is_gone(
    sim_factory: Callable[..., SimServer], tmp_path: Path
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="unrouted"))
    path = write(tmp_path / "id.json", json.dumps(list(sim.user_keypair)))

    async with client_for(sim) as client:
        token = await login_with_keypair(client, path)
        info = await check_token(client, token)

    assert info.verified
    assert info.address == sim.user_address
    assert client.moved_routes == {"login": "POST /auth/login → POST /auth/login/token"}


async def test_a_stale_signature_is_refused_by_the_server(sim: SimServer, tmp_path: Path) -> None:
    path = write(tmp_path / "id.json", json.dumps(list(sim.user_keypair)))
    ten_minutes_ago = now_ms() - 10 * 60 * 1000

    async with client_for(sim) as client:
        with pytest.raises(AuthRequired):
            await login_with_keypair(client, path, timestamp_ms=ten_minutes_ago)
        assert not client.has_token


async def test_a_token_the_server_refuses_is_not_kept_by_the_client(sim: SimServer) -> None:
    header, payload, _ = sim.token_for(sim.user_address).split(".")
    forged = Secret(f"{header}.{payload}.forgedforgedforgedforgedforgedforgedforged")

    async with client_for(sim) as client:
        with pytest.raises(AuthRequired):
            await check_token(client, forged)
        assert not client.has_token
