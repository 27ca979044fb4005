"""Parser processes started ahead of a run that will parse, and only then."""

from __future__ import annotations

import asyncio
import multiprocessing
import os

from tests.httpserver import FeedServer, rss
from tests.poll.conftest import Poller
from tracker.poll.fetch import FetchResponse
from tracker.poll.parsepool import ParsePool


def _children() -> set[int | None]:
    return {p.pid for p in multiprocessing.active_children()}


def test_started_ahead_every_parser_runs_before_the_first_body() -> None:
    before, pool = _children(), ParsePool()
    try:
        pool.start()
        assert len(_children() - before) == (os.cpu_count() or 2)
        url = "http://e.org/feed"
        doc = rss([{"guid": "a", "title": "DeepSeek R1", "link": "http://e.org/a"}])
        reply = FetchResponse(url, url, 200, {"content-type": "application/rss+xml"}, doc)
        feed, error = asyncio.run(pool.parse(reply))
        assert error is None and feed is not None and feed.entries[0].title == "DeepSeek R1"
        assert len(_children() - before) == (os.cpu_count() or 2)  # the same ones parsed it
    finally:
        pool.close()


def test_only_a_feed_never_polled_calls_for_parsers_ahead(
    poller: Poller, server: FeedServer
) -> None:
    """`tracker poll` starts the parsers ahead for a first poll; a warm run (every feed polled
    before, most answering 304) starts them only for a body that changed, as before."""
    known, new = server.url("/known.rss"), server.url("/new.rss")
    server.feed("/known.rss", rss([{"guid": "a", "title": "R1", "link": "http://e.org/a"}]))
    with poller.store() as store:
        store.feeds.sync(poller.config(known))
        assert store.feeds.never_polled()
    poller.run(known)
    with poller.store() as store:
        assert not store.feeds.never_polled()
        store.feeds.sync(poller.config(known, new))  # a feed added to feeds.toml
        assert store.feeds.never_polled()
        assert store.feeds.never_polled([new])
        assert not store.feeds.never_polled([known])  # `tracker poll --feed KNOWN`
