"""One row of the story list as plain text objects: mark, date, source, title, tags, +N."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.style import Style

from tracker.tui.views import ListRow

StyleOf = Callable[[str], Style]  # a part's name ("star", "meta", …) -> its style
DATE_WIDTH = 9  # "24-12-31" and a space


def row_date(when: datetime, now: datetime) -> str:
    """`14:02` today, `Jan 27` this year, `24-12-31` before."""
    if when.date() == now.date():
        return when.strftime("%H:%M")
    if when.year == now.year:
        return when.strftime("%b %d")
    return when.strftime("%y-%m-%d")


def format_row(row: ListRow, width: int, now: datetime, style: StyleOf) -> Content:
    """The title keeps its room first; tags take what is left, right-aligned."""
    if row.starred:
        mark: tuple[str, Style] = ("★ ", style("star"))
    elif not row.read:
        mark = ("● ", style("dot"))
    else:
        mark = ("  ", Style())
    feed_width = 15 if width >= 80 else 10
    feed = Content(row.feed_title).truncate(feed_width, ellipsis=True, pad=True)
    title_style = style("read" if row.read else "unread")
    tail = f" +{row.sources}" if row.sources else ""
    room = width - 2 - DATE_WIDTH - feed_width - 1 - len(tail)
    tags = " ".join(row.tags)
    tag_room = min(len(tags), max(room - Content(row.title).cell_length - 2, 0))
    tag_room = tag_room if tag_room >= 6 or tag_room == len(tags) else 0
    title_room = max(room - (tag_room + 2 if tag_room else 0), 0)
    middle = Content.assemble((row.title, title_style)).truncate(
        title_room, ellipsis=True, pad=True
    )
    if tag_room:
        tag_text = Content(tags).truncate(tag_room, ellipsis=True)
        tag_text = tag_text.pad_left(tag_room - tag_text.cell_length)
        middle = Content.assemble(middle, "  ", tag_text.stylize(style("tags")))
    return Content.assemble(
        mark,
        (row_date(row.sort_at, now).ljust(DATE_WIDTH), style("meta")),
        feed.stylize(style("meta")),
        " ",
        middle,
        (tail, style("sources")),
    ).truncate(width, pad=True)
