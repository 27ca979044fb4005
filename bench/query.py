"""Query latency at scale: p50/p95 of representative queries over a synthetic database.

    python bench/query.py                  # 1,000,000 stories (built once, cached in bench/out)
    python bench/query.py --stories 100000 --runs 20

The database is built by `bench/gen_db.py` through the store's own write path; queries run
through `Store.search.page`, the code the app and `tracker list` use, for the first page of 100
rows (and deep pages). Target: p95 < 50 ms for every query. Ratios are against a baseline
measured in the same run (the newest 100 stories by raw SQL on the sort index).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.gen_db import END, build
from tracker.store import Store
from tracker.store.search import Cursor

OUT = Path(__file__).resolve().parent / "out"
VERSION = "v1"  # bump when gen_db changes what it builds
TARGET_MS = 50.0
FIELDS = ("name", "query", "rows", "p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms")

QUERIES: list[tuple[str, str]] = [
    ("everything, newest first", ""),
    ("plain word (1%)", "nvidia"),
    ("rare word (0.2%)", "deepseek"),
    ("common word (12%)", "model"),
    ("phrase", '"export controls"'),
    ("prefix", "reason*"),
    ("title: word", "title:nvidia"),
    ("tag (feed tag)", "+china"),
    ("rare tag", "+topic30"),
    ("date range (1 month)", "@2026-03-01--2026-03-31"),
    ("relative date", "@7d"),
    ("tag + text + date", "nvidia +china @2026-01-01--2026-06-30"),
    ("OR", "nvidia OR deepseek"),
    ("NOT", "nvidia NOT +china"),
    ("relevance, rare word", "deepseek sort:relevance"),
    ("relevance, 1% word", "nvidia sort:relevance"),
    ("relevance, 12% word (falls back)", "model sort:relevance"),
    ("is:unread", "is:unread"),
    ("is:starred", "is:starred"),
    ("unread + text", "export is:unread"),
    ("feed:", 'feed:"Feed 7 "'),
    ("oldest first", "sort:old"),
]


def database(n: int, rebuild: bool) -> tuple[Path, dict[str, float]]:
    """The cached database for `n` stories (built when missing) and its build figures."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"stories-{n}-{VERSION}.db"
    meta = path.with_suffix(".json")
    if rebuild or not path.exists():
        print(f"building {n:,} stories into {path} (through the store's write path)…")
        stats = build(path, n)
        meta.write_text(json.dumps({"stories": stats.stories, "seconds": stats.seconds}))
    figures = json.loads(meta.read_text()) if meta.exists() else {}
    return path, figures


CPU: dict[int, list[float]] = {}  # id(times) -> the CPU milliseconds of the same runs


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock milliseconds of `runs` calls (CPU milliseconds kept in CPU: on a shared
    machine the wall clock includes waiting for a core)."""
    for _ in range(2):  # warm the page cache and the statement cache
        call()
    out, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        out.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU[id(out)] = cpu
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path, figures = database(args.stories, args.rebuild)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with Store.open(path) as store:
        conn = store.db.conn
        baseline = statistics.median(
            timed(
                lambda: conn.execute(
                    "SELECT id FROM stories ORDER BY sort_at DESC, id DESC LIMIT 100"
                ).fetchall(),
                args.runs,
            )
        )
        total = store.stories.totals()[0]
        print(f"database: {path.name}, {total:,} stories, {size / 1e6:,.0f} MB on disk")
        if figures:
            print(f"build: {figures['seconds']:.0f} s for {int(figures['stories']):,} stories")
        print(f"baseline (raw SQL, newest 100): {baseline:.2f} ms\n")
        rows: list[tuple[str, str, int, float, float, float, float]] = []

        def measure(name: str, text: str, after: Cursor | None = None) -> None:
            found = store.search.page(text, 100, after=after, now=END)
            times = timed(lambda: store.search.page(text, 100, after=after, now=END), args.runs)
            cpu = CPU[id(times)]
            rows.append((name, text, len(found.stories), statistics.median(times), p95(times),
                         statistics.median(cpu), p95(cpu)))  # fmt: skip

        for name, text in QUERIES:
            measure(name, text)
        deep = store.search.page("", 1, offset=total // 2, now=END).next_cursor
        measure(f"deep page (after row {total // 2:,})", "", deep)
        cursor = None
        for _ in range(50):  # walk 50 pages of a common word by keyset
            cursor = store.search.page("model", 100, after=cursor, now=END).next_cursor
        measure("deep page of 'model' (page 51)", "model", cursor)
        count_times = timed(lambda: store.search.count("nvidia +china", now=END), args.runs)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"{'query':34} {'text':40} {'rows':>4} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'cpu p50':>7} {'cpu p95':>7} {'x base':>6}")  # fmt: skip
    worst = 0.0
    for name, text, n, p50, p95_ms, cpu50, cpu95 in rows:
        flag = "" if p95_ms < TARGET_MS else "  over target"
        print(f"{name[:34]:34} {text[:40]:40} {n:>4} {p50:7.1f} {p95_ms:7.1f} {cpu50:7.1f} "
              f"{cpu95:7.1f} {p50 / baseline:6.0f}{flag}")  # fmt: skip
        worst = max(worst, p95_ms)
    print(f"\ncount('nvidia +china'): p50 {statistics.median(count_times):.1f} ms")
    print(f"worst p95: {worst:.1f} ms (target < {TARGET_MS:.0f} ms)")
    report = OUT / f"query-{args.stories}.json"
    report.write_text(
        json.dumps(
            {
                "stories": total,
                "size_mb": size / 1e6,
                "build": figures,
                "baseline_ms": baseline,
                "queries": [dict(zip(FIELDS, r, strict=True)) for r in rows],
            },
            indent=2,
        )
    )
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
