"""Rules applied at ingest by the real poller, fed by a loopback server."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.httpserver import FeedServer, rss
from tracker.models import Config, FeedConfig, RuleConfig
from tracker.poll.poller import poll
from tracker.store import Store
from tracker.timeutil import utcnow

RULES = (
    RuleConfig(query='deepseek OR "r1"', tag="deepseek"),
    RuleConfig(query="title:nvidia -junk", tag="chips"),
)


def _entries(*titles: str) -> list[dict[str, str]]:
    return [
        {"guid": f"g{i}", "title": t, "link": f"http://example.org/{i}",
         "description": f"About {t}", "date": "Mon, 27 Jan 2025 10:00:00 GMT"}
        for i, t in enumerate(titles)
    ]  # fmt: skip


def _poll(db: Path, config: Config) -> None:
    with Store.open(db) as store:
        store.feeds.sync(config)
    asyncio.run(poll(db, config, every=True))


def test_rules_tag_new_stories_at_ingest_with_their_rule(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    with FeedServer() as server:
        url = server.url("/feed.xml")
        server.feed("/feed.xml", rss(_entries("DeepSeek R1 is out", "Nvidia falls", "Weather")))
        config = Config(path=str(tmp_path / "feeds.toml"), feeds=(FeedConfig(url),), rules=RULES)
        _poll(db, config)
        with Store.open(db) as store:
            tagged = {s.title: s.tags for s in store.search.iter("")}
            assert tagged == {
                "DeepSeek R1 is out": ("deepseek",),
                "Nvidia falls": ("chips",),
                "Weather": (),
            }
            deepseek = store.search.ids("+deepseek")[0]
            assert store.tags.of_story(deepseek) == [("deepseek", "rule", 'deepseek OR "r1"')]
            # the user removes the tag by hand
            store.tags.remove([deepseek], ["deepseek"], utcnow())
        # the story is edited upstream and a new one arrives: rules run for both, the hand
        # removal holds
        entries = _entries("DeepSeek R1 is out", "Nvidia falls", "Weather", "R1 distilled")
        entries[0]["description"] = "Edited: DeepSeek R1 benchmarks"
        server.feed("/feed.xml", rss(entries))
        _poll(db, config)
        with Store.open(db) as store:
            tagged = {s.title: s.tags for s in store.search.iter("")}
            assert tagged["DeepSeek R1 is out"] == ()
            assert tagged["R1 distilled"] == ("deepseek",)
            assert tagged["Nvidia falls"] == ("chips",)
