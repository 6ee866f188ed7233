"""Sign-in with a real ed25519 signature, sessions by cookie or Bearer, and who may moderate."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from pumptui.sim import SimServer
from tests.conftest import TEST_SERVER
from tests.sim.support import PROFILE_FIELDS, bearer, check_fields, http, login_body, nest_error


def test_a_signed_login_sets_a_cookie_that_works_as_cookie_and_as_bearer(sim: SimServer) -> None:
    with http(sim) as client:
        response = client.post("/auth/login", json=login_body(sim.user_keypair))
        assert response.status_code == 201
        check_fields(response.json(), PROFILE_FIELDS, "profile")
        assert response.json()["address"] == sim.user_address
        set_cookie = response.headers["set-cookie"]
        assert set_cookie.startswith("auth_token=")
        assert "HttpOnly" in set_cookie
        token = response.cookies["auth_token"]
        # httpx keeps the cookie: the session now works by cookie alone.
        profile = client.get("/auth/my-profile")
        assert profile.status_code == 200
        check_fields(profile.json(), PROFILE_FIELDS, "profile")
        assert profile.json()["address"] == sim.user_address
    with http(sim) as fresh:
        nest_error(fresh.get("/auth/my-profile"), 401)
        by_bearer = fresh.get("/auth/my-profile", headers=bearer(token))
        assert by_bearer.status_code == 200
        assert by_bearer.json()["address"] == sim.user_address


def test_a_login_as_the_admin_wallet_is_an_admin(sim: SimServer) -> None:
    with http(sim) as client:
        assert client.post("/auth/login", json=login_body(sim.admin_keypair)).status_code == 201
        assert client.get("/auth/is-admin").json() is True
    with http(sim) as client:
        client.post("/auth/login", json=login_body(sim.user_keypair))
        assert client.get("/auth/is-admin").json() is False


def test_a_bad_signature_is_refused(sim: SimServer) -> None:
    body = login_body(sim.user_keypair)
    # A valid signature, but of another message.
    other = login_body(sim.user_keypair, body["timestamp"] + 1)
    with http(sim) as client:
        forged = client.post("/auth/login", json={**body, "signature": other["signature"]})
        nest_error(forged, 401)
        # Someone else's signature over the right message.
        stolen = login_body(sim.admin_keypair, body["timestamp"])
        nest_error(client.post("/auth/login", json={**body, "signature": stolen["signature"]}), 401)
        assert "auth_token" not in client.cookies


def test_a_stale_or_future_timestamp_is_refused(sim: SimServer) -> None:
    now_ms = int(time.time() * 1000)
    with http(sim) as client:
        for skew in (-10 * 60_000, 10 * 60_000):
            response = client.post("/auth/login", json=login_body(sim.user_keypair, now_ms + skew))
            nest_error(response, 401)


def test_a_malformed_login_is_a_400(sim: SimServer) -> None:
    good = login_body(sim.user_keypair)
    with http(sim) as client:
        for broken in (
            {**good, "address": "not base58 0OIl"},
            {**good, "signature": "abc"},
            {**good, "timestamp": None},
            {"address": good["address"]},
        ):
            nest_error(client.post("/auth/login", json=broken), 400)


def test_forged_and_expired_tokens_are_no_session(sim: SimServer) -> None:
    good = sim.token_for()
    header, payload, signature = good.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}xx"
    expired = sim.token_for(lifetime=-60)
    with http(sim) as client:
        assert client.get("/auth/my-profile", headers=bearer(good)).status_code == 200
        for token in (tampered, expired, "garbage", f"{header}.{payload}"):
            nest_error(client.get("/auth/my-profile", headers=bearer(token)), 401)


def test_logout_answers_201_and_clears_the_cookie(sim: SimServer) -> None:
    with http(sim) as client:
        client.post("/auth/login", json=login_body(sim.user_keypair))
        response = client.post("/auth/logout")
    assert response.status_code == 201
    assert response.json() == {"success": True}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith('auth_token="";') or cookie.startswith("auth_token=;")
    assert "Max-Age=0" in cookie or "expires=Thu, 01 Jan 1970" in cookie


def test_moderation_needs_a_session_and_an_admin(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        anonymous = client.post("/moderation/bulk-nsfw", json={"mints": [mint]})
        nest_error(anonymous, 401)
        user = client.post(
            "/moderation/bulk-nsfw", json={"mints": [mint]}, headers=bearer(sim.token_for())
        )
        assert nest_error(user, 403)["message"] == "Forbidden resource"
        admin = client.post(
            "/moderation/bulk-nsfw",
            json={"mints": [mint]},
            headers=bearer(sim.token_for(admin=True)),
        )
        assert admin.status_code == 201


def test_writes_need_a_session(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        for method, path, body in (
            ("POST", "/callout/create", {"coinMint": mint, "thesis": "hi", "version": 2}),
            ("GET", f"/callout/eligibility/{mint}", None),
            ("POST", f"/callout/{sim.post_callout(mint, 'a call')}/like", None),
            ("POST", f"/following/v2/{sim.user_uuid(sim.admin_address)}", None),
            ("GET", "/bookmarks", None),
            ("POST", "/bookmarks", {"name": "x"}),
            ("POST", "/bookmarks/items/add", {"itemId": mint, "bookmarkIds": ["default"]}),
        ):
            nest_error(client.request(method, path, json=body), 401)


# -- the bearer-token login, and a cookie route that is gone or refuses (reference §3.8) -------


def token_login_body(keypair: bytes, timestamp_ms: int | None = None) -> dict[str, Any]:
    return {**login_body(keypair, timestamp_ms), "authType": "non_custodial"}


def test_the_token_route_answers_an_access_token_that_works_as_bearer(sim: SimServer) -> None:
    with http(sim) as client:
        response = client.post("/auth/login/token", json=token_login_body(sim.user_keypair))
        assert response.status_code == 201
        token = response.json()["access_token"]
        assert "set-cookie" not in response.headers  # a bearer token, not a cookie
        nest_error(client.get("/auth/my-profile"), 401)
        profile = client.get("/auth/my-profile", headers=bearer(token))
    assert profile.status_code == 200
    assert profile.json()["address"] == sim.user_address


def test_the_token_route_checks_the_signature_like_the_cookie_route(sim: SimServer) -> None:
    body = token_login_body(sim.user_keypair)
    stolen = login_body(sim.admin_keypair, body["timestamp"])
    stale = token_login_body(sim.user_keypair, int(time.time() * 1000) - 10 * 60_000)
    forged = {**body, "signature": stolen["signature"]}
    with http(sim) as client:
        nest_error(client.post("/auth/login/token", json=forged), 401)
        nest_error(client.post("/auth/login/token", json=stale), 401)
        nest_error(client.post("/auth/login/token", json=login_body(sim.user_keypair)), 400)
        nest_error(client.post("/auth/login/token", json={}), 400)


@pytest.mark.parametrize(("mode", "status"), [("unrouted", 404), ("refused", 401)])
def test_the_cookie_route_can_be_gone_or_refuse_while_the_token_route_signs_in(
    sim_factory: Callable[..., SimServer], mode: str, status: int
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login=mode))
    with http(sim) as client:
        cookie = nest_error(client.post("/auth/login", json=login_body(sim.user_keypair)), status)
        assert "auth_token" not in client.cookies
        by_token = client.post("/auth/login/token", json=token_login_body(sim.user_keypair))
    if mode == "unrouted":
        assert cookie["message"] == "Cannot POST /auth/login"  # no handler, as NestJS says it
    assert by_token.status_code == 201
    assert by_token.json()["access_token"]


@pytest.mark.parametrize(("mode", "status"), [("unrouted", 404), ("refused", 401)])
def test_the_token_route_can_be_gone_or_refuse_too(
    sim_factory: Callable[..., SimServer], mode: str, status: int
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, token_login=mode))
    with http(sim) as client:
        by_token = client.post("/auth/login/token", json=token_login_body(sim.user_keypair))
        by_cookie = client.post("/auth/login", json=login_body(sim.user_keypair))
    body = nest_error(by_token, status)
    if mode == "unrouted":
        assert body["message"] == "Cannot POST /auth/login/token"
    assert by_cookie.status_code == 201


def test_an_unknown_login_mode_is_refused_at_start(sim_factory: Callable[..., SimServer]) -> None:
    with pytest.raises(ValueError, match="cookie_login"):
        sim_factory(server=replace(TEST_SERVER, cookie_login="maybe"))
