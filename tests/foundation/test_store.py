"""The store on real SQLite files: migrations, identity, user state, tombstones, FTS, locking."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from tracker.models import Config, FeedConfig, StoryRecord
from tracker.store import Store, write
from tracker.store.db import MIGRATION_NAMES
from tracker.store.feeds import PollOutcome
from tracker.store.schema import migrations

NOW = datetime(2025, 1, 27, 12, 0, tzinfo=UTC)
CONFIG = Config("feeds.toml", feeds=(FeedConfig("https://wire.example/ai.xml", "Wire", ("ai",)),))


def record(
    key: str,
    title: str = "DeepSeek R1 tops the App Store",
    body: str = "v1",
    published: datetime | None = NOW - timedelta(hours=3),
) -> StoryRecord:
    return StoryRecord(
        key=key,
        guid=key,
        url=f"https://wire.example/{key}",
        title=title,
        author="Ana",
        summary=f"summary {body}",
        content_html=f"<p>{body}</p>",
        content=body,
        published=published,
        updated=None,
        content_hash=f"hash-{title}-{body}",
    )


def feed_id(store: Store) -> int:
    store.feeds.sync(CONFIG, NOW)
    feed = store.feeds.get("https://wire.example/ai.xml")
    assert feed is not None
    return feed.id


def test_migrations_apply_on_an_empty_file_and_rerun_is_a_no_op(db_path: Path) -> None:
    with Store.open(db_path) as store:
        tables = set(store.db.sqlite_utils().table_names())
        assert {"feeds", "stories", "story_tags", "follows", "stories_fts"} <= tables
        assert store.db.sqlite_utils()["stories"].detect_fts() == "stories_fts"
        assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    with Store.open(db_path) as again:
        assert migrations.pending(again.db.sqlite_utils()) == []
        applied = [m.name for m in migrations.applied(again.db.sqlite_utils())]
        assert applied == ["0001_core", "0002_fts_lead"]


def test_the_cheap_current_schema_check_knows_every_migration() -> None:
    """Opening a current file checks MIGRATION_NAMES, not the migrations themselves: a new
    migration left out of that list would never be applied."""
    every = [m.name for m in migrations.pending(Database(memory=True))]
    assert list(MIGRATION_NAMES) == every


def test_datasette_style_open_sees_plain_tables(store: Store) -> None:
    plain = Database(store.path)
    assert plain["stories"].pks == ["id"]
    assert {fk.other_table for fk in plain["stories"].foreign_keys} == {"feeds", "clusters"}


def test_ingest_inserts_then_updates_only_on_changed_content(store: Store) -> None:
    fid = feed_id(store)
    first = store.stories.ingest(fid, [record("a"), record("b")], NOW, ["ai"])
    assert len(first.new_ids) == 2 and first.updated_ids == ()
    same = store.stories.ingest(fid, [record("a"), record("b")], NOW + timedelta(hours=1))
    assert same.new_ids == () and same.updated_ids == ()
    changed = store.stories.ingest(fid, [record("a", body="v2")], NOW + timedelta(hours=2))
    assert changed.updated_ids == (first.new_ids[0],)
    story = store.stories.get(first.new_ids[0])
    assert story is not None and story.summary == "summary v2"
    assert story.tags == ("ai",)
    assert story.first_seen == NOW  # an update never makes a story look new


def test_repoll_keeps_read_starred_and_tags(store: Store) -> None:
    fid = feed_id(store)
    (sid,) = store.stories.ingest(fid, [record("a")], NOW).new_ids
    store.stories.set_read([sid], True, NOW)
    store.stories.set_starred([sid], True)
    store.tags.add([sid], ["keep"], NOW)
    store.stories.ingest(fid, [record("a", title="DeepSeek R1 tops the App Store (updated)")], NOW)
    story = store.stories.get(sid)
    assert story is not None
    assert story.title.endswith("(updated)")
    assert story.read and story.starred
    assert set(story.tags) == {"keep"}


def test_deleted_story_never_returns(store: Store) -> None:
    fid = feed_id(store)
    (sid,) = store.stories.ingest(fid, [record("a")], NOW).new_ids
    assert store.stories.delete([sid], NOW) == 1
    again = store.stories.ingest(fid, [record("a"), record("b")], NOW)
    assert len(again.new_ids) == 1
    assert store.stories.totals() == (1, 1)


def test_future_dates_do_not_pin_a_story_to_the_top(store: Store) -> None:
    fid = feed_id(store)
    ids = store.stories.ingest(
        fid,
        [
            record("future", published=datetime(2099, 1, 1, tzinfo=UTC)),
            record("none", published=None),
        ],
        NOW,
    ).new_ids
    for story in store.stories.many(list(ids)):
        assert story.sort_at == NOW


def fts_hits(store: Store, word: str) -> list[int]:
    rows = store.db.conn.execute(
        "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?", (word,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def test_fts_follows_content_changes_but_not_read_marks(store: Store) -> None:
    fid = feed_id(store)
    (sid,) = store.stories.ingest(fid, [record("a", body="distillation")], NOW).new_ids
    assert fts_hits(store, "distillation") == [sid]
    store.stories.ingest(fid, [record("a", body="selloff")], NOW)
    assert fts_hits(store, "distillation") == []
    assert fts_hits(store, "selloff") == [sid]
    store.stories.set_read([sid], True, NOW)
    assert fts_hits(store, "selloff") == [sid]
    store.stories.delete([sid], NOW)
    assert fts_hits(store, "selloff") == []


def test_a_large_ingest_maps_every_id_to_its_key_in_document_order(store: Store) -> None:
    """Several multi-row INSERT statements (more rows than one takes); a key repeated in the
    document is stored once, with its last version."""
    fid = feed_id(store)
    records = [record(f"k{i:03}", body=f"word{i:03}") for i in range(150)]
    records.append(record("k007", body="latest"))
    result = store.stories.ingest(fid, records, NOW)
    assert len(result.new_ids) == 150
    keys = dict(store.db.conn.execute("SELECT id, key FROM stories").fetchall())
    assert [keys[sid] for sid in result.new_ids] == [f"k{i:03}" for i in range(150)]
    assert fts_hits(store, "word149") == [result.new_ids[149]]
    assert fts_hits(store, "latest") == [result.new_ids[7]] and fts_hits(store, "word007") == []


def test_hand_removed_tag_is_not_put_back_by_rules_or_feed(store: Store) -> None:
    fid = feed_id(store)
    (sid,) = store.stories.ingest(fid, [record("a")], NOW, ["ai"]).new_ids
    assert store.tags.remove([sid], ["ai"], NOW) == 1
    assert store.tags.add([sid], ["ai"], NOW, source="rule", rule="deepseek") == 0
    assert store.tags.add([sid], ["ai"], NOW, source="user") == 1
    assert store.tags.of_story(sid) == [("ai", "user", None)]


def test_sync_deactivates_unlisted_feeds_and_retags(store: Store) -> None:
    fid = feed_id(store)
    (sid,) = store.stories.ingest(fid, [record("a")], NOW, ["ai"]).new_ids
    retagged = Config("f", feeds=(FeedConfig("https://wire.example/ai.xml", "Wire", ("china",)),))
    store.feeds.sync(retagged, NOW)
    story = store.stories.get(sid)
    assert story is not None and story.tags == ("china",)
    result = store.feeds.sync(Config("f"), NOW)
    assert result.deactivated == 1
    assert store.feeds.all(active_only=True) == []
    assert store.stories.get(sid) is not None  # stories stay
    back = Config(
        "f", feeds=(FeedConfig("https://wire.example/ai.xml", "Wire 2", ("china",), 900),)
    )
    store.feeds.sync(back, NOW)  # listed again, and renamed: active again, with the new values
    (feed,) = store.feeds.all(active_only=True)
    assert (feed.title, feed.interval) == ("Wire 2", 900)
    store.feeds.sync(back, NOW)  # unchanged: nothing to rewrite, nothing lost
    assert store.feeds.all(active_only=True)[0].title == "Wire 2"


def test_write_rolls_back_on_error(store: Store) -> None:
    fid = feed_id(store)
    try:
        with write(store.db):
            store.stories.ingest(fid, [record("a")], NOW)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.stories.totals() == (0, 0)


def test_a_writer_and_a_reader_process_never_see_database_locked(db_path: Path) -> None:
    Store.open(db_path).close()
    script = textwrap.dedent(
        f"""
        import sys, time
        from datetime import UTC, datetime
        from tracker.models import Config, FeedConfig, StoryRecord
        from tracker.store import Store
        role = sys.argv[1]
        store = Store.open({str(db_path)!r})
        now = datetime(2025, 1, 27, tzinfo=UTC)
        store.feeds.sync(Config("f", feeds=(FeedConfig("https://w.example/x"),)), now)
        fid = store.feeds.get("https://w.example/x").id
        deadline = time.monotonic() + 3
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if role == "writer":
                rec = StoryRecord(
                    f"k{{n}}", None, None, f"t{{n}}", None, "", "", "", now, None, str(n)
                )
                new = store.stories.ingest(fid, [rec], now).new_ids
                store.stories.set_read(list(new), True, now)
            else:
                store.stories.totals(); store.feeds.all(with_counts=True); store.data_version()
        print(n)
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, role],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("writer", "reader", "writer")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert int(out.strip()) > 10
    with Store.open(db_path) as store:
        total, unread = store.stories.totals()
        assert total > 20 and unread == 0
        assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_failing_feeds_error_reads_back_as_one_plain_line(store: Store) -> None:
    fid = feed_id(store)
    healthy = store.feeds.get("https://wire.example/ai.xml")
    assert healthy is not None and healthy.failure is None
    hostile = "redirect to a non-HTTP URL: x:\x1b[31mred\x1b]8;;http://evil/\x07\nnext\u202eevil"
    later = NOW + timedelta(hours=2)
    outcome = PollOutcome("error", None, hostile, 2, None, None, None, later)
    store.feeds.record_poll(fid, outcome, NOW)
    feed = store.feeds.get("https://wire.example/ai.xml")
    assert feed is not None and feed.failure is not None
    assert feed.failure == (
        "error: redirect to a non-HTTP URL: x:red nextevil "
        "(failures in a row: 2, next try 2025-01-27T14:00:00Z)"
    )
