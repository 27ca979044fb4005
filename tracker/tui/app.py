"""The Textual app: wires the injected data source to the main screen; global keys and palette."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tracker.store import Store
from tracker.tui import messages as msg
from tracker.tui.data import DataSource
from tracker.tui.html_md import safe_link
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.main import MainScreen
from tracker.tui.views import Options

WATCH_SECONDS = 1.0
Opener = Callable[[str], object]

# (action on the main screen, palette title, help) — every key has an entry here.
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("filter", "Filter stories", "Type a query: words, +tag, is:unread, @7d …  (/)"),
    ("tag", "Tag the story", "Add tags, or remove one with -name  (t)"),
    ("star", "Star / unstar the story", "(s)"),
    ("toggle_read", "Toggle read", "Mark the story read or unread  (m)"),
    ("open_link", "Open the link in the browser", "http/https only  (o)"),
    ("follow", "Follow the current filter", "Save it as a followed story  (f)"),
    ("poll", "Poll now", "Fetch every feed now  (r)"),
    ("export", "Export the current view", "json, jsonl, csv, md or atom  (e)"),
    ("tag_all", "Tag all stories in the filter", "With a confirmation  (T)"),
    ("read_all", "Mark all stories in the filter read", "With a confirmation  (M)"),
    ("group", "One row per event / every story", "A cluster's coverage as one row, +N  (c)"),
    ("back", "Back / clear the filter", "(esc)"),
)
LIST_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("open", "Open the story", "Show it in the reader  (enter)"),
    ("top", "Go to the top", "(g)"),
    ("bottom", "Go to the bottom", "(G)"),
)


class TrackerApp(App[None]):
    TITLE = "tracker"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "theme", show=False),
    ]

    def __init__(
        self,
        data: DataSource,
        options: Options | None = None,
        opener: Opener | None = None,
        theme: str = "textual-dark",
    ) -> None:
        super().__init__()
        self.data = data
        self.options = options or Options()
        self.opener: Opener = opener or webbrowser.open
        self.opened: list[str] = []
        self.theme = theme
        self.main = MainScreen(data)

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def on_mount(self) -> None:
        self.watch_database()
        if self.options.notice:
            self.notify(self.options.notice, severity="warning", timeout=10, markup=False)

    def on_unmount(self) -> None:
        self.data.close()

    # --- noticing other processes' writes ----------------------------------------------------

    @work(thread=True, group="watch", exit_on_error=False)
    def watch_database(self) -> None:
        """Poll `PRAGMA data_version` on a connection of its own; post `DataChanged`."""
        worker = get_current_worker()
        pause = threading.Event()
        with Store.open(self.data.path) as store:
            seen = store.data_version()
            while not worker.is_cancelled:
                pause.wait(WATCH_SECONDS)
                version = store.data_version()
                if version != seen:
                    seen = version
                    self.call_from_thread(self.data_changed)

    def data_changed(self) -> None:
        """Tell the main screen, and the screen on top when it is another (a follow)."""
        self.main.post_message(msg.DataChanged())
        if self.screen is not self.main:
            self.screen.post_message(msg.DataChanged())

    # --- links -------------------------------------------------------------------------------

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open http(s) links only, as one argument (never a shell, never an option)."""
        link = safe_link(url)
        if link is None:
            self.notify(f"not opening {url[:80]!r}: only http(s) links", severity="warning")
            return
        self.opened.append(link)
        self.run_worker(partial(self.opener, link), thread=True, group="open")
        self.notify(f"opening {link}", markup=False)

    # --- global actions ----------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_toggle_read_on(self) -> None:
        on = not self.options.mark_read_on_open
        self.options = Options(on, self.options.config, self.options.notice)
        self.notify(f"mark read on open: {'on' if on else 'off'}")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, title, help_text in PALETTE:
            yield SystemCommand(title, help_text, partial(self.main.run_action, action))
        for action, title, help_text in LIST_ACTIONS:
            yield SystemCommand(title, help_text, partial(self.main.stories.run_action, action))
        yield SystemCommand("Help", "Every key  (?)", self.action_help)
        yield SystemCommand("Toggle light / dark theme", "(ctrl+t)", self.action_toggle_theme)
        yield SystemCommand(
            "Toggle mark-read-on-open",
            "Opening a story marks it read",
            self.action_toggle_read_on,
        )

    # --- worker errors, in one place ---------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report(event.worker)

    def report(self, worker: Worker[object]) -> None:
        """Every failed worker ends here (screens forward theirs: the message does not bubble):
        one toast, and after a failed write the list is re-read to show what is stored."""
        if worker.state != WorkerState.ERROR:
            return
        error = worker.error
        self.notify(f"{type(error).__name__}: {error}", severity="error", markup=False)
        if worker.group in ("write", "list"):
            self.main.reload()
