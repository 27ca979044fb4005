"""Where the database and feeds.toml live (flags, environment, platformdirs defaults)."""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

import platformdirs

APP = "tracker"


def default_db_path() -> Path:
    env = os.environ.get("TRACKER_DB")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP)) / "tracker.db"


def packaged_feeds_toml() -> Path:
    """The default feeds.toml shipped in the wheel (or the repo's own in a source checkout)."""
    packaged = resources.files("tracker") / "data" / "feeds.toml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "feeds.toml"


def default_config_path() -> Path:
    """`TRACKER_CONFIG`, else ./feeds.toml, else the user config dir (seeded on first use)."""
    env = os.environ.get("TRACKER_CONFIG")
    if env:
        return Path(env)
    local = Path("feeds.toml")
    if local.is_file():
        return local
    user = Path(platformdirs.user_config_dir(APP)) / "feeds.toml"
    if not user.exists():
        user.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged_feeds_toml(), user)
    return user
