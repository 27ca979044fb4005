"""What a follow's dossier is built from: its members, cluster sizes, the dossier itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum

from tracker.follow import Dossier, Follow, How, Member, build_dossier
from tracker.store.db import Db, batches
from tracker.store.rows import STORY_COLUMNS, story_from_row
from tracker.timeutil import from_db

MEMBER = "how IN ('match', 'pin')"  # exclusions are rows too, never members
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # stands in for a missing time


class Since(Enum):
    STORED = "stored"  # the follow's own last visit


class FollowReads:
    """The read side `FollowRepo` builds on (it supplies `get`)."""

    db: Db

    def get(self, name: str) -> Follow | None:
        raise NotImplementedError

    def members(self, follow_id: int) -> list[Member]:
        """The follow's stories (matches and pins), newest first."""
        rows = self.db.conn.execute(
            # follow_stories drives (CROSS JOIN fixes the order): walking the stories' date
            # index instead and probing membership row by row reads the whole table.
            f"SELECT {STORY_COLUMNS}, m.how, m.added_at FROM follow_stories m "
            f"CROSS JOIN stories s ON s.id = m.story_id JOIN feeds f ON f.id = s.feed_id "
            f"WHERE m.follow_id = ? AND m.{MEMBER} ORDER BY s.sort_at DESC, s.id DESC",
            (follow_id,),
        ).fetchall()
        out: list[Member] = []
        for r in rows:
            how: How = "pin" if r[-2] == "pin" else "match"
            out.append(Member(story_from_row(r[:-2]), how, from_db(str(r[-1])) or EPOCH))
        return out

    def dossier(self, name: str, since: datetime | Since | None = Since.STORED) -> Dossier | None:
        """The follow's dossier, "new" counted from `since` (default: its stored last visit).

        Marking the visit is the caller's call (`mark_opened`); a screen that stays open passes
        the visit it started from, so its "new" marks survive reloads.
        """
        follow = self.get(name)
        if follow is None:
            return None
        if not isinstance(since, Since):
            follow = replace(follow, last_opened_at=since)
        members = self.members(follow.id)
        clusters = [m.story.cluster_id for m in members if m.story.cluster_id is not None]
        return build_dossier(follow, members, self.cluster_sources(clusters))

    def cluster_sources(self, cluster_ids: Sequence[int]) -> dict[int, int]:
        """Distinct sources (feeds) per cluster, database-wide: the "+N sources" of a row."""
        out: dict[int, int] = {}
        for marks, part in batches(sorted(set(cluster_ids))):
            out.update(
                (int(cid), int(n))
                for cid, n in self.db.conn.execute(
                    f"SELECT cluster_id, count(DISTINCT feed_id) FROM stories "
                    f"WHERE cluster_id IN ({marks}) GROUP BY cluster_id",
                    part,
                )
            )
        return out

    def recent_counts(self, days: int, now: datetime) -> dict[int, list[int]]:
        """Stories per day over the last `days` days (oldest first) for every follow."""
        first = (now - timedelta(days=days - 1)).date()
        out: dict[int, list[int]] = {}
        for follow_id, day, n in self.db.conn.execute(
            f"SELECT m.follow_id, substr(s.sort_at, 1, 10), count(*) FROM follow_stories m "
            f"CROSS JOIN stories s ON s.id = m.story_id WHERE m.{MEMBER} AND s.sort_at >= ? "
            f"GROUP BY 1, 2",
            (first.isoformat(),),
        ):
            index = (date.fromisoformat(str(day)) - first).days
            if 0 <= index < days:
                out.setdefault(int(follow_id), [0] * days)[index] = int(n)
        return out
