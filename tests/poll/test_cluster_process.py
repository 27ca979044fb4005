"""Clustering beside the poller: every new story ends in a cluster, and none is ever lost."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

from tests.httpserver import FeedServer, rss
from tests.poll.conftest import Poller
from tracker.models import StoryRecord
from tracker.poll.cluster_process import ClusterProcess
from tracker.store import Store, write

DAY = "Mon, 27 Jan 2025"


def _cluster_ids(store: Store) -> dict[str, int | None]:
    rows = store.db.conn.execute("SELECT title, cluster_id FROM stories")
    return {str(title): cid for title, cid in rows}


def test_same_event_from_two_feeds_shares_a_cluster(server: FeedServer, poller: Poller) -> None:
    server.feed("/a.xml", rss([
        {"guid": "a1", "title": "Nvidia shares plunge as DeepSeek rattles chip investors",
         "link": "http://a.example/nvidia", "date": f"{DAY} 14:00:00 GMT"},
        {"guid": "a2", "title": "Bakery wins regional bread award", "link": "http://a.example/b",
         "date": f"{DAY} 09:00:00 GMT"},
    ]))  # fmt: skip
    server.feed("/b.xml", rss([
        {"guid": "b1", "title": "DeepSeek rattles investors, Nvidia shares plunge 17%",
         "link": "http://b.example/nvidia-plunge", "date": f"{DAY} 15:00:00 GMT"},
    ]))  # fmt: skip
    notes: list[str] = []
    summary = poller.run(
        server.url("/a.xml"), server.url("/b.xml"), progress=lambda p: notes.append(p.note)
    )
    assert summary.counts()["new_stories"] == 3 and summary.warnings == ()
    assert notes[-1] == "clustering the new stories"  # the bar says why it waits at 2/2
    with poller.store() as store:
        ids = _cluster_ids(store)
    assert None not in ids.values()
    nvidia = [cid for title, cid in ids.items() if "Nvidia" in title]
    assert len(nvidia) == 2 and nvidia[0] == nvidia[1]
    assert ids["Bakery wins regional bread award"] != nvidia[0]


def test_stories_left_without_a_cluster_are_clustered_by_the_next_poll(
    server: FeedServer, poller: Poller
) -> None:
    """As after a poll killed between a feed's commit and its clustering."""
    server.feed("/a.xml", rss([{"guid": "x", "title": "Quiet feed", "link": "http://e.org/x"}]),
                etag='"v1"')  # fmt: skip
    poller.run(server.url("/a.xml"))
    now = datetime(2025, 1, 27, 12, tzinfo=UTC)
    with poller.store() as store:
        feed = store.feeds.get(server.url("/a.xml"))
        assert feed is not None
        records = [
            StoryRecord(key=f"k{i}", guid=f"k{i}", url=None, title=f"Orphan story {i}",
                        author=None, summary="", content_html="", content="", published=now,
                        updated=None, content_hash=f"h{i}")
            for i in range(3)
        ]  # fmt: skip
        with write(store.db):
            store.stories.ingest(feed.id, records, now)  # no ingest hooks: no clusters
        assert store.stories.unclustered()
    notes: list[str] = []
    summary = poller.run(server.url("/a.xml"), progress=lambda p: notes.append(p.note))
    assert summary.results[0].status == "not_modified" and summary.warnings == ()
    assert set(notes) == {""}  # nothing new: no clustering step to announce
    with poller.store() as store:
        assert not store.stories.unclustered()
        assert None not in _cluster_ids(store).values()


async def nothing_left() -> bool:
    return False


def test_a_clustering_process_that_cannot_start_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")

    async def run() -> str | None:
        process = ClusterProcess(str(blocker / "tracker.db"))
        try:
            process.add([1, 2, 3])
            return await process.finish(nothing_left)
        finally:
            process.close()

    problem = asyncio.run(run())
    assert problem is not None and "stories wait for the next run" in problem


def test_the_process_starts_with_the_first_new_stories(tmp_path: Path) -> None:
    """Spawned (and its clusterer loaded) while the first batch gathers, not after."""
    path = tmp_path / "tracker.db"
    Store.open(path).close()

    async def run() -> tuple[int, str | None]:
        process = ClusterProcess(str(path))
        try:
            before = set(multiprocessing.active_children())
            process.add([1])  # no such story: nothing to cluster, but the process starts
            started = len(set(multiprocessing.active_children()) - before)
            return started, await process.finish(nothing_left)
        finally:
            process.close()

    started, problem = asyncio.run(run())
    assert started == 1
    assert problem is None
