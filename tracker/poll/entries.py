"""Sanitized feed parts -> ParsedEntry: plain text derived, every field cleaned (XML, JSON)."""

from __future__ import annotations

import hashlib
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
        summary = cut_summary(summary)
    title = clean_line(title)
    url = http_url(url)
    author = clean_line(str(author)) or None if author else None
    return ParsedEntry(
        guid=clean_line(str(guid)) if guid not in (None, "") else None,
        url=url,
        title=title,
        author=author,
        summary=summary,
        content_html=content_html,
        content=content,
        published=published,
        updated=updated,
        categories=categories,
        # hashed here, in the parser process, rather than on the poller's event loop
        content_hash=_digest(title, url, author, summary, content_html, categories),
    )


def content_hash(e: ParsedEntry) -> str:
    """What makes an entry "changed": its text and link, never its dates."""
    return _digest(e.title, e.url, e.author, e.summary, e.content_html, e.categories)


def _digest(
    title: str,
    url: str | None,
    author: str | None,
    summary: str,
    content_html: str,
    categories: tuple[str, ...],
) -> str:
    # Each part encoded alone: joined, one non-ASCII part would widen them all (slower).
    h = hashlib.sha256()
    for part in (title, url or "", author or "", summary, content_html, *categories):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def cut_summary(text: str) -> str:
    """A text longer than SUMMARY_CHARS cut to them, "…" included."""
    return text[: SUMMARY_CHARS - 1].rstrip() + "…"


def http_url(value: object) -> str | None:
    """`value` as a cleaned http(s) URL, else None."""
    text = clean_line(str(value)) if value else ""
    return text if text.lower().startswith(("http://", "https://")) else None


def escape_plain(text: str) -> str:
    """Plain text as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
