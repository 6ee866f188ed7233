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

    assert (route.host, route.path, route.group) == (Host.FRONTEND, "/coins-v2/mints",
                                                     "coins-v2-mints")
    assert route.retry_safe
    assert route.json == {"mints": ["a"], "includeNsfw": True, "include_nsfw": True}


def test_market_data_routes_live_on_their_hosts_and_groups() -> None:
    v2, v1 = routes.candles("m", interval="1m", limit=5000, currency="usd", created_ms=1)
    trades = routes.trades("m", limit=200, cursor="1-2", min_sol=0.5)

    assert {r.host for r in (v2, v1, trades, routes.market_activity("m"), routes.ath("m"))} == {
        Host.SWAP}
    assert {r.group for r in (v2, v1, trades)} == {"swap"}
    assert (v2.path, v1.path) == ("/v2/coins/m/candles", "/v1/coins/m/candles")
    assert v2.params == {"interval": "1m", "limit": 1000, "currency": "USD", "createdTs": 1}
    assert "createdTs" not in v1.params
    assert trades.params == {"limit": 100, "cursor": "1-2", "minSolAmount": "0.500000"}
    assert routes.sol_price().group == "sol-price"
    assert routes.holder_stats("m").group == "coins"
    assert routes.board("new").host is Host.INDEXER


def test_coins_are_clamped_to_70_and_take_the_2026_sorts() -> None:
    for sort in ("created_timestamp", "market_cap", "ath_market_cap", "reply_count",
                 "last_reply", "last_trade_timestamp"):
        route = routes.coins(offset=0, limit=500, sort=sort, order="desc", include_nsfw=True)
        assert route.params["limit"] == 70
    with pytest.raises(ValueError, match="unknown sort"):
        routes.coins(offset=0, limit=1, sort="currently_live", order="DESC", include_nsfw=False)


def test_only_the_intervals_the_server_accepts() -> None:
    with pytest.raises(ValueError, match="unknown interval"):
        routes.candles("m", interval="1d", limit=1)
    assert routes.interval_seconds("4h") == 14_400


@pytest.mark.parametrize(("payload", "unrouted"), [
    ({"message": "Cannot GET /coins/abc", "error": "Not Found", "statusCode": 404}, True),
    ({"message": "Coin not found for mint: latest", "error": "Not Found"}, False),
    (None, False),
])
def test_the_two_kinds_of_404(payload: object, unrouted: bool) -> None:
    assert routes.is_unrouted(payload) is unrouted


def test_posts_that_must_not_repeat_say_so() -> None:
    assert not routes.post_reply("m", "hi", captcha_token=None).retry_safe
    assert not routes.like("m").retry_safe
    assert not routes.follow("w", captcha_token="c").retry_safe
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


@pytest.mark.parametrize(("payload", "expected"), [(True, True), (False, False),
                                                   ({"isAdmin": True}, True)])
def test_is_admin_as_a_bare_boolean_or_wrapped(payload: object, expected: bool) -> None:
    assert routes.read_is_admin(payload) is expected


def test_is_admin_of_another_shape_is_an_error() -> None:
    with pytest.raises(ShapeError):
        routes.read_is_admin("yes")


def test_replies_wrapped_or_bare() -> None:
    wrapped = routes.read_replies({"replies": [{"id": 1}], "hasMore": True, "offset": 50})
    bare = routes.read_replies([{"id": 1}])

    assert (len(wrapped.records), wrapped.has_more, wrapped.next_offset) == (1, True, 50)
    assert (len(bare.records), bare.has_more, bare.next_offset) == (1, None, None)


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
