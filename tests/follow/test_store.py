"""Follows in the store: gathering old and new stories, hand pins and exclusions, visits."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.follow.conftest import Ingest
from tracker.models import Config, FollowConfig
from tracker.store import Store
from tracker.store.follow_match import matching_ids


def member_titles(store: Store, name: str) -> list[str]:
    follow = store.follows.get(name)
    assert follow is not None
    return sorted(m.story.title for m in store.follows.members(follow.id))


def test_follow_created_after_stories_gathers_them(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    ingest(0, [("DeepSeek releases R1", 7), ("Nvidia earnings preview", 6)])
    ingest(1, [("Why DeepSeek matters", 2), ("Unrelated gardening tips", 1)])
    follow, gathered = store.follows.add("R1", "deepseek", now)
    assert gathered == 2
    assert follow.story_count == 2 and follow.origin == "user"
    assert member_titles(store, "R1") == ["DeepSeek releases R1", "Why DeepSeek matters"]


def test_follow_created_before_gathers_at_ingest(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    store.follows.add("R1", "deepseek", now)
    assert member_titles(store, "R1") == []
    ingest(2, [("DeepSeek tops the App Store", 0), ("Weather today", 0)])
    assert member_titles(store, "R1") == ["DeepSeek tops the App Store"]
    # a re-poll of the same document adds nothing twice
    ingest(2, [("DeepSeek tops the App Store", 0)])
    assert member_titles(store, "R1") == ["DeepSeek tops the App Store"]


def test_pins_and_exclusions_survive_repolls_and_regathering(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    ids = ingest(0, [("DeepSeek R1 paper", 3), ("DeepSeek app", 2), ("Chip stocks slide", 1)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    assert store.follows.exclude(follow.id, [ids[1]], now) == 1
    assert store.follows.pin(follow.id, [ids[2]], now) == 1
    assert member_titles(store, "R1") == ["Chip stocks slide", "DeepSeek R1 paper"]

    # re-poll the same stories (one changed): no exclusion undone, no pin lost
    ingest(0, [("DeepSeek R1 paper", 3), ("DeepSeek app", 2), ("Chip stocks slide", 1)])
    store.follows.gather(follow.id, now)
    assert member_titles(store, "R1") == ["Chip stocks slide", "DeepSeek R1 paper"]
    assert store.follows.excluded(follow.id) == [ids[1]]

    # a query change re-gathers: the pin stays although it does not match either query
    config = Config("feeds.toml", follows=(FollowConfig("R1", "paper"),))
    result = store.follows.sync(config, now)
    assert result.updated == 1
    assert member_titles(store, "R1") == ["Chip stocks slide", "DeepSeek R1 paper"]
    store.follows.sync(Config("feeds.toml", follows=(FollowConfig("R1", "deepseek"),)), now)
    assert member_titles(store, "R1") == ["Chip stocks slide", "DeepSeek R1 paper"]


def test_excluded_story_never_rejoins_at_ingest(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    follow, _ = store.follows.add("R1", "deepseek", now)
    (sid,) = ingest(1, [("DeepSeek again", 0)])
    store.follows.exclude(follow.id, [sid], now)
    store.follows.gather_new([sid], now)
    store.follows.gather(follow.id, now)
    assert member_titles(store, "R1") == []
    # pinning an excluded story by hand brings it back
    store.follows.pin(follow.id, [sid], now)
    assert member_titles(store, "R1") == ["DeepSeek again"]


def test_pin_of_unknown_story_changes_nothing(store: Store, now: datetime) -> None:
    follow, _ = store.follows.add("R1", "deepseek", now)
    assert store.follows.pin(follow.id, [424242], now) == 0
    assert store.follows.members(follow.id) == []


def test_new_since_last_visit(store: Store, ingest: Ingest, now: datetime) -> None:
    ingest(0, [("DeepSeek one", 3), ("DeepSeek two", 2)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    assert store.follows.all()[0].new_count == 2  # never opened: everything is new
    store.follows.mark_opened(follow.id, now)
    later = now + timedelta(hours=5)
    ingest(1, [("DeepSeek three", 0), ("DeepSeek four", 0)], at=later)
    ingest(2, [("Not related", 0)], at=later)
    (listed,) = store.follows.all()
    assert (listed.story_count, listed.new_count) == (4, 2)
    assert listed.last_opened_at == now
    store.follows.mark_opened(follow.id, later)
    assert store.follows.all()[0].new_count == 0


def test_sync_from_config_adds_updates_and_removes(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    ingest(0, [("DeepSeek one", 3), ("Nvidia two", 2)])
    store.follows.add("mine", "nvidia", now)
    config = Config(
        "feeds.toml",
        follows=(FollowConfig("R1", "deepseek"), FollowConfig("chips", "nvidia")),
    )
    result = store.follows.sync(config, now)
    assert (result.added, result.updated, result.removed) == (2, 0, 0)
    assert [(f.name, f.origin, f.story_count) for f in store.follows.all()] == [
        ("chips", "config", 1),
        ("mine", "user", 1),
        ("R1", "config", 1),
    ]
    result = store.follows.sync(Config("feeds.toml", follows=(FollowConfig("R1", "x"),)), now)
    assert (result.added, result.updated, result.removed) == (0, 1, 1)
    assert [f.name for f in store.follows.all()] == ["mine", "R1"]
    assert member_titles(store, "R1") == []


def test_remove_deletes_follow_and_its_marks(store: Store, ingest: Ingest, now: datetime) -> None:
    ingest(0, [("DeepSeek one", 3)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    assert store.follows.remove("R1") == 1
    assert store.follows.get("R1") is None
    count = store.db.conn.execute("SELECT count(*) FROM follow_stories").fetchone()[0]
    assert count == 0 and follow.id > 0


def test_cluster_sources_counts_distinct_feeds(
    store: Store, ingest: Ingest, feed_ids: list[int]
) -> None:
    a = ingest(0, [("DeepSeek A", 1)])
    b = ingest(1, [("DeepSeek B", 1), ("DeepSeek B2", 1)])
    conn = store.db.conn
    conn.execute("INSERT INTO clusters (id, size, first_seen, last_seen) VALUES (7, 3, 'x', 'x')")
    conn.execute("UPDATE stories SET cluster_id = 7 WHERE id IN (?, ?, ?)", (*a, *b))
    assert store.follows.cluster_sources([7, 8]) == {7: 2}
    assert len(feed_ids) == 3


def test_follow_queries_use_the_query_language(store: Store, ingest: Ingest, now: datetime) -> None:
    ids = ingest(0, [("DeepSeek R1 paper", 9), ("DeepSeek V3 weights", 2), ("R1 racing", 1)])
    ingest(1, [("DeepSeek reasoning model", 3)])
    store.tags.add([ids[1]], ["china"], now)
    follow, gathered = store.follows.add("launch", "deepseek (r1 OR reasoning) @7d", now)
    assert gathered == 1
    assert member_titles(store, "launch") == ["DeepSeek reasoning model"]
    _, tagged = store.follows.add("china", "deepseek +china", now)
    assert tagged == 1 and member_titles(store, "china") == ["DeepSeek V3 weights"]
    # at ingest the same query decides, over the new stories only
    ingest(2, [("DeepSeek R1 distilled", 0), ("Reasoning without DeepSeek", 0)])
    ingest(2, [("Old DeepSeek R1 retrospective", 30)])
    assert member_titles(store, "launch") == [
        "DeepSeek R1 distilled",
        "DeepSeek reasoning model",
        "Reasoning without DeepSeek",
    ]
    assert follow.query.startswith("deepseek")


def test_follow_term_reads_membership_without_exclusions(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    ids = ingest(0, [("DeepSeek one", 2), ("DeepSeek two", 1), ("Other", 1)])
    follow, _ = store.follows.add("R1 launch", "deepseek", now)
    store.follows.exclude(follow.id, [ids[0]], now)
    store.follows.pin(follow.id, [ids[2]], now)
    assert sorted(store.search.ids('follow:"R1 launch"', now=now)) == [ids[1], ids[2]]


def test_a_query_that_no_longer_parses_matches_nothing_and_never_fails_ingest(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    store.db.conn.execute(
        "INSERT INTO follows (name, query, created_at) "
        "VALUES ('broken', 'deepseek (', '2025-01-01T00:00:00Z')"
    )
    store.follows.add("ok", "deepseek", now)
    ingest(0, [("DeepSeek again", 0)])
    assert member_titles(store, "ok") == ["DeepSeek again"]
    assert member_titles(store, "broken") == []


def test_matching_among_new_stories_agrees_with_the_full_query(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    titles = [
        "DeepSeek R1 paper", "DeepSeek V3", "Nvidia slides", "Nvidia and DeepSeek",
        "Reasoning models", "R1 racing", "Export controls tighten", "Chips export",
    ]  # fmt: skip
    ids: list[int] = []
    for feed in range(3):
        ids += ingest(feed, [(f"{t} {feed}", i) for i, t in enumerate(titles)])
    store.tags.add(ids[::3], ["china"], now)
    queries = [
        "deepseek", "deepseek OR nvidia", "nvidia -china", "NOT deepseek +china",
        "title:r1 OR reasoning", '"export controls"', "deep*", "feed:blog deepseek",
        "deepseek @3d", "(nvidia OR chips) NOT deepseek", "is:unread r1",
    ]  # fmt: skip
    subset = ids[2::2]
    for query in queries:
        full = set(matching_ids(store.db, query, None, now))
        assert full, query
        assert matching_ids(store.db, query, subset, now) == sorted(full & set(subset)), query


def test_pins_exclusions_survive_reclustering_and_rows_follow_new_clusters(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    a = ingest(0, [("DeepSeek shock", 1), ("DeepSeek pinned", 1)])
    b = ingest(1, [("DeepSeek shock too", 1), ("DeepSeek excluded", 1)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    store.follows.pin(follow.id, [a[1]], now)
    store.follows.exclude(follow.id, [b[1]], now)
    conn = store.db.conn

    def cluster(cid: int, ids: list[int]) -> None:
        conn.execute("INSERT INTO clusters (id, size, first_seen, last_seen) VALUES (?, 0, '', '')",
                     (cid,))  # fmt: skip
        conn.executemany("UPDATE stories SET cluster_id = ? WHERE id = ?", [(cid, i) for i in ids])

    cluster(1, [a[0], b[0]])
    dossier = store.follows.dossier("R1")
    assert dossier is not None
    assert sorted(r.story_ids for r in dossier.days[0].rows) == [(a[0], b[0]), (a[1],)]
    # a rebuild drops every cluster and assigns new ids (here: the pinned story joins in)
    conn.execute("DELETE FROM clusters")
    cluster(9, [a[0], a[1]])
    dossier = store.follows.dossier("R1")
    assert dossier is not None
    assert sorted(r.story_ids for r in dossier.days[0].rows) == [(a[0], a[1]), (b[0],)]
    assert [r.pinned for r in dossier.days[0].rows if len(r.story_ids) == 2] == [True]
    assert store.follows.excluded(follow.id) == [b[1]]
    assert sorted(m.story.id for m in store.follows.members(follow.id)) == [a[0], a[1], b[0]]


def test_release_lets_the_query_decide_again(store: Store, ingest: Ingest, now: datetime) -> None:
    ids = ingest(0, [("DeepSeek one", 2), ("Other", 1)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    store.follows.exclude(follow.id, [ids[0]], now)
    store.follows.pin(follow.id, [ids[1]], now)
    assert member_titles(store, "R1") == ["Other"]
    assert store.follows.release(follow.id, ids, now) == 2
    assert member_titles(store, "R1") == ["DeepSeek one"]
    assert store.follows.excluded(follow.id) == []


def test_recent_counts_per_day_for_the_list_sparkline(
    store: Store, ingest: Ingest, now: datetime
) -> None:
    ingest(0, [("DeepSeek a", 0), ("DeepSeek b", 0.1), ("DeepSeek c", 2), ("DeepSeek old", 30)])
    follow, _ = store.follows.add("R1", "deepseek", now)
    store.follows.add("none", "nothing-matches-this", now)
    assert store.follows.recent_counts(4, now) == {follow.id: [0, 1, 0, 2]}
