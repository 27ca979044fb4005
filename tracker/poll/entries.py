"""Sanitized feed parts -> ParsedEntry: plain text derived, every field cleaned (XML, JSON)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from tracker.models import ParsedEntry
from tracker.poll.htmltext import html_to_text
from tracker.textclean import clean_line, clean_text

SUMMARY_CHARS = 1000


def make_entry(
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
    """An entry from sanitized (or escaped) `summary_html` and `content_html`."""
    same = summary_html == content_html
    content_html = clean_text(content_html)
    content = html_to_text(content_html)
    summary = html_to_text(clean_text(summary_html)) if summary_html and not same else content
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
    entry = ParsedEntry(
        guid=clean_line(str(guid)) if guid not in (None, "") else None,
        url=http_url(url),
        title=clean_line(title),
        author=clean_line(str(author)) or None if author else None,
        summary=summary,
        content_html=content_html,
        content=content,
        published=published,
        updated=updated,
        categories=categories,
    )
    # hashed here, in the parser process, rather than on the poller's event loop
    return replace(entry, content_hash=content_hash(entry))


def content_hash(e: ParsedEntry) -> str:
    """What makes an entry "changed": its text and link, never its dates."""
    h = hashlib.sha256()
    for part in (e.title, e.url or "", e.author or "", e.summary, e.content_html, *e.categories):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def http_url(value: object) -> str | None:
    """`value` as a cleaned http(s) URL, else None."""
    text = clean_line(str(value)) if value else ""
    return text if text.lower().startswith(("http://", "https://")) else None


def escape_plain(text: str) -> str:
    """Plain text as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
