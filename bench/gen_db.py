"""A synthetic tracker database (feeds, stories, tags) built through the store's own write path.

`build(path, n_stories)` makes 500 feeds, 50 tags and two years of stories with realistic title
and summary lengths, polled week by week (so `first_seen` follows the calendar as it would for a
real user). Word frequencies follow a Zipf law, plus a few named words at known rates that the
benchmarks search for. Deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.store import Store

END = datetime(2026, 11, 1, tzinfo=UTC)  # fixed "now" of the synthetic history
DAYS = 730
N_FEEDS = 500
TAGS = tuple(
    ["ai", "china", "us", "eu", "chips", "markets", "policy", "research", "startups", "security"]
    + [f"topic{i:02d}" for i in range(40)]
)
# Named words and the share of stories that carry each (what the benchmark queries ask for).
NAMED = {
    "deepseek": 0.002,
    "nvidia": 0.01,
    "export": 0.02,
    "controls": 0.02,
    "model": 0.12,
    "reasoning": 0.004,
}
PHRASE = ("export", "controls")  # written next to each other in a share of stories


@dataclass(frozen=True, slots=True)
class BuildStats:
    path: str
    stories: int
    seconds: float
    size_bytes: int


def _vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["qu", "th", "sh"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class _Text:
    """Zipf-distributed words, drawn in bulk for speed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = _vocabulary(rng)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocab))]
        total = 0.0
        self.cum: list[float] = []
        for w in weights:
            total += w
            self.cum.append(total)
        self.pool: list[str] = []
        self.at = 0

    def words(self, n: int) -> list[str]:
        if self.at + n > len(self.pool):
            self.pool = self.rng.choices(self.vocab, cum_weights=self.cum, k=200_000)
            self.at = 0
        self.at += n
        return self.pool[self.at - n : self.at]

    def sentence(self, lo: int, hi: int) -> list[str]:
        return self.words(self.rng.randint(lo, hi))


def _story(
    text: _Text, rng: random.Random, feed: int, seq: int, published: datetime
) -> StoryRecord:
    title = text.sentence(5, 13)
    summary = text.sentence(25, 70)
    for word, share in NAMED.items():
        if rng.random() < share:
            (title if rng.random() < 0.3 else summary).insert(rng.randint(0, 4), word)
    if rng.random() < 0.01:
        summary[3:3] = list(PHRASE)
    title_text = " ".join(title).capitalize()
    summary_text = " ".join(summary).capitalize() + "."
    key = f"https://feed{feed}.example.com/story/{seq}"
    digest = hashlib.blake2b(f"{title_text}\n{summary_text}".encode(), digest_size=16).hexdigest()
    return StoryRecord(
        key=key,
        guid=key,
        url=key if rng.random() < 0.7 else f"https://site{seq % 97}.example.org/a/{feed}/{seq}",
        title=title_text,
        author=f"Author {rng.randint(1, 400)}",
        summary=summary_text,
        content_html="",
        content="",
        published=published,
        updated=None,
        content_hash=digest,
    )


def build(path: str | Path, n_stories: int, seed: int = 7) -> BuildStats:
    """Build (from nothing) a database of `n_stories` stories at `path`."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    text = _Text(rng)
    started = time.perf_counter()
    # Feed sizes vary (a few busy wires, many quiet blogs).
    weights = [1.0 / (i + 1) ** 0.8 for i in range(N_FEEDS)]
    scale = n_stories / sum(weights)
    per_feed = [max(1, round(w * scale)) for w in weights]
    per_feed[0] += n_stories - sum(per_feed)
    feeds = tuple(
        FeedConfig(
            url=f"https://feed{i}.example.com/rss",
            title=f"Feed {i} {text.words(1)[0].capitalize()}",
            tags=tuple(rng.sample(TAGS[:10], rng.randint(0, 2))),
        )
        for i in range(N_FEEDS)
    )
    start = END - timedelta(days=DAYS)
    with Store.open(path) as store:
        store.feeds.sync(Config(path="bench", feeds=feeds), now=start)
        ids = {f.url: f.id for f in store.feeds.all()}
        # Each feed's stories spread over the two years, polled weekly.
        weeks = DAYS // 7
        schedule: list[list[tuple[int, int, datetime]]] = [[] for _ in range(weeks + 1)]
        seq = 0
        for feed_no, count in enumerate(per_feed):
            for _ in range(count):
                published = start + timedelta(seconds=rng.randrange(DAYS * 86400))
                week = min(weeks, int((published - start).total_seconds() // (7 * 86400)))
                schedule[week].append((feed_no, seq, published))
                seq += 1
        done = 0
        for week, items in enumerate(schedule):
            now = min(END, start + timedelta(days=7 * (week + 1)))
            by_feed: dict[int, list[StoryRecord]] = {}
            for feed_no, story_seq, published in sorted(items):
                by_feed.setdefault(feed_no, []).append(
                    _story(text, rng, feed_no, story_seq, published)
                )
            for feed_no, records in by_feed.items():
                feed = feeds[feed_no]
                result = store.stories.ingest(ids[feed.url], records, now, feed.tags)
                _user_state(store, rng, list(result.new_ids), now, now < END - timedelta(days=30))
            done += len(items)
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return BuildStats(str(path), done, time.perf_counter() - started, path.stat().st_size)


def _user_state(store: Store, rng: random.Random, new_ids: list[int], now: datetime,
                old: bool) -> None:  # fmt: skip
    """Read most older stories, star a few, hand-tag some (tags skewed: a few are common)."""
    if not new_ids:
        return
    read = [sid for sid in new_ids if rng.random() < (0.9 if old else 0.3)]
    store.stories.set_read(read, True, now)
    starred = [sid for sid in new_ids if rng.random() < 0.01]
    store.stories.set_starred(starred, True)
    by_tag: dict[str, list[int]] = {}
    for sid in new_ids:
        if rng.random() < 0.08:
            tag = TAGS[min(len(TAGS) - 1, int(rng.paretovariate(1.2)) - 1)]
            by_tag.setdefault(tag, []).append(sid)
    for tag, tagged in by_tag.items():
        store.tags.add(tagged, [tag], now)


if __name__ == "__main__":
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "bench/out/gen.db"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    stats = build(target, n)
    print(f"{stats.stories} stories in {stats.seconds:.1f}s, {stats.size_bytes / 1e6:.0f} MB")
