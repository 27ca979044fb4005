"""The full-text index takes a story's summary only when it is more than a copy of the content,
stays consistent with the table through inserts, updates and deletes, and an older file is
migrated to it with nothing lost."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from tracker.cli import run
from tracker.models import Config, FeedConfig, StoryRecord
from tracker.poll.entries import SUMMARY_CHARS, cut_summary
from tracker.store import Store
from tracker.store.schema import _SPACE, migrations

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
URL = "https://wire.example/ai.xml"
CONFIG = Config("feeds.toml", feeds=(FeedConfig(URL),))


def story(key: str, content: str, summary: str | None = None) -> StoryRecord:
    """A record whose summary is derived as the parser derives it, unless one is given."""
    if summary is None:
        summary = cut_summary(content) if len(content) > SUMMARY_CHARS else content
    return StoryRecord(
        key=key, guid=key, url=f"https://wire.example/{key}", title=f"title {key}", author=None,
        summary=summary, content_html=content, content=content, published=NOW, updated=None,
        content_hash=f"{key}-{hash((content, summary))}",
    )  # fmt: skip


def open_store(path: Path) -> tuple[Store, int]:
    store = Store.open(path)
    store.feeds.sync(CONFIG, NOW)
    feed = store.feeds.get(URL)
    assert feed is not None
    return store, feed.id


def lead_of(store: Store, story_id: int) -> str:
    row = store.db.conn.execute("SELECT lead FROM stories WHERE id = ?", (story_id,)).fetchone()
    return str(row[0])


def hits(conn: sqlite3.Connection, query: str) -> list[int]:
    rows = conn.execute("SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?", (query,))
    return sorted(int(r[0]) for r in rows)


def integrity_ok(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")  # raises


def test_the_sql_strips_the_whitespace_python_strips() -> None:
    python = {c for c in range(0x110000) if chr(c).isspace()}
    sql = {int(n) for n in _SPACE.removeprefix("char(").removesuffix(")").split(",")}
    assert sql == python


whitespace = st.sampled_from([chr(c) for c in range(0x3001) if chr(c).isspace()])
words = st.text(alphabet="abcdefgh", min_size=1, max_size=9)
short_or_long = st.lists(st.tuples(words, whitespace), min_size=1, max_size=400).map(
    lambda parts: "".join(w + s for w, s in parts)
)
# whitespace of every kind just before the cut at SUMMARY_CHARS - 1, which `rstrip` drops
at_the_cut = st.builds(
    lambda n, spaces, tail: "a" * n + "".join(spaces) + tail,
    st.integers(SUMMARY_CHARS - 12, SUMMARY_CHARS),
    st.lists(whitespace, min_size=1, max_size=8),
    short_or_long,
)
content_text = st.one_of(short_or_long, at_the_cut)


@settings(max_examples=60, deadline=None)
@given(content=content_text)
def test_a_summary_that_copies_the_content_is_not_indexed_again(
    tmp_path_factory: pytest.TempPathFactory, content: str
) -> None:
    store, fid = open_store(tmp_path_factory.mktemp("lead") / "t.db")
    with store:
        (copy, own) = store.stories.ingest(
            fid, [story("copy", content), story("own", content, "a teaser of its own")], NOW
        ).new_ids
        assert lead_of(store, copy) == ""  # the content (cut short or whole) is indexed once
        assert lead_of(store, own) == "a teaser of its own"
        integrity_ok(store.db.conn)


def test_search_finds_summary_words_and_the_index_follows_every_change(tmp_path: Path) -> None:
    long = "distillation " * 100  # over SUMMARY_CHARS: the summary is the content cut short
    store, fid = open_store(tmp_path / "t.db")
    with store:
        conn = store.db.conn
        new = store.stories.ingest(
            fid, [story("a", long), story("b", "open weights", "sanctions teaser")], NOW
        ).new_ids
        a, b = new
        assert hits(conn, "distillation") == [a]
        assert hits(conn, "sanctions") == [b]  # only in b's own summary
        assert hits(conn, "weights") == [b]
        # the summary changes (and stops being a copy); then the story is deleted
        store.stories.ingest(fid, [story("a", long, "export controls")], NOW)
        assert lead_of(store, a) == "export controls"
        assert hits(conn, "controls") == [a]
        assert hits(conn, "distillation") == [a]
        integrity_ok(conn)
        store.stories.delete([b], NOW)
        assert hits(conn, "sanctions") == []
        integrity_ok(conn)


def test_an_older_file_is_migrated_with_its_stories_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="0002_fts_lead")  # the file an older tracker left
    old.execute("INSERT INTO feeds (url, created_at) VALUES (?, '2026-01-01T00:00:00Z')", (URL,))
    rows = [
        (1, "k1", "Nvidia sheds value", "a teaser about chips", "full text on export rules"),
        (2, "k2", "R1 release", "same words", "same words"),
    ]
    with old.conn:
        for sid, key, title, summary, content in rows:
            old.execute(
                "INSERT INTO stories (id, feed_id, key, title, summary, content, first_seen, "
                "sort_at, content_hash) VALUES (?, 1, ?, ?, ?, ?, '2026-01-01T00:00:00Z', "
                "'2026-01-01T00:00:00Z', 'h')",
                (sid, key, title, summary, content),
            )
    assert hits(old.conn, "teaser") == [1]
    old.close()

    store = Store.open(path)  # migrates
    with store:
        conn = store.db.conn
        assert hits(conn, "teaser") == [1]  # a summary of its own: still found
        assert hits(conn, "export") == [1]
        assert hits(conn, "words") == [2]  # a copy: found once, through the content
        assert hits(conn, "nvidia") == [1]
        assert [lead_of(store, 1), lead_of(store, 2)] == ["a teaser about chips", ""]
        settings_ = dict(conn.execute("SELECT k, v FROM stories_fts_config").fetchall())
        assert settings_["automerge"] == 16
        integrity_ok(conn)
        fresh = store.stories.ingest(1, [replace(story("k3", "later words"), title="R2")], NOW)
        assert hits(conn, "later") == list(fresh.new_ids)


def test_the_command_line_says_when_it_upgrades_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feed]]\nurl = "{URL}"\n', encoding="utf-8")
    old = Database(tmp_path / "old.db")
    migrations.apply(old, stop_before="0002_fts_lead")
    old.close()
    for db, expected in (("old.db", True), ("old.db", False), ("new.db", False)):
        assert run(["--db", str(tmp_path / db), "--config", str(config), "feeds", "list"]) == 0
        said = "upgrading the database" in capsys.readouterr().err
        assert said is expected, db  # once, for the older file only
