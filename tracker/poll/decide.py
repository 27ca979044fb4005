"""Pure decisions of one poll: story identity and content hash, outcome, next poll time, backoff."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING

from tracker.models import Feed, ParsedEntry, ParsedFeed, PollStatus, StoryRecord
from tracker.poll.entries import content_hash
from tracker.store.feeds import PollOutcome

if TYPE_CHECKING:  # the parser processes import this module: no aiohttp there
    from tracker.poll.fetch import FetchResponse

FLOOR = 5 * 60  # never poll one feed more often than this
CEILING = 24 * 3600  # server hints and backoff never push a poll further than this
MAX_KEY = 1000  # longer guids/links are stored as their hash
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to write for one feed, and how to report it."""

    status: PollStatus
    outcome: PollOutcome
    records: tuple[StoryRecord, ...] = ()
    warning: str | None = None


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def identity_key(e: ParsedEntry) -> str:
    """guid / Atom id, else link, else a hash of title and content (over-long ids hashed)."""
    if e.guid and e.guid.strip():
        key = e.guid.strip()
    elif e.url:
        key = e.url
    else:
        key = f"{e.title}\x00{e.content}"
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    if len(key) > MAX_KEY:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return key


def story_records(entries: Sequence[ParsedEntry]) -> tuple[StoryRecord, ...]:
    """One record per entry. A key seen earlier in the same document gets a suffix (its content
    hash, then a counter), so duplicate or empty guids lose no entry and keys stay the same on
    every poll of the same document."""
    out: list[StoryRecord] = []
    used: set[str] = set()
    for e in entries:
        key, chash = identity_key(e), e.content_hash or content_hash(e)
        if key in used:
            key = base = f"{key}#{chash[:16]}"
            n = 1
            while key in used:
                n += 1
                key = f"{base}-{n}"
        used.add(key)
        out.append(
            StoryRecord(
                key=key,
                guid=e.guid,
                url=e.url,
                title=e.title,
                author=e.author,
                summary=e.summary,
                content_html=e.content_html,
                content=e.content,
                published=e.published,
                updated=e.updated,
                content_hash=chash,
                categories=e.categories,
            )
        )
    return tuple(out)


# --- schedule ---------------------------------------------------------------------------------


def retry_after(headers: Mapping[str, str], now: datetime) -> int | None:
    """`Retry-After` in seconds (delta or HTTP date); None when absent or junk."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return int(value)
    return _seconds_until(value, now)


def cache_hint(headers: Mapping[str, str], now: datetime) -> int | None:
    """The longer of `Cache-Control: max-age` and `Expires`, in seconds."""
    hints: list[int] = []
    control = headers.get("cache-control", "")
    found = _MAX_AGE.search(control)
    if found and "no-cache" not in control.lower() and "no-store" not in control.lower():
        hints.append(int(found.group(1)))
    expires = _seconds_until(headers.get("expires", ""), now)
    if expires is not None:
        hints.append(expires)
    return max(hints) if hints else None


def _seconds_until(value: str, now: datetime) -> int | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - now).total_seconds()))


def next_success(now: datetime, interval: int, hints: Sequence[int | None]) -> datetime:
    """clamp(max(interval, hints...)): hints never shorten the interval nor pass the ceiling."""
    hint = max((h for h in hints if h is not None), default=0)
    wait = max(interval, min(hint, max(CEILING, interval)), FLOOR)
    return now + timedelta(seconds=wait)


def next_after_error(now: datetime, interval: int, errors: int, after: int | None) -> datetime:
    """Exponential backoff from the interval (errors >= 1), at least `Retry-After`."""
    backoff = interval * 2 ** min(max(errors - 1, 0), 16)
    wait = max(FLOOR, min(max(backoff, after or 0), max(CEILING, interval)))
    return now + timedelta(seconds=wait)


# --- one poll's outcome -----------------------------------------------------------------------


def http_status_line(status: int) -> str:
    """`HTTP 404 Not Found`: the code with its standard phrase, which says more to a reader of
    `tracker feeds list --errors` than the number alone (unknown codes stay bare)."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def decide(
    feed: Feed,
    resp: FetchResponse,
    parsed: ParsedFeed | None,
    parse_error: str | None,
    now: datetime,
    interval: int,
    digest: str | None,
) -> Decision:
    """The outcome of one fetch (and parse, when one ran). `parsed` and `parse_error` are both
    None when parsing was skipped (304, or a 200 whose body hash is unchanged); `digest` is
    the body's `body_hash` for a 2xx response (the poller needed it to decide on parsing)."""
    status, headers = resp.status, resp.headers

    def error(message: str, *, http: int | None = status, after: int | None = None) -> Decision:
        count = feed.error_count + 1
        return Decision(
            "error",
            PollOutcome(
                status="error",
                http_status=http,
                error=message,
                error_count=count,
                etag=feed.etag,
                last_modified=feed.last_modified,
                body_hash=feed.body_hash,
                next_poll_at=next_after_error(now, interval, count, after),
            ),
        )

    if resp.error is not None or status is None:
        return error(resp.error or "no response")
    if status == 410:
        return Decision(
            "gone",
            PollOutcome("gone", 410, "410 Gone: the server removed this feed; polling stopped",
                        feed.error_count + 1, feed.etag, feed.last_modified, feed.body_hash,
                        None),
        )  # fmt: skip
    if status in (429, 503):
        after = retry_after(headers, now)
        note = f"retry after {after}s" if after is not None else "no usable Retry-After"
        return error(f"{http_status_line(status)} ({note})", after=after)
    hints = (cache_hint(headers, now), (parsed.ttl_seconds if parsed else None))
    if status == 304:
        return Decision(
            "not_modified",
            PollOutcome("not_modified", 304, None, 0, headers.get("etag") or feed.etag,
                        headers.get("last-modified") or feed.last_modified, feed.body_hash,
                        next_success(now, interval, hints)),
        )  # fmt: skip
    if not 200 <= status < 300:
        return error(http_status_line(status))
    assert digest is not None, "a 2xx response comes with its body hash"
    etag, modified = headers.get("etag"), headers.get("last-modified")
    if parsed is None and parse_error is None:  # unchanged body: parsing was skipped
        return Decision(
            "not_modified",
            PollOutcome("not_modified", status, None, 0, etag, modified, digest,
                        next_success(now, interval, hints)),
        )  # fmt: skip
    if parsed is None:
        failed = error(parse_error or "not a feed")
        # Forget validators and body hash: the next poll must fetch and parse again.
        outcome = failed.outcome
        return Decision(
            "error",
            PollOutcome(outcome.status, status, outcome.error, outcome.error_count, None, None,
                        None, outcome.next_poll_at),
        )  # fmt: skip
    moved = resp.final_url if resp.permanent and resp.final_url != feed.url else None
    return Decision(
        "ok",
        PollOutcome(
            status="ok",
            http_status=status,
            error=None,
            error_count=0,
            etag=etag,
            last_modified=modified,
            body_hash=digest,
            next_poll_at=next_success(now, interval, hints),
            feed_title=parsed.title,
            site_url=parsed.site_url,
            new_url=moved,
        ),
        story_records(parsed.entries),
        parsed.warning,
    )
