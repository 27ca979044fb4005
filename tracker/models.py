"""Domain values shared by every layer: frozen dataclasses, no I/O, no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from tracker.textclean import clean_line
from tracker.timeutil import iso

PollStatus = Literal["ok", "not_modified", "error", "gone", "skipped"]
TagSource = Literal["user", "feed", "rule"]


# --- configuration (feeds.toml) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """The `[settings]` table; durations in seconds, sizes in bytes."""

    interval: int = 3600
    concurrency: int = 16
    timeout: float = 30.0
    max_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One `[[feed]]` entry."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    interval: int | None = None


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """One `[[rule]]`: stories matching `query` get `tag`."""

    query: str
    tag: str


@dataclass(frozen=True, slots=True)
class FollowConfig:
    """One `[[follow]]`: a named story defined by a query."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Config:
    """A validated feeds.toml."""

    path: str
    settings: Settings = field(default_factory=Settings)
    feeds: tuple[FeedConfig, ...] = ()
    rules: tuple[RuleConfig, ...] = ()
    follows: tuple[FollowConfig, ...] = ()


# --- what the parser hands the poller -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One entry as parsed from a document: text already clean, HTML sanitized, dates UTC."""

    guid: str | None
    url: str | None
    title: str
    author: str | None = None
    summary: str = ""  # plain text
    content_html: str = ""  # sanitized HTML (richest of content/summary)
    content: str = ""  # plain text of content_html
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    # `tracker.poll.entries.content_hash`, set where the entry is built (a parser process), so
    # the poller's event loop does not hash every entry's text ("" = not computed)
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole parsed document."""

    title: str | None
    site_url: str | None
    entries: tuple[ParsedEntry, ...]
    ttl_seconds: int | None = None
    warning: str | None = None  # e.g. feedparser bozo with entries


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """What the decider asks the store to write for one entry."""

    key: str  # identity within the feed: guid, else link, else hash of title+content
    guid: str | None
    url: str | None
    title: str
    author: str | None
    summary: str
    content_html: str
    content: str
    published: datetime | None
    updated: datetime | None
    content_hash: str
    categories: tuple[str, ...] = ()


# --- what the store hands back ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed row with its polling state."""

    id: int
    url: str
    title: str | None  # configured title
    feed_title: str | None  # the document's own title
    site_url: str | None
    tags: tuple[str, ...]
    interval: int | None
    active: bool
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    last_status: str | None
    http_status: int | None
    last_error: str | None
    error_count: int
    last_polled_at: datetime | None
    next_poll_at: datetime | None
    story_count: int = 0
    unread_count: int = 0

    @property
    def display_title(self) -> str:
        return self.title or self.feed_title or self.url

    @property
    def failing(self) -> bool:
        """Its last poll failed, or the server said it is gone."""
        return self.last_status in ("error", "gone")

    @property
    def failure(self) -> str | None:
        """Why polling this feed fails, in one line of plain text (an error can quote a server's
        redirect target), or None when it does not: `error: HTTP 404 Not Found (failures in a
        row: 3, next try 2026-01-27T14:02:00Z)`."""
        if not self.failing:
            return None
        if self.last_status == "gone":
            retry = "not polled again"
        else:
            retry = f"next try {iso(self.next_poll_at) or 'at the next poll'}"
        error = clean_line(self.last_error) or "no error recorded"
        return f"{self.last_status}: {error} (failures in a row: {self.error_count}, {retry})"


@dataclass(frozen=True, slots=True)
class Story:
    """A stored story with the user's state and its feed's name."""

    id: int
    feed_id: int
    feed_url: str
    feed_title: str
    key: str
    url: str | None
    title: str
    author: str | None
    summary: str
    published: datetime | None
    first_seen: datetime
    sort_at: datetime
    read: bool
    starred: bool
    tags: tuple[str, ...] = ()
    cluster_id: int | None = None
    content_html: str = ""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one feed's ingest changed."""

    new_ids: tuple[int, ...] = ()
    updated_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PollResult:
    """The outcome of polling one feed; one bad feed never stops a run."""

    url: str
    status: PollStatus
    http_status: int | None = None
    new: int = 0
    updated: int = 0
    error: str | None = None
    warning: str | None = None  # stored fine, but e.g. ill-formed XML that feedparser mended
