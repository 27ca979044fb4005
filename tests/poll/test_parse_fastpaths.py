"""The parser's shortcuts give what the long way gives: link joining, HTML to text, hashes."""

from __future__ import annotations

import hashlib
from html import unescape

import pytest
from feedparser.urls import _urljoin  # the oracle: what parse.py skips calling
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.models import ParsedEntry
from tracker.poll import htmltext
from tracker.poll.entries import content_hash, http_url, make_entry
from tracker.poll.htmltext import html_to_text
from tracker.poll.parse import _joiner, _run_feedparser, parse_document
from tracker.textclean import clean_text

BASES = (
    "https://example.org/feeds/x.xml",
    "http://h.example/a/b?c=1",
    "",
    "ftp://x.example/y",
    "http://[bad",  # urllib rejects it: feedparser's join gives "" for everything
    "tag:x",
)
URL_PIECES = [*"ahtps:/?#;[]@.%-_~+, \t\n\x00\x1bHé=&09", "//", "..", "./", "?#", "http://"]
URLS = st.tuples(
    st.sampled_from(
        ["", "http://", "https://", "HTTP://", "tag:", "urn:x:", "ftp:", "ws:", "a,b:"]
    ),
    st.lists(st.sampled_from(URL_PIECES), max_size=12).map("".join),
).map("".join)


@settings(max_examples=1000)
@given(st.sampled_from(BASES), URLS)
def test_join_is_feedparsers(base: str, value: str) -> None:
    assert _joiner(base)(value) == (_urljoin(base, value) if value else "")


def test_join_keeps_plain_absolute_links_and_ids_and_resolves_the_rest() -> None:
    join = _joiner("https://example.org/feeds/x.xml")
    for same in ("https://example.org/a/b?c=d#e", "http://other.example/x", "tag:a.b,2025:1"):
        assert join(same) == same
    assert join("../p/1") == "https://example.org/p/1"
    assert join("12345") == "https://example.org/feeds/12345"
    assert join("https:///x") == "https://x"  # feedparser's fix of extra slashes
    assert join("https://a.example/b?") == "https://a.example/b"  # urllib drops an empty query


def _html_to_text_plainly(html: str) -> str:
    """html_to_text without its shortcut for already folded text."""
    if not html:
        return ""
    text = htmltext._DROP.sub("", html)
    text = htmltext._TAG.sub("", htmltext._BLOCK.sub("\n", htmltext._IMG.sub(htmltext._alt, text)))
    text = clean_text(unescape(text))
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return htmltext._BLANKS.sub("\n\n", text).strip()


HTML_PIECES = [*"ab \t\n\x1b\x07\xa0é&<>", "<p>", "</p>", "<br>", "&nbsp;", "&#27;", "<b>", "  "]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=30).map("".join))
def test_html_to_text_shortcut_matches_the_long_way(html: str) -> None:
    assert html_to_text(html) == _html_to_text_plainly(html)


def test_html_to_text_folds_and_cleans() -> None:
    assert html_to_text("<p>one two</p><p>three</p>") == "one two\n\nthree"
    assert html_to_text("<p> one \t two </p>\n\n\n<p>x\x1b[31my</p>") == "one two\n\nxy"


def test_content_hash_is_the_stored_one() -> None:
    """Stored hashes decide what counts as changed: the digest must stay what it was."""
    entry = ParsedEntry(
        "g", "https://x.example/1", "T\ud800", "A", "s", "<p>c</p>", "c", categories=("a", "b")
    )
    digest = hashlib.sha256()
    for part in ("T\ud800", "https://x.example/1", "A", "s", "<p>c</p>", "a", "b"):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    assert content_hash(entry) == digest.hexdigest()
    made = make_entry(
        guid="g", url="https://x.example/1", title="T", author=None, summary_html="<p>c</p>",
        content_html="<p>c</p>", published=None, updated=None, categories=(),
    )  # fmt: skip
    assert made.content_hash == content_hash(made)


@pytest.mark.parametrize(
    "items",
    [
        # foreseen from the first guid: one run, with the URL
        ['<guid isPermaLink="false">1600-2823</guid>', "<guid>p/2</guid>", "<guid>tag:a:3</guid>"],
        # found after a first run without it: a second run with the URL
        ['<guid isPermaLink="false">https://a.example/1</guid>', "<guid>p/2</guid>"],
        # no id changes: one run without the URL, joined here
        [
            '<guid isPermaLink="false">https://a.example/1</guid>',
            "<guid>https://b.example/2</guid>",
        ],
    ],
)
def test_ids_come_out_as_feedparser_gives_them_with_the_url(items: list[str]) -> None:
    body = "".join(f"<item>{item}<title>t</title></item>" for item in items)
    doc = f'<rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()
    outcome = parse_document(doc, {}, "https://x.example/feeds/f.xml")
    with_url = _run_feedparser(doc, "", "https://x.example/feeds/f.xml")
    assert outcome.feed is not None
    assert [e.guid for e in outcome.feed.entries] == [e["id"] for e in with_url.entries]
    links = [http_url(e.get("link")) for e in with_url.entries]  # only http(s) links are kept
    assert [e.url for e in outcome.feed.entries] == links
