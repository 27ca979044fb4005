"""The database time format: UTC text that sorts as the time, and `from_db` its exact inverse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tracker.timeutil import from_db, iso, to_db, utcnow

OFFSETS = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timedelta(minutes=minutes)
)
# Away from the ends of the calendar, so that converting an offset to UTC stays in range.
AWARE = st.builds(
    lambda dt, off: dt.replace(tzinfo=timezone(off)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    OFFSETS,
)


def test_utc_round_trip_and_format() -> None:
    when = datetime(2025, 1, 27, 14, 2, 0, tzinfo=UTC)
    assert to_db(when) == "2025-01-27T14:02:00Z"
    assert from_db("2025-01-27T14:02:00Z") == when
    assert from_db(to_db(when)) == when
    assert iso(when) == "2025-01-27T14:02:00Z"
    assert to_db(None) is None
    assert from_db(None) is None
    assert from_db("") is None


def test_naive_is_utc_offsets_converted_microseconds_dropped() -> None:
    assert to_db(datetime(2025, 3, 1, 9, 30, 15)) == "2025-03-01T09:30:15Z"
    tokyo = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert to_db(tokyo) == "2025-03-01T00:30:00Z"
    # Past midnight backwards across a month and a year.
    new_york = datetime(2025, 1, 1, 0, 15, tzinfo=ZoneInfo("America/New_York"))
    assert to_db(new_york) == "2025-01-01T05:15:00Z"
    late = datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-1)))
    assert to_db(late) == "2025-01-01T00:59:59Z"  # truncated, never rounded up
    assert to_db(datetime(2025, 3, 1, 9, 30, 15, 999_999, tzinfo=UTC)) == "2025-03-01T09:30:15Z"
    # A zero offset that is not the UTC singleton.
    assert to_db(datetime(2025, 3, 1, 9, 30, tzinfo=ZoneInfo("UTC"))) == "2025-03-01T09:30:00Z"


def test_years_1_and_9999_are_zero_padded_and_read_back() -> None:
    first = datetime(1, 1, 1, tzinfo=UTC)
    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert to_db(first) == "0001-01-01T00:00:00Z"
    assert to_db(datetime(999, 5, 6, 7, 8, 9)) == "0999-05-06T07:08:09Z"
    assert to_db(last) == "9999-12-31T23:59:59Z"
    assert from_db("0001-01-01T00:00:00Z") == first
    assert from_db("9999-12-31T23:59:59Z") == last
    times = [last, first, datetime(999, 5, 6, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)]
    assert sorted(to_db(t) or "" for t in times) == [to_db(t) for t in sorted(times)]


def test_read_back_is_utc_aware() -> None:
    back = from_db("2025-06-01T12:00:00Z")
    assert back is not None
    assert back.utcoffset() == timedelta(0)
    assert back.tzinfo == UTC
    now = utcnow()
    assert now.microsecond == 0
    assert from_db(to_db(now)) == now


@given(AWARE)
def test_inverse_and_order_for_any_offset(value: datetime) -> None:
    text = to_db(value)
    assert text is not None
    assert len(text) == 20
    back = from_db(text)
    assert back is not None and back.tzinfo == UTC
    assert back <= value < back + timedelta(seconds=1)  # the same instant, to the second
    assert back.microsecond == 0
    assert to_db(back) == text


@given(AWARE, AWARE)
def test_text_sorts_as_the_time(a: datetime, b: datetime) -> None:
    ta, tb = to_db(a), to_db(b)
    assert ta is not None and tb is not None
    if a < b:
        assert ta <= tb
    back_a, back_b = from_db(ta), from_db(tb)
    assert back_a is not None and back_b is not None
    assert (ta < tb) == (back_a < back_b)
