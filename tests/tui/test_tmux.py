"""The real `tracker` command in a real terminal (tmux): what capture-pane shows, what is stored."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.conftest import story_state
from tests.tui.fixtures import FEEDS, build

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
TRACKER = Path(sys.executable).with_name("tracker")


# A tmux server of this test's own: sessions of parallel tests on a shared default server can
# take one another's window size.
TMUX = ["tmux", "-L", f"tracker-test-{os.getpid()}", "-f", "/dev/null"]
# pytest-xdist workers carry COLUMNS=80 LINES=24, which Textual would obey over the pane's size.
TMUX_ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def tmux(*args: str) -> str:
    done = subprocess.run([*TMUX, *args], capture_output=True, text=True, timeout=10)
    return done.stdout


def wait_for(session: str, needle: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not on screen:\n{screen}")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = build(tmp_path / "tracker.db")
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feed]]\nurl = "{f.url}"\ntitle = "{f.title}"\ntags = {list(f.tags)!r}\n\n'.replace(
                "'", '"'
            )
            for f in FEEDS
        )
    )
    name = f"tracker-test-{os.getpid()}"
    command = f"{TRACKER} --db {db} --config {config}"
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True,
        timeout=10,
        env={**TMUX_ENV, "TERM": "xterm-256color"},
    )
    try:
        yield name, db
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True, timeout=10)


def test_real_app_in_tmux(session: tuple[str, Path]) -> None:
    name, db = session
    wait_for(name, "Nvidia sheds $593bn")
    screen = wait_for(name, "5 feeds · 14 stories · 13 unread")  # counts come after the rows
    assert "14 stories" in screen and "Reuters Tech" in screen
    tmux("send-keys", "-t", name, "j", "Enter")
    screen = wait_for(name, "https://reuters.example/tech.rss/1")
    assert screen.count("Chip stocks slide on cheap-AI fears") == 2  # the row and the reader
    assert story_state(db, "Chip stocks slide on cheap-AI fears")[0] is True
    tmux("send-keys", "-t", name, "/")
    time.sleep(0.5)  # focus moves to the filter bar on the next turn of the event loop
    tmux("send-keys", "-t", name, *"nvidia", "Enter")
    screen = wait_for(name, "2 stories")
    assert "US weighs tighter export controls on Nvidia H20" in screen
    assert "Meta scrambles" not in screen
    tmux("send-keys", "-t", name, "q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run([*TMUX, "has-session", "-t", name], capture_output=True).returncode:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("q did not quit the app")
