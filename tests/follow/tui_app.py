"""A tiny app for the follow screen tests: pushes `FollowScreen` and records stories opened."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from tracker.tui.data import Clock, DataSource
from tracker.tui.screens.follow import FollowScreen
from tracker.tui.widgets.timeline import TimelineChart


class FollowApp(App[None]):
    def __init__(self, data: DataSource | Path, name: str, clock: Clock | None = None) -> None:
        super().__init__()
        self.data = data
        self.follow_name = name
        self.clock = clock
        self.opened: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("main")

    def on_mount(self) -> None:
        self.push_screen(FollowScreen(self.data, self.follow_name, clock=self.clock), self.done)

    def done(self, story_id: int | None) -> None:
        if story_id is not None:
            self.opened.append(story_id)


# A launch that builds over a week, peaks, then tails off (zero days included).
CHART_COUNTS = (1, 0, 2, 1, 0, 0, 3, 10, 30, 55, 40, 22, 15, 12, 9, 8, 5, 5, 3, 2, 2, 1, 0, 0, 1)


class ChartApp(App[None]):
    CSS = "TimelineChart { height: 8; }"

    def compose(self) -> ComposeResult:
        chart = TimelineChart()
        chart.set_data(CHART_COUNTS, date(2025, 1, 14))
        yield chart
