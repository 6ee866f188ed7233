"""`pumptui watch` when the server cannot be read: at start it exits with the reason; later it
says every feed's state (stderr, and a `feeds` line among the JSON events) and keeps trying."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from aiohttp import web

from pumptui.cli import main
from pumptui.sim import SimServer
from tests.cli.loopback import Loopback, Rule, proxy_app

FEEDS_OF_A_MINT = {"market", "holders", "trades", "activity"}


@pytest.fixture(autouse=True)
def no_client_retries() -> None:
    """Each failed request is a failed poll at once (the client's own retries would only make
    these tests wait longer for the same verdict), and a coin's trades are read every second
    even when it trades no more (the simulator's clock stands still)."""
    config = "[api]\nmax_retries = 0\n[refresh]\ntrades_max = 1.0\n"
    Path(os.environ["PUMPTUI_CONFIG"]).write_text(config)


def closed_port_url() -> str:
    """A loopback URL where nothing listens: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def feeds_lines(out: str) -> list[dict[str, object]]:
    return [line for line in map(json.loads, out.splitlines()) if line["type"] == "feeds"]


def cloudflare_everywhere(request: web.Request) -> web.Response:
    """Every host blocks this IP (Cloudflare 1015) for the next 48 s."""
    return web.Response(
        status=429,
        text="error code: 1015",
        content_type="text/plain",
        headers={"server": "cloudflare", "retry-after": "48"},
    )


def dies_after(requests: int) -> Rule:
    """The server answers `requests` requests, then is gone (its gateway says 502 to all)."""
    answered = 0

    def rule(request: web.Request) -> web.Response | None:
        nonlocal answered
        answered += 1
        if answered <= requests:
            return None
        return web.Response(status=502, text="bad gateway")

    return rule


@pytest.mark.slow
def test_a_server_that_refuses_every_connection_ends_watch_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["--api-url", closed_port_url(), "watch", "--coins", "--duration", "30"])

    out, err = capsys.readouterr()
    assert status == 1  # not 0: nothing was read, and nothing will be
    assert "pumptui watch: nothing can be read: coins failing" in err
    assert "connection failed" in err.splitlines()[-1]
    (report,) = feeds_lines(out)
    assert report["state"] == "unreadable"
    assert [(f["feed"], f["state"]) for f in report["feeds"]] == [("coins", "failing")]  # type: ignore[index, union-attr]


@pytest.mark.slow
def test_every_host_blocking_us_at_start_ends_watch_with_the_reason(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy = Loopback(proxy_app(sim.base_url, cloudflare_everywhere)).start()
    try:
        status = main(
            ["--api-url", proxy.base_url, "watch", "--mint", sim.mints()[0], "--duration", "30"]
        )
    finally:
        proxy.stop()

    out, err = capsys.readouterr()
    assert status == 1
    assert "blocked, retry in" in err
    last = err.splitlines()[-1]
    assert last.startswith("pumptui watch: nothing can be read: ")
    assert "rate limited · retry in" in last
    assert feeds_lines(out)[-1]["state"] == "unreadable"


def test_a_server_lost_later_is_said_with_every_feeds_state(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every feed answers once (5 requests), then the server is gone.
    proxy = Loopback(proxy_app(sim.base_url, dies_after(5))).start()
    try:
        status = main(
            [
                "--api-url",
                proxy.base_url,
                "watch",
                "--mint",
                sim.mints()[0],
                "--types",
                "feeds",
                "--count",
                "1",  # the first turn: a feed fails while others still answered lately
                "--duration",
                "30",
                "--swap-rpm",
                "600",  # the coin's trades read every second: the loss shows at once
            ]
        )
    finally:
        proxy.stop()

    out, err = capsys.readouterr()
    assert status == 0
    (report,) = feeds_lines(out)
    assert report["state"] in ("degraded", "down")
    states = {f["feed"]: f["state"] for f in report["feeds"]}  # type: ignore[union-attr]
    assert set(states) == FEEDS_OF_A_MINT  # every feed the command uses, not just the one
    assert "failing" in states.values()
    said = next(line for line in err.splitlines() if line.startswith(("some feeds", "nothing can")))
    assert all(f"{feed} " in said for feed in FEEDS_OF_A_MINT)
    assert "server error" in said or "bad response" in said
