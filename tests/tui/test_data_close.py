"""Closing the data source while a worker thread still reads (the app quitting) is safe."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tests.tui.fixtures import NOW
from tracker.store import Store
from tracker.tui.data import DataSource


def test_a_connection_in_use_is_closed_when_its_call_returns(tui_db: Path) -> None:
    data = DataSource(tui_db, clock=lambda: NOW)
    data.count("")  # one idle connection in the pool
    inside, release = threading.Event(), threading.Event()
    borrowed: list[Store] = []
    counted: list[int] = []

    def worker() -> None:
        with data.store() as store:
            borrowed.append(store)
            inside.set()
            release.wait(5)
            counted.append(store.stories.totals()[0])  # still open: the query runs

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    data.close()  # the app unmounts while the worker reads
    release.set()
    thread.join(5)
    assert counted and counted[0] > 0
    with pytest.raises(sqlite3.ProgrammingError):  # closed once its call returned
        borrowed[0].db.conn.execute("SELECT 1")
