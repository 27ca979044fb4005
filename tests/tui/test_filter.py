"""The filter bar (live, debounced, errors inline, history), the sidebar, and `f` follow."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.conftest import AppFactory, lines, settle
from tracker.store import Store
from tracker.tui.screens.dialogs import PromptDialog
from tracker.tui.widgets.filter_bar import FilterBar, QueryInput
from tracker.tui.widgets.sidebar import Sidebar
from tracker.tui.widgets.story_list import StoryList


def titles(app: object) -> list[str]:
    return [line[27:].strip() for line in lines(app.query_one(StoryList)) if line.strip()]  # type: ignore[attr-defined]


async def test_slash_filters_live_as_you_type(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, QueryInput)
        await pilot.press(*"deepseek")
        await pilot.pause(0.3)  # past the debounce, no enter pressed
        await settle(pilot)
        stories = app.query_one(StoryList)
        shown = titles(app)
        assert stories.total == 6 and len(shown) == 6
        assert all("deepseek" in t.lower() for t in shown), shown
        assert str(stories.border_title) == "deepseek"
        assert "6 stories" in str(stories.border_subtitle)
        await pilot.press("space", *"+markets", "enter")
        await settle(pilot)
        assert isinstance(app.focused, StoryList)
        assert [t.split("  ")[0] for t in titles(app)] == [
            "Nvidia sheds $593bn as DeepSeek rattles chip investors",
            "Alibaba releases Qwen 2.5-Max to rival DeepSeek V3",
        ]


async def test_state_and_date_filters(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"is:starred", "enter")
        await settle(pilot)
        assert app.query_one(StoryList).total == 1
        await pilot.press("slash", "ctrl+u", *"@1d", "enter")  # NOW is the fixed clock
        await settle(pilot)
        assert app.query_one(StoryList).total == 4


async def test_a_bad_query_shows_its_error_inline_and_keeps_the_list(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.query_one(QueryInput).value = "deepseek ("  # at once: no `deepseek` on the way
        await pilot.press("enter")
        await settle(pilot)
        bar = app.query_one(FilterBar)
        assert bar.has_class("-error")
        error = str(bar.query_one("#filter-error").content)  # type: ignore[attr-defined]
        assert error == "\xa0" * 10 + "^ column 11: unexpected end of query; expected a term"
        assert app.query_one(StoryList).total == 14  # the list is left as it was
        assert isinstance(app.focused, QueryInput)  # still editing
        await pilot.press("backspace", "enter")
        await settle(pilot)
        assert not bar.has_class("-error")
        assert app.query_one(StoryList).total == 6


async def test_history_with_up_and_down(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nvidia", "enter")
        await settle(pilot)
        await pilot.press("slash", "ctrl+u", *"openai", "enter")
        await settle(pilot)
        await pilot.press("slash", "ctrl+u", "up")
        field = app.query_one(QueryInput)
        assert field.value == "openai"
        await pilot.press("up")
        assert field.value == "nvidia"
        await pilot.press("down", "down")
        assert field.value == ""


async def test_esc_on_the_list_clears_the_filter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nvidia", "enter")
        await settle(pilot)
        assert app.query_one(StoryList).total == 2
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one(StoryList).total == 14
        assert app.query_one(QueryInput).value == ""


async def choose(pilot: Pilot[None], start: str) -> None:
    """Choose the sidebar's first line starting with `start`, as the keyboard does."""
    sidebar = pilot.app.query_one(Sidebar)
    prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
    sidebar.focus()  # choosing a line moves the focus to the list
    sidebar.highlighted = next(i for i, p in enumerate(prompts) if p.startswith(start))
    await pilot.press("enter")
    await settle(pilot)


async def test_sidebar_lists_counts_and_filters_by_tag_or_feed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert any(p.startswith("markets") and p.rstrip().endswith("4") for p in prompts)
        assert any(p.startswith("⚠ OpenAI News") for p in prompts)  # the failing feed
        await choose(pilot, "deepseek")
        assert app.query_one(QueryInput).value == "+deepseek"
        assert app.query_one(StoryList).total == 2
        assert isinstance(app.focused, StoryList)


async def test_choosing_a_failing_feed_tells_why_it_fails(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, "The Verge AI")  # a healthy feed, then the failing one
        await choose(pilot, "⚠ OpenAI News")
        notes = [(n.title, n.message, n.severity) for n in app._notifications]
        assert len(notes) == 1  # nothing for the healthy feed
        title, message, severity = notes[0]
        assert (title, severity) == ("⚠ OpenAI News", "warning")
        assert message == (
            "error: HTTP 503 Service Unavailable (failures in a row: 3, next try at the next poll)"
        )
        assert app.query_one(QueryInput).value == 'feed:"https://openai.example/news.rss"'


async def test_f_follows_the_current_filter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # no filter yet: nothing to follow
        await settle(pilot)
        assert not isinstance(app.screen, PromptDialog)
        await pilot.press("slash", *"deepseek", "enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"DeepSeek R1 launch", "enter")
        await settle(pilot)
        with Store.open(app.data.path) as store:
            follow = store.follows.get("DeepSeek R1 launch")
            assert follow is not None and follow.query == "deepseek"
            assert follow.story_count == 6
        sidebar = app.query_one(Sidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert any(p.startswith("DeepSeek R1 launch") for p in prompts)
