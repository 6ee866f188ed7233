"""Which token is used: `PUMPTUI_TOKEN`, else the OS keyring, else the opted-in file, else none.

Resolution never fails for an unusable keyring or a refused file: each problem becomes a note
(`TokenReport.notes`, shown by `whoami` and `doctor`) and resolution goes on down the list.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from pumptui.auth.claims import token_claims
from pumptui.auth.errors import InsecureFileError, KeyringUnavailable
from pumptui.auth.insecure_file import InsecureTokenFile, insecure_warning
from pumptui.auth.keyring_store import UNKNOWN_ACCOUNT, TokenStore, run_off_loop
from pumptui.secret import Secret

log = logging.getLogger(__name__)

TOKEN_ENV: Final = "PUMPTUI_TOKEN"


@dataclass(frozen=True, slots=True)
class ResolvedToken:
    """The token to use, and where it came from (for `whoami` and the status bar).

    `source` is one of "env PUMPTUI_TOKEN", "keyring (<backend>)", "insecure file <path>".
    `warning` is set when the user must be told something every time (the insecure file).
    """

    secret: Secret
    source: str
    account: str | None = None
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class TokenReport:
    """The outcome of resolution plus what went wrong on the way (shown by `whoami`)."""

    resolved: ResolvedToken | None
    notes: tuple[str, ...] = field(default=())


def inspect_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> TokenReport:
    """Resolve with the precedence env > keyring > insecure file > none, noting each problem.

    Never raises for an unusable keyring: that is a note, and resolution goes on. The keyring
    read runs in its own thread with the store's timeout.
    """
    env = os.environ if env is None else env
    resolved = _from_env(env)
    if resolved is not None:
        return TokenReport(resolved)
    notes: list[str] = []
    try:
        stored = (store or TokenStore()).load()
    except KeyringUnavailable as exc:
        stored, notes = None, [str(exc)]
    if stored is not None:
        return TokenReport(
            ResolvedToken(
                stored.secret, f"keyring ({stored.backend})", _account_or_none(stored.account)
            )
        )
    resolved = _from_file(file or InsecureTokenFile(), notes)
    return TokenReport(resolved, tuple(notes))


async def ainspect_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> TokenReport:
    """`inspect_token` for the event loop: the loop never waits on the keyring or the file."""
    return await run_off_loop(inspect_token, env=env, store=store, file=file)


def resolve_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> ResolvedToken | None:
    """The token to use, or None for read-only mode. See `inspect_token` for the reasons."""
    return inspect_token(env=env, store=store, file=file).resolved


async def aresolve_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> ResolvedToken | None:
    return (await ainspect_token(env=env, store=store, file=file)).resolved


def _from_env(env: Mapping[str, str]) -> ResolvedToken | None:
    if not env.get(TOKEN_ENV, "").strip():
        return None
    secret = Secret(env[TOKEN_ENV])
    claims = token_claims(secret)
    return ResolvedToken(secret, f"env {TOKEN_ENV}", claims.address if claims else None)


def _from_file(file: InsecureTokenFile, notes: list[str]) -> ResolvedToken | None:
    try:
        stored = file.load()
    except InsecureFileError as exc:
        notes.append(str(exc))
        return None
    if stored is None:
        return None
    warning = insecure_warning(file.path)
    log.info("%s", warning)
    return ResolvedToken(
        stored.secret, f"insecure file {file.path}", _account_or_none(stored.account), warning
    )


def _account_or_none(account: str) -> str | None:
    return None if account == UNKNOWN_ACCOUNT else account
