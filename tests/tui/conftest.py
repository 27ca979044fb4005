"""App fixtures: the fixed AI-race database, an app over it with a fixed clock, and helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.fixtures import NOW, build
from tracker.models import Config
from tracker.store import Store
from tracker.tui.app import TrackerApp
from tracker.tui.data import DataSource
from tracker.tui.views import Options
from tracker.tui.widgets.story_list import StoryList

AppFactory = Callable[..., TrackerApp]
IDLE = ("watch", "dialog")  # worker groups that run for as long as the app / a dialog is open


@pytest.fixture
def tui_db(tmp_path: Path) -> Path:
    return build(tmp_path / "tracker.db")


@pytest.fixture
def make_app(tui_db: Path) -> AppFactory:
    def make(
        path: Path | None = None,
        *,
        mark_read_on_open: bool = True,
        config: Config | None = None,
        opened: list[str] | None = None,
    ) -> TrackerApp:
        data = DataSource(path or tui_db, clock=lambda: NOW)
        opener = opened.append if opened is not None else (lambda url: None)
        return TrackerApp(data, Options(mark_read_on_open, config), opener=opener)

    return make


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Wait until the workers are done (but the database watcher and an open dialog's), and the
    screen has caught up."""
    app = pilot.app
    for _ in range(rounds):
        for _ in range(500):
            if not any(w.group not in IDLE and w.is_running for w in app.workers):
                break
            await pilot.pause(0.01)
        await pilot.pause()


def lines(widget: StoryList) -> list[str]:
    """The story list as the user sees it, one string per visible row."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def story_state(path: Path, title: str) -> tuple[bool, bool, tuple[str, ...]]:
    """(read, starred, tags) of the story titled `title`, straight from the database."""
    with Store.open(path) as store:
        for story in store.stories.many(list(range(1, 500))):
            if story.title == title:
                return story.read, story.starred, story.tags
    raise AssertionError(f"no story titled {title!r}")
