"""The only place with SQL: a `Store` over one SQLite file, with one repository per table group."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.store.db import Db, connect, data_version, write

if TYPE_CHECKING:
    from tracker.store.clusters import ClusterRepo
    from tracker.store.feeds import FeedRepo
    from tracker.store.follows import FollowRepo
    from tracker.store.search import SearchRepo
    from tracker.store.stories import StoryRepo
    from tracker.store.tags import TagRepo

__all__ = ["Store", "write"]


class Store:
    """One connection (use one Store per thread) and the repositories that share it.

    Each repository (and the code behind it: the query language, the clusterer, ...) is
    imported on first use, so a `tracker poll` of unchanged feeds loads only what it touches.
    """

    def __init__(self, db: Db, path: str) -> None:
        self.db = db
        self.path = path

    @cached_property
    def feeds(self) -> FeedRepo:
        from tracker.store.feeds import FeedRepo

        return FeedRepo(self.db)

    @cached_property
    def stories(self) -> StoryRepo:
        from tracker.store.stories import StoryRepo

        return StoryRepo(self.db)

    @cached_property
    def tags(self) -> TagRepo:
        from tracker.store.tags import TagRepo

        return TagRepo(self.db)

    @cached_property
    def search(self) -> SearchRepo:
        from tracker.store.search import SearchRepo

        return SearchRepo(self.db)

    @cached_property
    def follows(self) -> FollowRepo:
        from tracker.store.follows import FollowRepo

        return FollowRepo(self.db)

    @cached_property
    def clusters(self) -> ClusterRepo:
        from tracker.store.clusters import ClusterRepo

        return ClusterRepo(self.db)

    @classmethod
    def open(cls, path: str | Path, on_upgrade: Callable[[], None] | None = None) -> Store:
        """Open (create, migrate) the file; `on_upgrade` is called before an existing file is
        migrated, which can take a while (the 0002 migration rebuilds the full-text index)."""
        return cls(connect(path, on_upgrade), str(path))

    def data_version(self) -> int:
        """Changes whenever another connection commits."""
        return data_version(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
