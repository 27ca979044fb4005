"""Editing feeds.toml in place with tomlkit: comments, order and formatting are kept."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table


def _load(path: Path) -> tomlkit.TOMLDocument:
    return tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    """Write atomically: a crash never leaves half a feeds.toml."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".feeds-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(tomlkit.dumps(doc))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _feeds(doc: tomlkit.TOMLDocument) -> AoT:
    if "feed" not in doc:
        doc.append("feed", tomlkit.aot())
    feeds = doc["feed"]
    assert isinstance(feeds, AoT)
    return feeds


def add_feeds(
    path: Path, entries: Sequence[tuple[str, str | None, Sequence[str]]]
) -> tuple[list[str], list[str]]:
    """Append `(url, title, tags)` feeds; returns (added urls, skipped duplicate urls)."""
    doc = _load(path)
    feeds = _feeds(doc)
    present = {str(t.get("url")) for t in feeds}
    added: list[str] = []
    skipped: list[str] = []
    for url, title, tags in entries:
        if url in present:
            skipped.append(url)
            continue
        item: Table = tomlkit.table()
        item["url"] = url
        if title:
            item["title"] = title
        if tags:
            item["tags"] = list(tags)
        if len(feeds):
            feeds[-1].add(tomlkit.nl())  # a blank line between tables, as people write them
        feeds.append(item)
        present.add(url)
        added.append(url)
    if added:
        _save(path, doc)
    return added, skipped


def remove_feed(path: Path, url: str) -> bool:
    """Remove the `[[feed]]` with this URL; False when there was none."""
    doc = _load(path)
    feeds = _feeds(doc)
    for index, item in enumerate(feeds):
        if item.get("url") == url:
            del feeds[index]
            _save(path, doc)
            return True
    return False


def rename_feed(path: Path, old: str, new: str) -> bool:
    """Point the `[[feed]]` with URL `old` at `new` (a permanent redirect), keeping its title,
    tags and comments; False when `old` is not listed or `new` already is."""
    doc = _load(path)
    feeds = _feeds(doc)
    urls = [item.get("url") for item in feeds]
    if old not in urls or new in urls:
        return False
    feeds[urls.index(old)]["url"] = new
    _save(path, doc)
    return True
