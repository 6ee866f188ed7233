"""Users by UUID and follows on today's routes (pumpfun-api-2026.md §3.7): a wallet becomes a
UUID through `GET /users/{wallet}`, follows take the UUID, counts and lists say who follows whom."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from pumptui.sim import ServerConfig, SimServer
from tests.sim.support import FOLLOWER_FIELDS, bearer, check_fields, http, nest_error

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NOBODY = "So11111111111111111111111111111111111111112"  # a valid wallet no user has
PROFILE_2026: dict[str, tuple[type | None, ...]] = {
    "userId": (str,),
    "username": (str, None),
    "followers": (int,),
    "following": (int,),
}


@pytest.fixture
def user(sim: SimServer) -> Iterator[httpx.Client]:
    with http(sim, headers=bearer(sim.token_for())) as client:
        yield client


def a_creator(sim: SimServer, client: httpx.Client) -> str:
    return client.get(f"/coins-v3/{sim.mints()[0]}").json()["creator"]


def uuid_of(client: httpx.Client, wallet: str) -> str:
    return client.get(f"/users/{wallet}").json()["userId"]


def test_a_wallet_has_one_uuid_and_a_profile(sim: SimServer, user: httpx.Client) -> None:
    creator = a_creator(sim, user)
    profile = user.get(f"/users/{creator}").json()
    check_fields(profile, PROFILE_2026, "user")
    assert UUID.match(profile["userId"])
    assert user.get(f"/users/{creator}").json()["userId"] == profile["userId"]
    other = user.get(f"/users/{sim.admin_address}")
    nest_error(other, 404)  # the admin never used the site: no profile yet
    with http(sim) as anonymous:  # anonymous reads work
        assert anonymous.get(f"/users/{creator}").json() == profile


def test_unknown_and_malformed_wallets(user: httpx.Client) -> None:
    body = nest_error(user.get(f"/users/{NOBODY}"), 404)
    assert not body["message"].startswith("Cannot ")  # a handler's 404, not an unrouted path
    nest_error(user.get("/users/not-a-wallet"), 400)


def test_a_batch_answers_201_with_the_known_users_in_order(
    sim: SimServer, user: httpx.Client
) -> None:
    creators = list(
        dict.fromkeys(user.get(f"/coins-v3/{m}").json()["creator"] for m in sim.mints()[:4])
    )
    response = user.post("/users/batch", json={"addresses": [*creators, NOBODY]})
    assert response.status_code == 201
    rows = response.json()
    assert [r["address"] for r in rows] == creators
    for row in rows:
        check_fields(row, PROFILE_2026, "user")
    nest_error(user.post("/users/batch", json={"addresses": [NOBODY] * 51}), 400)
    nest_error(user.post("/users/batch", json={"addresses": []}), 400)


def test_follow_by_uuid_then_counts_and_lists_show_it(sim: SimServer, user: httpx.Client) -> None:
    creator = a_creator(sim, user)
    target = uuid_of(user, creator)
    followers_before = user.get(f"/following/v3/followers/count/{target}").json()["count"]

    followed = user.post(f"/following/v2/{target}")

    assert followed.status_code == 201
    me = uuid_of(user, sim.user_address)
    assert user.get(f"/following/v3/followers/count/{target}").json() == {
        "count": followers_before + 1
    }
    assert user.get(f"/following/v3/following/count/{me}").json() == {"count": 1}
    # By wallet too: the count routes take an `{id}`.
    assert user.get(f"/following/v3/following/count/{sim.user_address}").json() == {"count": 1}
    following = user.get(f"/following/v3/following/{me}").json()
    assert [(r["address"], r["userId"]) for r in following] == [(creator, target)]
    followers = user.get(f"/following/followers/{target}").json()
    mine = [r for r in followers if r["address"] == sim.user_address]
    assert len(mine) == 1
    check_fields(mine[0], FOLLOWER_FIELDS, "follower")
    assert mine[0]["userId"] == me
    assert user.get(f"/users/{creator}").json()["followers"] == followers_before + 1


def test_unfollow_is_a_delete_of_the_same_route(sim: SimServer, user: httpx.Client) -> None:
    target = uuid_of(user, a_creator(sim, user))
    user.post(f"/following/v2/{target}")
    assert user.delete(f"/following/v2/{target}").status_code == 200
    me = uuid_of(user, sim.user_address)
    assert user.get(f"/following/v3/following/count/{me}").json() == {"count": 0}


def test_follows_take_a_uuid_of_a_known_user_and_a_session(
    sim: SimServer, user: httpx.Client
) -> None:
    creator = a_creator(sim, user)
    nest_error(user.post(f"/following/v2/{creator}"), 400)  # a wallet is not a UUID
    missing = nest_error(user.post("/following/v2/00000000-0000-4000-8000-000000000000"), 404)
    assert not missing["message"].startswith("Cannot ")
    with http(sim) as anonymous:
        nest_error(anonymous.post(f"/following/v2/{uuid_of(anonymous, creator)}"), 401)
    user.get("/auth/my-profile")
    nest_error(user.post(f"/following/v2/{uuid_of(user, sim.user_address)}"), 400)  # oneself


def test_the_followers_list_stops_at_1000(sim: SimServer, user: httpx.Client) -> None:
    creator = a_creator(sim, user)

    def crowd() -> None:
        market = sim.market
        for n in range(1005):
            market.follows.setdefault(f"fan{n}", {})[creator] = market.now + n

    sim.call(crowd)
    rows = user.get(f"/following/followers/{creator}").json()
    assert len(rows) == 1000
    assert rows[0]["timestamp"] >= rows[-1]["timestamp"]  # newest first


def test_the_following_list_takes_a_limit(sim: SimServer, user: httpx.Client) -> None:
    creators = list(
        dict.fromkeys(user.get(f"/coins-v3/{m}").json()["creator"] for m in sim.mints()[:3])
    )
    for wallet in creators:
        user.post(f"/following/v2/{uuid_of(user, wallet)}")
    me = uuid_of(user, sim.user_address)
    assert len(user.get(f"/following/v3/following/{me}", params={"limit": 1}).json()) == 1
    assert len(user.get(f"/following/v3/following/{me}").json()) == len(creators)


def test_v3_groups_of_users_follow_counts_and_callouts(
    sim_factory: Callable[..., SimServer],
) -> None:
    """§2: `/users*` 30 a minute, `/following/v3/*/count` 50, `/callout/top` 50."""
    real = sim_factory(server=ServerConfig())
    mint = real.mints()[0]
    with http(real) as client:
        creator = client.get(f"/coins-v3/{mint}").json()["creator"]
        users = client.get(f"/users/{creator}")
        target = users.json()["userId"]
        counts = client.get(f"/following/v3/followers/count/{target}")
        top = client.get(f"/callout/top/{mint}")
    assert users.headers["x-ratelimit-limit"] == "30"
    assert counts.headers["x-ratelimit-limit"] == "50"
    assert top.headers["x-ratelimit-limit"] == "50"
