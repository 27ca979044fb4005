"""feeds.toml -> a validated `Config`; every error names file, line and key."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.models import Config, FeedConfig, FollowConfig, RuleConfig, Settings

MIN_INTERVAL = 5 * 60
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 2**20, "gb": 10**9,
               "gib": 2**30}  # fmt: skip
TAG_NAME = re.compile(r"^[\w][\w.\-]*$")

_ALLOWED = {
    "settings": {"interval", "concurrency", "timeout", "max_bytes"},
    "feed": {"url", "title", "tags", "interval"},
    "rule": {"query", "tag"},
    "follow": {"name", "query"},
}


@dataclass
class ConfigError(Exception):
    """A problem in feeds.toml, printed as `file:line: key: what is wrong`."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message}"


def parse_duration(value: object) -> float:
    """`"90s"`, `"60m"`, `"1h30m"`, `"2d"` or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError('expected a duration like "30m"')
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    if not isinstance(value, str):
        raise ValueError('expected a duration like "30m"')
    text = value.strip().lower().replace(" ", "")
    parts = _DURATION.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise ValueError(f'{value!r} is not a duration (use e.g. "45s", "30m", "2h", "1d")')
    return sum(float(n) * _UNITS[u] for n, u in parts)


def parse_size(value: object) -> int:
    """`"16MiB"`, `"500KB"` or a number of bytes -> bytes."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f'{value!r} is not a size (use e.g. "16MiB")')
    size = int(float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()])
    if size <= 0:
        raise ValueError("a size must be positive")
    return size


def check_url(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a URL string")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url


class _Lines:
    """Where each table and key sits in the file, to name lines in errors."""

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, int, str], int] = {}
        self.tables: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        section, index = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            header = re.match(r"^\[\[?\s*([\w\-]+)\s*\]\]?", stripped)
            if header:
                section = header.group(1)
                index = counts.get(section, 0)
                counts[section] = index + 1
                self.tables.setdefault((section, index), number)
                continue
            key = re.match(r"^([\w\-]+|\"[^\"]*\")\s*=", stripped)
            if key:
                self.keys.setdefault((section, index, key.group(1).strip('"')), number)

    def of(self, section: str, index: int, key: str | None = None) -> int:
        if key is not None and (section, index, key) in self.keys:
            return self.keys[(section, index, key)]
        return self.tables.get((section, index), 1)


def load_config(path: str | Path, validate_query: Callable[[str], None] | None = None) -> Config:
    """Read and validate feeds.toml. `validate_query` raises ValueError on a bad query."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(name, 0, "file", "not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(name, 0, "file", f"cannot read: {exc}") from None
    return parse_config(text, name, validate_query)


def parse_config(
    text: str, name: str, validate_query: Callable[[str], None] | None = None
) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1  # "at end of document"
        raise ConfigError(name, line, "toml", str(exc)) from None

    @functools.cache
    def lines() -> _Lines:
        """Where things are in the file: only an error needs it (~5 ms for 500 feeds)."""
        return _Lines(text)

    def fail(section: str, index: int, key: str | None, message: str) -> ConfigError:
        label = (key or "") if not section else f"{section}.{key}" if key else section
        return ConfigError(name, lines().of(section, index, key), label, message)

    for key in data:
        if key not in _ALLOWED:
            raise ConfigError(
                name,
                lines().keys.get(("", 0, key), lines().of(key, 0)),
                key,
                "unknown key (expected settings, feed, rule or follow)",
            )

    def table(section: str) -> list[dict[str, Any]]:
        value = data.get(section, [] if section != "settings" else {})
        items = [value] if section == "settings" else value
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise fail(
                section,
                0,
                None,
                "expected " + ("a table" if section == "settings" else f"[[{section}]] tables"),
            )
        for index, item in enumerate(items):
            for key in item:
                if key not in _ALLOWED[section]:
                    allowed = ", ".join(sorted(_ALLOWED[section]))
                    raise fail(section, index, key, f"unknown key (allowed: {allowed})")
        return items

    def field(
        section: str, index: int, item: dict[str, Any], key: str, convert: Callable[[Any], Any]
    ) -> Any:
        try:
            return convert(item[key])
        except (ValueError, TypeError) as exc:
            raise fail(section, index, key, str(exc)) from None

    raw = table("settings")[0]
    defaults = Settings()

    def interval(value: object) -> int:
        seconds = int(parse_duration(value))
        if seconds < MIN_INTERVAL:
            raise ValueError(f"{value!r} is below the 5m floor")
        return seconds

    def concurrency(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 256:
            raise ValueError("expected a whole number from 1 to 256")
        return value

    def timeout(value: object) -> float:
        seconds = parse_duration(value)
        if not 1 <= seconds <= 600:
            raise ValueError("expected a duration from 1s to 10m")
        return seconds

    settings = Settings(
        interval=field("settings", 0, raw, "interval", interval)
        if "interval" in raw
        else defaults.interval,
        concurrency=field("settings", 0, raw, "concurrency", concurrency)
        if "concurrency" in raw
        else defaults.concurrency,
        timeout=field("settings", 0, raw, "timeout", timeout)
        if "timeout" in raw
        else defaults.timeout,
        max_bytes=field("settings", 0, raw, "max_bytes", parse_size)
        if "max_bytes" in raw
        else defaults.max_bytes,
    )

    def text_value(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected a non-empty string")
        return value.strip()

    def tag_value(value: object) -> str:
        tag = text_value(value)
        if not TAG_NAME.match(tag):
            raise ValueError(f"{tag!r} is not a tag name (letters, digits, _ . -)")
        return tag

    def tag_list(value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ValueError("expected a list of tag names")
        return tuple(dict.fromkeys(tag_value(v) for v in value))

    def query_value(value: object) -> str:
        query = text_value(value)
        if validate_query is not None:
            validate_query(query)
        return query

    def require(section: str, index: int, item: dict[str, Any], key: str) -> None:
        if key not in item:
            raise fail(section, index, None, f"missing required key {key!r}")

    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}  # url -> index of its [[feed]]
    for i, item in enumerate(table("feed")):
        require("feed", i, item, "url")
        url = field("feed", i, item, "url", check_url)
        if url in seen:
            first = lines().of("feed", seen[url], "url")
            raise fail("feed", i, "url", f"duplicate feed (also at line {first})")
        seen[url] = i
        feeds.append(
            FeedConfig(
                url=url,
                title=field("feed", i, item, "title", text_value) if "title" in item else None,
                tags=field("feed", i, item, "tags", tag_list) if "tags" in item else (),
                interval=field("feed", i, item, "interval", interval)
                if "interval" in item
                else None,
            )
        )
    rules: list[RuleConfig] = []
    for i, item in enumerate(table("rule")):
        for key in ("query", "tag"):
            require("rule", i, item, key)
        rules.append(
            RuleConfig(
                query=field("rule", i, item, "query", query_value),
                tag=field("rule", i, item, "tag", tag_value),
            )
        )
    follows: list[FollowConfig] = []
    names: set[str] = set()
    for i, item in enumerate(table("follow")):
        for key in ("name", "query"):
            require("follow", i, item, key)
        follow_name = field("follow", i, item, "name", text_value)
        if follow_name in names:
            raise fail("follow", i, "name", f"duplicate follow {follow_name!r}")
        names.add(follow_name)
        follows.append(
            FollowConfig(name=follow_name, query=field("follow", i, item, "query", query_value))
        )
    return Config(name, settings, tuple(feeds), tuple(rules), tuple(follows))
