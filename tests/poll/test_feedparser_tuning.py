"""What parse.py tunes in feedparser for speed (expat's text buffered, plain dict lookups) leaves
its results as they were."""

from __future__ import annotations

import copy
import io
import sys
import xml.sax
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest
from feedparser.util import FeedParserDict

from tracker.poll.parse import _FEEDPARSERS, FAST_DICT, parse_document
from tracker.poll.saxdriver import BufferedExpatParser

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
ESCAPED = b"<rss><channel><item><description>a &lt;p&gt;b &amp; c&lt;/p&gt;\nd</description>" \
    b"</item></channel></rss>"  # fmt: skip


class TextCalls(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def characters(self, content: str) -> None:
        self.calls.append(content)


def text_calls(parser: xml.sax.xmlreader.XMLReader) -> list[str]:
    handler = TextCalls()
    parser.setContentHandler(handler)
    parser.parse(io.BytesIO(ESCAPED))
    return handler.calls


def test_feedparser_gets_the_buffered_driver_and_it_reports_a_text_whole() -> None:
    parser = xml.sax.make_parser(feedparser.api.PREFERRED_XML_PARSERS)
    assert isinstance(parser, BufferedExpatParser)
    assert text_calls(parser) == ["a <p>b & c</p>\nd"]
    plain = text_calls(xml.sax.make_parser())  # Python's own expat driver: in pieces
    assert len(plain) > 5 and "".join(plain) == "a <p>b & c</p>\nd"


@contextmanager
def default_driver() -> Iterator[None]:
    chosen = feedparser.api.PREFERRED_XML_PARSERS
    feedparser.api.PREFERRED_XML_PARSERS = ["drv_libxml2"]  # feedparser's own default list
    try:
        yield
    finally:
        feedparser.api.PREFERRED_XML_PARSERS = chosen


def documents() -> list[tuple[str, bytes]]:
    """Bench-made RSS and Atom (escaped HTML content, many entities), plus the corpus if here."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from poll import make_feed  # bench/poll.py's generator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    docs = [make_feed(i, 20, 0) for i in range(6)]
    docs += [(p.name, p.read_bytes()) for p in sorted(CORPUS.rglob("*"))
             if p.is_file() and p.suffix != ".tsv"]  # fmt: skip
    return docs


def test_results_equal_those_of_the_unbuffered_driver() -> None:
    docs = documents()
    ours = [parse_document(body, {}, f"https://example.org/{name}") for name, body in docs]
    with default_driver():
        theirs = [parse_document(body, {}, f"https://example.org/{name}") for name, body in docs]
    for (name, _), mine, default in zip(docs, ours, theirs, strict=True):
        assert mine == default, name
    entries = sum(len(o.feed.entries) for o in ours if o.feed is not None)
    assert entries >= 120  # the bench documents alone have 6 x 20
    if not CORPUS.is_dir():
        pytest.skip("compared the bench documents only: ../shared/corpus is not here")


@contextmanager
def feedparser_own_dict() -> Iterator[None]:
    for name, method in _FEEDPARSERS.items():
        if method is None:
            delattr(FeedParserDict, name)
        else:
            setattr(FeedParserDict, name, method)
    try:
        yield
    finally:
        for name, method in FAST_DICT.items():
            setattr(FeedParserDict, name, method)


def test_results_equal_those_with_feedparsers_own_dict_lookups() -> None:
    docs = documents()
    ours = [parse_document(body, {}, f"https://example.org/{name}") for name, body in docs]
    with feedparser_own_dict():
        assert "__deepcopy__" not in vars(FeedParserDict)
        theirs = [parse_document(body, {}, f"https://example.org/{name}") for name, body in docs]
    assert FeedParserDict.get is FAST_DICT["get"]
    for (name, _), mine, default in zip(docs, ours, theirs, strict=True):
        assert mine == default, name
    assert sum(len(o.feed.entries) for o in ours if o.feed is not None) >= 120


def test_the_fast_lookups_keep_feedparsers_aliases_and_copies() -> None:
    d = FeedParserDict()
    d["description"] = "stored as summary"  # __setitem__ maps the alias
    d["published"] = "p"
    d["links"] = [FeedParserDict(rel="enclosure", href="h", type="t")]
    assert d["summary"] == d.get("description") == "stored as summary"
    assert "description" in d and "channel" not in d and "nothing" not in d
    assert d.get("nothing", 7) == 7 and d.get("channel") is None
    assert d["enclosures"] == [{"href": "h", "type": "t"}]
    with pytest.warns(DeprecationWarning):
        assert d["updated"] == "p"  # feedparser's fallback, kept
    with pytest.raises(KeyError):
        d["nothing"]
    assert d.links[0].href == "h"  # attribute access goes through the lookups too
    params = FeedParserDict(type="text/html", language=None, base="https://b/")
    params["nested"] = [FeedParserDict(a="b")]
    clone = copy.deepcopy(params)
    assert clone == params and type(clone) is FeedParserDict
    assert clone["nested"][0] is not params["nested"][0]
    clone["nested"][0]["a"] = "changed"
    assert params["nested"][0]["a"] == "b"
