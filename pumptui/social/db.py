"""Opening the local SQLite files: WAL, private permissions, schema versions, damage, no disk.

The social cache and the drafts are separate files on purpose: the cache can be rebuilt from
the server and may be reset freely, while drafts are the user's words and are never deleted by
a schema problem or a damaged page (the file is moved aside, not removed).

What happened on the way is part of the answer (`LocalDatabase.notice`): a file moved aside or
a store that lives in memory only must be said on screen, not only logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


class LocalStateError(Exception):
    """The local database cannot be opened or written; the message names the file."""


@dataclass(frozen=True, slots=True)
class LocalDatabase:
    """An open connection, the file behind it (None: in memory only) and what to tell the user."""

    connection: sqlite3.Connection
    path: Path | None
    notice: str | None = None


def open_database(path: Path, schema: str, version: int) -> LocalDatabase:
    """Open (creating if needed) `path` with `schema` at `version`.

    Autocommit mode (`isolation_level=None`): every statement is its own short transaction
    unless a caller opens one with `BEGIN`; WAL with `synchronous=NORMAL` keeps a write to a few
    tens of microseconds, cheap enough for a save on every keystroke, and readers in other
    processes (a second pumptui) never block it. A file that is not a database, has a damaged
    page, or was written by a newer pumptui is moved aside (with a notice) and a fresh one is
    created. Raises LocalStateError when the file cannot be opened or created at all.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LocalStateError(f"cannot create {path.parent}: {exc.strerror}") from None
    try:
        return LocalDatabase(_open(path, schema, version), path)
    except sqlite3.OperationalError as exc:  # locked, unwritable, no space: not the file's fault
        raise LocalStateError(f"cannot open {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:  # not a database, malformed, or from a newer pumptui
        aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
        log.warning("%s could not be used (%s); moved aside to %s", path, exc, aside)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{path}{suffix}").replace(Path(f"{aside}{suffix}"))
        notice = (
            f"{path.name} could not be read ({_one_line(exc)}): moved aside as {aside.name} "
            f"in {path.parent}; started with an empty one."
        )
        try:
            return LocalDatabase(_open(path, schema, version), path, notice)
        except sqlite3.Error as again:
            raise LocalStateError(f"cannot open {path}: {again}") from None


def open_or_memory(path: Path, schema: str, version: int, *, what: str) -> LocalDatabase:
    """`open_database`, or an in-memory database when the file cannot be used at all.

    The one fallback for every local store: the app still starts on a read-only or full disk,
    nothing is created elsewhere (no temporary files left behind), and the notice says that
    `what` (e.g. "drafts") lasts only until pumptui exits.
    """
    try:
        return open_database(path, schema, version)
    except LocalStateError as exc:
        log.warning("%s kept in memory only: %s", what, exc)
        notice = f"{exc}: {what} are kept in memory only, until pumptui exits."
        return LocalDatabase(memory_database(schema, version), None, notice)


def memory_database(schema: str, version: int) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    connection.executescript(f"BEGIN;\n{schema}\nPRAGMA user_version={version};\nCOMMIT;")
    return connection


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
        _check_pages(connection)
        if current < version:
            connection.executescript(f"BEGIN;\n{schema}\nPRAGMA user_version={version};\nCOMMIT;")
        return connection
    except BaseException:
        connection.close()
        raise


def _check_pages(connection: sqlite3.Connection) -> None:
    """Read every page once at start (a few milliseconds for these small files), so a damaged
    page is found here, where the file can be moved aside, not by some later query."""
    problems = [row[0] for row in connection.execute("PRAGMA quick_check(1)").fetchall()]
    if problems != ["ok"]:
        detail = str(problems[0]).replace("*** in database main ***", "")
        raise sqlite3.DatabaseError(f"database disk image is malformed: {detail}")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
