"""Tables and figures on the command line: the app's number formatting without Textual, and
tables that fit the terminal by giving way in a stated order."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from pumptui.cli.table import Column, layout, print_table

ROOT = Path(__file__).resolve().parents[2]
MINT = "EpNiA3kJZ9sb1t6dG5GUGa2A8uWvGJmTbQ5MRtJTpump"


def test_the_command_line_writes_figures_as_the_app_does_without_loading_textual() -> None:
    code = (
        "import sys, pumptui.cli.watch, pumptui.cli.coins, pumptui.numbers as n\n"
        "assert 'textual' not in sys.modules, 'the command line loaded Textual'\n"
        "from pumptui.tui import format as f\n"
        "assert f.price is n.price and f.usd is n.usd and f.age is n.age\n"
        "print(n.price(9.36e-8))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0.0₇936\n"  # 9.36e-8: seven zeros after the point, then 936


def coin_table() -> list[Column]:
    return [
        Column("mint", [MINT], short=["EpNi…pump"]),
        Column("name", ["Degen Penguin of the Moon"], cut=True),
        Column("symbol", ["DEPENG"], drop=2),
        Column("mcap SOL", ["78.9"], right=True, drop=4),
        Column("mcap USD", ["$12.4k"], right=True),
        Column("ATH USD", ["$13.9k"], right=True, drop=6),
        Column("curve", ["53%"], right=True, drop=3),
        Column("age", ["187d"], right=True, drop=5),
    ]


def test_a_narrow_terminal_gets_short_mints_then_loses_the_least_needed_columns() -> None:
    wide = layout(coin_table(), 140)
    eighty = layout(coin_table(), 80)
    narrow = layout(coin_table(), 50)

    assert wide[0].cells == [MINT]  # whole, to copy
    assert [c.header for c in wide] == [c.header for c in coin_table()]
    assert eighty[0].cells == ["EpNi…pump"]
    assert [c.header for c in eighty] == [c.header for c in coin_table()]
    assert [c.header for c in narrow] == ["mint", "name", "symbol", "mcap USD", "curve"]
    for shown, width in ((wide, 140), (eighty, 80), (narrow, 50)):
        figures = [c for c in shown if c.right]
        assert all(c.width >= cell_len(c.cells[0]) for c in figures)  # never cut
        assert sum(c.width for c in shown) + 2 * (len(shown) - 1) <= width


def test_only_a_failure_reason_wraps() -> None:
    out = io.StringIO()
    reason = "server error 502 after 4 tries: the gateway says the upstream did not answer"
    columns = [
        Column("mint", [MINT, "bogus"], short=["EpNi…pump", "bogus"]),
        Column("status", ["failed", "invalid"]),
        Column("name", ["🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀 long name", ""], cut=True),
        Column("reason", [reason, "not a mint"], wrap=True),
    ]

    print_table(columns, out, width=60)

    lines = out.getvalue().splitlines()
    assert all(cell_len(line) <= 60 for line in lines)
    assert lines[0].split() == ["mint", "status", "name", "reason"]
    assert lines[1].startswith("EpNi…pump  failed ")
    assert "…" in lines[1]  # the name is cut to one line
    assert lines[-1].startswith("bogus      invalid")
    assert len(lines) > 3  # the reason took more than one line, word by word
    assert "server error" in lines[1]
    assert lines[-2].endswith("answer")
