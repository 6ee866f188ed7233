"""Block explorer links: Solscan by default, any explorer by template, nothing hostile inside."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.config import ConfigError, load_settings
from pumptui.explorer import account_url, check_template, tx_url

WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
SIGNATURE = (
    "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
)


def test_solscan_is_the_default_for_wallets_and_transactions() -> None:
    assert account_url(WALLET) == f"https://solscan.io/account/{WALLET}"
    assert tx_url(SIGNATURE) == f"https://solscan.io/tx/{SIGNATURE}"


def test_another_explorer_by_its_templates() -> None:
    assert (
        account_url(WALLET, "https://explorer.solana.com/address/{address}?cluster=mainnet")
        == f"https://explorer.solana.com/address/{WALLET}?cluster=mainnet"
    )
    assert tx_url(SIGNATURE, "https://solana.fm/tx/{signature}") == (
        f"https://solana.fm/tx/{SIGNATURE}"
    )


@pytest.mark.parametrize(
    "value",
    ["", "evil.com/../x", "abc?x=1", "0OIl", f"{WALLET}/../../evil", "\x1b]8;;http://x\x07"],
)
def test_a_value_that_is_not_base58_makes_no_link(value: str) -> None:
    with pytest.raises(ValueError, match="base58"):
        account_url(value)
    with pytest.raises(ValueError, match="base58"):
        tx_url(value)


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("solscan.io/account/{address}", "http"),
        ("javascript:alert({address})", "http"),
        ("https://solscan.io/account/", "once"),
        ("https://solscan.io/{address}/{address}", "once"),
        ("https://solscan.io/account/{address}{x}", "braces"),
    ],
)
def test_a_template_is_an_http_url_with_its_placeholder_once(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        check_template(template, "{address}")


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_explorer_and_the_whale_size_come_from_the_ui_section(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml", env={}).ui.whale_sol == 5.0
    path = config_file(
        tmp_path,
        '[ui]\nwhale_sol = 2\nexplorer_account_url = "https://solana.fm/address/{address}"\n',
    )
    ui = load_settings(path, env={}).ui
    assert ui.whale_sol == 2.0
    assert account_url(WALLET, ui.explorer_account_url) == f"https://solana.fm/address/{WALLET}"
    assert tx_url(SIGNATURE, ui.explorer_tx_url) == f"https://solscan.io/tx/{SIGNATURE}"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('explorer_tx_url = "https://solscan.io/tx/"', "ui.explorer_tx_url"),
        ('explorer_account_url = "ftp://x/{address}"', "ui.explorer_account_url"),
        ("whale_sol = 0", "whale_sol must be a positive number"),
    ],
)
def test_a_bad_explorer_template_or_whale_size_is_refused(
    tmp_path: Path, line: str, problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_settings(config_file(tmp_path, f"[ui]\n{line}\n"), env={})
