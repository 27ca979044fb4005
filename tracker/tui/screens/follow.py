"""The follow screen: header, stories-per-day chart, sources table, stories grouped by day."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.worker import Worker, WorkerState

from tracker.follow import Dossier, Row
from tracker.follow_render import header_parts, stories, when
from tracker.store import Store
from tracker.textclean import clean_line
from tracker.timeutil import utcnow
from tracker.tui.data import DataSource
from tracker.tui.messages import DataChanged
from tracker.tui.widgets.follow_days import DayList
from tracker.tui.widgets.timeline import TimelineChart

NARROW = 100  # below this width the sources table sits above the stories


class FollowData(Protocol):
    """What the screen needs from the app's data source (tracker.tui.data.DataSource)."""

    clock: Callable[[], datetime]

    def store(self) -> AbstractContextManager[Store]: ...


class FollowScreen(Screen[int | None]):
    """One follow: `push_screen(FollowScreen(data_source, "DeepSeek R1 launch"), callback)`.

    enter dismisses it with the highlighted story's id (the callback opens it in the reader);
    esc/q dismiss it with None. A `DataChanged` message (or `reload()`) refreshes it.
    """

    DEFAULT_CSS = """
    FollowScreen #follow-header { height: auto; background: $panel; padding: 0 1; }
    FollowScreen #follow-header { text-style: bold; }
    FollowScreen TimelineChart { padding: 0 1; }
    FollowScreen #follow-body { height: 1fr; }
    FollowScreen #follow-sources { width: 44; height: 1fr; }
    FollowScreen #follow-stories { width: 1fr; height: 1fr; }
    FollowScreen.narrow #follow-body { layout: vertical; }
    FollowScreen.narrow #follow-sources { width: 1fr; height: auto; max-height: 6; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "back"),
        Binding("enter", "open", "open", priority=True),
        Binding("p", "pin", "pin/unpin"),
        Binding("x", "exclude", "exclude"),
        Binding("j", "move(1)", "down", show=False),
        Binding("k", "move(-1)", "up", show=False),
    ]

    class Loaded(Message):
        def __init__(self, dossier: Dossier | None) -> None:
            super().__init__()
            self.dossier = dossier

    def __init__(
        self,
        data: FollowData | str | Path,
        follow_name: str,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`data`: the app's data source (preferred), or a database path to open one on."""
        super().__init__()
        self._owned: DataSource | None = None
        if isinstance(data, str | Path):
            data = self._owned = DataSource(data, clock or utcnow)
        self.data = data
        self.follow_name = follow_name
        self.dossier: Dossier | None = None
        self._since: datetime | None = None  # the previous visit "new" is counted from
        self._visited = False

    def compose(self) -> ComposeResult:
        yield Static(Content(self.follow_name), id="follow-header")
        yield TimelineChart()
        with Horizontal(id="follow-body"):
            yield DataTable(id="follow-sources", cursor_type="row", zebra_stripes=True)
            with Vertical(id="follow-stories"):
                yield DayList(id="follow-list")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#follow-sources", DataTable)
        table.add_columns("source", "first coverage", "stories")
        self.query_one(DayList).focus()
        self.reload()

    def on_unmount(self) -> None:
        if self._owned is not None:
            self._owned.close()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")

    # --- data (thread workers) ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="follow-load", exit_on_error=False)
    def reload(self) -> None:
        """Load the dossier; the first load is the visit (marks the follow opened)."""
        with self.data.store() as store:
            if not self._visited:
                follow = store.follows.get(self.follow_name)
                if follow is not None:
                    self._since = follow.last_opened_at
                    store.follows.mark_opened(follow.id, self.data.clock())
                    self._visited = True
            dossier = store.follows.dossier(self.follow_name, self._since)
        self.post_message(self.Loaded(dossier))

    @work(thread=True, group="follow-write", exit_on_error=False)
    def _mark(self, how: str, story_ids: tuple[int, ...]) -> None:
        with self.data.store() as store:
            follow = store.follows.get(self.follow_name)
            if follow is None:
                return
            repo = store.follows
            mark = {"pin": repo.pin, "exclude": repo.exclude, "release": repo.release}[how]
            mark(follow.id, list(story_ids), self.data.clock())
        self.app.call_from_thread(self.reload)

    def on_data_changed(self, _: DataChanged) -> None:
        """Another connection (a poll) committed: show what changed."""
        self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Database errors in this screen's workers, in one place: said, never fatal."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.group.startswith("follow-"):
            text = f"{type(worker.error).__name__}: {worker.error}"
            self.notify(text, severity="error", markup=False)

    # --- showing it ---------------------------------------------------------------------------

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        dossier = self.dossier = message.dossier
        header = self.query_one("#follow-header", Static)
        if dossier is None:
            header.update(Content(f"{self.follow_name} ─ no such follow"))
            self.query_one(DayList).show_message(f"no follow named {self.follow_name!r}")
            return
        header.update(Content(f"{dossier.follow.name} ─ " + " · ".join(header_parts(dossier))))
        start = dossier.timeline[0].day if dossier.timeline else None
        self.query_one(TimelineChart).set_data(dossier.counts, start)
        table = self.query_one("#follow-sources", DataTable)
        table.clear()
        for src in dossier.sources:
            table.add_row(Text(clean_line(src.feed_title)), Text(when(src.first)), src.count)
        self.query_one(DayList).show(dossier)

    # --- actions ------------------------------------------------------------------------------

    def current_row(self) -> Row | None:
        return self.query_one(DayList).current_row()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        self.query_one(DayList).move(step)

    def action_open(self) -> None:
        if self.query_one(DayList).show_more():
            return
        row = self.current_row()
        if row is not None:
            self.dismiss(row.story.id)

    @on(OptionList.OptionSelected, "#follow-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_pin(self) -> None:
        row = self.current_row()
        if row is not None:  # p again on a pinned row lets the query decide again
            how = "release" if row.pinned else "pin"
            self._mark(how, row.story_ids)
            done = "unpinned" if row.pinned else "pinned"
            self.notify(f"{done} {stories(len(row.story_ids))}", timeout=2)

    def action_exclude(self) -> None:
        row = self.current_row()
        if row is not None:
            self._mark("exclude", row.story_ids)
            self.notify(f"excluded {stories(len(row.story_ids))}", timeout=2)
