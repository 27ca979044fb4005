"""The thin seam between the app and the store's search, follows and cluster APIs (no Textual)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Literal

from tracker.models import Story
from tracker.query import QueryError, parse
from tracker.store import Store
from tracker.store.search import Cursor

Position = Cursor | tuple[datetime, int]  # a page's next cursor, or a story's (sort_at, id)


def check(query: str, now: datetime) -> str | None:
    """The parser's message for a malformed query (names the column), else None."""
    if not query.strip():
        return None
    try:
        parse(query, now)
    except QueryError as exc:
        return str(exc)
    return None


def count(store: Store, query: str, now: datetime) -> tuple[int, bool]:
    """(matches, exact): counting stops at a cap, beyond which it is "at least"."""
    found = store.search.count(query, now=now)
    return found.value, found.exact


def page(
    store: Store, query: str, limit: int, after: Position | None, now: datetime
) -> tuple[list[Story], Position | None]:
    """Up to `limit` stories after `after`, and the cursor after the last one (None: no more)."""
    result = store.search.page(query, limit, after, now=now)
    return result.stories, result.next_cursor


def page_at(
    store: Store, query: str, start: int, limit: int, now: datetime
) -> tuple[list[Story], Position | None]:
    """A page at an absolute position, for jumps far from any known keyset anchor."""
    result = store.search.page(query, limit, None, offset=start, now=now)
    return result.stories, result.next_cursor


def page_from_end(
    store: Store, query: str, limit: int, skip: int, now: datetime
) -> list[Story] | None:
    """`limit` stories ending `skip` rows before the end of the list, read in the opposite
    order (so `G` costs what `g` does); None when the order cannot be reversed (relevance)."""
    q = parse(query, now)
    if q.order not in ("new", "old"):
        return None
    opposite: Literal["new", "old"] = "old" if q.order == "new" else "new"
    result = store.search.page(q, limit, None, offset=skip, now=now, order=opposite)
    return list(reversed(result.stories))


def ids(store: Store, query: str, now: datetime) -> list[int]:
    return store.search.ids(query, now=now)


def iterate(store: Store, query: str, now: datetime) -> Iterator[Story]:
    yield from store.search.iter(query, now=now)


def other_sources(store: Store, stories: Sequence[Story]) -> dict[int, int]:
    """cluster id -> other feeds that covered the same event (the row's "+N")."""
    clusters = [s.cluster_id for s in stories if s.cluster_id is not None]
    if not clusters:
        return {}
    return {cid: n - 1 for cid, n in store.follows.cluster_sources(clusters).items() if n > 1}


def follows(store: Store) -> list[tuple[str, int]]:
    """(name, new since last opened) for every follow."""
    return [(f.name, int(f.new_count)) for f in store.follows.all()]


def add_follow(store: Store, name: str, query: str, now: datetime) -> int:
    if store.follows.get(name) is not None:
        raise ValueError(f"a follow named {name!r} exists already")
    _follow, gathered = store.follows.add(name, query, now)
    return int(gathered)
