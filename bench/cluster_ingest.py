"""Benchmark clustering at ingest: N synthetic feeds through the real store and ingest hooks.

Usage: python bench/cluster_ingest.py [--feeds 500] [--entries 50] [--batch 10] [--every 100]
       [--profile OUT]

Stories are made as bench/poll.py makes them (Zipf-drawn headline words, ~1 kB summaries, one
hour apart per feed, every feed covering the same hours; odd feeds undated, see `run`), ingested
one feed per transaction with `apply_ingest_hooks` inside it, as the poller does, into an empty
database in a temporary directory; the new stories of every `--batch` feeds are then
clustered with `store.clusters.assign`, as the poller's clustering process does with the ids
it gathered. Prints, every `--every` feeds, the stories stored, the
clusters, the CPU milliseconds per story spent in `store.clusters.assign` over the last interval,
and the peak RSS of the process; then the totals. The last line is
`per_story_ms=<x> assign_s=<y> total_s=<z> peak_rss_mb=<m>` (assign_s in CPU seconds).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from poll import EPOCH, _text  # bench/poll.py's generator

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.poll.hooks import apply_ingest_hooks
from tracker.store import Store, write


def records(index: int, entries: int, dated: bool = True) -> list[StoryRecord]:
    """Feed `index`'s entries as the decider would hand them over (bench/poll.py's shapes);
    undated ones are stored at the poll time, as the store does."""
    out = []
    site = f"https://site{index}.example.org"
    for i in range(entries):
        r = random.Random(index * 100_003 + i)
        title = f"{_text(r, 7).capitalize()} ({index}-{i})"
        summary = " ".join(_text(r, n) for n in (40, 45, 45, 45))
        when = datetime.fromtimestamp(EPOCH + i * 3600 + index, UTC)
        key = f"{site}/{i}"
        digest = hashlib.sha256((title + summary).encode()).hexdigest()
        out.append(
            StoryRecord(
                key,
                key,
                key,
                title,
                None,
                summary[:1000],
                "",
                summary,
                when if dated else None,
                None,
                digest,
            )
        )
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    store: Store, feeds: int, entries: int, every: int, batch: int = 10, undated: bool = True
) -> tuple[float, float, int]:
    """Ingest the feeds; returns (seconds in assign, seconds in all, stories).

    With `undated`, odd feeds' entries have no date, as bench/poll.py's Atom feeds arrive today
    (they carry <updated> only): stored at the poll time, so the stream's story times jump by
    two years between one feed and the next."""
    urls = [f"https://site{i}.example.org/feed" for i in range(feeds)]
    config = Config("feeds.toml", feeds=tuple(FeedConfig(u) for u in urls))
    now = datetime.fromtimestamp(EPOCH + 700 * 86400, UTC)  # the poll runs two years on
    store.feeds.sync(config, now)
    ids = {f.url: f.id for f in store.feeds.all()}
    repo = store.clusters
    real_assign = repo.assign
    spent = [0.0]

    def timed_assign(story_ids: Sequence[int]) -> int:
        start = time.process_time()
        try:
            return real_assign(story_ids)
        finally:
            spent[0] += time.process_time() - start

    repo.assign = timed_assign  # type: ignore[method-assign]  # timing only
    stories, mark_stories, mark_spent = 0, 0, 0.0
    pending: list[int] = []  # new stories not clustered yet
    start = time.perf_counter()
    print(f"{'feeds':>6} {'stories':>8} {'clusters':>9} {'ms/story':>9} {'rss_mb':>7}")
    for index, url in enumerate(urls):
        recs = records(index, entries, dated=not (undated and index % 2))
        with write(store.db):
            result = store.stories.ingest(ids[url], recs, now)
            apply_ingest_hooks(store, result.new_ids, result.updated_ids, config, now)
        stories += len(result.new_ids)
        pending.extend(result.new_ids)
        if (index + 1) % batch == 0 or index + 1 == feeds:
            timed_assign(pending)
            pending = []
        if (index + 1) % every == 0 or index + 1 == feeds:
            per = (spent[0] - mark_spent) * 1000 / max(1, stories - mark_stories)
            print(
                f"{index + 1:>6} {stories:>8} {repo.count():>9} {per:>9.3f} {peak_rss_mb():>7.1f}",
                flush=True,
            )
            mark_stories, mark_spent = stories, spent[0]
    return spent[0], time.perf_counter() - start, stories


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--entries", type=int, default=50)
    ap.add_argument("--batch", type=int, default=10, help="feeds whose stories cluster at once")
    ap.add_argument("--every", type=int, default=100, help="print a line every N feeds")
    ap.add_argument("--all-dated", action="store_true", help="every entry has a date")
    ap.add_argument("--profile", metavar="OUT", help="write a cProfile of the run to OUT")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        prof = cProfile.Profile() if args.profile else None
        if prof is not None:
            prof.enable()
        assign_s, total_s, stories = run(
            store, args.feeds, args.entries, args.every, args.batch, not args.all_dated
        )
        if prof is not None:
            prof.disable()
            prof.dump_stats(args.profile)
    per = assign_s * 1000 / max(1, stories)
    print(f"stories={stories} assign_s={assign_s:.2f} total_s={total_s:.2f}")
    print(
        f"per_story_ms={per:.3f} assign_s={assign_s:.2f} total_s={total_s:.2f} "
        f"peak_rss_mb={peak_rss_mb():.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
