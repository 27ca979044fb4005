"""Export at scale: time and peak RSS of `tracker export` per format, at two database sizes.

    python bench/export.py [SMALL] [LARGE]        (defaults 10000 100000)

Each export runs in a fresh process (`tracker --db DB export sort:new --format F -o FILE`,
every story), which reports its own peak RSS. A baseline process opens the same database and
counts its stories, importing the same modules. Constant memory means the peak barely moves
from SMALL to LARGE stories and stays near the baseline. Databases come from
bench/gen_db.py and are kept in bench/out/ between runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

FORMATS = ("json", "jsonl", "csv", "md", "atom")

CHILD = """
import json, resource, sys, time
from tracker.cli import run
import tracker.export, tracker.export.source, tracker.store  # same imports in every child
db, fmt, target = sys.argv[1:4]
started = time.perf_counter()
if fmt == "baseline":
    from tracker.store import Store
    with Store.open(db) as store:
        code = 0 if store.stories.totals()[0] >= 0 else 1
else:
    code = run(["--db", db, "--config", target + ".toml", "export", "sort:new",
                "--format", fmt, "-o", target])
seconds = time.perf_counter() - started
# VmHWM (peak resident set) starts afresh at exec; ru_maxrss can carry the parent's peak over.
status = open("/proc/self/status").read() if sys.platform == "linux" else ""
hwm = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
peak_kb = int(hwm[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def database(n: int) -> Path:
    path = OUT / f"export-{n}.db"
    if not path.exists():
        from gen_db import build  # bench/gen_db.py: the store's own write path

        print(f"building {n:,} stories into {path} …", flush=True)
        stats = build(path, n)
        print(f"  built in {stats.seconds:.0f}s", flush=True)
    return path


def measure(db: Path, fmt: str) -> dict[str, float]:
    target = OUT / f"export-{db.stem}.{fmt}"
    (OUT / f"{target.name}.toml").write_text("", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), fmt, str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{fmt} failed: {proc.stderr.strip()}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["bytes"] = target.stat().st_size if target.exists() else 0
    target.unlink(missing_ok=True)
    return result


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    OUT.mkdir(exist_ok=True)
    dbs = {n: database(n) for n in (small, large)}
    print(f"\n{'format':8} {'stories':>8} {'seconds':>8} {'stories/s':>10} {'MB out':>7} "
          f"{'peak RSS MB':>12} {'vs baseline':>12}")  # fmt: skip
    started = time.perf_counter()
    for n, db in dbs.items():
        base = measure(db, "baseline")
        print(f"{'baseline':8} {n:>8,} {base['seconds']:>8.2f} {'':>10} {'':>7} "
              f"{base['peak_mb']:>12.1f} {'1.00x':>12}")  # fmt: skip
        for fmt in FORMATS:
            r = measure(db, fmt)
            print(f"{fmt:8} {n:>8,} {r['seconds']:>8.2f} {n / r['seconds']:>10,.0f} "
                  f"{r['bytes'] / 1e6:>7.1f} {r['peak_mb']:>12.1f} "
                  f"{r['peak_mb'] / base['peak_mb']:>11.2f}x")  # fmt: skip
    print(f"\n(total {time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    main()
