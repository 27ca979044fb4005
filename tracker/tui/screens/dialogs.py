"""Small modal dialogs: tag (with autocomplete), a one-line prompt, and a yes/no confirmation."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label

from tracker.config import TAG_NAME


class TagSuggester(Suggester):
    """Completes the last word of the input from the tags in use (`-name` too)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = sorted(names)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, word = value.rpartition(" ")
        sign = word[:1] if word[:1] in "+-" else ""
        stem = word[len(sign) :].lower()
        if not stem:
            return None
        for name in self.names:
            if name.lower().startswith(stem) and name.lower() != stem:
                return f"{head}{' ' if head else ''}{sign}{name}"
        return None


def parse_tags(text: str) -> tuple[list[str], list[str], list[str]]:
    """`deepseek +china -junk` -> (add, remove, bad words)."""
    add: list[str] = []
    remove: list[str] = []
    bad: list[str] = []
    for word in text.split():
        target = remove if word.startswith("-") else add
        name = word[1:] if word[:1] in "+-" else word
        if name and TAG_NAME.match(name):
            target.append(name)
        else:
            bad.append(word)
    return add, remove, bad


class PromptDialog(ModalScreen[str | None]):
    """One line of text; enter accepts, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        suggester: Suggester | None = None,
        hint: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.suggester = suggester
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Input(
                self.value,
                placeholder=self.placeholder,
                suggester=self.suggester,
                id="prompt-input",
            )
            yield Label(Content(self.hint), classes="dialog-hint", id="prompt-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.accept(event.value)

    def accept(self, value: str) -> None:
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagDialog(PromptDialog):
    """`t`: words add tags, `-name` removes one; tab accepts the suggested completion."""

    def __init__(self, names: list[str], current: tuple[str, ...], count: int = 1) -> None:
        what = "this story" if count == 1 else f"{count:,} stories"
        super().__init__(
            f"Tag {what}",
            placeholder="name  -name removes",
            suggester=TagSuggester(names),
            hint=("has: " + " ".join(current)) if current else "no tags yet",
        )

    def accept(self, value: str) -> None:
        _, _, bad = parse_tags(value)
        if bad:
            hint = self.query_one("#prompt-hint", Label)
            hint.update(Content(f"not a tag name: {' '.join(bad)} (letters, digits, _ . -)"))
            return
        self.dismiss(value)


class ConfirmDialog(ModalScreen[bool]):
    """y / enter confirms, n / escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "yes"),
        Binding("n,escape", "answer(False)", "no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
