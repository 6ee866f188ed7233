"""`pumptui login`, `logout` and `whoami`, run as a user would, against the simulator."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from pumptui import auth
from pumptui.auth import CURRENT_ACCOUNT_KEY, SERVICE, InsecureTokenFile
from pumptui.base58 import b58encode
from pumptui.cli import main
from pumptui.secret import Secret
from pumptui.sim import SimServer
from tests.conftest import TEST_SERVER
from tests.helpers.keyrings import LockedKeyring, MemoryKeyring

# Every test on an in-memory keyring unless it installs another (tests/helpers/keyrings.py).
pytestmark = pytest.mark.usefixtures("memory_keyring")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: io.StringIO | None = None,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", stdin or io.StringIO(""))
    code = main(list(argv))
    out, err = capfd.readouterr()
    return code, out, err


def user_dirs() -> list[Path]:
    """Every directory the tests' isolated user environment may write to."""
    config_file = Path(os.environ["PUMPTUI_CONFIG"])
    return [
        config_file.parent,
        Path(os.environ["PUMPTUI_DATA_DIR"]),
        Path(os.environ["XDG_CONFIG_HOME"]),
        Path(os.environ["XDG_DATA_HOME"]),
    ]


def files_holding(text: str) -> list[Path]:
    found = {
        path.resolve()
        for root in user_dirs()
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and text.encode() in path.read_bytes()
    }
    return sorted(found)


def forged(token: str) -> str:
    header, payload, _ = token.split(".")
    return f"{header}.{payload}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def test_a_piped_token_is_checked_stored_in_the_keyring_and_never_printed(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)

    code, out, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(token + "\n"),
    )

    assert code == 0, err
    assert f"Logged in as {sim.user_address}" in out
    assert "keyring (MemoryKeyring)" in out
    assert memory_keyring.entries[(SERVICE, sim.user_address)] == token
    assert memory_keyring.entries[(SERVICE, CURRENT_ACCOUNT_KEY)] == sim.user_address
    assert token not in out + err
    assert files_holding(token) == []


def test_a_pasted_token_is_read_at_a_hidden_prompt(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)
    prompts: list[str] = []
    monkeypatch.setattr(
        "pumptui.cli.account.getpass.getpass", lambda prompt: prompts.append(prompt) or token
    )

    code, out, err = run(capfd, monkeypatch, "--api-url", sim.base_url, "login", stdin=Terminal())

    assert code == 0, err
    assert len(prompts) == 1
    assert "hidden" in prompts[0]
    assert memory_keyring.entries[(SERVICE, sim.user_address)] == token
    assert token not in out + err


def test_a_pasted_cookie_header_is_understood(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)

    code, _, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(f"auth_token={token}; Path=/; HttpOnly\n"),
    )

    assert code == 0, err
    assert memory_keyring.entries[(SERVICE, sim.user_address)] == token


def test_without_a_terminal_login_says_how_to_pass_the_token(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capfd, monkeypatch, "login", stdin=io.StringIO("ignored"))

    assert code == 2
    assert "--token-stdin" in err
    assert "--keypair" in err


def test_the_token_is_never_accepted_as_a_command_line_argument(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)

    for argv in (["login", token], ["login", "--token", token], ["login", f"--token={token}"]):
        code, out, err = run(capfd, monkeypatch, "--api-url", sim.base_url, *argv)
        assert code == 2
        assert "never taken as an argument" in err
        assert token not in out + err

    assert memory_keyring.entries == {}


def test_a_token_the_server_refuses_is_not_stored(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = forged(sim.token_for(sim.user_address))

    code, out, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(bad),
    )

    assert code == 1
    assert "refused" in err
    assert memory_keyring.entries == {}
    assert not InsecureTokenFile().exists()
    assert bad not in out + err


def test_when_the_server_is_unreachable_the_token_is_stored_unverified(
    sim_factory: object,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = sim_factory()  # type: ignore[operator]
    token = sim.token_for(sim.user_address)
    gone = sim.base_url
    sim.stop()

    code, out, err = run(
        capfd, monkeypatch, "--api-url", gone, "login", "--token-stdin", stdin=io.StringIO(token)
    )

    assert code == 0, err
    assert "unverified" in err
    # The account is read from the token's own claims.
    assert memory_keyring.entries[(SERVICE, sim.user_address)] == token
    assert token not in out + err


def test_a_token_is_never_sent_over_plain_http_to_a_remote_host(
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

    code, out, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        "http://pump.example",
        "login",
        "--token-stdin",
        stdin=io.StringIO(token),
    )

    assert code == 2
    assert "plain http" in err
    assert memory_keyring.entries == {}
    assert token not in out + err


def test_signing_in_with_a_keypair_file_stores_a_token_but_never_the_key(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keypair = tmp_path / "admin.json"
    keypair.write_text(json.dumps(list(sim.admin_keypair)))

    code, out, err = run(
        capfd, monkeypatch, "--api-url", sim.base_url, "login", "--keypair", str(keypair)
    )

    assert code == 0, err
    assert f"Logged in as {sim.admin_address}, admin" in out
    stored = memory_keyring.entries[(SERVICE, sim.admin_address)]
    assert auth.token_claims(Secret(stored)).address == sim.admin_address  # type: ignore[union-attr]
    seed = sim.admin_keypair[:32]
    for form in (json.dumps(list(seed))[1:-1], b58encode(seed), b58encode(sim.admin_keypair)):
        assert form not in out + err
        assert files_holding(form) == []
        assert all(form not in value for value in memory_keyring.entries.values())


@pytest.mark.parametrize("cookie_login", ["unrouted", "refused"])
@pytest.mark.slow
def test_a_keypair_signs_in_on_the_token_route_when_the_cookie_route_will_not(
    sim_factory: Callable[..., SimServer],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    cookie_login: str,
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login=cookie_login))
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair)))

    code, out, err = run(
        capfd, monkeypatch, "--api-url", sim.base_url, "login", "--keypair", str(keypair)
    )

    assert code == 0, err
    assert f"Logged in as {sim.user_address}" in out
    stored = memory_keyring.entries[(SERVICE, sim.user_address)]
    assert stored not in out + err
    assert files_holding(stored) == []


def test_when_both_login_routes_refuse_it_says_so_and_stores_nothing(
    sim_factory: Callable[..., SimServer],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = sim_factory(server=replace(TEST_SERVER, cookie_login="unrouted", token_login="refused"))
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair)))

    code, out, err = run(
        capfd, monkeypatch, "--api-url", sim.base_url, "login", "--keypair", str(keypair)
    )

    assert code == 1
    assert "Logged in" not in out
    assert "POST /auth/login: no such route (404)" in err
    assert "POST /auth/login/token: refused (401" in err
    assert "Privy" in err
    assert memory_keyring.entries == {}


def test_a_bad_keypair_file_is_reported_without_its_content(
    sim: SimServer,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(sim.user_keypair[:40])))

    code, out, err = run(
        capfd, monkeypatch, "--api-url", sim.base_url, "login", "--keypair", str(keypair)
    )

    assert code == 2
    assert "holds 40 numbers" in err
    assert str(sim.user_keypair[5]) + ", " + str(sim.user_keypair[6]) not in out + err


def test_without_a_usable_keyring_login_refuses_and_lists_the_options(
    sim: SimServer,
    fail_keyring: object,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)

    code, _out, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(token),
    )

    assert code == 1
    for option in ("PUMPTUI_TOKEN", "unlock", "--insecure-storage"):
        assert option in err
    assert not InsecureTokenFile().exists()
    assert files_holding(token) == []


def test_insecure_storage_is_an_explicit_private_file_with_a_warning_each_time(
    sim: SimServer,
    fail_keyring: object,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)

    code, out, err = run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        "--insecure-storage",
        stdin=io.StringIO(token),
    )
    path = InsecureTokenFile().path
    who_code, who_out, who_err = run(capfd, monkeypatch, "whoami", "--api-url", sim.base_url)

    assert code == 0, err
    assert "warning" in err
    assert "plain text" in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert files_holding(token) == [path.resolve()]
    assert who_code == 0
    assert f"from insecure file {path}" in who_out
    assert "warning" in who_err
    assert token not in out + err + who_out + who_err


def test_the_plain_text_file_is_said_in_one_line_once_by_whoami_and_logout(
    sim: SimServer,
    fail_keyring: object,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    InsecureTokenFile().save(Secret(sim.token_for(sim.user_address)), sim.user_address)

    who_code, _who_out, who_err = run(capfd, monkeypatch, "whoami", "--api-url", sim.base_url)
    out_code, out, out_err = run(capfd, monkeypatch, "logout", "--api-url", sim.base_url)

    assert who_code == 0
    assert who_err.count("\n") == 1, who_err  # not the keyring's options as well
    assert who_err.startswith("warning: the token is in plain text in ")
    assert out_code == 0
    assert (out + out_err).count("plain-text token file") == 1
    assert "plain text in" not in out + out_err  # the file is gone: nothing to warn about


def test_whoami_names_the_wallet_the_role_the_source_and_the_expiry(
    sim: SimServer, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sim.token_for(sim.admin_address, admin=True)
    monkeypatch.setenv("PUMPTUI_TOKEN", token)

    code, out, err = run(capfd, monkeypatch, "--api-url", sim.base_url, "whoami")

    assert code == 0, err
    assert f"Address:  {sim.admin_address}" in out
    assert "Admin:    yes" in out
    assert "Token:    from env PUMPTUI_TOKEN" in out
    assert "Expires:  20" in out
    assert f"confirmed by {sim.base_url}" in out
    assert token not in out + err


def test_whoami_with_a_rejected_token_says_how_to_log_in_again(
    sim: SimServer, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = forged(sim.token_for(sim.user_address))
    monkeypatch.setenv("PUMPTUI_TOKEN", token)

    code, out, err = run(capfd, monkeypatch, "--api-url", sim.base_url, "whoami")

    assert code == 1
    assert "refused by the server" in out
    assert "pumptui login" in out
    assert token not in out + err


def test_logout_forgets_the_token_and_whoami_explains_read_only_mode(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)
    run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(token),
    )

    code, out, _ = run(capfd, monkeypatch, "logout", "--api-url", sim.base_url)
    who_code, who_out, _ = run(capfd, monkeypatch, "whoami", "--api-url", sim.base_url)
    again_code, again_out, _ = run(capfd, monkeypatch, "logout", "--api-url", sim.base_url)

    assert code == 0
    assert f"Ended the session on {sim.base_url}" in out
    assert sim.call(lambda: sim.state.authority.session(token)) is None  # refused from now on
    assert f"removed the token of {sim.user_address}" in out
    assert memory_keyring.entries == {}
    assert who_code == 1
    assert "read-only" in who_out
    assert "pumptui login" in who_out
    assert "PUMPTUI_TOKEN" in who_out
    assert again_code == 0
    assert "No stored token" in again_out


def test_logout_also_removes_an_insecure_file_and_mentions_the_env_var(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    InsecureTokenFile().save(Secret("file-token-123456"), "someone")
    monkeypatch.setenv("PUMPTUI_TOKEN", "env-token-123456")

    # Nothing listens on port 9: the server cannot be told, the token is forgotten anyway.
    code, out, err = run(capfd, monkeypatch, "logout", "--api-url", "http://127.0.0.1:9")

    assert code == 0
    assert "could not end the session on the server" in err
    assert "file-token-123456" not in out + err
    assert "plain-text token file" in out
    assert not InsecureTokenFile().exists()
    assert "PUMPTUI_TOKEN is still set" in err


def test_logout_local_only_forgets_the_token_here(
    sim: SimServer,
    memory_keyring: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sim.token_for(sim.user_address)
    run(
        capfd,
        monkeypatch,
        "--api-url",
        sim.base_url,
        "login",
        "--token-stdin",
        stdin=io.StringIO(token),
    )

    code, out, _ = run(capfd, monkeypatch, "logout", "--local", "--api-url", sim.base_url)

    assert code == 0
    assert "Ended the session" not in out
    assert memory_keyring.entries == {}
    assert sim.call(lambda: sim.state.authority.session(token)) is not None


def test_whoami_answers_promptly_when_the_keyring_hangs(
    slow_keyring: LockedKeyring,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PUMPTUI_KEYRING_TIMEOUT", "0.2")

    code, out, err = run(capfd, monkeypatch, "whoami")

    assert code == 1
    assert slow_keyring.busy == 1  # it gave up on the keyring, which is still stuck
    assert "did not answer within 0.2 s" in err
    assert "read-only" in out
