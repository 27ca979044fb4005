"""The demo's loopback server: content types, validators, 304s, gzip, 404."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import aiohttp
import feedparser
import pytest

from tracker.demo import FEEDS_DIR
from tracker.demo.server import SampleServer

TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
}


async def test_serves_every_file_with_its_content_type_and_validators() -> None:
    server = SampleServer()
    async with server as base_url, aiohttp.ClientSession() as session:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/")
        assert server.port > 0
        names = server.files
        assert len(names) >= 10
        total = 0
        for name in names:
            async with session.get(base_url + name) as response:
                assert response.status == 200
                assert response.content_type == TYPES[Path(name).suffix]
                assert response.charset == "utf-8"
                assert response.headers["ETag"].startswith('"')
                assert response.headers["Last-Modified"].endswith("GMT")
                body = await response.read()
            assert body == (FEEDS_DIR / name).read_bytes()
            if name.endswith(".json"):
                total += len(json.loads(body)["items"])
            else:
                total += len(feedparser.parse(body).entries)
        assert total >= 150


async def test_conditional_requests_get_304_and_others_200() -> None:
    server = SampleServer()
    async with server as base_url, aiohttp.ClientSession() as session:
        url = base_url + "meridian-wire.rss"
        async with session.get(url) as first:
            etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        async with session.get(url, headers={"If-None-Match": etag}) as again:
            assert again.status == 304
            assert await again.read() == b""
            assert again.headers["ETag"] == etag
        async with session.get(url, headers={"If-Modified-Since": modified}) as again:
            assert again.status == 304
        stale = {"If-None-Match": '"something-else"', "If-Modified-Since": modified}
        async with session.get(url, headers=stale) as changed:
            assert changed.status == 200  # If-None-Match wins over If-Modified-Since
        old = "Mon, 01 Jan 2001 00:00:00 GMT"
        async with session.get(url, headers={"If-Modified-Since": old}) as changed:
            assert changed.status == 200
    assert server.requests["meridian-wire.rss"] == 5
    assert server.not_modified == 2


async def test_gzip_on_request_and_404_for_unknown_paths() -> None:
    async with SampleServer() as base_url, aiohttp.ClientSession(auto_decompress=False) as session:
        url = base_url + "circuitry.atom"
        async with session.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            raw = await response.read()
        assert gzip.decompress(raw) == (FEEDS_DIR / "circuitry.atom").read_bytes()
        assert len(raw) < len(gzip.decompress(raw)) / 2
        async with session.get(url, headers={"Accept-Encoding": "identity"}) as response:
            assert "Content-Encoding" not in response.headers
        async with session.get(base_url + "nope.rss") as response:
            assert response.status == 404
        async with session.get(base_url + "../demo.toml") as response:
            assert response.status == 404


async def test_a_server_can_serve_another_directory(tmp_path: Path) -> None:
    (tmp_path / "one.rss").write_text("<rss version='2.0'><channel/></rss>")
    (tmp_path / "notes.txt").write_text("not served")
    server = SampleServer(tmp_path)
    async with server as base_url, aiohttp.ClientSession() as session:
        assert server.files == ["one.rss"]
        async with session.get(base_url + "notes.txt") as response:
            assert response.status == 404
    with pytest.raises(RuntimeError):
        server.base_url  # noqa: B018 (stopped: no URL any more)
