"""Benchmark `parse_document` alone: CPU ms per feed over bench/poll.py's generated feeds.

Usage: python bench/parse.py [--feeds 100] [--entries 50] [--repeat 3] [--profile]

Generates the same feeds as bench/poll.py (RSS 2.0 and Atom alternating, ~1.5 kB of HTML per
entry), parses each in this process and prints the best of `--repeat` rounds as ms per feed
(process CPU time, so a busy machine skews it less than wall time would), against the baseline
of feedparser alone, run as parse_document runs it, in the same process: the ratio is what
sanitizing and the rest of parse_document add. It also prints the size of a parsed feed pickled
as it crosses the process pool, and the CPU time of pickling it (in the parser process) and of
unpickling it (on the poller's event loop). `--profile` prints the top of a cProfile of one
round instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from poll import make_feed  # bench/poll.py's generator

from tracker.poll.parse import _run_feedparser, parse_document

HEADERS = {
    "rss": {"content-type": "application/rss+xml"},
    "atom": {"content-type": "application/atom+xml"},
}


def _feeds(count: int, entries: int) -> list[tuple[bytes, dict[str, str], str]]:
    feeds = []
    for index in range(count):
        name, body = make_feed(index, entries, 0)
        headers = HEADERS[name.rsplit(".", 1)[1]]
        feeds.append((body, headers, f"https://site{index}.example.org/{name}"))
    return feeds


def _round(feeds: list[tuple[bytes, dict[str, str], str]], entries: int) -> float:
    started = time.process_time()
    for body, headers, url in feeds:
        outcome = parse_document(body, headers, url)
        if outcome.feed is None or len(outcome.feed.entries) != entries:
            raise SystemExit(f"{url}: {outcome.error or 'wrong entry count'}")
    return time.process_time() - started


def _feedparser_round(feeds: list[tuple[bytes, dict[str, str], str]], entries: int) -> float:
    started = time.process_time()
    for body, headers, url in feeds:
        if len(_run_feedparser(body, headers["content-type"], None).entries) != entries:
            raise SystemExit(f"{url}: feedparser found a wrong entry count")
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    feeds = _feeds(args.feeds, args.entries)
    size = sum(len(body) for body, _, _ in feeds) / len(feeds) / 1024
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(_round, feeds, args.entries)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    _round(feeds[:5], args.entries)  # warm imports and regex caches
    ours = base = float("inf")
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        ours = min(ours, _round(feeds, args.entries) / len(feeds) * 1000)
        base = min(base, _feedparser_round(feeds, args.entries) / len(feeds) * 1000)
    print(f"{len(feeds)} feeds x {args.entries} entries, {size:.0f} kB/feed, best of {args.repeat}")
    print(f"parse_document:   {ours:5.1f} ms/feed, {ours / args.entries:.2f} ms/entry")
    print(f"feedparser alone: {base:5.1f} ms/feed (baseline), parse_document {ours / base:.2f}x")
    _pickling(feeds, args.repeat)


def _pickling(feeds: list[tuple[bytes, dict[str, str], str]], repeat: int) -> None:
    outcomes = [parse_document(body, headers, url) for body, headers, url in feeds]
    dumped = [pickle.dumps(outcome) for outcome in outcomes]
    dump = load = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for outcome in outcomes:
            pickle.dumps(outcome)
        dump = min(dump, time.process_time() - started)
        started = time.process_time()
        for data in dumped:
            pickle.loads(data)
        load = min(load, time.process_time() - started)
    size = sum(map(len, dumped)) / len(dumped) / 1024
    dump, load = dump / len(feeds) * 1000, load / len(feeds) * 1000
    print(f"pickled:          {size:5.1f} kB/feed, dumps {dump:.2f} ms, loads {load:.2f} ms")


if __name__ == "__main__":
    main()
