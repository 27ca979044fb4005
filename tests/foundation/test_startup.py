"""What a `tracker` run imports: a cron poll of unchanged feeds loads only the code it uses.

Each check runs the real command under `python -X importtime` and reads the modules it loaded
from stderr, so re-adding an eager import anywhere on the path makes it fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.httpserver import FeedServer, Route
from tracker.cli import run

# Never needed by `tracker poll` when every feed answers 304 (and there are no rules/follows).
NOT_ON_THE_WARM_POLL = (
    "textual",  # the app
    "rich",  # the progress bar: only on a terminal
    "tomlkit",  # editing feeds.toml: only when a feed moved permanently
    "feedparser",  # the parser processes: only for a changed body
    "platformdirs",  # default paths: only without --db/--config
    "sqlite_utils",  # migrating: only a new or older file
    "tracker.tui",
    "tracker.query",
    "tracker.rules",
    "tracker.follow_render",
    "tracker.store.search",
    "tracker.store.follow_match",
    "tracker.store.tags",
    "tracker.export",
    "tracker.discover",
    "tracker.opml",
)
THE_CLUSTERER = ("tracker.cluster", "tracker.store.clusters")
# Not even the store or the HTTP client for `--help`.
NOT_FOR_HELP = (
    *NOT_ON_THE_WARM_POLL,
    *THE_CLUSTERER,
    "aiohttp",
    "tracker.store",
    "tracker.poll",
)


def imported(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m tracker ARGS`; (the process, every module it imported)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and not line.rstrip().endswith("imported package")
    }
    return proc, modules


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of `names` (or their submodules) were imported."""
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


async def unchanged(request: web.Request) -> web.StreamResponse:
    """A feed that has not changed since the last poll (none of the tests here parses)."""
    return web.Response(status=304, headers={"ETag": '"v1"'})


@pytest.fixture(scope="module")
def warm_poll(tmp_path_factory: pytest.TempPathFactory) -> Iterator[set[str]]:
    """The modules imported by `tracker poll --all` of a feed that answers 304."""
    tmp = tmp_path_factory.mktemp("warm")
    with FeedServer() as server:
        server.set("/a.xml", Route(handler=unchanged))
        config = tmp / "feeds.toml"
        config.write_text(f'[[feed]]\nurl = "{server.url("/a.xml")}"\n', encoding="utf-8")
        base = ["--db", str(tmp / "t.db"), "--config", str(config)]
        assert run([*base, "poll", "--quiet"]) == 0  # creates the database, stores the ETag

        proc, modules = imported([*base, "poll", "--all", "--json"], tmp)
        assert proc.returncode == 0, proc.stderr[-2000:]
        summary = json.loads(proc.stdout)
        assert (summary["feeds"], summary["not_modified"], summary["errors"]) == (1, 1, 0)
        assert server.requests["/a.xml"][1].get("If-None-Match") == '"v1"'  # a conditional poll
    yield modules


def test_warm_poll_imports_only_the_poll_path(warm_poll: set[str]) -> None:
    # The probe sees the modules that do load (it cannot pass by reading nothing) ...
    assert {"aiohttp", "tracker.poll.poller", "tracker.store.feeds"} <= warm_poll
    # ... and none of those a warm poll does not need.
    assert loaded(warm_poll, NOT_ON_THE_WARM_POLL) == []


def test_warm_poll_does_not_load_the_clusterer(warm_poll: set[str]) -> None:
    assert loaded(warm_poll, THE_CLUSTERER) == []


def test_help_and_version_load_neither_store_nor_http(tmp_path: Path) -> None:
    for args in (["poll", "--help"], ["--version"]):
        proc, modules = imported(args, tmp_path)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "tracker" in proc.stdout
        assert {"click", "tracker.cli"} <= modules
        assert loaded(modules, NOT_FOR_HELP) == [], args


# A command registered on the real group, run through the real `entry`: what the collector is
# doing while a command runs, and the exit code `entry` passes on.
PROBE = """
import gc, sys
from tracker.cli import entry, main

@main.command("probe")
def probe():
    print(gc.isenabled(), gc.get_freeze_count() > 1000)
    sys.exit(3)

sys.argv = ["tracker", "probe"]
entry()
"""


def test_entry_runs_commands_with_the_collector_on_and_start_up_frozen(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert proc.stdout.split() == ["True", "True"], proc.stderr[-2000:]
    assert proc.returncode == 3


def test_run_in_process_leaves_the_callers_collector_alone(tmp_path: Path) -> None:
    import gc

    config = tmp_path / "feeds.toml"
    config.write_text('[[feed]]\nurl = "https://wire.example/ai.xml"\n', encoding="utf-8")
    frozen = gc.get_freeze_count()
    assert run(["--db", str(tmp_path / "t.db"), "--config", str(config), "feeds", "list"]) == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
