"""Where the auth token lives, and which one is used: env var, OS keyring, or an opted-in file.

Precedence (first wins): `PUMPTUI_TOKEN`, then the OS keyring (service `pumptui`, one entry per
account address plus a small index entry naming the current account), then the
`--insecure-storage` file (only when it exists, with a warning every time), then none: read-only
mode.

Why so careful:
- On headless and SSH machines the keyring is often unusable: no D-Bus (`fail` backend), a
  locked collection whose unlock prompt nobody sees (the call blocks), a plaintext fallback, or
  an encrypted file backend that asks for a master password with `getpass` (which deadlocks a
  TUI that owns the terminal). `probe_backend` classifies the backend the way Poetry's `_check`
  does, and every keyring call runs in its own daemon thread with a timeout, so nothing can hang.
  Nothing ever falls back to plaintext silently.
- Tokens are held as `Secret` everywhere; `reveal()` happens only inside the thread that hands the
  value to the keyring, or when writing the opted-in file. Errors raised here carry no token and
  no chained exception whose frames could hold one (Textual prints locals in crash tracebacks).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from pumptui import config
from pumptui.base58 import is_pubkey
from pumptui.secret import Secret

if TYPE_CHECKING:
    from pumptui.api.client import PumpClient

log = logging.getLogger(__name__)

SERVICE: Final = "pumptui"
TOKEN_ENV: Final = "PUMPTUI_TOKEN"
# The index entry: its value is the address of the current account. Underscores are not base58,
# so it can never collide with an account entry.
CURRENT_ACCOUNT_KEY: Final = "__current_account__"
# Used when no address is known for a token (pasted, server unreachable, not a readable JWT).
UNKNOWN_ACCOUNT: Final = "default"
INSECURE_FILE_NAME: Final = "token-insecure.json"
DEFAULT_KEYRING_TIMEOUT: Final = 5.0
KEYRING_TIMEOUT_ENV: Final = "PUMPTUI_KEYRING_TIMEOUT"

LOGIN_HELP: Final = (
    "To log in: run `pumptui login` (paste a token, or `--keypair FILE` to sign in with a\n"
    "wallet), or set PUMPTUI_TOKEN in the environment for this shell."
)

T = TypeVar("T")


class AuthError(Exception):
    """Base of the errors of this module; messages are safe to show and never hold a token."""


class KeyringUnavailable(AuthError):
    """The keyring cannot be used right now (no backend, locked, timed out, insecure, failed).

    `str()` is a full explanation with the options the user has.
    """


class InsecureFileError(AuthError):
    """The `--insecure-storage` file exists but cannot be used (bad permissions, unreadable)."""


# -- backend probing ---------------------------------------------------------------------------

KEYRING_OPTIONS: Final = (
    "Options:\n"
    "  - set PUMPTUI_TOKEN in the environment (nothing is stored);\n"
    "  - make the keyring usable: on a headless/SSH machine start a session bus and unlock it,\n"
    "    e.g. `dbus-run-session -- sh`, then `echo -n PASSWORD | gnome-keyring-daemon --unlock`;\n"
    "  - or store the token in a file readable only by you (permissions 0600), explicitly:\n"
    "    `pumptui login --insecure-storage` (anyone who can read your files can use the token)."
)


@dataclass(frozen=True, slots=True)
class BackendStatus:
    """What we think of a keyring backend.

    `usable` means tokens may be stored there; `problem` says why not (None when usable).
    """

    name: str
    usable: bool
    problem: str | None = None

    def explain(self) -> str:
        """A message for the user: the problem and every way out of it."""
        if self.usable:
            return f"keyring backend {self.name} is usable"
        return f"The OS keyring cannot hold the token: {self.problem}.\n{KEYRING_OPTIONS}"


def backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _short_name(backend: Any) -> str:
    """`SecretService`, `macOS`, `Windows`, ...: for "keyring (<backend>)" source labels."""
    cls = type(backend)
    module = cls.__module__.rsplit(".", 1)[-1]
    return module if cls.__name__ == "Keyring" else cls.__name__


def probe_backend(backend: Any) -> BackendStatus:
    """Classify a backend without calling it (Poetry's `_check`, plus the getpass trap).

    Unusable: `fail` (no backend, e.g. no D-Bus), `null` (disabled), a chainer with nothing real
    to chain. Insecure: anything plaintext, and encrypted file backends that ask for a master
    password with `getpass` (that prompt would deadlock the TUI). A chainer is judged by all of
    its members, because its writes fall through to the next member when the first fails.
    """
    from keyring.backends import fail, null
    from keyring.backends.chainer import ChainerBackend

    name = backend_name(backend)
    lowered = name.lower()
    if isinstance(backend, fail.Keyring):
        return BackendStatus(
            name, False, "no keyring backend is available (no D-Bus session or Secret Service?)"
        )
    if isinstance(backend, null.Keyring):
        return BackendStatus(name, False, "the keyring is disabled (null backend)")
    if "plaintext" in lowered:
        return BackendStatus(name, False, f"{name} stores secrets in plain text")
    if "encrypted" in lowered or "cryptfile" in lowered:
        return BackendStatus(
            name,
            False,
            f"{name} asks for a master password on the terminal, which cannot work here",
        )
    if isinstance(backend, ChainerBackend) or "chainer" in lowered:
        members = list(getattr(backend, "backends", ()) or ())
        real = [m for m in members if not isinstance(m, (fail.Keyring, null.Keyring))]
        if not real:
            return BackendStatus(name, False, "the keyring chainer has no real backend to use")
        for member in real:
            verdict = probe_backend(member)
            if not verdict.usable:
                return BackendStatus(name, False, f"it would fall back to: {verdict.problem}")
        return BackendStatus(name, True)
    return BackendStatus(name, True)


# -- calls with a timeout ----------------------------------------------------------------------


@dataclass(slots=True)
class _Outcome:
    value: Any = None
    problem: str | None = None
    refusal: str | None = None
    done: bool = False


class _Refused(Exception):
    """Raised inside the worker thread when the backend must not hold a token."""


def _describe_failure(exc: BaseException, redact: Secret | None) -> str:
    """A short reason from a keyring exception. Only the message of known keyring errors is
    kept (they describe the backend, e.g. "Secret Service daemon is neither running ..."), with
    the token cut out should a backend ever echo it; the text of anything else is dropped."""
    kind = type(exc).__name__
    module = type(exc).__module__ or ""
    if not module.startswith(("keyring", "secretstorage", "jeepney", "dbus")):
        return kind
    text = " ".join(str(exc).split())
    if redact is not None:
        text = text.replace(redact.reveal(), "********")
    text = text[:300]
    return f"{kind}: {text}" if text else kind


def _run_in_thread(
    work: Callable[[], Any],
    what: str,
    redact: Secret | None,
    on_done: Callable[[], None] | None,
) -> tuple[threading.Thread, _Outcome]:
    outcome = _Outcome()

    def target() -> None:
        try:
            outcome.value = work()
        except _Refused as exc:
            outcome.refusal = str(exc)
        except BaseException as exc:  # kept as text only: no frames, no locals, no chain
            outcome.problem = _describe_failure(exc, redact)
        finally:
            outcome.done = True
            if on_done is not None:
                on_done()

    thread = threading.Thread(target=target, name=f"pumptui-keyring-{what}", daemon=True)
    thread.start()
    return thread, outcome


def _raise_for(outcome: _Outcome, timeout: float, what: str) -> None:
    """Raised outside any `except` block, so the error has no context chain to print."""
    if not outcome.done:
        raise KeyringUnavailable(
            f"The OS keyring did not answer within {timeout:g} s while trying to {what} "
            f"(a locked collection waiting for a password prompt nobody can see?).\n"
            f"{KEYRING_OPTIONS}"
        )
    if outcome.refusal is not None:
        raise KeyringUnavailable(outcome.refusal)
    if outcome.problem is not None:
        raise KeyringUnavailable(
            f"The OS keyring failed to {what}: {outcome.problem}.\n{KEYRING_OPTIONS}"
        )


def call_with_timeout(
    work: Callable[[], T], *, seconds: float, what: str, redact: Secret | None = None
) -> T:
    """Run a keyring operation in a daemon thread; give up after `seconds`.

    A thread + `join(timeout)` rather than an executor: a blocked keyring call can never be
    cancelled, and a daemon thread abandoned here does not hold up interpreter exit (an executor's
    worker would be joined at shutdown).
    """
    thread, outcome = _run_in_thread(work, what, redact, None)
    thread.join(seconds)
    _raise_for(outcome, seconds, what)
    return outcome.value  # type: ignore[no-any-return]


async def acall_with_timeout(
    work: Callable[[], T], *, seconds: float, what: str, redact: Secret | None = None
) -> T:
    """The event-loop variant of `call_with_timeout`: the loop never waits on the keyring.

    Not `asyncio.to_thread`: its executor is joined when the loop shuts down, so a keyring call
    stuck on a locked collection would hang the app's exit. A daemon thread resolves a future.
    """
    loop = asyncio.get_running_loop()
    finished: asyncio.Future[None] = loop.create_future()

    def settle() -> None:
        if not finished.done():
            finished.set_result(None)

    def on_done() -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed while the keyring was busy
            loop.call_soon_threadsafe(settle)

    _, outcome = _run_in_thread(work, what, redact, on_done)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(finished), seconds)
    _raise_for(outcome, seconds, what)
    return outcome.value  # type: ignore[no-any-return]


# -- the token store -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredToken:
    secret: Secret
    account: str
    backend: str


def keyring_timeout(env: Mapping[str, str] | None = None) -> float:
    """Seconds to wait for the keyring: `PUMPTUI_KEYRING_TIMEOUT`, else 5 (a slow keychain may
    need more; a locked collection never answers at all)."""
    raw = (os.environ if env is None else env).get(KEYRING_TIMEOUT_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_KEYRING_TIMEOUT
    return value if 0 < value < 3600 else DEFAULT_KEYRING_TIMEOUT


class TokenStore:
    """Tokens in the OS keyring, one entry per account, plus an entry naming the current one.

    Every method that touches the keyring has a sync form (CLI) and an async form (`a*`, TUI);
    both give up after `timeout` seconds with `KeyringUnavailable`, which is also raised (with
    the user's options) for an unusable or insecure backend, before anything is read or written.
    """

    def __init__(self, backend: Any | None = None, *, timeout: float | None = None) -> None:
        self._backend = backend
        self.timeout = keyring_timeout() if timeout is None else timeout

    def _keyring(self) -> Any:
        """The backend; `keyring.get_keyring()` can itself probe D-Bus, so this runs in a thread."""
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    # The operations, run in the worker thread.

    def _status_work(self) -> BackendStatus:
        return probe_backend(self._keyring())

    def _usable_keyring(self) -> Any:
        """The backend, or `_Refused` with the explanation: an insecure backend is not even read
        (an encrypted file backend would prompt with getpass; a plaintext one is not ours)."""
        backend = self._keyring()
        status = probe_backend(backend)
        if not status.usable:
            raise _Refused(status.explain())
        return backend

    def _load_work(self, account: str | None) -> StoredToken | None:
        backend = self._usable_keyring()
        name = account or backend.get_password(SERVICE, CURRENT_ACCOUNT_KEY)
        if not name:
            return None
        value = backend.get_password(SERVICE, name)
        if not value or not value.strip():
            return None
        return StoredToken(Secret(value), name, _short_name(backend))

    def _save_work(self, secret: Secret, account: str) -> str:
        backend = self._usable_keyring()
        backend.set_password(SERVICE, account, secret.reveal())
        backend.set_password(SERVICE, CURRENT_ACCOUNT_KEY, account)
        return _short_name(backend)

    def _delete_work(self, account: str | None) -> str | None:
        backend = self._usable_keyring()
        current = backend.get_password(SERVICE, CURRENT_ACCOUNT_KEY)
        name = account or current
        if not name:
            return None
        deleted = _delete_quietly(backend, name)
        if current == name:
            _delete_quietly(backend, CURRENT_ACCOUNT_KEY)
        return name if deleted else None

    # Sync API.

    def status(self) -> BackendStatus:
        """Probe the backend (in a thread: finding the backend may talk to D-Bus)."""
        return call_with_timeout(self._status_work, seconds=self.timeout, what="find a backend")

    def load(self, account: str | None = None) -> StoredToken | None:
        """The token of `account`, or of the current account; None when there is none."""
        return call_with_timeout(
            lambda: self._load_work(account), seconds=self.timeout, what="read the token"
        )

    def save(self, secret: Secret, account: str) -> str:
        """Store the token and make `account` current; returns the backend's short name.

        Refuses (KeyringUnavailable, with the options) an unusable or insecure backend.
        """
        return call_with_timeout(
            lambda: self._save_work(secret, account),
            seconds=self.timeout,
            what="store the token",
            redact=secret,
        )

    def delete(self, account: str | None = None) -> str | None:
        """Delete the entry of `account` (default: current); returns the account deleted."""
        return call_with_timeout(
            lambda: self._delete_work(account), seconds=self.timeout, what="delete the token"
        )

    # Async API (never blocks the event loop).

    async def astatus(self) -> BackendStatus:
        return await acall_with_timeout(
            self._status_work, seconds=self.timeout, what="find a backend"
        )

    async def aload(self, account: str | None = None) -> StoredToken | None:
        return await acall_with_timeout(
            lambda: self._load_work(account), seconds=self.timeout, what="read the token"
        )

    async def asave(self, secret: Secret, account: str) -> str:
        return await acall_with_timeout(
            lambda: self._save_work(secret, account),
            seconds=self.timeout,
            what="store the token",
            redact=secret,
        )

    async def adelete(self, account: str | None = None) -> str | None:
        return await acall_with_timeout(
            lambda: self._delete_work(account), seconds=self.timeout, what="delete the token"
        )


def _delete_quietly(backend: Any, name: str) -> bool:
    from keyring.errors import PasswordDeleteError

    try:
        backend.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    return True


# -- the opted-in file --------------------------------------------------------------------------


def insecure_file_path() -> Path:
    return config.data_dir() / INSECURE_FILE_NAME


def insecure_warning(path: Path) -> str:
    return (
        f"warning: using the token stored in plain text in {path} (--insecure-storage); "
        "anyone who can read your files can use it. Prefer the OS keyring or PUMPTUI_TOKEN."
    )


class InsecureTokenFile:
    """The explicit `--insecure-storage` store: a JSON file with mode 0600.

    Used only when the user asked for it at login; read later only if it exists, and every use
    comes with a warning. A file that others can read is refused, as ssh refuses such keys.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or insecure_file_path()

    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> StoredToken | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InsecureFileError(f"cannot read {self.path}: {exc.strerror}") from None
        if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InsecureFileError(
                f"{self.path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o}); "
                f"refusing to use it. Run `chmod 600 {self.path}` or `pumptui logout`."
            )
        stored = _read_token_file(self.path)
        if stored is None:
            raise InsecureFileError(f"{self.path} is not a token file written by `pumptui login`")
        return stored

    def save(self, secret: Secret, account: str) -> Path:
        """Write atomically, created 0600 (never briefly readable by others).

        The encoded payload is a bytearray wiped before returning, so no frame keeps the token
        as a plain value if the write fails.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InsecureFileError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        payload = bytearray(json.dumps({"account": account, "token": secret.reveal()}).encode())
        problem: str | None = None
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                if hasattr(os, "fchmod"):  # POSIX: in case the file existed with a looser mode
                    os.fchmod(fd, 0o600)
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except OSError as exc:
            problem = exc.strerror or type(exc).__name__
        finally:
            payload[:] = bytes(len(payload))
        if problem is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise InsecureFileError(f"cannot write {self.path}: {problem}")
        return self.path

    def delete(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


# -- resolution -----------------------------------------------------------------------------


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


def _read_token_file(path: Path) -> StoredToken | None:
    """Parse the file; None when it is not ours. A separate frame, so the caller's error has no
    local holding the raw token."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        secret = Secret(data["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    account = data.get("account")
    account = account if isinstance(account, str) and account else UNKNOWN_ACCOUNT
    return StoredToken(secret, account, "insecure file")


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


def inspect_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> TokenReport:
    """Resolve with the precedence env > keyring > insecure file > none, noting each problem.

    Never raises for an unusable keyring: that is a note, and resolution goes on.
    """
    env = os.environ if env is None else env
    notes: list[str] = []
    resolved = _from_env(env)
    if resolved is not None:
        return TokenReport(resolved)
    store = store or TokenStore()
    try:
        stored = store.load()
    except KeyringUnavailable as exc:
        stored, notes = None, [str(exc)]
    return _report_after_keyring(stored, file, notes)


async def ainspect_token(
    *,
    env: Mapping[str, str] | None = None,
    store: TokenStore | None = None,
    file: InsecureTokenFile | None = None,
) -> TokenReport:
    """`inspect_token` for the event loop: the keyring read runs off the loop with a timeout."""
    env = os.environ if env is None else env
    notes: list[str] = []
    resolved = _from_env(env)
    if resolved is not None:
        return TokenReport(resolved)
    store = store or TokenStore()
    try:
        stored = await store.aload()
    except KeyringUnavailable as exc:
        stored, notes = None, [str(exc)]
    return _report_after_keyring(stored, file, notes)


def _report_after_keyring(
    stored: StoredToken | None, file: InsecureTokenFile | None, notes: list[str]
) -> TokenReport:
    """The keyring's answer wins; without one, an explicit insecure file (with its notes)."""
    if stored is not None:
        return TokenReport(
            ResolvedToken(
                stored.secret, f"keyring ({stored.backend})", _account_or_none(stored.account)
            )
        )
    resolved = _from_file(file or InsecureTokenFile(), notes)
    return TokenReport(resolved, tuple(notes))


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


# -- reading a JWT without verifying it --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a JWT says about itself. Unverified: for display (`whoami`) and expiry hints only."""

    address: str | None = None
    expires_at: float | None = None
    issued_at: float | None = None

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (
            time.time() if now is None else now
        )


_ADDRESS_CLAIMS: Final = ("address", "wallet", "publicKey", "sub", "user", "userId")


def token_claims(secret: Secret) -> TokenClaims | None:
    """Decode the payload of a JWT (no signature check); None when it is not a readable JWT."""
    if secret.reveal().count(".") != 2:
        return None
    # Only the payload segment is ever bound to a name; the signature segment never is.
    payload_b64 = secret.reveal().split(".")[1]
    try:
        padded = payload_b64 + "=" * (-len(payload_b64) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    address = next(
        (v for k in _ADDRESS_CLAIMS if isinstance(v := payload.get(k), str) and is_pubkey(v)),
        None,
    )
    return TokenClaims(address, _number(payload.get("exp")), _number(payload.get("iat")))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value > 0 else None


# -- logging in: checking a token with the server, and keeping it ------------------------------


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
    """`save_login` for the event loop: keyring calls off the loop, each with a timeout."""
    store = store or TokenStore()
    file = file or InsecureTokenFile()
    name = account or UNKNOWN_ACCOUNT
    notes: list[str] = []
    if insecure:
        path = file.save(secret, name)
        try:
            if await store.adelete() is not None:
                notes.append("removed the older token from the OS keyring")
        except KeyringUnavailable:
            pass
        return SavedToken(f"insecure file {path}", insecure_warning(path), tuple(notes))
    backend = await store.asave(secret, name)
    if file.delete():
        notes.append(f"removed the plain-text token file {file.path}")
    return SavedToken(f"keyring ({backend})", None, tuple(notes))
