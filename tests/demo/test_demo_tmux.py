"""`tracker demo` end to end in a real terminal (tmux): the app opens, `r` polls the live server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
TRACKER = Path(sys.executable).with_name("tracker")
# A tmux server of this test's own: sessions of parallel tests on a shared default server can
# take one another's window size.
TMUX = ["tmux", "-L", f"tracker-demo-test-{os.getpid()}", "-f", "/dev/null"]
# pytest-xdist workers carry COLUMNS=80 LINES=24, which Textual would obey over the pane's size.
TMUX_ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def _screen(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
    ).stdout


def _statuses(db: Path) -> set[tuple[str | None, int | None]]:
    """(last status, HTTP status) over the demo's feeds: the app's poll is visible here."""
    with Store.open(db) as store:
        return {(feed.last_status, feed.http_status) for feed in store.feeds.all()}


def _wait(check: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.slow
def test_demo_opens_the_app_and_polls_the_live_sample_server(tmp_path: Path) -> None:
    db, done = tmp_path / "demo.db", tmp_path / "exit-code"
    session = f"tracker-demo-test-{os.getpid()}"
    command = f"'{TRACKER}' --db '{db}' demo; echo $? > '{done}'; sleep 60"
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
        check=True,
        env=TMUX_ENV,
    )
    try:
        assert _wait(lambda: "168 stories" in _screen(session)), _screen(session)
        # The sidebar fills in after the first rows paint.
        assert _wait(lambda: "DeepSeek R1 launch" in _screen(session), 20), _screen(session)
        for _attempt in range(3):  # a key sent while the app is still mounting can be lost
            subprocess.run([*TMUX, "send-keys", "-t", session, "r"], check=True)
            if _wait(lambda: _statuses(db) == {("not_modified", 304)}, 20):
                break
        assert _statuses(db) == {("not_modified", 304)}, _screen(session)
        subprocess.run([*TMUX, "send-keys", "-t", session, "q"], check=True)
        assert _wait(lambda: done.exists() and done.read_text().strip() != "", 20)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run([*TMUX, "kill-server"], check=False)
    with Store.open(db) as store:
        assert len(store.feeds.all()) == 11
