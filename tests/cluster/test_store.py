"""Clusters in the store: assignment through the poller's ingest hook, resuming across runs and
connections, rolled-back ingests, merges, rebuild, and the reads that explain a cluster."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.cluster.helpers import COMET, EBAY, FEEDS, cluster_of, ingest, record
from tracker.store import Store, write


def test_ingest_assigns_clusters_and_explains_joins(store: Store, now: datetime) -> None:
    a = ingest(store, 0, [EBAY[0], COMET], now)
    b = ingest(store, 1, [EBAY[1]], now + timedelta(minutes=5))
    c = ingest(store, 2, [EBAY[2]], now + timedelta(minutes=9))
    ebay = cluster_of(store, a[0])
    assert cluster_of(store, b[0]) == cluster_of(store, c[0]) == ebay
    assert cluster_of(store, a[1]) != ebay

    info = store.clusters.get(ebay)
    assert info is not None
    assert (info.label, info.size) == (EBAY[0], 3)
    assert info.first_seen == now and info.last_seen == now + timedelta(minutes=9)
    members = store.clusters.members(ebay)
    assert [m.title for m in members] == list(EBAY[:3])
    assert members[0].score == 0 and members[0].terms == ()
    assert members[1].score > 0.15 and "icahn" in members[1].terms
    state = store.db.conn.execute("SELECT state FROM clusters WHERE id = ?", (ebay,)).fetchone()
    assert json.loads(state[0])["size"] == 3
    assert store.clusters.count() == 2


def test_clustering_resumes_in_the_next_poll_run(db_path: Path, now: datetime) -> None:
    with Store.open(db_path) as first:
        ids = ingest(first, 0, [EBAY[0], EBAY[1]], now)
        ebay = cluster_of(first, ids[0])
    with Store.open(db_path) as second:  # a new process: state comes from the database
        later = ingest(second, 3, [EBAY[3], COMET], now + timedelta(hours=2))
        assert cluster_of(second, later[0]) == ebay
        assert cluster_of(second, later[1]) != ebay
        info = second.clusters.get(ebay)
        assert info is not None and info.size == 3


def test_another_connection_writes_are_noticed(db_path: Path, now: datetime) -> None:
    with Store.open(db_path) as one, Store.open(db_path) as two:
        first = ingest(one, 0, [EBAY[0]], now)
        other = ingest(two, 3, [COMET], now)  # `two` creates a cluster `one` does not know
        assert cluster_of(two, other[0]) != cluster_of(one, first[0])
        more = ingest(one, 1, [EBAY[1], "Comet Kessler-7 brightens for sky watchers"], now)
        assert cluster_of(one, more[0]) == cluster_of(one, first[0])
        assert cluster_of(one, more[1]) == cluster_of(one, other[0])


def test_other_commits_that_leave_clusters_alone_keep_the_clusterer(
    db_path: Path, now: datetime
) -> None:
    """The poller's clustering process sees the ingest commit between its batches; replaying
    recent stories after each of them cost seconds per batch."""
    with Store.open(db_path) as clustering, Store.open(db_path) as ingesting:
        first = ingest(clustering, 0, [EBAY[0]], now)
        kept = clustering.clusters._clusterer
        assert kept is not None
        with write(ingesting.db):  # stories land without clusters, as the poller stores them
            feed = ingesting.feeds.get(FEEDS[1])
            assert feed is not None
            new = ingesting.stories.ingest(feed.id, [record(EBAY[1], now)], now).new_ids
        ingesting.stories.set_read(list(new), True, now)
        assert clustering.clusters.assign(list(new)) == 1
        assert clustering.clusters._clusterer is kept
        assert cluster_of(clustering, new[0]) == cluster_of(clustering, first[0])


def test_a_rolled_back_ingest_leaves_no_ghost_clusters(store: Store, now: datetime) -> None:
    ingest(store, 0, [EBAY[0]], now)
    feed = store.feeds.get(FEEDS[1])
    assert feed is not None
    with pytest.raises(RuntimeError), write(store.db):
        result = store.stories.ingest(feed.id, [record(COMET, now)], now)
        store.clusters.assign(result.new_ids)
        raise RuntimeError("the feed failed after clustering")
    assert store.clusters.count() == 1
    ids = ingest(store, 1, [COMET, EBAY[1]], now)  # the same cluster ids are handed out again
    assert store.clusters.count() == 2
    assert cluster_of(store, ids[1]) != cluster_of(store, ids[0])


def test_merged_clusters_move_their_stories(store: Store, now: datetime) -> None:
    a = ingest(store, 0, ["Velmont Symphony musicians walk out"], now)
    b = ingest(store, 1, ["Orchestra pay strike: picket lines at concert hall"], now)
    assert cluster_of(store, a[0]) != cluster_of(store, b[0])
    c = ingest(
        store, 2, ["Velmont Symphony musicians on orchestra pay strike at concert hall"], now
    )
    merged = cluster_of(store, c[0])
    assert cluster_of(store, a[0]) == cluster_of(store, b[0]) == merged
    assert store.clusters.count() == 1
    info = store.clusters.get(merged)
    assert info is not None and info.size == 3


@pytest.mark.parametrize("stored", [0, 1])
def test_a_merge_inside_one_feed_moves_stored_and_new_stories(
    store: Store, now: datetime, stored: int
) -> None:
    """The feed's own new cluster and a stored one merge while the feed is written."""
    halves = ["Velmont Symphony musicians walk out", "Orchestra pay strike: picket lines at hall"]
    first = ingest(store, 0, [halves[stored]], now)
    both = "Velmont Symphony musicians on orchestra pay strike at concert hall"
    batch = ingest(store, 1, [halves[1 - stored], both], now)
    merged = cluster_of(store, batch[1])
    assert cluster_of(store, first[0]) == cluster_of(store, batch[0]) == merged
    assert store.clusters.count() == 1
    info = store.clusters.get(merged)
    assert info is not None and info.size == 3


def test_rebuild_reclusters_everything_with_progress(store: Store, now: datetime) -> None:
    ids = ingest(store, 0, [EBAY[0], COMET], now)
    ids += ingest(store, 1, [EBAY[1], EBAY[2]], now + timedelta(minutes=1))
    before = {i: cluster_of(store, i) for i in ids}
    store.db.conn.execute("UPDATE stories SET cluster_id = NULL WHERE id = ?", (ids[3],))
    calls: list[tuple[int, int]] = []
    assert store.clusters.rebuild(lambda done, total: calls.append((done, total))) == 4
    assert calls[0] == (0, 4) and calls[-1] == (4, 4)
    after = {i: cluster_of(store, i) for i in ids}
    same = [[before[i] == before[j] for j in ids] for i in ids]
    assert same == [[after[i] == after[j] for j in ids] for i in ids]
    assert store.clusters.count() == 2
    # clustering continues from the rebuilt state
    more = ingest(store, 2, [EBAY[3]], now + timedelta(minutes=2))
    assert cluster_of(store, more[0]) == after[ids[0]]


def test_assign_unclustered_catches_up(store: Store, now: datetime) -> None:
    ids = ingest(store, 0, [EBAY[0], EBAY[1], COMET], now)
    with write(store.db):
        store.db.conn.execute("UPDATE stories SET cluster_id = NULL")
        store.db.conn.execute("DELETE FROM clusters")
    assert store.clusters.assign_unclustered() == 3
    assert cluster_of(store, ids[0]) == cluster_of(store, ids[1]) != cluster_of(store, ids[2])
    assert store.clusters.assign_unclustered() == 0


def test_clusters_idle_beyond_the_window_are_not_joined(store: Store, now: datetime) -> None:
    old = ingest(store, 0, [EBAY[0]], now, published=now - timedelta(days=10))
    new = ingest(store, 1, [EBAY[1]], now)
    assert cluster_of(store, old[0]) != cluster_of(store, new[0])
    # an old story arriving late still finds the cluster of its own time
    late = ingest(store, 2, [EBAY[2]], now, published=now - timedelta(days=10, hours=-1))
    assert cluster_of(store, late[0]) == cluster_of(store, old[0])


def test_stored_clusters_are_looked_up_once_per_time_range(store: Store, now: datetime) -> None:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        ingest(store, 0, [EBAY[0]], now)
        ingest(store, 1, [EBAY[1]], now - timedelta(minutes=30))
        ingest(store, 2, [EBAY[2]], now + timedelta(hours=1))
        ingest(store, 3, [COMET], now - timedelta(days=20))  # a back-filled old entry
    finally:
        store.db.conn.set_trace_callback(None)
    lookups = [s for s in statements if s.startswith("SELECT id FROM clusters WHERE last_seen")]
    # the first lookup covers a window around the first feed's stories, so the next two feeds
    # need none; the old entry needs its own
    assert len(lookups) == 2


def test_feeds_alternating_between_two_eras_look_each_up_once(store: Store, now: datetime) -> None:
    """A poll mixes feeds dated years back with undated entries stored now: each era's clusters
    stay in memory, and old stories keep joining the old clusters."""
    old = now - timedelta(days=700)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        first = ingest(store, 0, [EBAY[0]], now, published=old)
        ingest(store, 1, [COMET], now)
        second = ingest(store, 2, [EBAY[1]], now, published=old + timedelta(hours=1))
        for feed in range(8):
            ingest(store, feed % 4, [f"Unrelated item number {feed} about zebra {feed}"], now)
            ingest(store, feed % 4, [f"Archive piece {feed} on quilts {feed}"], now, old)
        third = ingest(store, 3, [EBAY[2]], now, published=old + timedelta(hours=2))
    finally:
        store.db.conn.set_trace_callback(None)
    lookups = [s for s in statements if s.startswith("SELECT id FROM clusters WHERE last_seen")]
    assert len(lookups) == 2
    assert (
        cluster_of(store, first[0]) == cluster_of(store, second[0]) == cluster_of(store, third[0])
    )


def test_a_damaged_state_row_does_not_block_ingest(db_path: Path, now: datetime) -> None:
    with Store.open(db_path) as store:
        first = ingest(store, 0, [EBAY[0]], now)
        with write(store.db):
            store.db.conn.execute("UPDATE clusters SET state = '{not json'")
    with Store.open(db_path) as store:
        later = ingest(store, 1, [EBAY[1]], now)
        assert cluster_of(store, later[0]) != cluster_of(store, first[0])
        assert store.clusters.count() == 2
