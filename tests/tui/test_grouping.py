"""`c`: one row per event — a cluster's newest matching story stands for it, with "+N sources"."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.conftest import AppFactory, lines, settle
from tracker.store import Store
from tracker.tui.data import DataSource
from tracker.tui.widgets.reader import ReaderPane, header
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


def _biggest_cluster(path: Path) -> tuple[int, list[int]]:
    """(cluster id, its story ids) of the demo's largest cluster."""
    with Store.open(path) as store:
        rows = store.db.conn.execute(
            "SELECT cluster_id, group_concat(id) FROM stories WHERE cluster_id IS NOT NULL "
            "GROUP BY cluster_id ORDER BY count(*) DESC, cluster_id LIMIT 1"
        ).fetchone()
    return int(rows[0]), sorted(int(i) for i in str(rows[1]).split(","))


def _unread(path: Path, ids: list[int]) -> set[int]:
    with Store.open(path) as store:
        return {s.id for s in store.stories.many(ids) if not s.read}


def test_marking_a_grouped_row_read_marks_its_whole_cluster(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    with Store.open(demo_db) as source:
        source.db.conn.execute(f"VACUUM INTO '{db}'")
    cluster, members = _biggest_cluster(db)
    assert len(members) >= 3
    data = DataSource(db)
    try:
        data.set_read([members[0]], True)  # the every-story view: just that story
        assert _unread(db, members) == set(members[1:])
        data.grouped = True
        assert data.set_read([members[-1]], True) == len(members) - 1
        assert _unread(db, members) == set()
        assert data.set_read([members[0]], False) == len(members)
    finally:
        data.close()
    assert cluster > 0


async def test_reader_shows_the_same_event_elsewhere_and_why(
    make_app: AppFactory, demo_db: Path
) -> None:
    _cluster, members = _biggest_cluster(demo_db)
    data = DataSource(demo_db)
    try:
        detail = data.story(members[-1])
    finally:
        data.close()
    assert detail is not None
    assert {m.story_id for m in detail.same_event} == set(members[:-1])
    # Each joined with a score and shared terms, except stories that started a group (a cluster
    # may be two merged groups, so more than one starter).
    starters = [m for m in detail.same_event if not m.terms]
    assert all(m.score == 0 for m in starters)
    assert len(starters) < len(detail.same_event) / 2
    app = make_app(demo_db, mark_read_on_open=False)  # the module's database stays as built
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qwq", "enter")
        await settle(pilot)
        shown = lines(app.query_one(StoryList))
        grouped = next(i for i, line in enumerate(shown) if re.search(r"\+\d+\s*$", line))
        await pilot.press(*["j"] * grouped, "enter")
        await settle(pilot)
        head = str(app.query_one(ReaderPane).query_one("#reader-header", Static).content)
    assert "Same event:" in head and "other sources" in head
    assert "(0." in head or "(1." in head  # a score with the shared terms


def test_reader_names_the_rule_behind_an_automatic_tag(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        sid, tag, rule = store.db.conn.execute(
            "SELECT story_id, tag, rule FROM story_tags WHERE source = 'rule' LIMIT 1"
        ).fetchone()
    data = DataSource(demo_db)
    try:
        detail = data.story(int(sid))
    finally:
        data.close()
    assert detail is not None
    assert (tag, f"rule: {rule}") in detail.tag_sources
    assert f"#{tag}(rule: {rule})" in str(header(detail))
