"""The shapes the service has been seen to answer with, and the requests we build."""

from __future__ import annotations

import pytest

import pumptui.api
from pumptui.api import routes
from pumptui.api.routes import Host, ShapeError


def test_a_path_segment_cannot_escape_its_place() -> None:
    route = routes.coin("../auth/logout?x=1#")[0]

    assert route.path == "/coins-v3/..%2Fauth%2Flogout%3Fx%3D1%23"


def test_bulk_lookups_go_to_coins_v2_mints_in_their_own_v3_group() -> None:
    route = routes.coins_by_mints(["a"])

    assert (route.host, route.path, route.group) == (
        Host.FRONTEND,
        "/coins-v2/mints",
        "coins-v2-mints",
    )
    assert route.retry_safe
    assert route.json == {"mints": ["a"], "includeNsfw": True, "include_nsfw": True}


def test_market_data_routes_live_on_their_hosts_and_groups() -> None:
    v2, v1 = routes.candles("m", interval="1m", limit=5000, currency="usd", created_ms=1)
    trades = routes.trades("m", limit=200, cursor="1-2", min_sol=0.5)

    assert {r.host for r in (v2, v1, trades, routes.market_activity("m"), routes.ath("m"))} == {
        Host.SWAP
    }
    assert {r.group for r in (v2, v1, trades)} == {"swap"}
    assert (v2.path, v1.path) == ("/v2/coins/m/candles", "/v1/coins/m/candles")
    assert v2.params == {"interval": "1m", "limit": 1000, "currency": "USD", "createdTs": 1}
    assert "createdTs" not in v1.params
    assert trades.params == {"limit": 100, "cursor": "1-2", "minSolAmount": "0.500000"}
    assert routes.sol_price().group == "sol-price"
    assert routes.holder_stats("m").group == "coins"
    assert routes.board("new").host is Host.INDEXER


def test_coins_are_clamped_to_70_and_take_the_2026_sorts() -> None:
    for sort in (
        "created_timestamp",
        "market_cap",
        "ath_market_cap",
        "reply_count",
        "last_reply",
        "last_trade_timestamp",
    ):
        route = routes.coins(offset=0, limit=500, sort=sort, order="desc", include_nsfw=True)
        assert route.params["limit"] == 70
    with pytest.raises(ValueError, match="unknown sort"):
        routes.coins(offset=0, limit=1, sort="currently_live", order="DESC", include_nsfw=False)


def test_only_the_intervals_the_server_accepts() -> None:
    with pytest.raises(ValueError, match="unknown interval"):
        routes.candles("m", interval="1d", limit=1)
    assert routes.interval_seconds("4h") == 14_400


@pytest.mark.parametrize(
    ("payload", "unrouted"),
    [
        ({"message": "Cannot GET /coins/abc", "error": "Not Found", "statusCode": 404}, True),
        ({"message": "Coin not found for mint: latest", "error": "Not Found"}, False),
        (None, False),
    ],
)
def test_the_two_kinds_of_404(payload: object, unrouted: bool) -> None:
    assert routes.is_unrouted(payload) is unrouted


def test_posts_that_must_not_repeat_say_so() -> None:
    assert not routes.create_callout("m", "hi").retry_safe
    assert not routes.reply_to_callout("c", "hi").retry_safe
    assert not routes.like_callout("c").retry_safe
    assert not routes.follow_uuid("u").retry_safe
    assert routes.users_batch(["w"]).retry_safe  # a read sent as POST
    assert routes.bulk_nsfw(["m"]).retry_safe  # setting a flag twice is the same as once


def test_bulk_requests_hold_1_to_100_items() -> None:
    with pytest.raises(ValueError, match="at most 100"):
        routes.coins_by_mints(["m"] * 101)
    with pytest.raises(ValueError, match="at least one"):
        routes.bulk_hide([])


def test_unknown_sorts_are_refused_before_sending() -> None:
    with pytest.raises(ValueError, match="unknown sort"):
        routes.coins(offset=0, limit=1, sort="volume; drop", order="DESC", include_nsfw=False)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"updated": ["m1", 7], "notFound": ["m2"]}, (["m1", "7"], ["m2"], True)),
        ({"success": True}, ([], [], False)),
        (True, ([], [], False)),
    ],
)
def test_moderation_answers_in_both_known_shapes(payload: object, expected: tuple) -> None:
    shape = routes.read_moderation(payload)

    assert (shape.updated, shape.not_found, shape.complete) == expected


def test_a_moderation_answer_of_another_shape_is_an_error() -> None:
    with pytest.raises(ShapeError):
        routes.read_moderation({"success": False})


@pytest.mark.parametrize(
    ("payload", "expected"), [(True, True), (False, False), ({"isAdmin": True}, True)]
)
def test_is_admin_as_a_bare_boolean_or_wrapped(payload: object, expected: bool) -> None:
    assert routes.read_is_admin(payload) is expected


def test_is_admin_of_another_shape_is_an_error() -> None:
    with pytest.raises(ShapeError):
        routes.read_is_admin("yes")


def test_lists_bare_or_wrapped() -> None:
    assert routes.read_list([1]) == [1]
    assert routes.read_list({"data": [2]}) == [2]
    assert routes.read_list({"coins": [3]}) == [3]
    with pytest.raises(ShapeError):
        routes.read_list({"message": "no"})


def test_the_auth_token_is_read_from_set_cookie() -> None:
    headers = ["other=1; Path=/", "auth_token=eyJ.abc.def; HttpOnly; Path=/; Max-Age=100"]

    assert routes.read_auth_cookie(headers) == "eyJ.abc.def"
    assert routes.read_auth_cookie(["auth_token=; Max-Age=0"]) is None


def test_database_errors_are_told_apart_from_coins() -> None:
    assert routes.is_database_error({"code": "22P02", "message": "invalid input syntax"})
    assert not routes.is_database_error({"mint": "m", "code": "22P02", "message": "x"})
    assert not routes.is_database_error({"statusCode": 404, "message": "Not Found"})


def test_sol_price_tolerates_strings_and_refuses_nonsense() -> None:
    price = routes.read_sol_price({"solPrice": "150.5"})
    assert price is not None
    assert price.usd == 150.5
    assert not price.stale
    assert routes.read_sol_price({"solPrice": -1}) is None
    assert routes.read_sol_price("NaN") is None


def test_everything_exported_is_importable() -> None:
    for name in pumptui.api.__all__:
        assert getattr(pumptui.api, name) is not None


# -- users, follows and callouts (reference §3.7) ----------------------------------------------

USER_UUID = "fb69e03e-424f-5c4a-9e55-38f19687ba43"


def test_the_2026_social_routes_are_spelled_as_the_reference_says() -> None:
    listing = routes.callout_list(USER_UUID, limit=10, page_token="2")
    create = routes.create_callout("M", "my thesis")
    reply = routes.reply_to_callout("C", "hi")

    assert (routes.user("W").method, routes.user("W").path) == ("GET", "/users/W")
    assert routes.users_batch(["a", "b"]).json == {"addresses": ["a", "b"]}
    assert routes.callout_top("M").path == "/callout/top/M"
    assert listing.path == f"/callout/list/{USER_UUID}"
    assert dict(listing.params) == {
        "sortBy": "TIMESTAMP",
        "sortOrder": "DESC",
        "limit": 10,
        "pageToken": "2",
    }
    assert dict(routes.callout_list("W", limit=5, newest_first=False).params)["sortOrder"] == (
        "ASC"
    )
    assert (create.method, create.path, create.json, create.auth) == (
        "POST",
        "/callout/create",
        {"coinMint": "M", "thesis": "my thesis", "version": 2},
        True,
    )
    assert (reply.method, reply.path, reply.json) == (
        "POST",
        "/callout/C/replies",
        {"content": "hi"},
    )
    assert routes.like_callout("C").path == "/callout/C/like"
    assert routes.callout_eligibility("M").auth
    assert (routes.follow_uuid(USER_UUID).method, routes.unfollow_uuid(USER_UUID).method) == (
        "POST",
        "DELETE",
    )
    assert routes.follow_uuid(USER_UUID).path == f"/following/v2/{USER_UUID}"
    assert routes.following(USER_UUID).path == f"/following/v3/following/{USER_UUID}"
    assert routes.follow_count(USER_UUID, "followers").path == (
        f"/following/v3/followers/count/{USER_UUID}"
    )
    assert routes.followers(USER_UUID).path == f"/following/followers/{USER_UUID}"


def test_social_arguments_are_checked_before_sending() -> None:
    with pytest.raises(ValueError, match="kind"):
        routes.follow_count(USER_UUID, "fans")
    with pytest.raises(ValueError, match="at most 50"):
        routes.users_batch(["w"] * 51)
    with pytest.raises(ValueError, match="at least one"):
        routes.users_batch([])
    assert routes.like_callout("../x?y").path == "/callout/..%2Fx%3Fy/like"


def test_each_social_read_draws_on_its_v3_group() -> None:
    """§2: `/users*`, `/callout/top`, `/following/v3/*/count` and `/callout/list` are groups
    of their own; posts have their own bucket so that a posting pause never holds reads."""
    assert routes.user("W").group == routes.users_batch(["W"]).group == "users"
    assert routes.callout_top("M").group == "callout-top"
    assert routes.follow_count(USER_UUID, "following").group == "follow-counts"
    assert routes.callout_list(USER_UUID, limit=1).group == "callout-list"
    posts = {routes.create_callout("M", "t").group, routes.reply_to_callout("C", "t").group}
    assert len(posts) == 1
    assert posts.isdisjoint(
        {
            routes.callout_top("M").group,
            routes.like_callout("C").group,
            routes.callout_eligibility("M").group,
        }
    )


def test_callout_answers_are_read_wrapped_or_bare() -> None:
    assert routes.read_callouts({"callouts": [1]}) == [1]
    assert routes.read_callouts([1]) == [1]
    assert routes.read_callout_page({"callouts": [1], "nextPageToken": "3"}) == ([1], "3")
    assert routes.read_callout_page({"callouts": [], "nextPageToken": 3}) == ([], "3")
    assert routes.read_callout_page({"callouts": [], "nextPageToken": None}) == ([], None)
    assert routes.read_created_callout({"callout": {"calloutId": "c-1"}}) == "c-1"
    assert routes.read_created_callout({"calloutId": 42}) == "42"
    assert routes.read_count({"count": 7}) == routes.read_count(7) == 7
    with pytest.raises(ShapeError):
        routes.read_created_callout({"success": True})
    with pytest.raises(ShapeError):
        routes.read_count({"count": -1})
