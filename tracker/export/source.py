"""Where exported stories come from: the one query parser and the store's streaming search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from tracker.models import Story
from tracker.query import Query, QueryError, parse
from tracker.store import Store

DEFAULT_QUERY = "is:tagged"


class BadQuery(ValueError):
    """A malformed query; `str()` names the position and what was expected."""


def check_query(query: str, now: datetime | None = None) -> Query:
    """The parsed query, or `BadQuery` (raised before any export file is opened)."""
    try:
        return parse(query, now=now)
    except QueryError as exc:
        raise BadQuery(str(exc)) from None


def stories_matching(store: Store, query: str, now: datetime | None = None) -> Iterator[Story]:
    """Stories matching `query` in its order (newest first unless `sort:old`, or bm25 rank for
    `sort:relevance` with text), a page at a time: memory stays flat however many match (a
    ranked export holds the ranked ids). Relative dates are fixed at `now`."""
    yield from store.search.iter(check_query(query, now), now=now)
