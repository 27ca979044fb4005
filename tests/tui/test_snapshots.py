"""Snapshots at fixed sizes with the fixed database and clock: main, reader, filter error, help,
narrow. Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui.conftest import AppFactory, settle
from tests.tui.fixtures import build
from tracker.tui.widgets.filter_bar import QueryInput

SnapCompare = Callable[..., bool]


async def ready(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.pause(0.3)  # the reader's preview timer
    await settle(pilot)


def test_main_screen(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)


def test_reader(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def open_second(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("j", "enter")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=open_second)


def test_filter_with_an_error(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def bad_filter(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("slash")
        # All at once: typed a key at a time, a slow machine might filter by `deepseek` on the way.
        field = pilot.app.query_one(QueryInput)
        field.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        field.value = "deepseek (+china"
        await pilot.press("enter")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=bad_filter)


def test_help(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def help_screen(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=help_screen)


def test_narrow(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)


def test_hostile_titles(snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path) -> None:
    async def open_first(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("enter")
        await ready(pilot)

    app = make_app(build(tmp_path / "hostile.db", hostile=True))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_first)
