"""A loopback aiohttp server for tests: any status/headers/body, validators and 304, redirects,
trickling bodies, gzip (bombs included); it counts requests per path and keeps their headers.

It runs on its own event loop in a background thread, so sync tests, CLI runs (which start
their own loop) and async tests can all use it::

    with FeedServer() as server:
        server.feed("/a.xml", rss_bytes, etag='"v1"')
        server.redirect("/old", "/a.xml", 301)
        url = server.url("/a.xml")
        ...
        assert server.hits["/a.xml"] == 1
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ssl
import threading
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/rss+xml; charset=utf-8"
    etag: str | None = None  # answer 304 when If-None-Match equals it
    last_modified: str | None = None  # answer 304 when If-Modified-Since equals it
    gzip: bool = False  # compress the body (Content-Encoding: gzip)
    raw_gzip: bytes | None = None  # send these bytes as a gzip body as they are (bombs)
    trickle: float | None = None  # seconds between single bytes of the body
    not_modified_headers: dict[str, str] = field(default_factory=dict)
    handler: Handler | None = None


class FeedServer:
    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.host = host
        self.tls = tls  # a server context: serve https
        self.port = 0
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: dict[str, list[Mapping[str, str]]] = defaultdict(list)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    # --- routes -------------------------------------------------------------------------------

    def url(self, path: str, host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def set(self, path: str, route: Route) -> Route:
        self.routes[path] = route
        return route

    def feed(self, path: str, body: bytes, **kwargs: object) -> Route:
        return self.set(path, Route(body=body, **kwargs))  # type: ignore[arg-type]

    def status(self, path: str, status: int, headers: dict[str, str] | None = None) -> Route:
        return self.set(path, Route(status=status, body=b"", headers=headers or {}))

    def redirect(self, path: str, location: str, status: int = 301) -> Route:
        return self.set(path, Route(status=status, headers={"Location": location}))

    def reset_counts(self) -> None:
        self.hits.clear()
        self.requests.clear()

    # --- serving ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs if request.path_qs in self.routes else request.path
        self.hits[path] += 1
        self.requests[path].append(dict(request.headers))
        route = self.routes.get(path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.handler is not None:
            return await route.handler(request)
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        inm, ims = request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
        if route.status == 200 and (
            (route.etag and inm == route.etag)
            or (route.last_modified and ims == route.last_modified)
        ):
            return web.Response(status=304, headers={**validators, **route.not_modified_headers})
        headers = {**validators, **route.headers}
        if route.content_type:
            headers["Content-Type"] = route.content_type
        body = route.body
        if route.raw_gzip is not None or route.gzip:
            body = route.raw_gzip if route.raw_gzip is not None else gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.trickle is None:
            return web.Response(status=route.status, body=body, headers=headers)
        response = web.StreamResponse(status=route.status, headers=headers)
        response.content_length = len(body)
        await response.prepare(request)
        for i in range(len(body)):
            await response.write(body[i : i + 1])
            await asyncio.sleep(route.trickle)
        await response.write_eof()
        return response

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0, ssl_context=self.tls)
        await site.start()
        server = site._server
        assert server is not None and isinstance(server, asyncio.base_events.Server)
        self.port = int(server.sockets[0].getsockname()[1])

    def start(self) -> FeedServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def close(self) -> None:
        if self._runner is not None:
            future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            with contextlib.suppress(Exception):  # a trickling body cut off is fine here
                future.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# --- feed documents -------------------------------------------------------------------------


def rss(entries: list[dict[str, str]], title: str = "Test feed", extra: str = "") -> bytes:
    """A small RSS 2.0 document; each entry dict may hold guid, link, title, description, date."""
    items = []
    for e in entries:
        parts = [f"<{k}>{e[k]}</{k}>" for k in ("title", "link", "description") if k in e]
        if "guid" in e:
            parts.append(f'<guid isPermaLink="false">{e["guid"]}</guid>')
        if "date" in e:
            parts.append(f"<pubDate>{e['date']}</pubDate>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>{extra}"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def simple_rss(n: int, prefix: str = "s", title: str = "Test feed") -> bytes:
    return rss(
        [
            {"guid": f"{prefix}-{i}", "title": f"Story {prefix} {i}", "link": f"http://example.org/{prefix}/{i}",
             "description": f"Body of story {i}", "date": "Mon, 27 Jan 2025 10:00:00 GMT"}
            for i in range(n)
        ],
        title=title,
    )  # fmt: skip
