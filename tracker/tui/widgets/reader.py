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
            (f"({source}) " if source != "user" else " ", "dim"),
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
    )


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
