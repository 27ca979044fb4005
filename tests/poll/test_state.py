"""Re-polling never resets what the user did; ingest hooks run in the feed's transaction."""

from __future__ import annotations

from tests.httpserver import FeedServer, rss
from tests.poll.conftest import Poller
from tracker.models import RuleConfig
from tracker.timeutil import utcnow


def _doc(body: str) -> bytes:
    return rss(
        [
            {"guid": "keep", "title": "Kept story", "link": "http://e.org/k", "description": body},
            {"guid": "other", "title": "Other", "link": "http://e.org/o", "description": "same"},
        ]
    )


def test_starred_read_tagged_story_keeps_its_state_when_content_changes(
    server: FeedServer, poller: Poller
) -> None:
    server.feed("/a.xml", _doc("first version"))
    url = server.url("/a.xml")
    assert poller.run(url, tags=("ai",)).results[0].new == 2
    with poller.store() as store:
        (sid,) = [s.id for s in store.stories.many(_ids(store)) if s.key == "keep"]
        store.stories.set_read([sid], True, utcnow())
        store.stories.set_starred([sid], True)
        store.tags.add([sid], ["mine"], utcnow())
    server.routes["/a.xml"].body = _doc("second, corrected version")
    result = poller.run(url, tags=("ai",)).results[0]
    assert (result.status, result.new, result.updated) == ("ok", 0, 1)
    with poller.store() as store:
        story = store.stories.get(sid)
        assert story is not None
        assert story.read and story.starred
        assert set(story.tags) == {"ai", "mine"}
        assert "second, corrected" in story.content_html
        assert store.stories.totals() == (2, 1)


def test_deleted_story_does_not_come_back(server: FeedServer, poller: Poller) -> None:
    server.feed("/a.xml", _doc("v1"))
    url = server.url("/a.xml")
    poller.run(url)
    with poller.store() as store:
        (sid,) = [s.id for s in store.stories.many(_ids(store)) if s.key == "keep"]
        store.stories.delete([sid], utcnow())
    server.routes["/a.xml"].body = _doc("v2")
    result = poller.run(url).results[0]
    assert (result.new, result.updated) == (0, 0)
    with poller.store() as store:
        assert store.stories.totals()[0] == 1


def _ids(store: object) -> list[int]:
    from tracker.store import Store

    assert isinstance(store, Store)
    return [int(r[0]) for r in store.db.conn.execute("SELECT id FROM stories")]


def test_ingest_hooks_tag_by_rule_and_cluster_in_the_same_poll(
    server: FeedServer, poller: Poller
) -> None:
    doc = rss(
        [
            {
                "guid": "a",
                "title": "DeepSeek releases R1 reasoning model",
                "link": "http://e.org/a",
            },
            {"guid": "b", "title": "Weather is mild today", "link": "http://e.org/b"},
        ]
    )
    server.feed("/a.xml", doc)
    rule = RuleConfig(query="deepseek", tag="deepseek")
    result = poller.run(server.url("/a.xml"), rules=(rule,)).results[0]
    assert result.new == 2
    with poller.store() as store:
        stories = {s.key: s for s in store.stories.many(_ids(store))}
    assert "deepseek" in stories["a"].tags and "deepseek" not in stories["b"].tags
    assert all(s.cluster_id is not None for s in stories.values())  # clustered before poll returns
