"""Coverage of story times by clusters in memory: spans merge, trim to their newest story, drop
when idle, and keep exactly the clusters a covered story could need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.cluster import Cluster, Clusterer, Item
from tracker.cluster_cover import Coverage

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
W = timedelta(hours=72)


def cluster(cid: int, first: datetime | None, last: datetime | None = None) -> Cluster:
    return Cluster(id=cid, size=1, first=first, last=last or first)


def test_a_batch_inside_a_span_is_covered_and_one_outside_is_not() -> None:
    cover = Coverage(W)
    assert not cover.covers(T0, T0)
    cover.add(T0 - W, T0 + W, T0)
    assert cover.covers(T0 - W, T0 + timedelta(hours=5))
    assert not cover.covers(T0 - W - timedelta(seconds=1), T0)
    assert not cover.covers(T0 + timedelta(days=700), T0 + timedelta(days=700))


def test_spans_that_meet_merge_and_far_ones_stay_apart() -> None:
    cover = Coverage(W)
    old = T0 - timedelta(days=700)
    cover.add(T0 - W, T0 + W, T0)
    cover.add(old - W, old + W, old)
    cover.add(T0 + W, T0 + 3 * W, T0 + 2 * W)
    spans = sorted((s.low, s.high) for s in cover.spans)
    assert spans == [(old - W, old + W), (T0 - W, T0 + 3 * W)]


def test_trim_keeps_a_window_before_the_newest_story_and_drops_idle_spans() -> None:
    cover = Coverage(W, idle_batches=3)
    old = T0 - timedelta(days=700)
    cover.covers(T0, T0)
    cover.add(T0 - 2 * W, T0 + W, T0)
    cover.add(old - W, old + W, old)
    cover.trim()
    assert sorted(s.low for s in cover.spans) == [old - W, T0 - W]
    for _ in range(4):  # only the recent span is used
        assert cover.covers(T0, T0)
    cover.trim()
    assert [(s.low, s.high) for s in cover.spans] == [(T0 - W, T0 + W)]


def test_needed_keeps_the_clusters_a_covered_story_may_join() -> None:
    cover = Coverage(W)
    cover.add(T0 - W, T0 + W, T0)
    assert cover.needed(cluster(1, T0 - 2 * W))  # a story at T0 - W may join it
    assert not cover.needed(cluster(2, T0 - 2 * W - timedelta(minutes=1)))
    assert cover.needed(cluster(3, T0 + 2 * W))
    assert not cover.needed(cluster(4, T0 + 3 * W))
    assert cover.needed(cluster(5, None))  # timeless clusters are always candidates


def test_retain_forgets_the_refused_clusters_and_their_index_entries() -> None:
    clusterer = Clusterer()
    old = clusterer.add(Item("Comet Kessler-7 heads inward", None, "A", T0 - timedelta(days=9)))
    new = clusterer.add(Item("EBay rejects Icahn slate", None, "B", T0))
    cover = Coverage(W)
    cover.add(T0 - W, T0 + W, T0)
    gone = clusterer.retain(cover.needed)
    assert [c.id for c in gone] == [old.cluster_id]
    assert set(clusterer.clusters) == {new.cluster_id}
    assert all(old.cluster_id not in ids for ids in clusterer._index.values())
