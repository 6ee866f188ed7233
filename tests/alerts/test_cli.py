"""`pumptui alerts` refuses what it cannot run before it reads anything: status 2, one line."""

from __future__ import annotations

import pytest

from pumptui.cli import main


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--rule", "mcap > 20k"], "--rule: condition 'mcap > 20k': unknown field 'mcap'"),
        (["--rule", "mc > 20k", "--cooldown", "soon"], "--cooldown should be a duration"),
        (["--rule", "mc > 20k", "--deliver", "pigeon"], "unknown delivery 'pigeon'"),
        (["--rule", "mc > 20k", "--mint", "nope"], "not a valid mint"),
        ([], "no rules: give --rule EXPR, or add [[alerts]] to the config"),
        (["--mint", "So11111111111111111111111111111111111111112"], "are for --rule rules"),
    ],
)
def test_bad_usage_is_said_in_one_line_with_status_2(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--api-url", "http://127.0.0.1:9", "alerts", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("pumptui alerts: ")
    assert says in err
