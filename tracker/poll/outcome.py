"""ParseOutcome: a parser process's answer, and the compact form it crosses the pool in."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from tracker.models import ParsedEntry, ParsedFeed
from tracker.poll.entries import SUMMARY_CHARS, cut_summary

_FIELDS = tuple(f.name for f in fields(ParsedEntry))
_SUMMARY, _CONTENT = _FIELDS.index("summary"), _FIELDS.index("content")
_values = attrgetter(*_FIELDS)
_Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """A parsed document, or why there is none (picklable: it crosses the process pool)."""

    feed: ParsedFeed | None
    error: str | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as plain tuples, each entry's fields in order, less a summary that is just its
        content cut short (most are): that copy, non-ASCII for its "…", was a quarter of the
        bytes and half the time of pickling a feed, on both sides of the pool, and is cut again
        on arrival. Unpickling needs only this module (the main process loads no feedparser)."""
        feed = self.feed
        if feed is None:
            return (ParseOutcome, (None, self.error))
        rows = tuple(_row(e) for e in feed.entries)
        head = (feed.title, feed.site_url, feed.ttl_seconds, feed.warning)
        return (_unpack, (head, rows, self.error))


def _row(entry: ParsedEntry) -> _Row:
    row: _Row = _values(entry)
    if len(entry.content) > SUMMARY_CHARS and entry.summary == cut_summary(entry.content):
        return (*row[:_SUMMARY], None, *row[_SUMMARY + 1 :])
    return row


def _entry(row: _Row) -> ParsedEntry:
    if row[_SUMMARY] is None:
        row = (*row[:_SUMMARY], cut_summary(row[_CONTENT]), *row[_SUMMARY + 1 :])
    return ParsedEntry(*row)


def _unpack(head: tuple[Any, ...], rows: tuple[_Row, ...], error: str | None) -> ParseOutcome:
    title, site_url, ttl_seconds, warning = head
    entries = tuple(_entry(row) for row in rows)
    return ParseOutcome(ParsedFeed(title, site_url, entries, ttl_seconds, warning), error)
