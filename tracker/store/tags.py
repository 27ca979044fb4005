"""Tags on stories: who set them (user, feed, rule), hand removals that stick, counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.models import TagSource
from tracker.store.db import Db, batches, write
from tracker.timeutil import to_db


class TagRepo:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(
        self,
        story_ids: Sequence[int],
        tags: Sequence[str],
        now: datetime,
        *,
        source: TagSource = "user",
        rule: str | None = None,
    ) -> int:
        """Add tags; returns how many (story, tag) pairs were new.

        A user's tag clears an earlier hand removal; a rule's or feed's tag respects it.
        """
        conn = self.db.conn
        count = 0
        with write(self.db):
            for tag in tags:
                for marks, part in batches(story_ids):
                    if source == "user":
                        conn.execute(
                            f"DELETE FROM tag_removals WHERE tag = ? AND story_id IN ({marks})",
                            (tag, *part),
                        )
                        guard = ""
                    else:
                        guard = (
                            "AND NOT EXISTS (SELECT 1 FROM tag_removals r "
                            "WHERE r.story_id = s.id AND r.tag = ?)"
                        )
                    params: tuple[object, ...] = (tag, source, rule, to_db(now), *part)
                    count += conn.execute(
                        f"INSERT OR IGNORE INTO story_tags (story_id, tag, source, rule, added_at)"
                        f" SELECT s.id, ?, ?, ?, ? FROM stories s WHERE s.id IN ({marks}) {guard}",
                        params + ((tag,) if guard else ()),
                    ).rowcount
        return count

    def remove(self, story_ids: Sequence[int], tags: Sequence[str], now: datetime) -> int:
        """Remove tags by hand; rules and feed tags will not put them back."""
        conn = self.db.conn
        count = 0
        with write(self.db):
            for tag in tags:
                for marks, part in batches(story_ids):
                    removed = conn.execute(
                        f"DELETE FROM story_tags WHERE tag = ? AND story_id IN ({marks}) "
                        f"RETURNING story_id",
                        (tag, *part),
                    ).fetchall()
                    conn.executemany(
                        "INSERT OR REPLACE INTO tag_removals (story_id, tag, removed_at) "
                        "VALUES (?, ?, ?)",
                        [(int(sid), tag, to_db(now)) for (sid,) in removed],
                    )
                    count += len(removed)
        return count

    def of_story(self, story_id: int) -> list[tuple[str, str, str | None]]:
        """(tag, source, rule) for one story: the reader shows where each tag came from."""
        return [
            (str(t), str(s), None if r is None else str(r))
            for t, s, r in self.db.conn.execute(
                "SELECT tag, source, rule FROM story_tags WHERE story_id = ? ORDER BY tag",
                (story_id,),
            )
        ]

    def counts(self) -> list[tuple[str, int, int]]:
        """(tag, stories, unread) for every tag, most used first."""
        return [
            (str(t), int(n), int(u or 0))
            for t, n, u in self.db.conn.execute(
                "SELECT t.tag, count(*), sum(s.read = 0) FROM story_tags t "
                "JOIN stories s ON s.id = t.story_id GROUP BY t.tag ORDER BY count(*) DESC, t.tag"
            )
        ]

    def names(self) -> list[str]:
        """Every tag in use, for autocomplete."""
        return [str(t) for (t,) in self.db.conn.execute("SELECT DISTINCT tag FROM story_tags")]
