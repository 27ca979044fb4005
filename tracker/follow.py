"""Followed stories, pure: the follow records, and the dossier built from a follow's members."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from tracker.models import Story

How = Literal["match", "pin", "exclude"]


@dataclass(frozen=True, slots=True)
class Follow:
    """A follow: a name, a query, and when it was last opened (None: never)."""

    id: int
    name: str
    query: str
    origin: str  # user | config
    created_at: datetime
    last_opened_at: datetime | None
    story_count: int = 0  # members (matches and pins, not exclusions)
    new_count: int = 0  # members added since last_opened_at


@dataclass(frozen=True, slots=True)
class Member:
    """One story of a follow, and how and when it joined."""

    story: Story
    how: How
    added_at: datetime


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet's coverage: when it first covered the story and how many stories it ran."""

    feed_title: str
    feed_url: str
    first: datetime
    count: int


@dataclass(frozen=True, slots=True)
class Row:
    """A line of the story list: one story, or a cluster's stories of one day ("+N sources")."""

    story: Story  # the earliest member of the group that day
    story_ids: tuple[int, ...]  # every follow member this row stands for
    others: int  # other sources in the story's cluster (database-wide)
    new: bool  # a member joined since the last visit
    pinned: bool


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    count: int  # stories that day (rows may be fewer: clusters are grouped)
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything a follow shows: counts, timeline, sources, first report, stories by day."""

    follow: Follow
    total: int
    new_count: int
    since: datetime | None  # the previous visit the new count is relative to
    first: Story | None
    timeline: tuple[DayCount, ...]  # first to last day, zero days included
    sources: tuple[Source, ...]  # by first coverage
    days: tuple[Day, ...]  # newest first

    @property
    def counts(self) -> list[int]:
        return [d.count for d in self.timeline]


def is_new(member: Member, since: datetime | None) -> bool:
    """New since the last visit: joined the follow after it (everything, when never opened)."""
    return since is None or member.added_at > since


def build_dossier(
    follow: Follow, members: Sequence[Member], cluster_sources: Mapping[int, int]
) -> Dossier:
    """The dossier of `follow` from its members (excluded stories already left out).

    `cluster_sources` maps a cluster id to the number of distinct sources in it.
    """
    since = follow.last_opened_at
    ordered = sorted(members, key=lambda m: (m.story.sort_at, m.story.id))
    per_day: dict[date, list[Member]] = {}
    for m in ordered:
        per_day.setdefault(m.story.sort_at.date(), []).append(m)
    timeline: list[DayCount] = []
    if per_day:
        day, last = min(per_day), max(per_day)
        while day <= last:
            timeline.append(DayCount(day, len(per_day.get(day, ()))))
            day += timedelta(days=1)
    sources: dict[str, Source] = {}
    for m in ordered:
        s = m.story
        seen = sources.get(s.feed_url)
        if seen is None:
            sources[s.feed_url] = Source(s.feed_title, s.feed_url, s.sort_at, 1)
        else:
            sources[s.feed_url] = Source(seen.feed_title, seen.feed_url, seen.first, seen.count + 1)
    days = tuple(
        Day(day, len(group), _rows(group, cluster_sources, since))
        for day, group in sorted(per_day.items(), reverse=True)
    )
    return Dossier(
        follow=follow,
        total=len(ordered),
        new_count=sum(is_new(m, since) for m in ordered),
        since=since,
        first=ordered[0].story if ordered else None,
        timeline=tuple(timeline),
        sources=tuple(sorted(sources.values(), key=lambda s: (s.first, s.feed_title))),
        days=days,
    )


def _rows(
    group: Sequence[Member], cluster_sources: Mapping[int, int], since: datetime | None
) -> tuple[Row, ...]:
    """One day's rows, newest first; members of one cluster share a row."""
    buckets: dict[object, list[Member]] = {}
    for m in group:  # oldest first, so a bucket's first member is its earliest story
        key: object = ("c", m.story.cluster_id) if m.story.cluster_id is not None else m.story.id
        buckets.setdefault(key, []).append(m)
    rows = []
    for members in buckets.values():
        head = members[0].story
        sources = cluster_sources.get(head.cluster_id, 1) if head.cluster_id is not None else 1
        rows.append(
            Row(
                story=head,
                story_ids=tuple(m.story.id for m in members),
                others=max(0, sources - 1),
                new=any(is_new(m, since) for m in members),
                pinned=any(m.how == "pin" for m in members),
            )
        )
    rows.sort(key=lambda r: (r.story.sort_at, r.story.id), reverse=True)
    return tuple(rows)
