"""Opening the SQLite file: pragmas, migrations, and the one way to write (short transactions)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from tracker.store.schema import migrations

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
BATCH = 500  # bound parameters per IN (...) list, well under SQLite's limit


def connect(path: str | Path) -> Database:
    """A connection to `path` (created and migrated if needed), WAL mode, busy timeout set.

    Transactions are explicit (`write`), so the driver is put in autocommit mode.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = Database(conn, execute_plugins=False)
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        _retry_locked(lambda: conn.execute("PRAGMA journal_mode = wal"))
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if migrations.pending(db):
        # One transaction for all pending migrations; a second process opening the file at the
        # same moment waits on the lock, then finds nothing pending.
        with write(db):
            if migrations.pending(db):
                migrations.apply(db)
    return db


def _retry_locked(step: object) -> None:
    assert callable(step)
    for attempt in range(50):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One short `BEGIN IMMEDIATE` transaction; nested calls join the outer one.

    IMMEDIATE takes the write lock up front, so the busy timeout (not a deadlock error) handles
    a concurrent writer in another process.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def data_version(db: Database) -> int:
    """Changes when another connection commits: how the app notices the poller's writes."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[tuple[str, Sequence[T]]]:
    """`items` in slices that fit SQLite's bound-parameter limit, each with its `?,?,…` list
    for an `IN (…)`."""
    for start in range(0, len(items), size):
        part = items[start : start + size]
        yield ",".join("?" * len(part)), part
