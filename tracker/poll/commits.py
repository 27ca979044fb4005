"""Writing each feed's outcome from the poll's database thread, quiet feeds batched together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.models import Config, Feed, IngestResult
from tracker.poll.decide import Decision
from tracker.poll.hooks import apply_ingest_hooks
from tracker.store import Store, write

InDb = Callable[..., Any]  # runs a function on the database thread, awaitable


@dataclass(frozen=True, slots=True)
class _Pending:
    feed: Feed
    decision: Decision
    now: datetime
    done: asyncio.Future[IngestResult]


class Commits:
    """A feed with stories commits in a transaction of its own (its stories, rules, follows and
    poll state stand or fall together). A feed without stories (a 304, an unchanged body, an
    error) only updates its poll state: those waiting at the same moment share one
    transaction, so a poll of 500 feeds that answer 304 commits a handful of times, not 500.
    """

    def __init__(self, in_db: InDb, store: Store, config: Config) -> None:
        self._in_db = in_db
        self._store = store
        self._config = config
        self._queue: list[_Pending] = []
        self._drain: asyncio.Task[None] | None = None

    async def commit(self, feed: Feed, decision: Decision, now: datetime) -> IngestResult:
        """Store the feed's outcome; raises what storing it raised."""
        loop = asyncio.get_running_loop()
        pending = _Pending(feed, decision, now, loop.create_future())
        self._queue.append(pending)
        if self._drain is None or self._drain.done():
            self._drain = loop.create_task(self._run_queue())
        return await pending.done

    async def _run_queue(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            outcomes = await self._in_db(self._write_batch, batch)
            for pending, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    pending.done.set_exception(outcome)
                else:
                    pending.done.set_result(outcome)

    def _write_batch(self, batch: list[_Pending]) -> list[IngestResult | Exception]:
        """On the database thread. Quiet feeds first, together; should that transaction fail,
        each is tried alone, so one feed's problem stays that feed's."""
        quiet = [p for p in batch if not p.decision.records]
        outcomes: dict[int, IngestResult | Exception] = {}
        if len(quiet) > 1:
            try:
                with write(self._store.db):
                    for p in quiet:
                        self._store.feeds.record_poll(p.feed.id, p.decision.outcome, p.now)
            except Exception:
                quiet = []  # each is tried alone below
            outcomes.update((id(p), IngestResult()) for p in quiet)
        for p in batch:
            if id(p) not in outcomes:
                try:
                    outcomes[id(p)] = self._commit_one(p)
                except Exception as exc:  # reported as this feed's error by the poller
                    outcomes[id(p)] = exc
        return [outcomes[id(p)] for p in batch]

    def _commit_one(self, p: _Pending) -> IngestResult:
        """One short transaction: new/changed stories, ingest hooks, the feed's poll state."""
        store, decision = self._store, p.decision
        with write(store.db):
            ingest = IngestResult()
            if decision.records:
                ingest = store.stories.ingest(p.feed.id, decision.records, p.now, p.feed.tags)
                apply_ingest_hooks(store, ingest.new_ids, ingest.updated_ids, self._config, p.now)
            store.feeds.record_poll(p.feed.id, decision.outcome, p.now)
        return ingest
