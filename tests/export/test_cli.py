"""`tracker export` end to end on a real database: default query, formats, -o written atomically,
query words that start with `-`, bad queries."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.export.conftest import HOSTILE, WIRE, record
from tracker.cli import run
from tracker.export import FIELDS, ExportError, atomic_text
from tracker.models import Config, FeedConfig
from tracker.store import Store


@pytest.fixture
def db(filled: Store, db_path: Path) -> Path:
    return db_path


def export(db: Path, *args: str) -> int:
    return run(["--db", str(db), "--config", str(db.parent / "feeds.toml"), "export", *args])


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_default_query_is_tagged_and_default_format_json(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(db) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == len(HOSTILE) + 1  # every wire story (feed tag) and one blog story
    assert all(r["tags"] for r in records)
    assert "Plain two" not in {r["title"] for r in records}


def test_query_words_and_dash_led_words(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(db, "+deepseek", "--format", "jsonl") == 0
    assert len(jsonl(capsys.readouterr().out)) == 2
    # `-deepseek` is a query word, and `-oil` is not `-o il`: neither opens a file
    assert export(db, "-deepseek", "-oil", "--format", "jsonl") == 0
    out = jsonl(capsys.readouterr().out)
    assert len(out) == len(HOSTILE) + 2 - 2
    assert not (Path.cwd() / "il").exists()
    assert export(db, "--format", "jsonl", "--", "-deepseek", "is:starred") == 0
    assert [r["starred"] for r in jsonl(capsys.readouterr().out)] == [True]


def test_sort_relevance_exports_by_rank_not_date(
    store: Store, db_path: Path, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    """The best match is the oldest story: date order would put it last."""
    store.feeds.sync(Config("feeds.toml", feeds=(FeedConfig(WIRE),)), now)
    feed = store.feeds.get(WIRE)
    assert feed is not None
    titles = {
        "a": "Distillation distillation distillation: the whole debate",
        "b": "Markets wobble; one analyst mentions distillation",
        "c": "Chip stocks and distillation, briefly",
    }
    for age, (key, title) in enumerate(titles.items()):
        store.stories.ingest(feed.id, [record(key, title, now - timedelta(days=3 - age))], now)
    assert export(db_path, "distillation", "sort:relevance", "--format", "jsonl") == 0
    ranked = [r["title"] for r in jsonl(capsys.readouterr().out)]
    assert ranked[0] == titles["a"] and sorted(ranked) == sorted(titles.values())
    assert export(db_path, "distillation", "--format", "jsonl") == 0  # default: newest first
    assert [r["title"] for r in jsonl(capsys.readouterr().out)][-1] == titles["a"]


def test_output_file_is_written_whole_and_reported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "digest.csv"
    target.write_text("old contents", encoding="utf-8")
    os.chmod(target, 0o640)
    assert export(db, "is:starred OR +deepseek", "-o", str(target)) == 0  # format from suffix
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"exported 3 stories to {target}" in captured.err
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == list(FIELDS) and len(rows) == 4
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # an existing file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_suffixes_choose_the_format(db: Path, tmp_path: Path) -> None:
    for name, first in (("a.atom", "<?xml"), ("a.md", "# "), ("a.jsonl", "{"), ("a.json", "[")):
        assert export(db, "-o", str(tmp_path / name)) == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(first), name


def test_a_bad_query_is_a_usage_error_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"
    assert export(db, "(deepseek", "-o", str(target)) == 2
    err = capsys.readouterr().err
    assert "bad query" in err and "column" in err
    assert not target.exists()
    assert export(db, "-o", str(tmp_path / "missing-dir" / "x.json")) == 2
    assert export(db, "-o", str(tmp_path)) == 2


def test_atomic_text_leaves_the_old_file_when_the_export_fails(tmp_path: Path) -> None:
    target = tmp_path / "keep.md"
    target.write_text("previous export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target) as out:
        out.write("half of a new export")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]
    with pytest.raises(ExportError, match="is a directory"), atomic_text(tmp_path):
        pass
