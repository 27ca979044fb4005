"""The `e` dialog: pick a format, confirm a path (a dated default), get back an `ExportRequest`.

The caller runs the export (a thread worker: `tracker.export.export_to_path`) and notifies::

    request = await self.app.push_screen_wait(ExportScreen(query, today, count=212))
    if request is not None:
        self.export_worker(request.format, request.path, query)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from tracker.export import EXTENSIONS, STORY_FORMATS, default_path

LABELS = {
    "md": "Markdown digest, by day (md)",
    "json": "JSON array (json)",
    "jsonl": "JSON Lines (jsonl)",
    "csv": "CSV, one row per story (csv)",
    "atom": "Atom feed another reader can subscribe to (atom)",
}
ORDER: tuple[str, ...] = ("md", *(f for f in STORY_FORMATS if f != "md"))


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the user asked for: a format and an absolute path whose directory exists."""

    format: str
    path: Path


def resolve_target(text: str, fmt: str, today: date) -> tuple[Path | None, str]:
    """The path typed (`~` expanded; a directory gets the default file name), or None and why."""
    raw = text.strip()
    if not raw:
        return None, "type a path"
    path = Path(raw).expanduser()
    if path.is_dir():
        path = default_path(fmt, today, path)
    if not path.parent.is_dir():
        return None, f"no such directory: {path.parent}"
    return path.absolute(), ""


class ExportScreen(ModalScreen[ExportRequest | None]):
    """↑/↓ and space pick the format, tab goes to the path, enter exports, escape cancels.
    A path whose extension is an export one follows the format; an existing file needs a
    second enter to be replaced."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        query: str,
        today: date,
        *,
        count: int | None = None,
        fmt: str = "md",
        directory: Path | None = None,
    ) -> None:
        super().__init__()
        self.query_text = query
        self.today = today
        self.count = count
        self.fmt = fmt if fmt in STORY_FORMATS else "md"
        self.directory = directory
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        what = "stories" if self.count is None else f"{self.count:,} stories"
        where = f" matching {self.query_text}" if self.query_text.strip() else " (all)"
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(Content(f"Export {what}{where}"), classes="dialog-title")
            with RadioSet(id="export-format"):
                for fmt in ORDER:
                    yield RadioButton(LABELS.get(fmt, fmt), value=fmt == self.fmt, id=f"fmt-{fmt}")
            yield Input(str(default_path(self.fmt, self.today, self.directory)), id="export-path")
            yield Label(Content("enter exports · esc cancels"), classes="dialog-hint",
                        id="export-hint")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = (event.pressed.id or "").removeprefix("fmt-")
        if fmt not in STORY_FORMATS:
            return
        self.fmt = fmt
        box = self.query_one("#export-path", Input)
        current = Path(box.value.strip())
        if current.suffix.lower() in EXTENSIONS.values() or current.suffix.lower() == ".xml":
            box.value = str(current.with_suffix(EXTENSIONS[fmt]))
        self._confirm_replace = None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirm_replace = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self._submit()
        else:
            self.dismiss(None)

    def _hint(self, text: str) -> None:
        self.query_one("#export-hint", Label).update(Content(text))

    def _submit(self) -> None:
        path, problem = resolve_target(
            self.query_one("#export-path", Input).value, self.fmt, self.today
        )
        if path is None:
            self._hint(problem)
            return
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            self._hint(f"{path} exists: enter again to replace it")
            return
        self.dismiss(ExportRequest(self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
