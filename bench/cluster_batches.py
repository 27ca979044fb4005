"""How clustering quality depends on the size of the poller's clustering batches.

Usage: python bench/cluster_batches.py PATH.csv [--seeds 5] [--batches 50,200,500,1000,2000,0]

A cold poll hands stories to the clustering process feed by feed; the process gathers them into
batches and clusters each batch in time order (`tracker/poll/cluster_process.py`). This replays
that on a CSV in the UCI News Aggregator format (see bench/cluster_eval.py): rows are split into
feeds by publisher, each feed newest first as feeds list them, feeds in a seeded random order;
the stream is cut into batches of B rows (0: one batch of everything), each sorted by time, and
scored with BCubed and pairwise F1 (mean, and the range over the seeds). Smaller batches let
the clustering process keep up with the ingest but lose some of the time order.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cluster_eval import Row, bcubed, pairwise, read_rows, run

from tracker.cluster import Params


def feed_order(rows: list[Row], seed: int) -> list[Row]:
    """The rows as a cold poll would hand them over: feed by feed, each newest first."""
    feeds: dict[str, list[Row]] = {}
    for row in rows:
        feeds.setdefault(row.item.source or "", []).append(row)
    names = sorted(feeds)
    random.Random(seed).shuffle(names)
    return [row for name in names for row in sorted(feeds[name], key=_when, reverse=True)]


def batched(rows: list[Row], size: int) -> list[Row]:
    """`rows` cut into batches of `size` (0: one batch), each in time order."""
    size = size or len(rows)
    return [row for i in range(0, len(rows), size) for row in sorted(rows[i : i + size], key=_when)]


def _when(row: Row) -> datetime:
    return row.item.published or datetime.min


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--batches", default="50,200,500,1000,2000,0")
    args = ap.parse_args()
    rows = read_rows(args.csv)
    print(f"{len(rows)} rows, {len({r.item.source for r in rows})} publishers as feeds")
    for size in (int(b) for b in args.batches.split(",")):
        scores: list[tuple[float, float]] = []
        for seed in range(args.seeds):
            stream = batched(feed_order(rows, seed), size)
            pred = run(stream, Params()).pred
            gold = [r.story for r in stream]
            scores.append((bcubed(gold, pred)[2], pairwise(gold, pred)[2]))
        b3 = [s[0] for s in scores]
        pw = [s[1] for s in scores]
        label = str(size) if size else "all"
        print(
            f"batch {label:>5}: bcubed F1 {statistics.mean(b3):.3f} ({min(b3):.3f}-{max(b3):.3f})"
            f"  pairwise F1 {statistics.mean(pw):.3f} ({min(pw):.3f}-{max(pw):.3f})"
        )


if __name__ == "__main__":
    main()
