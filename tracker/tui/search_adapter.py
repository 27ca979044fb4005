"""The thin seam between the app and the query/follow helpers' store APIs (no Textual here)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tracker.models import Story
from tracker.store import Store

Cursor = Any  # opaque keyset position handed back by the search API


def _query_module() -> Any:
    try:
        return importlib.import_module("tracker.query")
    except ImportError:
        return None


def check(query: str) -> str | None:
    """The parser's message for a malformed query, else None."""
    mod = _query_module()
    if mod is None or not query.strip():
        return None
    try:
        mod.parse(query)
    except mod.QueryError as exc:
        return str(exc)
    return None


def _search(store: Store) -> Any:
    found = getattr(store, "search", None)
    if found is None:  # TEMPORARY until tracker/store/search.py lands: unfiltered, by date
        return _Interim(store)
    return found


class _InterimPage:
    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self.next = cursor_of(stories[-1]) if stories else None


class _Interim:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _ids(self, limit: int, after: Cursor | None, offset: int) -> list[int]:
        from tracker.timeutil import to_db

        conn = self.store.db.conn
        if after is None:
            rows = conn.execute(
                "SELECT id FROM stories ORDER BY sort_at DESC, id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            )
        else:
            rows = conn.execute(
                "SELECT id FROM stories WHERE (sort_at, id) < (?, ?) "
                "ORDER BY sort_at DESC, id DESC LIMIT ?",
                (to_db(after[0]), after[1], limit),
            )
        return [int(r[0]) for r in rows]

    def page(
        self, query: str, limit: int, after: Cursor | None = None, offset: int = 0
    ) -> _InterimPage:
        return _InterimPage(self.store.stories.many(self._ids(limit, after, offset)))

    def count(self, query: str) -> int:
        return self.store.stories.totals()[0]

    def ids(self, query: str) -> list[int]:
        return self._ids(-1, None, 0)

    def iter(self, query: str) -> Iterator[Story]:
        yield from self.store.stories.many(self.ids(query))


def count(store: Store, query: str) -> int:
    return int(_search(store).count(query))


def page(
    store: Store, query: str, limit: int, after: Cursor | None, *, ids_only: bool = False
) -> tuple[list[Story], Cursor | None]:
    """Up to `limit` stories after `after`, and the cursor after the last one (None: no more)."""
    result = _search(store).page(query, limit=limit, after=after)
    stories = list(result.stories)
    return stories, (result.next if len(stories) == limit else None)


def page_at(store: Store, query: str, start: int, limit: int) -> tuple[list[Story], Cursor | None]:
    """A page at an absolute position, for jumps far from any known keyset anchor."""
    result = _search(store).page(query, limit=limit, offset=start)
    stories = list(result.stories)
    return stories, (result.next if len(stories) == limit else None)


def cursor_of(story: Story) -> Cursor:
    return (story.sort_at, story.id)


def ids(store: Store, query: str) -> list[int]:
    return [int(i) for i in _search(store).ids(query)]


def _follows(store: Store) -> Any:
    repo = getattr(store, "follows", None)
    if repo is None:
        try:
            mod = importlib.import_module("tracker.store.follows")
        except ImportError:
            return None
        repo = mod.FollowRepo(store.db)
    return repo


def follows(store: Store) -> list[tuple[str, int]]:
    """(name, new since last opened) for every follow, when the follows API exists."""
    repo = _follows(store)
    return [] if repo is None else [(f.name, int(f.new_count)) for f in repo.all()]


def add_follow(store: Store, name: str, query: str, now: datetime) -> int:
    repo = _follows(store)
    if repo is None:
        raise RuntimeError("follows are not available yet")
    if repo.get(name) is not None:
        raise ValueError(f"a follow named {name!r} exists already")
    _follow, gathered = repo.add(name, query, now)
    return int(gathered)


def iterate(store: Store, query: str) -> Iterator[Story]:
    yield from _search(store).iter(query)
