"""Parser processes started ahead of a run that will parse, and only then."""

from __future__ import annotations

import asyncio
import multiprocessing
import os

from tests.httpserver import FeedServer, rss
from tests.poll.conftest import Poller
from tracker.poll.fetch import FetchResponse
from tracker.poll.parsepool import ParsePool
from tracker.timeutil import utcnow


def _children() -> set[int | None]:
    return {p.pid for p in multiprocessing.active_children()}


def test_a_feed_never_polled_starts_every_parser_at_once(
    poller: Poller, server: FeedServer
) -> None:
    url = server.url("/never.rss")
    with poller.store() as store:
        store.feeds.sync(poller.config(url))
        due = store.feeds.due(utcnow(), every=True)
    before, pool = _children(), ParsePool()
    try:
        assert pool.start_for(due)
        assert len(_children() - before) == (os.cpu_count() or 2)  # before any body came
        doc = rss([{"guid": "a", "title": "DeepSeek R1", "link": "http://e.org/a"}])
        reply = FetchResponse(url, url, 200, {"content-type": "application/rss+xml"}, doc)
        feed, error = asyncio.run(pool.parse(reply))
        assert error is None and feed is not None and feed.entries[0].title == "DeepSeek R1"
    finally:
        pool.close()


def test_feeds_polled_before_start_no_parser_ahead(poller: Poller, server: FeedServer) -> None:
    """A warm run (every feed polled before, most answering 304) starts parsers only for a body
    that changed, as before."""
    url = server.url("/known.rss")
    server.feed("/known.rss", rss([{"guid": "a", "title": "R1", "link": "http://e.org/a"}]))
    poller.run(url)
    with poller.store() as store:
        due = store.feeds.due(utcnow(), every=True)
    assert due and due[0].last_polled_at is not None
    before, pool = _children(), ParsePool()
    try:
        assert not pool.start_for(due)
        assert _children() - before == set()
    finally:
        pool.close()
