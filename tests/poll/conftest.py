"""Fixtures for poller tests: a loopback feed server and a helper that syncs and polls."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import FeedServer
from tracker.models import Config, FeedConfig, RuleConfig, Settings
from tracker.poll.parsepool import ParsePool
from tracker.poll.poller import PollSummary, poll
from tracker.store import Store


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def parse_pool() -> Iterator[ParsePool]:
    """One set of parser processes for the whole session (starting them costs ~0.5 s)."""
    pool = ParsePool()
    yield pool
    pool.close()


@dataclass
class Poller:
    """Polls feeds.toml-like configs into one database file."""

    db: Path
    settings: Settings
    parser: ParsePool | None = None

    def config(
        self, *urls: str, tags: tuple[str, ...] = (), rules: tuple[RuleConfig, ...] = ()
    ) -> Config:
        """The config, also written as feeds.toml beside the database (a move rewrites it)."""
        path = self.db.parent / "feeds.toml"
        path.write_text("".join(f'[[feed]]\nurl = "{u}"\n\n' for u in urls), encoding="utf-8")
        feeds = tuple(FeedConfig(url=u, tags=tags) for u in urls)
        return Config(path=str(path), settings=self.settings, feeds=feeds, rules=rules)

    def run(
        self,
        *urls: str,
        tags: tuple[str, ...] = (),
        rules: tuple[RuleConfig, ...] = (),
        **kwargs: Any,
    ) -> PollSummary:
        config = self.config(*urls, tags=tags, rules=rules)
        with Store.open(self.db) as store:
            store.feeds.sync(config)
        kwargs.setdefault("every", True)
        kwargs.setdefault("parser", self.parser)
        return asyncio.run(poll(self.db, config, **kwargs))

    def store(self) -> Store:
        return Store.open(self.db)


@pytest.fixture
def poller(tmp_path: Path, parse_pool: ParsePool) -> Poller:
    return Poller(tmp_path / "tracker.db", Settings(timeout=5.0, max_bytes=1024 * 1024), parse_pool)
