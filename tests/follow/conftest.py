"""Follow tests: a store with two feeds and a helper that ingests stories as the poller does."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.store import Store, write

FEEDS = ("https://wire.example/feed", "https://blog.example/atom", "https://news.example/rss")
TITLES = ("Wire", "Blog", "News")

Ingest = Callable[..., list[int]]


def record(title: str, published: datetime | None, key: str | None = None) -> StoryRecord:
    key = key or title
    return StoryRecord(
        key=key,
        guid=key,
        url=f"https://example.org/{hashlib.sha256(key.encode()).hexdigest()[:8]}",
        title=title,
        author=None,
        summary=f"{title} summary",
        content_html="",
        content="",
        published=published,
        updated=None,
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
    )


@pytest.fixture
def feed_ids(store: Store, now: datetime) -> list[int]:
    config = Config(
        "feeds.toml",
        feeds=tuple(FeedConfig(url, title) for url, title in zip(FEEDS, TITLES, strict=True)),
    )
    store.feeds.sync(config, now)
    return [f.id for f in store.feeds.all()]


@pytest.fixture
def ingest(store: Store, feed_ids: list[int], now: datetime) -> Ingest:
    """ingest(feed_index, [(title, days_before_now)], at=now, gather=True) -> new story ids.

    With gather=True it calls `store.follows.gather_new` inside the feed's transaction, as the
    poller's hook does.
    """

    def run(
        feed: int,
        items: list[tuple[str, float]],
        at: datetime | None = None,
        gather: bool = True,
    ) -> list[int]:
        when = at or now
        records = [record(t, when - timedelta(days=d)) for t, d in items]
        with write(store.db):  # one transaction per feed, as the poller writes
            result = store.stories.ingest(feed_ids[feed], records, when)
            if gather:
                store.follows.gather_new(list(result.new_ids), when)
        return list(result.new_ids)

    return run
