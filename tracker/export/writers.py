"""Streaming record writers: JSON array, JSON Lines, CSV and a Markdown digest by day."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TextIO

from tracker.export.records import FIELDS, TAG_SEPARATOR, story_record, web_link
from tracker.models import Story
from tracker.textclean import clean_line
from tracker.timeutil import iso


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_json(stories: Iterable[Story], out: TextIO) -> int:
    """A JSON array written one record at a time (never built in memory)."""
    count = 0
    out.write("[")
    for story in stories:
        out.write(",\n" if count else "\n")
        out.write(_dumps(story_record(story)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(stories: Iterable[Story], out: TextIO) -> int:
    """One JSON object per line."""
    count = 0
    for story in stories:
        out.write(_dumps(story_record(story)))
        out.write("\n")
        count += 1
    return count


def csv_row(record: dict[str, Any]) -> list[str]:
    """A record as CSV cells: tags joined by `;`, booleans `true`/`false`, None empty."""
    cells: list[str] = []
    for name in FIELDS:
        value = record[name]
        if name == "tags":
            cells.append(TAG_SEPARATOR.join(value))
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        else:
            cells.append("" if value is None else str(value))
    return cells


def write_csv(stories: Iterable[Story], out: TextIO) -> int:
    """RFC 4180 CSV with a header row in the SPEC column order."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    count = 0
    for story in stories:
        writer.writerow(csv_row(story_record(story)))
        count += 1
    return count


# --- Markdown -------------------------------------------------------------------------------

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that can start markup inside a line (emphasis, links, code, HTML, entities, tables, strikes).
# `#` only matters at the start of a line (a heading), so `#tag` stays readable mid-line.
_MD_INLINE = re.compile(r"([\\`*_\[\]{}<>()!|~&$\"])")
_MD_LINE_START = re.compile(r"^(?:([-+=#])|(\d+)([.)]))")
_SUMMARY_CHARS = 280


def md_escape(text: str) -> str:
    """One line of plain text that CommonMark renders as exactly that text."""
    line = _MD_INLINE.sub(r"\\\1", clean_line(text))
    if not line or (line[0] not in "-+=#" and not line[0].isdigit()):
        return line
    # A line opening with `-`, `+`, `=`, `#` or `1.` would become a list or a heading.
    return _MD_LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", line
    )


def md_url(url: str | None) -> str | None:
    """A link destination safe inside `<…>` (no `<`, `>`, spaces or newlines left; a backslash
    is encoded too), or None for anything but http(s)."""
    return web_link(url)


def _md_item(story: Story) -> str:
    record = story_record(story)
    title = md_escape(record["title"]) or "(untitled)"
    link = md_url(record["url"])
    head = f"[{title}](<{link}>)" if link else title
    when = f"{story.sort_at.hour:02d}:{story.sort_at.minute:02d} UTC"
    parts = [f"- **{head}**", f"  {md_escape(record['feed_title'])} · {when}"]
    if record["author"]:
        parts[-1] += f" · {md_escape(record['author'])}"
    if record["tags"]:
        parts[-1] += " · " + md_escape(" ".join(f"#{t}" for t in record["tags"]))
    summary = " ".join(str(record["summary"]).split())
    if summary:
        if len(summary) > _SUMMARY_CHARS:
            summary = summary[: _SUMMARY_CHARS - 1].rstrip() + "…"
        parts.append(f"  {md_escape(summary)}")
    return "  \n".join(parts) + "\n"


def write_md(
    stories: Iterable[Story], out: TextIO, *, title: str = "tracker export", now: datetime
) -> int:
    """A digest: a heading per day (in the stories' order), one item per story, then the
    sources with how many stories each contributed (memory grows with feeds, not stories)."""
    out.write(f"# {md_escape(title)}\n\n_Exported {iso(now)}_\n")
    sources: dict[str, list[Any]] = {}
    day: date | None = None
    count = 0
    for story in stories:
        # Days follow `sort_at` (the earlier of published and first seen), as lists are sorted.
        if story.sort_at.date() != day:
            day = story.sort_at.date()
            out.write(f"\n## {day:%Y-%m-%d (%A)}\n\n")
        out.write(_md_item(story))
        source = sources.setdefault(story.feed_url, [story.feed_title, 0])
        source[1] += 1
        count += 1
    if not count:
        out.write("\nNo stories matched.\n")
        return 0
    out.write(f"\n## Sources\n\n{count} {'story' if count == 1 else 'stories'} from ")
    out.write(f"{len(sources)} {'source' if len(sources) == 1 else 'sources'}.\n\n")
    for url, (name, n) in sorted(sources.items(), key=lambda kv: (-kv[1][1], kv[0])):
        link = md_url(url)
        label = md_escape(name) or md_escape(url)
        out.write(f"- [{label}](<{link}>) — {n}\n" if link else f"- {label} — {n}\n")
    return count
