"""Exporting stories: one entry point over the streaming writers, and atomic file output.

Reusable by any command that prints stories (`tracker list --format …` included)::

    count = write_stories("csv", stories, sys.stdout)           # any iterable of Story
    count = export_to_path("atom", stories, Path("x.atom"), query="+deepseek")
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from tracker.export.atom import write_atom
from tracker.export.records import FIELDS, story_record
from tracker.export.writers import write_csv, write_json, write_jsonl, write_md
from tracker.models import Story
from tracker.timeutil import utcnow

__all__ = [
    "EXTENSIONS",
    "FIELDS",
    "RECORD_FORMATS",
    "STORY_FORMATS",
    "ExportError",
    "atomic_text",
    "default_path",
    "export_to_path",
    "format_for_path",
    "story_record",
    "write_stories",
]

# Flat record formats (what `tracker list --format` offers besides its table).
RECORD_FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "md")
STORY_FORMATS: tuple[str, ...] = (*RECORD_FORMATS, "atom")
EXTENSIONS: dict[str, str] = {
    "json": ".json",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "md": ".md",
    "atom": ".atom",
    "opml": ".opml",
}
_BY_SUFFIX = {suffix: fmt for fmt, suffix in EXTENSIONS.items()} | {
    ".xml": "atom",
    ".ndjson": "jsonl",
    ".markdown": "md",
}


class ExportError(Exception):
    """An export that cannot start: unknown format, unusable output path."""


def write_stories(
    fmt: str,
    stories: Iterable[Story],
    out: TextIO,
    *,
    query: str = "",
    now: datetime | None = None,
    title: str | None = None,
) -> int:
    """Stream `stories` to `out` in `fmt`; returns how many were written. Memory stays
    constant whatever the number of stories (Markdown keeps one counter per source)."""
    moment = now or utcnow()
    heading = title or (f"tracker: {query}" if query else "tracker export")
    if fmt == "json":
        return write_json(stories, out)
    if fmt == "jsonl":
        return write_jsonl(stories, out)
    if fmt == "csv":
        return write_csv(stories, out)
    if fmt == "md":
        return write_md(stories, out, title=heading, now=moment)
    if fmt == "atom":
        return write_atom(stories, out, query=query, now=moment, title=heading)
    raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(STORY_FORMATS)})")


def format_for_path(path: str | Path) -> str | None:
    """The format a file name asks for by its extension (`.md`, `.atom`, `.xml`, …)."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def default_path(fmt: str, today: date, directory: Path | None = None) -> Path:
    """`~/tracker-export-YYYYMMDD.<ext>`: where the app offers to write an export."""
    base = directory if directory is not None else Path.home()
    return base / f"tracker-export-{today:%Y%m%d}{EXTENSIONS.get(fmt, '.txt')}"


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at `path` complete or not at all: written to a temporary
    file beside it, flushed to disk, then renamed over it. An existing file keeps its mode; a
    new one gets the usual mode after the umask."""
    path = path.expanduser()
    if path.is_dir():
        raise ExportError(f"{path} is a directory")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent} is not a directory")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with suppress(OSError):  # make the rename itself durable where the platform allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def export_to_path(
    fmt: str,
    stories: Iterable[Story],
    path: Path,
    *,
    query: str = "",
    now: datetime | None = None,
    title: str | None = None,
) -> int:
    """`write_stories` into `path`, atomically; returns the number of stories written."""
    if fmt not in STORY_FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(STORY_FORMATS)})")
    with atomic_text(path) as out:
        return write_stories(fmt, stories, out, query=query, now=now, title=title)
