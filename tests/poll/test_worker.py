"""What a parser process hands back: the parsed feed, each entry's content hash included."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace

from tests.httpserver import rss
from tracker.poll.decide import content_hash, story_records
from tracker.poll.spawn import spawn_pool
from tracker.poll.worker import NICENESS, parse_in_worker, warm_up


def test_entries_come_back_hashed_as_the_decider_would_hash_them() -> None:
    doc = rss([
        {"guid": "a", "title": "DeepSeek R1", "link": "http://e.org/a", "description": "<p>x</p>"},
        {"guid": "b", "title": "Janus-Pro", "link": "http://e.org/b", "description": "y"},
    ])  # fmt: skip
    outcome = parse_in_worker(doc, {"content-type": "application/rss+xml"}, "http://e.org/f")
    assert outcome.feed is not None and len(outcome.feed.entries) == 2
    for entry in outcome.feed.entries:
        assert entry.content_hash == content_hash(replace(entry, content_hash=""))
    records = story_records(outcome.feed.entries)
    unhashed = story_records([replace(e, content_hash="") for e in outcome.feed.entries])
    assert [r.content_hash for r in records] == [r.content_hash for r in unhashed]
    assert len({r.content_hash for r in records}) == 2


def test_a_document_that_is_no_feed_comes_back_as_its_error() -> None:
    outcome = parse_in_worker(b"<html><body>hi</body></html>", {}, "http://e.org/")
    assert outcome.feed is None and outcome.error


def test_a_parser_process_loads_no_http_client() -> None:
    """Each parser process imports what parsing needs, nothing more: aiohttp alone would add
    ~13 MB and ~0.2 s of start-up to every one of them."""
    code = (
        "import sys, tracker.poll.worker as w; w.warm_up(); "
        "print(sorted(m for m in ('aiohttp', 'textual', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_entries_cross_the_process_boundary_unchanged() -> None:
    doc = rss([{"guid": "a", "title": "R1", "link": "http://e.org/a", "description": "<b>x</b>",
                "date": "Mon, 27 Jan 2025 10:00:00 GMT"}])  # fmt: skip
    outcome = parse_in_worker(doc, {}, "http://e.org/f")
    assert outcome.feed is not None
    again = pickle.loads(pickle.dumps(outcome))
    assert again == outcome and again.feed is not None
    assert again.feed.entries[0].published == outcome.feed.entries[0].published is not None


def test_parser_processes_run_behind_the_poller() -> None:
    """A pool as the poller starts it: its processes yield the CPU to the poller's own process
    and to the clustering process (and, in the app, to the screen)."""
    pool = spawn_pool(1, warm_up)
    try:
        theirs = pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result(timeout=60)
    finally:
        pool.shutdown()
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert theirs == min(ours + NICENESS, 19)  # 19: the lowest priority there is
