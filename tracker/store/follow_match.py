"""Which stories a follow's query matches: the one place follows evaluate the query language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlite_utils import Database

from tracker.store.stories import chunks

_WORD = re.compile(r'"[^"]*"|[^\s()]+')
_SKIP = {"and", "or", "not"}


def matching_ids(
    db: Database, query: str, within: Sequence[int] | None, now: datetime
) -> list[int]:
    """Ids of stories matching `query` (only among `within` when given), ascending."""
    match = _fts_expression(query)
    if match is None:
        return []
    sql = "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?"
    if within is None:
        return sorted(int(r[0]) for r in db.conn.execute(sql, (match,)))
    out: list[int] = []
    for part in chunks(sorted(set(within))):
        marks = ",".join("?" * len(part))
        out.extend(
            int(r[0]) for r in db.conn.execute(f"{sql} AND rowid IN ({marks})", (match, *part))
        )
    return sorted(out)


def _fts_expression(query: str) -> str | None:
    """Stand-in until the query language lands: every plain word or phrase must appear."""
    terms = []
    for token in _WORD.findall(query):
        if token.lower() in _SKIP or token[0] in "+-@" or ":" in token:
            continue
        text = token.strip('"').replace('"', "").rstrip("*")
        if text:
            terms.append('"' + text + '"' + ("*" if token.endswith("*") else ""))
    return " AND ".join(terms) if terms else None
