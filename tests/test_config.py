"""The `[push]` settings: off unless asked, URLs checked, the API key only ever from the env."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.config import (
    PUSH_AUTO,
    ApiSettings,
    ConfigError,
    PushSettings,
    Settings,
    load_settings,
)
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
        (
            "wss://pumpportal.fun/api/data",
            "wss://pumpportal.fun/api/data",
            "wss://pumpportal.fun/api/data",
        ),
        (
            "ws://127.0.0.1:8765/api/data",
            "ws://127.0.0.1:8765/api/data",
            "ws://127.0.0.1:8765/api/data",
        ),
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


# -- the API hosts (2026: v3, swap, indexer) ----------------------------------------------------


def test_the_defaults_are_the_three_live_hosts_with_a_budget_each(tmp_path: Path) -> None:
    api = load_settings(tmp_path / "missing.toml", env={}).api

    assert api.frontend_url == "https://frontend-api-v3.pump.fun"
    assert api.swap_url == "https://swap-api.pump.fun"
    assert api.indexer_url == "https://advanced-indexer.pump.fun"
    # Reference §2: swap ≤15/min in all, v3 24/min per route group, the indexer 6/min.
    assert (
        api.swap_requests_per_minute,
        api.frontend_requests_per_minute,
        api.indexer_requests_per_minute,
    ) == (15.0, 24.0, 6.0)
    assert (api.burst, api.timeout, api.max_retries, api.include_nsfw) == (3, 10.0, 4, False)


def test_one_api_url_points_all_three_hosts_at_one_server(tmp_path: Path) -> None:
    settings = load_settings(
        tmp_path / "missing.toml", env={"PUMPTUI_API_URL": "http://127.0.0.1:8765/"}
    )

    assert settings.api.frontend_url == "http://127.0.0.1:8765"
    assert settings.api.swap_url == "http://127.0.0.1:8765"
    assert settings.api.indexer_url == "http://127.0.0.1:8765"


def test_a_specific_url_wins_over_the_shared_one() -> None:
    settings = Settings().with_api_urls(
        api_url="http://127.0.0.1:1", swap_url="http://127.0.0.1:2/"
    )

    assert settings.api.frontend_url == "http://127.0.0.1:1"
    assert settings.api.swap_url == "http://127.0.0.1:2"
    assert settings.api.indexer_url == "http://127.0.0.1:1"


def test_the_chat_host_is_livechat_and_one_api_url_moves_it_too(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml", env={}).api.chat_url == (
        "https://livechat.pump.fun"
    )
    settings = load_settings(
        tmp_path / "missing.toml", env={"PUMPTUI_API_URL": "http://127.0.0.1:8765/"}
    )
    assert settings.api.chat_url == "http://127.0.0.1:8765"  # the simulator's one port
    own = Settings().with_api_urls(api_url="http://127.0.0.1:1", chat_url="http://127.0.0.1:3")
    assert own.api.chat_url == "http://127.0.0.1:3"
    config = config_file(tmp_path, '[api]\nchat_url = "https://chat.example"\n')
    assert load_settings(config, env={}).api.chat_url == "https://chat.example"


@pytest.mark.parametrize(
    ("key", "value", "replacement"),
    [
        ("advanced_url", '"https://advanced-api-v2.pump.fun"', "swap_url"),
        ("requests_per_minute", "25", "swap_requests_per_minute"),
    ],
)
def test_a_2025_api_setting_is_refused_naming_what_replaced_it(
    tmp_path: Path, key: str, value: str, replacement: str
) -> None:
    path = config_file(tmp_path, f"[api]\n{key} = {value}\n")

    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})

    assert str(path) in str(caught.value)
    assert f"api.{key}" in str(caught.value)
    assert replacement in str(caught.value)


@pytest.mark.parametrize(
    ("section", "key", "value", "why"),
    [
        ("ui", "captcha_command", '"my-solver --site pump.fun"', "captchas are not needed"),
        ("refresh", "replies_min", "5.0", "callouts_min"),
        ("refresh", "replies_max", "60", "callouts_max"),
    ],
)
def test_a_2025_social_setting_is_refused_saying_why_it_is_gone(
    tmp_path: Path, section: str, key: str, value: str, why: str
) -> None:
    path = config_file(tmp_path, f"[{section}]\n{key} = {value}\n")

    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})

    assert str(path) in str(caught.value)
    assert f"{section}.{key}" in str(caught.value)
    assert why in str(caught.value)


def test_the_old_requests_per_minute_variable_sets_the_v3_group_budget(tmp_path: Path) -> None:
    api = load_settings(tmp_path / "missing.toml", env={"PUMPTUI_REQUESTS_PER_MINUTE": "12"}).api

    assert api.frontend_requests_per_minute == 12.0
    assert api.swap_requests_per_minute == 15.0  # never raised above the Cloudflare rule


@pytest.mark.parametrize("value", ["lots", "0", "-3", "nan"])
def test_a_bad_requests_per_minute_variable_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="PUMPTUI_REQUESTS_PER_MINUTE"):
        load_settings(tmp_path / "missing.toml", env={"PUMPTUI_REQUESTS_PER_MINUTE": value})


def test_a_server_url_without_a_scheme_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"did you mean http://127\.0\.0\.1:8765"):
        load_settings(tmp_path / "missing.toml", env={"PUMPTUI_API_URL": "127.0.0.1:8765"})
    config = tmp_path / "config.toml"
    config.write_text('[api]\nswap_url = "https://swap-api.pump.fun?x=1"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no query"):
        load_settings(config, env={})


# -- what a config file may hold (issue 13 items 14 and 23) -------------------------------------


def test_the_keymap_section_is_read_from_the_file(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[keymap]\n"coins.sort" = "S"\n"coin.cycle-timeframe" = "f,F"\n')
    settings = load_settings(path, env={})
    assert settings.keymap == {"coins.sort": "S", "coin.cycle-timeframe": "f,F"}


def test_a_config_file_named_on_the_command_line_must_exist(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml", env={}).api == ApiSettings()  # the default
    with pytest.raises(ConfigError, match=r"missing\.toml: the config file does not exist"):
        load_settings(tmp_path / "missing.toml", env={}, required=True)
    with pytest.raises(ConfigError, match="is not a file"):
        load_settings(tmp_path, env={}, required=True)


def test_a_config_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[ui]\ntheme = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8") as caught:
        load_settings(path, env={})
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "line",
    [
        "swap_requests_per_minute = 0",
        "frontend_requests_per_minute = -5",
        "indexer_requests_per_minute = 0.0",
        "timeout = 0",
        "timeout = -1.5",
        "timeout = inf",
        "burst = 0",
        "max_retries = -1",
    ],
)
def test_a_budget_or_timeout_that_cannot_work_is_refused(tmp_path: Path, line: str) -> None:
    key = line.split(" ")[0]
    with pytest.raises(ConfigError, match=rf"api\.{key} must"):
        load_settings(config_file(tmp_path, f"[api]\n{line}\n"), env={})


def test_a_polling_bound_of_zero_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"refresh\.trades_min must be a positive number"):
        load_settings(config_file(tmp_path, "[refresh]\ntrades_min = 0\n"), env={})


@pytest.mark.parametrize(
    "text",
    [
        '[auth]\ntoken = "eyJsecret.in.file"\n',
        'token = "eyJsecret.in.file"\n',
        '[api]\ntoken = "eyJsecret.in.file"\n',
        '[ui]\nauth_token = "eyJsecret.in.file"\n',
    ],
    ids=["auth-section", "top-level", "api-section", "ui-section"],
)
def test_a_config_holding_a_token_is_refused_without_echoing_it(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match="a token does not belong in the config file") as caught:
        load_settings(config_file(tmp_path, text), env={})
    assert "eyJsecret" not in str(caught.value)


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown section 'keymaps'"):
        load_settings(config_file(tmp_path, '[keymaps]\n"coins.sort" = "S"\n'), env={})


@pytest.mark.parametrize(
    ("where", "url"),
    [
        ("env", "http://user:SECRET-7f3a@127.0.0.1:8765"),
        ("env", "SECRET-7f3a@127.0.0.1:8765"),
        ("env", "http://127.0.0.1:8765/?token=SECRET-7f3a"),
        ("file", "https://user:SECRET-7f3a@frontend-api-v3.pump.fun"),
        ("file", "https://frontend-api-v3.pump.fun?auth=SECRET-7f3a"),
    ],
)
def test_a_server_url_holding_credentials_is_refused_and_shown_redacted(
    tmp_path: Path, where: str, url: str
) -> None:
    if where == "env":
        path, env = tmp_path / "missing.toml", {"PUMPTUI_API_URL": url}
    else:
        path, env = config_file(tmp_path, f'[api]\nfrontend_url = "{url}"\n'), {}
    with pytest.raises(ConfigError, match="the URL holds credentials") as caught:
        load_settings(path, env=env)
    assert "SECRET-7f3a" not in str(caught.value)
    assert "***" in str(caught.value)
