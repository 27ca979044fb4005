"""A small, fixed AI-race database for the app's tests: feeds, stories, tags, a failing feed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.store import Store
from tracker.store.feeds import PollOutcome

NOW = datetime(2025, 1, 28, 9, 0, tzinfo=UTC)

FEEDS = (
    FeedConfig("https://reuters.example/tech.rss", "Reuters Tech", ("markets",)),
    FeedConfig("https://verge.example/ai.rss", "The Verge AI"),
    FeedConfig("https://deepseek.example/blog.atom", "DeepSeek blog", ("deepseek",)),
    FeedConfig("https://news.ycombinator.example/rss", "Hacker News"),
    FeedConfig("https://openai.example/news.rss", "OpenAI News"),
)

# (feed index, hours before NOW, title, summary html)
STORIES: tuple[tuple[int, float, str, str], ...] = (
    (0, 3, "Nvidia sheds $593bn as DeepSeek rattles chip investors",
     "<p>Shares of <b>Nvidia</b> fell 17% on Monday, the largest one-day loss of market value "
     "for a US company.</p><ul><li>ASML down 7%</li><li>TSMC down 13%</li></ul>"),
    (0, 5, "Chip stocks slide on cheap-AI fears",
     "<p>Semiconductor indexes slid for a second day.</p>"),
    (1, 9, "DeepSeek tops the App Store, overtaking ChatGPT",
     "<p>The Chinese assistant became the most downloaded free app in the US.</p>"),
    (3, 20, "R1 distillation thread (412 points)",
     "<p>Discussion of the distilled Qwen models.</p>"),
    (2, 190, "DeepSeek-R1 release notes", "<p>We introduce <em>DeepSeek-R1</em>, trained with "
     "large-scale reinforcement learning.</p><pre>pip install deepseek</pre>"),
    (4, 30, "OpenAI announces Stargate with $500bn commitment",
     "<p>A joint venture with SoftBank and Oracle to build data centres in Texas.</p>"),
    (1, 40, "Meta scrambles war rooms to study DeepSeek", "<p>Engineers dissect the V3 paper.</p>"),
    (0, 50, "US weighs tighter export controls on Nvidia H20",
     "<p>Officials discuss curbs on chips sold to China.</p>"),
    (3, 60, "Show HN: Running R1 locally on a Mac Studio", "<p>Notes on quantization.</p>"),
    (1, 70, "Anthropic raises at a $60bn valuation", "<p>The round is led by Lightspeed.</p>"),
    (4, 80, "Operator: an agent that uses a browser", "<p>A research preview for Pro users.</p>"),
    (0, 100, "Alibaba releases Qwen 2.5-Max to rival DeepSeek V3", "<p>Benchmarks claimed.</p>"),
    (2, 300, "DeepSeek-V3 technical report", "<p>671B parameters, 37B activated.</p>"),
    (3, 110, "Ask HN: Is the AI capex boom over?", "<p>Thread.</p>"),
)  # fmt: skip

HOSTILE = (
    "[@click=app.quit]x[/]",
    "[b]bold[/b]",
    "[link=https://evil]y[/]",
)


def record(
    title: str, url: str, when: datetime, html: str, author: str | None = None
) -> StoryRecord:
    digest = hashlib.sha256(f"{title}\n{html}".encode()).hexdigest()
    return StoryRecord(
        key=url,
        guid=url,
        url=url,
        title=title,
        author=author,
        summary=title,
        content_html=html,
        content=title,
        published=when,
        updated=None,
        content_hash=digest,
    )


def build(path: Path, *, hostile: bool = False, now: datetime = NOW) -> Path:
    """Write the fixed database at `path`; returns it."""
    with Store.open(path) as store:
        store.feeds.sync(Config(path="feeds.toml", feeds=FEEDS), now)
        feeds = {f.url: f for f in store.feeds.all()}
        for index, cfg in enumerate(FEEDS):
            feed = feeds[cfg.url]
            recs = [
                record(title, f"{cfg.url}/{n}", now - timedelta(hours=h), html, "Staff")
                for n, (fi, h, title, html) in enumerate(STORIES)
                if fi == index
            ]
            if hostile and index == 1:
                recs += [
                    record(t, f"{cfg.url}/h{n}", now - timedelta(minutes=10 + n), f"<p>{t}</p>")
                    for n, t in enumerate(HOSTILE)
                ]
            store.stories.ingest(feed.id, recs, now - timedelta(minutes=1), cfg.tags)
        openai = feeds["https://openai.example/news.rss"]
        store.feeds.record_poll(
            openai.id,
            PollOutcome("error", 503, "HTTP 503 Service Unavailable", 3, None, None, None, None),
            now - timedelta(minutes=4),
        )
        store.feeds.record_run(now - timedelta(minutes=5), now - timedelta(minutes=4), {"feeds": 5})
        first = store.stories.many(range(1, 200))
        by_title = {s.title: s.id for s in first}
        store.tags.add([by_title["Nvidia sheds $593bn as DeepSeek rattles chip investors"]],
                       ["nvidia"], now)  # fmt: skip
        starred = by_title["DeepSeek tops the App Store, overtaking ChatGPT"]
        store.stories.set_starred([starred], True)
        store.stories.set_read([by_title["Ask HN: Is the AI capex boom over?"]], True, now)
    return path
