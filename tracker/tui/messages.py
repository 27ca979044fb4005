"""Typed messages that thread workers post back to the app's widgets."""

from __future__ import annotations

from textual.message import Message

from tracker.tui.views import ListRow, SidebarItem, Status, StoryDetail


class RowsLoaded(Message):
    """Rows `start ..` of the list for filter generation `generation`."""

    def __init__(self, generation: int, start: int, rows: list[ListRow], more: bool) -> None:
        super().__init__()
        self.generation = generation
        self.start = start
        self.rows = rows
        self.more = more


class CountLoaded(Message):
    """How many stories match the filter (`exact` False: at least that many)."""

    def __init__(self, generation: int, total: int, exact: bool = True) -> None:
        super().__init__()
        self.generation = generation
        self.total = total
        self.exact = exact


class Reloaded(Message):
    """The same filter re-read: visible pages, the total, and where the cursor's story is now."""

    def __init__(
        self,
        generation: int,
        pages: dict[int, list[ListRow]],
        total: int,
        exact: bool,
        index: int | None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.pages = pages
        self.total = total
        self.exact = exact
        self.index = index


class SidebarLoaded(Message):
    def __init__(self, items: list[SidebarItem]) -> None:
        super().__init__()
        self.items = items


class StatusLoaded(Message):
    def __init__(self, status: Status) -> None:
        super().__init__()
        self.status = status


class StoryLoaded(Message):
    def __init__(self, detail: StoryDetail | None, markdown: str) -> None:
        super().__init__()
        self.detail = detail
        self.markdown = markdown


class DataChanged(Message):
    """Another connection (a cron `tracker poll`, or our own worker) committed."""


class StoriesChanged(Message):
    """Our own write changed these stories: refresh their rows in place."""

    def __init__(self, ids: list[int], notice: str = "") -> None:
        super().__init__()
        self.ids = ids
        self.notice = notice


class PollProgress(Message):
    def __init__(self, done: int, total: int, note: str = "") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.note = note


class PollFinished(Message):
    def __init__(self, summary: str, error: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.error = error
