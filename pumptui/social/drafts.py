"""Reply drafts that are never lost: saved on every keystroke, kept until the server confirms.

A draft is keyed by (account, mint) and lives in its own SQLite file
(`paths.drafts_file()`, separate from the rebuildable social cache). Its life:

    save() on each keystroke -> mark_sending() -> discard()          (the server said 201)
                                             or -> mark_failed(reason, retry_at)  (429, network)

A failed draft keeps its text, the reason and when a retry makes sense (`retry_in` gives the
countdown). If the process dies while a draft is being sent, the next start finds it marked
`sending` by a process that no longer exists and turns it into a failed draft ("interrupted"):
the server may or may not have it, so the user decides.

Drafts typed while logged out are kept under the anonymous account ("") and are claimed by the
account that logs in, so logging in to post does not hide what was typed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Final, cast

from pumptui import paths
from pumptui.social.db import LocalStateError, open_database, open_or_memory

log = logging.getLogger(__name__)

DRAFTS_FILE_NAME: Final = paths.DRAFTS_FILE_NAME
INTERRUPTED: Final = "interrupted while sending; check the thread before retrying"
_SCHEMA_VERSION: Final = 1
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS drafts (
    account TEXT NOT NULL,
    mint TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'editing',
    reason TEXT,
    retry_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sender_pid INTEGER,
    updated_at REAL NOT NULL,
    PRIMARY KEY (account, mint)) WITHOUT ROWID;
"""
_COLUMNS: Final = "account, mint, text, status, reason, retry_at, attempts, updated_at"


class DraftNotSaved(LocalStateError):
    """A draft could not be written (disk full, read-only file); its text is kept in memory."""


class DraftStatus(StrEnum):
    EDITING = "editing"
    SENDING = "sending"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Draft:
    account: str
    mint: str
    text: str
    status: DraftStatus
    reason: str | None
    retry_at: float | None
    attempts: int
    updated_at: float

    def retry_in(self, now: float | None = None) -> float | None:
        """Seconds until a retry makes sense (0 when it does now); None unless failed."""
        if self.status is not DraftStatus.FAILED:
            return None
        if self.retry_at is None:
            return 0.0
        return max(0.0, self.retry_at - (time.time() if now is None else now))


class DraftStore:
    """The drafts of one account at a time; `set_account` switches (and claims anonymous ones).

    Synchronous and cheap: `save` is one UPSERT in WAL mode, fine on every keystroke.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        account: str | None = None,
        clock: Callable[[], float] = time.time,
        pid: int | None = None,
        memory_fallback: bool = False,
    ) -> None:
        """Open the drafts at `path` (the data dir's by default). With `memory_fallback`, a file
        that cannot be opened gives drafts in memory instead of LocalStateError; `notice` then
        says so, as it says when a damaged file was moved aside."""
        self.path = path or paths.drafts_file()
        if memory_fallback:
            opened = open_or_memory(self.path, _SCHEMA, _SCHEMA_VERSION, what="drafts")
        else:
            opened = open_database(self.path, _SCHEMA, _SCHEMA_VERSION)
        self._db = opened.connection
        self.persistent = opened.path is not None
        self.notice = opened.notice
        # Texts a write refused (disk full, read-only file), by (account, mint): what `load`
        # returns until a later save or `retry_unsaved` writes them.
        # None: a discard to write (the server has the post; the row must go).
        self._unsaved: dict[tuple[str, str], str | None] = {}
        self.save_problem: str | None = None
        self._lock = threading.Lock()
        self._clock = clock
        self._pid = os.getpid() if pid is None else pid
        self.account = ""
        self._recover_interrupted()
        self.set_account(account)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def set_account(self, account: str | None) -> None:
        """Switch account; drafts typed anonymously move to it unless it has one for that mint."""
        self.account = account or ""
        if self.account:
            with self._lock, contextlib.suppress(sqlite3.Error):  # unclaimed, not lost
                self._db.execute(
                    "UPDATE OR IGNORE drafts SET account=? WHERE account=''", (self.account,)
                )

    # -- reads ---------------------------------------------------------------------------------

    def load(self, mint: str) -> Draft | None:
        """The draft of `mint`: what was typed last, written or not."""
        key = (self.account, mint)
        try:
            with self._lock:
                row = self._db.execute(
                    f"SELECT {_COLUMNS} FROM drafts WHERE account=? AND mint=?", key
                ).fetchone()
        except sqlite3.Error as exc:  # damaged since it was opened: what memory holds, if any
            log.warning("drafts: cannot read %s: %s", self.path, exc)
            row = None
        draft = _draft(row) if row else None
        if key not in self._unsaved:
            return draft
        unsaved = self._unsaved[key]
        if unsaved is None or not unsaved.strip():
            return None
        if draft is None:
            return Draft(self.account, mint, unsaved, DraftStatus.EDITING, None, None, 0, 0.0)
        return replace(draft, text=unsaved)

    def pending(self) -> list[Draft]:
        """Every draft of the account, most recently touched first (for a drafts list)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM drafts WHERE account=? ORDER BY updated_at DESC",
                (self.account,),
            ).fetchall()
        return [_draft(row) for row in rows]

    # -- writes --------------------------------------------------------------------------------

    def save(self, mint: str, text: str) -> None:
        """Record what is typed now. Keeps the status and retry time of a failed draft (the
        server's limit still applies); an empty text removes an unsent draft.

        Raises DraftNotSaved when the write fails (disk full, read-only file): the text is then
        kept in memory (`load` returns it) until a later save or `retry_unsaved` writes it."""
        key = (self.account, mint)
        try:
            self._write_text(self.account, mint, text)
        except sqlite3.Error as exc:
            self._unsaved[key] = text
            self.save_problem = _one_line(exc)
            raise DraftNotSaved(f"draft not saved: {self.save_problem}") from None
        self._unsaved.pop(key, None)
        if not self._unsaved:
            self.save_problem = None

    def retry_unsaved(self) -> str | None:
        """Write the texts earlier saves could not; the problem that remains, or None."""
        for (account, mint), text in list(self._unsaved.items()):
            try:
                if text is None:
                    self._delete(account, mint)
                else:
                    self._write_text(account, mint, text)
            except sqlite3.Error as exc:
                self.save_problem = _one_line(exc)
                return self.save_problem
            del self._unsaved[(account, mint)]
        self.save_problem = None
        return None

    def _write_text(self, account: str, mint: str, text: str) -> None:
        now = self._clock()
        with self._lock:
            if not text.strip():
                self._db.execute(
                    "DELETE FROM drafts WHERE account=? AND mint=? AND status!='sending'",
                    (account, mint),
                )
                return
            self._db.execute(
                "INSERT INTO drafts (account, mint, text, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (account, mint) DO UPDATE SET text=excluded.text, "
                "updated_at=excluded.updated_at",
                (account, mint, text, now),
            )

    def mark_sending(self, mint: str) -> Draft:
        """The draft is on its way; raises KeyError when there is no draft for `mint`."""
        return self._update(
            mint,
            "status='sending', reason=NULL, retry_at=NULL, attempts=attempts+1, sender_pid=?",
            self._pid,
        )

    def mark_failed(self, mint: str, reason: str, retry_at: float | None = None) -> Draft:
        """The server refused or could not be reached: keep the text, say why and when to retry."""
        return self._update(
            mint, "status='failed', reason=?, retry_at=?, sender_pid=NULL", reason, retry_at
        )

    def discard(self, mint: str) -> bool:
        """Forget the draft: only when the server confirmed the reply (or the user threw it
        away). Returns whether there was one. Never raises: a delete the disk refuses is
        remembered (`load` returns None) and retried by `retry_unsaved`."""
        key = (self.account, mint)
        had = self.load(mint) is not None
        try:
            self._delete(*key)
        except sqlite3.Error as exc:
            self._unsaved[key] = None
            self.save_problem = _one_line(exc)
            return had
        self._unsaved.pop(key, None)
        return had

    def _delete(self, account: str, mint: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM drafts WHERE account=? AND mint=?", (account, mint))

    def _update(self, mint: str, assignments: str, *params: object) -> Draft:
        """Raises KeyError without a draft, DraftNotSaved when the disk refuses the write."""
        now = self._clock()
        try:
            with self._lock:
                cursor = self._db.execute(
                    f"UPDATE drafts SET {assignments}, updated_at=? WHERE account=? AND mint=?",
                    (*params, now, self.account, mint),
                )
                if cursor.rowcount == 0:
                    raise KeyError(mint)
                row = self._db.execute(
                    f"SELECT {_COLUMNS} FROM drafts WHERE account=? AND mint=?",
                    (self.account, mint),
                ).fetchone()
        except sqlite3.Error as exc:
            raise DraftNotSaved(f"draft not saved: {_one_line(exc)}") from None
        return _draft(row)

    def _recover_interrupted(self) -> None:
        """Drafts left `sending` by a process that is gone become failed: it may have crashed
        before or after the server got the reply, so nothing is resent automatically."""
        with self._lock:
            rows = self._db.execute(
                "SELECT account, mint, sender_pid FROM drafts WHERE status='sending'"
            ).fetchall()
            for account, mint, sender_pid in rows:
                if sender_pid is not None and _alive(int(sender_pid)):
                    continue
                self._db.execute(
                    "UPDATE drafts SET status='failed', reason=?, retry_at=NULL, sender_pid=NULL "
                    "WHERE account=? AND mint=?",
                    (INTERRUPTED, account, mint),
                )


def _one_line(exc: BaseException) -> str:
    """An error as one short line for the status bar ("database or disk is full")."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def _alive(pid: int) -> bool:
    """Whether a process with this pid runs (ours included: one DraftStore per process)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _draft(row: tuple[object, ...]) -> Draft:
    account, mint, text, status, reason, retry_at, attempts, updated_at = row
    return Draft(
        account=str(account),
        mint=str(mint),
        text=str(text),
        status=DraftStatus(str(status)),
        reason=None if reason is None else str(reason),
        retry_at=None if retry_at is None else float(cast(float, retry_at)),
        attempts=int(cast(int, attempts)),
        updated_at=float(cast(float, updated_at)),
    )
