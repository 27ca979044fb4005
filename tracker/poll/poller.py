"""The poll run: fetch (aiohttp) -> parse (process pool) -> decide -> store, one feed at a time.

API (used by `tracker poll`, `tracker demo` and the app's "poll now")::

    summary = await poll(store_path, config, urls=(), every=False, progress=callback)

- `store_path`: the SQLite file. The poller opens its own connection in its own database
  thread; the caller's connections are never used, so the app can run `poll` in a worker
  (e.g. `asyncio.run(poll(...))` in a thread worker) and notice the writes through
  `PRAGMA data_version`. Feeds are NOT synced from feeds.toml here: callers do
  `store.feeds.sync(config)` first (the CLI does). A permanent redirect (every hop 301/308, to
  a real feed) rewrites that feed's URL in `config.path` and then in the database.
- `config`: the loaded `Config` (settings, rules for ingest hooks).
- `urls`: poll just these feeds; `every`: every active feed; else the feeds that are due.
- `progress(PollProgress)`: called on the coroutine's thread, once with `done=0` before any
  fetch and once per finished feed (with its `PollResult`). From a thread worker, hop to the UI
  thread yourself (`app.call_from_thread`).
- `concurrency`: requests in flight (default `config.settings.concurrency`).
- `parser`: a `ParsePool` to reuse across runs (else one is started and stopped per run);
  `clock` and `resolver` (aiohttp's) are for tests.
- Raises `PollLocked` (from `tracker.poll.lock`) when another poll holds the database's lock.
- Returns a `PollSummary`: per-feed `PollResult`s in feed order plus counts (`to_json()` is the
  SPEC §1 `--json` object) and `warnings` (clustering trouble; the CLI prints them on stderr).
  One feed's failure never stops the run; each feed's outcome is committed in its own short
  transaction (ingest + rules + follows + poll state). New stories are clustered in a process
  of their own as they land (`tracker.poll.cluster_process`); `poll` returns once they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from tracker.models import Config, Feed, PollResult
from tracker.poll.cluster_process import ClusterProcess
from tracker.poll.commits import Commits
from tracker.poll.decide import body_hash, decide, next_after_error
from tracker.poll.fetch import Fetcher, FetchRequest
from tracker.poll.lock import PollLock
from tracker.poll.parsepool import ParsePool
from tracker.store import Store
from tracker.store.feeds import PollOutcome
from tracker.timeutil import utcnow

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PollProgress:
    done: int
    total: int
    result: PollResult | None = None
    note: str = ""  # what the run is doing after the last feed (e.g. clustering)


ProgressCallback = Callable[[PollProgress], None]


@dataclass(frozen=True, slots=True)
class PollSummary:
    results: tuple[PollResult, ...]
    seconds: float
    warnings: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def counts(self) -> dict[str, int]:
        return {
            "feeds": len(self.results),
            "ok": self.count("ok"),
            "not_modified": self.count("not_modified"),
            "errors": self.count("error") + self.count("gone"),
            "new_stories": sum(r.new for r in self.results),
            "updated_stories": sum(r.updated for r in self.results),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "seconds": round(self.seconds, 3),
            "results": [
                {"url": r.url, "status": r.status, "http_status": r.http_status, "new": r.new,
                 "updated": r.updated, "error": r.error}
                for r in self.results
            ],
        }  # fmt: skip


async def poll(
    store_path: str | Path,
    config: Config,
    *,
    urls: Sequence[str] = (),
    every: bool = False,
    progress: ProgressCallback | None = None,
    concurrency: int | None = None,
    clock: Callable[[], datetime] = utcnow,
    resolver: aiohttp.abc.AbstractResolver | None = None,
    parser: ParsePool | None = None,
) -> PollSummary:
    """Poll the due (or all, or named) feeds of the database at `store_path`; see the module."""
    with PollLock(store_path):
        db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-poll-db")
        try:
            return await _run(db, str(store_path), config, urls, every, progress, concurrency,
                              clock, resolver, parser)  # fmt: skip
        finally:
            db.shutdown(wait=True)


async def _run(
    db: Executor,
    store_path: str,
    config: Config,
    urls: Sequence[str],
    every: bool,
    progress: ProgressCallback | None,
    concurrency: int | None,
    clock: Callable[[], datetime],
    resolver: aiohttp.abc.AbstractResolver | None,
    parser: ParsePool | None,
) -> PollSummary:
    loop = asyncio.get_running_loop()

    async def in_db(fn: Callable[..., T], *args: Any) -> T:
        return await loop.run_in_executor(db, partial(fn, *args))

    started, t0 = clock(), time.perf_counter()
    store = await in_db(Store.open, store_path)
    pool = parser or ParsePool()
    clusters = ClusterProcess(store_path)
    commits = Commits(in_db, store, config)
    try:
        feeds = await in_db(partial(store.feeds.due, started, urls=urls, every=every))
        total, done = len(feeds), 0
        if progress:
            progress(PollProgress(0, total))
        settings = config.settings

        # Feeds between the start of their fetch and the end of their commit: enough to keep
        # the network and the parsers busy, few enough that fetched bodies and parsed entries
        # waiting for a parser or the database never pile up (a first poll of 500 feeds
        # otherwise held them all at once).
        requests = concurrency or settings.concurrency
        window = asyncio.Semaphore(requests + 2 * (os.cpu_count() or 2))

        async def one(steps: _Steps, feed: Feed) -> PollResult:
            nonlocal done
            async with window:
                result = await _poll_feed(steps, store, config, feed, clock)
            done += 1
            if progress:
                progress(PollProgress(done, total, result))
            return result

        async with Fetcher(requests, resolver=resolver) as fetcher:
            steps = _Steps(fetcher, pool, commits, clusters, in_db)
            order = interleave_hosts(feeds)
            done_in_order = await asyncio.gather(*(one(steps, f) for f in order))
        by_feed = {feed.id: result for feed, result in zip(order, done_in_order, strict=True)}
        results = [by_feed[f.id] for f in feeds]
        if progress and clusters.added:
            progress(PollProgress(total, total, note="clustering the new stories"))
        problem = await clusters.finish(partial(in_db, store.stories.unclustered))
        warnings = (problem,) if problem else ()
        summary = PollSummary(tuple(results), time.perf_counter() - t0, warnings)
        await in_db(store.feeds.record_run, started, clock(), summary.counts())
        return summary
    finally:
        clusters.close()
        if parser is None:
            pool.close()
        await in_db(store.close)


def interleave_hosts(feeds: Sequence[Feed]) -> list[Feed]:
    """The feeds with their hosts taken in turn, so the window is not filled with feeds of one
    host that must wait for each other (one request at a time per host)."""
    hosts: dict[str, list[Feed]] = {}
    for feed in feeds:
        hosts.setdefault((urlsplit(feed.url).hostname or "").lower(), []).append(feed)
    turns = itertools.zip_longest(*hosts.values())
    return [feed for turn in turns for feed in turn if feed is not None]


@dataclass(frozen=True, slots=True)
class _Steps:
    """What a feed passes through: fetch, parse, commit, clustering (and the database thread)."""

    fetcher: Fetcher
    parser: ParsePool
    commits: Commits
    clusters: ClusterProcess
    in_db: Callable[..., Any]


async def _poll_feed(
    steps: _Steps,
    store: Store,
    config: Config,
    feed: Feed,
    clock: Callable[[], datetime],
) -> PollResult:
    """One feed, start to end; every failure ends as this feed's error result."""
    settings = config.settings
    interval = feed.interval or settings.interval
    try:
        request = FetchRequest(
            feed.url, feed.etag, feed.last_modified, settings.timeout, settings.max_bytes
        )
        resp = await steps.fetcher.fetch(request)
        parsed, parse_error = None, None
        ok = resp.error is None and resp.status is not None and 200 <= resp.status < 300
        digest = body_hash(resp.body) if ok else None
        if ok and digest != feed.body_hash:
            parsed, parse_error = await steps.parser.parse(resp)
        now = clock()
        decision = decide(feed, resp, parsed, parse_error, now, interval, digest)
        new_url = decision.outcome.new_url
        if new_url and not await asyncio.to_thread(_move_in_config, config, feed.url, new_url):
            decision = replace(decision, outcome=replace(decision.outcome, new_url=None))
        ingest = await steps.commits.commit(feed, decision, now)
        steps.clusters.add(ingest.new_ids)
        return PollResult(
            url=feed.url,
            status=decision.status,
            http_status=decision.outcome.http_status,
            new=len(ingest.new_ids),
            updated=len(ingest.updated_ids),
            error=decision.outcome.error,
            warning=decision.warning,
        )
    except Exception as exc:  # a bug or a database problem: this feed's error, not the run's
        message = f"internal error: {type(exc).__name__}: {exc}"
        now = clock()
        count = feed.error_count + 1
        retry = next_after_error(now, interval, count, None)
        failed = PollOutcome(
            "error", None, message, count, feed.etag, feed.last_modified, feed.body_hash, retry
        )
        with contextlib.suppress(Exception):  # the database itself failing: the result says so
            await steps.in_db(store.feeds.record_poll, feed.id, failed, now)
        return PollResult(feed.url, "error", None, error=message)


def _move_in_config(config: Config, old: str, new: str) -> bool:
    """A permanent move is written to feeds.toml first: the next sync must not bring the old
    URL back as a new feed. When the file cannot be changed, the feed stays where it was."""
    from tracker.config_edit import rename_feed  # tomlkit: only when a feed moved for good

    path = Path(config.path)
    if not path.is_file():
        return False
    try:
        return rename_feed(path, old, new)
    except (OSError, ValueError):
        return False
