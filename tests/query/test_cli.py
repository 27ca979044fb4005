"""`tracker list`, `tracker tag` and `tracker rules apply` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.query.conftest import STORIES, Corpus, build_corpus
from tracker.cli import run
from tracker.export import FIELDS

RULES = """\
[[feed]]
url = "https://feeds.reuters.example/tech.xml"
title = "Reuters Tech"
tags = ["news"]

[[rule]]
query = 'deepseek r1'
tag = "r1"

[[rule]]
query = '"export controls" OR nasdaq'
tag = "policy"
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:  # a fresh database per test: these commands write
    built = build_corpus(tmp_path / "tracker.db")
    built.store.close()
    return built


def tracker(tmp_path: Path, *args: str) -> int:
    config = tmp_path / "feeds.toml"
    if not config.exists():
        config.write_text(RULES, encoding="utf-8")
    return run(["--db", str(tmp_path / "tracker.db"), "--config", str(config), *args])


def listed(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[int]:
    assert tracker(tmp_path, "list", "--format", "jsonl", "--limit", "0", *args) == 0
    return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]


def test_list_table_newest_first(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(STORIES)
    dates = [line.split()[1] + line.split()[2] for line in lines]
    assert dates == sorted(dates, reverse=True)
    assert tracker(tmp_path, "list", "--limit", "3", "deepseek") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [int(line.split()[0]) for line in lines] == [corpus.ids[n] for n in (1, 4, 6)]
    assert "Nvidia sheds $593bn" in lines[0] and "[china news]" in lines[0]


def test_list_record_formats_follow_spec_order(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "list", "deepseek", "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == [corpus.ids[n] for n in (1, 4, 6, 7)]
    assert list(records[0]) == [*FIELDS, "tag_rules"]  # SPEC §5 order, then provenance
    assert records[0]["tags"] == ["china", "news"] and records[0]["starred"] is True
    assert records[0]["tag_rules"] == {}
    assert tracker(tmp_path, "list", "nothing-matches-this", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert tracker(tmp_path, "list", "+china", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == list(FIELDS)
    assert {r[0] for r in rows[1:]} == {str(corpus.ids[1]), str(corpus.ids[2])}


def test_dash_words_work_as_written_and_after_double_dash(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {corpus.ids[n] for n in (1, 4, 6, 8, 9, 10, 11, 12)}  # unread, not junk
    assert set(listed(tmp_path, capsys, "-junk", "is:unread")) == expected
    assert set(listed(tmp_path, capsys, "--", "-junk", "is:unread")) == expected
    assert set(listed(tmp_path, capsys, "-junk is:unread")) == expected
    assert tracker(tmp_path, "list", "--limit", "5", "--", "-junk") == 0
    assert len(capsys.readouterr().out.splitlines()) == 5
    assert set(listed(tmp_path, capsys, "-news", "-ai")) == {corpus.ids[n] for n in (4, 5, 9, 11)}


def test_bad_query_exits_2_with_the_column(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "list", "deepseek AND )") == 2
    err = capsys.readouterr().err
    assert "column 14: unexpected ')'; expected a term" in err
    assert "Traceback" not in err
    assert tracker(tmp_path, "tag", "(deepseek", "+x") == 2
    assert "expected ')'" in capsys.readouterr().err


def test_tag_adds_and_removes_and_prints_the_count(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "tag", "deepseek", "+ds") == 0
    assert capsys.readouterr().out.strip() == "4 stories changed (+ds 4)"
    assert set(listed(tmp_path, capsys, "+ds")) == {corpus.ids[n] for n in (1, 4, 6, 7)}
    assert tracker(tmp_path, "tag", "deepseek", "+ds") == 0  # nothing new
    assert capsys.readouterr().out.startswith("0 stories changed")
    assert tracker(tmp_path, "tag", "deepseek", "r1", "-ds", "+r1x") == 0
    assert capsys.readouterr().out.strip() == "2 stories changed (-ds 2, +r1x 2)"
    assert set(listed(tmp_path, capsys, "+ds")) == {corpus.ids[n] for n in (1, 7)}
    assert tracker(tmp_path, "tag", "reasoning", "-junk") == 0  # a dash argument as written
    assert capsys.readouterr().out.strip() == "1 story changed (-junk 1)"
    assert tracker(tmp_path, "tag", "--", "+china", "-china") == 0  # query "+china" after --
    assert capsys.readouterr().out.strip() == "2 stories changed (-china 2)"


def test_tag_usage_errors(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "tag", "deepseek") == 2
    assert "nothing to do" in capsys.readouterr().err
    assert tracker(tmp_path, "tag", "sort:old", "+x") == 2
    assert "selects stories" in capsys.readouterr().err
    assert listed(tmp_path, capsys, "+x") == []


def test_rules_apply_dry_run_then_for_real(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "rules", "apply", "--dry-run") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "+r1 <- deepseek r1: 2 matching, would tag 2",
        '+policy <- "export controls" OR nasdaq: 3 matching, would tag 3',
        "would tag 5 in all",
    ]
    assert listed(tmp_path, capsys, "+r1 OR +policy") == []  # the dry run changed nothing
    assert tracker(tmp_path, "rules", "apply") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "tagged 5 in all"
    assert set(listed(tmp_path, capsys, "+policy")) == {corpus.ids[n] for n in (3, 6, 8)}
    assert tracker(tmp_path, "rules", "apply") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "tagged 0 in all"
    # JSON output says which rule set each automatic tag
    assert tracker(tmp_path, "list", "r1", "deepseek", "--format", "jsonl") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {r["id"]: r["tag_rules"] for r in records}
    assert by_id[corpus.ids[4]] == {"r1": "deepseek r1"}
    assert by_id[corpus.ids[6]] == {"r1": "deepseek r1", "policy": '"export controls" OR nasdaq'}


def test_rules_do_not_undo_a_hand_removal(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tracker(tmp_path, "rules", "apply") == 0
    assert tracker(tmp_path, "tag", "nasdaq", "-policy") == 0
    capsys.readouterr()
    assert tracker(tmp_path, "rules", "apply", "--dry-run") == 0
    assert "would tag 0 in all" in capsys.readouterr().out
    assert tracker(tmp_path, "rules", "apply") == 0
    capsys.readouterr()
    assert set(listed(tmp_path, capsys, "+policy")) == {corpus.ids[n] for n in (6, 8)}
    assert tracker(tmp_path, "tag", "nasdaq", "+policy") == 0  # by hand it comes back
    capsys.readouterr()
    assert set(listed(tmp_path, capsys, "+policy")) == {corpus.ids[n] for n in (3, 6, 8)}


def test_rules_apply_without_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "feeds.toml").write_text("", encoding="utf-8")
    assert tracker(tmp_path, "rules", "apply") == 0
    assert "no rules" in capsys.readouterr().out
