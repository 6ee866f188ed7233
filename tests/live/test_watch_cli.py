"""`pumptui watch`: events as JSON lines on stdout, health on stderr."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from decimal import Decimal

import pytest

from pumptui.cli import main
from pumptui.sim import SimServer


def busiest(sim: SimServer) -> tuple[str, list[dict[str, object]]]:
    histories = {mint: sim.trades_of(mint) for mint in sim.mints()[:30]}
    mint = max(histories, key=lambda m: len(histories[m]))
    return mint, histories[mint]


def test_jsonl_lines_carry_a_type_and_api_units(sim: SimServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    mint, history = busiest(sim)
    status = main(["--api-url", sim.base_url, "watch", "--mint", mint, "--history",
                   "--count", "10", "--duration", "20"])
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
    assert first["timestamp"] == int(datetime.fromisoformat(
        wire["timestamp"].replace("Z", "+00:00")).timestamp())


def test_new_trades_stream_until_the_count_is_reached(sim: SimServer,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    hot = sim.hot_mint
    made: list[str] = []
    # Trades happen once the command is watching (its first poll reads the past).
    timer = threading.Timer(1.0, lambda: made.extend(sim.inject_trades(hot, 30)))
    timer.start()
    try:
        status = main(["--api-url", sim.base_url, "watch", "--mint", hot, "--count", "30",
                       "--types", "new_trade", "--duration", "20"])
    finally:
        timer.cancel()
    out, err = capsys.readouterr()
    assert status == 0
    assert [json.loads(line)["signature"] for line in out.splitlines()] == made
    assert "trades: live" in err.splitlines()  # health goes to stderr, never to the pipe


def test_the_table_is_for_people(sim: SimServer, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = sim.create_coin(name="\x1b[31mRED\x1b[0m [bold]x[/bold]", symbol="EVIL")
    listed = str(len(sim.mints()))
    status = main(["--api-url", sim.base_url, "watch", "--coins", "--history",
                   "--format", "table", "--count", listed, "--duration", "20", "--quiet"])
    out, _ = capsys.readouterr()
    assert status == 0
    line = next(line for line in out.splitlines() if hostile in line)
    assert "coin" in line
    assert "EVIL" in line
    assert "[bold]x[/bold]" in line
    assert "\x1b" not in out


def test_bad_input_is_refused_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "--mint", "not-a-mint"]) == 2
    assert main(["watch", "--types", "new_trade,bogus"]) == 2
    assert "bogus" in capsys.readouterr().err
