"""The story list: a Line-API virtual list that holds only the pages of rows near the viewport.

Rows come from SQLite a page at a time (the screen's workers answer `NeedRows`); the widget
knows the total and which pages it has, and renders a placeholder for rows still on their way.
Reloads swap pages in place and move the cursor with its story, so it never jumps.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from tracker.timeutil import utcnow
from tracker.tui.views import ListRow
from tracker.tui.widgets.story_row import format_row

PAGE = 100
KEEP_PAGES = 40  # at most 4,000 rows in memory, whatever the database holds


class StoryList(ScrollView, can_focus=True):
    """Newest first; `●` unread, `★` starred, `+N` other sources of the same event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "down", show=False),
        Binding("k,up", "cursor(-1)", "up", show=False),
        Binding("pagedown,space", "page(1)", "page down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("g,home", "top", "top", show=False),
        Binding("G,end", "bottom", "bottom", show=False),
        Binding("enter", "open", "open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--cursor",
        "story-list--unread",
        "story-list--read",
        "story-list--star",
        "story-list--dot",
        "story-list--meta",
        "story-list--tags",
        "story-list--sources",
    }
    DEFAULT_CSS = """
    StoryList { overflow-x: hidden; }
    StoryList > .story-list--cursor { background: $block-cursor-blurred-background; }
    StoryList:focus > .story-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    StoryList > .story-list--unread { text-style: bold; }
    StoryList > .story-list--read { text-style: dim; }
    StoryList > .story-list--star { color: $warning; }
    StoryList > .story-list--dot { color: $accent; }
    StoryList > .story-list--meta { color: $text-secondary; }
    StoryList > .story-list--tags { text-style: italic dim; }
    StoryList > .story-list--sources { color: $success; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class NeedRows(Message):
        def __init__(self, generation: int, start: int) -> None:
            super().__init__()
            self.generation = generation
            self.start = start

    class Highlighted(Message):
        def __init__(self, row: ListRow | None) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        def __init__(self, row: ListRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, clock: Callable[[], datetime] = utcnow, **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.generation = 0
        self.total = 0
        self.exact = False
        self.waiting = True
        self._pages: OrderedDict[int, list[ListRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._announced: int | None = None

    # --- data in ---------------------------------------------------------------------------

    def reset(self, generation: int) -> None:
        """A new filter: forget everything; the first page is on its way."""
        self.generation = generation
        self._pages.clear()
        self._pending.clear()
        self.waiting = True
        self.total = 0
        self.exact = False
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._resize()

    def reloaded(
        self,
        generation: int,
        pages: dict[int, list[ListRow]],
        cursor_index: int | None,
    ) -> None:
        """The same filter re-read after a change: keep the cursor on its story."""
        self.generation = generation
        self._pending.clear()
        self._pages.clear()
        for start, rows in sorted(pages.items()):
            self._pages[start // PAGE] = rows
        self.waiting = False
        if not self.exact:  # a list that finds its end as it reads: keep what is known
            self.total = max(self.total, self._known_extent())
        if cursor_index is not None and cursor_index != self.cursor:
            delta = cursor_index - self.cursor
            self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)
            self.cursor = cursor_index
        self._resize()
        self.refresh()

    def add_rows(self, generation: int, start: int, rows: list[ListRow], more: bool) -> None:
        if generation != self.generation:
            return
        page = start // PAGE
        self._pending.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        self.waiting = False
        extent = start + len(rows) + (1 if more else 0)
        if (not more and rows) or (not rows and start):
            self.total, self.exact = extent, True  # the last page says where the list ends
            self.cursor = min(self.cursor, max(extent - 1, 0))
        elif extent > self.total and (self.total == 0 or not self.exact):
            self.total = extent
        self._resize()
        self.refresh()
        self._announce()

    def set_total(self, generation: int, total: int, exact: bool = True) -> None:
        if generation == self.generation:
            self.exact = exact
            self.total = total if exact else max(total, self._known_extent())
            self.cursor = min(self.cursor, max(total - 1, 0))
            self._resize()
            self.refresh()

    def update_rows(self, ids: Iterable[int], **changes: object) -> None:
        """Change rows in place after our own write (read, starred, tags)."""
        wanted = set(ids)
        for page, rows in self._pages.items():
            self._pages[page] = [replace(r, **changes) if r.id in wanted else r for r in rows]  # type: ignore[arg-type]
        self.refresh()
        self._announced = None
        self._announce()

    def _known_extent(self) -> int:
        return max(((p * PAGE) + len(rows) for p, rows in self._pages.items()), default=0)

    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.total)

    # --- reading ---------------------------------------------------------------------------

    def row_at(self, index: int) -> ListRow | None:
        rows = self._pages.get(index // PAGE)
        if rows is None:
            return None
        offset = index % PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def current(self) -> ListRow | None:
        return self.row_at(self.cursor)

    def visible_pages(self) -> list[int]:
        top = int(self.scroll_y)
        height = max(self.size.height, 1)
        return sorted({top // PAGE, (top + height) // PAGE, self.cursor // PAGE})

    def _want(self, index: int) -> None:
        page = index // PAGE
        if page in self._pending or page in self._pages or index >= self.total:
            return
        self._pending.add(page)
        self.post_message(self.NeedRows(self.generation, page * PAGE))

    # --- cursor ----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.total - 1)) if self.total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif height and new >= self.scroll_y + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        self._want(new)
        self._announce()

    def _announce(self) -> None:
        row = self.current
        key = row.id if row else None
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(row))

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        self.cursor += direction * height

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        self.cursor = max(self.total - 1, 0)

    def action_open(self) -> None:
        if (row := self.current) is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_y) + event.y
        if index < self.total:
            self.cursor = index
            if event.chain > 1:
                self.action_open()

    # --- painting --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        cursor = index == self.cursor
        base = self.get_visual_style("story-list--cursor") if cursor else self.get_visual_style()
        if index >= self.total:
            text = Content("loading…" if self.waiting and index == 0 else "")
            if not self.waiting and self.total == 0 and index == 0:
                text = Content("no stories match")
            return Strip(text.truncate(width, pad=True).render_segments(base), width)
        row = self.row_at(index)
        if row is None:
            self._want(index)
            line = Content("  …").truncate(width, pad=True)
        else:
            line = self.format_row(row, width, cursor)
        return Strip(line.render_segments(base), width)

    def format_row(self, row: ListRow, width: int, cursor: bool = False) -> Content:
        return format_row(row, width, self.clock(), self._cursor_part if cursor else self._part)

    def _part(self, part: str) -> Style:
        return self.get_visual_style(f"story-list--{part}", partial=True)

    def _cursor_part(self, part: str) -> Style:
        """On the cursor row the columns take the cursor's colour (read: legible)."""
        return Style() if part in ("meta", "tags", "sources", "read") else self._part(part)
