"""Feed autodiscovery: is a URL a feed, or a web page whose `<link rel="alternate">` names some?"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tracker.poll.fetch import Fetcher, FetchRequest

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/rdf+xml": "RDF",
    "application/feed+json": "JSON Feed",
}
PAGE_MAX_BYTES = 8 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]")
_FEED_CONTENT_TYPES = ("xml", "rss", "atom", "feed+json")


class DiscoveryError(Exception):
    """The page could not be fetched, or is neither a feed nor HTML."""


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """One feed a page points to: absolute URL, its kind (RSS, Atom, …) and its title."""

    url: str
    kind: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a URL turned out to be: a feed itself (`is_feed`), or a page listing `feeds`."""

    url: str
    is_feed: bool
    feeds: tuple[FoundFeed, ...] = ()


class _LinkFinder(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = page_url
        self.found: dict[str, FoundFeed] = {}
        self._based = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and not self._based:
            self.base = urljoin(self.base, values["href"].strip())
            self._based = True
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        kind = FEED_TYPES.get(values.get("type", "").split(";")[0].strip().lower())
        href = values.get("href", "").strip()
        if "alternate" not in rels or kind is None or not href:
            return
        url = urljoin(self.base, href)
        if urlsplit(url).scheme not in ("http", "https") or url in self.found:
            return
        title = " ".join(values.get("title", "").split()) or None
        self.found[url] = FoundFeed(url, kind, title)


def find_feed_links(html: str, page_url: str) -> list[FoundFeed]:
    """Feeds named by `<link rel="alternate" type=…>` in document order, hrefs made absolute
    (against `<base href>` when the page has one), duplicates and non-web schemes dropped."""
    finder = _LinkFinder(page_url)
    finder.feed(html)
    finder.close()
    return list(finder.found.values())


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """RSS, Atom, RDF or JSON Feed, by media type or by the document's first element."""
    media = content_type.split(";")[0].strip().lower()
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if "html" in media or head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return False
    if head.startswith(b"{"):
        try:
            data = json.loads(body)
        except ValueError:
            return False
        return isinstance(data, dict) and "jsonfeed.org" in str(data.get("version", ""))
    return bool(_XML_FEED.search(head)) or any(t in media for t in _FEED_CONTENT_TYPES)


async def discover(url: str, *, timeout: float = TIMEOUT_SECONDS) -> Discovery:
    """Fetch `url` with the poller's fetcher (redirects, deadline, size cap): a feed is reported
    as such; an HTML page yields the feeds it links to (possibly none). Anything else, or a
    failed fetch, is a `DiscoveryError`."""
    async with Fetcher(1) as fetcher:
        resp = await fetcher.fetch(FetchRequest(url, timeout=timeout, max_bytes=PAGE_MAX_BYTES))
    if resp.error or resp.status is None:
        raise DiscoveryError(f"{url}: {resp.error or 'no response'}")
    if resp.status >= 400:
        raise DiscoveryError(f"{url}: HTTP {resp.status}")
    final_url, body = resp.final_url, resp.body
    content_type = resp.headers.get("content-type", "")
    if looks_like_feed(content_type, body):
        return Discovery(url, True)
    media = content_type.split(";")[0].strip().lower()
    if media and "html" not in media and body.lstrip()[:1] != b"<":
        raise DiscoveryError(f"{url}: neither a feed nor a web page ({media})")
    charset = _CHARSET.search(content_type)
    try:
        html = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        html = body.decode("utf-8", errors="replace")
    return Discovery(url, False, tuple(find_feed_links(html, final_url)))
