"""A config rule switched off on the alerts screen is off for `pumptui alerts` too: the app and
the headless command run the same rules."""

from __future__ import annotations

import pytest

from pumptui import paths
from pumptui.alerts import rule_from_table
from pumptui.alerts.switches import RuleSwitches
from pumptui.cli import main

RULE = {"name": "big", "when": "mc > 20k"}


def test_a_config_rule_switched_off_in_the_app_does_not_run_headless(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths.config_file().write_text('[[alerts]]\nname = "big"\nwhen = "mc > 20k"\n', "utf-8")
    RuleSwitches(paths.alerts_switches_file()).switch(rule_from_table(RULE), False)
    assert main(["--api-url", "http://127.0.0.1:9", "alerts"]) == 2
    _, err = capsys.readouterr()
    assert "no rules" in err
