"""`[[alerts]]` in the config: good rules are read, a bad one is refused in one line; the app's
own rules live in their own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.alerts import AppRules, make_rule
from pumptui.config import ConfigError, load_settings
from tests.live.factories import mint

MINT = mint(1)


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_alert_rules_are_read_from_the_config(tmp_path: Path) -> None:
    path = config(
        tmp_path,
        f"""
[[alerts]]
name = "dev dumps"
when = "event = trade and side = sell and by = dev"
mint = "{MINT}"
cooldown = "10m"
deliver = ["app", "desktop"]

[[alerts]]
when = "change > 30% and mc > 20k"
scope = "watchlist"
window = "3m"
command = "cat > /dev/null"
""",
    )
    first, second = load_settings(path).alerts
    assert (first.name, first.scope, first.mint, first.cooldown) == ("dev dumps", "mint", MINT, 600)
    assert first.channels == ("app", "osc", "notify-send")
    assert first.is_event_rule
    assert first.origin == "config"
    assert (second.scope, second.window, second.cooldown) == ("watchlist", 180.0, 300.0)
    assert ("change", 180.0) in second.expr.reads  # the rule's window for its moves
    assert second.channels == ("app", "command")
    assert not second.is_event_rule
    assert load_settings(config(tmp_path, "")).alerts == ()


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('when = "mcap > 20k"', "unknown field 'mcap'"),
        ('when = "mc > 20k and"', "condition 'mc > 20k and'"),
        ('when = "mc > 20k"\nscope = "everything"', "scope should be one of new, watchlist, mint"),
        ('when = "mc > 20k"\nscope = "mint"', 'scope "mint" needs mint'),
        ('when = "mc > 20k"\nmint = "not-a-mint"', "not a valid mint"),
        ('when = "mc > 20k"\ncooldown = "soon"', "cooldown should be a duration"),
        ('when = "mc > 20k"\ndeliver = ["pigeon"]', "unknown delivery 'pigeon'"),
        ('when = "mc > 20k"\ndeliver = ["command"]', "no command"),
        ('when = "mc > 20k"\nsound = true', "unknown setting 'sound'"),
        ('name = "no condition"', "needs when"),
    ],
)
def test_a_bad_alert_rule_is_refused_in_one_line(tmp_path: Path, table: str, says: str) -> None:
    path = config(tmp_path, f'[[alerts]]\nwhen = "event = new"\n\n[[alerts]]\n{table}\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: [[alerts]] #2")
    assert says in message


def test_alerts_must_be_an_array_of_tables(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"write each rule as \[\[alerts\]\]"):
        load_settings(config(tmp_path, '[alerts]\nwhen = "mc > 1k"\n'))


def test_rules_made_in_the_app_are_kept_in_their_own_file(tmp_path: Path) -> None:
    store = AppRules(tmp_path / "alerts.json")
    assert store.load() == []
    made = [
        make_rule("mc > 50k", mint=MINT, origin="app", name="fifty"),
        make_rule("event = new and name ~ cat", scope="new", origin="app", cooldown=0),
    ]
    store.save(made)
    assert store.load() == made
    assert [r.id for r in store.load()] == [r.id for r in made]

    (tmp_path / "alerts.json").write_text(
        '{"version": 1, "rules": [{"when": "mc > 1k"}, {"when": "nope >"}]}'
    )
    assert [r.when for r in store.load()] == ["mc > 1k"]
    assert store.problem is not None
    assert "rule 2" in store.problem
