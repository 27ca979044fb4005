"""UTC time helpers: the one text format times have in the database."""

from __future__ import annotations

from datetime import UTC, datetime

DB_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # what `to_db` writes, with the year always 4 digits


def utcnow() -> datetime:
    """The current time, UTC-aware, to the second (the database's resolution)."""
    return datetime.now(UTC).replace(microsecond=0)


def to_db(value: datetime | None) -> str | None:
    """A datetime as the sortable text stored in SQLite: `2025-01-27T14:02:00Z`.

    Naive values are taken as UTC, other offsets converted, microseconds dropped. The year is
    zero-padded to 4 digits (strftime's %Y is not, on Linux), so the text sorts as the time.
    Formatted field by field: ~3x faster than `astimezone().strftime()`, and an ingest calls
    this for every story several times.
    """
    if value is None:
        return None
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 (twice as fast as an f-string)
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
    )


def from_db(value: str | None) -> datetime | None:
    """The inverse of `to_db` (UTC-aware)."""
    if not value:
        return None
    if len(value) == 20 and value[10] == "T" and value[19] == "Z":
        # fromisoformat reads the Z as UTC; ~20x faster than strptime over thousands of rows.
        return datetime.fromisoformat(value)
    return datetime.strptime(value, DB_FORMAT).replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC for exports (`2025-01-27T14:02:00Z`)."""
    return to_db(value)
