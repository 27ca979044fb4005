"""Queries against a real database: a table of query -> expected stories, order and paging."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.query.conftest import INGESTED, NOW, STORIES, Corpus
from tracker.query import parse
from tracker.store.search import Cursor

ALL = set(STORIES)

CASES: list[tuple[str, set[int]]] = [
    # full text: words, phrases, prefixes, stems, case
    ("deepseek", {1, 4, 6, 7}),
    ("NVIDIA", {1}),
    ('"export controls"', {6, 8}),
    ("export controls", {6, 8, 9}),
    ("reason*", {4, 5, 6}),
    ("deep*", {1, 4, 6, 7}),
    ("chip*", {1, 2, 8}),
    ("gpu*", {6}),
    ("models", {2, 5, 6, 7}),
    ("r1", {4, 5, 6}),
    ('"17%"', {1}),
    ("naïve", set()),
    # title:
    ("title:reasoning", {5}),
    ("title:chip*", {1, 2, 8}),
    ('title:"release notes"', {6}),
    # boolean logic
    ("deepseek r1", {4, 6}),
    ("deepseek AND (r1 OR v3)", {4, 6, 7}),
    ("deepseek OR nvidia", {1, 4, 6, 7}),
    ("nvidia OR nasdaq", {1, 3}),
    ('(nvidia OR "nasdaq") NOT feed:reddit', {1, 3}),
    ("deepseek NOT r1", {1, 7}),
    ("NOT deepseek", ALL - {1, 4, 6, 7}),
    ("-deepseek", ALL),  # `-name` is a tag: no story has the tag "deepseek"
    ("deepseek OR +markets", {1, 2, 3, 4, 6, 7}),
    ("a b OR nvidia", {1, 12}),  # (a AND b) OR nvidia: only 12 has both a and b
    # tags, feed tags included
    ("+china", {1, 2}),
    ("tag:markets", {2, 3}),
    ("+news", {1, 2, 3, 8, 12}),
    ("+ai", {6, 7, 10}),
    ("-news", {4, 5, 6, 7, 9, 10, 11}),
    ("+china +markets", {2}),
    ("+china OR +markets", {1, 2, 3}),
    ("+nonexistent", set()),
    ("reasoning -junk", {4, 6}),
    ("-(+china OR is:read)", {4, 6, 8, 9, 10, 11, 12}),
    ("NOT +news NOT +ai", {4, 5, 9, 11}),
    # state
    ("is:unread", ALL - {2, 3, 5, 7}),
    ("is:read", {2, 3, 5, 7}),
    ("is:starred", {1, 6}),
    ("is:tagged", {1, 2, 3, 5, 6, 7, 8, 10, 12}),
    ("is:untagged", {4, 9, 11}),
    ("is:starred OR +junk", {1, 5, 6}),
    # feed:, site:, author:
    ("feed:reuters", {1, 2, 3, 8, 12}),
    ('feed:"Reuters Tech"', {1, 2, 3, 8, 12}),
    ("feed:reddit", {4, 5, 9, 11}),
    ("feed:deepseek.example", {6, 7, 10}),
    ("feed:%", set()),
    ("site:reuters.com", {1, 2, 3, 8, 12}),
    ("site:www.reuters.com", {1, 8, 12}),
    ("site:reddit.com", {4, 5, 9}),
    ("site:https://deepseek.example/whatever", {6, 7, 10}),
    ("site:euters.com", set()),
    ("author:smith", {1, 8}),
    ('author:"DeepSeek team"', {6, 7}),
    ("author:_", set()),
    # follows: matches minus exclusions plus pins
    ('follow:"DeepSeek R1 launch"', {2, 6}),
    ('follow:"no such follow"', set()),
    ('follow:"DeepSeek R1 launch" since:2025-01-21', {2}),
    # dates on sort_at (the earlier of published and first seen)
    ("@7d", {1, 2, 4, 10, 11}),
    ("@2-days-ago", {1, 10, 11}),
    ("@2025-01-20", {1, 2, 4, 6, 10, 11}),
    ("@2025-01-10--2025-01-20", {3, 6, 8}),
    ("@2025-01-20--2025-01-10", {3, 6, 8}),
    ("since:2025-01-15 until:2025-01-20", {6, 8}),
    ("until:2024-12-31", {5, 7}),
    ("@2w--1w", {6, 8}),
    ("deepseek @2025-01-20", {1, 4, 6}),
    ("deepseek +china is:unread @7d", {1}),
    ("@1030y", ALL),  # a year before 1000 still sorts before 2025
    ("@999999w", ALL),  # before the calendar began: everything
    ("until:9999-12-31", ALL),
    ("@9999-12-31", set()),
    # everything
    ("", ALL),
    ("sort:old", ALL),
    # hostile text is only ever text
    ('"\'); DROP TABLE stories; --"', {12}),
    ('title:"DROP TABLE"', {12}),
    ('"NEAR(a b)"', {12}),
    ('"title:colons"', {12}),
    ("quotes*", {12}),
    ("stories;", {12}),
    ("DROP* OR zzz", {3, 12}),  # "drops" in 3
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_query_table(corpus: Corpus, plan: str, text: str, expected: set[int]) -> None:
    search = corpus.store.search
    page = search.page(text, limit=100, now=NOW)
    assert corpus.numbers([s.id for s in page.stories]) == expected
    assert page.next_cursor is None
    assert corpus.numbers(search.ids(text, now=NOW)) == expected
    count = search.count(text, now=NOW)
    assert (count.value, count.exact) == (len(expected), True)
    assert corpus.numbers([s.id for s in search.iter(text, now=NOW)]) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40


def test_newest_first_oldest_and_relevance(corpus: Corpus, plan: str) -> None:
    search = corpus.store.search
    newest = search.page("deepseek", now=NOW)
    assert [corpus.numbers([s.id]).pop() for s in newest.stories] == [1, 4, 6, 7]
    assert newest.order == "new"
    oldest = search.page("deepseek sort:old", now=NOW)
    assert [corpus.numbers([s.id]).pop() for s in oldest.stories] == [7, 6, 4, 1]
    ranked = search.page("reasoning sort:relevance", now=NOW)
    assert ranked.order == "relevance"
    # title matches weigh more: the story with "reasoning" in its title ranks first
    assert corpus.numbers([ranked.stories[0].id]) == {5}
    assert corpus.numbers([s.id for s in ranked.stories]) == {4, 5, 6}
    assert search.page("+china sort:relevance", now=NOW).order == "new"  # nothing to rank


def test_keyset_pages_cover_everything_once(corpus: Corpus, plan: str) -> None:
    search = corpus.store.search
    for text in ("", "is:unread", "deepseek OR +news", "sort:old", "reasoning sort:relevance"):
        seen: list[int] = []
        cursor: Cursor | None = None
        while True:
            page = search.page(text, limit=2, after=cursor, now=NOW)
            seen.extend(s.id for s in page.stories)
            cursor = page.next_cursor
            if cursor is None:
                break
        expected = search.ids(text, now=NOW)
        assert sorted(seen) == sorted(expected), text
        assert len(seen) == len(set(seen)), text
    stories = search.page("", limit=100, now=NOW).stories
    assert [s.sort_at for s in stories] == sorted((s.sort_at for s in stories), reverse=True)


def test_cursor_from_a_story_and_offset_jumps(corpus: Corpus) -> None:
    search = corpus.store.search
    everything = search.page("", limit=100, now=NOW).stories
    after_third = search.page("", limit=3, after=(everything[2].sort_at, everything[2].id))
    assert [s.id for s in after_third.stories] == [s.id for s in everything[3:6]]
    jumped = search.page("", limit=3, offset=4, now=NOW)
    assert [s.id for s in jumped.stories] == [s.id for s in everything[4:7]]


def test_count_caps_large_results(corpus: Corpus) -> None:
    count = corpus.store.search.count("is:unread", now=NOW, cap=3)
    assert (count.value, count.exact, str(count)) == (3, False, "3+")
    assert int(corpus.store.search.count("+china", now=NOW)) == 2


def test_relative_dates_follow_now(corpus: Corpus) -> None:
    search = corpus.store.search
    later = NOW + timedelta(days=30)
    assert search.ids("@7d", now=later) == []
    assert len(search.ids(parse("@7d", now=INGESTED), now=later)) == 5  # resolved at parse


def test_relevance_falls_back_to_date_order_when_out_of_time(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.store.searchrun as run_module

    monkeypatch.setattr(run_module, "RELEVANCE_BUDGET", -1.0)
    monkeypatch.setattr(run_module, "PROGRESS_STEPS", 1)
    page = corpus.store.search.page("deepseek sort:relevance", now=NOW)
    assert page.order == "new"
    assert page.note is not None and "newest first" in page.note
    assert corpus.numbers([s.id for s in page.stories]) == {1, 4, 6, 7}


def test_the_forced_plans_are_the_ones_used(corpus: Corpus, plan: str) -> None:
    from tracker.store.searchplan import make_plan

    def kind(text: str) -> str:
        return make_plan(corpus.store.search._run, parse(text), NOW).kind

    assert kind("") == "all"
    expected = {"drive": "drive", "scan": "scan", "window": "window"}[plan]
    assert kind("deepseek +china") == expected
    assert kind("+china is:unread") == ("drive" if plan == "drive" else "scan")
    assert kind("is:unread @7d") == "scan"


@pytest.mark.parametrize(
    "text", ["deepseek +news", "deepseek -china is:unread", "reason* @2025-01-01", "deepseek OR r1"]
)
def test_relevance_with_other_conditions_finds_the_same_stories(corpus: Corpus, text: str) -> None:
    search = corpus.store.search
    ranked = search.page(text + " sort:relevance", now=NOW)
    assert ranked.order == "relevance"
    assert {s.id for s in ranked.stories} == set(search.ids(text, now=NOW))


def test_too_many_matches_to_rank_pages_newest_first(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.store.searchplan as plan_module

    monkeypatch.setattr(plan_module, "RANK_MAX", 2)  # "deepseek" matches 4: too many
    search = corpus.store.search
    first = search.page("deepseek sort:relevance", limit=2, now=NOW)
    assert first.order == "new" and first.note is not None
    second = search.page("deepseek sort:relevance", limit=2, after=first.next_cursor, now=NOW)
    assert second.order == "new"
    numbers = [corpus.numbers([s.id]).pop() for s in first.stories + second.stories]
    assert numbers == [1, 4, 6, 7]  # one date-ordered walk, nothing twice
