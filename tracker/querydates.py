"""Dates in queries: `@7d`, `@3-weeks-ago`, `@2025-01-20`, ranges; relative ones resolve late."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Unit = Literal["hours", "days", "weeks", "months", "years"]

_UNITS: dict[str, Unit] = {
    "h": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "month": "months", "months": "months",
    "y": "years", "year": "years", "years": "years",
}  # fmt: skip
_SHORT = re.compile(r"^(\d{1,6})([hdwmy])$")
_LONG = re.compile(r"^(\d{1,6})-([a-z]+?)(?:-(?:ago|old))?$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_FORMS = "@7d, @3-weeks-ago, @2025-01-20 or @2025-01-20--2025-02-01"


@dataclass(frozen=True, slots=True)
class DateBound:
    """A point in time: an absolute UTC instant, or `amount` `unit`s before the query's `now`."""

    at: datetime | None = None
    amount: int = 0
    unit: Unit = "days"

    @property
    def relative(self) -> bool:
        return self.at is None

    def resolve(self, now: datetime) -> datetime:
        if self.at is not None:
            return self.at
        if self.unit in ("months", "years"):
            months = self.amount * (12 if self.unit == "years" else 1)
            return _months_before(now, months)
        try:
            return now - timedelta(**{self.unit: self.amount})
        except OverflowError:  # further back than the calendar goes: the beginning of time
            return datetime(1, 1, 1, tzinfo=now.tzinfo)

    def resolved(self, now: datetime) -> DateBound:
        return DateBound(at=self.resolve(now))

    def __str__(self) -> str:
        if self.at is not None:
            return self.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.amount}-{self.unit}-ago"


def _months_before(now: datetime, months: int) -> datetime:
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    if year < 1:
        return datetime(1, 1, 1, tzinfo=now.tzinfo)
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def parse_point(text: str, *, end: bool) -> DateBound:
    """One bound; an absolute day used as an end covers that whole day. ValueError if bad."""
    text = text.lower()
    match = _SHORT.match(text)
    if match:
        return DateBound(amount=int(match.group(1)), unit=_UNITS[match.group(2)])
    match = _LONG.match(text)
    if match and match.group(2) in _UNITS and len(match.group(2)) > 1:
        return DateBound(amount=int(match.group(1)), unit=_UNITS[match.group(2)])
    match = _DAY.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            at = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            raise ValueError(f"{text!r} is not a calendar date") from None
        if end:  # the end of that day (the calendar's last day has no next one)
            try:
                at += timedelta(days=1)
            except OverflowError:
                at = datetime.max.replace(tzinfo=UTC)
        return DateBound(at=at)
    raise ValueError(f"cannot read {text!r} as a date")


def parse_range(text: str) -> tuple[DateBound | None, DateBound | None]:
    """`7d` (since), `2025-01-20--2025-02-01` (a range, either order); ValueError if bad."""
    if "--" in text:
        first, _, second = text.partition("--")
        a = parse_point(first, end=False)
        b = parse_point(second, end=True)
        if a.relative == b.relative and _order_key(a) > _order_key(b):
            # elfeed accepts either order: the older end starts the range
            a, b = parse_point(second, end=False), parse_point(first, end=True)
        return a, b
    return parse_point(text, end=False), None


_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)


def _order_key(bound: DateBound) -> datetime:
    """Bounds of one kind compare by when they fall (relative ones against a fixed day)."""
    return bound.resolve(_REFERENCE)
