"""A small story database built through the store's own write path, shared by the query tests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.store import Store

INGESTED = datetime(2025, 1, 28, 0, 0, tzinfo=UTC)
NOW = datetime(2025, 1, 28, 12, 0, tzinfo=UTC)
INJECTION = "'); DROP TABLE stories; --"

FEEDS = (
    FeedConfig("https://feeds.reuters.example/tech.xml", "Reuters Tech", ("news",)),
    FeedConfig("https://www.reddit.com/r/ml/.rss", "Reddit ML"),
    FeedConfig("https://deepseek.example/feed", None, ("ai",)),
)

# number: (feed, title, summary, content, url, author, published)
STORIES: dict[int, tuple[int, str, str, str, str | None, str | None, str | None]] = {
    1: (0, "Nvidia sheds $593bn as DeepSeek rattles chip investors",
        "Shares of Nvidia fell 17% on Monday, the largest one-day loss.", "",
        "https://www.reuters.com/tech/nvidia-1", "Jane Smith", "2025-01-27T14:02:00"),
    2: (0, "Chip stocks slide on cheap-AI fears", "Markets reacted to the Chinese model.", "",
        "https://reuters.com/markets/chips", "John Doe", "2025-01-26T09:00:00"),
    3: (0, "Nasdaq closes lower", "The tech-heavy index drops.", "",
        "https://uk.reuters.com:443/x", None, "2025-01-10T18:00:00"),
    4: (1, "DeepSeek R1 distillation thread", "412 points of discussion about reasoning.", "",
        "https://www.reddit.com/r/ml/comments/1", None, "2025-01-25T13:40:00"),
    5: (1, "Ask: best reasoning models?", "Comparing o1 and r1 reasoning.", "",
        "https://old.reddit.com/r/ml/2", "someone", "2024-12-15T08:00:00"),
    6: (2, "DeepSeek-R1 release notes",
        "We release DeepSeek-R1, a reasoning model trained with RL.",
        "Full text about export controls and GPUs.", "https://deepseek.example/r1",
        "DeepSeek team", "2025-01-20T10:02:00"),
    7: (2, "DeepSeek V3 technical report", "A mixture of experts language model.", "",
        "https://deepseek.example/v3", "DeepSeek team", "2024-12-26T10:00:00"),
    8: (0, "Export controls tightened on chips", "The US expands export controls.", "",
        "https://www.reuters.com/policy/export", "Jane Smith", "2025-01-15T12:00:00"),
    9: (1, "Controls export of nothing", "The words controls and export, not as a phrase.", "",
        "https://www.reddit.com/r/ml/9", None, "2025-01-05T12:00:00"),
    10: (2, "Future dated post", "Scheduled far ahead, its date is garbage.", "",
         "https://deepseek.example/future", None, "2030-01-01T00:00:00"),
    11: (1, "Untitled musings", "Nothing about any topic at all.", "", None, None, None),
    12: (0, f"Quoted {INJECTION} title", 'Text with "quotes" and title:colons NEAR(a b).', "",
         "https://www.reuters.com/odd", None, "2025-01-02T00:00:00"),
}  # fmt: skip


@dataclass
class Corpus:
    store: Store
    ids: dict[int, int]  # story number -> id

    def numbers(self, story_ids: list[int]) -> set[int]:
        back = {v: k for k, v in self.ids.items()}
        return {back[i] for i in story_ids}


def _record(number: int) -> StoryRecord:
    _, title, summary, content, url, author, published = STORIES[number]
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    return StoryRecord(
        key=f"story-{number}",
        guid=f"story-{number}",
        url=url,
        title=title,
        author=author,
        summary=summary,
        content_html="",
        content=content,
        published=when,
        updated=None,
        content_hash=hashlib.sha256(f"{title}{summary}{content}".encode()).hexdigest(),
    )


def build_corpus(path: Path) -> Corpus:
    store = Store.open(path)
    store.feeds.sync(Config(path="feeds.toml", feeds=FEEDS), now=INGESTED)
    feed_ids = {f.url: f.id for f in store.feeds.all()}
    ids: dict[int, int] = {}
    for feed_no, feed in enumerate(FEEDS):
        numbers = [n for n, s in STORIES.items() if s[0] == feed_no]
        result = store.stories.ingest(
            feed_ids[feed.url], [_record(n) for n in numbers], INGESTED, feed.tags
        )
        ids.update(zip(numbers, result.new_ids, strict=True))
    store.stories.set_read([ids[n] for n in (2, 3, 5, 7)], True, INGESTED)
    store.stories.set_starred([ids[n] for n in (1, 6)], True)
    store.tags.add([ids[1], ids[2]], ["china"], INGESTED)
    store.tags.add([ids[2], ids[3]], ["markets"], INGESTED)
    store.tags.add([ids[5]], ["junk"], INGESTED)
    follow, _ = store.follows.add("DeepSeek R1 launch", "deepseek r1", INGESTED)
    store.follows.exclude(follow.id, [ids[4]], INGESTED)
    store.follows.pin(follow.id, [ids[2]], INGESTED)
    return Corpus(store, ids)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    built = build_corpus(tmp_path_factory.mktemp("query") / "tracker.db")
    yield built
    built.store.close()


PLANS = {
    # the fixture is small: every id set may drive (the plan a tiny database gets)
    "drive": {},
    # no id set is small: walk the date index, full-text matches gathered once
    "scan": {"SOURCE_MAX": 0, "WINDOWED": False},
    # every term is "very common": walk the date index in windows of 2, then 4
    "window": {"SOURCE_MAX": 0, "WINDOWED": True, "WINDOW": 2, "WINDOW_MAX": 4},
}


@pytest.fixture(params=list(PLANS))
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test under each query plan, forced by the planner's thresholds."""
    import tracker.store.searchplan as plan_module
    import tracker.store.searchrun as run_module

    for name, value in PLANS[request.param].items():
        module = run_module if name.startswith("WINDOW_") or name == "WINDOW" else plan_module
        monkeypatch.setattr(module, name, value)
    return str(request.param)
