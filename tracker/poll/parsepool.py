"""The parser processes of a poll: feedparser runs there, in parallel, off the event loop."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import BrokenExecutor
from functools import partial
from typing import TYPE_CHECKING

from tracker.poll.spawn import spawn_pool
from tracker.poll.worker import parse_in_worker, warm_up

if TYPE_CHECKING:  # kept light: `tracker poll` starts a pool before it imports aiohttp
    from concurrent.futures import ProcessPoolExecutor

    from tracker.models import ParsedFeed
    from tracker.poll.fetch import FetchResponse


class ParsePool:
    """Parser processes (one per CPU), started at the first body to parse (or by `start`): a
    poll of 304s never starts one.

    `poll` makes one per run unless given one; a caller that polls again and again (the app)
    may keep one and `close()` it at exit.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._workers = os.cpu_count() or 2

    def start(self) -> None:
        """Start every process now rather than at the first body (for a run that will surely
        parse): `tracker poll` calls this before it imports the poller, so the processes'
        start-up (feedparser's import, ~0.15 s) runs on the other core meanwhile, and a cold
        bench poll parsed its first feed 0.12-0.14 s sooner."""
        if self._pool is None:
            pool = self._executor()
            for _ in range(self._workers):  # the pool starts a process per task it cannot place
                pool.submit(os.getpid)

    async def parse(self, resp: FetchResponse) -> tuple[ParsedFeed | None, str | None]:
        """(parsed feed, None) or (None, why not)."""
        loop = asyncio.get_running_loop()
        call = partial(parse_in_worker, resp.body, dict(resp.headers), resp.final_url)
        try:
            outcome = await loop.run_in_executor(self._executor(), call)
        except BrokenExecutor:  # a process of the pool died
            self.close()
            return None, "a parser process died (on this feed or one parsed beside it)"
        return outcome.feed, outcome.error

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = spawn_pool(self._workers, warm_up)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
