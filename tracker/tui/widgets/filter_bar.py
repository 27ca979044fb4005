"""The filter bar: a query input filtering live (debounced), errors shown inline, history."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

DEBOUNCE = 0.025
HISTORY = 100


class QueryInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "older", show=False),
        Binding("down", "history(1)", "newer", show=False),
        Binding("escape", "done", "back", show=False),
    ]

    class Done(Message):
        """Leave the filter bar (escape)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._position: int | None = None

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        position = len(self.history) if self._position is None else self._position
        position = max(0, min(position + step, len(self.history)))
        self._position = position
        self.value = self.history[position] if position < len(self.history) else ""
        self.cursor_position = len(self.value)

    def remember(self, text: str) -> None:
        self._position = None
        if text.strip() and (not self.history or self.history[-1] != text):
            self.history.append(text)
            del self.history[:-HISTORY]

    def action_done(self) -> None:
        self.post_message(self.Done())


class FilterBar(Vertical):
    """Posts `Changed` a moment after typing stops, `Applied` on enter."""

    DEFAULT_CSS = """
    FilterBar { height: auto; }
    FilterBar > #filter-error { color: $error; height: auto; display: none; padding: 0 1; }
    FilterBar.-error > #filter-error { display: block; }
    FilterBar.-error > QueryInput { border: tall $error; }
    """

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Applied(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield QueryInput(
            placeholder="/ filter: deepseek +china is:unread @7d", id="filter-input", compact=True
        )
        yield Static(id="filter-error", markup=False)

    @property
    def input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, text: str) -> None:
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self.input.remember(text)

    def show_error(self, message: str | None) -> None:
        """The parser's message under the input, with a caret under the column it names."""
        self.set_class(bool(message), "-error")
        text = message or ""
        found = re.match(r"column (\d+):", text)
        if found and int(found.group(1)) + len(text) < self.size.width:
            text = "\u00a0" * (int(found.group(1)) - 1) + "^ " + text
        self.query_one("#filter-error", Static).update(Content(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self.post_message(self.Changed(event.value)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.input.remember(event.value)
        self.post_message(self.Applied(event.value))
