"""Logging in: asking the server whose token this is, and keeping the token where it belongs.

Getting a token is the client's job (`PumpClient.login`: a wallet signature, on whichever of
today's login routes the service still answers; `pumptui.keypair` signs with a keypair file).
This module takes it from there: `check_token` asks the server who it belongs to, `save_login`
keeps it in the keyring (or, when the user chose so, the 0600 file) and clears the other place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pumptui.auth.claims import token_claims
from pumptui.auth.errors import KeyringUnavailable
from pumptui.auth.insecure_file import InsecureTokenFile, insecure_warning
from pumptui.auth.keyring_store import UNKNOWN_ACCOUNT, TokenStore, run_off_loop
from pumptui.secret import Secret

if TYPE_CHECKING:
    from pumptui.api.client import PumpClient

LOGIN_HELP: Final = (
    "To log in: run `pumptui login` (paste a token, or `--keypair FILE` to sign in with a\n"
    "wallet), or set PUMPTUI_TOKEN in the environment for this shell."
)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """Who a token belongs to. `verified` is False when the server could not be asked
    (`problem` says why); `address` then comes from the token's own claims, if readable."""

    address: str | None
    username: str | None = None
    admin: bool | None = None
    verified: bool = False
    problem: str | None = None


async def check_token(client: PumpClient, secret: Secret) -> AccountInfo:
    """Ask the server whose token this is (`/auth/my-profile`, `/auth/is-admin`).

    The client uses `secret` from now on, unless it is refused: then the client is left with no
    token. Raises `AuthRequired` / `Forbidden` when the server refuses the token and
    `InsecureTransport` when it would travel over plain http; any other failure (offline, 5xx,
    timeout) gives an unverified `AccountInfo` instead.
    """
    from pumptui.api.errors import ApiError, AuthRequired, Forbidden, InsecureTransport

    client.set_token(secret)
    claims = token_claims(secret)
    fallback = claims.address if claims else None
    try:
        profile = await client.my_profile()
    except (AuthRequired, Forbidden, InsecureTransport):
        client.set_token(None)
        raise
    except ApiError as error:
        return AccountInfo(fallback, problem=error.message)
    admin: bool | None
    try:
        admin = await client.is_admin()
    except (AuthRequired, Forbidden):
        admin = False
    except ApiError:
        admin = None
    return AccountInfo(profile.address, profile.username, admin, verified=True)


@dataclass(frozen=True, slots=True)
class SavedToken:
    """Where `save_login` put the token (`source` as `ResolvedToken.source` will say it), plus a
    warning to show (insecure file) and notes about what else was tidied up."""

    source: str
    warning: str | None = None
    notes: tuple[str, ...] = ()


def save_login(
    secret: Secret,
    account: str | None,
    *,
    insecure: bool = False,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> SavedToken:
    """Keep the token: in the keyring, or in the 0600 file when the user chose `insecure`.

    The other place is cleared so that an old token there cannot shadow (keyring over file) or
    outlive (file under keyring) the new one. Raises `KeyringUnavailable` (with the options)
    when the keyring cannot take it, and `InsecureFileError` when the file cannot be written.
    Every keyring call runs in its own thread with the store's timeout.
    """
    store = store or TokenStore()
    file = file or InsecureTokenFile()
    name = account or UNKNOWN_ACCOUNT
    notes: list[str] = []
    if insecure:
        path = file.save(secret, name)
        try:
            if store.delete() is not None:
                notes.append("removed the older token from the OS keyring")
        except KeyringUnavailable:
            pass  # usually why the file was chosen; a stored token there was unusable anyway
        return SavedToken(f"insecure file {path}", insecure_warning(path), tuple(notes))
    backend = store.save(secret, name)
    if file.delete():
        notes.append(f"removed the plain-text token file {file.path}")
    return SavedToken(f"keyring ({backend})", None, tuple(notes))


async def asave_login(
    secret: Secret,
    account: str | None,
    *,
    insecure: bool = False,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> SavedToken:
    """`save_login` for the event loop: the loop never waits on the keyring or the file."""
    return await run_off_loop(
        save_login, secret, account, insecure=insecure, store=store, file=file
    )
