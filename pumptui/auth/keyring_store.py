"""Tokens in the OS keyring, and the thread machinery that keeps a keyring call from hanging us.

On headless and SSH machines the keyring is often unusable: no D-Bus (`fail` backend), a locked
collection whose unlock prompt nobody sees (the call blocks), a plaintext fallback, or an
encrypted file backend that asks for a master password with `getpass` (which deadlocks a TUI that
owns the terminal). `probe_backend` classifies the backend the way Poetry's `_check` does, and
every keyring call runs in its own daemon thread with a timeout (`call_with_timeout`), so nothing
can hang. Nothing ever falls back to plaintext silently.

Each operation has one implementation, the blocking one; its event-loop form is that same call
run by `run_off_loop`, so the loop never waits on the keyring either.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias, TypeVar

from pumptui.auth.errors import KeyringUnavailable
from pumptui.secret import Secret
from pumptui.session import UNKNOWN_ACCOUNT as SESSION_UNKNOWN_ACCOUNT

SERVICE: Final = "pumptui"
# The index entry: its value is the address of the current account. Underscores are not base58,
# so it can never collide with an account entry.
CURRENT_ACCOUNT_KEY: Final = "__current_account__"
# Used when no address is known for a token (pasted, server unreachable, not a readable JWT);
# the session files local state under the same name.
UNKNOWN_ACCOUNT: Final = SESSION_UNKNOWN_ACCOUNT
DEFAULT_KEYRING_TIMEOUT: Final = 5.0
KEYRING_TIMEOUT_ENV: Final = "PUMPTUI_KEYRING_TIMEOUT"

KEYRING_OPTIONS: Final = (
    "Options:\n"
    "  - set PUMPTUI_TOKEN in the environment (nothing is stored);\n"
    "  - make the keyring usable: on a headless/SSH machine start a session bus and unlock it,\n"
    "    e.g. `dbus-run-session -- sh`, then `echo -n PASSWORD | gnome-keyring-daemon --unlock`;\n"
    "  - or store the token in a file readable only by you (permissions 0600), explicitly:\n"
    "    `pumptui login --insecure-storage` (anyone who can read your files can use the token)."
)

T = TypeVar("T")
# What a call off the loop ended with: (True, its value) or (False, its exception).
_Settled: TypeAlias = tuple[Literal[True], T] | tuple[Literal[False], BaseException]


# -- backend probing ---------------------------------------------------------------------------


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


# -- calls with a timeout, and off the event loop ------------------------------------------------


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
    worker would be joined at shutdown). Any failure becomes `KeyringUnavailable` with the reason
    as text only: no frames, no locals, no chain.
    """
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

    thread = threading.Thread(target=target, name=f"pumptui-keyring-{what}", daemon=True)
    thread.start()
    thread.join(seconds)
    _raise_for(outcome, seconds, what)
    value: T = outcome.value  # `_raise_for` let it through: `work` returned it
    return value


async def run_off_loop(work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`work(*args, **kwargs)` in a daemon thread; the event loop awaits it without blocking.

    The async form of every blocking call in this package. Not `asyncio.to_thread`: its executor
    is joined when the loop shuts down, so a call stuck on a locked keyring would hold up the
    app's exit; a daemon thread is simply left behind. `work` must bound its own waits (every
    keyring call in it goes through `call_with_timeout`). Its exception is raised here as it was,
    outside any `except` block, so nothing is chained to it.
    """
    loop = asyncio.get_running_loop()
    finished: asyncio.Future[_Settled[T]] = loop.create_future()

    def settle(result: _Settled[T]) -> None:
        if not finished.done():  # the awaiting task may have been cancelled meanwhile
            finished.set_result(result)

    def target() -> None:
        try:
            result: _Settled[T] = (True, work(*args, **kwargs))
        except BaseException as exc:
            result = (False, exc)
        with contextlib.suppress(RuntimeError):  # the loop closed while the call was busy
            loop.call_soon_threadsafe(settle, result)

    name = getattr(work, "__name__", "call")
    threading.Thread(target=target, name=f"pumptui-auth-{name}", daemon=True).start()
    result = await finished
    if not result[0]:
        raise result[1]
    return result[1]


# -- the token store -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredToken:
    """A token as a store hands it back: the keyring, or the opted-in file."""

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

    Every method that touches the keyring gives up after `timeout` seconds with
    `KeyringUnavailable`, which is also raised (with the user's options) for an unusable or
    insecure backend, before anything is read or written. The `a*` methods are the same calls
    for the event loop (`run_off_loop`).
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

    # The calls (blocking, each in its own thread with a timeout).

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

    # The same calls for the event loop.

    async def aload(self, account: str | None = None) -> StoredToken | None:
        return await run_off_loop(self.load, account)

    async def asave(self, secret: Secret, account: str) -> str:
        return await run_off_loop(self.save, secret, account)

    async def adelete(self, account: str | None = None) -> str | None:
        return await run_off_loop(self.delete, account)


def _delete_quietly(backend: Any, name: str) -> bool:
    from keyring.errors import PasswordDeleteError

    try:
        backend.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    return True
