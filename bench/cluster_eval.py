"""Score the online clusterer on a CSV in the UCI News Aggregator format (STORY = gold cluster).

Usage: python bench/cluster_eval.py PATH.csv [--seed N] [--order shuffle|time] [--no-time]
       [--half 0|1] [--set name=value]...

Rows are shuffled with a fixed seed (or ordered by timestamp with `--order time`) and streamed
through `tracker.cluster.Clusterer`, the code used at ingest. Prints pairwise and BCubed
precision/recall/F1 and headlines per second; the last line is
`bcubed_f1=<x> pairwise_f1=<y> per_s=<z>`.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tracker.cluster import Clusterer, Item, Params


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    item: Item
    story: str


FIELDS = ("ID", "TITLE", "URL", "PUBLISHER", "CATEGORY", "STORY", "HOSTNAME", "TIMESTAMP")


def read_rows(path: Path, use_time: bool = True) -> list[Row]:
    """The file's rows as clusterer items with their gold story: a CSV with that header, or the
    original UCI file (tab-separated, no header, the same columns)."""
    rows: list[Row] = []
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
        handle.seek(0)
        tabs = "\t" in first
        has_header = "TITLE" in first.upper().replace('"', "").replace("\t", ",").split(",")
        reader = csv.DictReader(
            handle,
            fieldnames=None if has_header else FIELDS,
            delimiter="\t" if tabs else ",",
            quoting=csv.QUOTE_NONE if tabs else csv.QUOTE_MINIMAL,
        )
        for rec in reader:
            stamp = (rec.get("TIMESTAMP") or "").strip()
            when = None
            if use_time and stamp.isdigit():
                when = datetime.fromtimestamp(int(stamp) / 1000, UTC)
            url = (rec.get("URL") or "").replace("\\?", "?")
            item = Item(
                title=rec["TITLE"],
                url=url or None,
                source=rec.get("PUBLISHER") or rec.get("HOSTNAME") or None,
                published=when,
            )
            rows.append(Row(item, rec["STORY"]))
    return rows


def half_of(story: str) -> int:
    """A stable 0/1 split of stories (not rows), for tune-on-one-half checks."""
    return hashlib.sha256(story.encode()).digest()[0] & 1


def pairwise(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of items put together."""

    def pairs(counter: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(zip(gold, pred, strict=True)))
    in_pred, in_gold = pairs(Counter(pred)), pairs(Counter(gold))
    p = both / in_pred if in_pred else 1.0
    r = both / in_gold if in_gold else 1.0
    return p, r, _f1(p, r)


def bcubed(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (per-item averages)."""
    joint = Counter(zip(gold, pred, strict=True))
    gsize, psize = Counter(gold), Counter(pred)
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    p = sum(c * c / psize[k[1]] for k, c in joint.items()) / n
    r = sum(c * c / gsize[k[0]] for k, c in joint.items()) / n
    return p, r, _f1(p, r)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclasses.dataclass(frozen=True, slots=True)
class Run:
    pred: list[int]  # final cluster of each row (merges followed)
    per_s: float  # headlines per CPU second
    wall_per_s: float


def run(rows: Sequence[Row], params: Params) -> Run:
    """Stream `rows` through a fresh clusterer.

    CPU time of this single-threaded process is what "per second on one core" means; it does not
    drop when other processes share the machine (the wall-clock rate is printed as well)."""
    clusterer = Clusterer(params)
    into: dict[int, int] = {}  # merged cluster -> the cluster that absorbed it
    pred: list[int] = []
    start, wall = time.process_time(), time.perf_counter()
    for row in rows:
        assignment = clusterer.add(row.item)
        pred.append(assignment.cluster_id)
        for merged in assignment.merged:
            into[merged] = assignment.cluster_id
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    final = [_final(into, cid) for cid in pred]
    return Run(final, len(rows) / max(cpu, 1e-9), len(rows) / max(wall, 1e-9))


def _final(into: dict[int, int], cid: int) -> int:
    while cid in into:
        cid = into[cid]
    return cid


def parse_params(settings: Sequence[str]) -> Params:
    """`Params` with `name=value` overrides."""
    fields = {f.name: f for f in dataclasses.fields(Params)}
    values: dict[str, object] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in fields:
            raise SystemExit(f"unknown parameter {name!r}; known: {', '.join(fields)}")
        values[name] = int(value) if isinstance(getattr(Params(), name), int) else float(value)
    return Params(**values)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--order", choices=("shuffle", "time"), default="shuffle")
    parser.add_argument("--no-time", action="store_true", help="ignore TIMESTAMP")
    parser.add_argument("--half", type=int, choices=(0, 1), help="only stories of this half")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    rows = read_rows(args.path, use_time=not args.no_time)
    if args.half is not None:
        rows = [row for row in rows if half_of(row.story) == args.half]
    random.Random(args.seed).shuffle(rows)
    if args.order == "time":
        epoch = datetime.fromtimestamp(0, UTC)
        rows.sort(key=lambda row: row.item.published or epoch)
    result = run(rows, parse_params(args.set))
    pred, per_s = result.pred, result.per_s
    gold = [row.story for row in rows]
    pp, pr, pf = pairwise(gold, pred)
    bp, br, bf = bcubed(gold, pred)
    print(f"rows={len(rows)} stories={len(set(gold))} clusters={len(set(pred))}")
    print(f"pairwise precision={pp:.4f} recall={pr:.4f} f1={pf:.4f}")
    print(f"bcubed   precision={bp:.4f} recall={br:.4f} f1={bf:.4f}")
    print(f"headlines_per_second={per_s:.0f} (cpu time) {result.wall_per_s:.0f} (wall clock)")
    print(f"bcubed_f1={bf:.4f} pairwise_f1={pf:.4f} per_s={per_s:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
