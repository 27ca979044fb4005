"""The database schema, as numbered sqlite-utils migrations from an empty file."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")


@migrations(name="0001_core")
def _core(db: Database) -> None:
    _run(db, CORE_SQL)
    _run(db, _fts_sql(("title", "summary", "content")))


# What the full-text index takes of a story's summary: nothing when the summary is the content
# itself or the content cut short (as `tracker.poll.entries.cut_summary` cuts it: 999 characters,
# trailing whitespace, "…"), which is what most feeds' summaries are; indexing that copy cost a
# poll about a third of its full-text work. Python's whitespace, for `rtrim` to strip as
# `str.rstrip` does (a test holds the two together).
_SPACE = (
    "char(9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, "
    "8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288)"
)
LEAD_SQL = (
    "CASE WHEN summary = content OR (length(content) > 1000 AND "
    f"summary = rtrim(substr(content, 1, 999), {_SPACE}) || '…') THEN '' ELSE summary END"
)
FTS_COLUMNS = ("title", "lead", "content")


@migrations(name="0002_fts_lead")
def _fts_lead(db: Database) -> None:
    """Index `lead` (a generated column: the summary unless it repeats the content) instead of
    the summary; merge index segments 16 at a time. Rebuilds the index of an existing file:
    17 s for the 1M stories of bench/query.py's database."""
    _run(
        db,
        f"""
        DROP TRIGGER [stories_ai];
        DROP TRIGGER [stories_ad];
        DROP TRIGGER [stories_au];
        DROP TABLE [stories_fts];
        ALTER TABLE stories ADD COLUMN lead TEXT GENERATED ALWAYS AS ({LEAD_SQL}) VIRTUAL;
        """,
    )
    _run(db, _fts_sql(FTS_COLUMNS))
    # A poll commits each feed on its own, so the index gains many small segments; merging
    # them 16 rather than 4 at a time rewrites each posting half as often, for a few more
    # segments per query (indexing a cold 500-feed poll's 25k stories, 50 per transaction:
    # 2.7-3.8 -> 2.2-2.6 s CPU; 1.5 s with the lead column).
    db.execute("INSERT INTO stories_fts (stories_fts, rank) VALUES ('automerge', 16)")
    db.execute("INSERT INTO stories_fts (stories_fts) VALUES ('rebuild')")


def _fts_sql(cols: tuple[str, ...]) -> str:
    """The FTS table over `stories` and the triggers that keep it current."""
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    # FTS the sqlite-utils way (content=[stories], Datasette's search box finds it), stemmed;
    # triggers named as sqlite-utils names them, but the update one fires only when indexed
    # text changes: marking 100k stories read then costs no re-indexing.
    return f"""
        CREATE VIRTUAL TABLE [stories_fts] USING FTS5 (
          {names}, tokenize='porter unicode61 remove_diacritics 2', content=[stories]
        );
        CREATE TRIGGER [stories_ai] AFTER INSERT ON [stories] BEGIN
          INSERT INTO stories_fts (rowid, {names}) VALUES (new.rowid, {new});
        END;
        CREATE TRIGGER [stories_ad] AFTER DELETE ON [stories] BEGIN
          INSERT INTO stories_fts (stories_fts, rowid, {names}) VALUES ('delete', old.rowid, {old});
        END;
        CREATE TRIGGER [stories_au] AFTER UPDATE OF title, summary, content ON [stories] BEGIN
          INSERT INTO stories_fts (stories_fts, rowid, {names}) VALUES ('delete', old.rowid, {old});
          INSERT INTO stories_fts (rowid, {names}) VALUES (new.rowid, {new});
        END;
        """


def _run(db: Database, script: str) -> None:
    """Run each statement of `script` inside the caller's transaction (executescript would
    commit first); `complete_statement` keeps trigger bodies whole."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement.strip())
            statement = ""


CORE_SQL = """
        CREATE TABLE feeds (
          id INTEGER PRIMARY KEY,
          url TEXT NOT NULL UNIQUE,
          title TEXT,                      -- configured title
          feed_title TEXT,                 -- the document's own title
          site_url TEXT,
          tags TEXT NOT NULL DEFAULT '[]', -- JSON list from feeds.toml
          interval INTEGER,                -- seconds, per-feed override
          position INTEGER NOT NULL DEFAULT 0,
          active INTEGER NOT NULL DEFAULT 1,   -- listed in feeds.toml and not gone
          etag TEXT,
          last_modified TEXT,
          body_hash TEXT,
          last_status TEXT,
          http_status INTEGER,
          last_error TEXT,
          error_count INTEGER NOT NULL DEFAULT 0,
          last_polled_at TEXT,
          last_success_at TEXT,
          next_poll_at TEXT,
          created_at TEXT NOT NULL
        );
        CREATE TABLE stories (
          id INTEGER PRIMARY KEY,
          feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          guid TEXT,
          url TEXT,
          title TEXT NOT NULL DEFAULT '',
          author TEXT,
          summary TEXT NOT NULL DEFAULT '',
          content TEXT NOT NULL DEFAULT '',
          content_html TEXT NOT NULL DEFAULT '',
          published TEXT,
          updated TEXT,
          first_seen TEXT NOT NULL,
          sort_at TEXT NOT NULL,           -- the earlier of published and first_seen
          content_hash TEXT NOT NULL,
          read INTEGER NOT NULL DEFAULT 0,
          read_at TEXT,
          starred INTEGER NOT NULL DEFAULT 0,
          cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
          cluster_score REAL,
          cluster_terms TEXT,              -- why it joined its cluster (JSON list of terms)
          UNIQUE (feed_id, key)
        );
        CREATE INDEX stories_sort ON stories (sort_at DESC, id DESC);
        CREATE INDEX stories_feed_sort ON stories (feed_id, sort_at DESC, id DESC);
        CREATE INDEX stories_unread_sort ON stories (sort_at DESC, id DESC) WHERE read = 0;
        CREATE INDEX stories_starred_sort ON stories (sort_at DESC, id DESC) WHERE starred = 1;
        CREATE INDEX stories_cluster ON stories (cluster_id);
        CREATE TABLE story_tags (
          story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          source TEXT NOT NULL DEFAULT 'user',  -- user | feed | rule
          rule TEXT,                            -- the rule's query when source = 'rule'
          added_at TEXT NOT NULL,
          PRIMARY KEY (story_id, tag)
        );
        CREATE INDEX story_tags_tag ON story_tags (tag, story_id);
        CREATE TABLE tag_removals (            -- tags a user removed by hand: never re-added
          story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          removed_at TEXT NOT NULL,
          PRIMARY KEY (story_id, tag)
        );
        CREATE TABLE deleted_stories (         -- tombstones: a deleted story never returns
          feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          deleted_at TEXT NOT NULL,
          PRIMARY KEY (feed_id, key)
        );
        CREATE TABLE follows (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          query TEXT NOT NULL,
          origin TEXT NOT NULL DEFAULT 'user',  -- user | config
          created_at TEXT NOT NULL,
          last_opened_at TEXT
        );
        CREATE TABLE follow_stories (
          follow_id INTEGER NOT NULL REFERENCES follows(id) ON DELETE CASCADE,
          story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
          how TEXT NOT NULL CHECK (how IN ('match', 'pin', 'exclude')),
          added_at TEXT NOT NULL,
          PRIMARY KEY (follow_id, story_id)
        );
        CREATE INDEX follow_stories_story ON follow_stories (story_id);
        CREATE TABLE clusters (
          id INTEGER PRIMARY KEY,
          label TEXT,
          size INTEGER NOT NULL DEFAULT 0,
          first_seen TEXT NOT NULL,
          last_seen TEXT NOT NULL,
          state TEXT                       -- the clusterer's own JSON (e.g. its centroid)
        );
        CREATE INDEX clusters_last_seen ON clusters (last_seen);
        CREATE TABLE poll_runs (
          id INTEGER PRIMARY KEY,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          feeds INTEGER NOT NULL DEFAULT 0,
          ok INTEGER NOT NULL DEFAULT 0,
          not_modified INTEGER NOT NULL DEFAULT 0,
          errors INTEGER NOT NULL DEFAULT 0,
          new_stories INTEGER NOT NULL DEFAULT 0,
          updated_stories INTEGER NOT NULL DEFAULT 0
        );
        """
