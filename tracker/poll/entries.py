"""Sanitized feed parts -> ParsedEntry: plain text derived, every field cleaned (XML, JSON)."""

from __future__ import annotations

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
    return ParsedEntry(
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


def http_url(value: object) -> str | None:
    """`value` as a cleaned http(s) URL, else None."""
    text = clean_line(str(value)) if value else ""
    return text if text.lower().startswith(("http://", "https://")) else None


def escape_plain(text: str) -> str:
    """Plain text as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
