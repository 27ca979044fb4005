"""The entry point run in parser processes: kept tiny so a spawned worker imports little."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.poll.outcome import ParseOutcome

# Parser processes run behind the poller and the clustering process: those are single chains
# the run waits on (and in the app, the screen), while parsing is spread over several processes
# with feeds queued for them. Cold bench: ~5 % less wall time (faster in 6 of 8 interleaved pairs).
NICENESS = 5


def parse_in_worker(body: bytes, headers: Mapping[str, str], url: str) -> ParseOutcome:
    from tracker.poll.parse import parse_document  # feedparser loads in the workers only

    return parse_document(body, headers, url)


def warm_up() -> None:
    """Lower this process's priority and import the parser ahead of the first body (run once
    per parser process, at its start)."""
    os.nice(NICENESS)
    import tracker.poll.parse  # noqa: F401
