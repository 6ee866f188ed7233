"""A config, option or variable that cannot work is one line on stderr and status 2, from every
entry point: the TUI (`pumptui`, `pumptui demo`), `watch`, `coins` and `doctor`. Nothing is
started, no traceback is printed, and a credential written into a URL is never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.cli import main

SECRET = "SECRET-91bc"
MINT = "7GCihgDB8fe6KNjn2MYtkzZcRjQy3t9GHdC8uHYmpump"
ENTRIES = {
    "tui": [],
    "demo": ["demo"],
    "watch": ["watch", "--coins", "--duration", "1"],
    "coins": ["coins", MINT],
    "doctor": ["doctor"],
}
# (config file text or None, options before the command, environment, what stderr says)
CASES = {
    "not-utf8": (b'[ui]\ntheme = "caf\xe9"\n', [], {}, "not UTF-8"),
    "swap-rpm-0": (b"[api]\nswap_requests_per_minute = 0\n", [], {}, "must be a positive"),
    "frontend-rpm-negative": (
        b"[api]\nfrontend_requests_per_minute = -3\n",
        [],
        {},
        "must be a positive",
    ),
    "indexer-rpm-0": (b"[api]\nindexer_requests_per_minute = 0\n", [], {}, "must be a positive"),
    "timeout-0": (b"[api]\ntimeout = 0\n", [], {}, "api.timeout must be a positive"),
    "timeout-negative": (b"[api]\ntimeout = -2\n", [], {}, "api.timeout must be a positive"),
    "frontend-rpm-option": (None, ["--frontend-rpm", "0"], {}, "--frontend-rpm must be"),
    "url-userinfo-option": (
        None,
        ["--api-url", f"http://user:{SECRET}@127.0.0.1:9"],
        {},
        "the URL holds credentials",
    ),
    "url-query-option": (
        None,
        ["--swap-url", f"http://127.0.0.1:9/?token={SECRET}"],
        {},
        "the URL holds credentials",
    ),
    "url-userinfo-env": (
        None,
        [],
        {"PUMPTUI_API_URL": f"https://{SECRET}@pump.example"},
        "the URL holds credentials",
    ),
    "url-in-file": (
        f'[api]\nchat_url = "https://u:{SECRET}@livechat.example"\n'.encode(),
        [],
        {},
        "the URL holds credentials",
    ),
    "missing-config": (None, ["--config", "/nonexistent/pumptui.toml"], {}, "does not exist"),
    "token-in-auth-section": (
        f'[auth]\ntoken = "{SECRET}"\n'.encode(),
        [],
        {},
        "a token does not belong in the config file",
    ),
}


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("case", CASES)
def test_a_config_that_cannot_work_is_one_line_and_status_2(
    case: str,
    entry: str,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, options, env, said = CASES[case]
    if text is not None:
        config = tmp_path / "config.toml"
        config.write_bytes(text)
        options = ["--config", str(config), *options]
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    status = main([*options, *ENTRIES[entry]])

    out, err = capfd.readouterr()
    assert status == 2
    assert err.count("\n") == 1, err
    assert said in err
    assert "Traceback" not in err
    assert SECRET not in out + err


@pytest.mark.parametrize("entry", ["tui", "demo"])
def test_an_unknown_keymap_id_is_refused_before_the_app_starts(
    entry: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"coins.srot" = "S"\n"coins.sort" = "o"\n', encoding="utf-8")

    status = main(["--config", str(config), *ENTRIES[entry]])

    err = capfd.readouterr().err
    assert status == 2
    assert err.count("\n") == 1, err
    assert "[keymap] has no binding 'coins.srot'" in err
    assert "coins.sort'" not in err  # a real id is not reported
