"""Executing a query plan: date-ordered keyset pages, windowed walks, ranked pages."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from tracker.models import Story
from tracker.query import Sort
from tracker.store.rows import STORY_COLUMNS, story_from_row
from tracker.store.searchplan import Plan, Run

WINDOW = 2_000  # first window of the date index walked for a very common term (then doubled)
WINDOW_MAX = 32_000
RELEVANCE_BUDGET = 0.025  # seconds of bm25 ranking before falling back to newest first
RANK = "bm25(3.0, 1.0, 1.0)"  # a title match weighs three times one in summary or content
PROGRESS_STEPS = 1000  # SQLite VM steps between deadline checks


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


def dated(run: Run, plan: Plan, order: Sort, limit: int, after: Cursor | None) -> Page:
    """A page in date order (newest or oldest first) by keyset."""
    if plan.kind == "window":
        return windowed(run, plan, order, limit, after)
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
    stories = [story_from_row(r) for r in run(sql, [*params, limit, skip])]
    return page_of(stories, limit, order)


def windowed(run: Run, plan: Plan, order: Sort, limit: int, after: Cursor | None) -> Page:
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
        rows = run(
            f"SELECT s.id, s.sort_at FROM stories s INDEXED BY {plan.index} WHERE {where} "
            f"ORDER BY s.sort_at {direction}, s.id {direction} LIMIT ?",
            [*params, size],
        ).fetchall()
        if not rows:
            break
        ids = [int(r[0]) for r in rows]
        hits = {
            int(r[0])
            for r in run(
                "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? AND rowid BETWEEN ? AND ?",
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
    return page_of([story_from_row(r) for r in run(sql, list(chosen))], limit, order)


def relevance(
    conn: sqlite3.Connection, run: Run, plan: Plan, limit: int, after: Cursor | None
) -> Page:
    """A page by bm25 rank; raises OutOfTime past RELEVANCE_BUDGET."""
    offset = after.offset if after else 0
    # Rank ids only (story columns for the page's rows alone)
    inner = f"{_ranked(plan, 'stories_fts.rowid AS id, stories_fts.rank AS r')} LIMIT ? OFFSET ?"
    sql = (
        f"SELECT {STORY_COLUMNS} FROM ({inner}) p JOIN stories s ON s.id = p.id "
        f"JOIN feeds f ON f.id = s.feed_id ORDER BY p.r, s.id"
    )
    deadline = time.monotonic() + RELEVANCE_BUDGET
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        rows = run(sql, [plan.match, *plan.rest.params, limit, offset]).fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise OutOfTime from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
    stories = [story_from_row(r) for r in rows]
    more = len(stories) == limit
    return Page(stories, Cursor(offset=offset + limit) if more else None, "relevance")


def ranked_ids(run: Run, plan: Plan) -> list[int]:
    """Every text match in bm25 order, without a time budget (exports, not screens, ask)."""
    sql = _ranked(plan, "stories_fts.rowid")
    return [int(r[0]) for r in run(sql, [plan.match, *plan.rest.params])]


def _ranked(plan: Plan, columns: str) -> str:
    """`columns` of the text matches that meet the plan's other conditions, best rank first
    (parameters: the match, then the rest's). With no other condition FTS5 answers
    `ORDER BY rank LIMIT` by itself."""
    join = "" if plan.rest.text == "1" else " JOIN stories s ON s.id = stories_fts.rowid"
    return (
        f"SELECT {columns} FROM stories_fts{join} WHERE stories_fts MATCH ? "
        f"AND stories_fts.rank MATCH '{RANK}' AND {plan.rest.text} "
        "ORDER BY stories_fts.rank"  # rank alone: FTS5 sorts that itself
    )


def stories_in_order(run: Run, ids: list[int]) -> list[Story]:
    """The stories of `ids` (at most a batch of them), in that order."""
    marks = ",".join("?" * len(ids))
    rows = run(
        f"SELECT {STORY_COLUMNS} FROM stories s JOIN feeds f ON f.id = s.feed_id "
        f"WHERE s.id IN ({marks})",
        list(ids),
    )
    by_id = {story.id: story for story in map(story_from_row, rows)}
    return [by_id[i] for i in ids if i in by_id]


class OutOfTime(Exception):
    """Ranking ran past its time budget."""


def page_of(stories: list[Story], limit: int, order: Sort) -> Page:
    last = stories[-1] if len(stories) == limit else None
    return Page(stories, None if last is None else Cursor(_db_time(last), last.id), order)


def _db_time(story: Story) -> str:
    return story.sort_at.strftime("%Y-%m-%dT%H:%M:%SZ")
