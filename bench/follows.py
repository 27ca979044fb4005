"""Follows at scale: gathering on creation, gathering at ingest, building a dossier.

    python bench/follows.py [N_STORIES]   # builds bench/out/follows-N.db once (gen_db)
    python bench/follows.py PATH.db       # or runs on a copy of an existing database

Gathering at ingest (`gather_new`) is compared with the baseline the search API offers for the
same job (`store.search.ids(query, within=new_ids)`), measured in the same run.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.gen_db import END, build
from tracker.store import Store, write

QUERIES = (
    "deepseek (r1 OR reasoning)",
    "nvidia",
    '"export controls" +china',
    "model @30d",
    "deepseek OR nvidia",
    "reasoning -china",
    "title:nvidia",
    "nvidia is:unread",
)
NEW = 100  # stories one feed's poll brings
ROUNDS = 20


def main(arg: str) -> None:
    out = Path(__file__).resolve().parent / "out"
    if arg.isdigit():
        source = out / f"follows-{arg}.db"
        if not source.exists():
            build(source, int(arg))
    else:
        source = Path(arg)
    work = out / f"follows-run-{source.stem}.db"
    shutil.copyfile(source, work)
    with Store.open(work) as store:
        label = f"{store.stories.totals()[0]:,} stories"
        started = time.perf_counter()
        gathered = [store.follows.add(f"f{i}", q, END)[1] for i, q in enumerate(QUERIES)]
        add_s = time.perf_counter() - started
        per = add_s / len(QUERIES) * 1000
        print(f"{label}, {len(QUERIES)} follows: created and gathered {sum(gathered):,} "
              f"stories in {add_s:.2f} s ({per:.0f} ms per follow)")  # fmt: skip
        new = [int(r[0]) for r in store.db.conn.execute(
            "SELECT id FROM stories ORDER BY id DESC LIMIT ?", (NEW,))]  # fmt: skip
        started = time.perf_counter()
        for _ in range(ROUNDS):
            with write(store.db):
                store.follows.gather_new(new, END)
        ours = (time.perf_counter() - started) / ROUNDS
        started = time.perf_counter()
        for _ in range(ROUNDS):
            for q in QUERIES:
                store.search.ids(q, now=END, within=new)
        baseline = (time.perf_counter() - started) / ROUNDS
        print(f"gather_new, {NEW} new stories x {len(QUERIES)} follows: {ours * 1000:.1f} ms "
              f"per feed; search.ids(within=) {baseline * 1000:.1f} ms; "
              f"ratio {baseline / ours:.1f}x")  # fmt: skip
        for follow in store.follows.all():
            started = time.perf_counter()
            dossier = store.follows.dossier(follow.name)
            took = time.perf_counter() - started
            assert dossier is not None
            print(f"dossier {follow.query!r}: {dossier.total:,} stories, "
                  f"{len(dossier.sources)} sources, {len(dossier.timeline)} days in "
                  f"{took * 1000:.0f} ms")  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "100000")
