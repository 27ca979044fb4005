"""Choosing how to run a query: drive from a small id set, walk the date index, or walk it in
windows for a very common term. Decided from capped counts that touch no story row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tracker.query import And, Node, Not, Query, State
from tracker.store.searchsql import FTS_IDS, Sql, condition, fts_able, fts_conjunction, id_set

SOURCE_MAX = 12_000  # an id set this small may drive (its ids are probed, then sorted)
DRIVE_MAX = 1_500  # at most this many survivors are fetched and sorted; else walk the index
RANK_MAX = 12_000  # bm25 over more matches than this would not finish in its time budget
WINDOWED = True  # a term in SOURCE_MAX stories or more: walk the date index in windows

IDS_FROM_JSON = "SELECT value AS id FROM json_each(?)"
Run = Callable[[str, list[object]], sqlite3.Cursor]
Kind = Literal["all", "drive", "scan", "window"]


@dataclass(frozen=True, slots=True)
class Plan:
    kind: Kind
    where: Sql  # every condition over `s`
    rest: Sql  # every condition but the top-level text match
    match: str | None  # the FTS5 expression of the top-level text terms
    index: str  # the date index walked by "scan" and "window"
    driver: Sql | None = None  # "drive": the (few) candidate ids, `SELECT … AS id`
    row_where: Sql | None = None  # "drive": what the candidates still have to satisfy
    match_size: int = 0  # stories the text terms match, counted up to max(SOURCE_MAX, RANK_MAX)

    @property
    def rankable(self) -> bool:
        """Whether bm25 can rank the text matches in time (a common term cannot)."""
        return self.match is not None and self.match_size < RANK_MAX


def all_of(parts: list[Sql]) -> Sql:
    parts = [p for p in parts if p.text != "1"]
    if not parts:
        return Sql("1")
    return Sql(" AND ".join(p.text for p in parts), [x for p in parts for x in p.params])


def textual(node: Node) -> bool:
    return fts_able(node) or (isinstance(node, Not) and fts_able(node.item))


def id_only(node: Node) -> bool:
    """Whether `node` needs nothing but the story id (full text, tags, follows)."""
    return id_set(node.item if isinstance(node, Not) else node) is not None


def make_plan(run: Run, q: Query, now: datetime) -> Plan:
    if q.root is None:
        return Plan("all", Sql("1"), Sql("1"), None, "stories_sort")
    conjuncts = list(q.root.items) if isinstance(q.root, And) else [q.root]
    texts = [c for c in conjuncts if textual(c)]
    has_text = any(not isinstance(c, Not) for c in texts)
    rest = [c for c in conjuncts if not textual(c)] if has_text else conjuncts
    match = fts_conjunction(texts) if has_text else None
    rest_sql = all_of([condition(c, now) for c in rest])
    match_sql = Sql(f"s.id IN ({FTS_IDS})", [match]) if match is not None else Sql("1")
    where = all_of([match_sql, rest_sql])
    index = "stories_sort"
    if State("unread") in rest:
        index = "stories_unread_sort"
    elif State("starred") in rest:
        index = "stories_starred_sort"

    # Each conjunct: its condition, its id set when it has one, whether it needs only the id.
    parts: list[tuple[Sql, Sql | None, bool]] = []
    if match is not None:
        parts.append((match_sql, Sql(FTS_IDS, [match]), True))
    for c in rest:
        parts.append((condition(c, now), None if isinstance(c, Not) else id_set(c), id_only(c)))
    sizes: list[tuple[int, int]] = []  # (ids counted up to a cap, index in parts)
    for i, (_, ids, _) in enumerate(parts):
        if ids is not None:  # the text's count also says whether bm25 can rank it in time
            cap = max(SOURCE_MAX, RANK_MAX) if i == 0 and match is not None else SOURCE_MAX
            sizes.append((_size(run, ids, cap), i))
    smallest = min(sizes, default=(SOURCE_MAX, -1))
    match_size = sizes[0][0] if match is not None else 0
    if smallest[0] < SOURCE_MAX:
        ids = parts[smallest[1]][1]
        assert ids is not None
        # The other id-only conditions filter the candidates before any story row is read.
        others = all_of([p[0] for i, p in enumerate(parts) if i != smallest[1] and p[2]])
        found = run(
            f"SELECT s.id FROM ({ids.text}) s WHERE {others.text} LIMIT ?",
            [*ids.params, *others.params, DRIVE_MAX],
        ).fetchall()
        if len(found) < DRIVE_MAX:  # few enough: these ids, fetched once, drive the query
            driver = Sql(IDS_FROM_JSON, [json.dumps([int(r[0]) for r in found])])
            row_where = all_of([p[0] for p in parts if not p[2]])
            return Plan("drive", where, rest_sql, match, index, driver, row_where, match_size)
    if match is not None and match_size >= SOURCE_MAX and WINDOWED:
        return Plan("window", where, rest_sql, match, index, match_size=match_size)
    return Plan("scan", where, rest_sql, match, index, match_size=match_size)


def _size(run: Run, ids: Sql, cap: int | None = None) -> int:
    sql = f"SELECT count(*) FROM (SELECT 1 FROM ({ids.text}) LIMIT ?)"
    return int(run(sql, [*ids.params, SOURCE_MAX if cap is None else cap]).fetchone()[0])
