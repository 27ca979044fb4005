"""parse_common_date reads a date just as feedparser's own chain of parsers does, or not at all."""

from __future__ import annotations

from typing import Any

from feedparser.datetimes import _date_handlers  # the oracle: the chain it is put in front of
from hypothesis import given, settings
from hypothesis import strategies as st

import tracker.poll.parse  # noqa: F401  (registers parse_common_date with feedparser)
from tracker.poll.dates import parse_common_date

NUMBERS = st.sampled_from(
    ["00", "01", "09", "12", "13", "23", "24", "28", "29", "31", "32", "59", "60"]
)
YEARS = st.sampled_from(["2025", "2024", "1970", "0001", "9999", "1900"])


def _feedparsers_own(value: str) -> Any:
    for handler in _date_handlers:
        if handler is parse_common_date:
            continue
        try:
            parsed = handler(value)
        except (KeyError, OverflowError, ValueError, AttributeError):
            continue
        if parsed and len(parsed) == 9:
            return parsed
    return None


RFC822 = st.builds(
    "{}, {} {} {} {}:{}:{} {}".format,
    st.sampled_from(["Mon", "Wed", "Sun", "Xyz"]),
    NUMBERS,
    st.sampled_from(["Jan", "Feb", "Dec", "Foo", "JAN"]),
    YEARS,
    NUMBERS,
    NUMBERS,
    NUMBERS,
    st.sampled_from(["GMT", "+0000", "-0000", "+0530", "-1200", "+9999", "EST", "Z"]),
)
RFC3339 = st.builds(
    "{}-{}-{}{}{}:{}:{}{}".format,
    YEARS,
    NUMBERS,
    NUMBERS,
    st.sampled_from(["T", "t", " "]),
    NUMBERS,
    NUMBERS,
    NUMBERS,
    st.sampled_from(["Z", "+00:00", "-00:00", "+05:30", "-12:00", "+99:99", "z", ""]),
)


@settings(max_examples=1500)
@given(st.one_of(RFC822, RFC3339))
def test_a_date_it_reads_is_read_as_feedparser_reads_it(value: str) -> None:
    ours = parse_common_date(value)
    if ours is not None:
        assert tuple(ours) == tuple(_feedparsers_own(value))


def _fields(value: str) -> tuple[int, ...]:
    parsed = parse_common_date(value)
    assert parsed is not None
    return tuple(parsed)[:6]


def test_common_dates_are_read_and_the_rest_left_to_feedparser() -> None:
    assert _fields("Wed, 01 Jan 2025 03:00:00 GMT") == (2025, 1, 1, 3, 0, 0)
    assert _fields("2025-01-01T03:00:00+05:30") == (2024, 12, 31, 21, 30, 0)
    assert _fields("Wed, 01 Jan 2025 03:00:00 -0100") == (2025, 1, 1, 4, 0, 0)
    for other in (
        "2025-01-01T03:00:00.5Z",
        "Wed, 1 Jan 2025 03:00 EST",
        "2025-02-30T00:00:00Z",
        "",
    ):
        assert parse_common_date(other) is None
    assert _date_handlers[0] is parse_common_date
