"""feeds.toml loading: the shipped file, and each kind of error with its line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import ConfigError, load_config, parse_duration, parse_size
from tracker.paths import packaged_feeds_toml

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
# a comment
[settings]
interval = "30m"
concurrency = 4
timeout = "20s"
max_bytes = "2MiB"

[[feed]]
url = "https://example.org/ai.xml"
title = "Example AI desk"
tags = ["ai", "us"]
interval = "2h"

[[feed]]
url = "https://example.net/feed"

[[rule]]
query = 'deepseek OR "r1"'
tag = "deepseek"

[[follow]]
name = "DeepSeek R1 launch"
query = 'deepseek (r1 OR reasoning)'
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_into_frozen_dataclasses(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.settings.interval == 1800
    assert config.settings.concurrency == 4
    assert config.settings.timeout == 20
    assert config.settings.max_bytes == 2 * 1024 * 1024
    assert [f.url for f in config.feeds] == [
        "https://example.org/ai.xml",
        "https://example.net/feed",
    ]
    assert config.feeds[0].tags == ("ai", "us")
    assert config.feeds[0].interval == 7200
    assert config.feeds[1].title is None and config.feeds[1].interval is None
    assert config.rules[0].tag == "deepseek"
    assert config.follows[0].name == "DeepSeek R1 launch"
    with pytest.raises(AttributeError):
        config.feeds[0].url = "x"  # type: ignore[misc]


def test_shipped_feeds_toml_is_valid_and_rich(tmp_path: Path) -> None:
    config = load_config(REPO / "feeds.toml")
    assert len(config.feeds) >= 25
    assert all(f.tags for f in config.feeds)
    assert {r.tag for r in config.rules} >= {"deepseek", "nvidia", "export-controls"}
    assert any("DeepSeek R1" in f.name for f in config.follows)
    assert packaged_feeds_toml().read_bytes() == (REPO / "feeds.toml").read_bytes()


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        (
            '[[feed]]\nurl = "https://a.example/x"\ncolour = "red"\n',
            3,
            "feed.colour",
            "unknown key",
        ),
        ('[settings]\ninterval = "soon"\n', 2, "settings.interval", "not a duration"),
        ('[settings]\ninterval = "1m"\n', 2, "settings.interval", "5m floor"),
        ('[[feed]]\nurl = "ftp://a.example/x"\n', 2, "feed.url", "not an http(s) URL"),
        ('[[feed]]\nurl = "notaurl"\n', 2, "feed.url", "not an http(s) URL"),
        (
            '[[feed]]\nurl = "https://a.example/x"\n\n[[feed]]\nurl = "https://a.example/x"\n',
            5,
            "feed.url",
            "duplicate feed (also at line 2)",
        ),
        ('[[feed]]\nurl = "https://a.example/x"\ntags = ["bad tag"]\n', 3, "feed.tags", "tag"),
        ('[[feed]]\ntitle = "no url"\n', 1, "feed", "missing required key 'url'"),
        ("[settings]\nconcurrency = 0\n", 2, "settings.concurrency", "1 to 256"),
        ('[settings]\nmax_bytes = "lots"\n', 2, "settings.max_bytes", "not a size"),
        ('colour = "red"\n', 1, "colour", "unknown key"),
        ('[[feed]]\nurl = "https://a.example/x"\ntags = [\n', 4, "toml", ""),
        ('[[follow]]\nname = "x"\n', 1, "follow", "missing required key 'query'"),
    ],
)
def test_each_error_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert (error.line, error.key) == (line, key), str(error)
    assert words in error.message
    assert str(error).startswith(f"{path}:{line}: {key}: ")


def test_bad_query_is_reported_through_the_validator(tmp_path: Path) -> None:
    def reject(query: str) -> None:
        raise ValueError(f"bad query: {query}")

    path = write(tmp_path, '[[rule]]\nquery = "((("\ntag = "x"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, reject)
    assert (caught.value.line, caught.value.key) == (2, "rule.query")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("30m", 1800), ("1h30m", 5400), ("2d", 172800), (90, 90), ("500ms", 0.5)],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "m", "1x", "-5m", True])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_sizes() -> None:
    assert parse_size("16MiB") == 16 * 2**20
    assert parse_size("500KB") == 500_000
    assert parse_size(1024) == 1024
    with pytest.raises(ValueError):
        parse_size("0MiB")
