"""The clusterer's values: items, knobs, assignments, a cluster's JSON state, term statistics."""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tracker.timeutil import from_db, to_db

# 2: the centroid as its terms and their weights packed as doubles (exact, and several times
# cheaper to write and read than the JSON numbers of version 1, which is still read)
STATE_VERSION = 2


@dataclass(frozen=True, slots=True)
class Item:
    """One headline as a feed gives it."""

    title: str
    url: str | None = None
    source: str | None = None  # feed or publisher
    published: datetime | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Params:
    """The clusterer's knobs; defaults chosen on one half of the dev stories, checked on the
    other half (see bench/cluster_eval.py --half)."""

    threshold: float = 0.15  # minimum score to join a cluster
    window_hours: float = 72.0  # clusters idle longer than this are not candidates
    name_boost: float = 0.5  # extra weight of a word that behaves like a name
    number_boost: float = 0.0  # extra weight of a number
    url_weight: float = 0.5  # weight of a URL slug word (title words weigh 1)
    summary_weight: float = 0.3  # weight of a word of the summary's lead
    summary_chars: int = 200  # how much of the summary is its lead
    same_source: float = 0.0  # added to the score when the cluster already has this source
    candidate_terms: int = 8  # rarest terms of an item used to look up candidate clusters
    max_candidates: int = 10  # clusters scored per item, those sharing the most weight first
    max_centroid_terms: int = 150  # a centroid keeps its heaviest terms only
    merge_threshold: float = 0.2  # two clusters an item both fits merge when this similar
    bigram_weight: float = 0.0  # weight of two adjacent headline words taken together


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an item went and why."""

    cluster_id: int
    score: float  # similarity to the cluster it joined (0 when it started one)
    terms: tuple[str, ...]  # shared key terms, most telling first
    new: bool  # True when the item started the cluster
    merged: tuple[int, ...] = ()  # clusters absorbed into `cluster_id` by this item


@dataclass(slots=True)
class Cluster:
    """A cluster's mutable state: the sum of its members' unit vectors, without IDF."""

    id: int
    size: int = 0
    first: datetime | None = None
    last: datetime | None = None
    total: dict[str, float] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)

    def to_state(self) -> dict[str, object]:
        """JSON-ready state (`clusters.state`)."""
        return {
            "v": STATE_VERSION,
            "size": self.size,
            "first": to_db(self.first),
            "last": to_db(self.last),
            "terms": list(self.total),
            "weights": _pack(self.total.values()),
            "sources": self.sources,
        }

    @classmethod
    def from_state(cls, cluster_id: int, state: dict[str, object]) -> Cluster:
        """The inverse of `to_state` (of this version or the one before)."""
        version, total = state.get("v"), state.get("total", {})
        if version == STATE_VERSION:
            total = _unpack(state.get("terms"), state.get("weights"))
        elif version != 1:
            raise ValueError(f"unknown cluster state version: {version!r}")
        sources = state.get("sources", {})
        first, last, size = state.get("first"), state.get("last"), state.get("size", 0)
        if not (isinstance(total, dict) and isinstance(sources, dict) and isinstance(size, int)):
            raise ValueError("malformed cluster state")
        return cls(
            id=cluster_id,
            size=size,
            first=from_db(first) if isinstance(first, str) else None,
            last=from_db(last) if isinstance(last, str) else None,
            total={str(t): float(w) for t, w in total.items()},
            sources={str(s): int(n) for s, n in sources.items()},
        )


def _pack(weights: Iterable[float]) -> str:
    """Weights as base64 of little-endian doubles."""
    values = tuple(weights)
    return base64.b64encode(struct.pack(f"<{len(values)}d", *values)).decode("ascii")


def _unpack(terms: object, weights: object) -> dict[str, float]:
    """The centroid of a version 2 state: its terms with the weights `_pack` packed."""
    if not (isinstance(terms, list) and isinstance(weights, str)):
        raise ValueError("malformed cluster state")
    try:
        values = struct.unpack(f"<{len(terms)}d", base64.b64decode(weights, validate=True))
    except (struct.error, ValueError) as exc:  # binascii.Error is a ValueError
        raise ValueError("malformed cluster state") from exc
    return dict(zip(terms, values, strict=True))


class Vocabulary:
    """Online term statistics: document frequency, how often a word is written like a name, and
    the word as last written (to show stems as words)."""

    __slots__ = ("df", "docs", "low", "named", "plain", "surface")

    def __init__(self) -> None:
        self.docs = 0
        self.df: dict[str, int] = {}
        self.low: dict[str, float] = {}  # 1 - log(df + 1): the IDF less its shared log(docs + 1)
        self.named: dict[str, int] = {}
        self.plain: dict[str, int] = {}
        self.surface: dict[str, str] = {}

    def count(self, terms: Iterable[str]) -> None:
        """One more document, holding each of `terms` once."""
        self.docs += 1
        df, low, lows = self.df, self.low, _LOWS
        for term in terms:
            n = df[term] = df.get(term, 0) + 1
            try:
                low[term] = lows[n]
            except IndexError:  # a frequency the table has not reached yet
                low[term] = _lows_to(n)[n]

    def idf(self, term: str) -> float:
        return math.log((self.docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def nameness(self, term: str) -> float:
        named, plain = self.named.get(term, 0), self.plain.get(term, 0)
        return (named + 0.3) / (named + plain + 1.0)


# 1 - log(n + 1) at index n: `Vocabulary.low` of a term in n documents, looked up rather than
# computed (a log per term of every item), with the very same float. As long as the highest
# document frequency seen, which grows far slower than the number of documents.
_LOWS: list[float] = []


def _lows_to(n: int) -> list[float]:
    """`_LOWS`, grown (4,096 at a time) to hold index `n`."""
    if len(_LOWS) <= n:
        _LOWS.extend(1.0 - math.log(k + 1) for k in range(len(_LOWS), n + 4096))
    return _LOWS
