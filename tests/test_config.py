"""The `[push]` settings: off unless asked, URLs checked, the API key only ever from the env."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.config import PUSH_AUTO, ConfigError, PushSettings, Settings, load_settings
from pumptui.secret import Secret

PORTAL_KEY = "5f3c-wallet-bound-portal-key"


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_push_is_off_unless_configured(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", env={})
    assert settings.push == PushSettings()
    assert not settings.push.enabled


@pytest.mark.parametrize(
    ("url", "stored", "socket_url"),
    [
        ("auto", PUSH_AUTO, None),
        ("AUTO", PUSH_AUTO, None),
        ("wss://pumpportal.fun/api/data", "wss://pumpportal.fun/api/data",
         "wss://pumpportal.fun/api/data"),
        ("ws://127.0.0.1:8765/api/data", "ws://127.0.0.1:8765/api/data",
         "ws://127.0.0.1:8765/api/data"),
    ],
)
def test_push_url_can_be_auto_or_a_websocket_url(
    tmp_path: Path, url: str, stored: str, socket_url: str | None
) -> None:
    settings = load_settings(config_file(tmp_path, f'[push]\nurl = "{url}"\n'), env={})
    assert settings.push.enabled
    assert settings.push.url == stored
    assert settings.push.socket_url == socket_url


@pytest.mark.parametrize(
    "url", ["https://pumpportal.fun/api/data", "pumpportal.fun", "ws://", "wss:/path-only"]
)
def test_a_push_url_that_is_not_a_websocket_is_refused_naming_the_file(
    tmp_path: Path, url: str
) -> None:
    path = config_file(tmp_path, f'[push]\nurl = "{url}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message
    assert "push.url" in message
    assert "ws://" in message


def test_push_settings_are_type_checked_like_the_other_sections(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"push\.url should be str"):
        load_settings(config_file(tmp_path, "[push]\nurl = 1\n"), env={})
    with pytest.raises(ConfigError, match=r"unknown setting push\.socket"):
        load_settings(config_file(tmp_path, '[push]\nsocket = "x"\n'), env={})
    with pytest.raises(ConfigError, match=r"\[push\] must be a table"):
        load_settings(config_file(tmp_path, 'push = "auto"\n'), env={})


def test_an_api_key_in_the_file_is_refused_and_the_env_variable_named(tmp_path: Path) -> None:
    path = config_file(tmp_path, f'[push]\nurl = "auto"\napi_key = "{PORTAL_KEY}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message
    assert "PUMPTUI_PUSH_API_KEY" in message
    assert PORTAL_KEY not in message


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[push]\nurl = "auto"\n')
    elsewhere = load_settings(path, env={"PUMPTUI_PUSH_URL": "wss://push.example/api/data"})
    assert elsewhere.push.socket_url == "wss://push.example/api/data"
    switched_off = load_settings(path, env={"PUMPTUI_PUSH_URL": ""})
    assert not switched_off.push.enabled


def test_a_bad_push_url_in_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PUMPTUI_PUSH_URL"):
        load_settings(tmp_path / "missing.toml", env={"PUMPTUI_PUSH_URL": "http://x/api/data"})


def test_the_api_key_comes_from_the_environment_as_a_secret(tmp_path: Path) -> None:
    settings = load_settings(
        config_file(tmp_path, '[push]\nurl = "auto"\n'),
        env={"PUMPTUI_PUSH_API_KEY": PORTAL_KEY},
    )
    assert isinstance(settings.push.api_key, Secret)
    assert settings.push.key().reveal() == PORTAL_KEY
    shown = (repr(settings), str(settings.push), f"{settings.push}", repr(settings.push.key()))
    for text in shown:
        assert PORTAL_KEY not in text


def test_without_a_key_a_placeholder_is_sent(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", env={"PUMPTUI_PUSH_API_KEY": "  "})
    assert settings.push.api_key is None
    assert settings.push.key().reveal() == "pumptui"


def test_with_push_url_checks_what_the_command_line_gives() -> None:
    assert Settings().with_push_url("auto").push.url == PUSH_AUTO
    assert not Settings().with_push_url("wss://a.example").with_push_url("").push.enabled
    with pytest.raises(ValueError, match="ws://"):
        Settings().with_push_url("http://a.example")
