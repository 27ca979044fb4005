"""The command line through its real entry points: options, env vars, exit codes, import hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import run

FEEDS = """\
# my feeds: this comment must survive edits
[settings]
interval = "30m"

[[feed]]
url = "https://wire.example/ai.xml"   # the wire
title = "Wire AI"
tags = ["ai"]
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(FEEDS, encoding="utf-8")
    return path


def cli(tmp_path: Path, config: Path, *args: str) -> int:
    return run(["--db", str(tmp_path / "t.db"), "--config", str(config), *args])


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert "tracker, version" in capsys.readouterr().out
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("feeds", "poll", "list"):
        assert command in out
    assert run(["feeds", "--help"]) == 0
    assert "add" in capsys.readouterr().out


def test_feeds_add_list_remove_keep_comments(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli(
            tmp_path,
            config,
            "feeds",
            "add",
            "--no-discover",
            "https://desk.example/feed",
            "--tag",
            "markets",
        )
        == 0
    )
    text = config.read_text()
    assert "# my feeds: this comment must survive edits" in text
    assert "# the wire" in text
    assert text.index("wire.example") < text.index("desk.example")
    assert cli(tmp_path, config, "feeds", "add", "--no-discover", "https://desk.example/feed") == 0
    assert "already listed" in capsys.readouterr().out
    assert cli(tmp_path, config, "feeds", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [f["url"] for f in listed] == [
        "https://wire.example/ai.xml",
        "https://desk.example/feed",
    ]
    assert listed[1]["tags"] == ["markets"]
    assert cli(tmp_path, config, "feeds", "remove", "https://wire.example/ai.xml") == 0
    assert "wire.example" not in config.read_text()
    assert "# my feeds" in config.read_text()
    assert cli(tmp_path, config, "feeds", "remove", "https://nowhere.example/") == 2


def test_bad_input_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nurl = "https://a.example/x"\nintervall = "1h"\n')
    assert cli(tmp_path, bad, "feeds", "list") == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: feed.intervall: unknown key" in err
    assert "Traceback" not in err
    assert run(["--db", str(tmp_path / "t.db"), "feeds", "add", "javascript:alert(1)"]) == 2
    assert run(["no-such-command"]) == 2


def env_without_tracker(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    env["HOME"] = str(tmp_path / "home")
    return env


def listed_feeds(workdir: Path, env: dict[str, str]) -> list[dict[str, object]]:
    """`python -m tracker feeds list --json` run as a user would, from `workdir`."""
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "feeds", "list", "--json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout))


def test_env_vars_and_platform_defaults(tmp_path: Path, config: Path) -> None:
    env = env_without_tracker(tmp_path)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    # No flags, no env, no ./feeds.toml: the packaged default is written to the config dir.
    assert len(listed_feeds(workdir, env)) >= 25
    assert (tmp_path / "cfg" / "tracker" / "feeds.toml").is_file()
    assert (tmp_path / "data" / "tracker" / "tracker.db").is_file()
    # Env vars take over.
    env.update(TRACKER_DB=str(tmp_path / "env.db"), TRACKER_CONFIG=str(config))
    assert [f["url"] for f in listed_feeds(workdir, env)] == ["https://wire.example/ai.xml"]
    assert (tmp_path / "env.db").is_file()
    # ./feeds.toml in the working directory wins over the user config dir.
    del env["TRACKER_CONFIG"]
    env["TRACKER_DB"] = str(tmp_path / "cwd.db")
    (workdir / "feeds.toml").write_text(config.read_text().replace("wire.example", "cwd.example"))
    assert [f["url"] for f in listed_feeds(workdir, env)] == ["https://cwd.example/ai.xml"]


def test_headless_commands_never_import_textual(tmp_path: Path, config: Path) -> None:
    probe = (
        "import sys\n"
        "from tracker.cli import run\n"
        "codes = [run(['--db', sys.argv[1], '--config', sys.argv[2], *a.split()])\n"
        "         for a in ('feeds list', 'poll --quiet', 'list', 'list --format json')]\n"
        "assert codes == [0, 0, 0, 0], codes\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "h.db"), str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env_without_tracker(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert proc.stdout.strip().endswith("clean")
