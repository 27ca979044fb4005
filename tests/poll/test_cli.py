"""`tracker poll` end to end: sync, JSON summary, exit codes, the lock, `feeds list --errors`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, simple_rss
from tracker.cli import run
from tracker.poll.lock import PollLock


def _config(tmp_path: Path, *urls: str, extra: str = "") -> Path:
    path = tmp_path / "feeds.toml"
    feeds = "".join(f'\n[[feed]]\nurl = "{u}"\ntags = ["t"]\n' for u in urls)
    path.write_text(f'[settings]\ntimeout = "5s"\n{extra}{feeds}', encoding="utf-8")
    return path


def _tracker(tmp_path: Path, config: Path, *args: str) -> int:
    return run(["--db", str(tmp_path / "t.db"), "--config", str(config), *args])


def test_poll_json_summary_and_stored_errors(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.feed("/ok.xml", simple_rss(3))
    server.status("/missing.xml", 404)
    good, bad = server.url("/ok.xml"), server.url("/missing.xml")
    config = _config(tmp_path, good, bad)
    assert _tracker(tmp_path, config, "poll", "--json") == 0  # a failing feed is not a failed run
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert set(summary) == {"feeds", "ok", "not_modified", "errors", "new_stories",
                            "updated_stories", "seconds", "results"}  # fmt: skip
    assert (summary["feeds"], summary["ok"], summary["errors"], summary["new_stories"]) == (
        2, 1, 1, 3,
    )  # fmt: skip
    assert summary["results"] == [
        {"url": good, "status": "ok", "http_status": 200, "new": 3, "updated": 0, "error": None},
        {"url": bad, "status": "error", "http_status": 404, "new": 0, "updated": 0,
         "error": "HTTP 404 Not Found"},
    ]  # fmt: skip
    assert f"error: {bad}: HTTP 404 Not Found" in captured.err

    assert _tracker(tmp_path, config, "feeds", "list", "--errors") == 0
    listing = capsys.readouterr().out
    assert bad in listing and good not in listing
    assert "error: HTTP 404 Not Found (failures in a row: 1, next try" in listing

    # Not due yet: a plain run polls nothing; --feed polls just that one.
    assert _tracker(tmp_path, config, "poll") == 0
    assert capsys.readouterr().out.startswith("polled 0 feeds")
    assert _tracker(tmp_path, config, "poll", "--feed", good, "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert [(r["url"], r["status"]) for r in again["results"]] == [(good, "not_modified")]


def test_quiet_prints_nothing_but_errors(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.feed("/ok.xml", simple_rss(1))
    config = _config(tmp_path, server.url("/ok.xml"))
    assert _tracker(tmp_path, config, "poll", "--quiet") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_feed_read_despite_broken_xml_is_stored_and_warned_about(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = simple_rss(2).replace(b"</channel></rss>", b"<item><title>cut off")  # no end tags
    server.feed("/broken.xml", broken)
    url = server.url("/broken.xml")
    config = _config(tmp_path, url)
    assert _tracker(tmp_path, config, "poll") == 0
    captured = capsys.readouterr()
    assert "2 new stories" in captured.out or "3 new stories" in captured.out
    assert f"warning: {url}: ill-formed feed" in captured.err
    server.feed("/broken.xml", broken + b"<item><title>again")  # parsed again, still broken
    assert _tracker(tmp_path, config, "poll", "--all", "--quiet") == 0  # cron: errors only
    assert capsys.readouterr().err == ""
    server.feed("/broken.xml", broken + b"<item><title>and again")
    assert _tracker(tmp_path, config, "poll", "--all", "--json") == 0  # stdout stays JSON
    captured = capsys.readouterr()
    assert json.loads(captured.out)["ok"] == 1 and "ill-formed feed" in captured.err


def test_second_poll_while_locked_exits_0_with_a_note(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.feed("/ok.xml", simple_rss(1))
    config = _config(tmp_path, server.url("/ok.xml"))
    with PollLock(tmp_path / "t.db"):
        assert _tracker(tmp_path, config, "poll", "--all") == 0
        assert "another poll is running" in capsys.readouterr().err
    assert server.hits["/ok.xml"] == 0
    assert _tracker(tmp_path, config, "poll", "--all") == 0  # the lock is free again
    assert server.hits["/ok.xml"] == 1


def test_bad_config_and_bad_usage_exit_2(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, server.url("/a.xml"), extra="concurrency = 0\n")
    assert _tracker(tmp_path, config, "poll") == 2
    assert "feeds.toml:3: settings.concurrency" in capsys.readouterr().err
    config = _config(tmp_path, server.url("/a.xml"))
    assert _tracker(tmp_path, config, "poll", "--feed", "http://elsewhere.example/x") == 2
    assert "not in" in capsys.readouterr().err
    assert _tracker(tmp_path, config, "poll", "--concurrency", "0") == 2
    assert server.hits["/a.xml"] == 0
