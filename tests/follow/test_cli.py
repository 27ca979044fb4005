"""`tracker follow …` through `tracker.cli.run`: add gathers, show renders, pin/exclude, errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.follow.conftest import record
from tracker.cli import run
from tracker.models import Config, FeedConfig
from tracker.store import Store, write

CONFIG = """\
[[feed]]
url = "https://wire.example/feed"
title = "Wire"

[[feed]]
url = "https://blog.example/atom"
title = "Blog"

[[follow]]
name = "Chips"
query = 'nvidia'
"""


@pytest.fixture
def paths(tmp_path: Path, now: datetime) -> tuple[Path, Path]:
    """A feeds.toml and a database holding five stories over three days."""
    config = tmp_path / "feeds.toml"
    config.write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        feeds = (FeedConfig("https://wire.example/feed", "Wire"),)
        feeds += (FeedConfig("https://blog.example/atom", "Blog"),)
        store.feeds.sync(Config(str(config), feeds=feeds), now)
        wire, blog = (f.id for f in store.feeds.all())
        with write(store.db):
            store.stories.ingest(
                blog, [record("DeepSeek releases R1", now - timedelta(days=7))], now
            )
            store.stories.ingest(
                wire,
                [
                    record("DeepSeek R1 rattles Nvidia", now - timedelta(days=1)),
                    record("Why DeepSeek [matters]", now - timedelta(days=1, hours=2)),
                    record("Nvidia earnings", now - timedelta(days=5)),
                    record("Gardening tips", now),
                ],
                now,
            )
    return config, db


def cli(paths: tuple[Path, Path], *args: str) -> int:
    return run(["--db", str(paths[1]), "--config", str(paths[0]), *args])


def test_add_gathers_existing_and_list_shows_counts(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(paths, "follow", "add", "R1 launch", "deepseek") == 0
    assert "3 stored stories" in capsys.readouterr().out
    assert cli(paths, "follow", "list", "--json") == 0
    listed = {f["name"]: f for f in json.loads(capsys.readouterr().out)}
    assert listed["R1 launch"]["stories"] == 3 and listed["R1 launch"]["origin"] == "user"
    assert listed["Chips"]["stories"] == 2 and listed["Chips"]["origin"] == "config"
    assert cli(paths, "follow", "add", "R1 launch", "x") == 2
    assert "already exists" in capsys.readouterr().err


def test_query_starting_with_dash_works_as_written(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(paths, "follow", "add", "mine", "-junk", "deepseek") == 0
    assert "3 stored stories" in capsys.readouterr().out
    assert cli(paths, "follow", "add", "--", "other", "-junk", "nvidia") == 0
    assert "2 stored stories" in capsys.readouterr().out
    assert cli(paths, "follow", "list") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "follow",
        "stories",
        "new",
        "last",
        "14",
        "days",
        "query",
    ]
    assert "other" in out


def test_show_json_is_a_dossier(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli(paths, "follow", "add", "R1", "deepseek")
    capsys.readouterr()
    assert cli(paths, "follow", "show", "R1", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["story_count"], data["source_count"], data["new_count"]) == (3, 2, 3)
    assert data["first_report"]["title"] == "DeepSeek releases R1"
    assert data["first_report"]["feed_title"] == "Blog"
    assert [t["stories"] for t in data["timeline"]] == [1, 0, 0, 0, 0, 0, 2]
    assert data["timeline"][0]["day"] == "2025-01-20"
    assert [(s["feed_title"], s["stories"]) for s in data["sources"]] == [("Blog", 1), ("Wire", 2)]
    assert data["sources"][0]["first_coverage"] == "2025-01-20T12:00:00Z"
    assert [d["day"] for d in data["days"]] == ["2025-01-26", "2025-01-20"]
    titles = [r["title"] for r in data["days"][0]["rows"]]
    assert titles == ["DeepSeek R1 rattles Nvidia", "Why DeepSeek [matters]"]
    assert data["days"][0]["rows"][0]["url"].startswith("https://example.org/")
    # json does not count as a visit; text does
    cli(paths, "follow", "show", "R1", "--format", "json")
    assert json.loads(capsys.readouterr().out)["new_count"] == 3
    assert cli(paths, "follow", "show", "R1") == 0
    text = capsys.readouterr().out
    assert "3 stories · 2 sources · 3 new" in text and "stories per day" in text
    cli(paths, "follow", "show", "R1", "--format", "json")
    assert json.loads(capsys.readouterr().out)["new_count"] == 0


def test_show_markdown_has_timeline_sources_and_links(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli(paths, "follow", "add", "R1", "deepseek")
    capsys.readouterr()
    assert cli(paths, "follow", "show", "R1", "--format", "md") == 0
    md = capsys.readouterr().out
    assert md.startswith("# R1\n")
    assert "| 2025-01-20 | 1 |" in md and "| 2025-01-23 | 0 |" in md
    assert "| Blog | 2025-01-20T12:00:00Z | 1 |" in md
    assert "First reported by **Blog** at 2025-01-20T12:00:00Z" in md
    assert "- [Why DeepSeek \\[matters\\]](<https://example.org/" in md
    assert md.index("### 2025-01-26") < md.index("### 2025-01-20")


def test_pin_exclude_and_remove(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli(paths, "follow", "add", "R1", "deepseek")
    with Store.open(paths[1]) as store:
        ids = {s.title: s.id for s in store.stories.many(list(range(1, 10)))}
    assert cli(paths, "follow", "pin", "R1", str(ids["Gardening tips"])) == 0
    assert cli(paths, "follow", "exclude", "R1", str(ids["DeepSeek releases R1"])) == 0
    assert cli(paths, "follow", "pin", "R1", "9999") == 2
    assert cli(paths, "follow", "pin", "nope", "1") == 2
    capsys.readouterr()
    cli(paths, "follow", "show", "R1", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    rows = [r for d in data["days"] for r in d["rows"]]
    assert sorted(r["title"] for r in rows) == [
        "DeepSeek R1 rattles Nvidia",
        "Gardening tips",
        "Why DeepSeek [matters]",
    ]
    assert [r["pinned"] for r in rows if r["title"] == "Gardening tips"] == [True]
    assert cli(paths, "follow", "release", "R1", str(ids["Gardening tips"])) == 0
    assert cli(paths, "follow", "release", "R1", str(ids["Gardening tips"])) == 2
    assert "not pinned or excluded" in capsys.readouterr().err
    cli(paths, "follow", "show", "R1", "--format", "json")
    assert json.loads(capsys.readouterr().out)["story_count"] == 2
    assert cli(paths, "follow", "remove", "Chips") == 2  # lives in feeds.toml
    assert cli(paths, "follow", "remove", "R1") == 0
    assert cli(paths, "follow", "show", "R1") == 2
    assert "no follow named 'R1'" in capsys.readouterr().err


def test_bad_query_is_a_usage_error_naming_the_column(
    paths: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(paths, "follow", "add", "R1", "deepseek (r1") == 2
    err = capsys.readouterr().err
    assert "bad query: column" in err and "Traceback" not in err
    assert cli(paths, "follow", "list") == 0
    assert "R1 " not in capsys.readouterr().out
