"""Online single-pass clustering of headlines: each new item joins the best cluster or starts one.

Pure: no I/O, no SQL. Items become sparse TF-IDF vectors (dicts) over stemmed headline words,
URL slug words and the summary's lead; words that behave like names (capitalised inside
sentence-case headlines, ALL-CAPS) weigh more. Document frequencies and "name-ness" are learned
as items stream in. A cluster keeps the true mean of its members' vectors; an item that fits two
clusters whose means are close merges them. Candidates come from an inverted index (term ->
clusters) limited to clusters active within a time window, so the cost of one item does not grow
with the number of clusters.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import repeat
from operator import mul, truediv

from tracker.cluster_model import Assignment, Cluster, Item, Params, Vocabulary
from tracker.cluster_text import STOPWORDS, lead_terms, stem, title_words, url_words

__all__ = ["Assignment", "Cluster", "Clusterer", "Item", "Params", "Vocabulary"]


def _add(vec: dict[str, float], term: str, weight: float) -> None:
    if weight > vec.get(term, 0.0):
        vec[term] = weight


class Clusterer:
    """Assigns a stream of items to clusters, one pass, one item at a time."""

    def __init__(self, params: Params | None = None, next_id: int = 1) -> None:
        self.params = params or Params()
        self.vocab = Vocabulary()
        self.clusters: dict[int, Cluster] = {}
        self.next_id = next_id
        self._index: dict[str, set[int]] = {}
        # id -> [docs at the last full computation, S0, S1, S2]: see `_norm`
        self._norms: dict[int, list[float]] = {}
        self._horizon: datetime | None = None

    # --- features ---------------------------------------------------------------------------

    def observe(self, item: Item) -> dict[str, float]:
        """Update term statistics with `item`; returns its term weights before IDF."""
        p, vocab = self.params, self.vocab
        named, plain, surface = vocab.named, vocab.plain, vocab.surface
        name_boost, bigram = p.name_boost, p.bigram_weight
        raw: dict[str, float] = {}
        prev = ""
        for word, kind in title_words(item.title):
            if word in STOPWORDS:
                prev = ""
                continue
            term = stem(word)
            if prev and bigram:
                _add(raw, prev + "_" + term, bigram)
            prev = term
            surface[term] = word
            if kind == "name":
                named[term] = named.get(term, 0) + 1
            elif kind == "plain":
                plain[term] = plain.get(term, 0) + 1
            if kind == "num":
                weight = 1.0 + p.number_boost
            elif kind == "caps":
                weight = 1.0 + name_boost
            else:
                weight = 1.0 + name_boost * vocab.nameness(term)
            if weight > raw.get(term, 0.0):
                raw[term] = weight
        for word in url_words(item.url):
            _add(raw, stem(word), p.url_weight)
        weight = p.summary_weight
        if item.summary and weight > 0:
            # the lead of the summary only: enough to name the event, cheap to compare
            lead = dict.fromkeys(lead_terms(item.summary[: p.summary_chars]), weight)
            for term in lead.keys() & raw.keys():
                lead[term] = max(raw[term], weight)
            raw.update(lead)  # new terms after the title's, in the order of the lead
        vocab.count(raw)
        return raw

    def vector(self, raw: dict[str, float]) -> dict[str, float]:
        """The unit TF-IDF vector of raw weights, under the IDF as it stands now."""
        return self._weigh(raw)[1]

    # --- assignment -------------------------------------------------------------------------

    def add(self, item: Item) -> Assignment:
        """Assign `item` to the best active cluster above the threshold, or to a new one."""
        raw = self.observe(item)
        idfs, vec, query = self._weigh(raw)
        when = item.published
        if when is not None and (self._horizon is None or when > self._horizon):
            self._horizon = when
        fits = self._fits(query, self._candidates(query, when), item.source)
        if not fits:
            cluster = Cluster(id=self.next_id)
            self.next_id += 1
            self.clusters[cluster.id] = cluster
            self._join(cluster, vec, idfs, item)
            return Assignment(cluster.id, 0.0, (), True)
        fits.sort(reverse=True)
        best_score, best_id = fits[0]
        best = self.clusters[best_id]
        terms = _explain(vec, best, idfs, self.vocab.surface)
        self._join(best, vec, idfs, item)
        merged = tuple(
            other
            for _, other in fits[1:4]
            if self.similarity(best, self.clusters[other]) >= self.params.merge_threshold
        )
        for other in merged:
            self._absorb(best, self.clusters[other])
        return Assignment(best.id, round(best_score, 4), terms, False, merged)

    def _weigh(
        self, raw: dict[str, float]
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        """The IDF of `raw`'s terms (`Vocabulary.idf`), `vector(raw)`, and that vector times the
        IDF again: the query `_fits` scores. Maps over `raw`'s values, in its order, rather than
        a comprehension per dict: the same floats for less interpreter work."""
        docs, get, log = self.vocab.docs + 1, self.vocab.df.get, math.log
        idfs = {term: log(docs / (get(term, 0) + 1)) + 1.0 for term in raw}
        weights = list(map(mul, raw.values(), idfs.values()))
        norm = math.sqrt(sum(map(mul, weights, weights))) or 1.0
        units = list(map(truediv, weights, repeat(norm)))
        query = map(mul, units, idfs.values())
        return idfs, dict(zip(raw, units, strict=True)), dict(zip(raw, query, strict=True))

    def _fits(
        self, query: dict[str, float], candidates: list[Cluster], source: str | None
    ) -> list[tuple[float, int]]:
        """(score, id) of the candidates scoring at least the threshold: the cosine of `query`
        (a unit vector already times IDF) with each cluster's mean (see `_norm`).

        The hot loop of ingest, so written flat: the shared terms come from a C-level key
        intersection (most candidates share a handful of an item's ~40 terms)."""
        p = self.params
        threshold, same_source = p.threshold, p.same_source
        docs, cached, sqrt = self.vocab.docs, self._norms.get, math.sqrt
        big = math.log(docs + 1)
        big2, big_big = 2 * big, big * big  # the products `_norm` starts with
        keys = query.keys()
        fits: list[tuple[float, int]] = []
        for cluster in candidates:
            total = cluster.total
            dot = 0.0
            for term in keys & total.keys():
                dot += query[term] * total[term]
            score = 0.0
            if dot != 0.0:  # `_norm`, inlined
                sums = cached(cluster.id)
                if sums is None or docs > sums[0] * 1.25:
                    sums = self._sums(cluster)
                norm2 = sums[3] + big2 * sums[2] + big_big * sums[1]
                score = dot / (sqrt(norm2) if norm2 > 1e-12 else 1.0)
            if same_source and source and source in cluster.sources:
                score += same_source
            if score >= threshold:
                fits.append((score, cluster.id))
        return fits

    def similarity(self, a: Cluster, b: Cluster) -> float:
        """Cosine of two clusters' centroids under the current IDF."""
        one, other, df, log = a.total, b.total, self.vocab.df, math.log
        docs = self.vocab.docs + 1
        dot = 0.0
        for t in one.keys() & other.keys():
            idf = log(docs / (df.get(t, 0) + 1)) + 1.0  # Vocabulary.idf
            dot += one[t] * other[t] * idf * idf
        big = math.log(docs)
        return dot / (self._norm(a, big) * self._norm(b, big))

    def _absorb(self, into: Cluster, other: Cluster) -> None:
        """Merge `other` into `into` (sizes add, so the centroid stays the true mean)."""
        total = into.total
        for term, w in other.total.items():
            if term not in total:
                self._index.setdefault(term, set()).add(into.id)
            total[term] = total.get(term, 0.0) + w
        into.size += other.size
        for source, n in other.sources.items():
            into.sources[source] = into.sources.get(source, 0) + n
        for when in (other.first, other.last):
            if when is not None:
                into.first = when if into.first is None else min(into.first, when)
                into.last = when if into.last is None else max(into.last, when)
        self._forget(other)
        if len(total) > self.params.max_centroid_terms:
            self._prune(into)
        self._norms.pop(into.id, None)

    def _norm(self, cluster: Cluster, big: float) -> float:
        """|sum of members under the current IDF|, cheaply (`big` is log(docs + 1)).

        idf(t) = L + l(t) with L = log(docs + 1) shared by all terms and l(t) = 1 - log(df + 1),
        so |c * idf|^2 = S2 + 2 L S1 + L^2 S0 with S_k = sum c^2 l^k: growth of `docs` costs
        nothing, joins update the sums for their own terms, and the sums are recomputed in full
        once `docs` grew by a quarter (other terms' df drift)."""
        sums = self._norms.get(cluster.id)
        if sums is None or self.vocab.docs > sums[0] * 1.25:
            sums = self._sums(cluster)
        norm2 = sums[3] + 2 * big * sums[2] + big * big * sums[1]
        return math.sqrt(norm2) if norm2 > 1e-12 else 1.0

    def _sums(self, cluster: Cluster) -> list[float]:
        """[docs, S0, S1, S2] of `_norm`, computed in full and cached.

        One plain loop: a quarter fewer instructions than maps and sums over lists (which made
        and freed three lists of floats), the same additions in the same order."""
        get = self.vocab.low.get
        s0 = s1 = s2 = 0.0
        for term, weight in cluster.total.items():
            low = get(term, 1.0)  # 1.0: df 0, a term never seen (a restored cluster's)
            square = weight * weight
            once = square * low
            s0 += square
            s1 += once
            s2 += once * low
        sums = self._norms[cluster.id] = [float(self.vocab.docs), s0, s1, s2]
        return sums

    def _candidates(self, query: dict[str, float], when: datetime | None) -> list[Cluster]:
        """Active clusters sharing the item's rarest indexed terms, at most `max_candidates`,
        those sharing the most query weight first (so common words cannot flood the scoring)."""
        p, df, index, clusters = self.params, self.vocab.df, self._index, self.clusters
        indexed = list(filter(index.__contains__, query))
        indexed.sort(key=df.__getitem__)  # the item's own terms: all counted by `observe`
        shared: dict[int, float] = {}
        enough = 4 * p.max_candidates
        for term in indexed[: p.candidate_terms]:
            if len(shared) >= enough:
                break  # the rarer terms found plenty; commoner ones would add only noise
            weight = query[term]
            for cid in index[term]:  # no dict.get call: this runs ~40 times an item
                if cid in shared:
                    shared[cid] += weight
                else:
                    shared[cid] = weight
        limit = p.max_candidates
        ids: list[int] = list(shared)
        if len(ids) > limit:  # most shared weight first (ties: first inserted), in C
            ids.sort(key=shared.__getitem__, reverse=True)
        if when is None:
            return [clusters[cid] for cid in ids[:limit]]
        window = _hours(p.window_hours)
        low, high = when - window, when + window
        near: list[Cluster] = []
        for cid in ids:  # the time test only until enough are found
            cluster = clusters[cid]
            first, last = cluster.first, cluster.last  # timeless clusters always near
            if first is None or last is None or (last >= low and first <= high):
                near.append(cluster)
                if len(near) == limit:
                    break
        return near

    def _join(
        self, cluster: Cluster, vec: dict[str, float], idfs: dict[str, float], item: Item
    ) -> None:
        """Add `item` (its unit vector `vec`, `idfs` of its terms) to `cluster`."""
        total, low, index, cid = cluster.total, self.vocab.low, self._index, cluster.id
        sums = self._norms.get(cid)
        # `_norm`'s sums follow the join in locals (the same additions in the same order), kept
        # only if cached; `low` has every term of `vec`, which `observe` counted
        s0, s1, s2 = (0.0, 0.0, 0.0) if sums is None else sums[1:]
        for term, w in vec.items():
            old = total.get(term)
            if old is None:
                ids = index.get(term)
                if ids is None:
                    ids = index[term] = set()
                ids.add(cid)
                old = 0.0
            total[term] = new = old + w / idfs[term]
            grow, lo = new * new - old * old, low[term]
            s0 += grow
            s1 += grow * lo
            s2 += grow * lo * lo
        if sums is not None:
            sums[1:] = s0, s1, s2
        cluster.size += 1
        if item.source:
            cluster.sources[item.source] = cluster.sources.get(item.source, 0) + 1
        when = item.published
        if when is not None:
            if cluster.first is None or when < cluster.first:
                cluster.first = when
            if cluster.last is None or when > cluster.last:
                cluster.last = when
        if len(total) > self.params.max_centroid_terms:
            self._prune(cluster)
            self._norms.pop(cluster.id, None)

    def _prune(self, cluster: Cluster) -> None:
        total = cluster.total
        keep = sorted(total, key=total.__getitem__, reverse=True)
        for term in keep[self.params.max_centroid_terms * 3 // 4 :]:
            del total[term]
            ids = self._index.get(term)
            if ids is not None:
                ids.discard(cluster.id)

    # --- lifecycle --------------------------------------------------------------------------

    def restore(self, cluster: Cluster) -> None:
        """Make a stored cluster a candidate again (e.g. loaded from the database)."""
        self.clusters[cluster.id] = cluster
        index, cid = self._index, cluster.id
        for term in cluster.total:
            ids = index.get(term)
            if ids is None:
                ids = index[term] = set()
            ids.add(cid)
        self.next_id = max(self.next_id, cluster.id + 1)
        if cluster.last is not None and (self._horizon is None or cluster.last > self._horizon):
            self._horizon = cluster.last

    @property
    def horizon(self) -> datetime | None:
        """The newest item time seen (or restored)."""
        return self._horizon

    def evict(self, idle_hours: float | None = None) -> list[Cluster]:
        """Forget clusters idle for longer than `idle_hours` (default: the window) before the
        newest item seen.

        Never automatic: in a stream that is not in time order (a shuffled benchmark, a feed
        back-filling old entries) an evicted cluster could still be wanted. The store evicts
        after each batch, since it restores clusters around older stories from the database."""
        if self._horizon is None:
            return []
        idle = (self.params.window_hours if idle_hours is None else idle_hours) * 3600.0
        gone = [c for c in self.clusters.values() if _gap(c, self._horizon) > idle]
        for cluster in gone:
            self._forget(cluster)
        return gone

    def retain(self, keep: Callable[[Cluster], bool]) -> list[Cluster]:
        """Forget the clusters `keep` refuses (the store: those no covered story time needs)."""
        gone = [c for c in self.clusters.values() if not keep(c)]
        for cluster in gone:
            self._forget(cluster)
        return gone

    def _forget(self, cluster: Cluster) -> None:
        index, cid = self._index, cluster.id
        del self.clusters[cid]
        self._norms.pop(cid, None)
        for term in cluster.total:
            ids = index.get(term)
            if ids is not None:
                ids.discard(cid)
                if not ids:
                    del index[term]


def _explain(
    vec: dict[str, float],
    cluster: Cluster,
    idfs: dict[str, float],
    surface: dict[str, str],
    limit: int = 5,
) -> tuple[str, ...]:
    """The terms `vec` shares with `cluster`, by their share of the score (`idfs`: those of
    `vec`'s terms), as words."""
    total = cluster.total
    # the set is in no useful order, but the sort is total: equal shares sort by term
    shared = [(vec[t] * total[t] * idfs[t], t) for t in vec.keys() & total.keys()]
    shared.sort(reverse=True)
    return tuple(surface.get(t, t) for _, t in shared[:limit])


@functools.lru_cache(maxsize=4)
def _hours(hours: float) -> timedelta:
    """timedelta(hours=hours), which costs a microsecond from a float: once an item before."""
    return timedelta(hours=hours)


def _gap(cluster: Cluster, when: datetime) -> float:
    """Seconds between `when` and the cluster's time span (0 inside it)."""
    if cluster.first is None or cluster.last is None:
        return 0.0
    if when < cluster.first:
        return (cluster.first - when).total_seconds()
    if when > cluster.last:
        return (when - cluster.last).total_seconds()
    return 0.0
