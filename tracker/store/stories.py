"""Stories: ingest (identity, change detection, user state kept), reads and the user's marks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlite_utils import Database

from tracker.models import IngestResult, Story, StoryRecord
from tracker.store.db import batches, write
from tracker.store.rows import STORY_COLUMNS, story_from_row
from tracker.timeutil import to_db

STORY_FROM = "stories s JOIN feeds f ON f.id = s.feed_id"


class StoryRepo:
    def __init__(self, db: Database) -> None:
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
        new_ids: list[int] = []
        updated_ids: list[int] = []
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
                text = (
                    rec.guid, rec.url, rec.title, rec.author, rec.summary, rec.content,
                    rec.content_html, to_db(rec.published), to_db(rec.updated), rec.content_hash,
                )  # fmt: skip
                if rec.key in existing:
                    sid, old_hash = existing[rec.key]
                    if old_hash != rec.content_hash:
                        conn.execute(
                            "UPDATE stories SET guid = ?, url = ?, title = ?, author = ?, "
                            "summary = ?, content = ?, content_html = ?, published = ?, "
                            "updated = ?, content_hash = ? WHERE id = ?",
                            (*text, sid),
                        )
                        updated_ids.append(sid)
                    continue
                published = rec.published
                sort_at = min(published, now) if published else now
                cur = conn.execute(
                    "INSERT INTO stories (guid, url, title, author, summary, content, "
                    "content_html, published, updated, content_hash, feed_id, key, first_seen, "
                    "sort_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*text, feed_id, rec.key, now_text, to_db(sort_at)),
                )
                sid = int(cur.lastrowid or 0)
                existing[rec.key] = (sid, rec.content_hash)  # duplicates in one document
                new_ids.append(sid)
            if feed_tags and new_ids:
                conn.executemany(
                    "INSERT OR IGNORE INTO story_tags (story_id, tag, source, added_at) "
                    "VALUES (?, ?, 'feed', ?)",
                    [(sid, tag, now_text) for sid in new_ids for tag in feed_tags],
                )
        return IngestResult(tuple(new_ids), tuple(updated_ids))

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
