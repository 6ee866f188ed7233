"""Keyring backends shared by the tests that store tokens (one that works, one that hangs), and
fixtures that install one as the process's backend and restore the previous one afterwards.
The root conftest registers this module as a plugin, so any test can ask for the fixtures."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A real backend with a dict for storage."""

    # Below `fail` (0): keyring's own auto-detection and its chainer never pick these classes up
    # for tests elsewhere in the session; tests here install them explicitly.
    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError(username)
        del self.entries[(service, username)]


class LockedKeyring(MemoryKeyring):
    """Hangs like a locked collection waiting for an unlock prompt nobody sees.

    Each call blocks for up to 30 s or until `release()`; `busy` counts calls in progress, so a
    test can prove that the caller got control back while the keyring was still stuck.
    """

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()
        self.busy = 0

    def _hang(self) -> None:
        self.busy += 1
        try:
            self.released.wait(30)
        finally:
            self.busy -= 1

    def get_password(self, service: str, username: str) -> str | None:
        self._hang()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._hang()
        super().set_password(service, username, password)

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.core._keyring_backend
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous


@pytest.fixture
def slow_keyring(memory_keyring: MemoryKeyring) -> Iterator[LockedKeyring]:
    """A keyring that hangs (installed over the memory one, which restores the previous)."""
    backend = LockedKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release()  # let the abandoned worker threads finish


@pytest.fixture
def fail_keyring(memory_keyring: MemoryKeyring) -> KeyringBackend:
    from keyring.backends import fail

    backend = fail.Keyring()
    keyring.set_keyring(backend)
    return backend
