"""`pumptui watch`: events as JSON lines on stdout, health on stderr."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import httpx
import pytest
from rich.cells import cell_len

from pumptui.cli import main
from pumptui.sim import ServerConfig, SimServer
from tests.cli.loopback import Loopback, proxy_app, swap_blocked


def busiest(sim: SimServer) -> tuple[str, list[dict[str, object]]]:
    histories = {mint: sim.trades_of(mint) for mint in sim.mints()[:30]}
    mint = max(histories, key=lambda m: len(histories[m]))
    return mint, histories[mint]


def test_jsonl_lines_carry_a_type_and_api_units(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mint, history = busiest(sim)
    # Only trades: the named coin's own updates may come first or not, as the feeds race.
    status = main(
        [
            "--api-url",
            sim.base_url,
            "watch",
            "--mint",
            mint,
            "--history",
            "--types",
            "new_trade",
            "--count",
            "10",
            "--duration",
            "20",
        ]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 10
    assert {line["type"] for line in lines} == {"new_trade"}
    recent = history[-100:]  # the first page: swap-api's newest 100, printed in chain order
    assert [line["signature"] for line in lines] == [t["tx"] for t in recent[:10]]
    first, wire = lines[0], recent[0]
    # The wire has SOL as a decimal string and an ISO time; the lines keep pumptui's units:
    # integer lamports and Unix seconds (reference §3.2).
    assert first["sol_amount"] == int(Decimal(wire["amountSol"]) * 10**9)
    assert first["timestamp"] == int(
        datetime.fromisoformat(wire["timestamp"].replace("Z", "+00:00")).timestamp()
    )


def test_new_trades_stream_until_the_count_is_reached(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    hot = sim.hot_mint
    made: list[str] = []
    # Trades happen once the command is watching (its first poll reads the past).
    timer = threading.Timer(1.0, lambda: made.extend(sim.inject_trades(hot, 30)))
    timer.start()
    try:
        status = main(
            [
                "--api-url",
                sim.base_url,
                "watch",
                "--mint",
                hot,
                "--count",
                "30",
                "--types",
                "new_trade",
                "--duration",
                "20",
                "--swap-rpm",
                "600",  # the coin's trades read again within a second or two, not four
            ]
        )
    finally:
        timer.cancel()
    out, err = capsys.readouterr()
    assert status == 0
    assert [json.loads(line)["signature"] for line in out.splitlines()] == made
    assert "trades: live" in err.splitlines()  # health goes to stderr, never to the pipe


def test_the_table_is_for_people(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    hostile = sim.create_coin(name="\x1b[31mRED\x1b[0m [bold]x[/bold]", symbol="EVIL")
    wide = sim.create_coin(name="🚀" * 30 + "全角文字テスト", symbol="🚀全角")
    first_page = httpx.get(f"{sim.base_url}/coins", params={"limit": 50}).json()
    status = main(
        [
            "--api-url",
            sim.base_url,
            "watch",
            "--coins",
            "--history",
            "--types",
            "new_coin",
            "--format",
            "table",
            "--count",
            str(len(first_page)),  # the listed coins: then it stops, nothing to wait for
            "--duration",
            "30",
            "--quiet",
        ]
    )
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert status == 0
    assert "\x1b" not in out
    line = next(line for line in lines if hostile[:4] in line)
    assert "coin" in line
    assert "EVIL" in line
    assert "[bold]x[/bold]" in line
    # 80 terminal cells at most, and the market cap ends in the same cell on every line,
    # emoji (two cells each) or not: nothing wraps, nothing shifts.
    assert all(cell_len(line) <= 80 for line in lines)
    caps_end = {cell_len(line[: line.index(" SOL") + 4]) for line in lines}
    assert len(caps_end) == 1
    assert any(line.split()[2] == "🚀全角" for line in lines)
    assert f"{wide[:4]}…{wide[-4:]}" in out  # the mint, short at 80 columns


def test_bad_input_is_refused_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--mint", "not-a-mint"]) == 2
    assert main(["watch", "--types", "new_trade,bogus"]) == 2
    assert "bogus" in capsys.readouterr().err


# -- 2026: one coin on swap-api's cursor, within its budget ---------------------------------------


def _iso_seconds(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@pytest.mark.slow
def test_one_coin_at_15_trades_a_second_is_complete_within_15_swap_requests_a_minute(
    sim_factory: Callable[..., SimServer], capsys: pytest.CaptureFixture[str]
) -> None:
    # The real swap-api rule (20 per 60 s, then a block) and the default client budget (15 a
    # minute); a real-time market so that 15 trades a second means 15 per second of polling:
    # each poll (one every 4 s) must bring about 60 new trades, in pages of at most 100.
    sim = sim_factory(
        clock="real",
        warmup=30.0,
        trades_per_second=0.5,
        hot_trades_per_second=15.0,
        server=ServerConfig(rate_limit=100_000, rate_limit_window=60.0, swap_limit=20),
    )
    hot = sim.hot_mint
    proxy = Loopback(proxy_app(sim.base_url)).start()  # a log of what reached the server
    try:
        status = main(
            [
                "--api-url",
                proxy.base_url,
                "watch",
                "--mint",
                hot,
                "--history",
                "--types",
                "new_trade",
                "--count",
                str(100 + 60),  # the first page, then at least one poll's worth of news
                "--duration",
                "60",
                "--swap-rpm",
                "15",
            ]
        )
        ended = time.time()
    finally:
        proxy.stop()
    out, err = capsys.readouterr()
    printed = [json.loads(line)["signature"] for line in out.splitlines()]
    chain = [t["tx"] for t in sim.trades_of(hot)]

    assert status == 0
    assert len(printed) == 160
    assert len(printed) == len(set(printed))  # duplicate-free
    start = chain.index(printed[0])
    assert printed == chain[start : start + len(printed)]  # complete, in chain order
    settled = [t["tx"] for t in sim.trades_of(hot) if _iso_seconds(t["timestamp"]) < ended - 12]
    assert set(settled[start:]) <= set(printed)  # and up to date, one poll or two behind
    swap = [t for t, _, path in proxy.log if path.startswith(("/v1/", "/v2/"))]
    assert len(swap) <= 3 + 15 * (swap[-1] - swap[0]) / 60 + 1  # burst 3, then 15 a minute
    assert "blocked" not in err


@pytest.mark.slow
def test_a_swap_block_is_said_on_stderr_and_nothing_is_sent_during_it(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy = Loopback(proxy_app(sim.base_url, swap_blocked(retry_after=48))).start()
    try:
        status = main(
            ["--api-url", proxy.base_url, "watch", "--mint", sim.mints()[0], "--duration", "5"]
        )
    finally:
        proxy.stop()
    _, err = capsys.readouterr()

    assert status == 0
    assert re.search(r"^swap-api blocked, retry in \d+s$", err, re.MULTILINE)
    swap = [path for path in proxy.paths() if path.startswith(("/v1/", "/v2/"))]
    assert 1 <= len(swap) <= 2  # what was already in flight when the first 1015 came back


def test_a_moved_route_is_said_in_words() -> None:
    from pumptui.cli.watch import HealthReporter
    from pumptui.live.events import RouteMoved

    out = io.StringIO()
    event = RouteMoved("candles", "/v2/coins/{mint}/candles → /v1/coins/{mint}/candles")

    printed_elsewhere = HealthReporter(out).report(event)

    assert out.getvalue() == (
        "route moved: candles /v2/coins/{mint}/candles → /v1/coins/{mint}/candles\n"
    )
    assert printed_elsewhere is False  # also a `route_moved` event on stdout


def test_the_table_marks_provisional_times_and_gives_figures_as_the_app_does() -> None:
    from dataclasses import replace

    from pumptui.api.models import Trade
    from pumptui.cli.watch import table_line
    from pumptui.live.events import NewTrade

    mint = "So11111111111111111111111111111111111111112"
    trade = Trade(
        signature="sig",
        mint=mint,
        is_buy=True,
        lamports=1_500_000_000,
        raw_tokens=2_000_000_000_000,  # 2,000,000 tokens of 6 decimals
        timestamp=1_790_000_001.0,
        slot=1,
        tx_index=0,
    )

    line = table_line(NewTrade(trade))
    pushed = table_line(NewTrade(replace(trade, pushed_seq=1)))
    named = table_line(NewTrade(trade), symbol_of={mint: "WSOL"}.get)

    assert line.startswith("14:13:21  trade  BUY ")
    assert " 1.5 SOL " in line  # SOL, not lamports, for people
    assert " 2M tok " in line
    # 1.5 SOL for 2,000,000 tokens: 0.00000075 SOL a token, written as the app writes it.
    assert "@ 0.0₆75 " in line
    assert "e-0" not in line
    assert "So11…1112" in line  # no symbol known: the short mint
    assert "WSOL" in named
    assert "So11" not in named  # the symbol, where it is known
    assert pushed.startswith("~14:13:21 ")


def test_a_trade_line_fits_the_terminal_and_keeps_its_columns() -> None:
    from pumptui.api.models import Trade
    from pumptui.cli.watch import table_line
    from pumptui.live.events import NewTrade

    def trade(tokens: int, username: str) -> NewTrade:
        return NewTrade(
            Trade(
                signature="sig",
                mint="So11111111111111111111111111111111111111112",
                is_buy=False,
                lamports=123_456_789_000,
                raw_tokens=tokens,
                timestamp=1_790_000_001.0,
                username=username,
            )
        )

    symbols = {"So11111111111111111111111111111111111111112": "🚀🚀🚀🚀🚀🚀"}.get
    lines = [
        table_line(trade(tokens, name), width=80, symbol_of=symbols)
        for tokens, name in ((10**15, "whale"), (7 * 10**9, "🐸" * 40))
    ]

    assert all(cell_len(line) <= 80 for line in lines)
    assert len({cell_len(line[: line.index("@")]) for line in lines}) == 1
    assert "123 SOL" in lines[0]
    assert "1B tok" in lines[0]  # 10^15 raw units: a billion tokens, whole
    assert lines[1].endswith("…")  # only the trader's name is cut


def test_a_mint_with_no_coin_is_said_not_waited_for(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = "So11111111111111111111111111111111111111112"  # a real mint, not a pump.fun coin
    status = main(
        [
            "--api-url",
            sim.base_url,
            "watch",
            "--mint",
            unknown,
            "--types",
            "coin_not_found",
            "--duration",
            "15",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 1  # nothing else was asked for: no point in waiting for ever
    assert json.loads(out) == {"type": "coin_not_found", "mint": unknown}
    assert f"coin not found: {unknown}" in err


def test_a_server_url_without_a_scheme_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--api-url", "127.0.0.1:8765", "watch", "--coins", "--duration", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "did you mean http://127.0.0.1:8765" in err


def test_callouts_of_the_first_mint_stream_with_their_call_figures(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mint = sim.create_coin(name="Called", symbol="CALD")
    callout_id = sim.post_callout(mint, "CALD \x1b[31mto the moon")
    at_call = sim.call(lambda: sim.market.callouts.callout(callout_id).market_cap_usd)
    status = main(
        [
            "--api-url",
            sim.base_url,
            "watch",
            "--mint",
            mint,
            "--callouts",
            "--types",
            "callouts",
            "--count",
            "1",
            "--duration",
            "20",
            "--quiet",
        ]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    line = json.loads(out)
    assert (line["type"], line["mint"]) == ("callouts", mint)
    mine = next(c for c in line["callouts"] if c["id"] == callout_id)
    assert mine["thesis"] == "CALD to the moon"
    assert mine["market_cap_usd"] == pytest.approx(at_call)


def test_the_table_gives_the_best_callout_of_the_coin() -> None:
    from pumptui.api.models import Callout
    from pumptui.cli.watch import table_line
    from pumptui.live.events import CalloutsChanged

    mint = "So11111111111111111111111111111111111111112"
    best = Callout(
        id="c",
        mint=mint,
        thesis="up\nonly",
        market_cap_usd=12_500.0,
        multiple=3.25,
        username="anon",
    )

    line = table_line(CalloutsChanged(mint, (best,)))
    empty = table_line(CalloutsChanged(mint, ()))

    assert "1 callout  best 3.25× since $12.5k by anon: up only" in line
    assert empty.endswith("0 callouts")


def test_the_chat_of_the_named_coin_as_json_lines(
    sim_factory: Callable[..., SimServer], capsys: pytest.CaptureFixture[str]
) -> None:
    from pumptui.sim.chat import ChatConfig

    # The simulator's manual clock stands in May 2026; messages must outlive today's clock.
    sim = sim_factory(
        server=ServerConfig(rate_limit=100_000, chat=ChatConfig(chatter=0.0, lifetime=10**9))
    )
    mint = sim.mints()[0]
    posted = [sim.post_chat(mint, text) for text in ("gm", "\x1b[31mwagmi\x1b[0m")]
    status = main(
        [
            "--api-url",
            sim.base_url,
            "watch",
            "--mint",
            mint,
            "--chat",
            "--history",
            "--types",
            "chat_message",
            "--count",
            "2",
            "--duration",
            "20",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["type"] for line in lines] == ["chat_message", "chat_message"]
    assert [line["id"] for line in lines] == [m["id"] for m in posted]
    assert [line["text"] for line in lines] == ["gm", "wagmi"]
    assert all(line["mint"] == mint and line["historical"] for line in lines)
    assert "chat: live" in err.splitlines()
