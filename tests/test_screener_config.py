"""`[screener.presets]`: named filters from the config, added to the built-in three, each read by
the filter language when the config loads; a preset it cannot read stops the start in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.cli import main
from pumptui.config import DEFAULT_PRESETS, ConfigError, load_settings
from pumptui.rules import parse


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_built_in_presets_are_there_without_a_config_and_all_read(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", env={})
    assert set(settings.screener.presets) == {"about-to-graduate", "fresh-and-clean", "whales-in"}
    for text in DEFAULT_PRESETS.values():
        parse(text)


def test_presets_from_the_file_add_to_the_defaults_and_may_replace_one(tmp_path: Path) -> None:
    path = config_file(
        tmp_path,
        "[screener.presets]\n"
        'runners = "change 5m > 30% and vol 5m >= 10k"\n'
        'whales-in = "vol 5m >= 50k"\n',
    )
    presets = load_settings(path, env={}).screener.presets
    assert presets["runners"] == "change 5m > 30% and vol 5m >= 10k"
    assert presets["whales-in"] == "vol 5m >= 50k"
    assert presets["fresh-and-clean"] == DEFAULT_PRESETS["fresh-and-clean"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[screener.presets]\nbad = "vol 5m >= 10k and agee < 10m"\n', "unknown field 'agee'"),
        ('[screener.presets]\nbad = "age < 10k"\n', "screener.presets.bad"),
        ('[screener.presets]\nbad = "mc > 20k and ("\n', "screener.presets.bad"),
        ("[screener.presets]\nbad = 3\n", "should be a filter expression"),
        ('[screener.presets]\n"two words" = "mc > 1k"\n', "a preset name is"),
        ('[screener]\nsorts = "x"\n', "unknown setting screener.sorts"),
    ],
)
def test_a_preset_that_cannot_be_read_is_refused_naming_it(
    tmp_path: Path, text: str, said: str
) -> None:
    path = config_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message
    assert said in message
    assert "\n" not in message


def test_the_error_points_at_the_offending_token(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[screener.presets]\nbad = "vol 5m >= 10k and agee < 10m"\n')
    with pytest.raises(ConfigError, match=r"at 'agee', column 19"):
        load_settings(path, env={})


def test_the_app_does_not_start_with_a_bad_preset_one_line_and_status_2(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, '[screener.presets]\nbad = "holders >= lots"\n')
    status = main(["--config", str(path)])
    err = capfd.readouterr().err
    assert status == 2
    assert err.count("\n") == 1, err
    assert "screener.presets.bad" in err
    assert "Traceback" not in err
