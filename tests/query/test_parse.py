"""The query parser: every SPEC §3 form, precedence, dates, and errors that name the column."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.query import (
    And,
    DateRange,
    Field,
    Follow,
    Not,
    Or,
    QueryError,
    State,
    Tag,
    Text,
    parse,
)
from tracker.querydates import DateBound

NOW = datetime(2025, 1, 27, 12, 0, tzinfo=UTC)


def day(y: int, m: int, d: int) -> DateBound:
    return DateBound(at=datetime(y, m, d, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("deepseek", Text("deepseek")),
        ('"a phrase"', Text("a phrase", phrase=True)),
        ("deep*", Text("deep", prefix=True)),
        ('"deep lear"*', Text("deep lear", phrase=True, prefix=True)),
        ("title:r1", Text("r1", field="title")),
        ('title:"chip stocks"', Text("chip stocks", phrase=True, field="title")),
        ("author:smith", Field("author", "smith")),
        ('feed:"The Verge"', Field("feed", "The Verge")),
        ("site:reuters.com", Field("site", "reuters.com")),
        ("+china", Tag("china")),
        ("tag:china", Tag("china")),
        ("-junk", Not(Tag("junk"))),
        ("is:unread", State("unread")),
        ("IS:Starred", State("starred")),
        ('follow:"DeepSeek R1 launch"', Follow("DeepSeek R1 launch")),
        ("@7d", DateRange(DateBound(amount=7, unit="days"), None)),
        ("@3-weeks-ago", DateRange(DateBound(amount=3, unit="weeks"), None)),
        ("@2025-01-20", DateRange(day(2025, 1, 20), None)),
        ("@2025-01-20--2025-02-01", DateRange(day(2025, 1, 20), day(2025, 2, 2))),
        ("@2025-02-01--2025-01-20", DateRange(day(2025, 1, 20), day(2025, 2, 2))),
        ("since:2025-01-20", DateRange(day(2025, 1, 20), None)),
        ("until:2025-02-01", DateRange(None, day(2025, 2, 2))),
        ("a b", And((Text("a"), Text("b")))),
        ("a AND b", And((Text("a"), Text("b")))),
        ("a OR b", Or((Text("a"), Text("b")))),
        ("NOT a", Not(Text("a"))),
        ("a b OR c", Or((And((Text("a"), Text("b"))), Text("c")))),
        ("a (b OR c)", And((Text("a"), Or((Text("b"), Text("c")))))),
        ("NOT a b", And((Not(Text("a")), Text("b")))),
        ('-"x y"', Not(Text("x y", phrase=True))),
        ("-(a OR b)", Not(Or((Text("a"), Text("b"))))),
        ("-feed:reddit", Not(Field("feed", "reddit"))),
        ("a or b", And((Text("a"), Text("or"), Text("b")))),  # operators are upper case
        ("gpt-4o", Text("gpt-4o")),
        ("", None),
        ("   ", None),
        ("sort:old", None),
    ],
)
def test_forms(text: str, root: object) -> None:
    assert parse(text).root == root


def test_spec_examples() -> None:
    q = parse("deepseek +china is:unread @7d")
    assert q.root == And(
        (
            Text("deepseek"),
            Tag("china"),
            State("unread"),
            DateRange(DateBound(amount=7, unit="days"), None),
        )
    )
    q = parse('(nvidia OR "nasdaq") NOT feed:reddit')
    assert q.root == And(
        (Or((Text("nvidia"), Text("nasdaq", phrase=True))), Not(Field("feed", "reddit")))
    )
    q = parse('follow:"DeepSeek R1 launch" since:2025-01-27')
    assert q.root == And((Follow("DeepSeek R1 launch"), DateRange(day(2025, 1, 27), None)))


def test_sort_and_default_order() -> None:
    assert parse("deepseek").order == "new"
    assert parse("deepseek sort:relevance").order == "relevance"
    assert parse("sort:relevance +china").order == "new"  # nothing to rank
    assert parse("x sort:old").sort == "old"
    assert parse("x sort:old").root == Text("x")


def test_relative_dates_resolve_against_now() -> None:
    q = parse("@7d")
    assert isinstance(q.root, DateRange) and q.root.start is not None
    assert q.root.start.relative
    resolved = parse("@7d", now=NOW).root
    assert resolved == DateRange(DateBound(at=datetime(2025, 1, 20, 12, tzinfo=UTC)), None)
    months = parse("@2-months-ago--1-month-ago", now=NOW).root
    assert months == DateRange(
        DateBound(at=datetime(2024, 11, 27, 12, tzinfo=UTC)),
        DateBound(at=datetime(2024, 12, 27, 12, tzinfo=UTC)),
    )
    march = DateBound(amount=1, unit="months").resolve(datetime(2025, 3, 31, tzinfo=UTC))
    assert march == datetime(2025, 2, 28, tzinfo=UTC)
    assert parse("@1y", now=NOW).root == DateRange(DateBound(at=NOW.replace(year=2024)), None)
    assert parse("@12h", now=NOW).root == DateRange(DateBound(at=NOW.replace(hour=0)), None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deepseek AND )", "column 14: unexpected ')'; expected a term"),
        ("(a", "column 3: unexpected end of query; expected ')'"),
        ("a OR", "column 5: unexpected end of query; expected a term"),
        ("OR a", "column 1: unexpected 'OR'; expected a term"),
        ("a )", "column 3: unexpected ')'; expected a term, OR or the end of the query"),
        ("()", "column 2: unexpected ')'; expected a term"),
        ("NOT", "column 4: unexpected end of query; expected a term"),
        ('x "abc', "column 3: unterminated quote; expected a closing '\"'"),
        ("x foo:bar", "column 3: unknown field 'foo:'"),
        ("is:x", "column 1: unknown is: value 'x'; expected unread, read, starred"),
        ("sort:up", "column 1: unknown sort: value 'up'; expected new, old or relevance"),
        ("+", "column 1: expected a tag name after '+'"),
        ("a - b", "column 3: expected a tag name after '-'"),
        ("+a!b", "column 1: 'a!b' is not a tag name"),
        ("!!!", "column 1: '!!!' has no letters or digits"),
        ("title:", "column 1: expected a value after 'title:'"),
        ("x @junk", "column 3: cannot read 'junk' as a date; expected @7d"),
        ("@2025-02-30", "column 1: '2025-02-30' is not a calendar date"),
        ("until:2025-01-01--2025-02-01", "column 1: until: takes one date"),
        ("NOT sort:new", "column 1: 'NOT' cannot apply to sort:"),
        ("(" * 40 + "a" + ")" * 40, "column 33: nested too deeply"),
        ("a " * 201, "column 401: too many terms (at most 200)"),
    ],
)
def test_errors_name_the_column(text: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse(text)
    assert str(info.value).startswith(message)
    assert info.value.position >= 1


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_parses_or_raises_query_error(text: str) -> None:
    try:
        parse(text, now=NOW)
    except QueryError as exc:
        assert 1 <= exc.position <= len(text) + 1


_PIECES = st.sampled_from(
    ["a", "b", '"c d"', "e*", "+t", "-u", "(", ")", "OR", "AND", "NOT", "is:read", "@7d",
     "title:x", "feed:y", "sort:old", '"', ":", "-", "+", "@", "@2025-01-01--3d",
     "@999999w", "until:9999-12-31", "@999999m--1d"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_operator_soup_parses_or_raises_query_error(pieces: list[str]) -> None:
    text = " ".join(pieces)
    try:
        parse(text)
    except QueryError as exc:
        assert 1 <= exc.position <= len(text) + 1


def test_long_query_is_an_error_not_a_crash() -> None:
    with pytest.raises(QueryError):
        parse("(" * 5000 + "x" + ")" * 5000)
    with pytest.raises(QueryError):
        parse("NOT " * 5000 + "x")
    assert parse("x" * 10_000).root == Text("x" * 10_000)
