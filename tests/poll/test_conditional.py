"""GUIDE rules 1 and 2: conditional GET, body-hash skip, schedule, backoff, Retry-After, 410."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.httpserver import FeedServer, Route, simple_rss
from tests.poll.conftest import Poller

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def test_validators_sent_back_byte_for_byte(server: FeedServer, poller: Poller) -> None:
    etag = 'W/"odd  value; \\"quoted\\""'
    modified = "Mon, 27 Jan 2025 10:00:00 GMT"
    server.feed("/a.xml", simple_rss(3), etag=etag, last_modified=modified)
    url = server.url("/a.xml")
    first = poller.run(url)
    assert first.results[0].status == "ok" and first.results[0].new == 3
    second = poller.run(url)
    sent = server.requests["/a.xml"][-1]
    assert sent["If-None-Match"] == etag
    assert sent["If-Modified-Since"] == modified
    assert second.results[0].status == "not_modified"
    assert second.results[0].http_status == 304
    with poller.store() as store:
        feed = store.feeds.get(url)
    assert feed is not None and feed.etag == etag and feed.last_modified == modified


def test_dropped_validators_are_forgotten(server: FeedServer, poller: Poller) -> None:
    route = server.feed("/a.xml", simple_rss(2), etag='"v1"', last_modified="Mon, 27 Jan 2025")
    url = server.url("/a.xml")
    poller.run(url)
    route.etag = route.last_modified = None
    route.body = simple_rss(3)
    result = poller.run(url).results[0]
    assert result.status == "ok" and result.new == 1
    with poller.store() as store:
        feed = store.feeds.get(url)
    assert feed is not None and feed.etag is None and feed.last_modified is None
    poller.run(url)
    assert "If-None-Match" not in server.requests["/a.xml"][-1]
    assert "If-Modified-Since" not in server.requests["/a.xml"][-1]


def test_304_with_a_new_etag_is_adopted(server: FeedServer, poller: Poller) -> None:
    route = server.feed("/a.xml", simple_rss(2), etag='"v1"')
    url = server.url("/a.xml")
    poller.run(url)
    route.not_modified_headers = {"ETag": '"v2"'}
    assert poller.run(url).results[0].status == "not_modified"
    with poller.store() as store:
        feed = store.feeds.get(url)
    assert feed is not None and feed.etag == '"v2"'
    poller.run(url)
    assert server.requests["/a.xml"][-1]["If-None-Match"] == '"v2"'


def test_unchanged_body_skips_parsing_and_is_not_modified(
    server: FeedServer, poller: Poller
) -> None:
    server.feed("/a.xml", simple_rss(4))  # no validators at all
    url = server.url("/a.xml")
    assert poller.run(url).results[0].new == 4
    again = poller.run(url).results[0]
    assert (again.status, again.http_status, again.new, again.updated) == (
        "not_modified",
        200,
        0,
        0,
    )


def test_success_schedule_honours_ttl_and_max_age(server: FeedServer, poller: Poller) -> None:
    server.feed("/ttl.xml", simple_rss(1).replace(b"<title>", b"<ttl>180</ttl><title>", 1))
    server.feed("/cc.xml", simple_rss(1), headers={"Cache-Control": "public, max-age=7200"})
    server.feed("/plain.xml", simple_rss(1))
    expires = format_datetime(NOW + timedelta(hours=3), usegmt=True)
    server.feed("/exp.xml", simple_rss(1), headers={"Expires": expires})
    server.feed("/far.xml", simple_rss(1), headers={"Cache-Control": "max-age=9999999"})
    urls = [server.url(p) for p in ("/ttl.xml", "/cc.xml", "/plain.xml", "/exp.xml", "/far.xml")]
    poller.run(*urls, clock=clock)
    with poller.store() as store:
        due = {u: store.feeds.get(u).next_poll_at for u in urls}  # type: ignore[union-attr]
    assert due[urls[0]] == NOW + timedelta(minutes=180)  # <ttl> in minutes beats the hour
    assert due[urls[1]] == NOW + timedelta(hours=2)
    assert due[urls[2]] == NOW + timedelta(hours=1)  # the configured interval
    assert due[urls[3]] == NOW + timedelta(hours=3)
    assert due[urls[4]] == NOW + timedelta(hours=24)  # the ceiling
    # Times live in SQLite: a run that is not --all polls nothing before they come.
    assert poller.run(*urls, every=False, clock=clock).results == ()


def test_errors_back_off_exponentially_and_reset_on_success(
    server: FeedServer, poller: Poller
) -> None:
    server.status("/a.xml", 404)
    url = server.url("/a.xml")
    waits = []
    for _ in range(3):
        result = poller.run(url, clock=clock).results[0]
        assert result.status == "error" and result.error == "HTTP 404 Not Found"
        with poller.store() as store:
            feed = store.feeds.get(url)
        assert feed is not None and feed.next_poll_at is not None
        waits.append(feed.next_poll_at - NOW)
    assert waits == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4)]
    assert feed is not None and feed.error_count == 3 and feed.active
    assert feed.last_error == "HTTP 404 Not Found"
    server.feed("/a.xml", simple_rss(1))
    assert poller.run(url, clock=clock).results[0].status == "ok"
    with poller.store() as store:
        feed = store.feeds.get(url)
    assert feed is not None and feed.error_count == 0 and feed.last_error is None
    assert feed.next_poll_at == NOW + timedelta(hours=1)


def test_retry_after_seconds_date_and_junk(server: FeedServer, poller: Poller) -> None:
    later = format_datetime(NOW + timedelta(hours=5), usegmt=True)
    server.status("/s.xml", 503, {"Retry-After": "10800"})
    server.status("/d.xml", 429, {"Retry-After": later})
    server.status("/j.xml", 503, {"Retry-After": "soon-ish"})
    urls = [server.url(p) for p in ("/s.xml", "/d.xml", "/j.xml")]
    results = poller.run(*urls, clock=clock).results
    assert [r.status for r in results] == ["error", "error", "error"]
    assert [r.error for r in results] == [
        "HTTP 503 Service Unavailable (retry after 10800s)",
        "HTTP 429 Too Many Requests (retry after 18000s)",
        "HTTP 503 Service Unavailable (no usable Retry-After)",
    ]
    with poller.store() as store:
        feeds = [store.feeds.get(u) for u in urls]
        due_urls = [f.url for f in store.feeds.due(NOW + timedelta(days=2))]
    waits = [f.next_poll_at - NOW for f in feeds if f and f.next_poll_at]
    assert waits == [timedelta(hours=3), timedelta(hours=5), timedelta(hours=1)]
    assert all(f is not None and f.active and f.last_status == "error" for f in feeds)
    assert due_urls == urls  # never disabled


def test_410_stops_polling(server: FeedServer, poller: Poller) -> None:
    server.set("/a.xml", Route(status=410, body=b"gone"))
    url = server.url("/a.xml")
    result = poller.run(url).results[0]
    assert result.status == "gone" and result.http_status == 410
    assert poller.run(url).results == ()  # even --all skips it
    assert server.hits["/a.xml"] == 1
    with poller.store() as store:
        feed = store.feeds.get(url)
    assert feed is not None and feed.last_status == "gone" and "410" in (feed.last_error or "")
    assert feed.failure == (
        "gone: 410 Gone: the server removed this feed; polling stopped "
        "(failures in a row: 1, not polled again)"
    )
