"""GUIDE rules 3, 4, 5 and 10: redirects, politeness, deadlines, caps, hostile bodies."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from tests.httpserver import FeedServer, Route, simple_rss
from tests.poll.conftest import Poller
from tracker.config import load_config
from tracker.poll.fetch import PROJECT_URL


def test_permanent_chain_moves_the_feed_and_old_stories_stay_old(
    server: FeedServer, poller: Poller
) -> None:
    server.redirect("/old.xml", "/mid.xml", 301)
    server.redirect("/mid.xml", server.url("/new.xml"), 308)
    server.feed("/new.xml", simple_rss(5))
    old, new = server.url("/old.xml"), server.url("/new.xml")
    assert poller.run(old).results[0].new == 5
    config = load_config(poller.db.parent / "feeds.toml")
    assert [f.url for f in config.feeds] == [new]  # feeds.toml follows the move
    with poller.store() as store:
        assert store.feeds.get(old) is None
        assert store.feeds.get(new) is not None
    server.feed("/new.xml", simple_rss(6))  # one more story at the new address
    result = poller.run(new).results[0]  # the next run syncs the rewritten feeds.toml
    assert (result.status, result.new) == ("ok", 1)
    assert server.hits["/old.xml"] == 1
    with poller.store() as store:
        assert [f.url for f in store.feeds.all()] == [new]
        assert store.stories.totals()[0] == 6


def test_temporary_hop_keeps_the_configured_url(server: FeedServer, poller: Poller) -> None:
    server.redirect("/a.xml", "/b.xml", 301)
    server.redirect("/b.xml", "/feed.xml", 302)
    server.feed("/feed.xml", simple_rss(2))
    url = server.url("/a.xml")
    assert poller.run(url).results[0].new == 2
    with poller.store() as store:
        assert store.feeds.get(url) is not None
        assert store.feeds.get(server.url("/feed.xml")) is None


def test_permanent_redirect_to_a_non_feed_keeps_the_url(server: FeedServer, poller: Poller) -> None:
    server.redirect("/a.xml", "/page.html", 301)
    server.set("/page.html", Route(body=b"<html><body>hi</body></html>", content_type="text/html"))
    url = server.url("/a.xml")
    result = poller.run(url).results[0]
    assert result.status == "error" and "HTML page" in (result.error or "")
    with poller.store() as store:
        assert store.feeds.get(url) is not None


def test_redirect_loop_is_detected(server: FeedServer, poller: Poller) -> None:
    server.redirect("/x", "/y", 302)
    server.redirect("/y", "/x", 302)
    result = poller.run(server.url("/x")).results[0]
    assert result.status == "error" and "redirect loop" in (result.error or "")
    assert server.hits["/x"] == 1 and server.hits["/y"] == 1


def test_five_hops_are_followed_six_are_not(server: FeedServer, poller: Poller) -> None:
    for i in range(6):
        server.redirect(f"/r{i}", f"/r{i + 1}", 302)
    server.feed("/r6", simple_rss(1))
    five, six = poller.run(server.url("/r1"), server.url("/r0")).results
    assert five.status == "ok"
    assert six.status == "error" and "too many redirects" in (six.error or "")


class _PublicNames(AbstractResolver):
    """aiohttp resolver: every name is served by the loopback test server."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            {"hostname": host, "host": "127.0.0.1", "port": port, "family": socket.AF_INET,
             "proto": 0, "flags": socket.AI_NUMERICHOST}
        ]  # fmt: skip

    async def close(self) -> None:
        return None


def test_public_feed_may_not_redirect_into_loopback(server: FeedServer, poller: Poller) -> None:
    server.redirect("/pub.xml", server.url("/secret"), 302)
    server.redirect("/pub2.xml", f"http://localhost:{server.port}/secret", 301)
    server.feed("/secret", b"<rss version='2.0'><channel><title>internal</title></channel></rss>")
    server.feed("/fine.xml", simple_rss(1))
    urls = [server.url(p, host="feeds.example.com") for p in ("/pub.xml", "/pub2.xml", "/fine.xml")]
    results = poller.run(*urls, resolver=_PublicNames()).results
    assert [r.status for r in results] == ["error", "error", "ok"]
    assert all("private address" in (r.error or "") for r in results[:2])
    assert server.hits["/secret"] == 0


def test_polite_headers_and_no_cookies(server: FeedServer, poller: Poller) -> None:
    server.feed("/a.xml", simple_rss(1), headers={"Set-Cookie": "track=me; Path=/"})
    url = server.url("/a.xml")
    poller.run(url)
    server.routes["/a.xml"].body = simple_rss(2)
    poller.run(url)
    first, second = server.requests["/a.xml"]
    assert PROJECT_URL in first["User-Agent"] and first["User-Agent"].startswith("tracker/")
    assert "application/rss+xml" in first["Accept"] and "application/atom+xml" in first["Accept"]
    assert "gzip" in first["Accept-Encoding"]
    assert "Cookie" not in second


def test_one_request_at_a_time_per_host(server: FeedServer, poller: Poller) -> None:
    in_flight: dict[str, int] = {"now": 0, "max": 0}

    async def slow(request: web.Request) -> web.StreamResponse:
        in_flight["now"] += 1
        in_flight["max"] = max(in_flight["max"], in_flight["now"])
        await asyncio.sleep(0.15)
        in_flight["now"] -= 1
        return web.Response(body=simple_rss(1, prefix=request.path), content_type="text/xml")

    for i in range(4):
        server.set(f"/f{i}", Route(handler=slow))
    same_host = [server.url(f"/f{i}") for i in range(4)]
    poller.run(*same_host)
    assert in_flight["max"] == 1
    in_flight["max"] = 0
    two_hosts = [server.url("/f0"), server.url("/f1", host="localhost")]
    poller.run(*two_hosts)
    assert in_flight["max"] == 2  # other hosts are not held back


def test_trickling_body_is_cut_at_the_deadline(server: FeedServer, poller: Poller) -> None:
    server.feed("/slow.xml", simple_rss(3), trickle=0.05)  # ~20 bytes a second
    poller.settings = poller.settings.__class__(timeout=1.0, max_bytes=1 << 20)
    started = time.monotonic()
    result = poller.run(server.url("/slow.xml")).results[0]
    assert time.monotonic() - started < 4
    assert result.status == "error" and "timed out after 1s" in (result.error or "")


def test_refused_connection_is_named_plainly(server: FeedServer, poller: Poller) -> None:
    with socket.socket() as sock:  # a port that was just free: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server.feed("/ok.xml", simple_rss(1))
    refused, ok = poller.run(f"http://127.0.0.1:{port}/feed.xml", server.url("/ok.xml")).results
    assert refused.status == "error"
    assert refused.error == f"cannot connect to 127.0.0.1:{port}: Connection refused"
    assert ok.status == "ok" and ok.new == 1


def test_gzip_bomb_stops_at_the_cap(server: FeedServer, poller: Poller) -> None:
    bomb = gzip.compress(b"<rss>" + b" " * (200 << 20), compresslevel=9)  # 200 MiB inflated
    assert len(bomb) < 400_000
    server.set("/bomb.xml", Route(raw_gzip=bomb))
    server.feed("/ok.xml", simple_rss(2), gzip=True)
    bomb_result, ok = poller.run(server.url("/bomb.xml"), server.url("/ok.xml")).results
    assert bomb_result.status == "error" and "cap" in (bomb_result.error or "")
    assert ok.status == "ok" and ok.new == 2  # ordinary gzip still works


def test_oversized_plain_body_stops_at_the_cap(server: FeedServer, poller: Poller) -> None:
    server.feed("/big.xml", simple_rss(1) + b" " * (2 << 20))
    result = poller.run(server.url("/big.xml")).results[0]
    assert result.status == "error" and "cap" in (result.error or "")


def test_empty_body_html_page_and_wrong_types(server: FeedServer, poller: Poller) -> None:
    server.feed("/empty.xml", b"")
    server.set("/page", Route(body=b"<!DOCTYPE html><html><p>Hello</p></html>", content_type=None))
    server.feed("/typed.txt", simple_rss(2), content_type="text/plain")  # a feed all the same
    server.feed("/junk.bin", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), content_type="image/png")
    results = poller.run(
        *(server.url(p) for p in ("/empty.xml", "/page", "/typed.txt", "/junk.bin"))
    )
    empty, page, typed, junk = results.results
    assert (empty.status, empty.error) == ("error", "empty body")
    assert (page.status, page.error) == ("error", "an HTML page, not a feed")
    assert (typed.status, typed.new) == ("ok", 2)
    assert junk.status == "error" and (junk.error or "").startswith("not a feed")
