"""Fixtures shared by every test package: a fresh store on a real SQLite file, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NOW = datetime(2025, 1, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def now() -> datetime:
    return NOW


def shared_dir(*parts: str) -> Path:
    """A path under ../shared, or a clean skip when the shared data is not beside the repo."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
