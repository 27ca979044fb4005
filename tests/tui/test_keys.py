"""Every key of SPEC §7 through the real app (Pilot): what is shown, and what is stored."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import AppFactory, lines, settle, story_state
from tracker.tui.screens.dialogs import ConfirmDialog, TagDialog
from tracker.tui.screens.help import HelpScreen
from tracker.tui.widgets.reader import ReaderPane
from tracker.tui.widgets.status import StatusLine
from tracker.tui.widgets.story_list import StoryList

NVIDIA = "Nvidia sheds $593bn as DeepSeek rattles chip investors"
CHIPS = "Chip stocks slide on cheap-AI fears"
APPSTORE = "DeepSeek tops the App Store, overtaking ChatGPT"


def reader_text(app: object) -> str:
    pane = app.query_one(ReaderPane)  # type: ignore[attr-defined]
    head = pane.query_one("#reader-header")
    return str(head.content)


async def test_first_screen_lists_newest_first_with_status(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = lines(app.query_one(StoryList))
        assert NVIDIA in shown[0] and shown[0].startswith("●")
        assert CHIPS in shown[1]
        assert shown[2].startswith("★") and APPSTORE in shown[2]
        assert shown[1].rstrip().endswith("markets")  # the feed's tag beside the title
        status = str(app.query_one(StatusLine).content)
        assert "5 feeds · 14 stories · 13 unread · polled 4 min ago · 1 feed failing" in status
        assert app.query_one(StoryList).total == 14


async def test_j_k_arrows_move_and_preview(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        await pilot.press("j", "j")
        assert stories.cursor == 2
        await pilot.press("k")
        assert stories.cursor == 1
        await pilot.press("down", "down", "up")
        assert stories.cursor == 2
        await pilot.pause(0.2)
        await settle(pilot)
        assert APPSTORE in reader_text(app)
        assert story_state(app.data.path, APPSTORE)[0] is False  # a preview is not a read


async def test_g_and_G_go_to_top_and_bottom(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        await pilot.press("G")
        await settle(pilot)
        assert stories.cursor == 13
        assert stories.current is not None
        assert stories.current.title == "DeepSeek-V3 technical report"
        await pilot.press("g")
        assert stories.cursor == 0


async def test_enter_opens_and_marks_read_esc_and_q_go_back(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ReaderPane)
        text = reader_text(app)
        assert NVIDIA in text and "Reuters Tech" in text and "https://reuters.example" in text
        body = app.query_one("#reader-body")
        assert "Nvidia" in str(body.source)  # type: ignore[attr-defined]
        assert story_state(app.data.path, NVIDIA)[0] is True
        assert not lines(app.query_one(StoryList))[0].startswith("●")
        await pilot.press("escape")
        assert isinstance(app.focused, StoryList)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.focused, ReaderPane)
        await pilot.press("q")
        assert isinstance(app.focused, StoryList) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_mark_read_on_open_can_be_off(make_app: AppFactory) -> None:
    app = make_app(mark_read_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert NVIDIA in reader_text(app)
        assert story_state(app.data.path, NVIDIA)[0] is False


async def test_s_stars_and_m_toggles_read(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stories = app.query_one(StoryList)
        await pilot.press("s")
        await settle(pilot)
        assert lines(stories)[0].startswith("★")
        assert story_state(app.data.path, NVIDIA)[1] is True
        await pilot.press("s")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[1] is False
        await pilot.press("m")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[0] is True
        assert lines(stories)[0].startswith("  ")
        await pilot.press("m")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[0] is False
        assert lines(stories)[0].startswith("●")
        assert stories.cursor == 0


async def test_t_tags_with_autocomplete_and_removes_with_minus(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "t")
        await settle(pilot)
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"china dee")
        await pilot.pause(0.1)
        await pilot.press("right")  # accept the suggestion: deepseek
        await pilot.press("space", "minus", *"nvidia", "enter")
        await settle(pilot)
        assert story_state(app.data.path, CHIPS)[2] == ("china", "deepseek", "markets")
        assert lines(app.query_one(StoryList))[1].rstrip().endswith("china deepseek markets")
        await pilot.press("k", "t")
        await settle(pilot)
        await pilot.press("minus", *"nvidia", "enter")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[2] == ("markets",)


async def test_t_rejects_a_bad_tag_name(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"no/way", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TagDialog)
        assert "not a tag name" in str(app.screen.query_one("#prompt-hint").content)  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert story_state(app.data.path, NVIDIA)[2] == ("markets", "nvidia")


async def test_o_opens_http_links_only(make_app: AppFactory) -> None:
    opened: list[str] = []
    app = make_app(opened=opened)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://reuters.example/tech.rss/0"]
        for bad in ("javascript:alert(1)", "file:///etc/passwd", "-https://x", "http://a b"):
            app.open_url(bad)
        await settle(pilot)
        assert opened == ["https://reuters.example/tech.rss/0"]


async def test_question_mark_shows_help(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.content) for w in app.screen.query("Static"))
        for needle in ("filter", "tag", "star", "poll", "export", "command palette"):
            assert needle in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_bulk_mark_all_read_asks_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[0] is False
        await pilot.press("M", "y")
        await settle(pilot)
        assert all(story_state(app.data.path, t)[0] for t in (NVIDIA, CHIPS, APPSTORE))
        await settle(pilot)
        assert not any(line.startswith("●") for line in lines(app.query_one(StoryList)))


async def test_bulk_tag_all(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await pilot.press(*"week5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert all("week5" in story_state(app.data.path, t)[2] for t in (NVIDIA, CHIPS))


async def test_ctrl_p_palette_runs_an_action(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"star")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert story_state(app.data.path, NVIDIA)[1] is True


async def test_theme_toggles_light_and_dark(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_e_exports_the_current_view(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "view.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"deepseek", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        field = app.screen.query_one("#export-path")
        assert str(field.value).endswith("tracker-export-20250128.md")  # type: ignore[attr-defined]
        field.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        text = target.read_text()
        assert "DeepSeek tops the App Store" in text
        assert "Stargate" not in text  # only the current view
        notes = " ".join(str(n.message) for n in app._notifications)
        assert f"exported 6 stories to {target}" in notes
