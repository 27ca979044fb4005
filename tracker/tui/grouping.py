"""One row per event: a story is listed when no newer story of its cluster matches the filter.

Reads the plain list by keyset and keeps a story only when it is the newest match of its
cluster (found with `search.ids(query, within=members)`), so the rest of the list machinery
(anchors, pages) works unchanged on the kept rows. No Textual here.
"""

from __future__ import annotations

from datetime import datetime

from tracker.models import Story
from tracker.store import Store
from tracker.tui import search_adapter as search

RAW_PAGE = 200


def leader(store: Store, query: str, cluster_id: int, now: datetime) -> int | None:
    """The id of the newest story of the cluster that matches `query`."""
    members = store.clusters.members(cluster_id)
    matching = set(store.search.ids(query, now=now, within=[m.story_id for m in members]))
    newest = max(
        (m for m in members if m.story_id in matching),
        key=lambda m: (m.sort_at, m.story_id),
        default=None,
    )
    return None if newest is None else newest.story_id


def kept_page(
    store: Store, query: str, limit: int, after: search.Position | None, now: datetime
) -> tuple[list[Story], search.Position | None]:
    """Up to `limit` kept stories after `after`, and the position after the last story read
    (None: the list is exhausted)."""
    kept: list[Story] = []
    leaders: dict[int, int | None] = {}
    position = after
    while len(kept) < limit:
        stories, following = search.page(store, query, RAW_PAGE, position, now)
        for story in stories:
            position = (story.sort_at, story.id)
            cid = story.cluster_id
            if cid is not None and cid not in leaders:
                leaders[cid] = leader(store, query, cid, now)
            if cid is None or leaders[cid] == story.id:
                kept.append(story)
                if len(kept) == limit:
                    return kept, (position if following or story is not stories[-1] else None)
        if following is None:
            return kept, None
    return kept, position
