"""The reader pane: a story's title, feed, author, date, tags and link, then its content."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from tracker.textclean import clean_line
from tracker.tui.views import StoryDetail


def header(detail: StoryDetail) -> Content:
    """Every field is cleaned of control characters again here: the screen is the last line."""
    story = detail.story
    when = (story.published or story.sort_at).strftime("%b %d %Y %H:%M UTC")
    meta: list[str | tuple[str, str]] = [(clean_line(story.feed_title), "bold")]
    if story.author:
        meta += [" · ", clean_line(story.author)]
    meta += [" · ", when]
    marks = ("★ starred · " if story.starred else "") + ("read" if story.read else "unread")
    tags: list[str | tuple[str, str]] = []
    for tag, source in detail.tag_sources:
        tags += [
            (f"#{clean_line(tag)}", "italic"),
            (f"({clean_line(source)}) " if source != "user" else " ", "dim"),
        ]
    return Content.assemble(
        (clean_line(story.title) or "(untitled)", "bold"),
        "\n",
        *meta,
        "\n",
        (marks, "dim"),
        "  " if tags else "",
        *tags,
        "\n",
        (clean_line(story.url) or "(no link)", "underline" if story.url else "dim"),
        *same_event(detail),
    )


SAME_EVENT_SHOWN = 6


def same_event(detail: StoryDetail) -> list[str | tuple[str, str]]:
    """The other stories of its cluster, each with why it was grouped (score, shared terms)."""
    others = detail.same_event
    if not others:
        return []
    sources = len({m.feed_id for m in others} - {detail.story.feed_id})
    parts: list[str | tuple[str, str]] = [
        "\n\n",
        (f"Same event: {len(others)} other stories, {sources} other sources", "bold"),
    ]
    for m in others[:SAME_EVENT_SHOWN]:
        why = (
            f"{m.score:.2f}: {', '.join(clean_line(t) for t in m.terms[:5])}"
            if m.terms
            else "started the group"
        )
        parts += [
            "\n  ",
            (m.sort_at.strftime("%b %d %H:%M"), "dim"),
            "  ",
            (clean_line(m.feed_title), "italic"),
            "  ",
            clean_line(m.title),
            "  ",
            (f"({why})", "dim"),
        ]
    if len(others) > SAME_EVENT_SHOWN:
        parts.append((f"\n  … and {len(others) - SAME_EVENT_SHOWN} more", "dim"))
    return parts


class ReaderPane(VerticalScroll, can_focus=True):
    """Scrolls with j/k; `esc`/`q` go back to the list (handled by the screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "scroll down", show=False),
        Binding("k", "scroll_up", "scroll up", show=False),
        Binding("space", "page_down", "page down", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="reader-header", markup=False)
        yield Markdown(id="reader-body")

    def show(self, detail: StoryDetail | None, markdown: str) -> None:
        head = self.query_one("#reader-header", Static)
        body = self.query_one("#reader-body", Markdown)
        if detail is None:
            head.update(Content("Select a story and press enter to read it."))
            body.update("")
            return
        head.update(header(detail))
        body.update(markdown)
        self.scroll_home(animate=False)

    @property
    def empty(self) -> bool:
        return not str(self.query_one("#reader-header", Static).content)
