"""Which story times have every stored candidate cluster in memory: spans of time, by last use.

Pure bookkeeping for the store's clusterer (no SQL). A span [low, high] means: every stored
cluster that could be a candidate for a story dated in it (its time span meets the story time
plus or minus the window) is in memory. Streams are not in time order: a poll mixes feeds dated
two years back with undated entries stored "now", so several spans are kept, each trimmed to a
window before its own newest story, and a span unused for a while is dropped. A cluster stays in
memory while some span may need it; more clusters in memory than needed never change a result
(the clusterer's window test picks the same candidates), fewer would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.cluster_model import Cluster

IDLE_BATCHES = 64  # a span not used by this many batches (feeds) in a row is dropped


@dataclass(slots=True)
class Span:
    """Story times whose candidates are all in memory, the newest story seen in them, and the
    batch that used them last."""

    low: datetime
    high: datetime
    newest: datetime
    used: int


class Coverage:
    """The spans of story time whose candidate clusters are all in memory."""

    def __init__(self, window: timedelta, idle_batches: int = IDLE_BATCHES) -> None:
        self.window = window
        self.idle_batches = idle_batches
        self.spans: list[Span] = []
        self.batch = 0

    def covers(self, oldest: datetime, newest: datetime) -> bool:
        """Whether stories dated in [oldest, newest] have all their candidates in memory; a
        batch that is covered counts as a use of its span. Call once per batch."""
        self.batch += 1
        for span in self.spans:
            if span.low <= oldest and newest <= span.high:
                span.used = self.batch
                if newest > span.newest:
                    span.newest = newest
                return True
        return False

    def add(self, low: datetime, high: datetime, newest: datetime) -> None:
        """Record that the clusters meeting [low - window, high + window] are now in memory;
        spans that meet merge (their union is covered)."""
        merged = Span(low, high, newest, self.batch)
        rest: list[Span] = []
        for span in self.spans:
            if span.low <= merged.high and merged.low <= span.high:
                merged.low, merged.high = min(merged.low, span.low), max(merged.high, span.high)
                merged.newest = max(merged.newest, span.newest)
            else:
                rest.append(span)
        self.spans = [*rest, merged]

    def trim(self) -> None:
        """Drop spans idle for `idle_batches`; keep each span to a window before its newest
        story (older stories are rare once a span moved on; they reload what they need)."""
        kept: list[Span] = []
        for span in self.spans:
            if self.batch - span.used > self.idle_batches:
                continue
            span.low = max(span.low, span.newest - self.window)
            if span.low <= span.high:
                kept.append(span)
        self.spans = kept

    def needed(self, cluster: Cluster) -> bool:
        """Whether `cluster` may be a candidate for a story in some span (timeless: always)."""
        first, last, window = cluster.first, cluster.last, self.window
        if first is None or last is None:
            return True
        return any(last >= s.low - window and first <= s.high + window for s in self.spans)

    def clear(self) -> None:
        self.spans = []
