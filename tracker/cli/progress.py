"""Progress bars on stderr for long commands (poll, demo, cluster): one look, one place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tracker.textclean import clean_line

if TYPE_CHECKING:
    from tracker.poll.poller import PollProgress

Update = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[..., None] | None]:
    """A transient rich bar; yields `update(done, total, note="")`, or None when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}", markup=False),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, note="")

        def update(done: int, total: int, note: str = "") -> None:
            bar.update(task, total=total, completed=done, note=note)

        yield update


@contextmanager
def poll_progress(label: str, enabled: bool) -> Iterator[Callable[[PollProgress], None] | None]:
    """`progress_bar` fed by the poller's callbacks; the note is the feed just finished."""
    with progress_bar(label, enabled) as update:
        if update is None:
            yield None
            return

        def on_poll(p: PollProgress) -> None:
            note = p.note or (clean_line(p.result.url)[-50:] if p.result else "")
            update(p.done, p.total, note)

        yield on_poll
