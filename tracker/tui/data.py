"""The app's injected data source: every database call the app makes, run from thread workers.

Nothing here imports Textual: the app hands a `DataSource` to its screens, and workers call it
from their own threads. Each call borrows a `Store` (its own SQLite connection) from a small
pool, so no connection is ever used by two threads at once.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from tracker.models import Config, Story
from tracker.store import Store, write
from tracker.textclean import clean_line, clean_text
from tracker.timeutil import utcnow
from tracker.tui import grouping
from tracker.tui import search_adapter as search
from tracker.tui.html_md import html_to_markdown, text_to_markdown
from tracker.tui.views import ListRow, SidebarItem, Status, StoryDetail

Clock = Callable[[], datetime]
GROUPED = "\x00grouped "  # anchors of the one-row-per-event list are kept under this prefix


class DataSource:
    """Opens `path` lazily, one connection per concurrent caller."""

    def __init__(self, path: str | Path, clock: Clock = utcnow) -> None:
        self.path = str(path)
        self.clock = clock
        self._pool: queue.SimpleQueue[Store] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self.grouped = False  # one row per event (cluster); set by the main screen
        self._anchors: dict[str, dict[int, search.Position]] = {}  # query -> index -> where

    @contextmanager
    def store(self) -> Iterator[Store]:
        try:
            store = self._pool.get_nowait()
        except queue.Empty:
            store = Store.open(self.path)
        try:
            yield store
        finally:
            with self._lock:
                if self._closed:  # the app closed while this call ran: its connection ends here
                    store.close()
                else:
                    self._pool.put(store)

    def close(self) -> None:
        """Close the idle connections now and the borrowed ones when their calls return:
        closing a connection under a running query (a worker still reading as the app quits)
        crashes the interpreter."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._pool.get_nowait().close()
                except queue.Empty:
                    break

    # --- the story list -----------------------------------------------------------------

    def check(self, query: str) -> str | None:
        """The query's error message, or None when it parses."""
        return search.check(query, self.clock())

    def count(self, query: str) -> tuple[int, bool]:
        """(matches, exact); beyond a cap the count is "at least"; grouped, "at most"."""
        with self.store() as store:
            total, exact = search.count(store, query, self.clock())
        return total, exact and not self.grouped

    def rows(self, query: str, start: int, limit: int, total: int | None = None) -> list[ListRow]:
        """Rows `start .. start+limit` of the query's list, by keyset from the nearest anchor.

        Every page read records where the next one starts, so scrolling on reads each page by
        keyset. A jump far from any known page reads from the nearer end: from the bottom in
        the opposite order when `total` (exact) is known, else by offset.
        """
        now = self.clock()
        if self.grouped:
            return self._grouped_rows(query, start, limit, now)
        anchors = self._anchors.setdefault(query, {})
        with self.store() as store:
            if start == 0 or start in anchors:
                stories, cursor = search.page(store, query, limit, anchors.get(start), now)
            else:
                base = max((i for i in anchors if i < start), default=0)
                if start - base <= 2000:
                    _, after = search.page(store, query, start - base, anchors.get(base), now)
                    if after is None:
                        return []
                    stories, cursor = search.page(store, query, limit, after, now)
                else:
                    stories, cursor = self._jump(store, query, start, limit, total, now)
            if cursor is not None:
                if len(anchors) > 4096:
                    anchors.clear()
                anchors[start + len(stories)] = cursor
            others = search.other_sources(store, stories)
        return [ListRow.of(s, others.get(s.cluster_id or 0, 0)) for s in stories]

    def _grouped_rows(self, query: str, start: int, limit: int, now: datetime) -> list[ListRow]:
        """One row per event; reached by walking kept pages from the nearest anchor."""
        anchors = self._anchors.setdefault(GROUPED + query, {})
        base = max((i for i in anchors if i <= start), default=0)
        after = anchors.get(base)
        if base and after is None:
            return []
        with self.store() as store:
            while True:
                stories, after = grouping.kept_page(store, query, limit, after, now)
                if after is not None:
                    anchors[base + len(stories)] = after
                if base + len(stories) > start or after is None:
                    break
                base += len(stories)
            stories = stories[start - base :]
            others = search.other_sources(store, stories)
        return [ListRow.of(s, others.get(s.cluster_id or 0, 0)) for s in stories]

    @staticmethod
    def _jump(
        store: Store, query: str, start: int, limit: int, total: int | None, now: datetime
    ) -> tuple[list[Story], search.Position | None]:
        if total is not None and total - start < start:
            count = max(min(limit, total - start), 0)
            found = search.page_from_end(store, query, count, total - start - count, now)
            if found is not None:
                last = found[-1] if found else None
                more = last is not None and start + len(found) < total
                return found, ((last.sort_at, last.id) if more and last else None)
        return search.page_at(store, query, start, limit, now)

    def forget(self, query: str | None = None) -> None:
        """Drop keyset anchors (after the data changed)."""
        if query is None:
            self._anchors.clear()
        else:
            self._anchors.pop(query, None)
            self._anchors.pop(GROUPED + query, None)

    def locate(self, query: str, story_id: int, limit: int) -> int | None:
        """The index of `story_id` within the first `limit` rows of the list."""
        if self.grouped:
            return None
        with self.store() as store:
            stories, _ = search.page(store, query, limit, None, self.clock())
        for index, story in enumerate(stories):
            if story.id == story_id:
                return index
        return None

    def ids(self, query: str) -> list[int]:
        with self.store() as store:
            return search.ids(store, query, self.clock())

    # --- the rest of the screen ---------------------------------------------------------

    def sidebar(self) -> list[SidebarItem]:
        with self.store() as store:
            feeds = store.feeds.all(with_counts=True)
            tags = store.tags.counts()
            follows = search.follows(store)
        items = [SidebarItem("follow", name, clean_line(name), unread) for name, unread in follows]
        items += [SidebarItem("tag", t, clean_line(t), unread) for t, _n, unread in tags]
        items += [
            SidebarItem(
                "feed",
                f.url,
                clean_line(f.display_title),
                None if f.failing and not f.story_count else f.unread_count,
                failure=f.failure,
            )
            for f in feeds
            if f.active or f.story_count
        ]  # fmt: skip
        return items

    def status(self) -> Status:
        with self.store() as store:
            feeds = store.feeds.all(active_only=True)
            stories, unread = store.stories.totals()
            last = store.feeds.last_run_at()
        failing = sum(1 for f in feeds if f.failing)
        return Status(len(feeds), stories, unread, last, failing)

    def story(self, story_id: int) -> StoryDetail | None:
        with self.store() as store:
            story = store.stories.get(story_id)
            if story is None:
                return None
            # Provenance as the reader shows it: "feed", "user", or the rule's own query.
            sources = tuple(
                (tag, f"rule: {rule}" if source == "rule" and rule else source)
                for tag, source, rule in store.tags.of_story(story_id)
            )
            mates = store.clusters.members(story.cluster_id) if story.cluster_id else []
        others = tuple(m for m in mates if m.story_id != story_id)
        return StoryDetail(story, sources, others)

    def story_markdown(self, story_id: int) -> tuple[StoryDetail | None, str]:
        """The story and its content as Markdown (converted here, off the event loop)."""
        detail = self.story(story_id)
        if detail is None:
            return None, ""
        story = detail.story
        markdown = html_to_markdown(story.content_html) or text_to_markdown(story.summary)
        return detail, clean_text(markdown)

    def tag_names(self) -> list[str]:
        with self.store() as store:
            return sorted(store.tags.names())

    def data_version(self, store: Store) -> int:
        return store.data_version()

    # --- writes -------------------------------------------------------------------------

    def set_read(self, ids: Sequence[int], read: bool) -> int:
        """In the one-row-per-event view a row stands for its cluster: all of it changes."""
        with self.store() as store:
            if self.grouped:
                ids = store.clusters.with_mates(ids)
            return store.stories.set_read(ids, read, self.clock())

    def set_starred(self, ids: Sequence[int], starred: bool) -> int:
        with self.store() as store:
            return store.stories.set_starred(ids, starred)

    def retag(self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> int:
        """Add and remove tags on `ids` in one transaction; returns pairs changed."""
        now = self.clock()
        with self.store() as store, write(store.db):
            changed = store.tags.add(ids, add, now) if add else 0
            changed += store.tags.remove(ids, remove, now) if remove else 0
        return changed

    def mark_all_read(self, query: str) -> int:
        return self.set_read(self.ids(query), True)

    def tag_all(self, query: str, add: Sequence[str], remove: Sequence[str]) -> int:
        return self.retag(self.ids(query), add, remove)

    def follow(self, name: str, query: str) -> int:
        """Create a follow of `query`; returns how many stored stories it gathered."""
        with self.store() as store:
            return search.add_follow(store, name, query, self.clock())

    def sync(self, config: Config) -> None:
        with self.store() as store:
            store.feeds.sync(config, self.clock())

    def export(self, fmt: str, path: Path, query: str) -> int:
        from tracker.export import export_to_path

        with self.store() as store:
            stories = search.iterate(store, query, self.clock())
            return export_to_path(fmt, stories, path, query=query, now=self.clock())
