"""Clusters in the database: assigning new stories at ingest, rebuilding all, cluster reads."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.cluster import Assignment, Cluster, Clusterer, Item, Params
from tracker.cluster_cover import Coverage
from tracker.store.db import Db, batches, data_version, write
from tracker.timeutil import from_db, to_db

REPLAY_LIMIT = 20_000  # recent clustered stories replayed to rebuild term statistics
BATCH = 2_000  # stories per transaction in a rebuild
EVICT_EVERY = 16  # batches between passes that drop clusters no covered time needs

_ITEM_COLUMNS = "s.id, s.feed_id, s.title, s.url, s.summary, s.sort_at"
Progress = Callable[[int, int], None]  # (done, total)
_INSERT_CLUSTER = (
    "INSERT INTO clusters (id, label, size, first_seen, last_seen) VALUES (?, ?, 0, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """A clusters row."""

    id: int
    label: str
    size: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """A story of a cluster and why it joined (score 0 and no terms: it started the cluster)."""

    story_id: int
    feed_id: int
    feed_title: str
    title: str
    url: str | None
    sort_at: datetime
    score: float
    terms: tuple[str, ...]


class ClusterRepo:
    """Keeps a `Clusterer` in memory between calls; it is rebuilt from the database when
    another connection changed the clusters or our last write did not stick (a rolled-back
    ingest). Other commits (the poller's ingest, every feed) leave it be."""

    def __init__(self, db: Db, params: Params | None = None) -> None:
        self.db = db
        self.params = params or Params()
        self._clusterer: Clusterer | None = None
        self._version = -1
        self._sentinel: tuple[int, int] | None = None  # (story id, cluster id) written last
        self._top = 0  # the newest cluster id stored, as of our last load or write
        # story times for which every stored cluster that could be a candidate is in memory
        self._covered = Coverage(timedelta(hours=self.params.window_hours))
        self._resident = 0  # clusters in memory after the last eviction pass

    # --- ingest ---------------------------------------------------------------------------

    def assign(self, story_ids: Sequence[int]) -> int:
        """Cluster the given stories (those not clustered yet), oldest first by `sort_at`;
        returns how many.

        The assignments are computed before the write lock is taken and written in one short
        transaction (or in the caller's, when there is one), so the poller's clustering process
        holds the lock only to write."""
        clusterer = self._ready()
        rows: list[tuple[object, ...]] = []
        for marks, part in batches(sorted(set(story_ids))):
            rows.extend(
                self.db.conn.execute(
                    f"SELECT {_ITEM_COLUMNS} FROM stories s WHERE s.id IN ({marks}) "
                    "AND s.cluster_id IS NULL",
                    tuple(part),
                )
            )
        rows.sort(key=lambda r: (str(r[5]), int(str(r[0]))))
        self._restore_around(clusterer, rows)
        self._apply(clusterer, rows)
        self._version = data_version(self.db)
        return len(rows)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Forget every cluster and cluster all stories again, oldest first, in batches."""
        conn = self.db.conn
        with write(self.db):
            conn.execute("UPDATE stories SET cluster_id = NULL, cluster_score = NULL, "
                         "cluster_terms = NULL WHERE cluster_id IS NOT NULL")  # fmt: skip
            conn.execute("DELETE FROM clusters")
        self._clusterer, self._sentinel = Clusterer(self.params), None
        self._covered.clear()
        self._version = data_version(self.db)
        return self._stream(self._clusterer, progress)

    def assign_unclustered(self, progress: Progress | None = None) -> int:
        """Cluster every story that has no cluster yet (e.g. stored before clustering ran)."""
        with write(self.db):
            clusterer = self._ready()
        return self._stream(clusterer, progress)

    def _stream(self, clusterer: Clusterer, progress: Progress | None) -> int:
        """Assign unclustered stories oldest first, one short transaction per batch."""
        conn = self.db.conn
        total = int(
            conn.execute("SELECT count(*) FROM stories WHERE cluster_id IS NULL").fetchone()[0]
        )
        done, after = 0, ("", 0)
        if progress is not None:
            progress(0, total)
        while True:
            rows = conn.execute(
                f"SELECT {_ITEM_COLUMNS} FROM stories s WHERE s.cluster_id IS NULL "
                "AND (s.sort_at, s.id) > (?, ?) ORDER BY s.sort_at, s.id LIMIT ?",
                (*after, BATCH),
            ).fetchall()
            if rows:
                self._restore_around(clusterer, rows)
                self._apply(clusterer, rows)
            if not rows:
                break
            self._version = data_version(self.db)
            after = (str(rows[-1][5]), int(rows[-1][0]))
            done += len(rows)
            if progress is not None:
                progress(done, max(total, done))
        return done

    def _apply(self, clusterer: Clusterer, rows: Sequence[tuple[object, ...]]) -> None:
        """Assign each row in memory, then write the stories, the touched clusters and any
        merges in one transaction. Should the write fail (or the caller's transaction roll
        back), the clusterer is reloaded from what was stored on the next call."""
        if not rows:
            return
        ops: list[tuple[str, tuple[object, ...]]] = []  # merge statements, in order
        touched: set[int] = set()
        created: dict[int, tuple[object, ...]] = {}  # clusters rows, inserted in one go
        assigned: dict[int, list[object]] = {}  # story id -> [cluster id, score, terms JSON]
        moved: dict[int, int] = {}  # cluster merged away in this batch -> the one it joined
        for row in rows:
            story_id = int(str(row[0]))
            a: Assignment = clusterer.add(_item(row))
            if a.new:
                created[a.cluster_id] = (a.cluster_id, str(row[2] or ""), row[5], row[5])
            for gone in a.merged:
                if created.pop(gone, None) is None:  # stored by an earlier batch
                    if a.cluster_id in created:  # its row first (foreign key)
                        ops.append((_INSERT_CLUSTER, created.pop(a.cluster_id)))
                    ops.append(
                        ("UPDATE stories SET cluster_id = ? WHERE cluster_id = ?",
                         (a.cluster_id, gone))
                    )  # fmt: skip
                    ops.append(("DELETE FROM clusters WHERE id = ?", (gone,)))
                moved[gone] = a.cluster_id  # its stories so far follow (resolved below)
                touched.discard(gone)
            assigned[story_id] = [a.cluster_id, a.score, json.dumps(list(a.terms))]
            touched.add(a.cluster_id)
        for entry in assigned.values():
            cid = int(str(entry[0]))
            while cid in moved:
                cid = moved[cid]
            entry[0] = cid
        states = [clusterer.clusters[cid] for cid in sorted(touched) if cid in clusterer.clusters]
        conn = self.db.conn
        try:
            with write(self.db):
                for sql, params in ops:
                    conn.execute(sql, params)
                # the clusters rows must exist before stories point at them (foreign key)
                conn.executemany(_INSERT_CLUSTER, created.values())
                conn.executemany(
                    "UPDATE stories SET cluster_id = ?, cluster_score = ?, cluster_terms = ? "
                    "WHERE id = ?",
                    [(*entry, sid) for sid, entry in assigned.items()],
                )
                for cluster in states:
                    self._write_cluster(cluster)
                self._top = self._newest()
        except BaseException:
            self._clusterer = None  # memory ran ahead of the database: reload next time
            raise
        last = int(str(rows[-1][0]))
        if last in assigned:
            self._sentinel = (last, int(str(assigned[last][0])))
        # Saved already; `_restore_around` brings them back when a story needs them. A pass
        # over all clusters costs their number, so it runs every few batches or on growth.
        cover = self._covered
        cover.trim()
        resident = len(clusterer.clusters)
        if cover.batch % EVICT_EVERY == 0 or resident > self._resident * 5 // 4 + 100:
            clusterer.retain(cover.needed)
            self._resident = len(clusterer.clusters)

    def _write_cluster(self, cluster: Cluster) -> None:
        self.db.conn.execute(
            "UPDATE clusters SET size = (SELECT count(*) FROM stories WHERE cluster_id = ?), "
            "first_seen = ?, last_seen = ?, state = ? WHERE id = ?",
            (
                cluster.id,
                to_db(cluster.first),
                to_db(cluster.last),
                json.dumps(cluster.to_state()),
                cluster.id,
            ),
        )

    # --- the in-memory clusterer ------------------------------------------------------------

    def prepare(self) -> None:
        """Load the clusterer now (replaying recent stories' term statistics), ahead of the
        first stories to cluster."""
        self._ready()

    def _ready(self) -> Clusterer:
        """The clusterer in memory while the stored clusters are still those it wrote or
        loaded; else one reloaded (replaying recent stories costs seconds, so not lightly)."""
        if self._clusterer is not None and self._still_ours():
            self._version = data_version(self.db)
            return self._clusterer
        return self._load()

    def _still_ours(self) -> bool:
        """Our last assignment is still stored and, when another connection committed since,
        no cluster newer than ours appeared (another clusterer or a rebuild makes some)."""
        conn = self.db.conn
        if self._sentinel is not None:
            row = conn.execute(
                "SELECT cluster_id FROM stories WHERE id = ?", (self._sentinel[0],)
            ).fetchone()
            if row is None or row[0] != self._sentinel[1]:
                return False
        return data_version(self.db) == self._version or self._newest() == self._top

    def _newest(self) -> int:
        return int(self.db.conn.execute("SELECT max(id) FROM clusters").fetchone()[0] or 0)

    def _load(self) -> Clusterer:
        """A clusterer with term statistics replayed from recent clustered stories."""
        conn = self.db.conn
        clusterer = Clusterer(self.params)
        recent = conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM stories s WHERE s.cluster_id IS NOT NULL "
            "ORDER BY s.id DESC LIMIT ?",
            (REPLAY_LIMIT,),
        ).fetchall()
        for row in reversed(recent):
            clusterer.observe(_item(row))
        self._top = self._newest()
        clusterer.next_id = max(clusterer.next_id, self._top + 1)
        self._clusterer, self._sentinel, self._resident = clusterer, None, 0
        self._covered.clear()
        return clusterer

    def _restore_around(self, clusterer: Clusterer, rows: Sequence[Sequence[object]]) -> None:
        """Restore the stored clusters active within the window of these stories' times that
        are not in memory (never loaded, or evicted earlier)."""
        if not rows:
            return
        times = [str(r[5]) for r in rows]
        window = timedelta(hours=self.params.window_hours)
        oldest, newest = from_db(min(times)), from_db(max(times))
        assert oldest is not None and newest is not None
        if self._covered.covers(oldest, newest):
            return
        # Load a window more than needed, so the next feeds' stories of about the same time
        # are covered too (one lookup per poll run and time span rather than one per feed).
        low, high = oldest - window, newest + window
        self._covered.add(low, high, newest)
        conn = self.db.conn
        missing = [
            int(cid)
            for (cid,) in conn.execute(
                "SELECT id FROM clusters WHERE last_seen >= ? AND first_seen <= ? "
                "AND state IS NOT NULL",
                (to_db(low - window), to_db(high + window)),
            )
            if int(cid) not in clusterer.clusters
        ]
        for marks, part in batches(missing):
            for cid, state in conn.execute(
                f"SELECT id, state FROM clusters WHERE id IN ({marks})", tuple(part)
            ):
                try:
                    cluster = Cluster.from_state(int(cid), json.loads(str(state)))
                except (ValueError, TypeError):  # a damaged row must not block every ingest
                    continue
                clusterer.restore(cluster)

    # --- reads ------------------------------------------------------------------------------

    def get(self, cluster_id: int) -> ClusterInfo | None:
        row = self.db.conn.execute(
            "SELECT id, label, size, first_seen, last_seen FROM clusters WHERE id = ?",
            (cluster_id,),
        ).fetchone()
        if row is None:
            return None
        first, last = from_db(row[3]), from_db(row[4])
        assert first is not None and last is not None
        return ClusterInfo(int(row[0]), str(row[1] or ""), int(row[2]), first, last)

    def members(self, cluster_id: int) -> list[ClusterMember]:
        """The cluster's stories, oldest first, with the score and terms they joined with."""
        out: list[ClusterMember] = []
        for r in self.db.conn.execute(
            "SELECT s.id, s.feed_id, COALESCE(f.title, f.feed_title, f.url), s.title, s.url, "
            "s.sort_at, s.cluster_score, s.cluster_terms FROM stories s "
            "JOIN feeds f ON f.id = s.feed_id WHERE s.cluster_id = ? ORDER BY s.sort_at, s.id",
            (cluster_id,),
        ):
            when = from_db(r[5])
            assert when is not None
            terms = tuple(str(t) for t in json.loads(r[7] or "[]"))
            out.append(
                ClusterMember(
                    int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], when, float(r[6] or 0), terms
                )
            )
        return out

    def with_mates(self, story_ids: Sequence[int]) -> list[int]:
        """`story_ids` plus every story that shares a cluster with one of them."""
        out = set(story_ids)
        for marks, part in batches(list(story_ids)):
            out.update(
                int(sid)
                for (sid,) in self.db.conn.execute(
                    f"SELECT id FROM stories WHERE cluster_id IN (SELECT cluster_id FROM stories "
                    f"WHERE id IN ({marks}) AND cluster_id IS NOT NULL)",
                    tuple(part),
                )
            )
        return sorted(out)

    def count(self) -> int:
        return int(self.db.conn.execute("SELECT count(*) FROM clusters").fetchone()[0])


def _item(row: Sequence[object]) -> Item:
    """A story row (`_ITEM_COLUMNS`) as a clusterer item; its feed is its source."""
    return Item(
        title=str(row[2] or ""),
        url=None if row[3] is None else str(row[3]),
        source=str(row[1]),
        published=from_db(str(row[5])),
        summary=str(row[4] or ""),
    )
