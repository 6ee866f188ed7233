"""Cross-cutting HTTP behaviour a client relies on: weak ETags and 304s, NestJS error bodies, and
keep-alive. (Rate limits: test_limits.py.)"""

from __future__ import annotations

import re

import httpx

from pumptui.sim import SimServer
from tests.sim.support import http, nest_error

WEAK_ETAG = re.compile(r'^W/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$')


def test_gets_carry_a_weak_etag_and_a_match_answers_304_with_no_body(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        for path in (
            "/coins",
            f"/coins-v3/{mint}",
            f"/v2/coins/{mint}/trades",
            f"/callout/top/{mint}",
            "/sol-price",
            f"/v2/coins/{mint}/candles?interval=1m",
        ):
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
    quiet, busy = (
        sim.create_coin(name="Quiet", symbol="QT"),
        sim.create_coin(name="Busy", symbol="BZ"),
    )
    with http(sim) as client:
        quiet_tag = client.get(f"/coins-v3/{quiet}").headers["ETag"]
        busy_tag = client.get(f"/coins-v3/{busy}").headers["ETag"]
        list_tag = client.get("/coins", params={"includeNsfw": "true"}).headers["ETag"]
        sim.inject_trades(busy, 1)
        assert (
            client.get(f"/coins-v3/{quiet}", headers={"If-None-Match": quiet_tag}).status_code
            == 304
        )
        changed = client.get(f"/coins-v3/{busy}", headers={"If-None-Match": busy_tag})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != busy_tag
        relisted = client.get(
            "/coins", params={"includeNsfw": "true"}, headers={"If-None-Match": list_tag}
        )
        assert relisted.status_code == 200


def test_posts_and_errors_carry_no_etag(sim: SimServer) -> None:
    with http(sim) as client:
        created = client.post("/coins-v2/mints", json={"mints": sim.mints()[:1]})
        missing = client.get("/coins/So11111111111111111111111111111111111111112")
    assert created.status_code == 201
    assert "ETag" not in created.headers
    assert missing.status_code == 404
    assert "ETag" not in missing.headers


def test_unknown_routes_and_methods_answer_like_nest(sim: SimServer) -> None:
    with http(sim) as client:
        body = nest_error(client.get("/no/such/route"), 404)
        assert body["message"] == "Cannot GET /no/such/route"
        body = nest_error(client.put("/coins"), 404)
        assert body["message"] == "Cannot PUT /coins"
        assert client.get("/no/such/route").headers["content-type"].startswith("application/json")


def test_a_non_json_body_is_a_400_not_a_crash(sim: SimServer) -> None:
    with http(sim) as client:
        for body in (b"{not json", b"[1, 2]", b""):
            response = client.post(
                "/coins-v2/mints", content=body, headers={"Content-Type": "application/json"}
            )
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
