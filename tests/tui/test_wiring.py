"""Wiring: the palette offers every key, follows open from the sidebar, writes wait for a lock,
and the command line never imports Textual unless the app runs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.tui.conftest import AppFactory, lines, settle, story_state
from tests.tui.fixtures import NOW
from tracker.store import Store
from tracker.tui.app import LIST_ACTIONS, PALETTE, TrackerApp
from tracker.tui.data import DataSource
from tracker.tui.screens.main import MainScreen
from tracker.tui.views import Options
from tracker.tui.widgets.reader import ReaderPane
from tracker.tui.widgets.sidebar import Sidebar
from tracker.tui.widgets.story_list import StoryList

NVIDIA = "Nvidia sheds $593bn as DeepSeek rattles chip investors"


def test_the_palette_has_an_entry_for_every_key() -> None:
    actions = {a for a, _, _ in PALETTE} | {a for a, _, _ in LIST_ACTIONS}
    bound = {b.action for b in MainScreen.BINDINGS} - {"back_or_quit"}  # type: ignore[union-attr]
    assert bound <= actions
    listed = {b.action for b in StoryList.BINDINGS}  # type: ignore[union-attr]
    assert {"open", "top", "bottom"} <= listed & actions


async def test_palette_lists_the_app_commands(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for _, title, _ in PALETTE:
            assert title in titles
        assert "Toggle light / dark theme" in titles and "Help" in titles


async def test_a_follow_opens_from_the_sidebar_and_its_story_in_the_reader(
    make_app: AppFactory,
) -> None:
    app = make_app()
    with Store.open(app.data.path) as store:
        store.follows.add("Chip selloff", "nvidia OR chip", NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert prompts[0].startswith("▾ Follows") and prompts[1].startswith("Chip selloff")
        sidebar.focus()
        sidebar.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "FollowScreen"
        await pilot.press("enter")  # the follow screen hands back its highlighted story
        await settle(pilot)
        assert app.screen is app.main
        assert isinstance(app.focused, ReaderPane)
        header = str(app.query_one(ReaderPane).query_one("#reader-header").content)  # type: ignore[attr-defined]
        assert "Chip stocks" in header or "Nvidia" in header or "export controls" in header


async def test_a_write_waits_for_another_writer_instead_of_failing(make_app: AppFactory) -> None:
    app = make_app()
    holder = sqlite3.connect(app.data.path, isolation_level=None, check_same_thread=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        holder.execute("BEGIN IMMEDIATE")  # another process mid-poll holds the write lock
        release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
        release.start()
        started = time.monotonic()
        await pilot.press("s")
        while time.monotonic() - started < 8 and not story_state(app.data.path, NVIDIA)[1]:
            await pilot.pause(0.1)
        waited = time.monotonic() - started
        await settle(pilot)
        release.join()
        assert story_state(app.data.path, NVIDIA)[1] is True
        assert waited >= 1.4  # it waited for the lock, then wrote
        assert not [n for n in app._notifications if n.severity == "error"]
    holder.close()


def test_the_command_line_does_not_import_textual() -> None:
    code = (
        "import sys, tracker.cli, tracker.cli.tui_cmd, tracker.tui.data, tracker.tui.html_md;"
        "print('textual' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


async def test_a_failed_write_is_reported_and_the_row_shows_what_is_stored(
    make_app: AppFactory,
) -> None:
    app = make_app()
    with sqlite3.connect(app.data.path) as conn:  # the database refuses: a real failure
        conn.execute(
            "CREATE TRIGGER no_star BEFORE UPDATE OF starred ON stories "
            "BEGIN SELECT RAISE(ABORT, 'starring is disabled here'); END"
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        errors = [str(n.message) for n in app._notifications if n.severity == "error"]
        assert errors == ["IntegrityError: starring is disabled here"]
        assert story_state(app.data.path, NVIDIA)[1] is False
        await settle(pilot)
        assert not lines(app.query_one(StoryList))[0].startswith("★")


async def test_a_startup_notice_and_the_mark_read_toggle(tui_db: Path) -> None:
    notice = "feeds.toml:3: feed.url: not a URL (poll now is off)"
    app = TrackerApp(DataSource(tui_db, clock=lambda: NOW), Options(notice=notice))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [str(n.message) for n in app._notifications] == [notice]
        app.action_toggle_read_on()
        await pilot.press("enter")
        await settle(pilot)
        assert story_state(tui_db, NVIDIA)[0] is False  # opening no longer marks read
