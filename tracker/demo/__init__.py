"""The offline demo: packaged sample feeds, their local server and the demo configuration."""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).parent
FEEDS_DIR = DEMO_DIR / "feeds"
DEMO_CONFIG = DEMO_DIR / "demo.toml"


def demo_config_text(port: int) -> str:
    """The demo's feeds.toml with every `{port}` placeholder replaced by `port`."""
    return DEMO_CONFIG.read_text(encoding="utf-8").replace("{port}", str(port))
