"""Stories: ingest (identity, change detection, user state kept), reads and the user's marks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.models import IngestResult, Story, StoryRecord
from tracker.store.db import Db, batches, write
from tracker.store.rows import STORY_COLUMNS, story_from_row
from tracker.timeutil import to_db

STORY_FROM = "stories s JOIN feeds f ON f.id = s.feed_id"
INSERT_ROWS = 64  # stories per INSERT statement (14 parameters each)
_INSERT_COLUMNS = (
    "guid, url, title, author, summary, content, content_html, published, updated, "
    "content_hash, feed_id, key, first_seen, sort_at"
)
_INSERT_ROW = "(" + ", ".join("?" * len(_INSERT_COLUMNS.split(","))) + ")"


def _text(rec: StoryRecord) -> tuple[object, ...]:
    """The columns a feed gives, as stored (shared by insert and update)."""
    return (
        rec.guid, rec.url, rec.title, rec.author, rec.summary, rec.content, rec.content_html,
        to_db(rec.published), to_db(rec.updated), rec.content_hash,
    )  # fmt: skip


class StoryRepo:
    def __init__(self, db: Db) -> None:
        self.db = db

    def ingest(
        self,
        feed_id: int,
        records: Sequence[StoryRecord],
        now: datetime,
        feed_tags: Sequence[str] = (),
    ) -> IngestResult:
        """Insert new stories, update changed ones (by content hash), in one transaction.

        Read, starred, tags and follow pins are never touched; tombstoned keys are skipped.
        """
        conn = self.db.conn
        now_text = to_db(now)
        updated_ids: list[int] = []
        fresh: dict[str, StoryRecord] = {}  # new keys, in document order
        with write(self.db):
            keys = [r.key for r in records]
            existing: dict[str, tuple[int, str]] = {}
            tombstones: set[str] = set()
            for marks, part in batches(keys):
                for sid, key, chash in conn.execute(
                    f"SELECT id, key, content_hash FROM stories WHERE feed_id = ? "
                    f"AND key IN ({marks})",
                    (feed_id, *part),
                ):
                    existing[str(key)] = (int(sid), str(chash))
                tombstones.update(
                    str(k)
                    for (k,) in conn.execute(
                        f"SELECT key FROM deleted_stories WHERE feed_id = ? AND key IN ({marks})",
                        (feed_id, *part),
                    )
                )
            for rec in records:
                if rec.key in tombstones:
                    continue
                if rec.key in existing:
                    sid, old_hash = existing[rec.key]
                    if old_hash != rec.content_hash:
                        conn.execute(
                            "UPDATE stories SET guid = ?, url = ?, title = ?, author = ?, "
                            "summary = ?, content = ?, content_html = ?, published = ?, "
                            "updated = ?, content_hash = ? WHERE id = ?",
                            (*_text(rec), sid),
                        )
                        updated_ids.append(sid)
                    continue
                fresh[rec.key] = rec  # a key twice in one document: the last one stands
            ids = self._insert(feed_id, list(fresh.values()), now, now_text)
            new_ids = [ids[key] for key in fresh]
            if feed_tags and new_ids:
                conn.executemany(
                    "INSERT OR IGNORE INTO story_tags (story_id, tag, source, added_at) "
                    "VALUES (?, ?, 'feed', ?)",
                    [(sid, tag, now_text) for sid in new_ids for tag in feed_tags],
                )
        return IngestResult(tuple(new_ids), tuple(updated_ids))

    def _insert(
        self, feed_id: int, records: list[StoryRecord], now: datetime, now_text: str | None
    ) -> dict[str, int]:
        """Insert new stories, many rows per statement; returns key -> id.

        The full-text trigger then indexes a whole statement's rows at once: FTS5 writes a
        segment per statement, so one statement per story meant a segment per story and
        merges that wrote ~12x the database's size in a 25k-story first poll."""
        ids: dict[str, int] = {}
        for start in range(0, len(records), INSERT_ROWS):
            part = records[start : start + INSERT_ROWS]
            params: list[object] = []
            for rec in part:
                sort_at = min(rec.published, now) if rec.published else now
                params += (*_text(rec), feed_id, rec.key, now_text, to_db(sort_at))
            rows = ", ".join([_INSERT_ROW] * len(part))
            ids.update(
                (str(key), int(sid))
                for sid, key in self.db.conn.execute(
                    f"INSERT INTO stories ({_INSERT_COLUMNS}) VALUES {rows} RETURNING id, key",
                    params,
                )
            )
        return ids

    def unclustered(self) -> bool:
        """Whether some story has no cluster yet (e.g. a poll was killed before clustering);
        here rather than in the cluster repository, so asking does not load the clusterer."""
        row = self.db.conn.execute("SELECT 1 FROM stories WHERE cluster_id IS NULL LIMIT 1")
        return row.fetchone() is not None

    def get(self, story_id: int) -> Story | None:
        row = self.db.conn.execute(
            f"SELECT {STORY_COLUMNS}, s.content_html FROM {STORY_FROM} WHERE s.id = ?",
            (story_id,),
        ).fetchone()
        return story_from_row(row[:-1], str(row[-1] or "")) if row else None

    def many(self, story_ids: Sequence[int]) -> list[Story]:
        """Stories by id, newest first (no content)."""
        out: list[Story] = []
        for marks, part in batches(story_ids):
            out.extend(
                story_from_row(r)
                for r in self.db.conn.execute(
                    f"SELECT {STORY_COLUMNS} FROM {STORY_FROM} WHERE s.id IN ({marks})", part
                )
            )
        out.sort(key=lambda s: (s.sort_at, s.id), reverse=True)
        return out

    def set_read(self, story_ids: Sequence[int], read: bool, now: datetime) -> int:
        return self._set(
            "read = ?, read_at = ?",
            (int(read), to_db(now) if read else None),
            story_ids,
            f"read != {int(read)}",
        )

    def set_starred(self, story_ids: Sequence[int], starred: bool) -> int:
        return self._set("starred = ?", (int(starred),), story_ids, f"starred != {int(starred)}")

    def _set(
        self, assignments: str, values: tuple[object, ...], ids: Sequence[int], changed: str
    ) -> int:
        count = 0
        with write(self.db):
            for marks, part in batches(ids):
                count += self.db.conn.execute(
                    f"UPDATE stories SET {assignments} WHERE id IN ({marks}) AND {changed}",
                    (*values, *part),
                ).rowcount
        return count

    def delete(self, story_ids: Sequence[int], now: datetime) -> int:
        """Delete stories for good: a tombstone keeps a re-poll from bringing them back."""
        count = 0
        with write(self.db):
            for marks, part in batches(story_ids):
                self.db.conn.execute(
                    f"INSERT OR IGNORE INTO deleted_stories (feed_id, key, deleted_at) "
                    f"SELECT feed_id, key, ? FROM stories WHERE id IN ({marks})",
                    (to_db(now), *part),
                )
                count += self.db.conn.execute(
                    f"DELETE FROM stories WHERE id IN ({marks})", part
                ).rowcount
        return count

    def totals(self) -> tuple[int, int]:
        """(stories, unread) over the whole database."""
        total = self.db.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        unread = self.db.conn.execute(
            "SELECT count(*) FROM stories INDEXED BY stories_unread_sort WHERE read = 0"
        ).fetchone()[0]
        return int(total), int(unread)
