"""Building the demo database: a fresh file, the demo feeds.toml, one real poll, the counts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from tracker.config import load_config
from tracker.demo import demo_config_text
from tracker.models import Config
from tracker.poll.poller import PollSummary, ProgressCallback, poll
from tracker.query import QueryError, parse
from tracker.store import Store
from tracker.timeutil import utcnow

LOOPBACK = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")


class NotADemoDatabase(Exception):
    """The chosen file holds real feeds: the demo never touches a user's own database."""


@dataclass(frozen=True, slots=True)
class DemoCounts:
    """What the demo poll produced, for `tracker demo --no-open` and the tests."""

    feeds: int
    failing: int
    stories: int
    unread: int
    tags: dict[str, int] = field(default_factory=dict)
    follows: dict[str, int] = field(default_factory=dict)
    clusters: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "feeds": self.feeds,
            "failing": self.failing,
            "stories": self.stories,
            "unread": self.unread,
            "tags": self.tags,
            "follows": self.follows,
            "clusters": self.clusters,
            "seconds": round(self.seconds, 3),
        }


def config_path_for(db_path: Path) -> Path:
    """The generated feeds.toml beside a demo database (`demo.db` -> `demo-feeds.toml`)."""
    return db_path.with_name(db_path.stem + "-feeds.toml")


def reset_database(db_path: Path) -> None:
    """Delete a previous demo database (and its WAL files); refuse a real one."""
    if not db_path.exists():
        return
    with Store.open(db_path) as store:
        real = [feed.url for feed in store.feeds.all() if not feed.url.startswith(LOOPBACK)]
    if real:
        raise NotADemoDatabase(
            f"{db_path} holds {len(real)} real feed(s) (e.g. {real[0]}); "
            "the demo only writes to its own database: choose another --db"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)


def write_config(db_path: Path, port: int) -> Config:
    """Write the demo feeds.toml for a server on `port` beside the database and load it."""
    path = config_path_for(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(demo_config_text(port), encoding="utf-8")
    return load_config(path, _validate_query)


def _validate_query(text: str) -> None:
    try:
        parse(text)
    except QueryError as exc:
        raise ValueError(f"bad query: {exc}") from None


async def populate(
    db_path: Path, config: Config, progress: ProgressCallback | None = None
) -> PollSummary:
    """Sync feeds and follows from `config`, then poll every feed once with the real poller
    (rules, follows and clusters are applied at ingest)."""
    with Store.open(db_path) as store:
        store.feeds.sync(config)
        store.follows.sync(config, utcnow())
    return await poll(db_path, config, every=True, progress=progress)


def count(db_path: Path, summary: PollSummary | None = None) -> DemoCounts:
    """Feeds, stories, tags, follows and clusters now in the demo database."""
    with Store.open(db_path) as store:
        feeds = store.feeds.all()
        stories, unread = store.stories.totals()
        tags = {tag: n for tag, n, _unread in store.tags.counts()}
        follows = {f.name: f.story_count for f in store.follows.all(counts=True)}
        clusters = store.clusters.count()
    return DemoCounts(
        feeds=len(feeds),
        failing=sum(1 for feed in feeds if feed.last_error),
        stories=stories,
        unread=unread,
        tags=tags,
        follows=follows,
        clusters=clusters,
        seconds=summary.seconds if summary else 0.0,
    )


def build_demo(
    db_path: Path, port: int, progress: ProgressCallback | None = None
) -> tuple[Config, DemoCounts]:
    """The whole build for a sample server already listening on `port` (blocking)."""
    reset_database(db_path)
    config = write_config(db_path, port)
    summary = asyncio.run(populate(db_path, config, progress))
    return config, count(db_path, summary)
