"""Async HTTP for the poller: conditional GET, manual redirects, per-host limits, deadline, caps."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import os
import socket
import ssl
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

from tracker import __version__
from tracker.poll.tls import TlsContext, aiohttp

PROJECT_URL = "https://github.com/tracker-news/tracker"
USER_AGENT = f"tracker/{__version__} (+{PROJECT_URL})"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
MAX_HOPS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One feed to fetch, with the validators stored from its last 200/304."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    timeout: float = 30.0
    max_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """What came back: a final status with headers and decoded body, or a transport error."""

    url: str  # as requested
    final_url: str
    status: int | None  # None when no final response was read (see `error`)
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""
    permanent: bool = False  # every hop was 301/308 (and there was at least one)
    error: str | None = None


class FetchError(Exception):
    """A fetch that cannot give a usable response (caps, redirects, refused targets)."""


@functools.lru_cache(maxsize=1024)  # once per host of a run, not once per request
def _is_private_ip(text: str) -> bool:
    try:
        addr = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return not addr.is_global or addr.is_multicast


def is_private_host(host: str | None) -> bool:
    """True for loopback/private/link-local IP literals and `localhost` names."""
    if not host:
        return True
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    return _is_private_ip(name)


class Fetcher:
    """A shared aiohttp session: a global limit, one request at a time per host, no cookies,
    https verified against the system's CA certificates (`tracker.poll.tls`).

    Use as `async with Fetcher(concurrency=16) as f: resp = await f.fetch(FetchRequest(url))`.
    `resolver` is aiohttp's resolver hook (tests map names to loopback with it).
    """

    def __init__(
        self, concurrency: int = 16, *, resolver: aiohttp.abc.AbstractResolver | None = None
    ) -> None:
        self._concurrency = max(1, concurrency)
        self._resolver = resolver
        self._limit = asyncio.Semaphore(self._concurrency)
        self._hosts: dict[str, asyncio.Lock] = {}
        self._session: aiohttp.ClientSession | None = None
        self._tls = TlsContext()

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            limit=self._concurrency, resolver=self._resolver, ttl_dns_cache=300
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        )
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(self, req: FetchRequest) -> FetchResponse:
        """Fetch one feed; never raises for network trouble (the error is in the response)."""
        parts = urlsplit(req.url)  # once: the host, its privacy and the scheme come from it
        host = (parts.hostname or "").lower()
        lock = self._hosts.setdefault(host, asyncio.Lock())
        async with lock, self._limit:
            try:
                async with asyncio.timeout(req.timeout):
                    return await self._follow(req, parts.scheme, not is_private_host(host))
            except TimeoutError:
                return _failed(req, f"timed out after {req.timeout:g}s (whole-request deadline)")
            except FetchError as exc:
                return _failed(req, str(exc))
            except aiohttp.ClientError as exc:
                return _failed(req, _describe(exc))
            except (OSError, ValueError, UnicodeError) as exc:
                return _failed(req, f"{type(exc).__name__}: {exc}")

    async def _follow(self, req: FetchRequest, scheme: str, public: bool) -> FetchResponse:
        """Request `req.url` (whose `scheme` and publicness the caller found), then each
        redirect target in turn."""
        assert self._session is not None, "use Fetcher as an async context manager"
        url, seen, statuses = req.url, {req.url}, []
        while True:
            headers = {"Accept-Encoding": "gzip, deflate"}
            if req.etag:
                headers["If-None-Match"] = req.etag
            if req.last_modified:
                headers["If-Modified-Since"] = req.last_modified
            tls = await self._tls.get() if scheme == "https" else True
            async with self._session.get(
                url, headers=headers, allow_redirects=False, ssl=tls
            ) as resp:
                status = resp.status
                if status in REDIRECTS and "Location" in resp.headers:
                    statuses.append(status)
                    target = urljoin(url, resp.headers["Location"].strip())
                    scheme = urlsplit(target).scheme
                    if scheme not in ("http", "https"):
                        raise FetchError(f"redirect to a non-HTTP URL: {target[:200]}")
                    if target in seen:
                        raise FetchError(f"redirect loop at {target[:200]}")
                    if len(statuses) > MAX_HOPS:
                        raise FetchError(f"too many redirects (more than {MAX_HOPS})")
                    if public:
                        await self._refuse_private(target)
                    seen.add(target)
                    url = target
                    continue
                head = {k.lower(): v for k, v in resp.headers.items()}
                wanted = 200 <= status < 300  # error pages and 304s are not read
                body = await _read_body(resp, req.max_bytes) if wanted else b""
                return FetchResponse(
                    url=req.url,
                    final_url=url,
                    status=status,
                    headers=head,
                    body=body,
                    permanent=bool(statuses) and all(s in PERMANENT for s in statuses),
                )

    async def _refuse_private(self, target: str) -> None:
        """A public feed may not redirect into loopback or private addresses."""
        host = urlsplit(target).hostname
        if is_private_host(host):
            raise FetchError(f"refused redirect from a public feed to a private address: {host}")
        assert host is not None
        if self._resolver is not None:
            found = await self._resolver.resolve(host, 0, socket.AF_UNSPEC)
            addresses = [str(a["host"]) for a in found]
        else:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None)
            addresses = [str(i[4][0]) for i in infos]
        if any(_is_private_ip(a) for a in addresses):
            raise FetchError(f"refused redirect from a public feed to a private address: {host}")


async def _read_body(resp: aiohttp.ClientResponse, cap: int) -> bytes:
    """The decoded body, decompressing as it arrives and stopping at `cap` decoded bytes."""
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflate = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding[:40]!r}")
    length = resp.headers.get("Content-Length", "")
    if inflate is None and length.isdigit() and int(length) > cap:
        raise FetchError(f"body larger than the {cap:,}-byte cap")
    parts: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, cap - size + 1)
            except zlib.error as exc:
                raise FetchError(f"bad {encoding} body: {exc}") from None
        size += len(chunk)
        if size > cap:
            raise FetchError(f"body larger than the {cap:,}-byte cap (decoded)")
        parts.append(chunk)
    if inflate is not None:
        tail = inflate.flush(cap - size + 1)
        if size + len(tail) > cap:
            raise FetchError(f"body larger than the {cap:,}-byte cap (decoded)")
        parts.append(tail)
    return b"".join(parts)


def _failed(req: FetchRequest, message: str) -> FetchResponse:
    return FetchResponse(url=req.url, final_url=req.url, status=None, error=message)


def _describe(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port}: {_reason(exc.os_error)}"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return f"broken response body: {exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _reason(error: OSError) -> str:
    """`Connection refused` rather than asyncio's `Connect call failed ('1.2.3.4', 80)`: the
    system's words for a socket's error number. TLS errors (their numbers are OpenSSL's) and
    resolver errors (negative numbers) keep their own words."""
    if error.errno is not None and error.errno > 0 and not isinstance(error, ssl.SSLError):
        return os.strerror(error.errno)
    return error.strerror or str(error) or type(error).__name__
