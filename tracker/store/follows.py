"""Follows: sync from feeds.toml, gathering (at creation and at ingest), hand pins/exclusions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.follow import Follow, How
from tracker.models import Config
from tracker.store.db import Db, batches, write
from tracker.store.follow_reads import EPOCH, MEMBER, FollowReads
from tracker.timeutil import from_db, to_db, utcnow

_FOLLOW_COLUMNS = "f.id, f.name, f.query, f.origin, f.created_at, f.last_opened_at"


def matching_ids(db: Db, query: str, within: Sequence[int] | None, now: datetime) -> list[int]:
    """follow_match.matching_ids, imported at the first gathering: `tracker poll` syncs follows
    on every run and must not load the query language when nothing is gathered."""
    from tracker.store.follow_match import matching_ids as match

    return match(db, query, within, now)


@dataclass(frozen=True, slots=True)
class FollowSync:
    added: int
    updated: int
    removed: int


class FollowRepo(FollowReads):
    def __init__(self, db: Db) -> None:
        self.db = db

    # --- the follows themselves ---------------------------------------------------------------

    def sync(self, config: Config, now: datetime | None = None) -> FollowSync:
        """Make config follows match feeds.toml; a changed query re-gathers (hand marks stay).

        A follow listed in feeds.toml becomes a config follow even if it was added by hand;
        config follows no longer listed are removed. User follows are left alone.
        """
        conn = self.db.conn
        now = now or utcnow()
        added = updated = removed = 0
        with write(self.db):
            known = {f.name: f for f in self.all(counts=False)}
            for item in config.follows:
                old = known.get(item.name)
                if old is None:
                    self.add(item.name, item.query, now, origin="config")
                    added += 1
                elif old.query != item.query or old.origin != "config":
                    conn.execute(
                        "UPDATE follows SET query = ?, origin = 'config' WHERE id = ?",
                        (item.query, old.id),
                    )
                    if old.query != item.query:
                        self.gather(old.id, now)
                    updated += 1
            listed = {f.name for f in config.follows}
            for follow in known.values():
                if follow.origin == "config" and follow.name not in listed:
                    removed += self.remove(follow.name)
        return FollowSync(added, updated, removed)

    def add(self, name: str, query: str, now: datetime, origin: str = "user") -> tuple[Follow, int]:
        """Create a follow and gather the stored stories it matches; (follow, gathered)."""
        with write(self.db):
            cur = self.db.conn.execute(
                "INSERT INTO follows (name, query, origin, created_at) VALUES (?, ?, ?, ?)",
                (name, query, origin, to_db(now)),
            )
            follow_id = int(cur.lastrowid or 0)
            gathered = self.gather(follow_id, now)
        follow = self.by_id(follow_id)
        assert follow is not None
        return follow, gathered

    def remove(self, name: str) -> int:
        with write(self.db):
            return self.db.conn.execute("DELETE FROM follows WHERE name = ?", (name,)).rowcount

    def get(self, name: str) -> Follow | None:
        return next((f for f in self._select("WHERE f.name = ?", (name,))), None)

    def by_id(self, follow_id: int) -> Follow | None:
        return next((f for f in self._select("WHERE f.id = ?", (follow_id,))), None)

    def all(self, *, counts: bool = True) -> list[Follow]:
        """Every follow by name, with member and new-since-last-visit counts."""
        return self._select("ORDER BY f.name COLLATE NOCASE", (), counts=counts)

    def _select(self, tail: str, params: tuple[object, ...], counts: bool = True) -> list[Follow]:
        extra = (
            f", (SELECT count(*) FROM follow_stories m WHERE m.follow_id = f.id AND m.{MEMBER}),"
            f" (SELECT count(*) FROM follow_stories m WHERE m.follow_id = f.id AND m.{MEMBER}"
            f" AND (f.last_opened_at IS NULL OR m.added_at > f.last_opened_at))"
            if counts
            else ", 0, 0"
        )
        rows = self.db.conn.execute(
            f"SELECT {_FOLLOW_COLUMNS}{extra} FROM follows f {tail}", params
        ).fetchall()
        return [
            Follow(
                id=int(r[0]),
                name=str(r[1]),
                query=str(r[2]),
                origin=str(r[3]),
                created_at=from_db(str(r[4])) or EPOCH,
                last_opened_at=from_db(r[5]),
                story_count=int(r[6]),
                new_count=int(r[7]),
            )
            for r in rows
        ]

    def mark_opened(self, follow_id: int, now: datetime) -> None:
        with write(self.db):
            self.db.conn.execute(
                "UPDATE follows SET last_opened_at = ? WHERE id = ?", (to_db(now), follow_id)
            )

    # --- gathering ------------------------------------------------------------------------------

    def gather(self, follow_id: int, now: datetime) -> int:
        """Re-evaluate a follow's query over every stored story; returns how many joined.

        Matches that no longer match leave; pins and exclusions are never touched.
        """
        follow = self.by_id(follow_id)
        if follow is None:
            return 0
        ids = matching_ids(self.db, follow.query, None, now)
        conn = self.db.conn
        with write(self.db):
            before = {
                int(sid)
                for (sid,) in conn.execute(
                    "SELECT story_id FROM follow_stories WHERE follow_id = ? AND how = 'match'",
                    (follow_id,),
                )
            }
            gone = sorted(before - set(ids))
            for marks, part in batches(gone):
                conn.execute(
                    f"DELETE FROM follow_stories WHERE follow_id = ? AND how = 'match' "
                    f"AND story_id IN ({marks})",
                    (follow_id, *part),
                )
            return self._insert_matches(follow_id, ids, now)

    def gather_new(self, story_ids: Sequence[int], now: datetime) -> int:
        """Add newly ingested stories to every follow they match (joins the caller's
        transaction: the poller calls it inside each feed's). Returns rows added."""
        if not story_ids:
            return 0
        added = 0
        with write(self.db):
            for follow in self.all(counts=False):
                ids = matching_ids(self.db, follow.query, story_ids, now)
                added += self._insert_matches(follow.id, ids, now)
        return added

    def _insert_matches(self, follow_id: int, ids: Sequence[int], now: datetime) -> int:
        """Matches join unless the story is already pinned or excluded (then nothing changes)."""
        added_at = to_db(now)
        return self.db.conn.executemany(
            "INSERT OR IGNORE INTO follow_stories (follow_id, story_id, how, added_at) "
            "VALUES (?, ?, 'match', ?)",
            [(follow_id, sid, added_at) for sid in ids],
        ).rowcount

    # --- by hand ----------------------------------------------------------------------------

    def pin(self, follow_id: int, story_ids: Sequence[int], now: datetime) -> int:
        """Pin stories in: they stay whatever the query says. Returns stories that exist."""
        return self._mark(follow_id, story_ids, "pin", now)

    def exclude(self, follow_id: int, story_ids: Sequence[int], now: datetime) -> int:
        """Exclude stories: they never (re-)join, by query or at ingest."""
        return self._mark(follow_id, story_ids, "exclude", now)

    def _mark(self, follow_id: int, story_ids: Sequence[int], how: How, now: datetime) -> int:
        count = 0
        with write(self.db):
            for marks, part in batches(story_ids):
                # A pin keeps the time a story joined (it is not "new" for being pinned).
                count += self.db.conn.execute(
                    f"INSERT INTO follow_stories (follow_id, story_id, how, added_at) "
                    f"SELECT ?, s.id, ?, ? FROM stories s WHERE s.id IN ({marks}) "
                    f"ON CONFLICT (follow_id, story_id) DO UPDATE SET how = excluded.how, "
                    f"added_at = CASE WHEN excluded.how = 'pin' AND how = 'match' "
                    f"THEN added_at ELSE excluded.added_at END",
                    (follow_id, how, to_db(now), *part),
                ).rowcount
        return count

    def release(self, follow_id: int, story_ids: Sequence[int], now: datetime) -> int:
        """Undo pins and exclusions: the query decides again. Returns marks removed."""
        follow = self.by_id(follow_id)
        if follow is None:
            return 0
        count = 0
        with write(self.db):
            for marks, part in batches(story_ids):
                count += self.db.conn.execute(
                    f"DELETE FROM follow_stories WHERE follow_id = ? AND how != 'match' "
                    f"AND story_id IN ({marks})",
                    (follow_id, *part),
                ).rowcount
            matching = matching_ids(self.db, follow.query, list(story_ids), now)
            self._insert_matches(follow_id, matching, now)
        return count

    def excluded(self, follow_id: int) -> list[int]:
        return [
            int(sid)
            for (sid,) in self.db.conn.execute(
                "SELECT story_id FROM follow_stories WHERE follow_id = ? AND how = 'exclude' "
                "ORDER BY story_id",
                (follow_id,),
            )
        ]
