"""Writers stream: the memory they hold does not grow with the number of stories.

(bench/export.py measures the whole command's peak RSS at 10k and 100k stories.)"""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tracker.export import STORY_FORMATS, write_stories
from tracker.models import Story

NOW = datetime(2025, 1, 27, 12, tzinfo=UTC)


class Sink(io.StringIO):
    """Counts what is written and keeps none of it."""

    def __init__(self) -> None:
        super().__init__()
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def stories(n: int) -> Iterator[Story]:
    for i in range(n):
        when = NOW - timedelta(minutes=7 * i)
        yield Story(
            id=i + 1, feed_id=i % 40, feed_url=f"https://feed{i % 40}.example/rss",
            feed_title=f"Feed {i % 40}", key=f"k{i}", url=f"https://feed.example/{i}",
            title=f"Story number {i} about chips & <models>", author="Ana",
            summary="A summary line. " * 12, published=when, first_seen=when, sort_at=when,
            read=i % 2 == 0, starred=i % 9 == 0, tags=("ai", "chips"), cluster_id=i % 5 or None,
        )  # fmt: skip


def peak_bytes(fmt: str, n: int) -> tuple[int, int]:
    sink = Sink()
    tracemalloc.start()
    try:
        count = write_stories(fmt, stories(n), sink, query="is:tagged", now=NOW)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    return peak, sink.chars


@pytest.mark.parametrize("fmt", STORY_FORMATS)
def test_peak_memory_is_flat_from_500_to_5000_stories(fmt: str) -> None:
    small, small_chars = peak_bytes(fmt, 500)
    large, large_chars = peak_bytes(fmt, 5_000)
    assert large_chars > 9 * small_chars  # ten times the output …
    assert large < small * 1.5 + 64 * 1024  # … in about the same memory
    assert large < 512 * 1024
