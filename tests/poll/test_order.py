"""The order feeds start in: hosts take turns, so one host's queue cannot hold up the others."""

from __future__ import annotations

from tracker.models import Feed
from tracker.poll.poller import interleave_hosts


def _feed(feed_id: int, url: str) -> Feed:
    return Feed(feed_id, url, None, None, None, (), None, True, None, None, None, None, None,
                None, 0, None, None)  # fmt: skip


def test_hosts_take_turns_and_each_host_keeps_its_order() -> None:
    urls = [f"https://big.example/{i}" for i in range(4)] + [
        "https://a.example/1", "https://B.example/1", "https://a.example/2",
    ]  # fmt: skip
    feeds = [_feed(i, u) for i, u in enumerate(urls)]
    order = [f.url for f in interleave_hosts(feeds)]
    assert order == [
        "https://big.example/0", "https://a.example/1", "https://B.example/1",
        "https://big.example/1", "https://a.example/2",
        "https://big.example/2", "https://big.example/3",
    ]  # fmt: skip
    assert sorted(f.id for f in interleave_hosts(feeds)) == list(range(len(urls)))
