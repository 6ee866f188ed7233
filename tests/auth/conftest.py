"""The auth tests: every test runs against an in-memory keyring unless it installs another one,
and the process-wide backend is restored afterwards (fixtures in tests/helpers/keyrings.py)."""

from __future__ import annotations

import pytest

from tests.helpers.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def _every_test_on_a_memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring
