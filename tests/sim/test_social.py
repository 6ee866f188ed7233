"""Bookmarks and moderation: each write changes the world that later reads show, and each
answers 201 (POST) or 200 (DELETE); the 2025 reply, like and follow routes are gone. (Callouts,
users and follows by UUID: test_callouts.py, test_users.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from pumptui.sim import SimServer
from tests.sim.support import (
    BOOKMARK_LIST_FIELDS,
    bearer,
    check_fields,
    http,
    nest_error,
)


@pytest.fixture
def calm(sim_factory: Callable[..., SimServer]) -> SimServer:
    """A market whose coins are never NSFW by chance, so list membership is ours to decide."""
    return sim_factory(nsfw_share=0.0)


@pytest.fixture
def user(sim: SimServer) -> Iterator[httpx.Client]:
    with http(sim, headers=bearer(sim.token_for())) as client:
        yield client


def test_the_2025_social_routes_answer_cannot_get_like_the_service(
    sim: SimServer, user: httpx.Client
) -> None:
    """Reference §4: replies, likes and follows by wallet have no handler any more."""
    mint = sim.mints()[0]
    wallet = sim.admin_address
    for method, path in (
        ("GET", f"/replies/{mint}"),
        ("POST", "/replies"),
        ("POST", f"/likes/{mint}"),
        ("DELETE", f"/likes/{mint}"),
        ("POST", f"/following/{wallet}"),
        ("DELETE", f"/following/{wallet}"),
    ):
        response = user.request(method, path, json={"mint": mint, "text": "gm"})
        assert response.status_code == 404, path
        assert response.json() == {
            "message": f"Cannot {method} {path}",
            "error": "Not Found",
            "statusCode": 404,
        }


def test_bookmark_lists_and_items(sim: SimServer, user: httpx.Client) -> None:
    mints = sim.mints()[:3]
    lists = user.get("/bookmarks").json()
    assert [b["name"] for b in lists] == ["default"]
    check_fields(lists[0], BOOKMARK_LIST_FIELDS, "bookmark list")
    assert lists[0]["user_id"] == sim.user_address
    created = user.post("/bookmarks", json={"name": "gems"})
    assert created.status_code == 201
    gems = created.json()
    check_fields(gems, BOOKMARK_LIST_FIELDS, "bookmark list")
    assert gems["created_at"].endswith("Z")
    for mint in mints:
        added = user.post(
            "/bookmarks/items/add", json={"itemId": mint, "bookmarkIds": [gems["id"], "default"]}
        )
        assert added.status_code == 201
    by_id = {b["id"]: b for b in user.get("/bookmarks").json()}
    assert by_id[gems["id"]]["bookmark_items"] == mints
    coins = user.get(f"/coins/bookmarks/{gems['id']}", params={"includeNsfw": "true"}).json()
    assert [c["mint"] for c in coins] == mints
    removed = user.post(
        "/bookmarks/items/remove", json={"itemId": mints[0], "bookmarkIds": [gems["id"]]}
    )
    assert removed.status_code == 201
    coins = user.get(f"/coins/bookmarks/{gems['id']}", params={"includeNsfw": "true"}).json()
    assert [c["mint"] for c in coins] == mints[1:]
    assert user.delete(f"/bookmarks/{gems['id']}").json() == {"success": True}
    assert gems["id"] not in {b["id"] for b in user.get("/bookmarks").json()}
    nest_error(user.get("/coins/bookmarks/00000000-0000-4000-8000-000000000000"), 404)
    nest_error(user.post("/bookmarks", json={"name": ""}), 400)


def test_deleting_every_list_still_leaves_a_default(sim: SimServer, user: httpx.Client) -> None:
    for lst in user.get("/bookmarks").json():
        assert user.delete(f"/bookmarks/{lst['id']}").status_code == 200
    assert user.get("/coins/bookmarks/default").status_code == 200
    assert [b["name"] for b in user.get("/bookmarks").json()] == ["default"]


def test_bookmarks_are_per_wallet(sim: SimServer, user: httpx.Client) -> None:
    user.post("/bookmarks/items/add", json={"itemId": sim.mints()[0], "bookmarkIds": ["default"]})
    with http(sim, headers=bearer(sim.token_for(admin=True))) as admin:
        assert admin.get("/bookmarks").json()[0]["bookmark_items"] == []


def listed(client: httpx.Client, **params: object) -> set[str]:
    coins = client.get("/coins", params={"limit": 70, **params}).json()
    return {c["mint"] for c in coins}


def test_a_hidden_coin_disappears_from_lists(calm: SimServer) -> None:
    mint = calm.create_coin(name="Vanishing", symbol="GONE")
    with http(calm, headers=bearer(calm.token_for(admin=True))) as admin:
        assert mint in listed(admin)
        response = admin.post("/moderation/bulk-hidden", json={"ids": [mint]})
        assert response.status_code == 201
        assert response.json() == {"updated": [mint], "notFound": []}
        assert mint not in listed(admin)
        assert mint not in listed(admin, includeNsfw="true")
        assert admin.get("/coins", params={"searchTerm": "Vanishing"}).json() == []
    assert mint not in calm.mints()


def test_an_nsfw_coin_is_filtered_unless_asked_for(calm: SimServer) -> None:
    mint = calm.create_coin(name="Spicy", symbol="NSFW")
    unknown = "So11111111111111111111111111111111111111112"
    with http(calm, headers=bearer(calm.token_for(admin=True))) as admin:
        response = admin.post("/moderation/bulk-nsfw", json={"mints": [mint, unknown]})
        assert response.status_code == 201
        assert response.json() == {"updated": [mint], "notFound": [unknown]}
        assert mint not in listed(admin)
        assert mint in listed(admin, includeNsfw="true")
        assert admin.get(f"/coins-v3/{mint}").json()["nsfw"] is True


def test_a_banned_coin_disappears_and_a_numeric_id_names_nothing(calm: SimServer) -> None:
    """A ban needs a reason; the numeric ids hide and ban took named replies, gone in 2026."""
    mint = calm.create_coin(name="Moderated", symbol="MOD")
    with http(calm, headers=bearer(calm.token_for(admin=True))) as admin:
        nest_error(admin.post("/moderation/bulk-ban", json={"ids": [mint]}), 400)  # no reason
        assert mint in listed(admin)
        response = admin.post(
            "/moderation/bulk-ban", json={"ids": [mint, 987654321], "reason": "spam"}
        )
        assert response.status_code == 201
        assert response.json() == {"updated": [mint], "notFound": [987654321]}
        assert mint not in listed(admin, includeNsfw="true")


def test_bookmarks_switched_off_answer_like_a_service_without_them(
    sim: SimServer, user: httpx.Client
) -> None:
    mint = sim.mints()[0]
    assert user.get("/bookmarks").status_code == 200
    switched = user.post("/_sim/features", json={"bookmarks": False})
    assert switched.json() == {"bookmarks": False}
    for method, path, body in (
        ("GET", "/bookmarks", None),
        ("POST", "/bookmarks", {"name": "x"}),
        ("POST", "/bookmarks/items/add", {"itemId": mint, "bookmarkIds": ["default"]}),
        ("DELETE", "/bookmarks/default", None),
        ("GET", "/coins/bookmarks/default", None),
    ):
        response = user.request(method, path, json=body)
        assert response.status_code == 404, path
        assert response.json()["message"] == f"Cannot {method} {path}"
    sim.set_feature("bookmarks", True)
    assert user.get("/bookmarks").status_code == 200
    nest_error(user.post("/_sim/features", json={"chat": False}), 400)
