"""Clustering a poll's new stories in one process beside the poller, off the ingest path."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import BrokenExecutor
from typing import TYPE_CHECKING

from tracker.poll.spawn import spawn_pool

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from tracker.store import Store

_store: Store | None = None  # the clustering process's own connection
BATCH = 2_000  # stories that start a batch without waiting for more
GATHER_GAP = 0.25  # seconds without a new story that start a batch
GATHER_MAX = 2.0  # seconds a batch waits at most for more stories


class ClusterProcess:
    """A spawned process that clusters story ids in the order they are handed over.

    Clustering is sequential (each story is compared with the clusters before it) and costs
    more CPU than storing the story, so it runs here, beside the ingest, rather than inside
    each feed's transaction. Ids that arrive while a batch is clustered are gathered into the
    next batch: a busy run makes few, larger write transactions. A failure, or the process
    dying, leaves stories unclustered, never lost: `finish` clusters whatever is left without a
    cluster, in this run or the next.
    """

    def __init__(self, store_path: str) -> None:
        self._path = store_path
        self._pool: ProcessPoolExecutor | None = None
        self._queued: list[int] = []
        self._drain: asyncio.Task[None] | None = None
        self._errors: list[str] = []
        self._finishing = asyncio.Event()
        self.added = 0  # stories handed over in this run

    def add(self, story_ids: Sequence[int]) -> None:
        """Queue new stories; a batch starts at once unless one is running."""
        if not story_ids:
            return
        self._queued.extend(story_ids)
        self.added += len(story_ids)
        if self._pool is None:
            self._start()
        if self._drain is None or self._drain.done():
            self._drain = asyncio.get_running_loop().create_task(self._run_queue())

    async def finish(self, unclustered: Callable[[], Awaitable[bool]]) -> str | None:
        """Wait for the queued stories; then, if `unclustered()` finds stories still without a
        cluster (a failed batch, a run killed earlier), cluster them all. Returns what went
        wrong, if anything."""
        self._finishing.set()
        if self._drain is not None:
            await self._drain
        if await unclustered():
            await self._call(None)
        return "; ".join(dict.fromkeys(self._errors)) or None

    def close(self) -> None:
        if self._drain is not None and not self._drain.done():
            self._drain.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def _run_queue(self) -> None:
        while self._queued:
            await self._gather()
            batch, self._queued = self._queued, []
            await self._call(batch)

    async def _gather(self) -> None:
        """Let ids gather while feeds keep landing (a pause of GATHER_GAP ends it, and so do
        GATHER_MAX seconds, BATCH stories or the end of the run): a batch is clustered in time
        order, which groups an event's coverage from several feeds better than the order the
        feeds happened to arrive in."""
        deadline = asyncio.get_running_loop().time() + GATHER_MAX
        while len(self._queued) < BATCH and not self._finishing.is_set():
            seen = len(self._queued)
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            try:
                await asyncio.wait_for(self._finishing.wait(), min(GATHER_GAP, left))
            except TimeoutError:
                if len(self._queued) == seen:
                    return  # nothing arrived during the gap

    def _start(self) -> None:
        """Start the process at the first new stories, so that spawning it and loading the
        clusterer (imports, term statistics replayed from the database) overlap the gathering
        of the first batch instead of delaying it: the clustering process is the run's last
        chain of work. Loading the clusterer is 1.5 s of CPU over 25k stored stories and 5.5 s
        over 1M; an incremental bench poll (250 new stories into 25k) took 2.1-2.3 s instead of
        2.3-2.9 s."""
        self._pool = spawn_pool(1, _open, (self._path,))
        self._pool.submit(_prepare)  # a failure here shows again, and is handled, at a batch

    async def _call(self, batch: list[int] | None) -> None:
        if self._pool is None:
            self._start()
        assert self._pool is not None
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._pool, _assign, batch)
        except BrokenExecutor:  # a process of the pool died
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._errors.append("the clustering process stopped; its stories wait for the next run")
        except Exception as exc:  # a bug or a database problem: the stories stay unclustered
            self._errors.append(f"clustering failed: {type(exc).__name__}: {exc}")


def _open(path: str) -> None:
    """Runs once in the clustering process: its own connection, kept for every batch."""
    global _store
    from tracker.store import Store

    _store = Store.open(path)


def _prepare() -> None:
    assert _store is not None
    _store.clusters.prepare()


def _assign(story_ids: list[int] | None) -> int:
    """Cluster these stories (None: every story without a cluster); returns how many."""
    assert _store is not None
    if story_ids is None:
        return _store.clusters.assign_unclustered()
    return _store.clusters.assign(story_ids)
