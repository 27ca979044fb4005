"""The packaged sample feeds: counts, formats, required fields, coverage, and the demo config."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tracker.config import parse_config
from tracker.demo import DEMO_CONFIG, FEEDS_DIR, demo_config_text
from tracker.demo.build_samples import SOURCE_DIR, build
from tracker.query import QueryError, parse

EXPECTED = {
    "circuitry.atom": 18,
    "export-ledger.rss": 14,
    "lattice-labs.atom": 12,
    "meridian-wire.rss": 20,
    "open-weights.json": 14,
    "paper-trail.atom": 14,
    "privacy-brief.atom": 12,
    "sinograph.json": 15,
    "threadline.json": 18,
    "ticker-desk.rss": 16,
    "wafer-report.rss": 15,
}


def _entries(path: Path) -> list[dict[str, Any]]:
    """Every entry as {title, link, author, tags, html, date} (date as ISO text)."""
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        return [
            {
                "id": item["id"],
                "title": item["title"],
                "link": item["url"],
                "author": item["authors"][0]["name"],
                "tags": item["tags"],
                "html": item["content_html"],
                "date": item["date_published"],
            }
            for item in document["items"]
        ]
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == {".rss": "rss20", ".atom": "atom10"}[path.suffix]
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "link": entry.link,
            "author": entry.author,
            "tags": [tag.term for tag in entry.tags],
            "html": entry.content[0].value,
            "date": "{:04d}-{:02d}-{:02d}".format(*entry.published_parsed[:3]),
        }
        for entry in parsed.entries
    ]


@pytest.fixture(scope="module")
def entries() -> dict[str, list[dict[str, Any]]]:
    return {path.name: _entries(path) for path in sorted(FEEDS_DIR.iterdir())}


def test_each_file_parses_into_the_expected_number_of_entries(entries: dict[str, Any]) -> None:
    assert {name: len(items) for name, items in entries.items()} == EXPECTED
    assert sum(EXPECTED.values()) >= 160
    formats = {Path(name).suffix for name in EXPECTED}
    assert formats == {".rss", ".atom", ".json"}


def test_every_entry_has_the_fields_a_reader_needs(entries: dict[str, Any]) -> None:
    for name, items in entries.items():
        ids = [item["id"] for item in items]
        assert len(set(ids)) == len(ids), name
        for item in items:
            assert item["title"] and item["author"] and item["tags"], (name, item["title"])
            assert "<p>" in item["html"] and "<a " in item["html"], (name, item["title"])
            assert "2024-12-01" <= item["date"][:10] <= "2025-03-31", (name, item["title"])
            assert re.match(r"^https://[a-z.]+\.example/", item["link"]) or item["link"].startswith(
                "javascript:"
            ), item["link"]


def test_the_big_events_are_covered_by_several_outlets_on_different_days(
    entries: dict[str, Any],
) -> None:
    def outlets(pattern: str, first: str, last: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for name, items in entries.items():
            for item in items:
                text = item["title"] + " " + item["html"]
                if re.search(pattern, text, re.I) and first <= item["date"][:10] <= last:
                    found[name].add(item["date"][:10])
        return found

    selloff = outlets(r"nvidia", "2025-01-27", "2025-01-28")
    assert len(selloff) >= 5
    assert len(set().union(*selloff.values())) == 2  # the day itself and the day after
    assert len(outlets(r"\bR1\b", "2025-01-20", "2025-01-22")) >= 5
    assert len(outlets(r"distill", "2025-01-28", "2025-01-31")) >= 4
    assert len(outlets(r"italy|italian", "2025-01-28", "2025-01-31")) >= 3
    assert len(outlets(r"QwQ", "2025-03-05", "2025-03-08")) >= 5
    assert len(outlets(r"open-source week|FlashMLA", "2025-02-21", "2025-03-02")) >= 5


def test_hostile_items_are_present_for_the_safety_demo() -> None:
    raw = (FEEDS_DIR / "threadline.json").read_text(encoding="utf-8")
    titles = [item["title"] for item in json.loads(raw)["items"]]
    assert any("[@click=app.quit]" in title for title in titles)
    assert any("\x1b[31m" in title for title in titles)
    assert "\\u001b[31m" in raw
    assert "javascript:alert" in raw and "<script>" in raw


def test_committed_feeds_match_their_sources(tmp_path: Path) -> None:
    counts = build(SOURCE_DIR, tmp_path)
    assert counts == EXPECTED
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (FEEDS_DIR / name).read_bytes(), name


def _check_query(text: str) -> None:
    try:
        parse(text)
    except QueryError as exc:
        raise ValueError(str(exc)) from None


def test_demo_config_lists_every_sample_feed_and_is_valid() -> None:
    assert "{port}" in DEMO_CONFIG.read_text(encoding="utf-8")
    config = parse_config(demo_config_text(8123), str(DEMO_CONFIG), _check_query)
    urls = {feed.url for feed in config.feeds}
    assert urls == {f"http://127.0.0.1:8123/{name}" for name in EXPECTED}
    assert all(feed.title and feed.tags for feed in config.feeds)
    assert {rule.tag for rule in config.rules} == {
        "deepseek",
        "nvidia",
        "export-controls",
        "openai",
        "open-weights",
    }
    assert [follow.name for follow in config.follows] == ["DeepSeek R1 launch", "Export controls"]
