"""The virtual list reads only what it shows: keyset pages, jumps from either end, same rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.tui.conftest import AppFactory, lines, settle
from tests.tui.fixtures import NOW, record
from tracker.models import Config, FeedConfig
from tracker.store import Store
from tracker.tui.data import DataSource
from tracker.tui.widgets.story_list import KEEP_PAGES, PAGE, StoryList

N = 5000


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.db"
    with Store.open(path) as store:
        feed_cfg = FeedConfig("https://wire.example/ai.rss", "AI Wire")
        store.feeds.sync(Config(path="feeds.toml", feeds=(feed_cfg,)), NOW)
        feed = store.feeds.all()[0]
        recs = [
            record(f"Story {i:05d} on the chip race", f"https://wire.example/{i}",
                   NOW - timedelta(minutes=i), "<p>body</p>")
            for i in range(N)
        ]  # fmt: skip
        store.stories.ingest(feed.id, recs, NOW)
        store.stories.set_read(
            [s.id for s in store.stories.many(list(range(1, N + 1))) if s.title.endswith("5")],
            True,
            NOW,
        )
    return path


def expected(path: Path, query: str) -> list[str]:
    with Store.open(path) as store:
        return [s.title for s in store.search.iter(query, now=NOW)]


@pytest.mark.parametrize("query", ["", "is:unread", "chip"])
def test_every_route_to_a_page_reads_the_same_rows(big_db: Path, query: str) -> None:
    want = expected(big_db, query)
    total = len(want)
    data = DataSource(big_db, clock=lambda: NOW)
    try:

        def titles(start: int, known_total: int | None = None) -> list[str]:
            return [r.title for r in data.rows(query, start, PAGE, known_total)]

        assert titles(0) == want[:PAGE]  # first page
        assert titles(PAGE) == want[PAGE : 2 * PAGE]  # keyset from the anchor
        assert titles(1500) == want[1500:1600]  # keyset walk from the nearest anchor
        assert titles(total - PAGE, total) == want[-PAGE:]  # `G`: read from the end
        assert titles(total - 30, total) == want[-30:]  # a short last page
        data.forget()
        assert titles(3000) == want[3000:3100]  # far, total unknown: by offset
        assert titles(3100) == want[3100:3200]  # and on by keyset
    finally:
        data.close()


async def test_G_at_scale_holds_only_nearby_pages(make_app: AppFactory, big_db: Path) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        assert stories.total == N
        await pilot.press("G")
        await settle(pilot)
        shown = [line for line in lines(stories) if line.strip()]
        assert "Story 04999" in shown[-1]
        assert stories.current is not None and stories.current.title.startswith("Story 04999")
        await pilot.press("k", "pageup")
        await settle(pilot)
        assert stories.current is not None
        assert stories.current.title.startswith(f"Story {N - 2 - (stories.size.height - 1):05d}")
        for _ in range(30):
            await pilot.press("pagedown")
        await pilot.press("g")
        await settle(pilot)
        assert "Story 00000" in lines(stories)[0]
        assert len(stories._pages) <= KEEP_PAGES and len(stories._pages) * PAGE < N
