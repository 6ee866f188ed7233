"""Opening the local SQLite files: WAL, private permissions, schema versions, corruption.

The social cache and the drafts are separate files on purpose: the cache can be rebuilt from
the server and may be reset freely, while drafts are the user's words and are never deleted by
a schema problem (a corrupt file is moved aside, not removed).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)


class LocalStateError(Exception):
    """The local database cannot be opened or written; the message names the file."""


def open_database(path: Path, schema: str, version: int) -> sqlite3.Connection:
    """Open (creating if needed) `path` with `schema` at `version`.

    Autocommit mode (`isolation_level=None`): every statement is its own short transaction
    unless a caller opens one with `BEGIN`; WAL with `synchronous=NORMAL` keeps a write to a few
    tens of microseconds, cheap enough for a save on every keystroke, and readers in other
    processes (a second pumptui) never block it. A file that is not a database, or that was
    written by a newer pumptui, is moved aside with a warning and a fresh one is created.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LocalStateError(f"cannot create {path.parent}: {exc.strerror}") from None
    try:
        return _open(path, schema, version)
    except sqlite3.OperationalError as exc:  # locked, unwritable, no space: not the file's fault
        raise LocalStateError(f"cannot open {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:  # not a database, malformed, or from a newer pumptui
        aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
        log.warning("%s could not be used (%s); moved aside to %s", path, exc, aside)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{path}{suffix}").replace(Path(f"{aside}{suffix}"))
        try:
            return _open(path, schema, version)
        except sqlite3.Error as again:
            raise LocalStateError(f"cannot open {path}: {again}") from None


def _open(path: Path, schema: str, version: int) -> sqlite3.Connection:
    created = not path.exists()
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    try:
        if created and os.name == "posix":
            os.chmod(path, 0o600)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        if current > version:
            raise sqlite3.DatabaseError(f"schema version {current} is newer than {version}")
        if current < version:
            connection.executescript(f"BEGIN;\n{schema}\nPRAGMA user_version={version};\nCOMMIT;")
        return connection
    except BaseException:
        connection.close()
        raise
