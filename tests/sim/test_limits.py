"""Rate limits as the 2026 service applies them (pumpfun-api-2026.md §2): swap's Cloudflare rule
(one budget over every swap path, then 429 `error code: 1015` and a block that each request
during it renews) and v3's per-group windows with their headers."""

from __future__ import annotations

from collections.abc import Callable

from pumptui.sim import ServerConfig, SimServer
from pumptui.sim.ratelimit import BurstBlock, CloudflareShield, RateLimiter
from tests.sim.support import http, nest_error


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_swap_answers_1015_past_its_budget_over_every_swap_path(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(server=ServerConfig(rate_limit=100_000, swap_limit=4))
    mint = sim.mints()[0]
    paths = [
        f"/v2/coins/{mint}/trades",
        f"/v2/coins/{mint}/candles?interval=1m",
        f"/v1/coins/{mint}/market-activity",
        f"/v1/coins/{mint}/ath",
    ]
    with http(sim) as client:
        allowed = [client.get(p) for p in paths]
        refused = client.get(f"/v1/coins/{mint}/candles?interval=1m")
        v3 = client.get("/coins")  # another host: its own limits
    for response in allowed:
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "1000"  # misleading, as the real one
    assert refused.status_code == 429
    assert refused.text == "error code: 1015"
    assert refused.headers["content-type"].startswith("text/plain")
    assert refused.headers["server"] == "cloudflare"
    assert 30 <= int(refused.headers["retry-after"]) <= 60
    assert not any(h.lower().startswith("x-ratelimit") for h in refused.headers)
    assert v3.status_code == 200


def test_the_real_swap_rule_is_about_20_a_minute(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(server=ServerConfig(v3_limits={}, swap_block=(35.0, 60.0)))
    mint = sim.mints()[0]
    with http(sim) as client:
        statuses = [client.get(f"/v1/coins/{mint}/ath").status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]


def test_a_swap_block_lasts_35_to_60_s_and_each_request_during_it_renews_it() -> None:
    clock = FakeClock()
    shield = CloudflareShield(limit=20, window=60.0, block=(35.0, 60.0), seed=1, clock=clock)
    assert all(shield.check("ip").allowed for _ in range(20))
    first = shield.check("ip")
    assert not first.allowed
    until = shield.blocked_until("ip")
    assert until is not None
    assert 35.0 <= until - clock.now <= 60.0
    clock.now += 30.0
    assert not shield.check("ip").allowed  # during the block: refused and renewed
    renewed = shield.blocked_until("ip")
    assert renewed is not None
    assert renewed >= clock.now + 35.0
    clock.now = renewed + 0.001
    assert shield.check("ip").allowed  # it ends: a fresh budget
    assert shield.check("other-ip").allowed  # per client


def test_a_client_that_stays_quiet_through_the_block_gets_through() -> None:
    clock = FakeClock()
    shield = CloudflareShield(limit=2, window=60.0, block=(35.0, 60.0), seed=2, clock=clock)
    shield.check("ip"), shield.check("ip")
    refused = shield.check("ip")
    assert not refused.allowed
    clock.now += refused.retry_after
    assert shield.check("ip").allowed


def test_the_swap_window_slides(sim_factory: Callable[..., SimServer]) -> None:
    clock = FakeClock()
    shield = CloudflareShield(limit=3, window=60.0, block=(35.0, 60.0), seed=3, clock=clock)
    for _ in range(3):
        assert shield.check("ip").allowed
        clock.now += 25.0
    # The first request is now 75 s old: one slot is free again.
    assert shield.check("ip").allowed


def test_v3_groups_have_their_own_windows_and_headers(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(
        server=ServerConfig(v3_limits={"coins": 60, "sol-price": 3}, swap_limit=100_000)
    )
    with http(sim) as client:
        prices = [client.get("/sol-price") for _ in range(3)]
        refused = client.get("/sol-price")
        coins = client.get("/coins")
    assert [r.headers["x-ratelimit-remaining"] for r in prices] == ["2", "1", "0"]
    for response in prices:
        assert response.headers["x-ratelimit-limit"] == "3"
        assert 1 <= int(response.headers["x-ratelimit-reset"]) <= 60  # seconds until reset
    nest_error(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert coins.status_code == 200
    assert coins.headers["x-ratelimit-limit"] == "60"
    assert coins.headers["x-ratelimit-remaining"] == "59"


def test_v3_default_groups_are_the_measured_ones(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(server=ServerConfig(swap_limit=100_000))
    mint = sim.mints()[0]
    with http(sim) as client:
        limits = {
            path: client.request(method, path, **kw).headers["x-ratelimit-limit"]
            for method, path, kw in (
                ("GET", "/coins", {}),
                ("GET", "/sol-price", {}),
                ("GET", "/coins/great-coins", {}),
                ("POST", "/coins-v2/mints", {"json": {"mints": [mint]}}),
                ("GET", f"/coins/holder-stats/{mint}", {}),
            )
        }
    assert limits == {
        "/coins": "60",
        "/sol-price": "50",
        "/coins/great-coins": "20",
        "/coins-v2/mints": "30",
        f"/coins/holder-stats/{mint}": "60",
    }


def test_a_v3_window_resets() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 60.0, clock)
    assert limiter.check("a").allowed
    assert limiter.check("a").allowed
    refused = limiter.check("a")
    assert not refused.allowed
    assert refused.retry_after == 60
    clock.now += 60.0
    assert limiter.check("a").allowed


def test_budgets_are_per_client(sim_factory: Callable[..., SimServer]) -> None:
    sim = sim_factory(
        server=ServerConfig(
            v3_limits={"sol-price": 3}, swap_limit=100_000, rate_limit_by_header="X-Client"
        )
    )
    with http(sim) as client:
        first = [client.get("/sol-price", headers={"X-Client": "a"}).status_code for _ in range(4)]
        other = client.get("/sol-price", headers={"X-Client": "b"})
    assert first == [200, 200, 200, 429]
    assert other.headers["x-ratelimit-remaining"] == "2"


def test_one_rate_limit_number_switches_every_limit_off(sim: SimServer) -> None:
    """The test fixture's `rate_limit=100_000`: every v3 group and swap."""
    mint = sim.mints()[0]
    with http(sim) as client:
        assert all(client.get(f"/v1/coins/{mint}/ath").status_code == 200 for _ in range(40))
        assert client.get("/sol-price").headers["x-ratelimit-limit"] == "100000"


def test_a_v3_429_says_when_its_window_resets(sim_factory: Callable[..., SimServer]) -> None:
    # A 60 s window (the service's): Retry-After is the time left in it, the same figure as
    # x-ratelimit-reset, not a token "retry in 1 s" that sends the client back into the 429.
    sim = sim_factory(server=ServerConfig(v3_limits={"sol-price": 2}, swap_limit=100_000))
    with http(sim) as client:
        client.get("/sol-price"), client.get("/sol-price")
        refused = client.get("/sol-price")
    nest_error(refused, 429)
    assert refused.headers["Retry-After"] == refused.headers["x-ratelimit-reset"]
    assert 50 <= int(refused.headers["Retry-After"]) <= 60


def test_a_v3_limiters_retry_after_counts_down_with_its_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 60.0, clock)
    assert limiter.check("a").allowed
    clock.now += 20.0
    refused = limiter.check("a")
    assert (refused.allowed, refused.retry_after, refused.reset_in) == (False, 40, 40)
    clock.now += 39.5
    assert limiter.check("a").retry_after == 1  # rounded up: never "retry now" too early


def test_a_callout_list_burst_block_says_how_long_it_lasts() -> None:
    clock = FakeClock()
    rule = BurstBlock(burst=2, within=5.0, block=1800.0, clock=clock)
    assert rule.check("ip").allowed
    first = rule.check("ip")
    assert (first.allowed, first.retry_after) == (False, 1800)
    clock.now += 600.0
    assert rule.check("ip").retry_after == 1200
