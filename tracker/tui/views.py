"""What the app shows, as plain values handed from the data source to the widgets (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker.models import Config, Story
from tracker.store.clusters import ClusterMember
from tracker.textclean import clean_line


@dataclass(frozen=True, slots=True)
class Options:
    """How the app behaves: set from the command line (and later from feeds.toml)."""

    mark_read_on_open: bool = True
    config: Config | None = None  # feeds.toml, for "poll now"
    notice: str | None = None  # shown once the app is up (e.g. why feeds.toml was not read)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of the story list: only what the row shows."""

    id: int
    sort_at: datetime
    feed_title: str
    title: str
    tags: tuple[str, ...]
    read: bool
    starred: bool
    url: str | None
    sources: int = 0  # other sources in the same cluster

    @classmethod
    def of(cls, story: Story, sources: int = 0) -> ListRow:
        return cls(
            story.id,
            story.sort_at,
            clean_line(story.feed_title),
            clean_line(story.title),
            tuple(clean_line(t) for t in story.tags),
            story.read,
            story.starred,
            story.url,
            sources,
        )


@dataclass(frozen=True, slots=True)
class SidebarItem:
    kind: str  # "feed" | "tag" | "follow"
    key: str  # feed URL, tag name, follow name
    label: str
    unread: int | None  # None: unknown (a feed in error shows "–")
    failure: str | None = None  # a failing feed's `Feed.failure`, told when it is chosen

    @property
    def failing(self) -> bool:
        return self.failure is not None


@dataclass(frozen=True, slots=True)
class Status:
    feeds: int
    stories: int
    unread: int
    last_poll: datetime | None
    failing: int


@dataclass(frozen=True, slots=True)
class StoryDetail:
    story: Story
    tag_sources: tuple[tuple[str, str], ...]  # (tag, source: user | feed | rule: QUERY)
    same_event: tuple[ClusterMember, ...] = ()  # the other stories of its cluster, oldest first
