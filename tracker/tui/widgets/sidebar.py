"""The sidebar: follows, tags and feeds with unread counts; choosing one filters the list."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.tui.views import SidebarItem

SECTIONS = (("follow", "Follows"), ("tag", "Tags"), ("feed", "Feeds"))
LABEL_WIDTH = 22


def item_line(item: SidebarItem) -> Content:
    count = "–" if item.unread is None else (str(item.unread) if item.unread else "")
    mark = "⚠ " if item.failing else ""
    label = Content.assemble((mark, "$warning") if mark else "", item.label)
    room = LABEL_WIDTH - len(count) - 1
    return Content.assemble(label.truncate(room, ellipsis=True, pad=True), " ", (count, "dim"))


class Sidebar(OptionList):
    """One option per follow, tag and feed under section headings."""

    class Chosen(Message):
        def __init__(self, item: SidebarItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._items: dict[str, SidebarItem] = {}
        self.border_title = "Follows / Tags / Feeds"

    def show(self, items: list[SidebarItem]) -> None:
        """Replace the options, keeping the highlighted one when it still exists."""
        keep = None
        if self.highlighted is not None:
            keep = self.get_option_at_index(self.highlighted).id
        options: list[Option] = []
        self._items = {}
        for kind, heading in SECTIONS:
            members = [i for i in items if i.kind == kind]
            if not members and kind == "follow":
                continue
            options.append(Option(Content.styled(f"▾ {heading}", "bold"), disabled=True))
            for item in members:
                key = f"{item.kind}:{item.key}"
                self._items[key] = item
                options.append(Option(item_line(item), id=key))
        self.set_options(options)
        if keep is not None and keep in self._items:
            self.highlighted = self.get_option_index(keep)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._items.get(event.option.id or "")
        if item is not None:
            self.post_message(self.Chosen(item))
