"""`datasette tracker.db` works as is: sqlite-utils (what Datasette relies on) finds the primary
keys, foreign keys and the FTS table, and its search answers over stored stories."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from tracker.store import Store


def test_the_database_opens_the_sqlite_utils_way(filled: Store, db_path: Path) -> None:
    db = Database(db_path)
    stories = db["stories"]
    assert stories.detect_fts() == "stories_fts"  # Datasette's search box uses this table
    assert stories.pks == ["id"] and db["feeds"].pks == ["id"]
    assert db["story_tags"].pks == ["story_id", "tag"]
    references = {(fk.column, fk.other_table, fk.other_column) for fk in stories.foreign_keys}
    assert ("feed_id", "feeds", "id") in references
    tag_refs = {(fk.column, fk.other_table) for fk in db["story_tags"].foreign_keys}
    assert ("story_id", "stories") in tag_refs
    found = [row["title"] for row in stories.search("plain")]
    assert sorted(found) == ["Plain one", "Plain two"]
    db.close()
