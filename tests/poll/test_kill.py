"""GUIDE rule 9: a poll killed with SIGKILL at random moments never corrupts or loses data."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiohttp import web

from tests.httpserver import FeedServer, Route, rss

FEEDS = 16
ROUNDS = 20


def _keys(db: Path) -> set[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")
        return {(int(f), str(k)) for f, k in conn.execute("SELECT feed_id, key FROM stories")}
    finally:
        conn.close()


def _wait_for_more(db: Path, count: int, deadline: float) -> None:
    """Until another connection has committed more than `count` stories (or the deadline)."""
    conn = sqlite3.connect(db, timeout=5)
    try:
        while time.monotonic() < deadline:
            if conn.execute("SELECT count(*) FROM stories").fetchone()[0] > count:
                return
            time.sleep(0.005)
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path: Path, server: FeedServer) -> None:
    served = {"n": 0}

    async def moving(request: web.Request) -> web.StreamResponse:
        served["n"] += 1
        start = served["n"] * 7  # every response slides the window: new stories each time
        entries = [
            {"guid": f"{request.path}-{i}", "title": f"Story {i} of {request.path}",
             "link": f"http://e.org{request.path}/{i}", "description": "words " * 200}
            for i in range(start, start + 25)
        ]  # fmt: skip
        return web.Response(body=rss(entries), content_type="application/rss+xml")

    for i in range(FEEDS):
        server.set(f"/k{i}.xml", Route(handler=moving))
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(f'[[feed]]\nurl = "{server.url(f"/k{i}.xml")}"\n' for i in range(FEEDS))
    )
    db = tmp_path / "t.db"
    command = [sys.executable, "-m", "tracker", "--db", str(db), "--config", str(config),
               "poll", "--all", "--quiet"]  # fmt: skip
    rng = random.Random(20250127)
    started = time.monotonic()
    subprocess.run(command, check=True, timeout=120, stderr=subprocess.DEVNULL)
    full = time.monotonic() - started  # how long one whole run takes on this machine now
    seen = _keys(db)
    cut_mid_run = 0  # kills that landed after some feeds were committed
    for round_ in range(ROUNDS):
        proc = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
        if round_ % 2:  # any moment: startup, sync, fetching, parsing, writing
            time.sleep(rng.uniform(0.1, 1.1) * full)
        else:  # a moment inside the writing phase: after this run's first commit
            _wait_for_more(db, len(seen), deadline=time.monotonic() + 3 * full)
            time.sleep(rng.uniform(0.0, 0.05))
        killed = proc.poll() is None
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        now = _keys(db)
        assert seen <= now, "a committed story was lost"
        cut_mid_run += killed and len(now) > len(seen)
        seen = now
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    final = _keys(db)
    assert seen < final
    assert cut_mid_run >= ROUNDS // 4, cut_mid_run
    conn = sqlite3.connect(db)
    statuses = {s for (s,) in conn.execute("SELECT last_status FROM feeds")}
    conn.close()
    assert statuses == {"ok"}
