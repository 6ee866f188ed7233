"""Real damaged SQLite files for the tests: a valid database, then garbage over one page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE_SIZE = 4096


def damage_first_table(path: Path) -> None:
    """Overwrite the b-tree header of page 2 (the first table created, after the schema page).

    Page 1 stays intact, so the file opens and reads its schema version: the damage shows only
    when a table is read ("database disk image is malformed"), as a bad sector would.
    """
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert connection.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert connection.execute("PRAGMA page_count").fetchone()[0] >= 2
    connection.close()
    with path.open("r+b") as file:
        file.seek(PAGE_SIZE)
        file.write(b"\xff" * 64)
