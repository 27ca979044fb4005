"""The follow screen in a real Textual app: header, chart, sources, days, marks and keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from tests.follow.conftest import Ingest
from tests.follow.tui_app import ChartApp, FollowApp
from tracker.store import Store
from tracker.tui.data import DataSource
from tracker.tui.messages import DataChanged
from tracker.tui.screens.follow import FollowScreen
from tracker.tui.widgets.follow_days import PAGE_ROWS
from tracker.tui.widgets.timeline import TimelineChart


def lines(app: FollowApp) -> list[str]:
    options = app.screen.query_one("#follow-list", OptionList)
    out = []
    for i in range(options.option_count):
        prompt = options.get_option_at_index(i).prompt
        out.append(prompt.plain if hasattr(prompt, "plain") else str(prompt))
    return out


def header(app: FollowApp) -> str:
    return str(app.screen.query_one("#follow-header", Static).render())


async def settle(pilot: Pilot[None]) -> None:
    """Until every worker (and the reload a write starts) is done and its message shown."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_screen_shows_dossier_and_marks_the_visit(
    store: Store, ingest: Ingest, now: datetime, db_path: Path
) -> None:
    ingest(1, [("DeepSeek releases R1", 7)])
    ingest(0, [("DeepSeek R1 rattles Nvidia", 1), ("Why DeepSeek matters", 1.1)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    visit = now + timedelta(hours=1)
    app = FollowApp(DataSource(db_path, clock=lambda: visit), "R1")
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FollowScreen)
        assert "R1 ─ 3 stories · 2 sources · 3 new · first: Blog, Jan 20" in header(app)
        assert app.screen.query_one(TimelineChart).counts == (1, 0, 0, 0, 0, 0, 2)
        table = app.screen.query_one("#follow-sources", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Blog", "Wire"]
        shown = lines(app)
        assert shown[0] == "Sun Jan 26 · 2 stories"
        assert shown[1].startswith("●  12:00 DeepSeek R1 rattles Nvidia  Wire")
        assert shown[3] == "Mon Jan 20 · 1 story"
    reopened = store.follows.get("R1")
    assert reopened is not None and reopened.last_opened_at == visit and follow.id == reopened.id


async def test_new_since_last_visit_is_marked(
    store: Store, ingest: Ingest, now: datetime, db_path: Path
) -> None:
    ingest(0, [("DeepSeek one", 2)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    store.follows.mark_opened(follow.id, now)
    later = now + timedelta(hours=3)
    ingest(1, [("DeepSeek two", 0)], at=later)
    app = FollowApp(DataSource(db_path, clock=lambda: later), "R1")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "2 stories · 2 sources · 1 new since Jan 27 12:00" in header(app)
        marked = [line for line in lines(app) if line.startswith("●")]
        assert len(marked) == 1 and "DeepSeek two" in marked[0]
        # a pin reloads the screen, but "new" still counts from the visit it started from
        await pilot.press("p")
        await settle(pilot)
        assert "1 new since Jan 27 12:00" in header(app)


async def test_keys_pin_exclude_open_and_back(
    store: Store, ingest: Ingest, now: datetime, db_path: Path
) -> None:
    ids = ingest(0, [("DeepSeek one", 2), ("DeepSeek two", 1)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    app = FollowApp(DataSource(db_path, clock=lambda: now), "R1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("j", "j")  # over the next day's heading; no wrapping at the end
        await pilot.press("x")
        await settle(pilot)
        assert store.follows.excluded(follow.id) == [ids[0]]
        pins = [m.story.id for m in store.follows.members(follow.id) if m.how == "pin"]
        assert pins == [ids[1]]
        assert not any("DeepSeek one" in line for line in lines(app))
        assert [line for line in lines(app) if "DeepSeek" in line] == [
            "●◆ 12:00 DeepSeek two  Wire"
        ]
        # p on a pinned row unpins it (the story still matches, so it stays, unmarked)
        await pilot.press("k", "p")
        await settle(pilot)
        assert [m.how for m in store.follows.members(follow.id)] == ["match"]
        # a poll (another connection) commits a new story: DataChanged refreshes the screen
        (three,) = ingest(1, [("DeepSeek three", 0)])
        app.screen.post_message(DataChanged())
        await settle(pilot)
        assert any("DeepSeek three" in line for line in lines(app))
        await pilot.press("k", "k", "k")  # back to the top, never wrapping
        await pilot.press("enter")  # dismisses with the story for the reader
        await pilot.pause()
        assert app.opened == [three] and not isinstance(app.screen, FollowScreen)
    app = FollowApp(DataSource(db_path, clock=lambda: now), "R1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FollowScreen)


def test_chart_snapshot(snap_compare: Callable[..., bool]) -> None:
    """The stories-per-day chart at 80 columns, fixed data (zero days, a peak, a tail)."""
    assert snap_compare(ChartApp(), terminal_size=(80, 8))


def test_follow_screen_snapshot(
    snap_compare: Callable[..., bool],
    store: Store,
    ingest: Ingest,
    now: datetime,
    db_path: Path,
) -> None:
    """The whole screen at 80x24 with fixed stories and a fixed clock."""
    follow, _ = store.follows.add("R1", "deepseek", now - timedelta(days=7))
    store.follows.mark_opened(follow.id, now - timedelta(days=2, hours=3))
    for day, count in enumerate((1, 0, 3, 6, 2, 0, 1)):
        items = [(f"DeepSeek item {day}-{i} [link]", i / 24) for i in range(count)]
        ingest(day % 3, items, at=now - timedelta(days=6 - day))
    app = FollowApp(DataSource(db_path, clock=lambda: now), "R1")

    async def loaded(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


async def test_screen_opened_on_a_database_path_and_an_unknown_follow(
    store: Store, ingest: Ingest, now: datetime, db_path: Path
) -> None:
    ingest(0, [("DeepSeek one", 1)])
    store.follows.add("R1", "deepseek", now)
    app = FollowApp(db_path, "R1", clock=lambda: now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "R1 ─ 1 story · 1 source · 1 new" in header(app)
    missing = FollowApp(db_path, "nope", clock=lambda: now)
    async with missing.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "nope ─ no such follow" in header(missing)
        assert lines(missing) == ["no follow named 'nope'"]


async def test_long_follow_shows_a_page_then_more_on_enter(
    store: Store, ingest: Ingest, now: datetime, db_path: Path
) -> None:
    store.follows.add("R1", "deepseek", now - timedelta(days=30))
    for feed in range(3):
        ingest(feed, [(f"DeepSeek {feed}-{i}", i / 10) for i in range(120)])
    app = FollowApp(DataSource(db_path, clock=lambda: now), "R1")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = lines(app)
        assert len([line for line in shown if "DeepSeek" in line]) == PAGE_ROWS
        assert shown[-1].startswith("… 60 older rows: enter shows 60 more")
        options = app.screen.query_one("#follow-list", OptionList)
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        await pilot.pause()
        assert len([line for line in lines(app) if "DeepSeek" in line]) == 360
        assert isinstance(app.screen, FollowScreen)


async def test_feed_text_is_shown_as_text_never_as_markup(
    store: Store, ingest: Ingest, now: datetime, db_path: Path, feed_ids: list[int]
) -> None:
    ingest(0, [("DeepSeek [bold red]boom[/] [link=https://evil]x[/link]", 1)])
    store.db.conn.execute(
        "UPDATE feeds SET title = '[b]Wire[/b] \x1b[31m' WHERE id = ?", (feed_ids[0],)
    )
    store.follows.add("[i]R1[/i]", "deepseek", now)
    app = FollowApp(DataSource(db_path, clock=lambda: now), "[i]R1[/i]")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        assert header(app).startswith("[i]R1[/i] ─ 1 story")
        (row,) = [line for line in lines(app) if "DeepSeek" in line]
        assert "[bold red]boom[/] [link=https://evil]x[/link]" in row
        assert "[b]Wire[/b]" in row and "\x1b" not in row
        table = app.screen.query_one("#follow-sources", DataTable)
        assert str(table.get_row_at(0)[0]).startswith("[b]Wire[/b]")
