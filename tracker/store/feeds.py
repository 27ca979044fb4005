"""Feeds: syncing feeds.toml into the database, the poll schedule and each feed's poll state."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.models import Config, Feed
from tracker.store.db import Db, write
from tracker.store.rows import FEED_COLUMNS, feed_from_row
from tracker.timeutil import from_db, to_db, utcnow


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """Everything one poll of one feed writes back (the poller decides every value)."""

    status: str  # ok | not_modified | error | gone
    http_status: int | None
    error: str | None
    error_count: int
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    next_poll_at: datetime | None
    feed_title: str | None = None  # None keeps the stored one
    site_url: str | None = None
    new_url: str | None = None  # a permanent move, when every hop was 301/308


@dataclass(frozen=True, slots=True)
class SyncResult:
    added: int
    updated: int
    deactivated: int


class FeedRepo:
    def __init__(self, db: Db) -> None:
        self.db = db

    def sync(self, config: Config, now: datetime | None = None) -> SyncResult:
        """Make the feeds table match feeds.toml: add, update, deactivate (never delete)."""
        now_text = to_db(now or utcnow())
        conn = self.db.conn
        added = updated = 0
        with write(self.db):
            known = {
                str(url): (int(fid), str(tags), (title, interval, position), bool(active))
                for fid, url, title, tags, interval, position, active in conn.execute(
                    "SELECT id, url, title, tags, interval, position, active FROM feeds"
                )
            }
            for position, feed in enumerate(config.feeds):
                tags_json = json.dumps(list(feed.tags))
                if feed.url in known:
                    feed_id, old_tags, stored, active = known[feed.url]
                    same = stored == (feed.title, feed.interval, position) and old_tags == tags_json
                    if not (same and active):  # an unchanged row is not rewritten
                        conn.execute(
                            "UPDATE feeds SET title = ?, tags = ?, interval = ?, position = ?, "
                            "active = CASE WHEN last_status = 'gone' THEN active ELSE 1 END "
                            "WHERE id = ?",
                            (feed.title, tags_json, feed.interval, position, feed_id),
                        )
                    if old_tags != tags_json:
                        self._retag_feed(feed_id, json.loads(old_tags), list(feed.tags), now_text)
                    updated += 1
                else:
                    conn.execute(
                        "INSERT INTO feeds (url, title, tags, interval, position, active, "
                        "created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
                        (feed.url, feed.title, tags_json, feed.interval, position, now_text),
                    )
                    added += 1
            listed = {f.url for f in config.feeds}
            gone = [url for url in known if url not in listed]
            deactivated = 0
            for url in gone:
                deactivated += conn.execute(
                    "UPDATE feeds SET active = 0 WHERE url = ? AND active = 1", (url,)
                ).rowcount
        return SyncResult(added, updated, deactivated)

    def _retag_feed(self, feed_id: int, old: list[str], new: list[str], now: str | None) -> None:
        conn = self.db.conn
        for tag in set(old) - set(new):
            conn.execute(
                "DELETE FROM story_tags WHERE tag = ? AND source = 'feed' AND story_id IN "
                "(SELECT id FROM stories WHERE feed_id = ?)",
                (tag, feed_id),
            )
        for tag in set(new) - set(old):
            conn.execute(
                "INSERT OR IGNORE INTO story_tags (story_id, tag, source, added_at) "
                "SELECT id, ?, 'feed', ? FROM stories WHERE feed_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM tag_removals r WHERE r.story_id = stories.id AND r.tag = ?)",
                (tag, now, feed_id, tag),
            )

    def all(self, *, active_only: bool = False, with_counts: bool = False) -> list[Feed]:
        """Feeds in feeds.toml order (inactive ones last)."""
        where = "WHERE f.active = 1" if active_only else ""
        rows = self.db.conn.execute(
            f"SELECT {FEED_COLUMNS} FROM feeds f {where} ORDER BY f.active DESC, f.position, f.id"
        ).fetchall()
        counts: dict[int, tuple[int, int]] = {}
        if with_counts:
            counts = {
                int(fid): (int(total), int(unread or 0))
                for fid, total, unread in self.db.conn.execute(
                    "SELECT feed_id, count(*), sum(read = 0) FROM stories GROUP BY feed_id"
                )
            }
        return [feed_from_row(r, counts.get(int(r[0]), (0, 0))) for r in rows]

    def get(self, url: str) -> Feed | None:
        row = self.db.conn.execute(
            f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,)
        ).fetchone()
        return feed_from_row(row) if row else None

    def by_id(self, feed_id: int) -> Feed | None:
        row = self.db.conn.execute(
            f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,)
        ).fetchone()
        return feed_from_row(row) if row else None

    def due(self, now: datetime, *, urls: Sequence[str] = (), every: bool = False) -> list[Feed]:
        """Feeds to poll now: active, not gone, and due (or all of them, or the named ones)."""
        feeds = [f for f in self.all(active_only=True) if f.last_status != "gone"]
        if urls:
            wanted = set(urls)
            return [f for f in feeds if f.url in wanted]
        if every:
            return feeds
        return [f for f in feeds if f.next_poll_at is None or f.next_poll_at <= now]

    def record_poll(self, feed_id: int, outcome: PollOutcome, now: datetime) -> None:
        """Store one poll's outcome (joins the caller's transaction when there is one)."""
        o = outcome
        with write(self.db):
            self.db.conn.execute(
                "UPDATE feeds SET last_status = ?, http_status = ?, last_error = ?, "
                "error_count = ?, etag = ?, last_modified = ?, body_hash = ?, next_poll_at = ?, "
                "last_polled_at = ?, feed_title = COALESCE(?, feed_title), "
                "site_url = COALESCE(?, site_url), "
                "last_success_at = CASE WHEN ? IN ('ok', 'not_modified') THEN ? "
                "ELSE last_success_at END WHERE id = ?",
                (
                    o.status,
                    o.http_status,
                    o.error,
                    o.error_count,
                    o.etag,
                    o.last_modified,
                    o.body_hash,
                    to_db(o.next_poll_at),
                    to_db(now),
                    o.feed_title,
                    o.site_url,
                    o.status,
                    to_db(now),
                    feed_id,
                ),
            )
            if o.new_url:
                self.db.conn.execute(
                    "UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM feeds WHERE url = ?)",
                    (o.new_url, feed_id, o.new_url),
                )

    def record_run(self, started: datetime, finished: datetime, counts: dict[str, int]) -> None:
        """One finished poll run (the app's status line shows the last one)."""
        keys = ("feeds", "ok", "not_modified", "errors", "new_stories", "updated_stories")
        with write(self.db):
            self.db.conn.execute(
                f"INSERT INTO poll_runs (started_at, finished_at, {', '.join(keys)}) "
                f"VALUES (?, ?, {', '.join('?' for _ in keys)})",
                (to_db(started), to_db(finished), *(int(counts.get(k, 0)) for k in keys)),
            )

    def last_run_at(self) -> datetime | None:
        row = self.db.conn.execute("SELECT max(finished_at) FROM poll_runs").fetchone()
        return from_db(row[0]) if row and row[0] else None

    def failing(self) -> list[Feed]:
        return [f for f in self.all(active_only=True) if f.failing]

    def urls(self) -> Iterable[str]:
        return [str(r[0]) for r in self.db.conn.execute("SELECT url FROM feeds")]

    def never_polled(self, urls: Sequence[str] = ()) -> bool:
        """Whether an active feed (one of `urls`, when given) was never polled: such a feed is
        always due, and its first poll will most likely parse a body."""
        sql = "SELECT url FROM feeds WHERE active = 1 AND last_polled_at IS NULL"
        wanted = set(urls)
        return any(not wanted or str(url) in wanted for (url,) in self.db.conn.execute(sql))
