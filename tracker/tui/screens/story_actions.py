"""What the main screen's keys do to stories: open, read, star, tag, link, follow, poll, export.

Marks change the row on screen at once (in place, the cursor stays) and are written by a thread
worker; a failed write is reported and the list re-read.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tracker.tui import messages as msg
from tracker.tui.data import DataSource
from tracker.tui.screens.dialogs import ConfirmDialog, PromptDialog, TagDialog, parse_tags
from tracker.tui.views import ListRow, Options

if TYPE_CHECKING:
    from tracker.tui.widgets.reader import ReaderPane
    from tracker.tui.widgets.story_list import StoryList


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker against the real stderr.

    While the app runs, Textual swaps `sys.stderr` for a capture without a usable file
    descriptor, and the tracker (started on first use by the poller's spawn process pool) would
    hand that bad descriptor to `fork_exec`: "bad value(s) in fds_to_keep".
    """
    from multiprocessing import resource_tracker

    with contextlib.redirect_stderr(sys.__stderr__ or sys.stderr):
        resource_tracker.ensure_running()


class StoryActions(Screen[None]):
    data: DataSource
    query_text: str
    opened_id: int | None

    if TYPE_CHECKING:

        @property
        def stories(self) -> StoryList: ...

        @property
        def reader(self) -> ReaderPane: ...

        def reload(self) -> None: ...

        def refresh_side(self) -> None: ...

    @property
    def options(self) -> Options:
        options: Options = getattr(self.app, "options", Options())
        return options

    def say(self, text: str, severity: SeverityLevel = "information") -> None:
        """A toast; its text is never markup (it may hold feed text or a path)."""
        self.notify(text, severity=severity, markup=False)

    def _row(self) -> ListRow | None:
        row = self.stories.current
        if row is None:
            self.say("no story here", severity="warning")
        return row

    # --- reading -----------------------------------------------------------------------------

    def open_story(self, row: ListRow) -> None:
        self.opened_id = row.id
        self.query_one("#main").add_class("-reading")
        self.reader.focus()
        mark = self.options.mark_read_on_open and not row.read
        if mark:
            self.stories.update_rows([row.id], read=True)
        self.open_worker(row.id, mark)

    @work(thread=True, group="story", exclusive=True, exit_on_error=False)
    def open_worker(self, story_id: int, mark: bool) -> None:
        if mark:
            self.data.set_read([story_id], True)
        self.post_message(msg.StoryLoaded(*self.data.story_markdown(story_id)))
        if mark:
            self.post_message(msg.DataChanged())  # counts now, not at the watcher's next look

    def action_toggle_read(self) -> None:
        if (row := self._row()) is not None:
            self.stories.update_rows([row.id], read=not row.read)
            self.write("set_read", [row.id], not row.read)

    def action_star(self) -> None:
        if (row := self._row()) is not None:
            self.stories.update_rows([row.id], starred=not row.starred)
            self.write("set_starred", [row.id], not row.starred)

    @work(thread=True, group="write", exit_on_error=False)
    def write(self, method: str, *args: Any) -> None:
        getattr(self.data, method)(*args)
        self.post_message(msg.DataChanged())  # counts now, not at the watcher's next look

    def action_open_link(self) -> None:
        """`o`: the app's `open_url` checks the link (http/https only) and opens it."""
        if (row := self._row()) is not None:
            self.app.open_url(row.url or "")

    # --- tags --------------------------------------------------------------------------------

    @work(exclusive=True, group="dialog")
    async def action_tag(self) -> None:
        if (row := self._row()) is None:
            return
        names = await asyncio.to_thread(self.data.tag_names)
        answer = await self.app.push_screen_wait(TagDialog(names, row.tags))
        if not answer:
            return
        add, remove, _ = parse_tags(answer)
        tags = tuple(sorted((set(row.tags) | set(add)) - set(remove)))
        self.stories.update_rows([row.id], tags=tags)
        self.write("retag", [row.id], add, remove)
        if self.opened_id == row.id or self.reader.display:
            self.open_worker(row.id, False)

    @work(exclusive=True, group="dialog")
    async def action_tag_all(self) -> None:
        total = self.stories.total
        names = await asyncio.to_thread(self.data.tag_names)
        answer = await self.app.push_screen_wait(TagDialog(names, (), total))
        if not answer:
            return
        question = f"Apply “{answer}” to all {total:,} stories of “{self.query_text or 'all'}”?"
        if await self.app.push_screen_wait(ConfirmDialog(question)):
            add, remove, _ = parse_tags(answer)
            self.bulk("tag_all", f"tagged {{n:,}} stories: {answer}", self.query_text, add, remove)

    @work(exclusive=True, group="dialog")
    async def action_read_all(self) -> None:
        total = self.stories.total
        question = f"Mark all {total:,} stories of “{self.query_text or 'all'}” read?"
        if await self.app.push_screen_wait(ConfirmDialog(question)):
            self.bulk("mark_all_read", "marked {n:,} stories read", self.query_text)

    @work(thread=True, group="write", exit_on_error=False)
    def bulk(self, method: str, notice: str, *args: Any) -> None:
        count = getattr(self.data, method)(*args)
        self.app.call_from_thread(self.say, notice.format(n=count))
        self.post_message(msg.DataChanged())

    # --- follows -----------------------------------------------------------------------------

    @work(exclusive=True, group="dialog")
    async def action_follow(self) -> None:
        query = self.query_text.strip()
        if not query:
            self.say("set a filter first (/), then follow it with f", severity="warning")
            return
        name = await self.app.push_screen_wait(
            PromptDialog("Follow this filter as…", placeholder="a name", hint=query)
        )
        if name and name.strip():
            self.follow_worker(name.strip(), query)

    @work(thread=True, group="write", exit_on_error=False)
    def follow_worker(self, name: str, query: str) -> None:
        gathered = self.data.follow(name, query)
        self.app.call_from_thread(self.say, f"following “{name}”: {gathered:,} stories")
        self.app.call_from_thread(self.refresh_side)

    def open_follow(self, name: str) -> bool:
        """Show a follow on the follows helper's screen, when it exists."""
        try:
            module = importlib.import_module("tracker.tui.screens.follow")
        except ImportError:
            return False
        self.app.push_screen(module.FollowScreen(self.data, name), self.open_story_id)
        return True

    def open_story_id(self, story_id: int | None) -> None:
        """A story chosen on another screen (a follow): show it in the reader."""
        if story_id is not None:
            self.opened_id = story_id
            self.query_one("#main").add_class("-reading")
            self.reader.focus()
            self.open_worker(story_id, self.options.mark_read_on_open)

    # --- poll and export ---------------------------------------------------------------------

    def action_poll(self) -> None:
        if self.options.config is None:
            self.say("no feeds.toml loaded: nothing to poll", severity="warning")
            return
        self.query_one("StatusLine").set_progress("polling…")  # type: ignore[attr-defined]
        self.poll_worker()

    @work(thread=True, group="poll", exclusive=True, exit_on_error=False)
    def poll_worker(self) -> None:
        from tracker.poll.lock import PollLocked
        from tracker.poll.poller import PollProgress, poll

        config = self.options.config
        assert config is not None
        self.data.sync(config)
        _start_resource_tracker()

        def progress(p: PollProgress) -> None:
            self.post_message(msg.PollProgress(p.done, p.total, p.note))

        try:
            summary = asyncio.run(poll(self.data.path, config, every=True, progress=progress))
        except PollLocked:
            self.post_message(msg.PollFinished("another poll is running; its stories will appear"))
            return
        c = summary.counts()
        text = f"polled {c['feeds']} feeds: {c['new_stories']} new stories"
        if c["errors"]:
            text += f", {c['errors']} feeds failed"
        for warning in summary.warnings:
            text += f"; {warning}"
        self.post_message(msg.PollFinished(text, error=bool(c["errors"] or summary.warnings)))

    def on_poll_progress(self, message: msg.PollProgress) -> None:
        text = message.note or f"polling {message.done}/{message.total}"
        self.query_one("StatusLine").set_progress(text)  # type: ignore[attr-defined]

    def on_poll_finished(self, message: msg.PollFinished) -> None:
        self.query_one("StatusLine").set_progress(None)  # type: ignore[attr-defined]
        self.say(message.summary, severity="warning" if message.error else "information")
        self.reload()

    @work(exclusive=True, group="dialog")
    async def action_export(self) -> None:
        """`e`: the export helper's dialog picks format and path; the export runs in a thread."""
        from tracker.tui.screens.export import ExportScreen

        query = self.query_text
        dialog = ExportScreen(query, self.data.clock().date(), count=self.stories.total)
        request = await self.app.push_screen_wait(dialog)
        if request is not None:
            self.export_worker(request.format, request.path, query)

    @work(thread=True, group="write", exit_on_error=False)
    def export_worker(self, fmt: str, path: Path, query: str) -> None:
        count = self.data.export(fmt, path, query)
        self.app.call_from_thread(self.say, f"exported {count:,} stories to {path}")
