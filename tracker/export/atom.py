"""A streamed Atom 1.0 feed of stories, so another reader can subscribe to an export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from tracker import __version__
from tracker.export.records import entry_id, esc, feed_id, story_record, web_link, xml_safe
from tracker.models import Story
from tracker.timeutil import iso

ATOM_NS = "http://www.w3.org/2005/Atom"


def _entry(story: Story) -> str:
    record = story_record(story)
    updated = story.published or story.first_seen
    lines = [
        "  <entry>",
        f"    <id>{entry_id(story)}</id>",
        f'    <title type="text">{esc(record["title"]) or "(untitled)"}</title>',
    ]
    if link := web_link(record["url"]):
        lines.append(f'    <link rel="alternate" type="text/html" href="{esc(link)}"/>')
    lines.append(f"    <updated>{iso(updated)}</updated>")
    if story.published:
        lines.append(f"    <published>{iso(story.published)}</published>")
    # atom:author is required (no feed-level author): the story's, else its source's name.
    author = record["author"] or record["feed_title"] or record["feed_url"]
    lines.append(f"    <author><name>{esc(author)}</name></author>")
    lines.extend(f'    <category term="{esc(tag)}"/>' for tag in record["tags"] if xml_safe(tag))
    if record["summary"]:
        lines.append(f'    <summary type="text">{esc(record["summary"])}</summary>')
    lines.append("    <source>")
    lines.append(f"      <id>{esc(record['feed_url'])}</id>")
    lines.append(f"      <title>{esc(record['feed_title'])}</title>")
    if feed_link := web_link(record["feed_url"]):
        lines.append(f'      <link rel="self" href="{esc(feed_link)}"/>')
    lines.append("    </source>")
    lines.append("  </entry>\n")
    return "\n".join(lines)


def write_atom(
    stories: Iterable[Story],
    out: TextIO,
    *,
    query: str,
    now: datetime,
    title: str = "tracker export",
    self_url: str | None = None,
) -> int:
    """Write the feed head (its `updated` is the export time: entries are not known yet),
    then one entry per story as it streams in."""
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(f'<feed xmlns="{ATOM_NS}">\n')
    out.write(f"  <id>{feed_id(query)}</id>\n")
    out.write(f'  <title type="text">{esc(title)}</title>\n')
    if query:
        out.write(f'  <subtitle type="text">{esc("query: " + query)}</subtitle>\n')
    out.write(f"  <updated>{iso(now)}</updated>\n")
    out.write(f'  <generator version="{__version__}">tracker</generator>\n')
    if self_link := web_link(self_url):
        out.write(f'  <link rel="self" type="application/atom+xml" href="{esc(self_link)}"/>\n')
    count = 0
    for story in stories:
        out.write(_entry(story))
        count += 1
    out.write("</feed>\n")
    return count
