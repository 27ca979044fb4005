"""Writing the sample feed files (RSS 2.0, Atom 1.0, JSON Feed 1.1) from the story sources.

The stories live as TOML in `tracker/demo/source/`, one file per fictional outlet; this module
turns each into a feed document in `tracker/demo/feeds/`. Both are committed; rerun with
`python -m tracker.demo.build_samples` after editing a source.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

SOURCE_DIR = Path(__file__).parent / "source"
FEEDS_DIR = Path(__file__).parent / "feeds"
SUFFIXES = {"rss": ".rss", "atom": ".atom", "json": ".json"}

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


@dataclass(frozen=True, slots=True)
class Item:
    """One story as written in a source file: `body` in the tiny markup of `body_to_html`, or
    `html` taken verbatim (the deliberately hostile item)."""

    id: str
    title: str
    link: str
    author: str
    date: datetime
    tags: tuple[str, ...]
    html: str

    @property
    def summary(self) -> str:
        """Plain text of the first paragraph (RSS `description`, Atom `summary`)."""
        first = self.html.split("</p>", 1)[0]
        return html.unescape(re.sub(r"<[^>]*>", "", first)).strip()


@dataclass(frozen=True, slots=True)
class Outlet:
    """One fictional outlet and its stories."""

    slug: str
    format: str
    title: str
    site: str
    description: str
    items: tuple[Item, ...]

    @property
    def filename(self) -> str:
        return self.slug + SUFFIXES[self.format]


def body_to_html(body: str, link: str, outlet: str) -> str:
    """A tiny markup: blank-line paragraphs, `- ` lists, `[text](url)` links, `**bold**`."""
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{_inline(' '.join(lines))}</p>")
    if "<a " not in "".join(blocks):
        blocks.append(
            f'<p><a href="{html.escape(link)}">Read more at {html.escape(outlet)}</a></p>'
        )
    return "\n".join(blocks)


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', text)
    return _BOLD.sub(r"<strong>\1</strong>", text)


def load_outlet(path: Path) -> Outlet:
    """Read one source file."""
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    meta = data["feed"]
    site = str(meta["site"])
    items = []
    for raw in data["item"]:
        date = raw["date"]
        if not isinstance(date, datetime) or date.tzinfo is None:
            raise ValueError(f"{path.name}: item {raw['id']}: date needs a time and a zone")
        link = str(raw.get("link") or f"{site}{date:%Y/%m/%d}/{raw['id']}")
        items.append(
            Item(
                id=str(raw["id"]),
                title=str(raw["title"]),
                link=link,
                author=str(raw["author"]),
                date=date.astimezone(UTC),
                tags=tuple(raw["tags"]),
                html=str(raw["html"])
                if "html" in raw
                else body_to_html(raw["body"], link, meta["title"]),
            )
        )
    items.sort(key=lambda item: item.date, reverse=True)
    return Outlet(
        slug=str(meta["slug"]),
        format=str(meta["format"]),
        title=str(meta["title"]),
        site=site,
        description=str(meta["description"]),
        items=tuple(items),
    )


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def render_rss(outlet: Outlet) -> str:
    """RSS 2.0 with `dc:creator` authors and `content:encoded` HTML."""
    ET.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
    ET.register_namespace("content", "http://purl.org/rss/1.0/modules/content/")
    dc, content = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/rss/1.0/modules/content/}"
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", outlet.title)
    _sub(channel, "link", outlet.site)
    _sub(channel, "description", outlet.description)
    _sub(channel, "language", "en")
    _sub(channel, "ttl", "60")
    _sub(channel, "lastBuildDate", format_datetime(outlet.items[0].date, usegmt=True))
    for item in outlet.items:
        node = _sub(channel, "item")
        _sub(node, "title", item.title)
        _sub(node, "link", item.link)
        _sub(node, "guid", f"{outlet.site}#{item.id}", isPermaLink="false")
        _sub(node, dc + "creator", item.author)
        _sub(node, "pubDate", format_datetime(item.date, usegmt=True))
        for tag in item.tags:
            _sub(node, "category", tag)
        _sub(node, "description", item.summary)
        _sub(node, content + "encoded", item.html)
    return _serialize(rss)


def render_atom(outlet: Outlet) -> str:
    """Atom 1.0 with HTML content."""
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    ns = "{http://www.w3.org/2005/Atom}"
    host = outlet.site.split("/")[2]
    feed = ET.Element(ns + "feed")
    _sub(feed, ns + "title", outlet.title)
    _sub(feed, ns + "subtitle", outlet.description)
    _sub(feed, ns + "id", f"tag:{host},2024:feed")
    _sub(feed, ns + "link", href=outlet.site, rel="alternate", type="text/html")
    _sub(feed, ns + "updated", _rfc3339(outlet.items[0].date))
    for item in outlet.items:
        entry = _sub(feed, ns + "entry")
        _sub(entry, ns + "title", item.title, type="text")
        _sub(entry, ns + "id", f"tag:{host},{item.date:%Y-%m-%d}:{item.id}")
        _sub(entry, ns + "link", href=item.link, rel="alternate", type="text/html")
        _sub(entry, ns + "published", _rfc3339(item.date))
        _sub(entry, ns + "updated", _rfc3339(item.date))
        author = _sub(entry, ns + "author")
        _sub(author, ns + "name", item.author)
        for tag in item.tags:
            _sub(entry, ns + "category", term=tag)
        _sub(entry, ns + "summary", item.summary, type="text")
        _sub(entry, ns + "content", item.html, type="html")
    return _serialize(feed)


def render_json(outlet: Outlet) -> str:
    """JSON Feed 1.1."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.title,
        "home_page_url": outlet.site,
        "feed_url": f"{outlet.site}feed.json",
        "description": outlet.description,
        "language": "en",
        "items": [
            {
                "id": f"{outlet.site}#{item.id}",
                "url": item.link,
                "title": item.title,
                "content_html": item.html,
                "summary": item.summary,
                "date_published": _rfc3339(item.date),
                "authors": [{"name": item.author}],
                "tags": list(item.tags),
            }
            for item in outlet.items
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _serialize(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


RENDERERS = {"rss": render_rss, "atom": render_atom, "json": render_json}


def build(source_dir: Path = SOURCE_DIR, out_dir: Path = FEEDS_DIR) -> dict[str, int]:
    """Write every feed; returns entries per file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for path in sorted(source_dir.glob("*.toml")):
        outlet = load_outlet(path)
        text = RENDERERS[outlet.format](outlet)
        (out_dir / outlet.filename).write_text(text, encoding="utf-8")
        counts[outlet.filename] = len(outlet.items)
    return counts


if __name__ == "__main__":
    written = build()
    for name, count in written.items():
        print(f"{name:28} {count:4d} stories")
    print(f"{'total':28} {sum(written.values()):4d} stories in {len(written)} feeds")
