"""Export tests: a real store holding ordinary and hostile stories, tagged, read and starred."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest

from tracker.models import Config, FeedConfig, Story, StoryRecord
from tracker.store import Store
from tracker.textclean import clean_line

WIRE = "https://wire.example/ai.xml"
BLOG = "https://blog.example/feed.atom"

# Titles a hostile or careless feed can carry; each must come out of every format intact
# (after control characters are dropped) and escaped for that format.
HOSTILE = (
    "ctrl\x00\x07\x08 chars\x1b[31m red\x1b[0m \x7f\x85end",
    "[b]markup[/b] [link=https://evil.example]click[/link]",
    "</title><script>alert(1)</script>",
    "]]> closes CDATA, <![CDATA[ opens it",
    "AT&T & R&D &amp; &lt; &#x41; \"quotes\" 'single'",
    "emoji 🚀🤖 and a ZWJ 👩‍💻 sequence",
    "RTL: עברית ומספרים 123 والعربية",
    "*bold* _it_ `code` # not a heading | pipe ~strike~ ![img](javascript:x) \\back",
    "- 1. starts like a list",
)


def expected_title(raw: str) -> str:
    return clean_line(raw)


def record(
    key: str, title: str, published: datetime | None, *, author: str | None = "Ana"
) -> StoryRecord:
    return StoryRecord(
        key=key,
        guid=key,
        url=f"https://wire.example/story/{key}?a=1&b=<2>",
        title=title,
        author=author,
        summary=f"Summary of {title}\nsecond line & more",
        content_html=f"<p>{key}</p>",
        content=key,
        published=published,
        updated=None,
        content_hash=hashlib.sha256(f"{key}{title}".encode()).hexdigest(),
    )


@pytest.fixture
def filled(store: Store, now: datetime) -> Store:
    """Two feeds: WIRE (tag `ai`) with the hostile titles, BLOG (no tags) with plain ones."""
    config = Config(
        "feeds.toml",
        feeds=(FeedConfig(WIRE, "Wire & <Co>", ("ai",)), FeedConfig(BLOG, None, ())),
    )
    store.feeds.sync(config, now)
    wire = store.feeds.get(WIRE)
    blog = store.feeds.get(BLOG)
    assert wire is not None and blog is not None
    hostile = [
        record(f"h{i}", title, now - timedelta(hours=i * 7)) for i, title in enumerate(HOSTILE)
    ]
    result = store.stories.ingest(wire.id, hostile, now, feed_tags=("ai",))
    plain = [
        record("p1", "Plain one", now - timedelta(days=3), author=None),
        record("p2", "Plain two", None, author=None),
    ]
    blog_ids = store.stories.ingest(blog.id, plain, now).new_ids
    store.tags.add([result.new_ids[0], blog_ids[0]], ["deepseek", "markets"], now)
    store.stories.set_read(result.new_ids[:3], True, now)
    store.stories.set_starred(result.new_ids[1:2], True)
    return store


def all_stories(store: Store) -> list[Story]:
    """Every story, newest first (the order `list` and `export` use)."""
    ids = [int(row["id"]) for row in store.db.sqlite_utils()["stories"].rows]
    return store.stories.many(ids)
