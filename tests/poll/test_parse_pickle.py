"""ParseOutcome's compact pickled form: what arrives equals what was sent, field for field."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.models import ParsedEntry, ParsedFeed
from tracker.poll.entries import SUMMARY_CHARS
from tracker.poll.outcome import ParseOutcome
from tracker.poll.parse import parse_document

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
LONG = "word " * 400


def _entry(summary: str, content: str) -> ParsedEntry:
    return ParsedEntry("g", "https://x.example/1", "t", summary=summary, content=content)


def _round_trip(outcome: ParseOutcome) -> ParseOutcome:
    back = pickle.loads(pickle.dumps(outcome))
    assert isinstance(back, ParseOutcome)
    return back


def test_every_kind_of_summary_comes_back_as_it_was() -> None:
    cut = LONG[: SUMMARY_CHARS - 1].rstrip() + "…"
    entries = (
        _entry(cut, LONG),  # the usual: the content cut short, sent without the copy
        _entry("a summary of its own", LONG),
        _entry(cut + "x", LONG),
        _entry("short", "short"),
        _entry("", ""),
    )
    outcome = ParseOutcome(ParsedFeed("T", None, entries, 600, "ill-formed"), None)
    back = _round_trip(outcome)
    assert back == outcome
    assert back.feed is not None and [e.summary for e in back.feed.entries][:3] == [
        cut,
        "a summary of its own",
        cut + "x",
    ]
    assert _round_trip(ParseOutcome(None, "not a feed")) == ParseOutcome(None, "not a feed")
    plain = pickle.dumps(outcome.feed)  # the cut copy is what the compact form leaves out
    assert len(pickle.dumps(outcome)) < len(plain) - SUMMARY_CHARS


def test_corpus_outcomes_round_trip_unchanged() -> None:
    paths = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
    if not paths:
        pytest.skip("../shared/corpus is not here")
    for path in paths:
        outcome = parse_document(path.read_bytes(), {}, "https://example.org/feed.xml")
        assert _round_trip(outcome) == outcome, path


def test_unpickling_needs_no_feedparser() -> None:
    body = f"<rss version='2.0'><channel><item><description>{LONG}</description></item>"
    data = pickle.dumps(parse_document(body.encode(), {}, "https://x.example/"))
    code = (
        "import pickle, sys; o = pickle.loads(sys.stdin.buffer.read()); "
        "assert o.feed.entries[0].summary.endswith('…'); print('feedparser' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, check=True)
    assert run.stdout.strip() == b"False"
