"""Feed autodiscovery against a loopback server: feeds as is, pages with several alternates,
relative hrefs and `<base>`, pages with none, and `tracker feeds add` choosing among them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import select
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, simple_rss
from tracker.cli import run
from tracker.discover import DiscoveryError, discover, find_feed_links, looks_like_feed

PAGE = """<!doctype html>
<html><head><title>Desk</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Desk &amp; more (RSS)" href="feed.xml">
<link rel="alternate" type="application/atom+xml" title="Desk Atom" href="/atom.xml">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/1">
<link rel="alternate" type="application/feed+json" title="JSON" href="//{host}/feed.json">
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" hreflang="fr" href="/fr/">
</head><body><p>hello</p></body></html>
"""
NONE = "<!doctype html><html><head><title>No feeds</title></head><body>x</body></html>"
ONE = '<link rel="alternate" type="application/atom+xml" href="a">'
HTML = "text/html; charset=utf-8"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        host = f"{srv.host}:{srv.port}"
        srv.feed("/news/index.html", PAGE.replace("{host}", host).encode(), content_type=HTML)
        srv.feed("/news/feed.xml", simple_rss(2))
        srv.feed("/one.html", ONE.encode(), content_type=HTML)
        srv.feed("/none.html", NONE.encode(), content_type=HTML)
        srv.feed("/feed.json", b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
                 content_type="application/json")  # fmt: skip
        srv.feed("/image.png", b"\x89PNG\r\n", content_type="image/png")
        srv.redirect("/moved", "/news/index.html", 302)
        yield srv


def test_a_page_with_several_alternates_lists_them_resolved_in_order(server: FeedServer) -> None:
    found = asyncio.run(discover(server.url("/news/index.html")))
    assert not found.is_feed
    assert [(f.url, f.kind, f.title) for f in found.feeds] == [
        (server.url("/news/feed.xml"), "RSS", "Desk & more (RSS)"),
        (server.url("/atom.xml"), "Atom", "Desk Atom"),
        (server.url("/feed.json"), "JSON Feed", "JSON"),
    ]  # relative, root-relative and scheme-relative hrefs; REST JSON, dupes, javascript: gone


def test_relative_hrefs_resolve_against_the_final_url_after_a_redirect(
    server: FeedServer,
) -> None:
    found = asyncio.run(discover(server.url("/moved")))
    assert found.feeds[0].url == server.url("/news/feed.xml")


def test_a_feed_url_is_a_feed_and_a_page_without_alternates_has_none(server: FeedServer) -> None:
    assert asyncio.run(discover(server.url("/news/feed.xml"))).is_feed
    assert asyncio.run(discover(server.url("/feed.json"))).is_feed
    nothing = asyncio.run(discover(server.url("/none.html")))
    assert not nothing.is_feed and nothing.feeds == ()


def test_fetch_failures_and_non_pages_are_discovery_errors(server: FeedServer) -> None:
    with pytest.raises(DiscoveryError, match="HTTP 404"):
        asyncio.run(discover(server.url("/missing")))
    with pytest.raises(DiscoveryError, match="neither a feed nor a web page"):
        asyncio.run(discover(server.url("/image.png")))


def test_base_href_and_rel_tokens() -> None:
    html = (
        '<base href="https://cdn.example/site/">'
        '<LINK REL="Alternate Home" TYPE="Application/RSS+XML; charset=utf-8" HREF="rss">'
    )
    assert [f.url for f in find_feed_links(html, "https://example.org/a/b")] == [
        "https://cdn.example/site/rss"
    ]
    assert looks_like_feed("text/xml", b"<?xml version='1.0'?>\n<rss version='2.0'>")
    assert not looks_like_feed("text/html", b"<html><link type='application/rss+xml'>")


# --- `tracker feeds add` ------------------------------------------------------------------


def add(tmp_path: Path, *args: str) -> int:
    config = tmp_path / "feeds.toml"
    if not config.exists():
        config.write_text("# mine\n", encoding="utf-8")
    return run(["--db", str(tmp_path / "t.db"), "--config", str(config), "feeds", "add", *args])


def listed(tmp_path: Path) -> list[str]:
    data = tomllib.loads((tmp_path / "feeds.toml").read_text(encoding="utf-8"))
    return [f["url"] for f in data.get("feed", [])]


def test_feeds_add_keeps_a_feed_url_as_is(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(tmp_path, server.url("/news/feed.xml"), "--tag", "ai") == 0
    assert listed(tmp_path) == [server.url("/news/feed.xml")]


def test_feeds_add_a_page_with_one_feed_adds_that_feed(server: FeedServer, tmp_path: Path) -> None:
    assert add(tmp_path, server.url("/one.html")) == 0
    assert listed(tmp_path) == [server.url("/a")]


def test_feeds_add_with_several_needs_a_choice_or_first(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(tmp_path, server.url("/news/index.html")) == 2  # stdin is not a terminal
    err = capsys.readouterr().err
    assert "links to 3 feeds" in err and server.url("/atom.xml") in err and "--first" in err
    assert listed(tmp_path) == []
    assert add(tmp_path, server.url("/news/index.html"), "--first") == 0
    assert listed(tmp_path) == [server.url("/news/feed.xml")]


def test_feeds_add_a_page_without_feeds_fails_and_no_discover_skips_fetching(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(tmp_path, server.url("/none.html")) == 2
    assert "no feed found" in capsys.readouterr().err
    server.reset_counts()
    assert add(tmp_path, server.url("/none.html"), "--no-discover") == 0
    assert server.hits["/none.html"] == 0
    assert listed(tmp_path) == [server.url("/none.html")]
    assert (tmp_path / "feeds.toml").read_text(encoding="utf-8").startswith("# mine\n")


def test_feeds_add_asks_which_one_on_a_terminal(server: FeedServer, tmp_path: Path) -> None:
    """Run the real command on a pseudo-terminal and answer its question with `2`."""
    config = tmp_path / "feeds.toml"
    config.write_text("", encoding="utf-8")
    primary, secondary = pty.openpty()
    args = ["--db", str(tmp_path / "t.db"), "--config", str(config)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args, "feeds", "add", server.url("/news/index.html")],
        stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 30
    while b"Add which one" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1)
        if ready:
            seen += os.read(primary, 4096)
    assert b"links to 3 feeds" in seen and b"2. Atom" in seen
    os.write(primary, b"2\n")
    assert proc.wait(30) == 0
    with contextlib.suppress(OSError):
        os.close(primary)
    assert listed(tmp_path) == [server.url("/atom.xml")]
