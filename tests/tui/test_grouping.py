"""`c`: one row per event — a cluster's newest matching story stands for it, with "+N sources"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.conftest import AppFactory, lines, settle
from tracker.store import Store
from tracker.tui.data import DataSource
from tracker.tui.widgets.story_list import StoryList


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged sample feeds, polled from loopback by the real poller (clusters included)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(path), "demo", "--no-open"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode:
        pytest.skip(f"tracker demo failed: {done.stderr[-300:]}")
    return path


def events(path: Path, query: str) -> list[tuple[int, int]]:
    """(cluster or -story id, newest story id) per event, newest event first."""
    with Store.open(path) as store:
        newest: dict[int, int] = {}
        for story in store.search.iter(query):
            newest.setdefault(story.cluster_id or -story.id, story.id)
    return list(newest.items())


@pytest.mark.parametrize("query", ["", "qwq", "+deepseek is:unread"])
def test_one_row_per_event(demo_db: Path, query: str) -> None:
    data = DataSource(demo_db)
    try:
        data.grouped = True
        rows = data.rows(query, 0, 30) + data.rows(query, 30, 30) + data.rows(query, 60, 100)
        assert [r.id for r in rows] == [story for _, story in events(demo_db, query)]
        data.forget()
        assert [r.id for r in data.rows(query, 30, 30)] == [r.id for r in rows[30:60]]
    finally:
        data.close()


async def test_c_toggles_grouping(make_app: AppFactory, demo_db: Path) -> None:
    app = make_app(demo_db)
    want = len(events(demo_db, ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        assert stories.total == 168
        await pilot.press("c")
        await settle(pilot)
        assert "one row per event" in str(stories.border_subtitle)
        for _ in range(4):
            await pilot.press("G")
            await settle(pilot)
        assert stories.total == want < 168
        assert any(line.rstrip().endswith(("+1", "+2", "+3", "+7")) for line in lines(stories))
        await pilot.press("c")
        await settle(pilot)
        assert stories.total == 168
