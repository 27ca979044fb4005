"""Follows through the real poller: `tracker poll` against a loopback server gathers at ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.httpserver import FeedServer
from tracker.cli import run
from tracker.store import Store


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://example.org/{guid}</link>"
        f"<pubDate>Mon, 27 Jan 2025 10:00:00 GMT</pubDate></item>"
        for guid, title in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://example.org/</link>{body}</channel></rss>"
    ).encode()


def test_poll_gathers_new_stories_into_follows_and_keeps_exclusions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        server.feed("/wire.xml", rss(("a", "DeepSeek R1 launches"), ("b", "Weather")))
        config = tmp_path / "feeds.toml"
        config.write_text(f'[[feed]]\nurl = "{server.url("/wire.xml")}"\n', encoding="utf-8")
        db = tmp_path / "t.db"
        base = ["--db", str(db), "--config", str(config)]
        assert run([*base, "follow", "add", "R1", "deepseek"]) == 0
        assert "0 stored stories" in capsys.readouterr().out
        assert run([*base, "poll", "--all", "--quiet"]) == 0
        with Store.open(db) as store:
            follow = store.follows.get("R1")
            assert follow is not None and follow.story_count == 1
            (first,) = store.follows.members(follow.id)
            store.follows.exclude(follow.id, [first.story.id], first.added_at)
        # the story changes and a new one arrives: the exclusion holds, the new one joins
        server.feed(
            "/wire.xml",
            rss(("a", "DeepSeek R1 launches (updated)"), ("c", "DeepSeek tops charts")),
        )
        assert run([*base, "poll", "--all", "--quiet"]) == 0
    capsys.readouterr()
    assert run([*base, "follow", "show", "R1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    titles = [r["title"] for d in data["days"] for r in d["rows"]]
    assert titles == ["DeepSeek tops charts"]


def test_a_follow_in_feeds_toml_gathers_at_the_first_poll(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.feed("/wire.xml", rss(("a", "DeepSeek R1 launches"), ("b", "Weather")))
        config = tmp_path / "feeds.toml"
        config.write_text(
            f'[[feed]]\nurl = "{server.url("/wire.xml")}"\n\n'
            '[[follow]]\nname = "R1 launch"\nquery = "deepseek r1"\n',
            encoding="utf-8",
        )
        db = tmp_path / "t.db"
        assert run(["--db", str(db), "--config", str(config), "poll", "--all", "--quiet"]) == 0
    with Store.open(db) as store:
        (follow,) = store.follows.all()
        assert (follow.name, follow.origin, follow.story_count) == ("R1 launch", "config", 1)
        (member,) = store.follows.members(follow.id)
        assert member.how == "match" and member.added_at == member.story.first_seen
