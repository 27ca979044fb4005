"""Bytes -> ParsedFeed: the only feedparser import (RSS/RDF/Atom), plus JSON Feed via `json`."""

from __future__ import annotations

import copy
import io
import re
from calendar import timegm
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, uses_relative
from xml.sax import SAXParseException

import feedparser
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

from tracker.models import ParsedEntry, ParsedFeed
from tracker.poll.dates import parse_common_date
from tracker.poll.entries import escape_plain, http_url, make_entry
from tracker.poll.htmltext import html_to_text
from tracker.poll.jsonfeed import NotAJsonFeed, read_json_feed
from tracker.poll.outcome import ParseOutcome
from tracker.poll.sanitize import sanitize_html
from tracker.textclean import clean_line

# feedparser's documented hook: tried before its own chain of date parsers, a sixth of their cost
# on the formats nearly all feeds use, with the same result.
feedparser.registerDateHandler(parse_common_date)
# The SAX driver feedparser asks `xml.sax.make_parser` for first (its own default names
# libxml2's, which is not installed, before falling back to expat): expat with text buffered.
feedparser.api.PREFERRED_XML_PARSERS = ["tracker.poll.saxdriver"]


# FeedParserDict answers every lookup through its alias table ("description" finds "summary"
# and so on, plus a few computed keys): about 2 µs a lookup, and feedparser looks up its own
# working dicts ~1,600 times per 50-entry feed. It also deep-copies the parameters of every
# text element (three strings) through `copy`'s generic path, ~30 µs each. Here a key outside
# that table takes the plain dict's path, which is where the alias code ends for such a key
# anyway, and a deep copy passes strings on as they are: the same results (a test compares,
# on the corpus) for 16 % fewer instructions per bench feed (callgrind, 20 feeds).
_ALIASED = frozenset(FeedParserDict.keymap) | {
    "category", "enclosures", "license", "updated", "updated_parsed"
}  # fmt: skip
_TUNED = ("get", "__getitem__", "__contains__", "__deepcopy__")
# feedparser's own methods (None: it has no `__deepcopy__`), kept for the aliased keys
_FEEDPARSERS = {name: vars(FeedParserDict).get(name) for name in _TUNED}


def _get(self: FeedParserDict, key: str, default: Any = None) -> Any:
    if key in _ALIASED:
        return _FEEDPARSERS["get"](self, key, default)
    return dict.get(self, key, default)


def _getitem(self: FeedParserDict, key: str) -> Any:
    if key in _ALIASED:
        return _FEEDPARSERS["__getitem__"](self, key)
    return dict.__getitem__(self, key)


def _contains(self: FeedParserDict, key: object) -> bool:
    if key in _ALIASED:
        return bool(_FEEDPARSERS["__contains__"](self, key))
    return dict.__contains__(self, key)


def _deepcopy(self: FeedParserDict, memo: dict[int, Any]) -> FeedParserDict:
    """What `copy.deepcopy` makes of it (a new one filled through `__setitem__`), strings
    shared rather than sent through `copy`'s dispatch."""
    new = memo[id(self)] = FeedParserDict()
    for key, value in dict.items(self):
        new[key] = value if type(value) is str else copy.deepcopy(value, memo)
    return new


FAST_DICT = dict(zip(_TUNED, (_get, _getitem, _contains, _deepcopy), strict=True))
for _name, _method in FAST_DICT.items():
    setattr(FeedParserDict, _name, _method)
del _name, _method

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_NAME_END = re.compile(rb"[>\[]")
_SUBSET_END = re.compile(rb"\]\s*>")
# Comments matched atomically: a lazy `.*?` left free to backtrack took minutes on "<!--a-->"*2000.
_HTML_START = re.compile(
    rb"^\s*(?>(?:<!--.*?-->\s*)*)<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_BOM = b"\xef\xbb\xbf"
# In the lower-cased body: what makes feedparser resolve against something other than the
# document's URL, xml:base or a bare `base` attribute (some false alarms, like "database=").
_OWN_BASE = re.compile(rb"base\s*=")
_Resolve = Callable[[str], str]
# A guid's start tag and text; every try stops at the next "<", so no input makes it rescan.
_FIRST_GUID = re.compile(rb"<guid\b[^<>]*>\s*(?:<!\[cdata\[\s*)?([^<\s]+)")
# What `_joiner` may return as it is (on printable ASCII): an http(s) URL with a host, or a
# value whose scheme is checked against urllib's `uses_relative` and has no "//" after it.
_UNCHANGED = re.compile(
    r"https?://[^/?#\[\] ]+(?:/[^?#; ]*)?(?:\?[^# ]+)?(?:#[^ ]+)?"
    r"|(?P<scheme>[a-z][a-z0-9+.-]*):(?!//)[^ ]*"
)


def parse_document(body: bytes, headers: Mapping[str, str], url: str) -> ParseOutcome:
    """Parse a fetched body. `headers` are the response's (lower-cased names)."""
    if not isinstance(body, bytes):  # a str would let feedparser open files or URLs
        raise TypeError("parse_document takes the body as bytes")
    stripped = body.lstrip(b"\x00\t\n\r " + _BOM)
    if not stripped:
        return ParseOutcome(None, "empty body")
    content_type = headers.get("content-type", "")
    if stripped[:1] in (b"{", b"[") or "json" in content_type.lower():
        try:
            return ParseOutcome(read_json_feed(stripped, headers.get("content-location") or url))
        except NotAJsonFeed as exc:
            return ParseOutcome(None, str(exc))
    try:
        return _parse_xml(body, content_type, headers.get("content-location") or url)
    except Exception as exc:  # feedparser is defensive, but a crash must stay one feed's error
        return ParseOutcome(None, f"parser failure: {type(exc).__name__}: {exc}")


def _parse_xml(body: bytes, content_type: str, location: str) -> ParseOutcome:
    body = _without_doctype_subset(body)
    d, link, ident = _feedparse(body, content_type, location)
    entries = d.get("entries") or []
    if not entries and not d.get("version"):
        if _HTML_START.match(body.lstrip(_BOM)) or "html" in content_type.lower():
            return ParseOutcome(None, "an HTML page, not a feed")
        problem = d.get("bozo_exception")
        return ParseOutcome(None, f"not a feed: {clean_line(_problem(problem))}")
    warning = None
    if d.get("bozo"):
        warning = clean_line(f"ill-formed feed: {_problem(d.get('bozo_exception'))}")[:300]
    meta = d.get("feed") or {}
    ttl = None
    if str(meta.get("ttl") or "").strip().isdigit():
        ttl = int(str(meta["ttl"]).strip()) * 60
    base = _base_of(location)
    feed = ParsedFeed(
        title=clean_line(_text_of(meta, "title")) or None,
        site_url=http_url(link(str(meta.get("link") or ""))),
        entries=tuple(_entry(e, base, link, ident) for e in entries),
        ttl_seconds=ttl,
        warning=warning,
    )
    return ParseOutcome(feed)


def _problem(exc: object) -> str:
    """What feedparser found wrong, in words: `not well-formed (invalid token)` rather than the
    XML parser's `<unknown>:2:0: ...`, whose position is in feedparser's re-encoded copy (a line
    off where it added an XML declaration) and so cannot be trusted to point into the feed."""
    if isinstance(exc, SAXParseException):
        return exc.getMessage()
    return str(exc) if exc else "no feed found"


def _without_doctype_subset(body: bytes) -> bytes:
    """`body` less its first `<!DOCTYPE name [...]>`: an internal subset is where entity-expansion
    bombs live. In one pass (a regex search for it rescanned the rest from every "<!DOCTYPE":
    18 s for 260 kB of them)."""
    stop = None
    for doctype in _DOCTYPE.finditer(body):
        if stop is None or stop.start() < doctype.end():  # else: the same '>' or '[' as before
            stop = _NAME_END.search(body, doctype.end())
            if stop is None:
                return body
        if stop.group() == b"[":
            end = _SUBSET_END.search(body, stop.end())
            return body if end is None else body[: doctype.start()] + body[end.end() :]
    return body


def _feedparse(body: bytes, content_type: str, location: str) -> tuple[Any, _Resolve, _Resolve]:
    """feedparser's result, and how to finish its links and ids.

    feedparser sanitizes nothing here (`sanitize_html` does, at a tenth of the cost) and is not
    given the document's URL: with one, it joins the base of every element with it and every
    link and permalink guid against it, a third of its time. The links and ids come back as
    written instead and are joined here, to the same strings. It is given the URL, as before,
    when that could differ: a document with a base of its own (xml:base), one whose bytes the
    checks below cannot read (UTF-16...), and one with ids feedparser resolves only sometimes
    (isPermaLink="false", rdf:about) when some id would change (absolute ones do not): found
    after a first run, or foreseen from the first guid (opaque ones like "1600-2823" are
    common), which saves that first run. Either way the result is the one with the URL."""
    lowered = body.lstrip(b"\t\n\r " + _BOM).lower()
    if lowered[:1] != b"<" or lowered[1:2] == b"\x00" or _OWN_BASE.search(lowered):
        return _run_feedparser(body, content_type, location), _as_is, _as_is
    join = _joiner(_base_of(location))
    some_ids_as_is = b"ispermalink" in lowered or b"rdf:about" in lowered
    if some_ids_as_is and _first_guid_changes(lowered, join):
        return _run_feedparser(body, content_type, location), _as_is, _as_is
    d = _run_feedparser(body, content_type, None)
    if some_ids_as_is:
        ids = (str(e.get("id") or "") for e in d.get("entries") or [])
        if any(join(i) != i for i in ids):
            return _run_feedparser(body, content_type, location), _as_is, _as_is
    return d, join, join


def _first_guid_changes(lowered: bytes, join: _Resolve) -> bool:
    """Whether the first <guid>'s text, read roughly (a guess: only what it costs depends on
    it), is one that `join` changes."""
    found = _FIRST_GUID.search(lowered)
    guid = found[1].decode("latin-1") if found else ""
    return join(guid) != guid


def _run_feedparser(body: bytes, content_type: str, location: str | None) -> Any:
    headers = {"content-type": content_type} if content_type else {}
    if location:
        headers["content-location"] = location
    return feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        resolve_relative_uris=False,  # sanitize_html does it
        sanitize_html=False,  # sanitize_html does it
    )


def _base_of(location: str) -> str:
    """The base feedparser resolves against, given `location` as the Content-Location."""
    return str(make_safe_absolute_uri(location, location) or location)


def _as_is(value: str) -> str:
    return value


def _joiner(base: str) -> _Resolve:
    """feedparser's join of a link or id with `base`, skipping the work (0.8 of the 4 ms spent
    beside feedparser on a 50-entry feed) for values it leaves as they are. That is: absolute
    http(s) URLs that urllib's split and unsplit give back unchanged (no empty query or
    fragment, no path parameters, no IPv6 host, nothing urllib strips), and ids like "tag:..."
    or "urn:..." with a scheme urllib never joins. Anything else, and all with a base urllib
    rejects, goes through feedparser's `_urljoin`."""
    try:
        urlsplit(base)
    except ValueError:  # every join raises inside feedparser's, which then gives ""
        skip = None
    else:
        skip = _UNCHANGED.fullmatch

    def join(value: str) -> str:
        if not value:
            return value
        if skip is not None and value.isascii() and value.isprintable():
            unchanged = skip(value)
            if unchanged and unchanged["scheme"] not in uses_relative:  # None: http(s)
                return value
        return str(_urljoin(base, value))

    return join


def _entry(node: Any, base: str, link: _Resolve, ident: _Resolve) -> ParsedEntry:
    e: dict[str, Any] = dict(node)  # plain lookups: a FeedParserDict's cost ~2 µs each
    contents = [c for c in map(dict, e.get("content") or []) if c.get("value")]
    best = max(contents, key=lambda c: len(str(c.get("value"))), default=None)
    summary = str(e.get("summary") or "")
    # A summary is taken for HTML whatever its type (Atom's type="text" often holds HTML).
    # feedparser copies a lone content to the summary without its detail (type and base).
    summary_html = _html_of(summary, "html", _plain(e.get("summary_detail")) or best, base)
    content_html = summary_html  # the richest content; the summary's HTML when they agree
    if best is not None and (best.get("value") != summary or not _is_html(best.get("type"))):
        content_html = _html_of(str(best.get("value")), best.get("type"), best, base)
    terms = (
        clean_line(str(c.get("term") or c.get("label") or ""))
        for c in map(dict, e.get("tags") or [])
    )
    tags = tuple(t for t in terms if t)
    guid = e.get("id")
    # A FeedParserDict answers a missing updated_parsed with published_parsed: kept so.
    published_parsed = e.get("published_parsed")
    updated_parsed = e.get("updated_parsed", published_parsed)
    updated = _struct_date(updated_parsed)
    # Atom requires only <updated>: it is the date such an entry was published as.
    published = updated
    if published_parsed is not updated_parsed:  # else the same date, converted once
        published = _struct_date(published_parsed) or updated
    return make_entry(
        guid=ident(str(guid)) if guid else guid,
        url=link(str(e.get("link") or "")),
        title=_text_of(e, "title"),
        author=e.get("author"),
        summary_html=summary_html,
        content_html=content_html,
        published=published,
        updated=updated,
        categories=tags,
    )


def _plain(detail: Any) -> dict[str, Any]:
    """A FeedParserDict (or nothing) as a dict: its keys mapping only serves top-level names."""
    return dict(detail or {})


def _html_of(value: str, kind: object, detail: dict[str, Any] | None, base: str) -> str:
    """Sanitized HTML of a text construct: markup cleaned, plain text (by `kind`) escaped."""
    if not value:
        return ""
    if not _is_html(kind):
        return escape_plain(value)
    return sanitize_html(value, str((detail or {}).get("base") or "") or base)


def _is_html(kind: object) -> bool:
    return "html" in str(kind or "html")


def _text_of(node: Any, key: str) -> str:
    """A text construct as plain text (feedparser leaves markup in `text/html` titles)."""
    value = str(node.get(key) or "")
    detail = _plain(node.get(f"{key}_detail"))
    if "html" in str(detail.get("type") or "") and ("<" in value or "&" in value):
        return html_to_text(sanitize_html(value))
    return value


def _struct_date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(timegm(value), UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None
