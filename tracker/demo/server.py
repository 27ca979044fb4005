"""A tiny loopback HTTP server for the sample feeds: validators, 304s and gzip, like a real site.

async with SampleServer() as base_url:     # "http://127.0.0.1:PORT/"
    ...                                     # GET base_url + "meridian-wire.rss"
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType

from aiohttp import web

from tracker.demo import FEEDS_DIR

CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class _Document:
    body: bytes
    gzipped: bytes
    content_type: str
    etag: str
    last_modified: datetime

    @classmethod
    def load(cls, path: Path) -> _Document:
        body = path.read_bytes()
        mtime = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
        return cls(
            body=body,
            gzipped=gzip.compress(body, mtime=0),
            content_type=CONTENT_TYPES[path.suffix],
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            last_modified=mtime,
        )


class SampleServer:
    """Serves every feed file of `feeds_dir` at `/<file name>` on 127.0.0.1.

    Files are read once, at start. `requests` counts GETs per path (200 and 304 alike), so a
    caller can check that a second poll was answered with 304s.
    """

    def __init__(self, feeds_dir: Path = FEEDS_DIR, host: str = "127.0.0.1", port: int = 0) -> None:
        self.feeds_dir = feeds_dir
        self.host = host
        self.port = port
        self.requests: dict[str, int] = {}
        self.not_modified = 0
        self._documents: dict[str, _Document] = {}
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the sample server is not running")
        return f"http://{self.host}:{self.port}/"

    @property
    def files(self) -> list[str]:
        """The served file names, sorted."""
        return sorted(self._documents)

    async def start(self) -> str:
        """Bind to a free port (or the one given) and return the base URL."""
        for path in sorted(self.feeds_dir.iterdir()):
            if path.suffix in CONTENT_TYPES and path.is_file():
                self._documents[path.name] = _Document.load(path)
        app = web.Application()
        app.router.add_get("/{name}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> str:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.requests[name] = self.requests.get(name, 0) + 1
        document = self._documents.get(name)
        if document is None:
            raise web.HTTPNotFound(text="no such feed\n")
        headers = {
            "ETag": document.etag,
            "Last-Modified": format_datetime(document.last_modified, usegmt=True),
            "Cache-Control": "max-age=300",
            "Vary": "Accept-Encoding",
        }
        if _not_modified(request, document):
            self.not_modified += 1
            return web.Response(status=304, headers=headers)
        body = document.body
        if "gzip" in request.headers.get("Accept-Encoding", "").lower():
            body = document.gzipped
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = document.content_type
        return web.Response(body=body, headers=headers)


@contextmanager
def serve_in_background(feeds_dir: Path = FEEDS_DIR) -> Iterator[SampleServer]:
    """A running `SampleServer` on its own event loop in a daemon thread.

    For callers that block their own thread or run their own loops while the feeds must stay
    reachable: `tracker demo` polls with `asyncio.run` and then runs the app, whose "poll now"
    fetches from the same server.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="tracker-demo-server", daemon=True)
    thread.start()
    server = SampleServer(feeds_dir)
    try:
        asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=30)
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


def _not_modified(request: web.Request, document: _Document) -> bool:
    """RFC 9110: If-None-Match wins when present; else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return document.etag in tags or "*" in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return document.last_modified <= when
    return False
