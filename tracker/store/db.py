"""Opening the SQLite file: pragmas, migrations, and the one way to write (short transactions)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database

T = TypeVar("T")
# The names of tracker.store.schema's migrations, in order (a test keeps them equal): opening
# a current file then needs neither sqlite-utils (~50 ms to import) nor the schema module.
MIGRATION_NAMES = ("0001_core", "0002_fts_lead")


class Db:
    """An open SQLite file: the one connection its repositories share. sqlite-utils wraps it
    only to migrate, or when a tool or test asks for `sqlite_utils()`."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def sqlite_utils(self) -> Database:
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    def close(self) -> None:
        self.conn.close()


BUSY_TIMEOUT_MS = 10_000
BATCH = 500  # bound parameters per IN (...) list, well under SQLite's limit


def connect(path: str | Path, on_upgrade: Callable[[], None] | None = None) -> Db:
    """A connection to `path` (created and migrated if needed), WAL mode, busy timeout set.

    Transactions are explicit (`write`), so the driver is put in autocommit mode.
    `on_upgrade` is called before a file that an older tracker made is migrated.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = Db(conn)
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        _retry_locked(lambda: conn.execute("PRAGMA journal_mode = wal"))
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    applied = _applied_migrations(conn)
    if not set(MIGRATION_NAMES) <= applied:
        from tracker.store.schema import migrations

        if on_upgrade is not None and applied:  # a file an older tracker made
            on_upgrade()
        full = db.sqlite_utils()
        # One transaction for all pending migrations; a second process opening the file at the
        # same moment waits on the lock, then finds nothing pending.
        with write(db):
            if migrations.pending(full):
                migrations.apply(full)
    return db


def _applied_migrations(conn: sqlite3.Connection) -> set[str]:
    """Our migrations recorded in sqlite-utils' table (none in a new file)."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'tracker'"
        ).fetchall()
    except sqlite3.OperationalError:
        return set()
    return {str(name) for (name,) in rows}


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
def write(db: Db) -> Iterator[Db]:
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


def data_version(db: Db) -> int:
    """Changes when another connection commits: how the app notices the poller's writes."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[tuple[str, Sequence[T]]]:
    """`items` in slices that fit SQLite's bound-parameter limit, each with its `?,?,…` list
    for an `IN (…)`."""
    for start in range(0, len(items), size):
        part = items[start : start + size]
        yield ",".join("?" * len(part)), part
