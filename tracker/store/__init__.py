"""The only place with SQL: a `Store` over one SQLite file, with one repository per table group."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from tracker.store.clusters import ClusterRepo
from tracker.store.db import connect, data_version, write
from tracker.store.feeds import FeedRepo
from tracker.store.follows import FollowRepo
from tracker.store.search import SearchRepo
from tracker.store.stories import StoryRepo
from tracker.store.tags import TagRepo

__all__ = ["Store", "write"]


class Store:
    """One connection (use one Store per thread) and the repositories that share it."""

    def __init__(self, db: Database, path: str) -> None:
        self.db = db
        self.path = path
        self.feeds = FeedRepo(db)
        self.stories = StoryRepo(db)
        self.tags = TagRepo(db)
        self.search = SearchRepo(db)
        self.follows = FollowRepo(db)
        self.clusters = ClusterRepo(db)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        return cls(connect(path), str(path))

    def data_version(self) -> int:
        """Changes whenever another connection commits."""
        return data_version(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
