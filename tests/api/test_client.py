"""PumpClient against the simulator over loopback HTTP: what callers of the client rely on."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from decimal import Decimal

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pumptui import __version__
from pumptui.api import (
    AuthRequired,
    BadResponse,
    Blocked,
    ConnectionFailed,
    Forbidden,
    Host,
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
from tests.api.conftest import RecordingTransport, graduate, make_client, unknown_mints

SOL = Decimal(10) ** 9  # lamports per SOL
TOKEN = Decimal(10) ** 6  # raw units per whole token


def iso_seconds(text: str) -> float:
    """swap-api's `2026-10-01T12:00:00.000Z` as Unix seconds (reference §3.2)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def spend_v3_group(sim: SimServer, path: str, times: int) -> None:
    """Another program on this machine (same client IP) uses up a v3 route group's window."""
    with httpx.Client(base_url=sim.base_url) as other:
        for _ in range(times):
            assert other.get(path).status_code == 200


# -- reading the market ------------------------------------------------------------------------


async def test_the_new_coins_feed_pages_newest_first(sim: SimServer, client: PumpClient) -> None:
    first = await client.coins(limit=5, include_nsfw=True)
    second = await client.coins(limit=5, offset=first.next_offset or 0, include_nsfw=True)

    listed = sim.mints()
    assert [c.mint for c in first.items + second.items] == listed[:10]
    assert first.has_more is True
    assert first.next_offset == 5


async def test_units_are_converted_once_at_the_boundary(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    sim.inject_trades(mint, 3)
    coin = await client.coin(mint)
    raw = sim.trades_of(mint)[-1]  # the newest trade, as swap-api writes it
    trades = await client.trades(mint, limit=100)

    assert coin is not None
    assert coin.real_sol == pytest.approx(coin.real_sol_reserves / LAMPORTS_PER_SOL)
    # On the curve the spot price is vSOL/vTokens per whole token, and the market cap in SOL is
    # that price times the 10^9 tokens of supply (not USD, not lamports).
    spot = (coin.virtual_sol_reserves / 1e9) / (coin.virtual_token_reserves / 1e6)
    assert coin.market_cap_sol == pytest.approx(spot * 1e9, rel=1e-9)
    newest = trades.items[0]
    assert newest.signature == raw["tx"]
    # amountSol is SOL to 9 dp, baseAmount whole tokens to 6 dp: exact integers on our side.
    assert newest.lamports == int(Decimal(raw["amountSol"]) * SOL)
    assert newest.raw_tokens == int(Decimal(raw["baseAmount"]) * TOKEN)
    assert newest.sol == pytest.approx(float(raw["amountSol"]))
    assert newest.timestamp == iso_seconds(raw["timestamp"])  # ISO becomes Unix seconds
    assert (newest.slot, newest.tx_index) == (
        int(raw["slotIndexId"][:12]),
        int(raw["slotIndexId"][12:]),
    )
    # priceSol is the pool price after the trade: after the newest trade, the coin's spot price.
    assert newest.pool_price_sol == pytest.approx(spot, rel=1e-12)
    assert coin.created_at is not None
    assert coin.created_at < 1e11  # milliseconds became seconds
    assert coin.updated_at is not None
    assert abs(coin.updated_at - coin.created_at) < 86_400  # seconds stay seconds


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


async def test_trades_candles_and_activity_parse(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    sim.inject_trades(mint, 5)

    trades = await client.trades(mint)
    candles = await client.candles(mint, interval="1m", currency="SOL")
    activity = await client.market_activity(mint)

    rows = sim.trades_of(mint)  # oldest first
    assert 5 <= len(rows) <= 100
    assert [t.signature for t in trades.items] == [r["tx"] for r in reversed(rows)]
    assert trades.has_more is False
    # nextCursor: the oldest trade's slotIndexId and its time in ms; past it, the end of history.
    oldest = rows[0]
    assert trades.next_cursor == (
        f"{oldest['slotIndexId']}-{int(iso_seconds(str(oldest['timestamp']))) * 1000}"
    )
    end = await client.trades(mint, cursor=trades.next_cursor)
    assert (end.items, end.has_more, end.next_cursor) == ([], False, None)
    # One candle per minute that had a trade, oldest first; SOL volume is the SOL traded in it,
    # and the close is the pool price after the minute's last trade.
    minutes: dict[int, list[dict[str, object]]] = {}
    for row in rows:
        minutes.setdefault(int(iso_seconds(str(row["timestamp"]))) // 60 * 60, []).append(row)
    assert [int(c.start) for c in candles] == sorted(minutes)
    assert all(c.seconds == 60 and c.currency == "SOL" for c in candles)
    for candle in candles:
        inside = minutes[int(candle.start)]
        assert candle.volume_sol == pytest.approx(
            float(sum(Decimal(str(r["amountSol"])) for r in inside))
        )
        assert candle.close == pytest.approx(float(str(inside[-1]["priceSol"])))
        assert (
            candle.low
            <= min(candle.open, candle.close)
            <= max(candle.open, candle.close)
            <= candle.high
        )
    # Every remembered trade is within the last 24 h of market time.
    day = activity.windows["24h"]
    assert day.num_txs == len(rows)
    assert day.num_buys == sum(1 for r in rows if r["type"] == "buy")
    assert day.num_buys + day.num_sells == day.num_txs


async def test_the_newest_coin_the_leader_and_the_sol_price(
    sim: SimServer, client: PumpClient
) -> None:
    """What replaced `/coins/latest`, `/trades/latest` and King of the Hill (reference §4)."""
    hot = sim.hot_mint
    sim.inject_trades(hot, 2)
    graduated = sim.mints()[1]
    graduate(sim, graduated)  # now the largest market cap of all, but off the curve
    newest = await client.coins(limit=1)
    leader = await client.coins(limit=1, sort="market_cap", complete=False)
    price = await client.sol_price()
    last_trade = await client.trades(hot, limit=1)

    def expected() -> tuple[str, str, float]:
        market = sim.market
        shown = [c for c in market.coins.values() if c.listed and not c.nsfw]
        on_curve = [c for c in shown if not c.curve.complete]
        # The highest market cap on the curve is the highest spot price vSOL / vTokens.
        biggest = max(on_curve, key=lambda c: c.curve.virtual_sol / c.curve.virtual_tokens)
        return shown[-1].mint, biggest.mint, market.sol_price

    newest_mint, leader_mint, sol_usd = sim.call(expected)
    assert [c.mint for c in newest.items] == [newest_mint]
    assert [c.mint for c in leader.items] == [leader_mint]
    assert leader_mint != graduated
    assert leader.items[0].complete is False
    assert price is not None
    assert price.usd == pytest.approx(sol_usd)
    assert price.stale is False
    assert [t.signature for t in last_trade.items] == [sim.trades_of(hot)[-1]["tx"]]
    assert last_trade.has_more is True


async def test_bulk_lookups_return_what_exists(sim: SimServer, client: PumpClient) -> None:
    known = sim.mints()[:3]
    missing = unknown_mints(2)

    coins = await client.coins_by_mints(known + missing)

    assert sorted(c.mint for c in coins.items) == sorted(known)
    # A found coin carries its metadata: what the retired /coins/metadatas gave.
    names = sim.call(
        lambda: {
            m: (sim.market.coins[m].name, sim.market.coins[m].symbol, sim.market.coins[m].image_uri)
            for m in known
        }
    )
    assert {c.mint: (c.name, c.symbol, c.image_uri) for c in coins.items} == names


async def test_an_unknown_coin_is_not_found(client: PumpClient) -> None:
    with pytest.raises(NotFound):
        await client.coin(unknown_mints(1)[0])


# -- conditional GETs --------------------------------------------------------------------------


async def test_an_unchanged_resource_comes_back_as_unchanged(
    sim: SimServer, client: PumpClient
) -> None:
    mint = sim.mints()[0]
    first = await client.trades(mint, conditional=True)
    again = await client.trades(mint, conditional=True)
    injected = sim.inject_trades(mint, 2)
    changed = await client.trades(mint, conditional=True)

    assert first.items
    assert not first.unchanged
    assert again.unchanged
    assert again.items == []
    assert not changed.unchanged
    assert [t.signature for t in changed.items[:2]] == injected[::-1]  # newest first
    assert changed.items[2:] == first.items[: len(changed.items) - 2]
    assert client.stats.not_modified == 1


async def test_a_coin_that_did_not_change_is_none(sim: SimServer, client: PumpClient) -> None:
    mint = sim.mints()[0]
    before = await client.coin(mint, conditional=True)
    assert before is not None
    assert await client.coin(mint, conditional=True) is None
    assert await client.coin(mint) is not None  # unconditional: always the full coin
    sim.inject_trades(mint, 1)
    after = await client.coin(mint, conditional=True)

    assert after is not None  # a trade changed it: the new coin, not "unchanged"
    assert after.virtual_sol_reserves != before.virtual_sol_reserves
    assert client.stats.not_modified == 1


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


async def test_etags_are_kept_apart_per_account_and_for_logged_out_requests(sim: SimServer) -> None:
    """An answer may differ per user (liked_by_user, ...): a 304 must never stand in for what
    another account, or nobody, was sent."""
    alice, bob = Secret(sim.token_for()), Secret(sim.token_for(admin=True))
    spy = RecordingTransport()
    async with make_client(sim, transport=spy) as client:
        for token in (None, alice, bob, alice, None):
            client.set_token(token)
            await client.sol_price(conditional=True)

    sent = [r.headers.get("if-none-match") for r in spy.requests]
    assert sent[:3] == [None, None, None]  # logged out, then each account: a plain GET first
    assert sent[3]  # alice's own ETag, from her first request
    assert sent[4]  # and the logged-out one is still there


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
    sim.set_faults(FaultPlan(drop_rate=1.0, times=2))
    async with make_client(sim, max_retries=5) as client:
        page = await client.coins(limit=3)

    assert len(page.items) == 3
    assert client.stats.retries == 2


async def test_a_callout_is_never_sent_twice_after_a_lost_answer(sim: SimServer) -> None:
    mint = sim.mints()[0]
    sim.buy(mint, sim.user_address)
    sim.set_faults(FaultPlan(drop_rate=1.0, paths="^/callout/create$"))
    spy = RecordingTransport()
    token = Secret(sim.token_for())
    async with make_client(sim, token=token, transport=spy, max_retries=5) as client:
        with pytest.raises(ConnectionFailed):
            await client.create_callout(mint, "only once")

    assert [r.url.path for r in spy.requests] == ["/callout/create"]


async def test_retry_after_is_honoured(sim: SimServer) -> None:
    # v3's JSON 429 (ThrottlerException) with Retry-After: 1, once: the fault is counted, not
    # timed, so a slow machine meets it as surely as a fast one.
    sim.set_faults(
        FaultPlan(
            rate_limit_rate=1.0, retry_after=1, times=1, rate_limit_html_share=0.0, paths="^/coins$"
        )
    )
    async with make_client(sim, max_retries=5) as client:
        started = time.monotonic()
        page = await client.coins(limit=2)
        waited = time.monotonic() - started

    assert len(page.items) == 2
    assert waited >= 1.0  # not sooner than the server asked
    assert client.stats.requests == 2  # the refused one and the one after the wait
    assert client.blocked_until(Host.FRONTEND) is None  # a v3 429 pauses; it is not a block


async def test_a_retry_after_too_long_to_wait_is_reported(sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = sim_factory(
        server=ServerConfig(v3_limits={"coins": 1}, rate_limit_window=120.0, swap_limit=100_000)
    )
    spend_v3_group(sim, "/coins?limit=1", 1)
    async with make_client(sim, max_retries=5) as client:
        with pytest.raises(RateLimited) as caught:
            await client.coins()

    assert not isinstance(caught.value, Blocked)  # v3's JSON 429 is a pause, not a block
    assert caught.value.retry_after == 120
    assert client.stats.requests == 1
    assert client.stats.rate_limited_until is not None


async def test_swaps_1015_block_holds_every_swap_route_and_nothing_is_sent_during_it(
    sim_factory,  # type: ignore[no-untyped-def]
) -> None:
    # swap's Cloudflare rule, shrunk: 3 requests a minute over every swap path, then a short
    # block answered 429 `error code: 1015` (text, no x-ratelimit-*).
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, swap_limit=3, swap_block=(0.3, 0.3)))
    mint = sim.mints()[0]
    sent_at: list[float] = []

    class Timed(RecordingTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent_at.append(time.time())
            return await super().handle_async_request(request)

    spy = Timed()
    async with make_client(sim, transport=spy) as client:
        for _ in range(3):
            await client.trades(mint, limit=5)
        with pytest.raises(Blocked):
            await client.candles(mint)  # another swap route, the same rule
        until = client.blocked_until(Host.SWAP)
        sent = len(spy.requests)
        with pytest.raises(Blocked):
            await client.market_activity(mint, fail_fast=True)
        assert len(spy.requests) == sent  # refused here, not sent into the block
        coins = await client.coins(limit=1)  # v3 is another host: not blocked
        page = await client.trades(mint, limit=5)  # waits the block out, then goes

    assert sent == 4
    assert coins.items
    assert client.blocked_until(Host.FRONTEND) is None
    assert until is not None
    assert page.items
    assert spy.requests[-1].url.path.endswith("/trades")
    assert sent_at[-1] >= until  # not sent before the block (Retry-After: 1 s) was over


async def test_a_refused_connection_is_a_typed_error() -> None:
    settings = ApiSettings(
        frontend_url="http://127.0.0.1:9",
        swap_url="http://127.0.0.1:9",
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
        frontend_url="http://pump.example",
        swap_url="http://pump.example",
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


@pytest.mark.parametrize(
    "host", ["10.0.0.5", "172.16.0.1", "172.31.255.254", "192.168.1.10", "pump.lan"]
)
async def test_a_token_never_travels_over_plain_http_to_a_lan_host(host: str) -> None:
    """Private (RFC 1918) addresses are other machines: plain http there is readable on the
    network, so they are not loopback."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:  # a host we must not reach for real
        seen.append(request)
        return httpx.Response(200, json=[])

    url = f"http://{host}:8080"
    async with PumpClient(
        ApiSettings(frontend_url=url, swap_url=url, indexer_url=url),
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


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "[::1]", "localhost"])
async def test_the_token_may_go_over_plain_http_to_this_machine(host: str) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"isAdmin": False})

    url = f"http://{host}:8080"
    async with PumpClient(
        ApiSettings(frontend_url=url, swap_url=url, indexer_url=url),
        token=Secret("eyJhbGciOiJIUzI1NiJ9.secret.sig"),
        transport=httpx.MockTransport(answer),
        budget=RequestBudget(6000, 10),
    ) as client:
        await client.is_admin()

    assert seen[0].headers["authorization"] == "Bearer eyJhbGciOiJIUzI1NiJ9.secret.sig"


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
