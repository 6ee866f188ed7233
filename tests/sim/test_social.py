"""Replies, likes, follows, bookmarks and moderation: each write changes the world that later
reads show, and each answers 201 (POST) or 200 (DELETE)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from pumptui.sim import SimServer
from tests.sim.support import (
    BOOKMARK_LIST_FIELDS,
    FOLLOWER_FIELDS,
    bearer,
    check_fields,
    check_reply,
    http,
    market_now,
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


def replies_of(client: httpx.Client, mint: str, **params: object) -> dict:
    return client.get(f"/replies/{mint}", params={"limit": 100, **params}).json()


def test_replies_come_wrapped_newest_first_with_has_more_and_next_offset(sim: SimServer) -> None:
    mint = sim.create_coin(name="Chatty", symbol="CHAT")
    ids = [sim.post_reply(mint, f"message {i}") for i in range(5)]
    with http(sim) as client:
        page = client.get(f"/replies/{mint}", params={"limit": 2}).json()
        assert set(page) == {"replies", "hasMore", "offset"}
        assert [r["id"] for r in page["replies"]] == ids[:-3:-1]
        assert page["hasMore"] is True
        assert page["offset"] == 2
        seen: list[int] = []
        offset, more = 0, True
        while more:
            page = client.get(f"/replies/{mint}", params={"limit": 2, "offset": offset}).json()
            seen += [r["id"] for r in page["replies"]]
            offset, more = page["offset"], page["hasMore"]
        assert seen == ids[::-1]
        oldest_first = replies_of(client, mint, reverseOrder="true")
        assert [r["id"] for r in oldest_first["replies"]] == ids
        for reply in oldest_first["replies"]:
            check_reply(reply)
            assert reply["mint"] == mint


def test_a_replies_page_holds_at_most_100(sim: SimServer) -> None:
    mint = sim.create_coin(name="Crowded", symbol="CRWD")
    for i in range(105):
        sim.post_reply(mint, f"reply {i}")
    with http(sim) as client:
        page = client.get(f"/replies/{mint}", params={"limit": 500}).json()
        rest = client.get(f"/replies/{mint}", params={"limit": 500, "offset": 100}).json()
    assert len(page["replies"]) == 100
    assert (page["hasMore"], page["offset"]) == (True, 100)
    assert len(rest["replies"]) == 5
    assert (rest["hasMore"], rest["offset"]) == (False, 105)


def test_posting_a_reply_answers_201_and_counts_on_the_coin(sim: SimServer,
                                                            user: httpx.Client) -> None:
    mint = sim.mints()[0]
    before = user.get(f"/coins-v3/{mint}").json()
    now = market_now(user)
    response = user.post("/replies", json={"mint": mint, "text": "gm from the test"})
    assert response.status_code == 201
    reply = response.json()
    check_reply(reply)
    assert (reply["mint"], reply["text"], reply["user"]) == (mint, "gm from the test",
                                                             sim.user_address)
    assert reply["timestamp"] == int(now * 1000)
    after = user.get(f"/coins-v3/{mint}").json()
    assert after["reply_count"] == before["reply_count"] + 1
    assert after["last_reply"] == int(now * 1000)
    assert replies_of(user, mint)["replies"][0]["id"] == reply["id"]


def test_a_wallet_replying_again_within_a_minute_is_told_to_slow_down(
        sim: SimServer, user: httpx.Client) -> None:
    first, second = sim.mints()[:2]
    assert user.post("/replies", json={"mint": first, "text": "one"}).status_code == 201
    body = nest_error(user.post("/replies", json={"mint": second, "text": "two"}), 429)
    assert "too fast" in body["message"]
    sim.advance(61.0)
    assert user.post("/replies", json={"mint": second, "text": "two"}).status_code == 201


def test_bad_replies_are_refused(sim: SimServer, user: httpx.Client) -> None:
    mint = sim.mints()[0]
    nest_error(user.post("/replies", json={"mint": mint, "text": "   "}), 400)
    nest_error(user.post("/replies", json={"mint": mint, "text": "x" * 1001}), 400)
    nest_error(user.post("/replies", json={"mint": mint}), 400)
    nest_error(user.post("/replies", json={"mint": "So11111111111111111111111111111111111111112",
                                           "text": "hello"}), 404)


def test_likes_move_the_count_once_per_wallet_and_show_who_liked(sim: SimServer,
                                                                 user: httpx.Client) -> None:
    mint = sim.create_coin(name="Likeable", symbol="LIKE")
    reply_id = sim.post_reply(mint, "like me")

    def shown() -> dict:
        return replies_of(user, mint)["replies"][0]

    assert (shown()["total_likes"], shown()["liked_by_user"]) == (0, False)
    liked = user.post(f"/likes/{reply_id}")
    assert liked.status_code == 201
    assert liked.json() == {"success": True, "targetId": str(reply_id)}
    assert user.post(f"/likes/{reply_id}").status_code == 201  # idempotent
    assert (shown()["total_likes"], shown()["liked_by_user"]) == (1, True)
    with http(sim) as anonymous:
        assert replies_of(anonymous, mint)["replies"][0]["liked_by_user"] is False
    unliked = user.delete(f"/likes/{reply_id}")
    assert unliked.status_code == 200
    assert (shown()["total_likes"], shown()["liked_by_user"]) == (0, False)
    assert user.post(f"/likes/{mint}").status_code == 201  # a coin can be liked too
    nest_error(user.post("/likes/999999999"), 404)


def test_following_needs_a_single_use_captcha(sim: SimServer, user: httpx.Client) -> None:
    target = sim.admin_address
    nest_error(user.post(f"/following/{target}"), 400)
    nest_error(user.post(f"/following/{target}", params={"captchaToken": "made-up"}), 400)
    captcha = sim.captcha_token()
    followed = user.post(f"/following/{target}", params={"captchaToken": captcha})
    assert followed.status_code == 201
    assert followed.json() == {"success": True, "following": target}
    nest_error(user.post(f"/following/{target}", params={"captchaToken": captcha}), 400)
    # A captcha from the admin endpoint works the same way.
    other = sim.mints()[0]
    creator = user.get(f"/coins-v3/{other}").json()["creator"]
    fresh = user.get("/_sim/captcha").json()["captchaToken"]
    assert user.post(f"/following/{creator}", params={"captchaToken": fresh}).status_code == 201

    followers = user.get(f"/following/followers/{target}").json()
    mine = [f for f in followers if f["address"] == sim.user_address]
    assert len(mine) == 1
    check_fields(mine[0], FOLLOWER_FIELDS, "follower")
    assert mine[0]["timestamp"] == int(market_now(user) * 1000)
    assert user.get("/auth/my-profile").json()["following"] == 2

    assert user.delete(f"/following/{target}").status_code == 200
    followers = user.get(f"/following/followers/{target}").json()
    assert sim.user_address not in {f["address"] for f in followers}
    nest_error(user.post("/following/not-a-wallet", params={"captchaToken": sim.captcha_token()}),
               400)


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
        added = user.post("/bookmarks/items/add",
                          json={"itemId": mint, "bookmarkIds": [gems["id"], "default"]})
        assert added.status_code == 201
    by_id = {b["id"]: b for b in user.get("/bookmarks").json()}
    assert by_id[gems["id"]]["bookmark_items"] == mints
    coins = user.get(f"/coins/bookmarks/{gems['id']}", params={"includeNsfw": "true"}).json()
    assert [c["mint"] for c in coins] == mints
    removed = user.post("/bookmarks/items/remove",
                        json={"itemId": mints[0], "bookmarkIds": [gems["id"]]})
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


def test_a_banned_reply_vanishes_and_is_counted_out_once(sim: SimServer) -> None:
    mint = sim.create_coin(name="Moderated", symbol="MOD")
    keep = sim.post_reply(mint, "fine")
    bad = sim.post_reply(mint, "spam spam spam")
    with http(sim, headers=bearer(sim.token_for(admin=True))) as admin:
        assert admin.get(f"/coins-v3/{mint}").json()["reply_count"] == 2
        nest_error(admin.post("/moderation/bulk-ban", json={"ids": [bad]}), 400)  # no reason
        for _ in range(2):  # banning twice changes nothing more
            response = admin.post("/moderation/bulk-ban", json={"ids": [bad], "reason": "spam"})
            assert response.status_code == 201
            assert response.json()["updated"] == [bad]
        hidden = admin.post("/moderation/bulk-hidden", json={"ids": [bad, 987654321]})
        assert hidden.json() == {"updated": [bad], "notFound": [987654321]}
        assert [r["id"] for r in replies_of(admin, mint)["replies"]] == [keep]
        assert admin.get(f"/coins-v3/{mint}").json()["reply_count"] == 1
        nest_error(admin.post(f"/likes/{bad}"), 404)
