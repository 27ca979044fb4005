"""The status line: feed and story counts, unread, when the last poll ran, feeds failing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from tracker.timeutil import utcnow
from tracker.tui.views import Status


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never polled"
    seconds = max(int((now - when).total_seconds()), 0)
    if seconds < 60:
        return "polled just now"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            n = seconds // size
            return f"polled {n} {unit}{'s' if unit == 'day' and n > 1 else ''} ago"
    return "polled just now"  # pragma: no cover


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class StatusLine(Static):
    """One line at the top; poll progress replaces the 'polled' part while a poll runs."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, clock: Callable[[], datetime] = utcnow, **kwargs: str | None) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.status: Status | None = None
        self.progress: str | None = None

    def show(self, status: Status | None = None) -> None:
        if status is not None:
            self.status = status
        s = self.status
        parts: list[str | tuple[str, str]] = [("tracker", "bold"), " ─ "]
        if s is not None:
            parts += [
                f"{plural(s.feeds, 'feed')} · {s.stories:,} "
                f"{'story' if s.stories == 1 else 'stories'} · {s.unread:,} unread · ",
                self.progress or ago(s.last_poll, self.clock()),
            ]
            if s.failing:
                parts += [" · ", (f"{plural(s.failing, 'feed')} failing", "$error")]
        self.update(Content.assemble(*parts))

    def set_progress(self, text: str | None) -> None:
        self.progress = text
        self.show()
