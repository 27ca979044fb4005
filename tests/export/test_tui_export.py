"""The export dialog driven by key presses in a real Textual app: default path, format picker,
replace confirmation, bad directories, cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.widgets import Input, Label

from tracker.tui.screens.export import ExportRequest, ExportScreen

TODAY = date(2025, 1, 27)


class Host(App[None]):
    def __init__(self, screen: ExportScreen) -> None:
        super().__init__()
        self.dialog = screen
        self.results: list[ExportRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def dialog(tmp_path: Path) -> ExportScreen:
    return ExportScreen("+deepseek @30d", TODAY, count=212, directory=tmp_path)


async def test_enter_accepts_the_dated_default(tmp_path: Path) -> None:
    app = Host(dialog(tmp_path))
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.dialog.query_one("#export-path", Input)
        assert box.value == str(tmp_path / "tracker-export-20250127.md")
        title = app.dialog.query_one(".dialog-title", Label)
        assert "Export 212 stories matching +deepseek @30d" in str(title.render())
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "tracker-export-20250127.md")]


async def test_picking_a_format_changes_the_extension(tmp_path: Path) -> None:
    app = Host(dialog(tmp_path))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.click("#fmt-atom")
        await pilot.pause()
        assert app.dialog.query_one("#export-path", Input).value.endswith("20250127.atom")
        await pilot.click("#fmt-csv")
        await pilot.click("#export-go")
        await pilot.pause()
    assert app.results == [ExportRequest("csv", tmp_path / "tracker-export-20250127.csv")]


async def test_an_existing_file_needs_a_second_enter(tmp_path: Path) -> None:
    (tmp_path / "tracker-export-20250127.md").write_text("old", encoding="utf-8")
    app = Host(dialog(tmp_path))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        hint = str(app.dialog.query_one("#export-hint", Label).render())
        assert "exists" in hint
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "tracker-export-20250127.md")]


async def test_a_missing_directory_is_refused_and_escape_cancels(tmp_path: Path) -> None:
    app = Host(dialog(tmp_path))
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.dialog.query_one("#export-path", Input)
        box.value = str(tmp_path / "nope" / "x.md")
        await pilot.press("enter")
        await pilot.pause()
        assert "no such directory" in str(app.dialog.query_one("#export-hint", Label).render())
        box.value = str(tmp_path)  # a directory: the default file name goes in it
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportRequest("md", tmp_path / "tracker-export-20250127.md")]
    cancelled = Host(dialog(tmp_path))
    async with cancelled.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert cancelled.results == [None]
