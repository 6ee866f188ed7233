"""Where the token is kept and which one wins: the keyring, the env var, the opted-in file."""

from __future__ import annotations

import asyncio
import getpass
import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError
from rich.console import Console
from rich.traceback import Traceback

from pumptui import auth
from pumptui.auth import (
    CURRENT_ACCOUNT_KEY,
    SERVICE,
    InsecureFileError,
    InsecureTokenFile,
    KeyringUnavailable,
    TokenStore,
    inspect_token,
    probe_backend,
    resolve_token,
    save_login,
    token_claims,
)
from pumptui.secret import Secret
from tests.helpers.keyrings import LockedKeyring, MemoryKeyring

ALICE = "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj"
BOB = "FgcwodK7aTtn3DgvqwPuSseKgTPcMpGmK6zdf7Ri9KXm"
TOKEN_A = "eyJhbGciOiJIUzI1NiJ9.eyJhZGRyZXNzIjoiYWxpY2UifQ.alice-signature-0001"
TOKEN_B = "eyJhbGciOiJIUzI1NiJ9.eyJhZGRyZXNzIjoiYm9iIn0.bob-signature-0002"


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's plaintext file backend."""


class EncryptedKeyring(MemoryKeyring):
    """Looks like keyrings.alt's encrypted file backend, which asks for a password."""

    def get_password(self, service: str, username: str) -> str | None:
        getpass.getpass("Please enter password for encrypted keyring: ")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        getpass.getpass("Please set a password for your new keyring: ")
        super().set_password(service, username, password)


class EchoingKeyring(MemoryKeyring):
    """A misbehaving backend whose error message repeats what it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(f"could not store {password!r} for {username}")


class ChainOf(chainer.ChainerBackend):
    """A chainer over given members (the real one discovers them from the environment)."""

    members: list[KeyringBackend] = []

    @property
    def backends(self) -> list[KeyringBackend]:  # type: ignore[override]
        return self.members


def chain(*members: KeyringBackend) -> ChainOf:
    backend = ChainOf()
    backend.members = list(members)
    return backend


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


# -- storing and finding ---------------------------------------------------------------------


def test_a_saved_token_is_found_again_with_its_account_and_backend(
    memory_keyring: MemoryKeyring,
) -> None:
    TokenStore().save(Secret(TOKEN_A), ALICE)

    resolved = resolve_token(env={})

    assert resolved is not None
    assert resolved.secret == Secret(TOKEN_A)
    assert resolved.account == ALICE
    assert resolved.source == "keyring (MemoryKeyring)"
    assert resolved.warning is None


def test_the_keyring_holds_one_entry_per_account_and_an_index_not_a_file(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    store = TokenStore()
    store.save(Secret(TOKEN_A), ALICE)
    store.save(Secret(TOKEN_B), BOB)

    assert memory_keyring.entries == {
        (SERVICE, ALICE): TOKEN_A,
        (SERVICE, BOB): TOKEN_B,
        (SERVICE, CURRENT_ACCOUNT_KEY): BOB,
    }
    assert store.load().account == BOB  # type: ignore[union-attr]
    assert store.load(ALICE).secret == Secret(TOKEN_A)  # type: ignore[union-attr]
    data_dir = Path(os.environ["PUMPTUI_DATA_DIR"])
    assert not any(TOKEN_B in p.read_text(errors="ignore") for p in files_under(data_dir))


def test_logout_deletes_the_current_account_and_the_index(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    store.save(Secret(TOKEN_A), ALICE)
    store.save(Secret(TOKEN_B), BOB)

    assert store.delete() == BOB

    assert (SERVICE, BOB) not in memory_keyring.entries
    assert (SERVICE, CURRENT_ACCOUNT_KEY) not in memory_keyring.entries
    assert (SERVICE, ALICE) in memory_keyring.entries  # another account is not touched
    assert resolve_token(env={}) is None
    assert store.delete() is None


# -- precedence ----------------------------------------------------------------------------------


def test_the_env_var_wins_over_the_keyring_which_wins_over_the_insecure_file() -> None:
    InsecureTokenFile().save(Secret("file-token-1234"), BOB)
    TokenStore().save(Secret(TOKEN_A), ALICE)

    from_env = resolve_token(env={"PUMPTUI_TOKEN": f"  {TOKEN_B}\n"})
    from_keyring = resolve_token(env={})
    TokenStore().delete()
    from_file = resolve_token(env={})

    assert from_env is not None
    assert from_env.secret == Secret(TOKEN_B)
    assert from_env.source == "env PUMPTUI_TOKEN"
    assert from_keyring is not None
    assert from_keyring.secret == Secret(TOKEN_A)
    assert from_file is not None
    assert from_file.secret == Secret("file-token-1234")
    assert from_file.source.startswith("insecure file ")
    assert from_file.account == BOB


def test_with_nothing_stored_it_is_read_only_mode() -> None:
    report = inspect_token(env={"PUMPTUI_TOKEN": "   "})

    assert report.resolved is None
    assert report.notes == ()


def test_the_insecure_file_warns_every_time_it_is_used() -> None:
    path = InsecureTokenFile().save(Secret(TOKEN_A), ALICE)

    first = resolve_token(env={})
    second = resolve_token(env={})

    for resolved in (first, second):
        assert resolved is not None
        assert resolved.warning is not None
        assert str(path) in resolved.warning
        assert "plain text" in resolved.warning


def test_the_insecure_file_is_private_from_the_first_byte(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        path = InsecureTokenFile(tmp_path / "deep" / "token.json").save(Secret(TOKEN_A), ALICE)
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["token.json"]  # no temp file left


def test_an_insecure_file_others_can_read_is_refused_not_used() -> None:
    file = InsecureTokenFile()
    file.save(Secret(TOKEN_A), ALICE)
    file.path.chmod(0o644)

    report = inspect_token(env={})

    assert report.resolved is None
    assert any("chmod 600" in note for note in report.notes)
    with pytest.raises(InsecureFileError):
        file.load()


# -- unusable and insecure backends ---------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no keyring backend"),
        (null.Keyring(), "disabled"),
        (PlaintextKeyring(), "plain text"),
        (EncryptedKeyring(), "master password"),
        (chain(), "no real backend"),
        (chain(fail.Keyring(), null.Keyring()), "no real backend"),
        (chain(MemoryKeyring(), PlaintextKeyring()), "plain text"),
    ],
    ids=["fail", "null", "plaintext", "encrypted", "empty-chain", "chain-of-nothing", "chain"],
)
def test_unusable_or_insecure_backends_are_recognised(backend: KeyringBackend, reason: str) -> None:
    status = probe_backend(backend)

    assert not status.usable
    assert reason in (status.problem or "")


def test_a_real_backend_or_a_chain_of_real_ones_is_usable() -> None:
    assert probe_backend(MemoryKeyring()).usable
    assert probe_backend(chain(MemoryKeyring(), MemoryKeyring())).usable


def test_without_a_keyring_saving_is_refused_with_every_way_out(fail_keyring: object) -> None:
    with pytest.raises(KeyringUnavailable) as refused:
        save_login(Secret(TOKEN_A), ALICE)

    message = str(refused.value)
    assert "no keyring backend" in message
    for option in ("PUMPTUI_TOKEN", "unlock", "--insecure-storage", "0600"):
        assert option in message
    assert not InsecureTokenFile().exists()  # never a silent plaintext fallback


def test_a_plaintext_backend_is_never_written_to() -> None:
    plaintext = PlaintextKeyring()
    keyring.set_keyring(plaintext)

    with pytest.raises(KeyringUnavailable, match="plain text"):
        TokenStore().save(Secret(TOKEN_A), ALICE)

    assert plaintext.entries == {}


def test_a_backend_that_prompts_with_getpass_is_never_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or "pw")
    keyring.set_keyring(EncryptedKeyring())

    report = inspect_token(env={})
    with pytest.raises(KeyringUnavailable):
        TokenStore().save(Secret(TOKEN_A), ALICE)

    assert prompts == []
    assert report.resolved is None
    assert any("master password" in note for note in report.notes)


def test_an_unusable_keyring_does_not_stop_resolution(fail_keyring: object) -> None:
    InsecureTokenFile().save(Secret(TOKEN_A), ALICE)

    report = inspect_token(env={})

    assert report.resolved is not None
    assert report.resolved.secret == Secret(TOKEN_A)
    assert any("no keyring backend" in note for note in report.notes)
    assert resolve_token(env={"PUMPTUI_TOKEN": TOKEN_B}).secret == Secret(TOKEN_B)  # type: ignore[union-attr]


# -- a keyring that hangs ------------------------------------------------------------------


def test_a_hung_keyring_gives_control_back_while_it_is_still_stuck(
    slow_keyring: LockedKeyring,
) -> None:
    store = TokenStore(timeout=0.2)

    with pytest.raises(KeyringUnavailable, match=r"did not answer within 0\.2 s") as hung:
        store.load()

    assert slow_keyring.busy == 1  # the keyring call is still blocked; we are not
    assert "PUMPTUI_TOKEN" in str(hung.value)


def test_resolution_with_a_hung_keyring_falls_through_with_a_note(
    slow_keyring: LockedKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_KEYRING_TIMEOUT", "0.2")

    report = inspect_token(env={})

    assert report.resolved is None
    assert any("did not answer" in note for note in report.notes)


async def test_the_event_loop_keeps_running_while_the_keyring_hangs(
    slow_keyring: LockedKeyring,
) -> None:
    store = TokenStore(timeout=0.3)
    ticks_during_call = 0

    async def ui_ticks() -> None:
        nonlocal ticks_during_call
        while True:
            await asyncio.sleep(0.01)
            if slow_keyring.busy:
                ticks_during_call += 1

    ticker = asyncio.create_task(ui_ticks())
    try:
        with pytest.raises(KeyringUnavailable):
            await store.aload()
    finally:
        ticker.cancel()

    assert ticks_during_call > 0  # the loop ran other work while the keyring was blocked
    assert slow_keyring.busy == 1


async def test_async_save_and_load_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()

    saved = await auth.asave_login(Secret(TOKEN_A), ALICE, store=store)
    resolved = await auth.aresolve_token(env={})

    assert saved.source == "keyring (MemoryKeyring)"
    assert resolved is not None
    assert resolved.secret == Secret(TOKEN_A)
    assert await store.adelete() == ALICE


# -- never leaking ---------------------------------------------------------------------------


def test_keyring_errors_never_carry_the_token() -> None:
    keyring.set_keyring(EchoingKeyring())

    with pytest.raises(KeyringUnavailable) as failed:
        TokenStore().save(Secret(TOKEN_A), ALICE)

    console = Console(record=True, width=200)
    console.print(
        Traceback.from_exception(
            type(failed.value), failed.value, failed.value.__traceback__, show_locals=True
        )
    )
    shown = console.export_text()
    assert "KeyringError" in str(failed.value)  # the reason is kept...
    assert TOKEN_A not in str(failed.value)  # ...but not the token
    assert TOKEN_A not in shown
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None


async def test_keyring_errors_off_the_event_loop_never_carry_the_token_either() -> None:
    keyring.set_keyring(EchoingKeyring())

    with pytest.raises(KeyringUnavailable) as failed:
        await auth.asave_login(Secret(TOKEN_A), ALICE)

    console = Console(record=True, width=200)
    console.print(
        Traceback.from_exception(
            type(failed.value), failed.value, failed.value.__traceback__, show_locals=True
        )
    )
    assert "KeyringError" in str(failed.value)
    assert TOKEN_A not in console.export_text()
    assert failed.value.__cause__ is None
    assert failed.value.__context__ is None


def test_switching_to_the_keyring_removes_an_older_plaintext_file() -> None:
    save_login(Secret(TOKEN_A), ALICE, insecure=True)

    saved = save_login(Secret(TOKEN_B), BOB)

    assert not InsecureTokenFile().exists()
    assert any("plain-text token file" in note for note in saved.notes)
    assert resolve_token(env={}).secret == Secret(TOKEN_B)  # type: ignore[union-attr]


def test_choosing_the_file_clears_the_keyring_entry_that_would_shadow_it() -> None:
    save_login(Secret(TOKEN_A), ALICE)

    saved = save_login(Secret(TOKEN_B), BOB, insecure=True)

    resolved = resolve_token(env={})
    assert resolved is not None
    assert resolved.secret == Secret(TOKEN_B)
    assert saved.warning is not None
    assert "plain text" in saved.warning


# -- reading a JWT --------------------------------------------------------------------------


def jwt(payload: str) -> Secret:
    import base64

    body = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    return Secret(f"eyJhbGciOiJIUzI1NiJ9.{body}.c2lnbmF0dXJl")


def test_claims_name_the_address_and_expiry_without_verifying() -> None:
    claims = token_claims(jwt(f'{{"address": "{ALICE}", "exp": 1900000000, "iat": 1}}'))

    assert claims is not None
    assert claims.address == ALICE
    assert claims.expires_at == 1900000000
    assert not claims.expired(now=1800000000)
    assert claims.expired(now=1900000001)


@pytest.mark.parametrize(
    "token",
    [Secret("not-a-jwt"), Secret("a.b.c"), Secret("a.!!!.c"), jwt("[1, 2]")],
    ids=["opaque", "bad-base64", "not-base64", "not-an-object"],
)
def test_tokens_that_are_not_readable_jwts_have_no_claims(token: Secret) -> None:
    assert token_claims(token) is None


def test_a_claimed_address_that_is_not_a_wallet_is_ignored() -> None:
    claims = token_claims(jwt('{"address": "\\u001b[31mevil", "exp": "soon"}'))

    assert claims is not None
    assert claims.address is None
    assert claims.expires_at is None
