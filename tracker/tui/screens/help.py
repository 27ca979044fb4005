"""The `?` help screen: every key, and the query language at a glance."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("j / k / ↓ / ↑", "move down / up"),
    ("g / G", "top / bottom"),
    ("pgup / pgdn / space", "page up / down"),
    ("enter", "open the story (marks it read)"),
    ("esc / q", "back (q on the list quits)"),
    ("/", "filter with a query (live; ↑/↓ history)"),
    ("t", "tag (tab completes; -name removes)"),
    ("s", "star / unstar"),
    ("m", "toggle read"),
    ("o", "open the link in the browser"),
    ("f", "follow the current filter"),
    ("r", "poll now"),
    ("e", "export the current view"),
    ("T / M", "tag all / mark all read in the filter"),
    ("c", "one row per event (+N sources) / all"),
    ("tab", "switch between sidebar, list and reader"),
    ("ctrl+t", "light / dark theme"),
    ("?", "this help"),
    ("ctrl+p", "command palette: every action"),
)

QUERY: tuple[tuple[str, str], ...] = (
    ('word "a phrase" deep*', "full text"),
    ("title: author: feed: site:", "fields"),
    ("+tag  -tag", "has / lacks a tag"),
    ("is:unread is:starred is:tagged", "state"),
    ('follow:"name"', "a followed story"),
    ("@7d @2025-01-20--2025-02-01", "published since / in a range"),
    ("a OR b, NOT a, ( )", "logic"),
    ("sort:new sort:old sort:relevance", "order"),
)


def table(title: str, rows: tuple[tuple[str, str], ...]) -> Content:
    width = max(len(key) for key, _ in rows) + 3
    lines: list[str | tuple[str, str]] = [(title, "bold underline"), "\n"]
    for key, what in rows:
        lines += [(f"  {key:<{width}}", "bold"), what, "\n"]
    return Content.assemble(*lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(table("Keys", KEYS), markup=False)
            yield Static(table("Filter queries", QUERY), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
