"""One poll at a time per database: a non-blocking `fcntl.flock` on a lock file beside it."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class PollLocked(Exception):
    """Another poll holds the lock on this database."""


def lock_path(db_path: str | Path) -> Path:
    db = Path(db_path)
    return db.with_name(db.name + ".poll.lock")


class PollLock:
    """`with PollLock(db_path):` — raises `PollLocked` at once when another process polls.

    The kernel drops the lock when the holder exits, however it dies (kill -9 included).
    """

    def __init__(self, db_path: str | Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PollLocked(f"another poll is running on {self.path.parent}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PollLock:
        self.acquire()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
