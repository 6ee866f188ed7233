"""Push from the command line: `pumptui`, `pumptui demo` and `pumptui watch` take their news from
the WebSocket when asked (or configured), and poll only when told `--no-push`."""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pumptui.api.models import Trade
from pumptui.cli import main as cli_main
from pumptui.cli.app import run_app
from pumptui.cli.options import add_push_options
from pumptui.cli.watch import EventPrinter, table_line
from pumptui.config import ConfigError, Settings
from pumptui.live.events import NewTrade, TradeConfirmed
from pumptui.live.push import PushSource, push_url_for
from pumptui.secret import Secret
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.services import AppServices, MemoryWatchlist

MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
SIGNATURE = "5" * 88
PORTAL_KEY = "portal-key-bound-to-a-wallet"
NOON = 1_750_075_201.0  # 12:00:01 UTC


def pushed_trade(**changes: Any) -> Trade:
    """A trade as the socket tells it: receive time, no slot, no username."""
    fields: dict[str, Any] = dict(
        signature=SIGNATURE,
        mint=MINT,
        is_buy=True,
        lamports=250_000_000,
        raw_tokens=7_000_000_000_000,
        timestamp=NOON,
        user="9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
        pushed_seq=1,
    )
    fields.update(changes)
    return Trade(**fields)


def confirmed_trade() -> Trade:
    return pushed_trade(
        timestamp=NOON - 1, slot=3_000_000, tx_index=2, username="whale_hunter", pushed_seq=None
    )


def captured_app_services(monkeypatch: pytest.MonkeyPatch) -> dict[str, AppServices]:
    """Run the CLI without a terminal: the app's `run` only records the services it was given."""
    seen: dict[str, AppServices] = {}

    def fake_run(self: PumpApp, **kwargs: Any) -> None:
        seen["services"] = self.services

    monkeypatch.setattr(PumpApp, "run", fake_run)
    return seen


def parse_push(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_push_options(parser)
    return parser.parse_args(argv)


# -- the app -------------------------------------------------------------------------------------


def test_push_options_mean_auto_a_url_or_off_and_otherwise_leave_the_config_alone() -> None:
    assert parse_push(["--push"]).push == "auto"
    assert parse_push(["--push", "wss://push.example/api/data"]).push == (
        "wss://push.example/api/data"
    )
    assert parse_push(["--no-push"]).push == ""
    assert not hasattr(parse_push([]), "push")
    with pytest.raises(SystemExit):
        parse_push(["--push", "--no-push"])


async def test_the_app_listens_to_the_socket_when_push_is_on() -> None:
    settings = Settings().with_api_urls("http://127.0.0.1:8123").with_push_url("auto")
    services = AppServices.connect(settings, watchlist=MemoryWatchlist())
    try:
        assert services.engine is not None
        source = services.engine.source  # type: ignore[attr-defined]
        assert isinstance(source, PushSource)
        assert source.url == push_url_for("http://127.0.0.1:8123")
        assert source.candles, "the coin screen has a chart"
    finally:
        await services.stop()


async def test_the_app_only_polls_when_push_is_off() -> None:
    services = AppServices.connect(Settings(), watchlist=MemoryWatchlist())
    try:
        assert services.engine is not None
        assert not isinstance(services.engine.source, PushSource)  # type: ignore[attr-defined]
    finally:
        await services.stop()


async def test_the_push_api_key_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PUMPTUI_PUSH_API_KEY", PORTAL_KEY)
    config = tmp_path / "config.toml"
    config.write_text('[push]\nurl = "wss://push.example/api/data"\n', encoding="utf-8")
    seen = captured_app_services(monkeypatch)
    assert (
        run_app(
            argparse.Namespace(
                config=str(config), api_url=None, frontend_url=None, advanced_url=None
            )
        )
        == 0
    )
    services = seen["services"]
    source = services.engine.source  # type: ignore[union-attr]
    assert isinstance(source, PushSource)
    assert source.url == "wss://push.example/api/data"
    assert source.api_key == Secret(PORTAL_KEY)
    assert PORTAL_KEY not in repr(services.settings)
    await services.stop()


async def test_no_push_on_the_command_line_beats_the_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[push]\nurl = "auto"\n', encoding="utf-8")
    seen = captured_app_services(monkeypatch)
    assert (
        run_app(
            argparse.Namespace(
                config=str(config), api_url=None, frontend_url=None, advanced_url=None, push=""
            )
        )
        == 0
    )
    services = seen["services"]
    assert not isinstance(services.engine.source, PushSource)  # type: ignore[union-attr]
    await services.stop()


def test_a_push_url_that_is_not_a_websocket_is_refused_with_status_2() -> None:
    args = argparse.Namespace(
        config=None,
        api_url=None,
        frontend_url=None,
        advanced_url=None,
        push="https://push.example/api/data",
    )
    with pytest.raises(ConfigError, match="--push"):  # cli.main: one line, status 2
        run_app(args)


async def test_plain_pumptui_takes_push_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = captured_app_services(monkeypatch)
    assert cli_main(["--api-url", "http://127.0.0.1:8123", "--push"]) == 0
    services = seen["services"]
    assert isinstance(services.engine.source, PushSource)  # type: ignore[union-attr]
    await services.stop()


def test_a_command_after_a_bare_push_is_not_taken_for_its_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main(["--push", "watch", "--coins"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "'watch' is a command, not a WebSocket URL" in err
    assert "pumptui watch --push" in err


# -- the demo ------------------------------------------------------------------------------------


async def test_the_demo_pushes_from_the_simulator_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A real PumpPortal set-up in the config: the demo must not use it, nor send its key.
    config = tmp_path / "config.toml"
    config.write_text('[push]\nurl = "wss://pumpportal.example/api/data"\n', encoding="utf-8")
    monkeypatch.setenv("PUMPTUI_PUSH_API_KEY", PORTAL_KEY)
    seen = captured_app_services(monkeypatch)
    assert cli_main(["--config", str(config), "demo", "--hot-rate", "0"]) == 0
    services = seen["services"]
    source = services.engine.source  # type: ignore[union-attr]
    assert isinstance(source, PushSource)
    assert source.url == push_url_for(services.settings.api.frontend_url)
    assert source.url.startswith("ws://127.0.0.1:")
    assert source.api_key != Secret(PORTAL_KEY)
    await services.stop()


async def test_the_demo_polls_only_with_no_push(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = captured_app_services(monkeypatch)
    assert cli_main(["demo", "--hot-rate", "0", "--no-push"]) == 0
    services = seen["services"]
    assert services.sim_mode
    assert not isinstance(services.engine.source, PushSource)  # type: ignore[union-attr]
    await services.stop()


# -- watch ---------------------------------------------------------------------------------------


def test_watch_streams_the_trades_of_a_pushed_coin(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    hot = sim.hot_mint
    made: list[str] = []
    stop = threading.Event()

    def watch_follows_the_coin() -> bool:
        """The command's socket follows the coin, and its REST feed has read the coin's first
        page (the recent past, shown only with --history): a trade made before that read could
        come in that page, as history, and its pushed copy would then be a duplicate."""
        state = sim.state
        subscribed = any(hot in conn.mints for conn in state.sockets)
        read = any(path.startswith(f"/v2/coins/{hot}/trades") for path, _ in state.cache)
        return subscribed and read

    def trade_once_subscribed() -> None:
        """Trades happen once the command follows the coin, so the socket brings them as news."""
        while not stop.is_set():
            if sim.call(watch_follows_the_coin):
                made.extend(sim.inject_trades(hot, 20))
                return
            time.sleep(0.05)

    trader = threading.Thread(target=trade_once_subscribed)
    trader.start()
    try:
        status = cli_main(
            [
                "--api-url",
                sim.base_url,
                "watch",
                "--push",
                "--mint",
                hot,
                "--types",
                "new_trade",
                "--count",
                "20",
                "--duration",
                "30",
            ]
        )
    finally:
        stop.set()
        trader.join()
    out, err = capsys.readouterr()
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["signature"] for line in lines] == made  # every trade, once, in chain order
    for line in lines:
        assert line["type"] == "new_trade"
        assert line["mint"] == hot
        assert isinstance(line["sol_amount"], int)
        assert line["sol_amount"] > 0
        if line.get("provisional"):
            assert line["slot"] is None
            assert line["tx_index"] is None
        else:
            assert isinstance(line["slot"], int)
    assert "push: live" in err.splitlines()  # the socket's health, on stderr like any feed's


def test_watch_refuses_a_push_url_that_is_not_a_websocket(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:  # refused while parsing, before any connection
        cli_main(["watch", "--push", "http://127.0.0.1:9/api/data", "--mint", MINT])
    assert exited.value.code == 2
    assert "ws:// or wss://" in capsys.readouterr().err


def test_a_provisional_trade_has_an_approximate_time_in_the_table() -> None:
    pushed = table_line(NewTrade(pushed_trade()), width=120)
    confirmed = table_line(NewTrade(confirmed_trade()), width=120)
    assert pushed.startswith("~12:00:01 ")
    assert confirmed.startswith("12:00:00 ")
    assert "~" not in confirmed
    assert pushed.index("BUY") == confirmed.index("BUY"), "columns stay aligned"
    assert "whale_hunter" in confirmed


def test_confirmations_go_to_scripts_but_not_to_the_table_unless_asked() -> None:
    confirmation = TradeConfirmed(confirmed_trade())

    def printed(fmt: str, types: frozenset[str] | set[str]) -> str:
        out = io.StringIO()
        EventPrinter(out, fmt, types, named={MINT}, history=False).print(confirmation)
        return out.getvalue()

    line = json.loads(printed("jsonl", frozenset()))
    assert line["type"] == "trade_confirmed"
    assert line["signature"] == SIGNATURE
    assert line["timestamp"] == int(NOON - 1)
    assert line["slot"] == 3_000_000
    assert "provisional" not in line
    assert printed("table", frozenset()) == ""
    asked = printed("table", {"trade_confirmed"})
    assert "trade✓" in asked
    assert f"{MINT[:4]}…{MINT[-4:]}" in asked
    assert asked.startswith("12:00:00 ")
