"""Screenshots of the real app over the demo database: SVG always, PNG when a converter exists.

    python scripts/screenshots.py [--out screenshots] [--db PATH] [--size 120x40]

Builds the demo database exactly as `tracker demo` does (sample feeds served from 127.0.0.1,
the real poller), then drives `TrackerApp` headless with `App.run_test()` and saves:
main, reader, filter, follow (a followed story's timeline), help, and safety (the sample
feed's hostile items, shown as plain text). PNG copies come from `rsvg-convert`
(Debian: librsvg2-bin) or the `cairosvg` package, whichever is found first.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import WorkerCancelled, WorkerFailed

from tracker.demo.server import serve_in_background
from tracker.demo.setup import build_demo
from tracker.models import Config
from tracker.tui.app import TrackerApp
from tracker.tui.data import DataSource
from tracker.tui.views import Options

if TYPE_CHECKING:
    from textual.pilot import Pilot

SHOTS = ("main", "reader", "filter", "help", "safety", "follow")  # follow last: it marks a visit
FILTER = "deepseek +china"
FOLLOW = "DeepSeek R1 launch"
READ_FILTER = "nvidia @2025-01-27--2025-01-28"
READ_TITLE = "Nvidia loses nearly $600 billion"
SAFETY_FILTER = "feed:threadline @2025-02-01--2025-02-02"  # the deliberately hostile items

Step = Callable[[TrackerApp, "Pilot[None]"], Awaitable[None]]


async def settle(app: TrackerApp, pilot: Pilot[None], rounds: int = 3) -> None:
    """Let workers finish and the screen repaint, a few times over (loads chain loads)."""
    for _ in range(rounds):
        for worker in list(app.workers):
            if worker.group != "watch" and not worker.is_finished:  # "watch" never ends
                with suppress(WorkerCancelled, WorkerFailed):
                    await worker.wait()
        await pilot.pause(0.05)


async def wait_for_rows(app: TrackerApp, pilot: Pilot[None]) -> None:
    for _ in range(100):
        await settle(app, pilot, 1)
        if app.main.stories.total and app.main.stories.row_at(0) is not None:
            break
    await settle(app, pilot)


async def shot_main(app: TrackerApp, pilot: Pilot[None]) -> None:
    await pilot.press("j", "j", "j")
    await settle(app, pilot)
    await pilot.pause(0.3)  # the reader preview follows the cursor after a short delay
    await settle(app, pilot)


async def apply_filter(app: TrackerApp, pilot: Pilot[None], query: str) -> None:
    await pilot.press("slash", *query, "enter")
    await wait_for_rows(app, pilot)


async def select(app: TrackerApp, pilot: Pilot[None], title: str) -> None:
    """Put the cursor on the first loaded row whose title starts with `title`."""
    stories = app.main.stories
    for index in range(stories.total):
        row = stories.row_at(index)
        if row is not None and row.title.startswith(title):
            stories.cursor = index
            break
    await pilot.pause(0.3)  # the reader preview follows the cursor after a short delay
    await settle(app, pilot)


async def shot_reader(app: TrackerApp, pilot: Pilot[None]) -> None:
    await apply_filter(app, pilot, READ_FILTER)
    await select(app, pilot, READ_TITLE)
    await pilot.press("enter")
    await settle(app, pilot)


async def shot_filter(app: TrackerApp, pilot: Pilot[None]) -> None:
    await apply_filter(app, pilot, FILTER)
    await pilot.press("j")
    await pilot.pause(0.3)
    await settle(app, pilot)


async def shot_safety(app: TrackerApp, pilot: Pilot[None]) -> None:
    await apply_filter(app, pilot, SAFETY_FILTER)
    await select(app, pilot, "Ask TL: which readers strip")


async def shot_follow(app: TrackerApp, pilot: Pilot[None]) -> None:
    app.main.open_follow(FOLLOW)
    await settle(app, pilot, 5)
    await pilot.pause(0.2)
    await settle(app, pilot)


async def shot_help(app: TrackerApp, pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")
    await settle(app, pilot)


STEPS: dict[str, Step] = {
    "main": shot_main,
    "reader": shot_reader,
    "filter": shot_filter,
    "follow": shot_follow,
    "help": shot_help,
    "safety": shot_safety,
}


async def take(db: Path, config: Config, out: Path, name: str, size: tuple[int, int]) -> Path:
    """One screenshot: a fresh app on the demo database, driven to the view `name`."""
    app = TrackerApp(DataSource(db), Options(mark_read_on_open=False, config=config))
    async with app.run_test(size=size) as pilot:
        await wait_for_rows(app, pilot)
        await STEPS[name](app, pilot)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
    return path


def to_png(svg: Path) -> Path | None:
    """A PNG beside `svg`, or None when no converter is available."""
    png = svg.with_suffix(".png")
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        subprocess.run([rsvg, "--format=png", "--output", str(png), str(svg)], check=True)
        return png
    try:
        import cairosvg  # type: ignore[import-not-found]
    except ImportError:
        return None
    cairosvg.svg2png(url=str(svg), write_to=str(png))
    return png


def make_screenshots(
    out: Path, db: Path | None = None, size: tuple[int, int] = (120, 40), png: bool = True
) -> list[Path]:
    """Build the demo database and save every screenshot; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracker-shots-") as tmp:
        db_path = db or Path(tmp) / "demo.db"
        with serve_in_background() as server:
            config, counts = build_demo(db_path, server.port)
        if counts.stories == 0:
            raise RuntimeError("the demo poll stored no stories")
        written: list[Path] = []
        for name in SHOTS:
            svg = asyncio.run(take(db_path, config, out, name, size))
            written.append(svg)
            converted = to_png(svg) if png else None
            if converted is not None:
                written.append(converted)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--db", type=Path, default=None, help="keep the demo database here")
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxROWS")
    parser.add_argument("--no-png", action="store_true", help="SVG only")
    args = parser.parse_args(argv)
    cols, rows = (int(part) for part in args.size.lower().split("x"))
    for path in make_screenshots(args.out, args.db, (cols, rows), png=not args.no_png):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
