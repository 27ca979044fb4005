"""What every command shares: resolved paths, the loaded config and an open store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.config import load_config

if TYPE_CHECKING:
    from tracker.models import Config
    from tracker.store import Store


class UsageProblem(Exception):
    """A user error that exits 2 with its message (bad query, unknown follow, ...)."""


def _validate_query(text: str) -> None:
    """feeds.toml queries are checked with the one query parser, once it exists."""
    try:
        from tracker.query import QueryError, parse
    except ImportError:
        return
    try:
        parse(text)
    except QueryError as exc:
        raise ValueError(f"bad query: {exc}") from None


class AppContext:
    def __init__(self, db_path: str | None, config_path: str | None, debug: bool) -> None:
        self._db_path = db_path
        self._config_path = config_path
        self.debug = debug
        self._store: Store | None = None
        self._config: Config | None = None

    @property
    def db_path(self) -> Path:
        if self._db_path:
            return Path(self._db_path)
        from tracker.paths import default_db_path  # platformdirs: only without --db/TRACKER_DB

        return default_db_path()

    @property
    def config_path(self) -> Path:
        if self._config_path:
            return Path(self._config_path)
        from tracker.paths import default_config_path

        return default_config_path()

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, _validate_query)
        return self._config

    def store(self) -> Store:
        if self._store is None:
            from tracker.store import Store  # sqlite-utils loads only for commands that need it

            self._store = Store.open(self.db_path, on_upgrade=_announce_upgrade)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _announce_upgrade() -> None:
    click.echo(
        "tracker: upgrading the database to this version (once; it can take a while when the "
        "database is large)…",
        err=True,
    )


def get_context() -> AppContext:
    obj = click.get_current_context().find_object(AppContext)
    if obj is None:
        raise RuntimeError("no tracker context")
    return obj
