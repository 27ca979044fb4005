"""A follow's stories grouped by day: day headings, one row per story or cluster, paged."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.follow import Dossier, Row
from tracker.follow_render import stories
from tracker.textclean import clean_line

PAGE_ROWS = 300  # rows shown at first, and added by each "more"
MORE = "more"  # the option id of the "show more" line


class DayList(OptionList):
    """Newest day first; a follow of thousands of stories shows a page, then a "more" line."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dossier: Dossier | None = None
        self.limit = PAGE_ROWS
        self._rows: dict[str, Row] = {}

    def show(self, dossier: Dossier) -> None:
        """Fill from `dossier`, keeping the highlight where it was."""
        self.dossier = dossier
        keep = self.highlighted
        self.clear_options()
        self._rows.clear()
        items: list[Option] = []
        shown = 0
        for day in dossier.days:
            if shown >= self.limit:
                break
            label = f"{day.day:%a %b} {day.day.day} · {stories(day.count)}"
            items.append(Option(Text(label, style="bold"), disabled=True))
            for row in day.rows[: self.limit - shown]:
                key = f"s{row.story.id}"
                self._rows[key] = row
                items.append(Option(row_text(row), id=key))
            shown += min(len(day.rows), self.limit - shown)
        hidden = sum(len(day.rows) for day in dossier.days) - shown
        if hidden > 0:
            more = f"… {hidden:,} older rows: enter shows {min(hidden, PAGE_ROWS):,} more"
            items.append(Option(Text(more, style="italic"), id=MORE))
        if not items:
            items.append(
                Option(Text("no stories yet: new ones join as they arrive"), disabled=True)
            )
        self.add_options(items)
        if self._rows:
            first = next(i for i, o in enumerate(items) if not o.disabled)
            target = keep if keep is not None and keep < len(items) else first
            while target < len(items) - 1 and items[target].disabled:
                target += 1
            self.highlighted = target if not items[target].disabled else first

    def show_message(self, message: str) -> None:
        self.dossier = None
        self.clear_options()
        self._rows.clear()
        self.add_option(Option(Text(message), disabled=True))

    def current_row(self) -> Row | None:
        if self.highlighted is None:
            return None
        return self._rows.get(self.get_option_at_index(self.highlighted).id or "")

    def show_more(self) -> bool:
        """On the "more" line: show another page (True); elsewhere do nothing (False)."""
        at = self.highlighted
        if at is None or self.get_option_at_index(at).id != MORE or self.dossier is None:
            return False
        self.limit += PAGE_ROWS
        self.show(self.dossier)
        return True

    def move(self, step: int) -> None:
        """One story down/up, over day headings, without wrapping around."""
        before = self.highlighted
        if step > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()
        after = self.highlighted
        if before is not None and after is not None and (after - before) * step < 0:
            self.highlighted = before


def row_text(row: Row) -> Text:
    """`●◆ 14:02 Title  Source +6` (new, pinned) as a Text: feed text never goes through markup."""
    text = Text("●" if row.new else " ", style="bold", no_wrap=True, overflow="ellipsis")
    text.append("◆ " if row.pinned else "  ")
    text.append(f"{row.story.sort_at:%H:%M} ", style="dim")
    text.append(clean_line(row.story.title) or "(untitled)")
    text.append(f"  {clean_line(row.story.feed_title)}", style="dim")
    if row.others:
        text.append(f" +{row.others}", style="bold")
    return text
