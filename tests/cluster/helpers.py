"""Helpers for the cluster store and CLI tests: feeds, records, ingest as the poller does."""

from __future__ import annotations

import hashlib
from datetime import datetime

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.poll.hooks import apply_ingest_hooks
from tracker.store import Store, write

FEEDS = tuple(f"https://{name}.example/feed" for name in ("wire", "ledger", "desk", "sky"))
CONFIG = Config("feeds.toml", feeds=tuple(FeedConfig(url) for url in FEEDS))

EBAY = (
    "EBay rejects Icahn slate of board nominees",
    "eBay asks shareholders to vote against Icahn nominees",
    "Icahn targets eBay chief after board rejects his nominees",
    "Icahn and eBay trade punches over board nominees",
)
COMET = "Astronomers spot comet Kessler-7 heading for the inner solar system"


def record(title: str, when: datetime) -> StoryRecord:
    key = hashlib.sha256(title.encode()).hexdigest()[:12]
    return StoryRecord(
        key=key, guid=key, url=f"https://example.org/{key}", title=title, author=None,
        summary="", content_html="", content="", published=when, updated=None,
        content_hash=key,
    )  # fmt: skip


def ingest(
    store: Store, feed: int, titles: list[str], now: datetime, published: datetime | None = None
) -> list[int]:
    """The feed's ingest and hooks in one transaction, its stories then clustered (the
    poller's clustering process calls the same `assign`)."""
    if store.feeds.get(FEEDS[0]) is None:
        store.feeds.sync(CONFIG, now)
    feed_row = store.feeds.get(FEEDS[feed])
    assert feed_row is not None
    with write(store.db):
        records = [record(t, published or now) for t in titles]
        result = store.stories.ingest(feed_row.id, records, now)
        apply_ingest_hooks(store, result.new_ids, result.updated_ids, CONFIG, now)
    store.clusters.assign(list(result.new_ids))
    return list(result.new_ids)


def cluster_of(store: Store, story_id: int) -> int:
    row = store.db.conn.execute("SELECT cluster_id FROM stories WHERE id = ?", (story_id,))
    value = row.fetchone()[0]
    assert value is not None
    return int(value)
