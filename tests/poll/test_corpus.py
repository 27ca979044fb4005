"""Every real-world document of ../shared/corpus, served over loopback, ingests as expected."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, Route
from tests.poll.conftest import Poller
from tracker.models import Settings

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
TYPES = {"json": "application/feed+json", "atom": "application/atom+xml"}


def _manifest() -> list[dict[str, str]]:
    path = CORPUS / "MANIFEST.tsv"
    if not path.exists():
        pytest.skip("../shared/corpus is not here")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _expected(row: dict[str, str]) -> int | None:
    """The manifest's count; for JSON Feed, the count `json.loads` found (in `note`)."""
    if row["format"] == "json":
        found = re.search(r"finds (\d+) items", row["note"])
        return int(found.group(1)) if found else None
    return int(row["entries"])


def test_every_corpus_document_ingests_with_the_manifest_count(
    server: FeedServer, poller: Poller
) -> None:
    rows = _manifest()
    poller.settings = Settings(timeout=30.0)  # the default 16 MiB cap: one podcast is 1.6 MB
    urls = []
    for i, row in enumerate(rows):
        body = (CORPUS / row["local_path"]).read_bytes()
        kind = TYPES.get(row["format"], "application/xml")
        server.set(f"/c/{i}", Route(body=body, content_type=kind, gzip=i % 2 == 0))
        urls.append(server.url(f"/c/{i}"))
    summary = poller.run(*urls)
    assert len(summary.results) == len(rows)
    with poller.store() as store:
        counts = {f.url: f.story_count for f in store.feeds.all(with_counts=True)}
    problems = []
    for row, url, result in zip(rows, urls, summary.results, strict=True):
        expected = _expected(row)
        if result.status == "ok":
            if expected is not None and expected > 0 and counts[url] != expected:
                problems.append(f"{row['local_path']}: {counts[url]} stories, want {expected}")
        else:
            # Only ill-formed or non-feed documents may fail, and with a clear message.
            assert result.status == "error" and result.error, row["local_path"]
            assert not result.error.startswith("internal error"), result.error
            if expected and row["bozo"] == "0":
                problems.append(f"{row['local_path']}: {result.error}")
    assert problems == []
    ok = sum(r.status == "ok" for r in summary.results)
    assert ok >= len(rows) - 5
    assert summary.counts()["new_stories"] == sum(counts.values())
