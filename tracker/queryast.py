"""The query language's syntax tree: typed, frozen nodes and the parsed `Query` (no SQL)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, TypeAlias

from tracker.querydates import DateBound

Sort = Literal["new", "old", "relevance"]
StateName = Literal["unread", "read", "starred", "tagged", "untagged"]
FieldName = Literal["author", "feed", "site"]


@dataclass(frozen=True, slots=True)
class Text:
    """Full-text term: a word, a `"phrase"`, a `prefix*`; `field="title"` for `title:`."""

    value: str
    phrase: bool = False
    prefix: bool = False
    field: Literal["title"] | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """`author:`, `feed:` (feed title or URL) or `site:` (the story URL's host)."""

    name: FieldName
    value: str


@dataclass(frozen=True, slots=True)
class Tag:
    """`+name` / `tag:name`: the story carries the tag (from anyone: user, feed or rule)."""

    name: str


@dataclass(frozen=True, slots=True)
class State:
    """`is:unread`, `is:read`, `is:starred`, `is:tagged`, `is:untagged`."""

    name: StateName


@dataclass(frozen=True, slots=True)
class Follow:
    """`follow:"name"`: a member of that followed story (matched or pinned, not excluded)."""

    name: str


@dataclass(frozen=True, slots=True)
class DateRange:
    """`sort_at` in [start, end): either end may be open."""

    start: DateBound | None
    end: DateBound | None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node: TypeAlias = Text | Field | Tag | State | Follow | DateRange | And | Or | Not


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: `root` None matches every story; `sort` None means the default."""

    text: str
    root: Node | None
    sort: Sort | None = None

    @property
    def has_text(self) -> bool:
        return self.root is not None and any(isinstance(n, Text) for n in walk(self.root))

    @property
    def order(self) -> Sort:
        """The effective order: newest first unless asked; relevance needs text to rank."""
        if self.sort == "relevance" and not self.has_text:
            return "new"
        return self.sort or "new"

    def resolved(self, now: datetime) -> Query:
        """The same query with relative dates fixed against `now`."""
        return replace(self, root=None if self.root is None else _resolve(self.root, now))


def walk(node: Node) -> list[Node]:
    """Every node of a tree, parents first."""
    out: list[Node] = [node]
    if isinstance(node, And | Or):
        for item in node.items:
            out.extend(walk(item))
    elif isinstance(node, Not):
        out.extend(walk(node.item))
    return out


def _resolve(node: Node, now: datetime) -> Node:
    if isinstance(node, DateRange):
        return DateRange(
            None if node.start is None else node.start.resolved(now),
            None if node.end is None else node.end.resolved(now),
        )
    if isinstance(node, And):
        return And(tuple(_resolve(i, now) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(_resolve(i, now) for i in node.items))
    if isinstance(node, Not):
        return Not(_resolve(node.item, now))
    return node
