"""`tracker cluster` end to end on a real database: catch-up, --rebuild, --show, bad ids."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.cluster.helpers import COMET, EBAY, ingest
from tracker.cli import run
from tracker.cli.progress import progress_bar
from tracker.poll.lock import PollLock
from tracker.store import Store, write


@pytest.fixture
def db(db_path: Path, now: datetime) -> Path:
    with Store.open(db_path) as store:
        ingest(store, 0, [EBAY[0], COMET], now)
        ingest(store, 1, [EBAY[1], EBAY[2]], now)
    return db_path


def cluster(db: Path, *args: str) -> int:
    return run(["--db", str(db), "cluster", *args])


def test_rebuild_reports_stories_and_clusters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cluster(db, "--rebuild", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["stories"], out["clusters"]) == (4, 2)
    assert cluster(db, "--rebuild") == 0
    assert capsys.readouterr().out.startswith("re-clustered 4 stories in ")


def test_catch_up_clusters_only_unclustered(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db) as store, write(store.db):
        store.db.conn.execute("UPDATE stories SET cluster_id = NULL WHERE title = ?", (EBAY[2],))
    assert cluster(db) == 0
    assert capsys.readouterr().out.startswith("clustered 1 stories in ")
    with Store.open(db) as store:
        ids = {r[0] for r in store.db.conn.execute("SELECT cluster_id FROM stories")}
    assert len(ids) == 2 and None not in ids


def test_show_explains_the_members(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db) as store:
        (cid,) = store.db.conn.execute(
            "SELECT cluster_id FROM stories WHERE title = ?", (EBAY[0],)
        ).fetchone()
    assert cluster(db, "--show", str(cid)) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"cluster {cid}: {EBAY[0]} (3 stories)")
    assert "started the cluster" in text and "icahn" in text
    assert cluster(db, "--show", str(cid), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["title"] for s in data["stories"]] == list(EBAY[:3])
    assert "nominees" in data["stories"][1]["terms"]


def test_unknown_cluster_and_running_poll_are_errors(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cluster(db, "--show", "999") == 2
    assert "no cluster 999" in capsys.readouterr().err
    with PollLock(db):
        assert cluster(db, "--rebuild") == 1
    assert "another poll is running" in capsys.readouterr().err


def test_progress_bar_follows_the_counts() -> None:
    with progress_bar("re-clustering", True) as update:
        assert update is not None
        update(0, 10)
        update(10, 10)
    with progress_bar("re-clustering", False) as nothing:
        assert nothing is None
