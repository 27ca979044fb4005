"""Spawned pools: the processes the poller parses and clusters in."""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

from tracker.poll.spawn import spawn_pool


def _report_freeze_at_exit(path: str) -> None:
    """An initializer: at exit (after the pool's own exit handler, registered later, has run:
    atexit runs last-in first-out) write how many objects the collector was told to skip."""
    atexit.register(lambda: Path(path).write_text(str(gc.get_freeze_count())))


def test_a_spawned_process_exits_with_its_heap_frozen(tmp_path: Path) -> None:
    """The interpreter's last collections at exit would walk every object a process built (the
    clusterer's whole state) just before freeing them all: the pool freezes them first."""
    report = tmp_path / "frozen"
    pool = spawn_pool(1, _report_freeze_at_exit, (str(report),))
    try:
        assert pool.submit(len, "started").result(timeout=60) == 7
    finally:
        pool.shutdown(wait=True)
    assert int(report.read_text()) > 1000  # the interpreter's own modules at least
