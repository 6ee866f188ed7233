"""The server options mean the same on every command, before it or after it (issue 13 item 21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.cli import build_parser, main
from pumptui.cli.options import settings_from_args
from pumptui.sim import SimServer

MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
COMMANDS = {
    "coins": ["coins", MINT],
    "watch": ["watch", "--coins"],
    "doctor": ["doctor"],
    "moderate": ["moderate", "nsfw", MINT],
    "login": ["login"],
    "logout": ["logout"],
    "whoami": ["whoami"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_the_server_options_work_after_the_command(command: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[api]\nindexer_requests_per_minute = 3\n", encoding="utf-8")
    after = [
        "--api-url",
        "http://127.0.0.1:8123",
        "--swap-url",
        "http://127.0.0.1:8124/",
        "--frontend-rpm",
        "7",
        "--swap-rpm",
        "5",
        "--config",
        str(config),
    ]

    settings = settings_from_args(build_parser().parse_args([*COMMANDS[command], *after]))

    api = settings.api
    assert (api.frontend_url, api.indexer_url, api.chat_url) == ("http://127.0.0.1:8123",) * 3
    assert api.swap_url == "http://127.0.0.1:8124"
    assert (api.frontend_requests_per_minute, api.swap_requests_per_minute) == (7, 5)
    assert api.indexer_requests_per_minute == 3  # from the file named after the command
    assert settings.path == config


def test_an_option_after_the_command_wins_and_one_before_it_is_kept() -> None:
    args = build_parser().parse_args(
        ["--api-url", "http://127.0.0.1:1", "--swap-rpm", "4", "coins", "--api-url",
         "http://127.0.0.1:2", MINT]
    )  # fmt: skip

    settings = settings_from_args(args)

    assert settings.api.frontend_url == "http://127.0.0.1:2"
    assert settings.api.swap_requests_per_minute == 4


def test_coins_reads_from_the_server_named_after_the_command(
    sim: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    mint = sim.mints()[0]

    status = main(["coins", mint, "--format", "jsonl", "--api-url", sim.base_url])

    out = capsys.readouterr().out
    assert status == 0
    assert f'"item":"{mint}"' in out.replace(" ", "")
    assert '"status":"found"' in out.replace(" ", "")


def test_demo_takes_a_config_file_after_the_command(tmp_path: Path) -> None:
    args = build_parser().parse_args(["demo", "--config", str(tmp_path / "missing.toml")])
    assert args.config == str(tmp_path / "missing.toml")
