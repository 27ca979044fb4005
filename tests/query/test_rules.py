"""Rules: at ingest only the given stories, provenance recorded, hand removals respected."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.query.conftest import FEEDS, INGESTED, NOW, Corpus, _record, build_corpus
from tracker.models import RuleConfig
from tracker.rules import apply_rules, apply_to_history

R1 = RuleConfig(query="deepseek r1", tag="r1")
CHIPS = RuleConfig(query="chip* -news", tag="chips")


def _new_story(corpus: Corpus, key: str, title: str) -> int:
    record = replace(_record(6), key=key, guid=key, title=title, content_hash=key)
    feed = corpus.store.feeds.get(FEEDS[2].url)
    assert feed is not None
    later = INGESTED + timedelta(hours=1)
    return corpus.store.stories.ingest(feed.id, [record], later, feed.tags).new_ids[0]


def test_ingest_tags_only_the_given_stories_with_provenance(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    store = corpus.store
    new = _new_story(corpus, "new-1", "DeepSeek R1 again")
    results = apply_rules(store, [R1, CHIPS], [new], NOW)
    assert [(r.matched, r.tagged) for r in results] == [(1, 1), (0, 0)]
    assert ("r1", "rule", "deepseek r1") in store.tags.of_story(new)
    # older stories matching the rule were not in the batch: untouched
    assert "r1" not in dict((t, s) for t, s, _ in store.tags.of_story(corpus.ids[4]))
    assert [(r.matched, r.tagged) for r in apply_rules(store, [R1], [], NOW)] == [(0, 0)]
    store.close()


def test_history_dry_run_counts_exactly_and_changes_nothing(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    store = corpus.store
    before = store.db.conn.total_changes
    dry = apply_to_history(store, [R1, CHIPS], NOW, dry_run=True)
    assert [(r.matched, r.tagged) for r in dry] == [(2, 2), (0, 0)]
    assert store.search.ids("+r1", now=NOW) == []
    assert dry[0].describe(dry_run=True) == "+r1 <- deepseek r1: 2 matching, would tag 2"
    real = apply_to_history(store, [R1, CHIPS], NOW)
    assert [(r.matched, r.tagged) for r in real] == [(2, 2), (0, 0)]
    assert store.db.conn.total_changes > before
    assert corpus.numbers(store.search.ids("+r1", now=NOW)) == {4, 6}
    assert store.tags.of_story(corpus.ids[4]) == [("r1", "rule", "deepseek r1")]
    store.close()


def test_a_hand_removed_tag_is_not_put_back(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    store = corpus.store
    apply_to_history(store, [R1], NOW)
    store.tags.remove([corpus.ids[6]], ["r1"], NOW)
    assert [r.tagged for r in apply_to_history(store, [R1], NOW, dry_run=True)] == [0]
    assert [r.tagged for r in apply_to_history(store, [R1], NOW)] == [0]
    assert [r.tagged for r in apply_rules(store, [R1], [corpus.ids[6]], NOW)] == [0]
    assert corpus.numbers(store.search.ids("+r1", now=NOW)) == {4}
    store.close()


def test_a_users_tag_keeps_its_provenance(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    store = corpus.store
    store.tags.add([corpus.ids[4]], ["r1"], NOW)  # the user tagged it first
    results = apply_to_history(store, [R1], NOW)
    assert results[0].tagged == 1
    assert store.tags.of_story(corpus.ids[4]) == [("r1", "user", None)]
    assert ("r1", "rule", "deepseek r1") in store.tags.of_story(corpus.ids[6])
    store.close()


def test_broken_or_empty_rule_is_skipped_not_fatal(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    bad = RuleConfig(query="deepseek AND )", tag="x")
    empty = RuleConfig(query="sort:new", tag="y")
    results = apply_to_history(corpus.store, [bad, empty, R1], NOW)
    assert results[0].error is not None and "column 14" in results[0].error
    assert "skipped" in results[0].describe()
    assert results[1].error == "empty query"
    assert results[2].tagged == 2
    corpus.store.close()
