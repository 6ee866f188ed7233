"""Injected faults: each mode does to a client what a flaky upstream does, only where and while
it is asked to, and never changes the market a seed produces."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import orjson
import pytest

from pumptui.sim import FaultPlan, SimServer, faults
from pumptui.sim.faults import FaultInjector
from tests.sim.support import http, nest_error


def test_error_fault_answers_5xx_with_a_nest_body(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(error_rate=1.0))
    with http(sim) as client:
        statuses = set()
        for _ in range(20):
            response = client.get("/coins")
            statuses.add(response.status_code)
            nest_error(response, response.status_code)
    assert statuses <= {500, 502, 503}
    assert len(statuses) > 1


def test_rate_limit_fault_answers_429_with_retry_after_in_json_or_html(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(rate_limit_rate=1.0, retry_after=7))
    kinds = set()
    with http(sim) as client:
        for _ in range(20):
            response = client.get("/coins")
            assert response.status_code == 429
            assert response.headers["Retry-After"] == "7"  # what the plan says, not a constant
            assert response.headers["x-ratelimit-remaining"] == "0"
            kind = response.headers["content-type"].split(";")[0]
            kinds.add(kind)
            if kind == "application/json":
                nest_error(response, 429)
            else:
                assert "rate limited" in response.text
    assert kinds == {"application/json", "text/html"}


def test_html_fault_answers_a_cdn_error_page(sim: SimServer) -> None:
    sim.set_faults("html=1")
    with http(sim) as client:
        response = client.get("/coins")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_challenge_fault_is_an_html_page_where_json_was_expected(sim: SimServer) -> None:
    """A disguised block (§2): a 200 with Cloudflare's challenge, never data."""
    sim.set_faults("challenge=1")
    mint = sim.mints()[0]
    with http(sim) as client:
        response = client.get(f"/v2/coins/{mint}/trades")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/cdn-cgi/challenge-platform" in response.text
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_blocked_fault_redirects_to_the_blocked_page(sim: SimServer) -> None:
    sim.set_faults("blocked=1,paths=^/coins")
    with http(sim) as client:
        response = client.get("/coins")
        assert client.get("/sol-price").status_code == 200
    assert response.status_code == 302
    assert response.headers["location"] == "https://static.pump.fun/blocked"


def test_timeout_fault_holds_the_request_without_answering(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(timeout_rate=1.0, hang_seconds=5.0))
    with http(sim, timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.get("/coins")


def test_drop_fault_closes_the_connection_without_an_answer(sim: SimServer) -> None:
    sim.set_faults("drop=1")
    with http(sim) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/coins")


def test_truncate_fault_cuts_the_body_short_of_its_length(sim: SimServer) -> None:
    sim.set_faults("truncate=1")
    with (
        http(sim) as client,
        pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"),
    ):
        client.get("/coins")


def test_malformed_fault_answers_200_with_broken_json(sim: SimServer) -> None:
    sim.set_faults("malformed=1")
    with http(sim) as client:
        response = client.get("/coins")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_latency_fault_delays_the_answer(sim: SimServer) -> None:
    sim.set_faults("latency=300ms")
    with http(sim) as client:
        started = time.monotonic()
        response = client.get("/sol-price")
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed >= 0.29  # (timer granularity aside)
        with pytest.raises(httpx.ReadTimeout):
            client.get("/sol-price", timeout=0.1)


def test_faults_apply_only_to_matching_paths_and_never_to_sim_controls(sim: SimServer) -> None:
    sim.set_faults("error=1,paths=^/v2/")
    mint = sim.mints()[0]
    with http(sim) as client:
        assert client.get(f"/v2/coins/{mint}/trades").status_code >= 500
        assert client.get("/coins").status_code == 200
        sim.set_faults("error=1")
        assert client.get("/_sim/state").status_code == 200
        assert client.get("/_sim/features").status_code == 200


def test_a_fault_plan_with_a_duration_switches_itself_off(sim: SimServer) -> None:
    sim.set_faults("error=1,for=1s")
    with http(sim) as client:
        assert client.get("/coins").status_code >= 500
        time.sleep(1.05)
        assert client.get("/coins").status_code == 200


def test_a_fault_window_starts_at_the_first_request_it_applies_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test sets a plan, then a slow machine takes a while to send: the faults still come."""
    now = [100.0]
    monkeypatch.setattr(faults.time, "monotonic", lambda: now[0])
    injector = FaultInjector(FaultPlan(error_rate=1.0, duration=2.0, paths="^/coins"), seed=1)

    now[0] += 30.0  # long after the plan was set
    assert not injector.applies("/sol-price")  # another path does not start the window
    now[0] += 30.0
    assert injector.applies("/coins")
    now[0] += 1.9
    assert injector.applies("/coins")
    now[0] += 0.2
    assert not injector.applies("/coins")  # 2 s after the first matching request
    assert not injector.plan.active


def test_a_counted_fault_plan_injects_exactly_that_many_faults(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(error_rate=1.0, times=3, paths="^/coins$"))
    with http(sim) as client:
        assert client.get("/sol-price").status_code == 200  # not a matching path: not counted
        statuses = [client.get("/coins").status_code for _ in range(6)]
    assert [s >= 500 for s in statuses] == [True] * 3 + [False] * 3


def test_a_rate_limit_fault_can_be_only_v3s_json_429(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(rate_limit_rate=1.0, rate_limit_html_share=0.0))
    with http(sim) as client:
        for _ in range(10):
            nest_error(client.get("/coins"), 429)


def test_clearing_faults_restores_clean_answers(sim: SimServer) -> None:
    sim.set_faults("error=0.5,429=0.2,html=0.1,malformed=0.1")
    sim.clear_faults()
    with http(sim) as client:
        assert all(client.get("/coins").status_code == 200 for _ in range(20))


def test_a_partial_error_rate_fails_about_that_share(sim: SimServer) -> None:
    sim.set_faults("error=0.3")
    with http(sim) as client:
        failed = sum(client.get("/sol-price").status_code >= 500 for _ in range(200))
    # Binomial(200, 0.3): mean 60, sd 6.5; five sigma either side cannot flake.
    assert 28 <= failed <= 92


def test_faults_can_be_set_over_http(sim: SimServer) -> None:
    with http(sim) as client:
        plan = client.post("/_sim/faults", content=b"error=1,retry-after=3s").json()
        assert plan["error_rate"] == 1.0
        assert plan["retry_after"] == 3.0
        assert client.get("/coins").status_code >= 500
        as_json = client.post("/_sim/faults", json={"html_rate": 1.0}).json()
        assert as_json["html_rate"] == 1.0
        assert as_json["error_rate"] == 0.0
        assert client.get("/coins").status_code == 502
        nest_error(client.post("/_sim/faults", content=b"explode=1"), 400)
        nest_error(client.post("/_sim/faults", content=b"error=1,paths=("), 400)
        client.delete("/_sim/faults")
        assert client.get("/coins").status_code == 200


def test_fault_specs_parse_and_bad_ones_are_refused() -> None:
    plan = FaultPlan.parse(
        "error=0.1, 429=0.2,timeout=0.05,drop=0.05,truncate=0.05,"
        "malformed=0.05,html=0.05,challenge=0.01,blocked=0.02,latency=50ms,"
        "jitter=1s,paths=^/coins,for=2m,times=5"
    )
    assert (plan.challenge_rate, plan.blocked_rate) == (0.01, 0.02)
    assert (plan.error_rate, plan.rate_limit_rate, plan.timeout_rate, plan.drop_rate) == (
        0.1,
        0.2,
        0.05,
        0.05,
    )
    assert (plan.truncate_rate, plan.malformed_rate, plan.html_rate) == (0.05, 0.05, 0.05)
    assert (plan.latency_ms, plan.latency_jitter_ms) == (50.0, 1000.0)
    assert (plan.paths, plan.duration, plan.times) == ("^/coins", 120.0, 5)
    assert FaultPlan.parse("").active is False
    for bad in ("error=2", "nonsense=1", "error", "paths=(", "error=-0.1", "error=1,times=0"):
        with pytest.raises(ValueError):
            FaultPlan.parse(bad)


def test_faults_never_change_the_market(sim_factory: Callable[..., SimServer]) -> None:
    clean, flaky = sim_factory(), sim_factory()
    flaky.set_faults("error=0.3,429=0.2,html=0.1,malformed=0.1")
    for sim in (clean, flaky):
        with http(sim) as client:
            for _ in range(30):
                client.get("/coins")
        sim.advance(20.0)
    assert clean.mints() == flaky.mints()
    mint = clean.mints()[0]
    assert clean.trades_of(mint) == flaky.trades_of(mint)
