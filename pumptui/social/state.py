"""What the user likes, follows, bookmarks and watches, cached locally so the UI never has to ask.

One SQLite file (`paths.state_file()`). Likes, follows and bookmark lists are per account
(the wallet address): they mirror server state, and logging in as someone else must not show
another wallet's likes. The watchlist is local to this machine and shared by every account, so it
works in read-only mode and survives logging in and out.

Every method is synchronous and fast (one indexed statement); the TUI may call them from the
event loop. Optimistic updates: `apply(change)` changes the cache at once and returns an `Undo`;
if the server then refuses, `rollback(undo)` restores the previous value unless something newer
already changed it.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, Final, ParamSpec, TypeVar, cast

from pumptui import paths
from pumptui.api.models import BookmarkList
from pumptui.social.db import memory_database, open_database, open_or_memory

STATE_FILE_NAME: Final = paths.STATE_FILE_NAME
_WHAT: Final = "likes, follows, bookmarks and the watchlist"
_SCHEMA_VERSION: Final = 2  # 2: users (wallet → UUID, counts)
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS likes (
    account TEXT NOT NULL, target TEXT NOT NULL, updated_at REAL NOT NULL,
    PRIMARY KEY (account, target)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS follows (
    account TEXT NOT NULL, wallet TEXT NOT NULL, updated_at REAL NOT NULL,
    PRIMARY KEY (account, wallet)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bookmark_lists (
    account TEXT NOT NULL, list_id TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, list_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bookmark_items (
    account TEXT NOT NULL, list_id TEXT NOT NULL, mint TEXT NOT NULL, added_at REAL NOT NULL,
    PRIMARY KEY (account, list_id, mint)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bookmark_items_by_mint ON bookmark_items (account, mint);
CREATE TABLE IF NOT EXISTS watchlist (
    mint TEXT PRIMARY KEY, added_at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
    wallet TEXT PRIMARY KEY, user_id TEXT NOT NULL, username TEXT,
    followers INTEGER, following INTEGER, updated_at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS synced (
    account TEXT NOT NULL, kind TEXT NOT NULL, synced_at REAL NOT NULL,
    PRIMARY KEY (account, kind)) WITHOUT ROWID;
"""


log = logging.getLogger(__name__)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _survives_a_refused_write(
    method: Callable[Concatenate[SocialState, _P], _R],
) -> Callable[Concatenate[SocialState, _P], _R]:
    """A write the disk refuses (full, turned read-only) moves the cache into memory and is
    done there: a key press never crashes the app, and the run keeps what it changed."""

    @functools.wraps(method)
    def guarded(self: SocialState, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            if not self.persistent:
                raise
            self._move_to_memory(exc)
            return method(self, *args, **kwargs)

    return guarded


class NotLoggedIn(RuntimeError):
    """An account-scoped change was attempted without an account (read-only mode)."""


# -- changes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Like:
    """Like (on) or unlike a coin (mint) or a reply (its id as text)."""

    target: str
    on: bool = True

    @property
    def label(self) -> str:
        return "like" if self.on else "unlike"


@dataclass(frozen=True, slots=True)
class Follow:
    wallet: str
    on: bool = True

    @property
    def label(self) -> str:
        return "follow" if self.on else "unfollow"


@dataclass(frozen=True, slots=True)
class Bookmark:
    mint: str
    list_id: str = "default"
    on: bool = True

    @property
    def label(self) -> str:
        return "bookmark" if self.on else "remove bookmark"


@dataclass(frozen=True, slots=True)
class Watch:
    """Watchlist membership: local only, never sent to the server."""

    mint: str
    on: bool = True

    @property
    def label(self) -> str:
        return "watch" if self.on else "unwatch"


Change = Like | Follow | Bookmark | Watch


@dataclass(frozen=True, slots=True)
class Undo:
    """What `apply` needs to put things back: the change, whose it was, and the old value."""

    change: Change
    account: str | None
    previous: bool
    serial: int


@dataclass(frozen=True, slots=True)
class CachedUser:
    """A wallet's account on the service: follows go to `user_id` (a UUID), not the wallet."""

    wallet: str
    user_id: str
    username: str | None = None
    followers: int | None = None
    following: int | None = None
    updated_at: float = 0.0


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


# -- the store ---------------------------------------------------------------------------------


class SocialState:
    """The local cache for one account at a time (switch with `set_account`).

    Thread-safe (one lock around the connection), so a worker thread may sync it too.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        account: str | None = None,
        clock: Callable[[], float] = time.time,
        memory_fallback: bool = False,
    ) -> None:
        """Open the cache at `path` (the data dir's by default). With `memory_fallback`, a file
        that cannot be opened gives a cache in memory instead of LocalStateError; `notice` then
        says so, as it says when a damaged file was moved aside."""
        self.path = path or paths.state_file()
        if memory_fallback:
            opened = open_or_memory(self.path, _SCHEMA, _SCHEMA_VERSION, what=_WHAT)
        else:
            opened = open_database(self.path, _SCHEMA, _SCHEMA_VERSION)
        self._db = opened.connection
        self.persistent = opened.path is not None
        self.notice = opened.notice
        # Told the notice when a refused write moves the cache into memory mid-run (once), so
        # the user hears of it then, not only at the next start.
        self.on_memory_fallback: Callable[[str], object] | None = None
        self._lock = threading.Lock()
        self._clock = clock
        self._serials = itertools.count(1)
        self.account = account

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _move_to_memory(self, problem: sqlite3.Error) -> None:
        """Carry on in memory, with everything the file held (when it can still be read)."""
        reason = " ".join(str(problem).split())
        log.warning("cannot write %s (%s): the cache is in memory from now on", self.path, reason)
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            memory = memory_database(_SCHEMA, _SCHEMA_VERSION)
            try:
                self._db.backup(memory)
            except sqlite3.Error:
                log.warning("%s cannot be read either: the cache starts empty", self.path)
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = memory
        self.persistent = False
        self.notice = (
            f"cannot write {self.path} ({reason}): {_WHAT} are kept in memory only, "
            "until pumptui exits."
        )
        if self.on_memory_fallback is not None:
            self.on_memory_fallback(self.notice)

    def __enter__(self) -> SocialState:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def set_account(self, account: str | None) -> None:
        self.account = account

    def _who(self) -> str:
        if not self.account:
            raise NotLoggedIn("log in to like, follow or bookmark")
        return self.account

    def _rows(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _write(self, sql: str, *params: object) -> None:
        with self._lock:
            self._db.execute(sql, params)

    # Reads: with no account, everything account-scoped is empty.

    def is_liked(self, target: str) -> bool:
        return self._has("likes", "target", self.account, target)

    def liked(self) -> set[str]:
        rows = self._rows("SELECT target FROM likes WHERE account=?", self.account or "")
        return {str(r[0]) for r in rows}

    def is_following(self, wallet: str) -> bool:
        return self._has("follows", "wallet", self.account, wallet)

    def following(self) -> set[str]:
        rows = self._rows("SELECT wallet FROM follows WHERE account=?", self.account or "")
        return {str(r[0]) for r in rows}

    def _has(self, table: str, column: str, account: str | None, value: str) -> bool:
        if not account:
            return False
        sql = f"SELECT 1 FROM {table} WHERE account=? AND {column}=?"
        return bool(self._rows(sql, account, value))

    def bookmark_lists(self) -> list[BookmarkList]:
        """The account's lists in the server's order, each with its mints (oldest first)."""
        account = self.account or ""
        lists = self._rows(
            "SELECT list_id, name, created_at FROM bookmark_lists WHERE account=? "
            "ORDER BY position, list_id",
            account,
        )
        items = self._rows(
            "SELECT list_id, mint FROM bookmark_items WHERE account=? ORDER BY added_at, mint",
            account,
        )
        by_list: dict[str, list[str]] = {}
        for list_id, mint in items:
            by_list.setdefault(str(list_id), []).append(str(mint))
        known = {str(row[0]) for row in lists}
        result = [
            BookmarkList(
                id=str(list_id),
                name=str(name),
                mints=tuple(by_list.get(str(list_id), ())),
                created_at=None if created_at is None else str(created_at),
            )
            for list_id, name, created_at in lists
        ]
        # Items bookmarked optimistically into a list the cache has not seen yet.
        result.extend(
            BookmarkList(id=list_id, name=list_id, mints=tuple(mints))
            for list_id, mints in by_list.items()
            if list_id not in known
        )
        return result

    def lists_containing(self, mint: str) -> set[str]:
        return self._lists_containing(self.account, mint)

    def _lists_containing(self, account: str | None, mint: str) -> set[str]:
        rows = self._rows(
            "SELECT list_id FROM bookmark_items WHERE account=? AND mint=?", account or "", mint
        )
        return {str(r[0]) for r in rows}

    def is_bookmarked(self, mint: str, list_id: str | None = None) -> bool:
        lists = self.lists_containing(mint)
        return bool(lists) if list_id is None else list_id in lists

    def watchlist(self) -> list[str]:
        """Watched mints, in the order they were added."""
        return [str(r[0]) for r in self._rows("SELECT mint FROM watchlist ORDER BY added_at")]

    def is_watched(self, mint: str) -> bool:
        return bool(self._rows("SELECT 1 FROM watchlist WHERE mint=?", mint))

    def user(self, wallet: str) -> CachedUser | None:
        """What the service said about `wallet` last (its UUID never changes; counts do)."""
        rows = self._rows(
            "SELECT user_id, username, followers, following, updated_at FROM users"
            " WHERE wallet = ?",
            wallet,
        )
        if not rows:
            return None
        user_id, username, followers, following, updated_at = rows[0]
        seen = float(updated_at) if isinstance(updated_at, (int, float)) else 0.0
        return CachedUser(
            wallet, str(user_id), _opt_str(username), _opt_int(followers), _opt_int(following), seen
        )

    @_survives_a_refused_write
    def remember_user(self, user: CachedUser) -> None:
        self._write(
            "INSERT OR REPLACE INTO users VALUES (?, ?, ?, ?, ?, ?)",
            user.wallet,
            user.user_id,
            user.username,
            user.followers,
            user.following,
            user.updated_at,
        )

    def synced_at(self, kind: str) -> float | None:
        """When `kind` ("bookmarks", ...) was last replaced from the server, for this account."""
        rows = self._rows(
            "SELECT synced_at FROM synced WHERE account=? AND kind=?", self.account or "", kind
        )
        return float(cast(float, rows[0][0])) if rows else None

    # Single writes (server-confirmed facts, or the user's own local choices). `account`
    # defaults to the current one; `rollback` passes the account the change was made for.

    @_survives_a_refused_write
    def set_liked(self, target: str, liked: bool, *, account: str | None = None) -> None:
        self._set_flag("likes", "target", account or self._who(), target, liked)

    @_survives_a_refused_write
    def set_following(self, wallet: str, following: bool, *, account: str | None = None) -> None:
        self._set_flag("follows", "wallet", account or self._who(), wallet, following)

    def _set_flag(self, table: str, column: str, account: str, value: str, on: bool) -> None:
        if on:
            self._write(
                f"INSERT OR REPLACE INTO {table} (account, {column}, updated_at) VALUES (?, ?, ?)",
                account,
                value,
                self._clock(),
            )
        else:
            self._write(f"DELETE FROM {table} WHERE account=? AND {column}=?", account, value)

    @_survives_a_refused_write
    def set_bookmarked(
        self, mint: str, list_id: str, bookmarked: bool, *, account: str | None = None
    ) -> None:
        account = account or self._who()
        if bookmarked:
            self._write(
                "INSERT OR IGNORE INTO bookmark_items VALUES (?, ?, ?, ?)",
                account,
                list_id,
                mint,
                self._clock(),
            )
        else:
            self._write(
                "DELETE FROM bookmark_items WHERE account=? AND list_id=? AND mint=?",
                account,
                list_id,
                mint,
            )

    @_survives_a_refused_write
    def set_watched(self, mint: str, watched: bool) -> None:
        if watched:
            self._write("INSERT OR IGNORE INTO watchlist VALUES (?, ?)", mint, self._clock())
        else:
            self._write("DELETE FROM watchlist WHERE mint=?", mint)

    @_survives_a_refused_write
    def toggle_watch(self, mint: str) -> bool:
        """Flip watchlist membership (the `w` key); returns whether the mint is now watched."""
        watched = not self.is_watched(mint)
        self.set_watched(mint, watched)
        return watched

    @_survives_a_refused_write
    def save_bookmark_list(self, bookmark_list: BookmarkList) -> None:
        """Add or rename one list (e.g. after creating it on the server); items are kept."""
        account = self._who()
        with self._lock:
            position = self._db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM bookmark_lists WHERE account=?",
                (account,),
            ).fetchone()[0]
            self._db.execute(
                "INSERT INTO bookmark_lists VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (account, list_id) DO UPDATE SET name=excluded.name, "
                "created_at=excluded.created_at",
                (account, bookmark_list.id, bookmark_list.name, bookmark_list.created_at, position),
            )

    @_survives_a_refused_write
    def forget_bookmark_list(self, list_id: str) -> None:
        account = self._who()
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute(
                "DELETE FROM bookmark_items WHERE account=? AND list_id=?", (account, list_id)
            )
            self._db.execute(
                "DELETE FROM bookmark_lists WHERE account=? AND list_id=?", (account, list_id)
            )
            self._db.execute("COMMIT")

    # Whole replacements from the server (one transaction each, so readers never see half).

    @_survives_a_refused_write
    def replace_bookmarks(self, lists: Iterable[BookmarkList]) -> None:
        account = self._who()
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute("DELETE FROM bookmark_items WHERE account=?", (account,))
                self._db.execute("DELETE FROM bookmark_lists WHERE account=?", (account,))
                for position, item in enumerate(lists):
                    self._db.execute(
                        "INSERT OR REPLACE INTO bookmark_lists VALUES (?, ?, ?, ?, ?)",
                        (account, item.id, item.name, item.created_at, position),
                    )
                    self._db.executemany(
                        "INSERT OR IGNORE INTO bookmark_items VALUES (?, ?, ?, ?)",
                        [
                            (account, item.id, mint, now + i * 1e-6)
                            for i, mint in enumerate(item.mints)
                        ],
                    )
                self._mark_synced(account, "bookmarks", now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    @_survives_a_refused_write
    def replace_likes(self, targets: Iterable[str]) -> None:
        self._replace_set("likes", "target", targets)

    @_survives_a_refused_write
    def replace_following(self, wallets: Iterable[str]) -> None:
        self._replace_set("follows", "wallet", wallets)

    def _replace_set(self, table: str, column: str, values: Iterable[str]) -> None:
        account = self._who()
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute(f"DELETE FROM {table} WHERE account=?", (account,))
                self._db.executemany(
                    f"INSERT OR IGNORE INTO {table} (account, {column}, updated_at) "
                    "VALUES (?, ?, ?)",
                    [(account, value, now) for value in values],
                )
                self._mark_synced(account, table, now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _mark_synced(self, account: str, kind: str, now: float) -> None:
        self._db.execute("INSERT OR REPLACE INTO synced VALUES (?, ?, ?)", (account, kind, now))

    # Optimistic updates.

    def current(self, change: Change) -> bool:
        """The cached value the change is about (liked? following? bookmarked? watched?)."""
        return self._current(self.account, change)

    def _current(self, account: str | None, change: Change) -> bool:
        match change:
            case Like(target=target):
                return self._has("likes", "target", account, target)
            case Follow(wallet=wallet):
                return self._has("follows", "wallet", account, wallet)
            case Bookmark(mint=mint, list_id=list_id):
                return list_id in self._lists_containing(account, mint)
            case Watch(mint=mint):
                return self.is_watched(mint)
        raise TypeError(f"not a change: {change!r}")

    def _set(self, account: str | None, change: Change, value: bool) -> None:
        match change:
            case Like(target=target):
                self.set_liked(target, value, account=account)
            case Follow(wallet=wallet):
                self.set_following(wallet, value, account=account)
            case Bookmark(mint=mint, list_id=list_id):
                self.set_bookmarked(mint, list_id, value, account=account)
            case Watch(mint=mint):
                self.set_watched(mint, value)

    @_survives_a_refused_write
    def apply(self, change: Change) -> Undo:
        """Make the change in the cache now, before the server answers; keep the `Undo`.

        Raises `NotLoggedIn` for an account-scoped change in read-only mode.
        """
        account = None if isinstance(change, Watch) else self._who()
        undo = Undo(change, account, self._current(account, change), next(self._serials))
        self._set(account, change, change.on)
        return undo

    @_survives_a_refused_write
    def rollback(self, undo: Undo) -> bool:
        """Put back the value from before `apply`, if the cache still shows what it set.

        If the user changed the same thing again meanwhile (like, then unlike before the first
        answer came), the newer intent stays. Applies to the account the change was made for,
        even if another account is current now. Returns whether anything was restored.
        """
        if self._current(undo.account, undo.change) != undo.change.on:
            return False
        self._set(undo.account, undo.change, undo.previous)
        return True
