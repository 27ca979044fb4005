"""A block chart of stories per day, drawn to the widget's width, with axis and date labels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tracker.follow_chart import block_chart, fold


class TimelineChart(Widget):
    """Stories per day (folded into wider bins when the days outnumber the columns)."""

    DEFAULT_CSS = """
    TimelineChart { height: 7; }
    TimelineChart > .timeline--bar { color: $accent; }
    TimelineChart > .timeline--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--bar", "timeline--axis"}

    counts: reactive[tuple[int, ...]] = reactive(tuple, layout=False)
    start: reactive[date | None] = reactive(None)

    def set_data(self, counts: Sequence[int], start: date | None) -> None:
        self.counts = tuple(counts)
        self.start = start

    @property
    def caption(self) -> str:
        """`stories per day`, or per N days when folded to fit."""
        return fold(self.counts, self._plot_width()).caption

    def _plot_width(self) -> int:
        return max(1, self.size.width - len(str(max(self.counts, default=0))) - 3)

    def render(self) -> Text:
        if not self.counts or self.start is None:
            return Text("no stories yet", style=self.get_component_rich_style("timeline--axis"))
        height = max(1, self.size.height - 3)  # caption, axis and date rows
        lines = block_chart(self.counts, self.start, self.size.width, height)
        axis = self.get_component_rich_style("timeline--axis")
        bar = self.get_component_rich_style("timeline--bar")
        text = Text(self.caption + "\n", style=axis, no_wrap=True, overflow="crop")
        edge = lines[0].index("┤") + 1
        for i, line in enumerate(lines):
            if i < height:  # y label and axis muted, bars coloured
                text.append(line[:edge], axis)
                text.append(line[edge:], bar)
            else:
                text.append(line, axis)
            if i < len(lines) - 1:
                text.append("\n")
        return text
