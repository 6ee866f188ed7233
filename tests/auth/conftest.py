"""Keyring backends for the auth tests: every test runs against an in-memory keyring unless it
installs another one, and the process-wide backend is restored afterwards."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend

from tests.keyrings import MemoryKeyring


class SlowKeyring(MemoryKeyring):
    """A keyring that hangs like a locked collection waiting for an unseen unlock prompt.

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


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.core._keyring_backend
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.core._keyring_backend = previous


@pytest.fixture
def slow_keyring() -> Iterator[SlowKeyring]:
    backend = SlowKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release()  # let the abandoned worker threads finish


@pytest.fixture
def fail_keyring() -> KeyringBackend:
    from keyring.backends import fail

    backend = fail.Keyring()
    keyring.set_keyring(backend)
    return backend
