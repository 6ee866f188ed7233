"""`pumptui doctor`: one probe per route, a verdict each, and an exit status that means it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from pumptui.cli import main
from pumptui.sim import SimServer
from tests.cli.loopback import (
    Loopback,
    legacy_2025_app,
    proxy_app,
    rename_field,
    swap_blocked,
)
from tests.conftest import TEST_SERVER

# Probes are few; roomy budgets keep the tests from waiting out the bursts.
FAST = ["--swap-rpm", "600", "--frontend-rpm", "600"]


@pytest.fixture
def loopback() -> Iterator[Callable[..., Loopback]]:
    started: list[Loopback] = []

    def make(app: object) -> Loopback:
        server = Loopback(app).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


def doctor(url: str, *args: str) -> int:
    return main(["doctor", "--api-url", url, *FAST, *args])


def test_the_simulator_answers_every_route_as_expected(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = doctor(sim.base_url, "--json")

    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["simulator"] is True
    verdicts = {row["view"]: row["verdict"] for row in report["routes"]}
    for view in (
        "coins",
        "coin",
        "coins-by-mints",
        "search",
        "top-holders",
        "holder-stats",
        "holder-count",
        "sol-price",
        "trades",
        "candles",
        "market-activity",
        "ath",
        "board",
        "callouts",
        "user",
        "follower-count",
        "following-count",
        "user-callouts",
        "bookmarks",
    ):
        assert verdicts[view] == "ok", view
    shapes = {row["view"]: row["shape"] for row in report["routes"]}
    for view in ("user", "follower-count", "following-count"):
        assert shapes[view] == "ok", view  # the simulator's shapes are the reference's
    # What the reference leaves open is neither a pass nor a fail.
    assert verdicts["login"] == verdicts["candles createdTs"] == "unverified"
    for open_question in ("callout eligibility", "unfollow", "callout unlike", "follow captcha"):
        assert verdicts[open_question] == "unverified", open_question
    assert report["requests"]["swap-api"] <= 5  # "a handful", well under 15 a minute


def test_the_table_says_simulator_and_every_route_once(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = doctor(sim.base_url)

    out = capsys.readouterr().out
    assert status == 0
    assert "simulator" in out.splitlines()[0]
    assert out.count("/coins-v3/{mint}") == 1
    assert "every route answered as expected" in out


def test_a_server_of_the_2025_api_exits_1_naming_each_dead_route(
    loopback: Callable[..., Loopback], capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = loopback(legacy_2025_app())

    status = doctor(legacy.base_url)

    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()
    for dead in (
        "dead: coin /coins-v3/{mint}",
        "dead: coins-by-mints /coins-v2/mints",
        "dead: trades /v2/coins/{mint}/trades",
        "dead: candles /v2/coins/{mint}/candles",
        "dead: sol-price /sol-price",
        "dead: top-holders /coins/top-holders-v2/{mint}",
    ):
        assert dead in lines, dead
    # The listing still answers, in the 2025 shape: drift, with what is missing said.
    drift = next(line for line in lines if line.startswith("shape drift: coins /coins"))
    assert "program" in drift
    assert "quote_mint" in drift
    # The fallback was tried too (v2 after v3), but each route only once.
    assert legacy.paths().count(f"/coins-v3/{legacy_first_mint(legacy)}") == 1


def legacy_first_mint(server: Loopback) -> str:
    return next(p.rsplit("/", 1)[1] for p in server.paths("/coins-v3/"))


def test_a_moved_route_is_named_and_its_fallback_checked(
    sim: SimServer, loopback: Callable[..., Loopback], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli.loopback import unrouted

    proxy = loopback(proxy_app(sim.base_url, unrouted("/coins-v3/"), unrouted("/v2/coins/")))

    status = doctor(proxy.base_url)

    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert "moved: coin /coins-v3/{mint} → /coins-v2/{mint}" in lines
    assert "moved: candles /v2/coins/{mint}/candles → /v1/coins/{mint}/candles" in lines
    assert "dead: trades /v2/coins/{mint}/trades" in lines  # no fallback for trades


def test_a_renamed_field_is_shape_drift(
    sim: SimServer, loopback: Callable[..., Loopback], capsys: pytest.CaptureFixture[str]
) -> None:
    proxy = loopback(
        proxy_app(sim.base_url, rename_field("/sol-price", "solPrice", "price", sim.base_url))
    )

    status = doctor(proxy.base_url, "--json")

    report = json.loads(capsys.readouterr().out)
    row = next(r for r in report["routes"] if r["view"] == "sol-price")
    assert status == 1
    assert row["verdict"] == "shape drift"
    assert row["missing"] == ["solPrice"]
    assert row["unexpected"] == ["price"]


def test_nothing_more_goes_to_swap_once_it_blocks(
    sim: SimServer, loopback: Callable[..., Loopback], capsys: pytest.CaptureFixture[str]
) -> None:
    proxy = loopback(proxy_app(sim.base_url, swap_blocked(retry_after=48)))

    status = doctor(proxy.base_url)

    out = capsys.readouterr().out
    assert status == 1
    # The first swap request found the block; nothing followed it.
    assert len([p for p in proxy.paths() if p.startswith(("/v1/", "/v2/"))]) == 1
    # The countdown is read when the line is printed: 60 s, or a second less on a slow machine.
    assert re.search(
        r"swap-api blocked \(Cloudflare 1015\), retry in (59|60)s: stopped probing "
        r"it; not probed: candles, market-activity, ath",
        out,
    )
    # The other hosts were still probed.
    assert proxy.paths("/boards/")


def test_it_says_which_login_route_answers_without_logging_in(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = doctor(sim.base_url, "--json")

    report = json.loads(capsys.readouterr().out)
    row = next(r for r in report["routes"] if r["view"] == "login route")
    assert status == 0
    assert row["verdict"] == "ok"
    assert row["route"] == "/auth/login"
    assert row["status"] == 400  # a handler refused the unsigned probe: nobody was signed in
    login_note = next(n for n in report["notes"] if n.startswith("login:"))
    assert "/auth/login/token: answers" in login_note
    assert "after 2026-09-25" in login_note
    assert "unverified on the real service" in login_note


def test_a_gone_cookie_login_route_is_named_moved_to_the_token_route(
    sim_factory: Callable[..., SimServer], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="unrouted"))

    status = doctor(sim.base_url)

    out = capsys.readouterr().out
    assert status == 1
    assert "moved: login /auth/login → /auth/login/token" in out.splitlines()
    assert "/auth/login: no handler (404: Cannot POST /auth/login)" in out


def test_both_login_routes_gone_is_dead(
    sim_factory: Callable[..., SimServer], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="unrouted", token_login="unrouted"))

    status = doctor(sim.base_url)

    assert status == 1
    assert "dead: login /auth/login and /auth/login/token" in capsys.readouterr().out.splitlines()


def test_no_token_or_push_key_ever_appears(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2ln"
    monkeypatch.setenv("PUMPTUI_TOKEN", token)
    monkeypatch.setenv("PUMPTUI_PUSH_API_KEY", "push-key-7f3a")
    push = "wss://push.example/api/data?api-key=url-key-91bc"

    for extra in ([], ["--json"]):
        status = main(["--push", push, "doctor", "--api-url", sim.base_url, *FAST, *extra])
        out, err = capsys.readouterr()
        assert status == 0
        for secret in (token, "push-key-7f3a", "url-key-91bc"):
            assert secret not in out + err
        assert "api-key=***" in out
        assert "PUMPTUI_TOKEN" in out  # where the token comes from is said, never what it is


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--mint", "not-a-mint"]) == 2
    assert main(["doctor", "--api-url", "ftp://x.example"]) == 2
    assert main(["doctor", "--advanced-url", "https://advanced-api-v2.pump.fun"]) == 2
    assert "--advanced-url is gone" in capsys.readouterr().err


def test_bookmarks_gone_are_said_not_available_without_failing(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.set_feature("bookmarks", False)

    status = doctor(sim.base_url)

    out = capsys.readouterr().out
    assert status == 0  # a dropped optional feature is not drift
    assert "bookmarks: not available on this service" in out.splitlines()


def test_the_live_chat_is_checked_on_one_socket_and_its_open_questions_listed(
    sim_factory: Callable[..., SimServer], capsys: pytest.CaptureFixture[str]
) -> None:
    from pumptui.sim import ServerConfig
    from pumptui.sim.chat import ChatConfig

    # No chatter of the market's own, and messages that live two hours.
    sim = sim_factory(
        server=ServerConfig(rate_limit=100_000, chat=ChatConfig(chatter=0.0, lifetime=7200.0))
    )
    mint = sim.mints()[0]
    sim.post_chat(mint, "gm doctor")

    status = doctor(sim.base_url, "--mint", mint, "--json")

    report = json.loads(capsys.readouterr().out)
    rows = {row["view"]: row for row in report["routes"]}
    assert status == 0
    assert rows["chat"]["verdict"] == "ok"
    assert rows["chat"]["host"] == "livechat"
    assert "history ack with 1 message" in rows["chat"]["note"]
    assert "lives about 2 h" in rows["chat"]["note"]
    for open_question in ("chat posting", "chat push", "chat history limit", "chat lifetime"):
        assert rows[open_question]["verdict"] == "unverified", open_question
    assert "session token" in rows["chat posting"]["note"]
    assert sim.chat_stats()["attempts"] == 1


def test_a_refused_chat_connection_fails_with_the_server_s_reason(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.refuse_chat(1, "Too many connections")

    status = doctor(sim.base_url, "--json")

    report = json.loads(capsys.readouterr().out)
    row = next(r for r in report["routes"] if r["view"] == "chat")
    assert status == 1
    assert row["verdict"] == "failed"
    assert row["note"] == "refused: Too many connections"
