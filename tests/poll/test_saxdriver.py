"""feedparser parses with expat's text buffered: fewer callbacks, the very same results."""

from __future__ import annotations

import io
import sys
import xml.sax
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest

from tracker.poll.parse import parse_document
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
