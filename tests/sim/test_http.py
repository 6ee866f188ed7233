"""Cross-cutting HTTP behaviour a client relies on: weak ETags and 304s, the per-client rate
limit with its headers and Retry-After, and NestJS error bodies."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx

from pumptui.sim import ServerConfig, SimServer
from tests.sim.support import http, nest_error

WEAK_ETAG = re.compile(r'^W/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$')


def test_gets_carry_a_weak_etag_and_a_match_answers_304_with_no_body(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        for path in ("/coins", f"/coins/{mint}", f"/trades/all/{mint}", f"/replies/{mint}",
                     "/sol-price", "/coins/latest"):
            first = client.get(path)
            etag = first.headers["ETag"]
            assert WEAK_ETAG.match(etag), etag
            assert int(etag[3:].split("-")[0], 16) == len(first.content)
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304, path
            assert again.content == b""
            assert again.headers["ETag"] == etag
            # A list of validators matches too, with or without the weak prefix.
            listed = client.get(path, headers={"If-None-Match": f'"other", {etag[2:]}'})
            assert listed.status_code == 304
            stale = client.get(path, headers={"If-None-Match": 'W/"0-stale"'})
            assert stale.status_code == 200
            assert stale.content == first.content


def test_a_change_invalidates_only_what_it_changed(sim: SimServer) -> None:
    quiet, busy = sim.create_coin(name="Quiet", symbol="QT"), sim.create_coin(name="Busy",
                                                                              symbol="BZ")
    with http(sim) as client:
        quiet_tag = client.get(f"/coins/{quiet}").headers["ETag"]
        busy_tag = client.get(f"/coins/{busy}").headers["ETag"]
        list_tag = client.get("/coins", params={"includeNsfw": "true"}).headers["ETag"]
        sim.inject_trades(busy, 1)
        assert client.get(f"/coins/{quiet}",
                          headers={"If-None-Match": quiet_tag}).status_code == 304
        changed = client.get(f"/coins/{busy}", headers={"If-None-Match": busy_tag})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != busy_tag
        relisted = client.get("/coins", params={"includeNsfw": "true"},
                              headers={"If-None-Match": list_tag})
        assert relisted.status_code == 200


def test_posts_and_errors_carry_no_etag(sim: SimServer) -> None:
    with http(sim) as client:
        created = client.post("/coins/mints", json={"mints": sim.mints()[:1]})
        missing = client.get("/coins/So11111111111111111111111111111111111111112")
    assert created.status_code == 201
    assert "ETag" not in created.headers
    assert missing.status_code == 404
    assert "ETag" not in missing.headers


def test_every_answer_carries_the_rate_limit_headers(sim_factory: Callable[..., SimServer]
                                                     ) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=50, rate_limit_window=60.0))
    with http(sim) as client:
        started = time.time()
        responses = [client.get("/coins"), client.get("/sol-price"),
                     client.get("/coins/So11111111111111111111111111111111111111112")]
    remaining = [int(r.headers["x-ratelimit-remaining"]) for r in responses]
    assert remaining == [49, 48, 47]
    for response in responses:
        assert response.headers["x-ratelimit-limit"] == "50"
        reset = int(response.headers["x-ratelimit-reset"])
        assert started < reset <= started + 61  # Unix seconds, within one window


def test_past_the_budget_a_client_gets_429_with_retry_after(sim_factory: Callable[..., SimServer]
                                                            ) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=5, rate_limit_window=60.0))
    with http(sim) as client:
        allowed = [client.get("/sol-price") for _ in range(5)]
        refused = client.get("/sol-price")
        admin = client.get("/_sim/state")  # the simulator's own controls are never limited
    assert [r.status_code for r in allowed] == [200] * 5
    body = nest_error(refused, 429)
    assert body["error"] == "Too Many Requests"
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert admin.status_code == 200


def test_a_client_that_waits_retry_after_gets_through(sim_factory: Callable[..., SimServer]
                                                      ) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=2, rate_limit_window=1.0))
    with http(sim) as client:
        while (refused := client.get("/sol-price")).status_code != 429:
            pass
        time.sleep(int(refused.headers["Retry-After"]))
        assert client.get("/sol-price").status_code == 200


def test_budgets_are_per_client(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=3, rate_limit_window=60.0,
                                          rate_limit_by_header="X-Client"))
    with http(sim) as client:
        first = [client.get("/sol-price", headers={"X-Client": "a"}).status_code
                 for _ in range(4)]
        other = client.get("/sol-price", headers={"X-Client": "b"})
    assert first == [200, 200, 200, 429]
    assert other.status_code == 200
    assert other.headers["x-ratelimit-remaining"] == "2"


def test_unknown_routes_and_methods_answer_like_nest(sim: SimServer) -> None:
    with http(sim) as client:
        body = nest_error(client.get("/no/such/route"), 404)
        assert body["message"] == "Cannot GET /no/such/route"
        body = nest_error(client.put("/coins"), 404)
        assert body["message"] == "Cannot PUT /coins"
        assert client.get("/no/such/route").headers["content-type"].startswith(
            "application/json")


def test_a_non_json_body_is_a_400_not_a_crash(sim: SimServer) -> None:
    with http(sim) as client:
        for body in (b"{not json", b"[1, 2]", b""):
            response = client.post("/coins/metadatas", content=body,
                                   headers={"Content-Type": "application/json"})
            nest_error(response, 400)


def test_the_server_keeps_connections_alive(sim: SimServer) -> None:
    """Benchmarks and clients count on keep-alive: many requests, one connection."""
    seen: set[tuple[str, int]] = set()

    def remember(response: httpx.Response) -> None:
        stream = response.extensions["network_stream"]
        seen.add(stream.get_extra_info("client_addr"))

    with http(sim, event_hooks={"response": [remember]}) as client:
        for _ in range(5):
            client.get("/sol-price")
    assert len(seen) == 1
