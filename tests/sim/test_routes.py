"""One port, every host: the route table, the 2025 routes that died (answered exactly as the
real service answers them), and NestJS's two kinds of 404."""

from __future__ import annotations

from pumptui.sim import SimServer
from pumptui.sim.server import ROUTES
from tests.sim.support import http, nest_error


def test_every_host_is_served_on_one_port_without_collisions() -> None:
    paths = [(r.method, r.path) for r in ROUTES]
    assert len(paths) == len(set(paths))
    hosts = {r.host for r in ROUTES}
    assert hosts == {"v3", "swap", "idx", "pp"}
    assert all(r.path.startswith(("/v1/", "/v2/")) for r in ROUTES if r.host == "swap")


def test_dead_2025_routes_answer_as_the_real_service(sim: SimServer) -> None:
    mint = sim.mints()[0]
    with http(sim) as client:
        for word in ("latest", "king-of-the-hill"):
            response = client.get(f"/coins/{word}")
            assert response.status_code == 404
            assert response.json() == {
                "message": f"Coin not found for mint: {word}",
                "error": "Not Found",
                "statusCode": 404,
            }
        for path in (
            f"/coins/{mint}",
            "/trades/latest",
            f"/candlesticks/{mint}",
            f"/trades/count/{mint}",
            "/coins/search",
        ):
            response = client.get(path)
            assert response.json() == {
                "message": f"Cannot GET {path}",
                "error": "Not Found",
                "statusCode": 404,
            }
        nest_error(client.get(f"/trades/all/{mint}"), 400)
        for path in ("/coins/mints", "/coins/metadatas"):
            response = client.post(path, json={"mints": [mint]})
            assert response.status_code == 404
            assert response.json()["message"] == f"Cannot POST {path}"


def test_unknown_paths_and_methods_are_cannot_get(sim: SimServer) -> None:
    with http(sim) as client:
        body = nest_error(client.get("/no/such/route"), 404)
        assert body["message"] == "Cannot GET /no/such/route"
        assert nest_error(client.put("/coins"), 404)["message"] == "Cannot PUT /coins"
        assert nest_error(client.get("/v2/nothing"), 404)["message"] == "Cannot GET /v2/nothing"


def test_a_known_route_with_an_unknown_coin_is_a_handler_404(sim: SimServer) -> None:
    unknown = "So11111111111111111111111111111111111111112"
    with http(sim) as client:
        for path in (f"/coins-v3/{unknown}", f"/coins-v2/{unknown}"):
            assert nest_error(client.get(path), 404)["message"] == (
                f"Coin not found for mint: {unknown}"
            )


def test_the_state_says_it_is_a_simulator(sim: SimServer) -> None:
    with http(sim) as client:
        assert client.get("/_sim/state").json()["simulator"] is True
