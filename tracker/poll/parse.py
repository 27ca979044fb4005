"""Bytes -> ParsedFeed: the only feedparser import (RSS/RDF/Atom), plus JSON Feed via `json`."""

from __future__ import annotations

import io
import json
import re
from calendar import timegm
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
from feedparser.sanitizer import _sanitize_html

from tracker.models import ParsedEntry, ParsedFeed
from tracker.poll.htmltext import html_to_text
from tracker.textclean import clean_line, clean_text

SUMMARY_CHARS = 1000
# A DOCTYPE with an internal subset is where entity-expansion bombs live: drop it whole.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_BOM = b"\xef\xbb\xbf"
# An HTML attribute that feedparser would resolve against the base URL, holding a value that is
# not absolute (escaped or not). Without one, resolving is skipped: it costs ~20% of a parse.
_RELATIVE_REF = re.compile(
    rb"\b(?:href|src|cite|poster|action|longdesc|codebase|background|data|classid|usemap|profile)"
    rb"\s*=\s*(?!(?:[\"']|&quot;|&#34;|&#39;|&apos;|&#x22;|&#x27;)?\s*[a-z][a-z0-9+.\-]*:)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """A parsed document, or why there is none (picklable: it crosses the process pool)."""

    feed: ParsedFeed | None
    error: str | None = None


def parse_document(body: bytes, headers: Mapping[str, str], url: str) -> ParseOutcome:
    """Parse a fetched body. `headers` are the response's (lower-cased names)."""
    if not isinstance(body, bytes):  # a str would let feedparser open files or URLs
        raise TypeError("parse_document takes the body as bytes")
    stripped = body.lstrip(b"\x00\t\n\r " + _BOM)
    if not stripped:
        return ParseOutcome(None, "empty body")
    content_type = headers.get("content-type", "")
    if stripped[:1] in (b"{", b"[") or "json" in content_type.lower():
        return _parse_json(stripped)
    try:
        return _parse_xml(body, content_type, headers.get("content-location") or url)
    except Exception as exc:  # feedparser is defensive, but a crash must stay one feed's error
        return ParseOutcome(None, f"parser failure: {type(exc).__name__}: {exc}")


def _parse_xml(body: bytes, content_type: str, location: str) -> ParseOutcome:
    body = _DOCTYPE_SUBSET.sub(b"", body, count=1)
    response_headers = {"content-location": location}
    if content_type:
        response_headers["content-type"] = content_type
    d: Any = feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        resolve_relative_uris=_RELATIVE_REF.search(body) is not None,
    )
    entries = d.get("entries") or []
    if not entries and not d.get("version"):
        if _HTML_START.match(body.lstrip(_BOM)) or "html" in content_type.lower():
            return ParseOutcome(None, "an HTML page, not a feed")
        problem = d.get("bozo_exception")
        return ParseOutcome(None, f"not a feed: {clean_line(str(problem or 'no feed found'))}")
    warning = None
    if d.get("bozo"):
        warning = clean_line(f"ill-formed feed: {d.get('bozo_exception')}")[:300]
    meta = d.get("feed") or {}
    ttl = None
    if str(meta.get("ttl") or "").strip().isdigit():
        ttl = int(str(meta["ttl"]).strip()) * 60
    feed = ParsedFeed(
        title=_line(_text_of(meta, "title")) or None,
        site_url=_http_url(meta.get("link")),
        entries=tuple(_entry(e) for e in entries),
        ttl_seconds=ttl,
        warning=warning,
    )
    return ParseOutcome(feed)


def _entry(e: Any) -> ParsedEntry:
    summary_html = str(e.get("summary") or "")
    contents = [c for c in e.get("content") or [] if c.get("value")]
    best = max(contents, key=lambda c: len(str(c.get("value"))), default=None)
    content_html = str(best.get("value")) if best else summary_html
    if best is not None and "html" not in str(best.get("type") or "html"):
        content_html = _escape_plain(content_html)
    terms = (clean_line(str(c.get("term") or c.get("label") or "")) for c in e.get("tags") or [])
    tags = tuple(t for t in terms if t)
    return _make_entry(
        guid=e.get("id"),
        url=e.get("link"),
        title=_text_of(e, "title"),
        author=e.get("author"),
        summary_html=summary_html,
        content_html=content_html,
        # Atom requires only <updated>: it is the date such an entry was published as.
        published=_struct_date(e.get("published_parsed")) or _struct_date(e.get("updated_parsed")),
        updated=_struct_date(e.get("updated_parsed")),
        categories=tags,
    )


def _make_entry(
    *,
    guid: object,
    url: object,
    title: str,
    author: object,
    summary_html: str,
    content_html: str,
    published: datetime | None,
    updated: datetime | None,
    categories: tuple[str, ...],
) -> ParsedEntry:
    same = summary_html == content_html
    content_html = clean_text(content_html)
    content = html_to_text(content_html)
    summary = html_to_text(clean_text(summary_html)) if summary_html and not same else content
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
    return ParsedEntry(
        guid=clean_line(str(guid)) if guid not in (None, "") else None,
        url=_http_url(url),
        title=_line(title),
        author=clean_line(str(author)) or None if author else None,
        summary=summary,
        content_html=content_html,
        content=content,
        published=published,
        updated=updated,
        categories=categories,
    )


def _text_of(node: Any, key: str) -> str:
    """A text construct as plain text (feedparser leaves markup in `text/html` titles)."""
    value = str(node.get(key) or "")
    detail = node.get(f"{key}_detail") or {}
    if "html" in str(detail.get("type") or "") and ("<" in value or "&" in value):
        return html_to_text(value)
    return value


def _line(value: str) -> str:
    return clean_line(value)


def _http_url(value: object) -> str | None:
    text = clean_line(str(value)) if value else ""
    return text if text.lower().startswith(("http://", "https://")) else None


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _struct_date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(timegm(value), UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


# --- JSON Feed 1.0 / 1.1 --------------------------------------------------------------------


def _parse_json(body: bytes) -> ParseOutcome:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"), strict=False)
    except (ValueError, RecursionError) as exc:
        return ParseOutcome(None, f"not a feed: invalid JSON: {exc}")
    version = str(data.get("version") or "") if isinstance(data, dict) else ""
    if "jsonfeed.org/version/" not in version:
        return ParseOutcome(None, "not a feed: JSON without a JSON Feed version")
    assert isinstance(data, dict)
    items = data.get("items")
    if not isinstance(items, list):
        return ParseOutcome(None, "not a feed: JSON Feed without an items list")
    entries = tuple(_json_item(i) for i in items if isinstance(i, dict))
    feed = ParsedFeed(
        title=_line(str(data.get("title") or "")) or None,
        site_url=_http_url(data.get("home_page_url")),
        entries=entries,
    )
    return ParseOutcome(feed)


def _json_item(item: dict[str, Any]) -> ParsedEntry:
    html = str(item.get("content_html") or "")
    text = str(item.get("content_text") or "")
    content_html = _sanitize(html) if html else _escape_plain(text).replace("\n", "<br>")
    summary = str(item.get("summary") or "")
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return _make_entry(
        guid=item.get("id"),
        url=item.get("url") or item.get("external_url"),
        title=str(item.get("title") or ""),
        author=", ".join(names) or None,
        summary_html=_escape_plain(summary),
        content_html=content_html,
        published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
        updated=_iso_date(item.get("date_modified")),
        categories=tuple(t for t in (clean_line(str(x)) for x in tags or []) if t),
    )


def _sanitize(html: str) -> str:
    return str(_sanitize_html(html, "utf-8", "text/html"))


def _iso_date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
