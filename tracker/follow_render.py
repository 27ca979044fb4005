"""A follow's dossier as text (terminal), Markdown and JSON: `tracker follow show NAME`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tracker.export.records import story_record
from tracker.export.writers import md_escape, md_url
from tracker.follow import Dossier, Row
from tracker.follow_chart import block_chart, fold
from tracker.textclean import clean_line
from tracker.timeutil import iso

WIDTH = 80


def when(value: datetime | None) -> str:
    """`Jan 20 10:02` (UTC), the short form lists use."""
    return "never" if value is None else f"{value:%b} {value.day} {value:%H:%M}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 story`, `3 stories`."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def stories(n: int) -> str:
    return plural(n, "story", "stories")


def header_parts(dossier: Dossier, stamp: Callable[[datetime], str] = when) -> list[str]:
    """`212 stories`, `41 sources`, `12 new since Jan 28 09:14`, `first: Blog, Jan 20`."""
    d = dossier
    new = f"{d.new_count:,} new" + (f" since {stamp(d.since)}" if d.since else "")
    parts = [stories(d.total), plural(len(d.sources), "source")]
    parts.append(new)
    if d.first is not None:
        s = d.first.sort_at
        parts.append(f"first: {clean_line(d.first.feed_title)}, {s:%b} {s.day}")
    return parts


def row_suffix(row: Row) -> str:
    return f"+{row.others}" if row.others else ""


def to_text(dossier: Dossier, width: int = WIDTH) -> str:
    """What a terminal shows: header, chart, sources, then the stories by day."""
    d = dossier
    out = [f"{clean_line(d.follow.name)} ─ " + " · ".join(header_parts(d))]
    out.append(f"query: {clean_line(d.follow.query)}")
    if d.timeline:
        out.append(fold(d.counts, width - 6).caption)
        out.extend(block_chart(d.counts, d.timeline[0].day, width))
    if d.first is not None:
        f = d.first
        out.append(f"first reported by {clean_line(f.feed_title)} at {iso(f.sort_at)}")
    if d.sources:
        out.append("sources (first coverage)")
        for src in d.sources:
            name = clean_line(src.feed_title)[:34]
            out.append(f"  {name:34} {when(src.first):>13}  {src.count:>5}")
    for day in d.days:
        out.append(f"{day.day:%a %b} {day.day.day} · {stories(day.count)}")
        for row in day.rows:
            mark = "●" if row.new else ("◆" if row.pinned else " ")
            tail = f"  {clean_line(row.story.feed_title)} {row_suffix(row)}".rstrip()
            room = max(10, width - 5 - len(tail))
            title = clean_line(row.story.title)
            title = title if len(title) <= room else title[: room - 1] + "…"
            out.append(f" {mark} {title:{room}}{tail}  #{row.story.id}")
    if not d.total:
        out.append("no stories yet: new ones join as they arrive")
    return "\n".join(out) + "\n"


def to_json(dossier: Dossier) -> dict[str, Any]:
    d = dossier
    return {
        "name": d.follow.name,
        "query": d.follow.query,
        "origin": d.follow.origin,
        "created_at": iso(d.follow.created_at),
        "last_opened_at": iso(d.since),
        "story_count": d.total,
        "source_count": len(d.sources),
        "new_count": d.new_count,
        "first_report": story_record(d.first) if d.first else None,
        "timeline": [{"day": t.day.isoformat(), "stories": t.count} for t in d.timeline],
        "sources": [
            {
                "feed_title": clean_line(s.feed_title),
                "feed_url": s.feed_url,
                "first_coverage": iso(s.first),
                "stories": s.count,
            }
            for s in d.sources
        ],
        "days": [
            {
                "day": day.day.isoformat(),
                "stories": day.count,
                "rows": [
                    {
                        **story_record(row.story),
                        "story_ids": list(row.story_ids),
                        "other_sources": row.others,
                        "new": row.new,
                        "pinned": row.pinned,
                    }
                    for row in day.rows
                ],
            }
            for day in d.days
        ],
    }


def to_json_text(dossier: Dossier) -> str:
    return json.dumps(to_json(dossier), indent=2, ensure_ascii=False) + "\n"


def to_markdown(dossier: Dossier) -> str:
    """A dossier a person can paste anywhere: timeline table, sources, stories with links."""
    d = dossier
    out = [f"# {md_escape(d.follow.name)}", ""]
    out.append(f"Query: `{d.follow.query.replace('`', '')}`  ")
    out.append(md_escape(" · ".join(header_parts(d, lambda t: iso(t) or ""))))
    if d.first is not None:
        first = d.first
        out += ["", f"First reported by **{md_escape(first.feed_title)}** at {iso(first.sort_at)}"]
        out[-1] += f": {_md_link(first.title, first.url)}"
    if d.timeline:
        top = max(d.counts) or 1
        out += ["", "## Timeline", "", "| day | stories | |", "|---|---:|---|"]
        for t in d.timeline:
            bar = "█" * max(1 if t.count else 0, round(t.count * 30 / top))
            out.append(f"| {t.day.isoformat()} | {t.count} | {bar} |")
    if d.sources:
        out += ["", "## Sources", "", "| source | first coverage | stories |", "|---|---|---:|"]
        for src in d.sources:
            name = md_escape(src.feed_title) or md_escape(src.feed_url)
            out.append(f"| {name} | {iso(src.first)} | {src.count} |")
    out += ["", "## Stories"]
    for day in d.days:
        out += ["", f"### {day.day:%Y-%m-%d (%A)} · {stories(day.count)}", ""]
        for row in day.rows:
            s = row.story
            line = (
                f"- {_md_link(s.title, s.url)} — {md_escape(s.feed_title)}, {s.sort_at:%H:%M} UTC"
            )
            if row.others:
                line += f" · +{row.others} {'source' if row.others == 1 else 'sources'}"
            if s.cluster_id is not None:
                line += f" (cluster {s.cluster_id})"
            if row.new:
                line += " · **new**"
            if row.pinned:
                line += " · pinned"
            out.append(line)
    if not d.total:
        out += ["", "No stories yet."]
    return "\n".join(out) + "\n"


def _md_link(title: str, url: str | None) -> str:
    text = md_escape(title) or "(untitled)"
    link = md_url(url)
    return f"[{text}](<{link}>)" if link else text
