"""Feed text is never markup; other processes' writes appear; `r` polls with progress."""

from __future__ import annotations

import html
import subprocess
import sys
import time
from pathlib import Path

from tests.httpserver import FeedServer, rss
from tests.tui.conftest import AppFactory, lines, settle
from tests.tui.fixtures import HOSTILE, build
from tracker.models import Config, FeedConfig
from tracker.tui.widgets.reader import ReaderPane
from tracker.tui.widgets.status import StatusLine
from tracker.tui.widgets.story_list import StoryList

NVIDIA = "Nvidia sheds $593bn as DeepSeek rattles chip investors"
ROOT = Path(__file__).resolve().parents[2]


async def test_hostile_titles_show_literally_and_do_nothing(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(build(tmp_path / "hostile.db", hostile=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = lines(app.query_one(StoryList))
        for row, title in zip(shown, HOSTILE, strict=False):
            assert title in row
        await pilot.click(StoryList, offset=(40, 0))  # on the `[@click=app.quit]` title
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        head = str(app.query_one(ReaderPane).query_one("#reader-header").content)  # type: ignore[attr-defined]
        assert head.startswith(HOSTILE[0])
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert screen.count(HOSTILE[0]) >= 3  # list row, reader title, reader body
        for title in HOSTILE[1:]:
            assert title in screen
        assert "evil" not in "".join(app.opened)


def _ingest_from_another_process(db: Path, titles: list[str]) -> None:
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from datetime import timedelta
from tests.tui.fixtures import NOW, record
from tracker.store import Store
with Store.open({str(db)!r}) as store:
    feed = store.feeds.all()[0]
    recs = [record(t, f"https://other.example/{{i}}", NOW + timedelta(minutes=1 + i), "<p>x</p>")
            for i, t in enumerate({titles!r})]
    store.stories.ingest(feed.id, recs, NOW + timedelta(minutes=5))
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


async def test_another_process_writes_appear_without_moving_the_cursor(
    make_app: AppFactory,
) -> None:
    app = make_app()
    new = ["Mistral ships a reasoning model", "EU opens AI Act consultation"]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        await pilot.press("j")
        assert stories.current is not None
        before = stories.current.title
        _ingest_from_another_process(app.data.path, new)
        started = time.monotonic()
        while time.monotonic() - started < 5:
            await pilot.pause(0.1)
            if stories.total == 16:
                break
        await settle(pilot)
        assert time.monotonic() - started < 5
        shown = lines(stories)
        assert new[1] in shown[0] and new[0] in shown[1]
        assert stories.current is not None and stories.current.title == before
        assert stories.cursor == 3
        status = str(app.query_one(StatusLine).content)
        assert "16 stories" in status


async def test_r_polls_now_and_new_stories_appear(make_app: AppFactory) -> None:
    entries = [
        {"guid": f"g{i}", "title": title, "link": f"http://example.org/{i}",
         "description": "body", "date": "Tue, 28 Jan 2025 08:30:00 GMT"}
        for i, title in enumerate(["SoftBank eyes OpenAI stake", "TSMC lifts capex guidance"])
    ]  # fmt: skip
    with FeedServer() as server:
        server.feed("/ai.rss", rss(entries, title="Loopback AI desk"), trickle=0.001)
        config = Config(path="feeds.toml", feeds=(FeedConfig(server.url("/ai.rss"), "Loopback"),))
        app = make_app(config=config)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            stories = app.query_one(StoryList)
            await pilot.press("j", "j")
            before = stories.current
            await pilot.press("r")
            seen: set[str] = set()
            started = time.monotonic()
            while time.monotonic() - started < 30 and stories.total < 16:
                seen.add(str(app.query_one(StatusLine).content).split(" · ")[-1])
                await pilot.pause(0.02)
            assert {"polling…", "polling 0/1"} & seen  # progress while the feed trickles in
            started = time.monotonic()
            while time.monotonic() - started < 30 and stories.total < 16:
                await pilot.pause(0.1)
            await settle(pilot)
            shown = "\n".join(lines(stories))
            assert "SoftBank eyes OpenAI stake" in shown and "TSMC lifts capex guidance" in shown
            assert stories.current == before or (
                stories.current is not None
                and before is not None
                and stories.current.id == before.id
            )
            notes = " ".join(str(n.message) for n in app._notifications)
            assert "polled 1 feeds: 2 new stories" in notes
            assert server.hits["/ai.rss"] == 1


async def test_narrow_terminal_hides_the_sidebar_and_reads_full_screen(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.query_one("#sidebar").display
        assert not app.query_one(ReaderPane).display
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(ReaderPane).display
        assert not app.query_one(StoryList).display
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one(StoryList).display


async def test_no_escape_sequence_from_a_feed_reaches_the_screen(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from tests.tui.fixtures import NOW, record
    from tracker.store import Store

    db = build(tmp_path / "esc.db")
    title = "\x1b]8;;https://evil.example\x07Click\x1b]8;;\x07 \x1b[2J\x9b31m red"
    with Store.open(db) as store:  # straight into the database, past the parser's cleaning
        feed = store.feeds.all()[0]
        store.stories.ingest(feed.id, [record(title, "https://x.example/esc", NOW, title)], NOW)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        row = lines(app.query_one(StoryList))[0]
        assert "Click" in row and "red" in row
        assert not any(c in row for c in "\x1b\x07\x9b"), repr(row)
        screen = app.export_screenshot()
        assert not any(c in screen for c in "\x1b\x07\x9b")
