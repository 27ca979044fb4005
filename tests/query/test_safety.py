"""Hostile and arbitrary queries: only QueryError ever escapes, and the database never changes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.query.conftest import NOW, STORIES, Corpus, build_corpus
from tracker.query import QueryError
from tracker.store import Store


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, Store]]:
    """The corpus, plus a second connection that sees any commit through `data_version`."""
    path = tmp_path_factory.mktemp("safety") / "tracker.db"
    corpus = build_corpus(path)
    with Store.open(path) as other:
        yield corpus, other
    corpus.store.close()


def _run_everything(corpus: Corpus, text: str) -> None:
    search = corpus.store.search
    search.page(text, limit=5, now=NOW)
    search.page(text + " sort:relevance", limit=5, now=NOW)
    search.count(text, now=NOW)
    search.ids(text, now=NOW)
    search.ids(text, now=NOW, within=list(corpus.ids.values())[:3])
    for _ in search.iter(text, now=NOW, batch=4):
        pass


def _assert_unchanged(corpus: Corpus, other: Store, version: int, changes: int) -> None:
    assert other.data_version() == version
    assert corpus.store.db.conn.total_changes == changes
    assert other.stories.totals()[0] == len(STORIES)


HOSTILE = [
    "'); DROP TABLE stories; --",
    '"); DROP TABLE stories; --',
    "x'; DELETE FROM stories WHERE '1'='1",
    "title:x' OR 1=1 --",
    '"title: NEAR(deepseek nvidia, 2)"',
    '"deepseek" OR "x" NOT "y"',
    '"summary:deepseek"',
    "content:deepseek",
    '"{title summary}: deepseek"',
    '"^deepseek"',
    '"deep seek"*',
    "NEAR(a b)",
    "a AND OR b",
    "*",
    "deep**",
    "dee\x00pseek",
    "\x00",
    '"\x00"',
    "feed:\x00",
    "site:\x00",
    "site:[::1",
    "site:http://[bad",
    "author:%' OR '1'='1",
    "feed:_%\\",
    "+a\u200bb",
    'follow:"\'); DROP TABLE follows; --"',
    "@99999999d",
    "@999999y",
    "@999999d",
    "@999999w--999999h",
    "until:9999-12-31",
    "@0001-01-01--9999-12-31",
    "since:9999-12-31",
    "x" * 10_000,
    "deepseek " * 1_100,
    "(" * 5_000 + "x" + ")" * 5_000,
    "NOT " * 2_500 + "x",
    '"' + "a " * 5_000 + '"',
    "a OR " * 199 + "a",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_harmless(watched: tuple[Corpus, Store], text: str) -> None:
    corpus, other = watched
    version, changes = other.data_version(), corpus.store.db.conn.total_changes
    try:
        _run_everything(corpus, text)
    except QueryError as exc:
        assert exc.position >= 1
    _assert_unchanged(corpus, other, version, changes)


def test_injection_text_is_searched_as_text(watched: tuple[Corpus, Store]) -> None:
    corpus, _ = watched
    found = corpus.store.search.ids('"\'); DROP TABLE stories; --"', now=NOW)
    assert corpus.numbers(found) == {12}
    assert len(corpus.store.search.ids("title:x' OR 1=1", now=NOW)) < len(STORIES)
    with pytest.raises(QueryError, match="column 18"):
        corpus.store.search.ids("title:x' OR 1=1 --", now=NOW)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_arbitrary_queries_raise_only_query_error_and_change_nothing(
    watched: tuple[Corpus, Store], text: str
) -> None:
    corpus, other = watched
    version, changes = other.data_version(), corpus.store.db.conn.total_changes
    with contextlib.suppress(QueryError):
        _run_everything(corpus, text)
    _assert_unchanged(corpus, other, version, changes)


_WORDS = st.sampled_from(
    ["deepseek", "r1", "nvidia", '"export controls"', "chip*", "+china", "-junk", "is:read",
     "feed:reddit", "site:reuters.com", "@7d", "OR", "NOT", "(", ")", "sort:relevance",
     "sort:old", "title:x", 'follow:"DeepSeek R1 launch"', "author:smith", "'", '"', ";"]
)  # fmt: skip


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_WORDS, max_size=8))
def test_word_soup_pages_agree_with_ids(
    watched: tuple[Corpus, Store], plan: str, words: list[str]
) -> None:
    corpus, other = watched
    text = " ".join(words)
    version, changes = other.data_version(), corpus.store.db.conn.total_changes
    try:
        ids = set(corpus.store.search.ids(text, now=NOW))
    except QueryError:
        return
    paged = {s.id for s in corpus.store.search.iter(text, now=NOW, batch=3)}
    assert paged == ids
    assert corpus.store.search.count(text, now=NOW).value == len(ids)
    some = list(corpus.ids.values())[::2]
    within = set(corpus.store.search.ids(text, now=NOW, within=some))
    assert within == ids & set(some)
    _assert_unchanged(corpus, other, version, changes)


def test_database_file_untouched_by_a_query_storm(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "t.db")
    corpus.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (tmp_path / "t.db").read_bytes()
    for text in HOSTILE[:12]:
        with contextlib.suppress(QueryError):
            _run_everything(corpus, text)
    corpus.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (tmp_path / "t.db").read_bytes() == before
    corpus.store.close()
