"""The entry point run in parser processes: kept tiny so a spawned worker imports little."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.poll.parse import ParseOutcome


def parse_in_worker(body: bytes, headers: Mapping[str, str], url: str) -> ParseOutcome:
    """Parse, and hash each entry's content here too: hashing 25k entries on the poller's
    event loop cost it ~1 s, with the GIL passed back and forth at every call."""
    from dataclasses import replace

    from tracker.poll.decide import content_hash
    from tracker.poll.parse import parse_document  # feedparser loads in the workers only

    outcome = parse_document(body, headers, url)
    if outcome.feed is None:
        return outcome
    entries = tuple(replace(e, content_hash=content_hash(e)) for e in outcome.feed.entries)
    return replace(outcome, feed=replace(outcome.feed, entries=entries))


def warm_up() -> None:
    """Import the parser ahead of the first body (run once per worker at start)."""
    import tracker.poll.decide
    import tracker.poll.parse  # noqa: F401
