"""The online clusterer: same-event headlines join, unrelated ones do not, joins explain
themselves, states survive JSON, idle clusters leave the index."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

from tracker.cluster import Cluster, Clusterer, Item, Params
from tracker.cluster_text import stem, title_words, url_words

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

EBAY = [
    Item("EBay rejects Icahn slate of board nominees", "https://a.example/ebay-icahn-slate", "A"),
    Item("eBay asks shareholders to vote against Icahn nominees", None, "B"),
    Item("Icahn targets eBay chief after board rejects his nominees", None, "C"),
]
COMET = Item("Astronomers spot comet Kessler-7 heading for the inner solar system", None, "D")


def stream(items: list[Item], clusterer: Clusterer | None = None) -> list[int]:
    clusterer = clusterer or Clusterer()
    return [clusterer.add(item).cluster_id for item in items]


def test_same_event_headlines_join_one_cluster() -> None:
    ids = stream(EBAY)
    assert ids[0] == ids[1] == ids[2]


def test_unrelated_headline_starts_its_own_cluster() -> None:
    clusterer = Clusterer()
    ebay = stream(EBAY, clusterer)
    comet = clusterer.add(COMET)
    assert comet.new and comet.cluster_id != ebay[0]
    assert comet.score == 0.0 and comet.terms == ()


def test_a_join_names_shared_terms_and_a_score() -> None:
    clusterer = Clusterer()
    first = clusterer.add(EBAY[0])
    second = clusterer.add(EBAY[1])
    assert first.new and not second.new
    assert second.score >= clusterer.params.threshold
    assert second.score <= 1.0
    assert "icahn" in second.terms and "nominees" in second.terms
    assert "ebay" in second.terms
    assert all(term not in ("to", "against") for term in second.terms)


def test_state_round_trips_through_json_and_resumes_identically() -> None:
    first = Clusterer()
    stream([*EBAY[:2], COMET], first)
    states = {cid: json.dumps(c.to_state()) for cid, c in first.clusters.items()}
    restored = {cid: Cluster.from_state(cid, json.loads(text)) for cid, text in states.items()}
    for cid, cluster in restored.items():
        assert cluster == first.clusters[cid]

    resumed = Clusterer()
    for item in [*EBAY[:2], COMET]:
        resumed.observe(item)  # the store replays recent titles to rebuild term statistics
    for cluster in restored.values():
        resumed.restore(cluster)
    a, b = first.add(EBAY[2]), resumed.add(EBAY[2])
    assert (a.cluster_id, a.score, a.terms) == (b.cluster_id, b.score, b.terms)
    assert not b.new
    assert resumed.next_id == first.next_id


def test_unknown_state_version_is_refused() -> None:
    try:
        Cluster.from_state(1, {"v": 99})
    except ValueError as exc:
        assert "version" in str(exc)
    else:
        raise AssertionError("a state of an unknown version was accepted")


def test_a_version_1_state_is_still_read() -> None:
    cluster = Cluster(1, size=2, first=T0, last=T0, total={"icahn": 0.75, "ebay": 1 / 3})
    cluster.sources = {"A": 2}
    old = {
        "v": 1,
        "size": 2,
        "first": "2026-03-10T09:00:00Z",
        "last": "2026-03-10T09:00:00Z",
        "total": {"icahn": 0.75, "ebay": 1 / 3},
        "sources": {"A": 2},
    }
    assert Cluster.from_state(1, json.loads(json.dumps(old))) == cluster
    state = cluster.to_state()
    assert state["v"] == 2 and "total" not in state
    assert Cluster.from_state(1, json.loads(json.dumps(state))) == cluster


def test_a_damaged_state_is_refused() -> None:
    state = Cluster(1, total={"icahn": 0.75, "ebay": 0.5}).to_state()
    for damage in ({"terms": ["icahn"]}, {"weights": "not base64!"}, {"terms": "icahn ebay"}):
        try:
            Cluster.from_state(1, {**state, **damage})
        except ValueError as exc:
            assert "malformed" in str(exc)
        else:
            raise AssertionError(f"a damaged state was accepted: {damage}")


def test_time_window_keeps_old_clusters_out() -> None:
    clusterer = Clusterer(Params(window_hours=48))
    old = clusterer.add(Item(EBAY[0].title, published=T0))
    later = clusterer.add(Item(EBAY[1].title, published=T0 + timedelta(days=5)))
    soon = clusterer.add(Item(EBAY[2].title, published=T0 + timedelta(days=5, hours=1)))
    assert later.new and later.cluster_id != old.cluster_id
    assert soon.cluster_id == later.cluster_id


def test_idle_clusters_are_evicted_so_the_index_stays_small() -> None:
    clusterer = Clusterer(Params(window_hours=24))
    for n in range(3000):
        when = T0 + timedelta(hours=n)
        clusterer.add(Item(f"zq{n}x wv{n}k kx{n}m", published=when))
    clusterer.evict()
    assert len(clusterer.clusters) <= 30
    assert len(clusterer._index) < 200
    assert clusterer.next_id == 3001


def test_merging_reports_absorbed_clusters() -> None:
    clusterer = Clusterer()
    a = clusterer.add(Item("Velmont Symphony musicians walk out"))
    b = clusterer.add(Item("Orchestra pay strike: picket lines at concert hall"))
    assert a.cluster_id != b.cluster_id
    bridge = clusterer.add(
        Item("Velmont Symphony musicians on orchestra pay strike at concert hall")
    )
    assert set(bridge.merged) | {bridge.cluster_id} == {a.cluster_id, b.cluster_id}
    assert len(clusterer.clusters) == 1
    assert clusterer.clusters[bridge.cluster_id].size == 3


def test_text_features() -> None:
    assert stem("rejects") == stem("rejected") == stem("rejecting") == "reject"
    assert stem("companies") == stem("company")
    assert stem("2014") == "2014"
    kinds = dict(title_words("Fed's Charles Plosser sees high bar for tapering"))
    assert kinds["charles"] == "name" and kinds["high"] == "plain" and kinds["fed"] == ""
    assert dict(title_words("Stocks Fall After Fed Official Hints At Tapering"))["fall"] == ""
    assert dict(title_words("Carl Icahn Rift Hurts eBay (EBAY)"))["ebay"] in ("caps", "plain")
    assert url_words(
        "http://www.reuters.com/article/2014/03/10/us-ebay-icahn-idUSBREA1Q1CB2014"
    ) == [
        "ebay",
        "icahn",
    ]
    assert url_words("https://x.example/H2EvwJSK2VE6/Feds-Charles-Plosser-sees.html") == [
        "feds",
        "charles",
        "plosser",
        "sees",
    ]
    assert url_words(None) == []


def test_term_statistics_follow_their_formulas() -> None:
    """`low` comes from a table and the item vectors from maps: the floats must be those of the
    plain formulas (1 - log(df + 1); w * idf over its norm), or decisions could drift."""
    clusterer = Clusterer()
    for item in [*EBAY, COMET, *EBAY]:
        raw = clusterer.observe(item)
    vocab = clusterer.vocab
    assert vocab.docs == 7 and vocab.df[stem("icahn")] == 6
    for term, n in vocab.df.items():
        assert vocab.low[term] == 1.0 - math.log(n + 1)
    plain = {t: w * (math.log((vocab.docs + 1) / (vocab.df[t] + 1)) + 1.0) for t, w in raw.items()}
    norm = math.sqrt(sum(w * w for w in plain.values()))
    assert clusterer.vector(raw) == {t: w / norm for t, w in plain.items()}
