"""Running queries: keyset pages (newest, oldest, relevance), counts, ids and streaming."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.models import Story
from tracker.query import Query, QueryError, Sort, parse
from tracker.store.db import Db, batches
from tracker.store.searchplan import Plan, make_plan
from tracker.store.searchrun import (
    Cursor,
    OutOfTime,
    Page,
    dated,
    ranked_ids,
    relevance,
    stories_in_order,
)
from tracker.store.searchsql import Sql, condition, id_set, site_matches
from tracker.timeutil import to_db, utcnow

COUNT_CAP = 10_000
UNRANKED = "too many matches to rank by relevance in time: newest first instead"
PROBE_MAX = 200  # up to this many candidate stories, text terms are probed story by story


@dataclass(frozen=True, slots=True)
class Count:
    """How many stories a query matches; exact up to a cap (`str()`: "10,000+" beyond it)."""

    value: int
    exact: bool  # False: at least `value`

    def __str__(self) -> str:
        return f"{self.value:,}" + ("" if self.exact else "+")

    def __int__(self) -> int:
        return self.value


__all__ = ["Count", "Cursor", "Page", "SearchRepo"]


class SearchRepo:
    def __init__(self, db: Db) -> None:
        self.db = db
        db.conn.create_function("tracker_site", 2, site_matches, deterministic=True)

    # --- the public API ----------------------------------------------------------------------

    def page(
        self,
        query: Query | str,
        limit: int = 100,
        after: Cursor | tuple[datetime, int] | None = None,
        *,
        offset: int = 0,
        now: datetime | None = None,
        order: Sort | None = None,
    ) -> Page:
        """One page of stories matching `query` (newest first by default).

        `after` is the previous page's `next_cursor` (or a story's `(sort_at, id)`); `offset`
        skips that many rows first (a jump; keyset cursors are what keep deep pages fast).
        """
        q = _query(query)
        if isinstance(after, tuple):
            after = Cursor(to_db(after[0]) or "", int(after[1]))
        if offset:
            after = (
                Cursor(after.sort_at, after.id, after.offset + offset)
                if after
                else Cursor(offset=offset)
            )
        order = order or q.order
        plan = self._plan(q, now or utcnow())
        if order == "relevance" and plan.match is not None:
            # Rank unless too many matches (or a date cursor says page 1 fell back already).
            if plan.rankable and not (after is not None and after.sort_at):
                try:
                    return relevance(self.db.conn, self._run, plan, limit, after)
                except OutOfTime:
                    pass
            page = dated(self._run, plan, "new", limit, after)
            return Page(page.stories, page.next_cursor, "new", UNRANKED)
        return dated(self._run, plan, "old" if order == "old" else "new", limit, after)

    def count(self, query: Query | str, *, now: datetime | None = None,
              cap: int = COUNT_CAP) -> Count:  # fmt: skip
        """How many stories match, exact up to `cap`."""
        q = _query(query)
        plan = self._plan(q, now or utcnow())
        ids = None if q.root is None else id_set(q.root)
        if plan.kind != "drive" and ids is not None:  # counted without reading a story row
            sql, params = f"SELECT 1 FROM ({ids.text})", ids.params
        else:  # a drive plan holds its few candidates already
            sql, params = self._ids_sql(plan)
        n = int(
            self._run(f"SELECT count(*) FROM ({sql} LIMIT ?)", [*params, cap + 1]).fetchone()[0]
        )
        return Count(min(n, cap), n <= cap)

    def ids(
        self,
        query: Query | str,
        *,
        now: datetime | None = None,
        within: Sequence[int] | None = None,
    ) -> list[int]:
        """Every matching story id (for bulk tagging); only among `within` when given."""
        q = _query(query)
        now = now or utcnow()
        if within is None or len(within) > PROBE_MAX:
            sql, params = self._ids_sql(self._plan(q, now))
            found = [int(r[0]) for r in self._run(sql, params)]
            if within is None:
                return found
            wanted = set(within)
            return [i for i in found if i in wanted]
        # A few candidates: probe the full-text index story by story, not the whole match set.
        where = Sql("1") if q.root is None else condition(q.root, now, correlated_fts=True)
        out: list[int] = []
        for marks, part in batches(sorted(set(within))):
            sql = f"SELECT s.id FROM stories s WHERE s.id IN ({marks}) AND {where.text}"
            out.extend(int(r[0]) for r in self._run(sql, [*part, *where.params]))
        return out

    def iter(self, query: Query | str, *, now: datetime | None = None,
             batch: int = 500) -> Iterator[Story]:  # fmt: skip
        """Every matching story in the query's order, a page at a time. `sort:relevance` ranks
        every match by bm25 first (ids only: memory grows with the matches, 8 bytes each)."""
        q = _query(query)
        order: Sort = "old" if q.order == "old" else "new"
        plan = self._plan(q, now or utcnow())  # relative dates fixed once for the whole walk
        if q.order == "relevance" and plan.match is not None:
            ids = ranked_ids(self._run, plan)
            for start in range(0, len(ids), batch):
                yield from stories_in_order(self._run, ids[start : start + batch])
            return
        cursor: Cursor | None = None
        while True:
            page = dated(self._run, plan, order, batch, cursor)
            yield from page.stories
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    # --- planning and execution ----------------------------------------------------------------

    def _plan(self, q: Query, now: datetime) -> Plan:
        return make_plan(self._run, q, now)

    def _ids_sql(self, plan: Plan) -> tuple[str, list[object]]:
        """`SELECT s.id …` for the plan in no particular order."""
        if plan.driver is not None and plan.row_where is not None:
            sql = (
                f"SELECT s.id FROM ({plan.driver.text}) d CROSS JOIN stories s ON s.id = d.id "
                f"WHERE {plan.row_where.text}"
            )
            return sql, [*plan.driver.params, *plan.row_where.params]
        sql = f"SELECT s.id FROM stories s INDEXED BY {plan.index} WHERE {plan.where.text}"
        return sql, list(plan.where.params)

    def _run(self, sql: str, params: list[object]) -> sqlite3.Cursor:
        try:
            return self.db.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc):  # a term FTS5 could not read: the user's, never SQL
                raise QueryError(f"cannot search for that: {exc}", 1) from None
            raise


def _query(query: Query | str) -> Query:
    return parse(query) if isinstance(query, str) else query
