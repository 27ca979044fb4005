"""OPML 2.0 feed lists: a safe reader (no DTDs, no entities) and a streaming writer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TextIO
from xml.parsers import expat

from tracker.config import TAG_NAME, check_url
from tracker.config_edit import add_feeds
from tracker.export.records import esc
from tracker.models import Feed
from tracker.textclean import clean_line

MAX_BYTES = 16 * 1024 * 1024  # an OPML file of 100k feeds is ~15 MB
MAX_DEPTH = 64
_NOT_TAG = re.compile(r"[^\w.\-]+")


class OpmlError(Exception):
    """A file that is not OPML we can read, with the line where it went wrong."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed outline: its URL, a title when given, tags from folders and `category`."""

    url: str
    title: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    feeds: tuple[OpmlFeed, ...]
    invalid: tuple[str, ...]  # xmlUrl values that are not http(s) URLs


def tag_name(label: str) -> str | None:
    """A folder or category label as a tag (`AI News` -> `AI-News`); None when nothing is left."""
    tag = _NOT_TAG.sub("-", clean_line(label)).strip("-.")
    return tag if tag and TAG_NAME.match(tag) else None


def category_tags(value: str) -> list[str]:
    """OPML `category`: comma-separated, each maybe a slash path (`/Tech/AI` -> Tech, AI)."""
    out: list[str] = []
    for item in value.split(","):
        out.extend(t for part in item.split("/") if (t := tag_name(part)))
    return out


class _Reader:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.ExternalEntityRefHandler = self._refuse_external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.stack: list[tuple[str, list[str]]] = []  # (element, tags it adds to children)
        self.feeds: list[OpmlFeed] = []
        self.invalid: list[str] = []
        self.root: str | None = None

    def _fail(self, message: str) -> OpmlError:
        return OpmlError(f"line {self.parser.CurrentLineNumber}: {message}")

    def _refuse_doctype(self, *_: object) -> None:
        raise self._fail("a DOCTYPE is not allowed in OPML (refused for safety)")

    def _refuse_entity(self, *_: object) -> None:
        raise self._fail("entity declarations are not allowed (refused for safety)")

    def _refuse_external(self, *_: object) -> int:
        raise self._fail("external entities are not allowed")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
            if name != "opml":
                raise self._fail(f"expected an <opml> document, found <{name}>")
        if len(self.stack) >= MAX_DEPTH:
            raise self._fail(f"outlines nested deeper than {MAX_DEPTH}")
        inherited = self.stack[-1][1] if self.stack else []
        adds = list(inherited)
        if name == "outline":
            label = attrs.get("title") or attrs.get("text") or ""
            own = category_tags(attrs.get("category", ""))
            url = (attrs.get("xmlUrl") or attrs.get("xmlurl") or "").strip()
            if url:
                self._feed(url, label, [*inherited, *own])
            elif label and (tag := tag_name(label)):
                adds.append(tag)  # a folder: its name tags every feed inside it
            adds.extend(own)
        self.stack.append((name, adds))

    def _feed(self, url: str, label: str, tags: list[str]) -> None:
        try:
            url = check_url(url)
        except ValueError:
            self.invalid.append(clean_line(url)[:200])
            return
        title = clean_line(label) or None
        if title == url:
            title = None
        self.feeds.append(OpmlFeed(url, title, tuple(dict.fromkeys(tags))))

    def _end(self, name: str) -> None:
        self.stack.pop()


def parse_opml(data: bytes) -> OpmlDocument:
    """Read an OPML document (any version): feeds in document order, folder names and
    `category` values as tags. DOCTYPEs and entity declarations are refused outright, so
    entity expansion ("billion laughs") and external entities cannot happen."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"file larger than {MAX_BYTES // 2**20} MiB")
    reader = _Reader()
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as exc:
        reason = expat.errors.messages[exc.code]
        raise OpmlError(f"line {exc.lineno}: not well-formed XML ({reason})") from None
    if reader.root != "opml":
        raise OpmlError("not an OPML document")
    return OpmlDocument(tuple(reader.feeds), tuple(reader.invalid))


def read_opml(path: Path) -> OpmlDocument:
    """`parse_opml` on a file, refusing oversized ones before reading them."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise OpmlError(f"file larger than {MAX_BYTES // 2**20} MiB")
        return parse_opml(path.read_bytes())
    except OSError as exc:
        raise OpmlError(f"cannot read {path}: {exc.strerror}") from None


def _outline(feed: OpmlFeed, indent: str, site_url: str | None) -> str:
    text = esc(feed.title or feed.url)
    attrs = f'type="rss" text="{text}" title="{text}" xmlUrl="{esc(feed.url)}"'
    if site_url:
        attrs += f' htmlUrl="{esc(site_url)}"'
    if feed.tags:
        attrs += f' category="{esc(",".join(feed.tags))}"'
    return f"{indent}<outline {attrs}/>\n"


def write_opml(
    feeds: Iterable[tuple[OpmlFeed, str | None]],
    out: TextIO,
    *,
    now: datetime,
    title: str = "tracker feeds",
) -> int:
    """OPML 2.0: feeds without tags at the top, the others inside a folder named after their
    first tag (what most readers import), every tag also in `category` (what OPML 2.0 defines).
    Takes (feed, site URL) pairs; folders hold feeds in first-seen order."""
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n')
    out.write(f"    <title>{esc(title)}</title>\n")
    out.write(f"    <dateCreated>{format_datetime(now, usegmt=True)}</dateCreated>\n")
    out.write("  </head>\n  <body>\n")
    folders: dict[str, list[tuple[OpmlFeed, str | None]]] = {}
    count = 0
    for feed, site in feeds:
        count += 1
        if feed.tags:
            folders.setdefault(feed.tags[0], []).append((feed, site))
        else:
            out.write(_outline(feed, "    ", site))
    for folder, members in folders.items():
        out.write(f'    <outline text="{esc(folder)}" title="{esc(folder)}">\n')
        for feed, site in members:
            out.write(_outline(feed, "      ", site))
        out.write("    </outline>\n")
    out.write("  </body>\n</opml>\n")
    return count


def from_feeds(feeds: Iterable[Feed]) -> Iterator[tuple[OpmlFeed, str | None]]:
    """Stored feeds as (outline, site URL): the configured title, else the feed's own."""
    for feed in feeds:
        title = feed.title or feed.feed_title
        yield OpmlFeed(feed.url, clean_line(title) or None, feed.tags), feed.site_url


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: tuple[str, ...]
    duplicates: tuple[str, ...]  # already in feeds.toml, or listed twice in the file
    invalid: tuple[str, ...]  # not http(s) URLs


def import_into_config(config_path: Path, doc: OpmlDocument) -> ImportResult:
    """Append the document's feeds to feeds.toml (comments and order kept); duplicates skipped."""
    added, skipped = add_feeds(config_path, [(f.url, f.title, f.tags) for f in doc.feeds])
    return ImportResult(tuple(added), tuple(skipped), doc.invalid)
