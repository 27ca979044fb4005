"""Which stories a follow's query matches, through the one query language (SPEC §3)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from tracker.query import Query, QueryError, parse
from tracker.store.db import Db, batches
from tracker.store.search import SearchRepo
from tracker.store.searchsql import FTS_IDS, condition

CHUNK = 500  # new stories per statement (bound parameters stay well under the limit)


@lru_cache(maxsize=256)
def _parsed(text: str) -> Query | None:
    """The parsed query, None when it does not parse (such a follow matches nothing)."""
    try:
        return parse(text)
    except QueryError:
        return None


def matching_ids(db: Db, query: str, within: Sequence[int] | None, now: datetime) -> list[int]:
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
        return _among(db, q, sorted(set(within)), now)
    except QueryError:  # e.g. a term FTS5 cannot read
        return []
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        return []


def _among(db: Db, q: Query, ids: list[int], now: datetime) -> list[int]:
    """The matches among `ids` (sorted): walked by rowid (NOT INDEXED keeps the planner from
    scanning a feed or date index instead), each full-text lookup bounded to their range."""
    assert q.root is not None
    where = condition(q.root, now)
    out: list[int] = []
    for marks, part in batches(ids, CHUNK):
        text, params = _bounded(where.text, list(where.params), part[0], part[-1])
        out.extend(
            int(r[0])
            for r in db.conn.execute(
                f"SELECT s.id FROM stories s NOT INDEXED WHERE s.id IN ({marks}) AND {text}",
                (*part, *params),
            )
        )
    return sorted(out)


def _bounded(text: str, params: list[object], lo: int, hi: int) -> tuple[str, list[object]]:
    """`text` with every full-text id lookup limited to rowids lo..hi (FTS5 seeks to them):
    the same answer for stories in that range, without reading a common term's whole list."""
    pieces = text.split("?")
    if len(pieces) != len(params) + 1:  # a literal "?" somewhere: leave the SQL as it is
        return text, params
    lookup = FTS_IDS.removesuffix("?")
    out, bound = pieces[0], []
    for value, rest in zip(params, pieces[1:], strict=True):
        bound.append(value)
        if out.endswith(lookup):
            out += "? AND rowid BETWEEN ? AND ?"
            bound += [lo, hi]
        else:
            out += "?"
        out += rest
    return out, bound
