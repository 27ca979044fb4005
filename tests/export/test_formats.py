"""Every story format read back: JSON against the schema, CSV in SPEC order, Atom by feedparser,
Markdown rendered by a CommonMark parser; hostile titles survive each one escaped."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime
from importlib import resources

import feedparser
import jsonschema
import pytest
from markdown_it import MarkdownIt

from tests.export.conftest import BLOG, HOSTILE, WIRE, all_stories, expected_title
from tracker.export import FIELDS, STORY_FORMATS, ExportError, write_stories
from tracker.export.records import web_link
from tracker.export.writers import md_escape
from tracker.models import Story
from tracker.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"


def render(fmt: str, stories: list[Story], now: datetime, query: str = "is:tagged") -> str:
    out = io.StringIO()
    assert write_stories(fmt, stories, out, query=query, now=now) == len(stories)
    return out.getvalue()


def schema() -> dict[str, object]:
    text = resources.files("tracker").joinpath("data/story.schema.json").read_text("utf-8")
    loaded: dict[str, object] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def test_json_is_one_array_of_records_in_spec_order_that_validate(
    filled: Store, now: datetime
) -> None:
    stories = all_stories(filled)
    data = json.loads(render("json", stories, now))
    assert len(data) == len(stories) == len(HOSTILE) + 2
    validator = jsonschema.Draft202012Validator(schema())
    for record in data:
        assert tuple(record) == FIELDS
        validator.validate(record)
    by_title = {r["title"]: r for r in data}
    first = by_title[expected_title(HOSTILE[0])]
    assert first["feed_url"] == WIRE and first["feed_title"] == "Wire & <Co>"
    assert first["tags"] == ["ai", "deepseek", "markets"]
    assert first["read"] is True and first["starred"] is False
    assert first["published"] == "2025-01-27T12:00:00Z"
    assert first["summary"].endswith("second line & more")
    plain = by_title["Plain two"]
    assert plain["published"] is None and plain["author"] is None and plain["tags"] == []
    assert plain["feed_title"] == BLOG  # no configured or fetched title: the URL


def test_schema_rejects_what_the_contract_forbids(filled: Store, now: datetime) -> None:
    record = json.loads(render("jsonl", all_stories(filled)[:1], now))
    validator = jsonschema.Draft202012Validator(schema())
    for broken in (
        {**record, "extra": 1},
        {**record, "published": "27 Jan 2025"},
        {**record, "tags": "ai;deepseek"},
        {**record, "title": "bell\x07"},
    ):
        assert not validator.is_valid(broken)
    assert validator.is_valid(record)


def test_empty_exports_are_still_valid_documents(now: datetime) -> None:
    assert json.loads(render("json", [], now)) == []
    assert render("jsonl", [], now) == ""
    assert list(csv.reader(io.StringIO(render("csv", [], now)))) == [list(FIELDS)]
    root = ET.fromstring(render("atom", [], now).encode())
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}entry") is None
    assert "No stories matched" in render("md", [], now)


def test_jsonl_is_one_record_per_line_even_with_newlines_in_text(
    filled: Store, now: datetime
) -> None:
    stories = all_stories(filled)
    lines = render("jsonl", stories, now).splitlines()
    assert len(lines) == len(stories)
    assert [json.loads(line)["id"] for line in lines] == [s.id for s in stories]


def test_csv_reads_back_in_spec_column_order(filled: Store, now: datetime) -> None:
    stories = all_stories(filled)
    text = render("csv", stories, now)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(FIELDS)
    assert len(rows) == len(stories) + 1
    got = [dict(zip(FIELDS, row, strict=True)) for row in rows[1:]]
    assert [r["title"] for r in got] == [expected_title(s.title) for s in stories]
    first = next(r for r in got if r["title"] == expected_title(HOSTILE[0]))
    assert first["tags"] == "ai;deepseek;markets"
    assert (first["read"], first["starred"]) == ("true", "false")
    assert "\n" in first["summary"]  # a quoted multi-line cell, still one record
    assert next(r for r in got if r["title"] == "Plain two")["published"] == ""


def test_atom_round_trips_through_feedparser(filled: Store, now: datetime) -> None:
    stories = all_stories(filled)
    text = render("atom", stories, now)
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(stories)
    for story, entry in zip(stories, parsed.entries, strict=True):
        assert entry.title == expected_title(story.title)
        assert entry.link == str(story.url).replace("<", "%3C").replace(">", "%3E")
        assert [t.term for t in entry.get("tags", [])] == list(story.tags)
        assert entry.id.startswith("urn:uuid:")
    again = feedparser.parse(io.BytesIO(render("atom", stories[::-1], now).encode()))
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries][::-1]  # stable ids
    assert len({e.id for e in parsed.entries}) == len(stories)


def test_atom_has_what_atom_1_0_requires(filled: Store, now: datetime) -> None:
    root = ET.fromstring(render("atom", all_stories(filled), now).encode("utf-8"))
    for child in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{child}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for child in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{child}") is not None, child
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        updated = entry.findtext(f"{ATOM}updated") or ""
        datetime.strptime(updated, "%Y-%m-%dT%H:%M:%SZ")
    assert root.findtext(f"{ATOM}updated") == "2025-01-27T12:00:00Z"


def test_markdown_digest_groups_by_day_with_sources_and_links(filled: Store, now: datetime) -> None:
    stories = all_stories(filled)
    text = render("md", stories, now)
    days = [line for line in text.splitlines() if line.startswith("## 2025-")]
    assert days[0] == "## 2025-01-27 (Monday)"
    assert len(days) == len(set(days))  # newest first: each day appears once
    assert "## Sources" in text and "](<https://wire.example/ai.xml>) — " in text
    html = MarkdownIt("commonmark").render(text)
    assert html.count("<h2>") == len(days) + 1
    assert "<script>" not in html and "<strong><a " in html


@pytest.mark.parametrize("fmt", STORY_FORMATS)
def test_hostile_titles_survive_every_format(fmt: str, filled: Store, now: datetime) -> None:
    stories = [s for s in all_stories(filled) if s.feed_url == WIRE]
    text = render(fmt, stories, now)
    titles = [expected_title(s.title) for s in stories]
    assert "\x00" not in text and "\x1b" not in text and "\x07" not in text
    if fmt == "json":
        got = [r["title"] for r in json.loads(text)]
    elif fmt == "jsonl":
        got = [json.loads(line)["title"] for line in text.splitlines()]
    elif fmt == "csv":
        got = [row[3] for row in list(csv.reader(io.StringIO(text, newline="")))[1:]]
    elif fmt == "atom":
        root = ET.fromstring(text.encode("utf-8"))  # well-formed despite </title> and ]]>
        got = [e.findtext(f"{ATOM}title") or "" for e in root.findall(f"{ATOM}entry")]
        assert "]]>" not in text and "</title><script>" not in text
    else:
        got = _markdown_link_texts(text)
    assert got == titles
    assert "🚀🤖" in text and "עברית" in text


def _markdown_link_texts(text: str) -> list[str]:
    """The text of each story's link as CommonMark sees it (escapes resolved)."""
    tokens = MarkdownIt("commonmark").parse(text)
    titles: list[str] = []
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            href = str(child.attrGet("href") or "")
            if child.type == "link_open" and href.startswith("https://wire.example/story/"):
                parts: list[str] = []
                for inner in children[index + 1 :]:
                    if inner.type == "link_close":
                        break
                    assert inner.type == "text", inner.type  # no markup got through
                    parts.append(inner.content)
                titles.append("".join(parts))
    return titles


def test_markdown_links_only_to_the_web(now: datetime, filled: Store) -> None:
    story = all_stories(filled)[0]
    bad = Story(**{**_fields(story), "url": "javascript:alert(1)"})
    text = render("md", [bad], now)
    assert "javascript:" not in MarkdownIt("commonmark").render(text).split("<h2>Sources")[0]


def _fields(story: Story) -> dict[str, object]:
    return {name: getattr(story, name) for name in story.__slots__}


def test_unknown_format_is_refused(now: datetime) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        write_stories("xlsx", [], io.StringIO(), now=now)


def test_characters_xml_cannot_carry_are_dropped_from_atom(now: datetime, filled: Store) -> None:
    story = all_stories(filled)[0]
    odd = Story(**{**_fields(story), "title": "a\ufffeb\uffffc\ud800d\x0be\U0001f680"})
    text = render("atom", [odd], now)
    assert ET.fromstring(text.encode("utf-8")).findtext(f"{ATOM}entry/{ATOM}title") == "abcde🚀"


def test_links_are_web_only_and_percent_encoded() -> None:
    assert web_link('https://a.example/x y?q=<1>&r="2"') == (
        "https://a.example/x%20y?q=%3C1%3E&r=%222%22"
    )
    assert web_link("https://a.example/ünï") == "https://a.example/ünï"  # an IRI as it is
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "", None):
        assert web_link(bad) is None


def test_markdown_escapes_what_would_start_a_block() -> None:
    md = MarkdownIt("commonmark")
    for text in ("# not a heading", "- not a list", "1. not a list", "+ nor this", "=== no"):
        html = md.render(md_escape(text))
        assert html == f"<p>{text}</p>\n", (text, html)
    assert md_escape("mid-line #tag stays") == "mid-line #tag stays"
