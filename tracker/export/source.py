"""Where exported stories come from: the one query parser and the store's streaming search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tracker.models import Story
from tracker.query import QueryError, parse
from tracker.store import Store

DEFAULT_QUERY = "is:tagged"


class BadQuery(ValueError):
    """A malformed query; `str()` names the position and what was expected."""


def check_query(query: str) -> None:
    """Raise `BadQuery` before any export file is opened."""
    try:
        parse(query)
    except QueryError as exc:
        raise BadQuery(str(exc)) from None


def stories_matching(store: Store, query: str) -> Iterator[Story]:
    """Stories matching `query` in the query's order, streamed in constant memory."""
    check_query(query)
    search: Any = getattr(store, "search", None)  # tracker/store/search.py, being written
    if search is None:
        raise RuntimeError("story search is not available yet")
    yield from search.iter(query)
