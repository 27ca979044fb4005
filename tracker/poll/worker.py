"""The entry point run in parser processes: kept tiny so a spawned worker imports little."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.poll.outcome import ParseOutcome


def parse_in_worker(body: bytes, headers: Mapping[str, str], url: str) -> ParseOutcome:
    from tracker.poll.parse import parse_document  # feedparser loads in the workers only

    return parse_document(body, headers, url)


def warm_up() -> None:
    """Import the parser ahead of the first body (run once per worker at start)."""
    import tracker.poll.parse  # noqa: F401
