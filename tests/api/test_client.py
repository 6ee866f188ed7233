"""PumpClient against the simulator over loopback HTTP: what callers of the client rely on."""

from __future__ import annotations

import logging
import time

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pumptui import __version__
from pumptui.api import (
    AuthRequired,
    BadResponse,
    ConnectionFailed,
    Forbidden,
    InsecureTransport,
    NotFound,
    Priority,
    PumpClient,
    RateLimited,
    RequestBudget,
    RequestTimeout,
    ServerError,
)
from pumptui.api.models import LAMPORTS_PER_SOL
from pumptui.api.routes import login_message
from pumptui.base58 import b58encode
from pumptui.config import ApiSettings
from pumptui.secret import Secret
from pumptui.sim import FaultPlan, ServerConfig, SimServer
from tests.api.conftest import RecordingTransport, make_client, unknown_mints


# Tests that read the market through the 2025 simulator. The simulator is being rewritten for
# the 2026 API (issue 11); the integrator reconnects these to it.
def needs_sim_2026(what: str) -> pytest.MarkDecorator:
    return pytest.mark.skip(reason=f"needs the 2026 simulator: {what}")

# -- reading the market ------------------------------------------------------------------------


async def test_the_new_coins_feed_pages_newest_first(sim: SimServer, client: PumpClient) -> None:
    first = await client.coins(limit=5, include_nsfw=True)
    second = await client.coins(limit=5, offset=first.next_offset or 0, include_nsfw=True)

    listed = sim.mints()
    assert [c.mint for c in first.items + second.items] == listed[:10]
    assert first.has_more is True
    assert first.next_offset == 5


@needs_sim_2026('coins-v3 and swap v2 trades')
async def test_units_are_converted_once_at_the_boundary(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    sim.inject_trades(mint, 3)
    coin = await client.coin(mint)
    raw = sim.trades_of(mint)[-1]
    trades = await client.trades(mint, limit=200)

    assert coin is not None
    assert coin.real_sol == pytest.approx(coin.real_sol_reserves / LAMPORTS_PER_SOL)
    newest = trades.items[0]
    assert newest.signature == raw["signature"]
    assert newest.sol == pytest.approx(raw["sol_amount"] / 1e9)
    assert newest.tokens == pytest.approx(raw["token_amount"] / 1e6)
    assert newest.timestamp == pytest.approx(raw["timestamp"])  # seconds stay seconds
    assert coin.created_at is not None
    assert coin.created_at < 1e11


@needs_sim_2026('coins-v3')
async def test_hostile_text_arrives_clean_and_markup_stays_literal(
    sim: SimServer, client: PumpClient
) -> None:
    mint = sim.create_coin(
        name="\x1b]0;pwned\x07\x1b[31m[bold red]Moon[/]\u202e\u200bcoin\x9b2J",
        symbol="\x00[b]X",
        description="line\x1b[2Jone\n" + "z" * 100_000,
    )

    coin = await client.coin(mint)

    assert coin is not None
    assert coin.mint == mint  # identifiers stay verbatim
    assert coin.name == "[bold red]Moon[/]coin"
    assert coin.symbol == "[b]X"
    assert "\x1b" not in coin.description
    assert len(coin.description) <= 2000


@needs_sim_2026('swap v2 trades and candles')
async def test_trades_candles_replies_and_counts_parse(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    sim.inject_trades(mint, 5)
    reply_id = sim.post_reply(mint, "gm [link=https://evil]click[/link]")

    trades = await client.trades(mint)
    count = await client.trade_count(mint)
    candles = await client.candles(mint, timeframe_minutes=1)
    replies = await client.replies(mint)

    assert count == len(sim.trades_of(mint)) == len(trades.items)
    assert candles.items
    assert all(c.seconds == 60 for c in candles.items)
    assert reply_id in [r.id for r in replies.items]
    assert "gm [link=https://evil]click[/link]" in [r.text for r in replies.items]
    assert replies.has_more is False


@needs_sim_2026('the 2026 routes (latest coin/trade and king are gone; port to /coins and boards)')
async def test_single_objects_latest_and_king(sim: SimServer, client: PumpClient) -> None:
    latest_coin = await client.latest_coin()
    latest_trade = await client.latest_trade()
    price = await client.sol_price()
    feed = await client.coins(limit=1)

    assert latest_coin.mint == feed.items[0].mint
    assert latest_trade is not None
    assert latest_trade.symbol
    assert price is not None
    assert price > 0


@needs_sim_2026('POST /coins-v2/mints')
async def test_bulk_lookups_return_what_exists(sim: SimServer, client: PumpClient) -> None:
    known = sim.mints()[:3]
    missing = unknown_mints(2)

    coins = await client.coins_by_mints(known + missing)
    metas = await client.metadatas(known + missing)

    assert sorted(c.mint for c in coins.items) == sorted(known)
    assert sorted(m.mint for m in metas.items) == sorted(known)


@needs_sim_2026('the 2026 routes (metadatas are gone; keep the bare-replies half)')
async def test_older_bare_list_shapes_are_accepted(sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, legacy_shapes=True))
    mint = sim.mints()[0]
    sim.post_reply(mint, "first")
    async with make_client(sim) as client:
        replies = await client.replies(mint)
        metas = await client.metadatas([mint])

    assert "first" in [r.text for r in replies.items]
    assert [m.mint for m in metas.items] == [mint]


async def test_an_unknown_coin_is_not_found(client: PumpClient) -> None:
    with pytest.raises(NotFound):
        await client.coin(unknown_mints(1)[0])


# -- conditional GETs --------------------------------------------------------------------------


@needs_sim_2026('swap v2 trades with ETags')
async def test_an_unchanged_resource_comes_back_as_unchanged(
    sim: SimServer, client: PumpClient
) -> None:
    mint = sim.mints()[0]
    first = await client.trades(mint, conditional=True)
    again = await client.trades(mint, conditional=True)
    sim.inject_trades(mint, 2)
    changed = await client.trades(mint, conditional=True)

    assert first.items
    assert not first.unchanged
    assert again.unchanged
    assert again.items == []
    assert not changed.unchanged
    assert len(changed.items) == len(first.items) + 2
    assert client.stats.not_modified == 1


@needs_sim_2026('coins-v3 with ETags')
async def test_a_coin_that_did_not_change_is_none(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    assert await client.coin(mint, conditional=True) is not None
    assert await client.coin(mint, conditional=True) is None
    assert await client.coin(mint) is not None  # unconditional: always the full coin


async def test_an_etag_is_only_sent_when_asked(sim: SimServer) -> None:
    spy = RecordingTransport()
    async with make_client(sim, transport=spy) as client:
        await client.sol_price()
        await client.sol_price()
        await client.sol_price(conditional=True)

    sent = [r.headers.get("if-none-match") for r in spy.requests]
    assert sent[0] is None
    assert sent[1] is None
    assert sent[2]


# -- failures ----------------------------------------------------------------------------------


async def test_server_errors_are_retried_until_they_pass(sim: SimServer) -> None:
    sim.set_faults("error=0.4")
    async with make_client(sim, max_retries=10) as client:
        pages = [await client.coins(limit=5) for _ in range(15)]

    assert all(len(p.items) == 5 for p in pages)
    assert client.stats.retries > 0


async def test_a_server_that_keeps_failing_gives_a_typed_error(sim: SimServer) -> None:
    sim.set_faults("error=1.0")
    async with make_client(sim, max_retries=2) as client:
        with pytest.raises(ServerError) as caught:
            await client.coins()

    assert caught.value.status in (500, 502, 503)
    assert client.stats.requests == 3


async def test_an_html_error_page_is_a_server_error_not_a_traceback(sim: SimServer) -> None:
    sim.set_faults("html=1.0")
    async with make_client(sim, max_retries=0) as client:
        with pytest.raises(ServerError, match="HTML error page"):
            await client.coins()


async def test_a_malformed_body_is_a_bad_response_with_an_excerpt(sim: SimServer) -> None:
    sim.set_faults("malformed=1.0")
    async with make_client(sim, max_retries=0) as client:
        with pytest.raises(BadResponse) as caught:
            await client.coins()

    assert "malformed" in str(caught.value)
    assert caught.value.excerpt


async def test_a_truncated_body_is_a_retryable_failure(sim: SimServer) -> None:
    sim.set_faults("truncate=1.0")
    async with make_client(sim, max_retries=0) as client:
        with pytest.raises((ConnectionFailed, BadResponse)) as caught:
            await client.coins(limit=20)

    assert caught.value.retryable


async def test_a_hanging_server_times_out(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(timeout_rate=1.0, hang_seconds=1.0))
    async with make_client(sim, max_retries=0, timeout=0.2) as client:
        with pytest.raises(RequestTimeout):
            await client.coins()


async def test_a_dropped_connection_is_retried_for_reads(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(drop_rate=1.0, duration=0.3))
    async with make_client(sim, max_retries=30) as client:
        client.retry.base = client.retry.cap = 0.05
        page = await client.coins(limit=3)

    assert len(page.items) == 3
    assert client.stats.retries >= 1


async def test_a_reply_is_never_sent_twice_after_a_lost_answer(sim: SimServer) -> None:
    mint = sim.mints()[0]
    sim.set_faults(FaultPlan(drop_rate=1.0, paths="^/replies$"))
    spy = RecordingTransport()
    token = Secret(sim.token_for())
    async with make_client(sim, token=token, transport=spy, max_retries=5) as client:
        with pytest.raises(ConnectionFailed):
            await client.post_reply(mint, "only once", captcha_token=sim.captcha_token())

    assert [r.url.path for r in spy.requests] == ["/replies"]


@needs_sim_2026("v3 JSON 429s (the 2025 sim's 429 is an HTML page, now a block)")
async def test_retry_after_is_honoured(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(rate_limit_rate=1.0, retry_after=1.0, duration=0.2))
    async with make_client(sim, max_retries=5) as client:
        started = time.monotonic()
        page = await client.coins(limit=2)
        waited = time.monotonic() - started

    assert len(page.items) == 2
    assert waited >= 1.0  # not sooner than the server asked


@needs_sim_2026("v3 JSON 429s (the 2025 sim's 429 is an HTML page, now a block)")
async def test_a_retry_after_too_long_to_wait_is_reported(sim: SimServer) -> None:
    sim.set_faults(FaultPlan(rate_limit_rate=1.0, retry_after=120))
    async with make_client(sim, max_retries=5) as client:
        with pytest.raises(RateLimited) as caught:
            await client.coins()

    assert caught.value.retry_after == 120
    assert client.stats.requests == 1
    assert client.stats.rate_limited_until is not None


async def test_a_refused_connection_is_a_typed_error() -> None:
    settings = ApiSettings(
        frontend_url="http://127.0.0.1:9", swap_url="http://127.0.0.1:9",
        indexer_url="http://127.0.0.1:9",
    )
    async with PumpClient(settings, budget=RequestBudget(6000, 10), timeout=1.0) as client:
        client.retry.max_retries = 0
        with pytest.raises(ConnectionFailed, match="could not connect"):
            await client.coins()


async def test_a_database_error_sent_with_status_200_is_a_bad_response(sim: SimServer) -> None:
    async with make_client(sim, token=Secret(sim.token_for()), max_retries=0) as client:
        with pytest.raises(BadResponse, match="database error 22P02"):
            await client.bookmarked_coins("not-a-uuid")


async def test_one_bad_record_is_skipped_and_counted_not_fatal() -> None:
    good = {"mint": "7HdvULgesisMnC4XyauJRiwgPaCR2C1x6KyfkD9gpump", "name": "Fine"}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"coins": [good, {"name": "no mint"}, "junk", good]})

    async with PumpClient(
        transport=httpx.MockTransport(answer), budget=RequestBudget(6000, 10)
    ) as client:
        page = await client.coins(limit=4)

    assert [c.name for c in page.items] == ["Fine", "Fine"]
    assert page.skipped == 2


# -- auth --------------------------------------------------------------------------------------


async def test_the_token_goes_as_cookie_and_bearer(sim: SimServer) -> None:
    spy = RecordingTransport()
    raw = sim.token_for(admin=True)
    async with make_client(sim, token=Secret(raw), transport=spy) as client:
        assert await client.is_admin() is True

    sent = spy.requests[0]
    assert sent.headers["authorization"] == f"Bearer {raw}"
    assert f"auth_token={raw}" in sent.headers["cookie"]
    assert sent.headers["user-agent"] == f"pumptui/{__version__}"


async def test_a_plain_user_is_not_an_admin_and_cannot_moderate(sim: SimServer) -> None:
    async with make_client(sim, token=Secret(sim.token_for())) as client:
        assert await client.is_admin() is False
        with pytest.raises(Forbidden):
            await client.bulk_nsfw(sim.mints()[:1])


async def test_routes_that_need_a_login_fail_before_sending(sim: SimServer) -> None:
    async with make_client(sim) as client:
        with pytest.raises(AuthRequired):
            await client.bookmarks()

    assert client.stats.requests == 0


async def test_a_token_never_travels_over_plain_http_to_another_host() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:  # a host we must not reach for real
        seen.append(request)
        return httpx.Response(200, json=[])

    settings = ApiSettings(
        frontend_url="http://pump.example", swap_url="http://pump.example",
        indexer_url="http://pump.example",
    )
    async with PumpClient(
        settings,
        token=Secret("eyJhbGciOiJIUzI1NiJ9.secret.sig"),
        transport=httpx.MockTransport(answer),
        budget=RequestBudget(6000, 10),
    ) as client:
        await client.coins()  # public: sent, without the token
        with pytest.raises(InsecureTransport):
            await client.is_admin()

    assert len(seen) == 1
    assert "authorization" not in seen[0].headers
    assert "cookie" not in seen[0].headers


async def test_logging_in_with_a_wallet_signature_gives_a_working_token(sim: SimServer) -> None:
    key = Ed25519PrivateKey.from_private_bytes(sim.user_keypair[:32])
    timestamp = int(time.time() * 1000)
    signature = b58encode(key.sign(login_message(timestamp).encode()))

    async with make_client(sim) as client:
        token = await client.login(sim.user_address, signature, timestamp)
        profile = await client.my_profile()
        await client.logout()

    assert isinstance(token, Secret)
    assert profile.address == sim.user_address
    assert not client.has_token


async def test_the_token_never_appears_in_reprs_errors_or_logs(
    sim: SimServer, caplog: pytest.LogCaptureFixture
) -> None:
    raw = sim.token_for()
    caplog.set_level(logging.DEBUG)
    errors: list[Exception] = []
    async with make_client(sim, token=Secret(raw), max_retries=1) as client:
        await client.coins(limit=2)
        try:
            await client.bulk_ban([1, 2], "spam")
        except Forbidden as exc:
            errors.append(exc)
        sim.set_faults("error=1.0")
        try:
            await client.my_profile()
        except ServerError as exc:
            errors.append(exc)
        shown = [repr(client), str(client.stats)]

    assert len(errors) == 2
    for text in [*shown, *(str(e) for e in errors), *(repr(e) for e in errors), caplog.text]:
        assert raw not in text
    assert caplog.text  # something was logged, and it was clean


# -- social --------------------------------------------------------------------------------------


async def test_bookmarks_round_trip(sim: SimServer) -> None:
    mint = sim.mints()[0]
    async with make_client(sim, token=Secret(sim.token_for())) as client:
        created = await client.create_bookmark("watch")
        lists = await client.bookmarks()
        target = created.id if created else lists[0].id
        await client.add_bookmark_item(mint, [target])
        marked = await client.bookmarked_coins(target, include_nsfw=True)
        await client.remove_bookmark_item(mint, [target])
        after = await client.bookmarked_coins(target, include_nsfw=True)
        await client.delete_bookmark(target)
        remaining = await client.bookmarks()

    assert "watch" in [b.name for b in lists]
    assert [c.mint for c in marked.items] == [mint]
    assert after.items == []
    assert target not in [b.id for b in remaining]


@needs_sim_2026('coins-v3 (only the creator look-up; the social calls are unchanged)')
async def test_replies_likes_and_follows(sim: SimServer) -> None:
    mint = sim.mints()[0]
    creator = (await _coin(sim, mint)).creator
    async with make_client(sim, token=Secret(sim.token_for())) as client:
        posted = await client.post_reply(mint, "wagmi", captcha_token=sim.captcha_token())
        page = await client.replies(mint)
        await client.like(mint)
        await client.unlike(mint)
        assert creator is not None
        await client.follow(creator, captcha_token=sim.captcha_token())
        followers = await client.followers(creator)
        await client.unfollow(creator)

    assert "wagmi" in [r.text for r in page.items]
    assert posted is None or posted.text == "wagmi"
    assert sim.user_address in [u.address for u in followers]


async def _coin(sim: SimServer, mint: str):  # type: ignore[no-untyped-def]
    async with make_client(sim) as client:
        return await client.coin(mint)


# -- the shared budget ---------------------------------------------------------------------------


async def test_two_clients_share_one_budget(sim: SimServer) -> None:
    budget = RequestBudget(requests_per_minute=60_000, burst=50)
    async with make_client(sim, budget=budget) as first, make_client(sim, budget=budget) as second:
        await first.coins(limit=1)
        await second.coins(limit=1, priority=Priority.BACKGROUND)
        await second.sol_price()

    assert budget.stats.granted == 3
    assert first.stats.requests + second.stats.requests == 3


def test_the_api_package_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pumptui.api, pumptui.api.bulk, pumptui.api.client;"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
