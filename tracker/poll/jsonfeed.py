"""JSON Feed 1.0/1.1 bytes -> ParsedFeed, read with `json` (feedparser's release reads none)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tracker.models import ParsedEntry, ParsedFeed
from tracker.poll.entries import escape_plain, http_url, make_entry
from tracker.poll.sanitize import sanitize_html
from tracker.textclean import clean_line


class NotAJsonFeed(ValueError):
    """Why a JSON body is not a JSON Feed (the message is the feed's error)."""


def read_json_feed(body: bytes, location: str) -> ParsedFeed:
    """The feed in `body`; relative links in its HTML are resolved against `location`."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"), strict=False)
    except (ValueError, RecursionError) as exc:
        raise NotAJsonFeed(f"not a feed: invalid JSON: {exc}") from None
    version = str(data.get("version") or "") if isinstance(data, dict) else ""
    if "jsonfeed.org/version/" not in version:
        raise NotAJsonFeed("not a feed: JSON without a JSON Feed version")
    assert isinstance(data, dict)
    items = data.get("items")
    if not isinstance(items, list):
        raise NotAJsonFeed("not a feed: JSON Feed without an items list")
    return ParsedFeed(
        title=clean_line(str(data.get("title") or "")) or None,
        site_url=http_url(data.get("home_page_url")),
        entries=tuple(_item(i, location) for i in items if isinstance(i, dict)),
    )


def _item(item: dict[str, Any], location: str) -> ParsedEntry:
    html = str(item.get("content_html") or "")
    text = str(item.get("content_text") or "")
    if html:
        content_html = sanitize_html(html, location)
    else:
        content_html = escape_plain(text).replace("\n", "<br>")
    summary = str(item.get("summary") or "")
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return make_entry(
        guid=item.get("id"),
        url=item.get("url") or item.get("external_url"),
        title=str(item.get("title") or ""),
        author=", ".join(names) or None,
        summary_html=escape_plain(summary),
        content_html=content_html,
        published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
        updated=_iso_date(item.get("date_modified")),
        categories=tuple(t for t in (clean_line(str(x)) for x in tags or []) if t),
    )


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
