"""The main screen: sidebar, filter bar, story list and reader; loads everything in thread workers.

Workers read through the injected `DataSource` and post typed messages back; each list load
carries a generation number so a slow answer to an old filter is dropped, not shown.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker

from tracker.tui import messages as msg
from tracker.tui.data import DataSource
from tracker.tui.html_md import html_to_markdown, text_to_markdown
from tracker.tui.screens.story_actions import StoryActions
from tracker.tui.widgets.filter_bar import FilterBar, QueryInput
from tracker.tui.widgets.reader import ReaderPane
from tracker.tui.widgets.sidebar import Sidebar
from tracker.tui.widgets.status import StatusLine
from tracker.tui.widgets.story_list import PAGE, StoryList

RELOCATE_LIMIT = 5000  # after a change, look this far for the story under the cursor


class MainScreen(StoryActions, Screen[None]):
    AUTO_FOCUS = "#stories"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "filter", key_display="/"),
        Binding("t", "tag", "tag"),
        Binding("s", "star", "star"),
        Binding("m", "toggle_read", "read"),
        Binding("o", "open_link", "open"),
        Binding("f", "follow", "follow"),
        Binding("r", "poll", "poll"),
        Binding("e", "export", "export"),
        Binding("c", "group", "group", show=False),
        Binding("T", "tag_all", "tag all", show=False),
        Binding("M", "read_all", "mark all read", show=False),
        Binding("escape", "back", "back", show=False),
        Binding("q", "back_or_quit", "quit", show=False),
    ]

    def __init__(self, data: DataSource) -> None:
        super().__init__()
        self.data = data
        self.query_text = ""
        self.generation = 0
        self._preview: Timer | None = None
        self._side_busy = False
        self._focus_on_rows: int | None = None
        self._side_again = False
        self._side_started = False
        self.opened_id: int | None = None

    def compose(self) -> ComposeResult:
        clock = self.data.clock
        yield StatusLine(clock, id="status")
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="main"):
                yield FilterBar(id="filter")
                yield StoryList(clock, id="stories")
                yield ReaderPane(id="reader")
        yield Footer()

    @property
    def stories(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def reader(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    def on_mount(self) -> None:
        self.stories.focus()
        self.reader.show(None, "")
        self.set_query("")  # the sidebar and counts are read once the first rows are shown
        self.set_interval(30, self.query_one(StatusLine).show)  # "polled N min ago" ages

    # --- loading -----------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """A new filter: check it, then show its first page (the count follows)."""
        error = self.data.check(text)
        self.query_one(FilterBar).show_error(error)
        if error:
            return
        self.query_text = text
        self.generation += 1
        # The old rows stay on screen until the new first page replaces them in one paint.
        self.stories.border_title = Content(text or "all stories")
        self.stories.border_subtitle = Content("…")
        self.load_first(self.generation, text)

    @work(thread=True, group="list", exit_on_error=False)
    def load_first(self, generation: int, query: str) -> None:
        rows = self.data.rows(query, 0, PAGE)
        self.post_message(msg.RowsLoaded(generation, 0, rows, len(rows) == PAGE))
        self.post_message(msg.CountLoaded(generation, *self.data.count(query)))

    @work(thread=True, group="rows", exit_on_error=False)
    def load_rows(self, generation: int, query: str, start: int, total: int | None) -> None:
        rows = self.data.rows(query, start, PAGE, total)
        self.post_message(msg.RowsLoaded(generation, start, rows, len(rows) == PAGE))

    def reload(self) -> None:
        """The same filter again after a change, keeping the cursor on its story."""
        self.generation += 1
        stories = self.stories
        current = stories.current
        self.load_again(
            self.generation,
            self.query_text,
            current.id if current else None,
            stories.cursor,
            int(stories.scroll_y),
            max(stories.size.height, 1),
        )
        self.refresh_side()

    @work(thread=True, group="list", exit_on_error=False)
    def load_again(
        self, generation: int, query: str, story_id: int | None, cursor: int, top: int, height: int
    ) -> None:
        self.data.forget(query)
        index = None
        if story_id is not None and cursor < RELOCATE_LIMIT:
            index = self.data.locate(query, story_id, cursor + 500)
        shift = 0 if index is None else index - cursor
        first = max(top + shift, 0) // PAGE
        pages = {
            page * PAGE: self.data.rows(query, page * PAGE, PAGE)
            for page in sorted({first, (max(top + shift, 0) + height) // PAGE})
        }
        total, exact = self.data.count(query)
        self.post_message(msg.Reloaded(generation, pages, total, exact, index))

    def refresh_side(self) -> None:
        """Re-read counts; at most one read runs (at a million stories it takes a second or
        two), and changes meanwhile cause one more read when it ends."""
        if self._side_busy:
            self._side_again = True
            return
        self._side_busy = True
        self.load_side()

    @work(thread=True, group="side", exit_on_error=False)
    def load_side(self) -> None:
        try:
            self.post_message(msg.StatusLoaded(self.data.status()))
            self.post_message(msg.SidebarLoaded(self.data.sidebar()))
        finally:
            self.app.call_from_thread(self._side_done)

    def _side_done(self) -> None:
        self._side_busy = False
        if self._side_again:
            self._side_again = False
            self.refresh_side()

    @work(thread=True, group="story", exclusive=True, exit_on_error=False)
    def load_story(self, story_id: int) -> None:
        detail = self.data.story(story_id)
        markdown = ""
        if detail is not None:
            story = detail.story
            markdown = html_to_markdown(story.content_html) or text_to_markdown(story.summary)
        self.post_message(msg.StoryLoaded(detail, markdown))

    # --- messages from workers and widgets ---------------------------------------------------

    def on_rows_loaded(self, message: msg.RowsLoaded) -> None:
        if message.generation == self.generation != self.stories.generation:
            self.stories.reset(message.generation)  # a new filter's first page
            if not self._side_started:  # at a million stories they take a second or two:
                self._side_started = True  # after the first paint, not before it
                self.refresh_side()
        self.stories.add_rows(message.generation, message.start, message.rows, message.more)
        if message.generation == self._focus_on_rows:
            self._focus_on_rows = None
            self.call_after_refresh(self.stories.focus)

    def on_count_loaded(self, message: msg.CountLoaded) -> None:
        if message.generation != self.generation:
            return
        n = message.total
        if self.data.grouped:  # the count is of stories, not rows: the list finds its own end
            self.stories.border_subtitle = Content(f"{n:,} stories · one row per event")
            return
        self.stories.set_total(message.generation, message.total, message.exact)
        more = "" if message.exact else "+"
        self.stories.border_subtitle = Content(f"{n:,}{more} {'story' if n == 1 else 'stories'}")

    def on_reloaded(self, message: msg.Reloaded) -> None:
        if message.generation != self.generation:
            return
        self.stories.reloaded(message.generation, message.pages, message.index)
        self.on_count_loaded(msg.CountLoaded(message.generation, message.total, message.exact))

    def on_status_loaded(self, message: msg.StatusLoaded) -> None:
        self.query_one(StatusLine).show(message.status)

    def on_sidebar_loaded(self, message: msg.SidebarLoaded) -> None:
        self.query_one(Sidebar).show(message.items)

    def on_story_loaded(self, message: msg.StoryLoaded) -> None:
        self.reader.show(message.detail, message.markdown)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report = getattr(self.app, "report", None)
        if report is not None:
            report(event.worker)

    def on_data_changed(self, _: msg.DataChanged) -> None:
        self.reload()

    def on_story_list_need_rows(self, message: StoryList.NeedRows) -> None:
        if message.generation == self.generation:
            total = self.stories.total if self.stories.exact else None
            self.load_rows(message.generation, self.query_text, message.start, total)

    def on_story_list_highlighted(self, message: StoryList.Highlighted) -> None:
        if self._preview is not None:
            self._preview.stop()
        row = message.row
        if row is not None and row.id != self.opened_id:
            self._preview = self.set_timer(0.12, lambda: self.load_story(row.id))

    def on_story_list_opened(self, message: StoryList.Opened) -> None:
        self.open_story(message.row)

    @on(FilterBar.Changed)
    def filter_changed(self, message: FilterBar.Changed) -> None:
        if message.query != self.query_text:
            self.set_query(message.query)

    @on(FilterBar.Applied)
    def filter_applied(self, message: FilterBar.Applied) -> None:
        if message.query == self.query_text:
            self.stories.focus()
            return
        self.set_query(message.query)
        if self.query_text == message.query:
            # Moving focus repaints the whole screen (borders, footer): do it once the new
            # rows are on screen, so they are not kept waiting behind it.
            self._focus_on_rows = self.generation

    def on_query_input_done(self, _: QueryInput.Done) -> None:
        self.stories.focus()

    def on_sidebar_chosen(self, message: Sidebar.Chosen) -> None:
        item = message.item
        if item.kind == "follow" and self.open_follow(item.key):
            return
        query = {
            "tag": f"+{item.key}",
            "feed": f'feed:"{item.key}"',
            "follow": f'follow:"{item.key}"',
        }[item.kind]
        self.query_one(FilterBar).set_value(query)
        self.set_query(query)
        self.stories.focus()
        if item.failure:  # why its stories stopped coming, without leaving the keyboard
            self.notify(item.failure, title=f"⚠ {item.label}", severity="warning", timeout=10,
                        markup=False)  # fmt: skip

    # --- navigation --------------------------------------------------------------------------

    def action_group(self) -> None:
        """`c`: one row per event (a cluster's newest matching story, "+N sources"), or all."""
        self.data.grouped = not self.data.grouped
        self.notify("one row per event" if self.data.grouped else "every story", timeout=2)
        self.set_query(self.query_text)

    def action_filter(self) -> None:
        self.query_one(QueryInput).focus()

    def to_list(self) -> None:
        self.query_one("#main").remove_class("-reading")
        self.opened_id = None
        self.stories.focus()

    def action_back(self) -> None:
        if self.focused is not self.stories:
            self.to_list()
        elif self.query_text:
            self.query_one(FilterBar).set_value("")
            self.set_query("")

    def action_back_or_quit(self) -> None:
        if self.focused is self.stories:
            self.app.exit()
        else:
            self.to_list()
