"""Feed HTML is sanitized (nh3 allow-list) whatever the format, and links stay feedparser's."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from html import escape, unescape

import pytest

from tracker.models import ParsedEntry
from tracker.poll.parse import parse_document
from tracker.poll.sanitize import CHUNK_TAGS, sanitize_html

URL = "https://news.example.org/feeds/main.xml"
GOOD = (
    '<p>Kept <b>bold</b> <a href="https://ok.example/x">link</a>'
    '<img src="https://ok.example/i.png" alt="pic"></p>'
)
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">j</a>',
    '<a href="jav&#x61;script:alert(4)">encoded</a>',
    '<a href="java&#x09;script:alert(5)">tab</a>',
    '<a href=" JaVaScRiPt:alert(6)">case</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    '<img src="data:image/svg+xml,&lt;svg onload=alert(7)&gt;">',
    '<a href="vbscript:msgbox(8)">vb</a>',
    "<style>body { background: red }</style>",
    '<p style="background:url(javascript:alert(9))" onclick="alert(10)" class="x">styled</p>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg onload=alert(11)><script>alert(12)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(13)></style></mglyph>",
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">',
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">',
    '<link rel="stylesheet" href="https://evil.example/s.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(14)>"></noscript>',
    "<!-- <script>alert(15)</script> -->",
)
FORBIDDEN = (
    "<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "data:", "<iframe",
    "<svg", "<math", "<style", "style=", "class=", "<object", "<embed", "<form", "<input",
    "<button", "<base", "<meta", "<link", "alert(", "<!--",
)  # fmt: skip


def _rss(html: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><guid>https://e.org/1</guid><title>x</title>"
        f"<description><![CDATA[{html}]]></description></item></channel></rss>"
    ).encode()


def _atom(html: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id>'
        "<updated>2025-01-27T10:00:00Z</updated><entry><id>urn:1</id><title>x</title>"
        f'<updated>2025-01-27T10:00:00Z</updated><content type="html">{escape(html)}</content>'
        "</entry></feed>"
    ).encode()


def _json_feed(html: str) -> bytes:
    item = {"id": "1", "title": "x", "content_html": html}
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]}).encode()


def _only_entry(body: bytes) -> ParsedEntry:
    outcome = parse_document(body, {}, URL)
    assert outcome.feed is not None, outcome.error
    (entry,) = outcome.feed.entries
    return entry


def _assert_clean(html: str) -> None:
    for text in (html.lower(), unescape(html).lower()):
        found = [bad for bad in FORBIDDEN if bad in text]
        assert found == [], (found, html)


@pytest.mark.parametrize("make", [_rss, _atom, _json_feed], ids=["rss", "atom", "json"])
def test_hostile_html_is_cleaned_in_every_format(make: Callable[[str], bytes]) -> None:
    entry = _only_entry(make(GOOD + "".join(HOSTILE)))
    _assert_clean(entry.content_html)
    assert 'href="https://ok.example/x"' in entry.content_html
    assert 'src="https://ok.example/i.png"' in entry.content_html
    assert "<b>bold</b>" in entry.content_html
    assert entry.content.startswith("Kept bold link pic")
    assert "alert" not in entry.content and "background" not in entry.content
    for each in HOSTILE:  # one at a time too: no fragment leans on another to be caught
        _assert_clean(_only_entry(make(each)).content_html)


def test_atom_text_summary_holding_markup_is_sanitized_too() -> None:
    """Atom's default type is text, often filled with HTML; feedparser never sanitized it."""
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id>'
        b"<entry><id>urn:1</id><title>x</title><updated>2025-01-27T10:00:00Z</updated>"
        b"<summary>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;Hi"
        b"</summary></entry></feed>"
    )
    entry = _only_entry(doc)
    _assert_clean(entry.content_html)
    assert entry.summary == entry.content == "Hi"


def test_html_titles_become_plain_text() -> None:
    title = escape("<b>Bold</b> <script>alert(1)</script>&amp; \x1b[31mred <img src=x onerror=y>")
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id><entry>'
        f'<id>urn:1</id><title type="html">{title}</title>'
        "<updated>2025-01-27T10:00:00Z</updated></entry></feed>"
    ).encode()
    assert _only_entry(doc).title == "Bold & red"


def test_plain_text_content_is_escaped_not_interpreted() -> None:
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id><entry>'
        b"<id>urn:1</id><title>x</title><updated>2025-01-27T10:00:00Z</updated>"
        b'<content type="text">if a &lt; b &amp;&amp; c &gt; d: &lt;script&gt;</content>'
        b"</entry></feed>"
    )
    entry = _only_entry(doc)
    assert entry.content_html == "if a &lt; b &amp;&amp; c &gt; d: &lt;script&gt;"
    assert entry.content == "if a < b && c > d: <script>"


def test_a_self_closed_iframe_does_not_swallow_what_follows() -> None:
    html = '<p>before</p><iframe src="https://v.example/1" /><p>after</p>'
    assert sanitize_html(html) == "<p>before</p><p>after</p>"


def test_deep_nesting_costs_little_and_long_fragments_keep_their_markup() -> None:
    """An HTML parser takes time in the square of the nesting depth (50,000 nested divs: ~6 s
    in one piece); the sanitizer cleans long fragments in pieces of CHUNK_TAGS tags."""
    deep = "<div>" * 50_000 + "<script>alert(1)</script><p>end</p>"
    started = time.process_time()
    cleaned = sanitize_html(deep)
    assert time.process_time() - started < 2.0
    assert "end" in cleaned and "<script" not in cleaned and "alert" not in cleaned
    paragraph = '<p>Para <a href="/x">x</a> <b>b</b></p>'
    long = paragraph * (3 * CHUNK_TAGS)  # cut before a <p>: the same as cleaning each alone
    assert sanitize_html(long, URL) == sanitize_html(paragraph, URL) * (3 * CHUNK_TAGS)
    assert sanitize_html(long, URL).count('href="https://news.example.org/x"') == 3 * CHUNK_TAGS


def test_relative_links_follow_xml_base_and_the_document_url() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>t</title>'
        b'<id>urn:f</id><link href="./"/><entry xml:base="posts/"><id>3</id><title>x</title>'
        b'<link href="three.html"/><content type="html">&lt;a href="img/a.png"&gt;a&lt;/a&gt;'
        b"</content></entry></feed>"
    )
    outcome = parse_document(atom, {}, URL)
    assert outcome.feed is not None and outcome.feed.site_url == "https://news.example.org/blog/"
    entry = outcome.feed.entries[0]
    assert entry.guid == "https://news.example.org/blog/posts/3"
    assert entry.url == "https://news.example.org/blog/posts/three.html"
    assert 'href="https://news.example.org/blog/posts/img/a.png"' in entry.content_html
    json_entry = _only_entry(_json_feed('<a href="../about">a</a><img src="//cdn.example/i">'))
    assert 'href="https://news.example.org/about"' in json_entry.content_html
    assert 'src="https://cdn.example/i"' in json_entry.content_html


@pytest.mark.parametrize(
    ("item", "guid", "url"),
    [
        # A guid is a permalink unless it says otherwise: feedparser resolves it, and uses it
        # as the link when there is none.
        ("<guid>abc</guid>", f"{URL.rsplit('/', 1)[0]}/abc", f"{URL.rsplit('/', 1)[0]}/abc"),
        ('<guid isPermaLink="false">abc</guid><link>/p/1</link>', "abc", "https://news.example.org/p/1"),
        ('<guid isPermaLink="false">https://a.org/?p=1</guid>', "https://a.org/?p=1", None),
        ("<guid>urn:uuid:1234</guid><link>p?a=1&amp;b=2</link>", "urn:uuid:1234",
         "https://news.example.org/feeds/p?a=1&b=2"),
    ],
)  # fmt: skip
def test_ids_and_links_are_resolved_as_feedparser_resolves_them(
    item: str, guid: str, url: str | None
) -> None:
    """Parsed without the document URL, the ids and links must come out as they did with it
    (an identity that changed would make every stored story look new)."""
    doc = f'<rss version="2.0"><channel><title>t</title><item>{item}</item></channel></rss>'
    entry = _only_entry(doc.encode())
    assert (entry.guid, entry.url) == (guid, url)
