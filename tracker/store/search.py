"""Running queries: keyset pages (newest, oldest, relevance), counts, ids and streaming."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from tracker.models import Story
from tracker.query import Query, QueryError, Sort, parse
from tracker.store.rows import STORY_COLUMNS, story_from_row
from tracker.store.searchplan import Plan, make_plan
from tracker.store.searchsql import Sql, condition, id_set, site_matches
from tracker.store.stories import chunks
from tracker.timeutil import to_db, utcnow

WINDOW = 2_000  # first window of the date index walked for a very common term (then doubled)
WINDOW_MAX = 32_000
RELEVANCE_BUDGET = 0.030  # seconds of bm25 ranking before falling back to newest first
RANK = "bm25(3.0, 1.0, 1.0)"  # a title match weighs three times one in summary or content
PROGRESS_STEPS = 1000  # SQLite VM steps between deadline checks
COUNT_CAP = 10_000
PROBE_MAX = 200  # up to this many candidate stories, text terms are probed story by story


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page starts: after (`sort_at`, `id`), or at `offset` for relevance."""

    sort_at: str = ""
    id: int = 0
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    stories: list[Story]
    next_cursor: Cursor | None  # None: this was the last page
    order: Sort  # the order actually used
    note: str | None = None  # e.g. why relevance fell back to date order

    @property
    def next(self) -> Cursor | None:
        return self.next_cursor


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    exact: bool  # False: at least `value`

    def __str__(self) -> str:
        return f"{self.value:,}" + ("" if self.exact else "+")

    def __int__(self) -> int:
        return self.value


class SearchRepo:
    def __init__(self, db: Database) -> None:
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
            try:
                return self._relevance(plan, limit, after)
            except _OutOfTime:
                order = "new"
                after = None
                note = "ranking took too long: newest first instead"
                page = self._dated(plan, order, limit, None)
                return Page(page.stories, page.next_cursor, order, note)
        return self._dated(plan, "old" if order == "old" else "new", limit, after)

    def count(self, query: Query | str, *, now: datetime | None = None,
              cap: int = COUNT_CAP) -> Count:  # fmt: skip
        """How many stories match, exact up to `cap`."""
        q = _query(query)
        if q.root is None:
            total = int(self.db.conn.execute("SELECT count(*) FROM stories").fetchone()[0])
            return Count(total, True)
        plan = self._plan(q, now or utcnow())
        ids = id_set(q.root)
        if ids is not None:  # tags, text, follows: counted without reading a story row
            sql, params = f"SELECT 1 FROM ({ids.text})", ids.params
        else:
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
        for part in chunks(sorted(set(within))):
            marks = ",".join("?" * len(part))
            sql = f"SELECT s.id FROM stories s WHERE s.id IN ({marks}) AND {where.text}"
            out.extend(int(r[0]) for r in self._run(sql, [*part, *where.params]))
        return out

    def iter(self, query: Query | str, *, now: datetime | None = None,
             batch: int = 500) -> Iterator[Story]:  # fmt: skip
        """Every matching story, in the query's date order, a page at a time."""
        q = _query(query)
        order: Sort = "old" if q.order == "old" else "new"
        plan = self._plan(q, now or utcnow())  # relative dates fixed once for the whole walk
        cursor: Cursor | None = None
        while True:
            page = self._dated(plan, order, batch, cursor)
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

    def _dated(self, plan: Plan, order: Sort, limit: int, after: Cursor | None) -> Page:
        if plan.kind == "window":
            return self._windowed(plan, order, limit, after)
        direction, op = ("ASC", ">") if order == "old" else ("DESC", "<")
        base = plan.row_where if plan.driver is not None and plan.row_where else plan.where
        where, params = base.text, list(base.params)
        if after is not None and after.sort_at:
            where += f" AND (s.sort_at, s.id) {op} (?, ?)"
            params += [after.sort_at, after.id]
        skip = after.offset if after is not None else 0
        order_by = f"s.sort_at {direction}, s.id {direction}"
        if plan.driver is not None:
            inner = (
                f"SELECT s.id FROM ({plan.driver.text}) d CROSS JOIN stories s ON s.id = d.id"
                f" WHERE {where} ORDER BY {order_by} LIMIT ? OFFSET ?"
            )
            params = [*plan.driver.params, *params]
        else:
            inner = (
                f"SELECT s.id FROM stories s INDEXED BY {plan.index} WHERE {where} "
                f"ORDER BY {order_by} LIMIT ? OFFSET ?"
            )
        sql = (
            f"SELECT {STORY_COLUMNS} FROM ({inner}) p JOIN stories s ON s.id = p.id "
            f"JOIN feeds f ON f.id = s.feed_id ORDER BY {order_by}"
        )
        stories = [story_from_row(r) for r in self._run(sql, [*params, limit, skip])]
        return _page(stories, limit, order)

    def _windowed(self, plan: Plan, order: Sort, limit: int, after: Cursor | None) -> Page:
        """A very common term: walk the date index a window at a time, asking FTS5 only for
        the matches whose rowids fall in the window's range (never the whole match set)."""
        direction, op = ("ASC", ">") if order == "old" else ("DESC", "<")
        key = (after.sort_at, after.id) if after is not None and after.sort_at else None
        wanted = limit + (after.offset if after is not None else 0)
        found: list[int] = []
        size = WINDOW
        while len(found) < wanted:
            where, params = plan.rest.text, list(plan.rest.params)
            if key is not None:
                where += f" AND (s.sort_at, s.id) {op} (?, ?)"
                params += list(key)
            rows = self._run(
                f"SELECT s.id, s.sort_at FROM stories s INDEXED BY {plan.index} WHERE {where} "
                f"ORDER BY s.sort_at {direction}, s.id {direction} LIMIT ?",
                [*params, size],
            ).fetchall()
            if not rows:
                break
            ids = [int(r[0]) for r in rows]
            hits = {
                int(r[0])
                for r in self._run(
                    "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? "
                    "AND rowid BETWEEN ? AND ?",
                    [plan.match, min(ids), max(ids)],
                )
            }
            found.extend(i for i in ids if i in hits)
            if len(rows) < size:
                break
            key = (str(rows[-1][1]), ids[-1])
            size = min(size * 2, WINDOW_MAX)
        chosen = found[wanted - limit : wanted]
        marks = ",".join("?" * len(chosen))
        sql = (
            f"SELECT {STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id "
            f"WHERE s.id IN ({marks}) ORDER BY s.sort_at {direction}, s.id {direction}"
        )
        return _page([story_from_row(r) for r in self._run(sql, list(chosen))], limit, order)

    def _relevance(self, plan: Plan, limit: int, after: Cursor | None) -> Page:
        offset = after.offset if after else 0
        # Rank ids only (story columns for the page's rows alone); with no other condition FTS5
        # answers `ORDER BY rank LIMIT` by itself.
        join = "" if plan.rest.text == "1" else " JOIN stories s ON s.id = stories_fts.rowid"
        inner = (
            f"SELECT stories_fts.rowid AS id, stories_fts.rank AS r FROM stories_fts{join} "
            f"WHERE stories_fts MATCH ? AND stories_fts.rank MATCH '{RANK}' AND {plan.rest.text} "
            f"ORDER BY stories_fts.rank LIMIT ? OFFSET ?"
        )
        sql = (
            f"SELECT {STORY_COLUMNS} FROM ({inner}) p JOIN stories s ON s.id = p.id "
            f"JOIN feeds f ON f.id = s.feed_id ORDER BY p.r, s.id"
        )
        deadline = time.monotonic() + RELEVANCE_BUDGET
        conn = self.db.conn
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            rows = self._run(sql, [plan.match, *plan.rest.params, limit, offset]).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise _OutOfTime from None
            raise
        finally:
            conn.set_progress_handler(None, 0)
        stories = [story_from_row(r) for r in rows]
        more = len(stories) == limit
        return Page(stories, Cursor(offset=offset + limit) if more else None, "relevance")

    def _run(self, sql: str, params: list[object]) -> sqlite3.Cursor:
        try:
            return self.db.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc):  # a term FTS5 could not read: the user's, never SQL
                raise QueryError(f"cannot search for that: {exc}", 1) from None
            raise


class _OutOfTime(Exception):
    pass


def _page(stories: list[Story], limit: int, order: Sort) -> Page:
    last = stories[-1] if len(stories) == limit else None
    return Page(stories, None if last is None else Cursor(_db_time(last), last.id), order)


def _query(query: Query | str) -> Query:
    return parse(query) if isinstance(query, str) else query


def _db_time(story: Story) -> str:
    return story.sort_at.strftime("%Y-%m-%dT%H:%M:%SZ")
