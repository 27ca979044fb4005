"""`tracker demo --no-open`: offline (only loopback reachable), fresh demo DB, expected counts."""

from __future__ import annotations

import errno
import html
import json
import re
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tracker.cli import run
from tracker.config import load_config
from tracker.demo.build_samples import SOURCE_DIR, Item, load_outlet
from tracker.store import Store

FEED_TAGS = {  # tags from demo.toml: stories per tag, from the sample files' entry counts
    "wire": 20,
    "us": 38,
    "press": 33,
    "markets": 16,
    "china": 15,
    "newsletter": 43,
    "lab": 12,
    "forum": 18,
    "research": 14,
    "policy": 26,
    "chips": 15,
    "privacy": 12,
}


# The demo.toml rules, restated as regular expressions over the stories' text: an oracle for
# rules (FTS words and phrases) applied at ingest.
RULES = {
    "deepseek": r"\b(deepseek|r1)\b",
    "nvidia": r"\b(nvidia|h20|h100|blackwell)\b",
    "export-controls": r"\bexport controls?\b|\bentity list\b|\bdiffusion rule\b",
    "openai": r"\b(openai|chatgpt|altman)\b",
}


def _stories() -> list[Item]:
    return [item for path in SOURCE_DIR.glob("*.toml") for item in load_outlet(path).items]


def _text(item: Item) -> str:
    return item.title + " " + html.unescape(re.sub(r"<[^>]+>", " ", item.html))


def _matching(pattern: str) -> list[Item]:
    return [item for item in _stories() if re.search(pattern, _text(item), re.I)]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection to anything but loopback fails, as on a machine without network."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else ""
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(errno.ENETUNREACH, f"network unreachable (test): {host}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def _demo(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> dict[str, Any]:
    assert run(["--db", str(db), "demo", "--no-open", "--json", *extra]) == 0
    out = capsys.readouterr().out
    return dict(json.loads(out))


def test_demo_builds_the_expected_database_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: None
) -> None:
    db = tmp_path / "demo.db"
    counts = _demo(capsys, db)
    assert counts["db"] == str(db)
    assert counts["feeds"] == 11 and counts["failing"] == 0
    assert counts["stories"] == 168 and counts["unread"] == 168
    for tag, stories in FEED_TAGS.items():
        assert counts["tags"][tag] >= stories, tag  # rules may add the same tag to more stories
    assert counts["tags"]["wire"] == 20
    for tag, pattern in RULES.items():
        assert counts["tags"][tag] == len(_matching(pattern)), tag
    assert counts["tags"]["export-controls"] >= 15

    launch = [
        item
        for item in _matching(r"\bdeepseek\b")
        if re.search(r"\b(r1|reasoning)\b", _text(item), re.I)
        and datetime(2025, 1, 20, tzinfo=UTC) <= item.date < datetime(2025, 3, 1, tzinfo=UTC)
    ]
    assert counts["follows"] == {
        "DeepSeek R1 launch": len(launch),
        "Export controls": counts["tags"]["export-controls"],  # its query is +export-controls
    }
    assert len(launch) >= 25
    assert 30 <= counts["clusters"] <= 120  # coverage of one event by several outlets is grouped
    assert (tmp_path / "demo-feeds.toml").read_text().count("http://127.0.0.1:") == 11

    with Store.open(db) as store:
        stories, _unread = store.stories.totals()
        assert stories == 168
        titles = {feed.display_title for feed in store.feeds.all()}
        assert {"Meridian Wire", "Threadline", "Sinograph"} <= titles
        # Jan 27: five outlets' reports of the Nvidia selloff are one event, Janus-Pro another
        clusters = dict(store.db.conn.execute("SELECT title, cluster_id FROM stories"))
    selloff = {clusters[t] for t in clusters if t.startswith(("Nvidia loses nearly $600",
               "Nvidia sinks 17%", "Nvidia down more than 10% premarket"))}  # fmt: skip
    janus = {clusters[t] for t in clusters if t.startswith("Janus-Pro: DeepSeek")}
    assert len(selloff) == 1 and len(janus) == 1 and selloff != janus


def test_a_second_run_rebuilds_instead_of_duplicating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    first = _demo(capsys, db)
    second = _demo(capsys, db)
    assert first["stories"] == second["stories"] == 168
    assert second["feeds"] == 11


def test_the_demo_refuses_a_real_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "mine.db"
    config = tmp_path / "feeds.toml"
    config.write_text('[[feed]]\nurl = "https://example.org/ai.xml"\n')
    with Store.open(db) as store:
        store.feeds.sync(load_config(config))
    assert run(["--db", str(db), "demo", "--no-open"]) == 2
    assert "real feed" in capsys.readouterr().err
    with Store.open(db) as store:
        assert [feed.url for feed in store.feeds.all()] == ["https://example.org/ai.xml"]


def test_without_db_flag_the_demo_sits_beside_the_users_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user_db = tmp_path / "data" / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(user_db))
    assert run(["demo", "--no-open"]) == 0
    out = capsys.readouterr().out
    demo_db = tmp_path / "data" / "demo.db"
    assert f"demo database: {demo_db}" in out
    assert "168 stories" in out
    assert demo_db.exists() and not user_db.exists()


def test_a_user_database_named_demo_db_is_never_the_demo_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "demo.db"))
    assert run(["demo", "--no-open"]) == 0
    assert f"demo database: {tmp_path / 'tracker-demo.db'}" in capsys.readouterr().out
    assert not (tmp_path / "demo.db").exists()


def test_db_option_after_demo_works_as_the_issue_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offline: None
) -> None:
    db = tmp_path / "elsewhere.db"
    assert run(["demo", "--no-open", "--db", str(db), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["db"] == str(db) and counts["stories"] == 168
    assert db.is_file()
