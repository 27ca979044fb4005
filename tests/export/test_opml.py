"""OPML both ways: export then import into an empty config gives the same feeds and tags;
other readers' nested folders and categories become tags; hostile documents are refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest

from tracker.cli import run
from tracker.config import load_config
from tracker.opml import OpmlError, OpmlFeed, parse_opml, write_opml

FEEDS = """\
# my feeds
[[feed]]
url = "https://wire.example/ai.xml"
title = "Wire & <Co> 🚀 עברית"
tags = ["ai", "markets", "us"]

[[feed]]
url = "https://blog.example/feed.atom"

[[feed]]
url = "https://lab.example/rss?x=1&y=2"
title = "Lab ]]> \\"quoted\\""
tags = ["lab"]

[[feed]]
url = "https://chips.example/feed"
tags = ["ai", "chips"]
"""

OTHER_READER = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions from another reader</title></head>
  <body>
    <outline text="AI News" title="AI News">
      <outline text="Labs">
        <outline type="rss" text="Lab blog" xmlUrl="https://lab.example/rss?x=1&amp;y=2"/>
        <outline type="rss" text="Deep" title="Deep &amp; Co" xmlUrl="https://deep.example/f"
                 htmlUrl="https://deep.example/" category="research,/Asia/China"/>
      </outline>
    </outline>
    <outline type="rss" text="https://plain.example/rss" xmlUrl="https://plain.example/rss"/>
    <outline type="rss" text="Again" xmlUrl="https://plain.example/rss"/>
    <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
    <outline text="Empty folder"/>
  </body>
</opml>
"""


def cli(tmp_path: Path, config: Path, *args: str) -> int:
    return run(["--db", str(tmp_path / "t.db"), "--config", str(config), *args])


def feeds_of(config: Path) -> dict[str, tuple[str, ...]]:
    return {f.url: f.tags for f in load_config(config).feeds}


def test_export_then_import_into_an_empty_config_gives_the_same_feeds_and_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "feeds.toml"
    source.write_text(FEEDS, encoding="utf-8")
    opml = tmp_path / "out" / "feeds.opml"
    opml.parent.mkdir()
    assert cli(tmp_path, source, "feeds", "export", "-o", str(opml)) == 0
    assert "exported 4 feeds" in capsys.readouterr().err
    empty = tmp_path / "empty.toml"
    assert cli(tmp_path / "other", empty, "feeds", "import", str(opml)) == 0
    assert "imported 4 feeds" in capsys.readouterr().out
    assert feeds_of(empty) == feeds_of(source)
    titles = {f.url: f.title for f in load_config(empty).feeds}
    assert titles["https://wire.example/ai.xml"] == "Wire & <Co> 🚀 עברית"
    assert titles["https://lab.example/rss?x=1&y=2"] == 'Lab ]]> "quoted"'
    assert titles["https://blog.example/feed.atom"] is None
    # importing again adds nothing and says so
    assert cli(tmp_path / "other", empty, "feeds", "import", str(opml)) == 0
    out = capsys.readouterr().out
    assert "imported 0 feeds" in out and "skipped 4 already listed" in out


def test_opml_export_is_opml_2_with_folders_and_categories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(FEEDS, encoding="utf-8")
    assert cli(tmp_path, config, "export", "--format", "opml") == 0
    root = ET.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    datetime.strptime(root.findtext("head/dateCreated") or "", "%a, %d %b %Y %H:%M:%S GMT")
    body = root.find("body")
    assert body is not None
    folders = {o.get("text"): o for o in body.findall("outline") if o.get("xmlUrl") is None}
    assert list(folders) == ["ai", "lab"]
    ai_urls = [o.get("xmlUrl") for o in folders["ai"].findall("outline")]
    assert ai_urls == ["https://wire.example/ai.xml", "https://chips.example/feed"]
    wire = folders["ai"].findall("outline")[0]
    assert wire.get("category") == "ai,markets,us" and wire.get("type") == "rss"
    assert wire.get("text") == "Wire & <Co> 🚀 עברית"
    assert cli(tmp_path, config, "export", "--format", "opml", "+ai") == 2


def test_another_readers_nesting_and_categories_become_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "subs.opml"
    path.write_bytes(OTHER_READER)
    config = tmp_path / "feeds.toml"
    config.write_text('[[feed]]\nurl = "https://lab.example/rss?x=1&y=2"\n', encoding="utf-8")
    assert cli(tmp_path, config, "feeds", "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "imported 2 feeds" in out
    assert "skipped 2 already listed" in out  # one in feeds.toml, one twice in the file
    assert "javascript:alert(1)" in out and "not http(s)" in out
    loaded = {f.url: f for f in load_config(config).feeds}
    deep = loaded["https://deep.example/f"]
    assert deep.tags == ("AI-News", "Labs", "research", "Asia", "China")
    assert deep.title == "Deep & Co"
    plain = loaded["https://plain.example/rss"]
    assert plain.tags == () and plain.title is None  # a title that is just the URL is dropped


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><opml><body>&lol2;</body></opml>',
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><opml/>',
            "DOCTYPE",
        ),
        (b"<opml><body><outline text='a'></body></opml>", "line 1: not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "expected an <opml> document"),
        (b"", "not well-formed"),
        (b"<opml>" + b"<outline text='x'>" * 100 + b"</outline>" * 100 + b"</opml>", "deeper"),
    ],
)
def test_hostile_or_broken_documents_are_refused(document: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(document)


def test_a_refused_file_is_a_usage_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.opml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><opml/>')
    config = tmp_path / "feeds.toml"
    assert cli(tmp_path, config, "feeds", "import", str(path)) == 2
    assert "evil.opml" in capsys.readouterr().err
    assert not config.exists()


def test_dates_in_the_head_are_rfc_822() -> None:
    out = StringIO()
    write_opml([(OpmlFeed("https://a.example/f", None, ()), None)], out,
               now=datetime(2025, 1, 27, 14, 2, tzinfo=UTC))  # fmt: skip
    assert "<dateCreated>Mon, 27 Jan 2025 14:02:00 GMT</dateCreated>" in out.getvalue()
    assert parse_opml(out.getvalue().encode()).feeds[0].url == "https://a.example/f"
