"""Turning SQLite rows into model objects."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from tracker.models import Feed, Story
from tracker.timeutil import from_db

FEED_COLUMNS = (
    "f.id, f.url, f.title, f.feed_title, f.site_url, f.tags, f.interval, f.active, f.etag, "
    "f.last_modified, f.body_hash, f.last_status, f.http_status, f.last_error, f.error_count, "
    "f.last_polled_at, f.next_poll_at"
)

STORY_COLUMNS = (
    "s.id, s.feed_id, f.url AS feed_url, COALESCE(f.title, f.feed_title, f.url) AS feed_title, "
    "s.key, s.url, s.title, s.author, s.summary, s.published, s.first_seen, s.sort_at, s.read, "
    "s.starred, (SELECT group_concat(tag, char(31)) FROM "
    "(SELECT tag FROM story_tags WHERE story_id = s.id ORDER BY tag)) AS tags, s.cluster_id"
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def feed_from_row(row: sqlite3.Row | tuple[object, ...], counts: tuple[int, int] = (0, 0)) -> Feed:
    r = tuple(row)
    return Feed(
        id=int(r[0]),
        url=str(r[1]),
        title=_opt(r[2]),
        feed_title=_opt(r[3]),
        site_url=_opt(r[4]),
        tags=tuple(json.loads(str(r[5] or "[]"))),
        interval=None if r[6] is None else int(r[6]),
        active=bool(r[7]),
        etag=_opt(r[8]),
        last_modified=_opt(r[9]),
        body_hash=_opt(r[10]),
        last_status=_opt(r[11]),
        http_status=None if r[12] is None else int(r[12]),
        last_error=_opt(r[13]),
        error_count=int(r[14] or 0),
        last_polled_at=from_db(_opt(r[15])),
        next_poll_at=from_db(_opt(r[16])),
        story_count=counts[0],
        unread_count=counts[1],
    )


def story_from_row(row: sqlite3.Row | tuple[object, ...], content_html: str = "") -> Story:
    r = tuple(row)
    tags = str(r[14]).split("\x1f") if r[14] else []
    return Story(
        id=int(r[0]),
        feed_id=int(r[1]),
        feed_url=str(r[2]),
        feed_title=str(r[3]),
        key=str(r[4]),
        url=_opt(r[5]),
        title=str(r[6] or ""),
        author=_opt(r[7]),
        summary=str(r[8] or ""),
        published=from_db(_opt(r[9])),
        first_seen=from_db(_opt(r[10])) or _EPOCH,
        sort_at=from_db(_opt(r[11])) or _EPOCH,
        read=bool(r[12]),
        starred=bool(r[13]),
        tags=tuple(tags),
        cluster_id=None if r[15] is None else int(r[15]),
        content_html=content_html,
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
