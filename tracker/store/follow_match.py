"""Which stories a follow's query matches, through the one query language (SPEC §3)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlite_utils import Database

from tracker.query import Query, QueryError, parse
from tracker.store.search import SearchRepo
from tracker.store.searchsql import condition
from tracker.store.stories import chunks


@lru_cache(maxsize=256)
def _parsed(text: str) -> Query | None:
    """The parsed query, None when it does not parse (such a follow matches nothing)."""
    try:
        return parse(text)
    except QueryError:
        return None


def matching_ids(
    db: Database, query: str, within: Sequence[int] | None, now: datetime
) -> list[int]:
    """Ids of stories matching `query` (only among `within` when given), ascending.

    A follow whose query is empty or no longer parses matches nothing (its pins still count);
    at ingest that must never fail a feed.
    """
    q = _parsed(query)
    if q is None or q.root is None:
        return []
    search = SearchRepo(db)  # registers the SQL functions the conditions use
    try:
        if within is None:
            return sorted(search.ids(q, now=now))
        # Only the new stories: probe the full-text index per candidate row.
        where = condition(q.root, now, correlated_fts=True)
        out: list[int] = []
        for part in chunks(sorted(set(within))):
            marks = ",".join("?" * len(part))
            out.extend(
                int(r[0])
                for r in db.conn.execute(
                    f"SELECT s.id FROM stories s WHERE s.id IN ({marks}) AND {where.text}",
                    (*part, *where.params),
                )
            )
    except QueryError:  # e.g. a term FTS5 cannot read
        return []
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        return []
    return sorted(out)
