"""bench/cluster_eval.py: metrics with hand-computed answers, the fixture CSV's known score,
and (when the shared data is beside the repo) the dev set's target."""

from __future__ import annotations

import csv
import importlib.util
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import shared_dir

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "cluster_eval.py"
FIXTURE = ROOT / "tests" / "data" / "cluster_small.csv"
LAST_LINE = re.compile(r"^bcubed_f1=(\d\.\d{4}) pairwise_f1=(\d\.\d{4}) per_s=(\d+)$")


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cluster_eval", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = sys.modules.get("cluster_eval")
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["cluster_eval"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


def run_script(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip().splitlines()


def test_metrics_match_hand_computed_values() -> None:
    ev = load_eval()
    gold, pred = ["a", "a", "b", "b"], [1, 1, 1, 2]
    # pairs: predicted {12, 13, 23}, gold {12, 34}; shared {12}
    assert ev.pairwise(gold, pred) == pytest.approx((1 / 3, 1 / 2, 0.4))
    # BCubed precision (2/3 + 2/3 + 1/3 + 1) / 4, recall (1 + 1 + 1/2 + 1/2) / 4
    p, r, f = ev.bcubed(gold, pred)
    assert (p, r) == pytest.approx((2 / 3, 3 / 4))
    assert f == pytest.approx(2 * p * r / (p + r))
    assert ev.bcubed(gold, [1, 2, 3, 4]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert ev.pairwise(gold, [7, 7, 9, 9]) == (1.0, 1.0, 1.0)


def test_fixture_csv_is_clustered_exactly() -> None:
    lines = run_script(str(FIXTURE))
    assert lines[0] == "rows=20 stories=4 clusters=4"
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-1]
    assert match.group(1) == "1.0000" and match.group(2) == "1.0000"
    assert int(match.group(3)) > 0


@pytest.mark.parametrize("seed", ["1", "2", "3"])
def test_fixture_answer_holds_for_other_shuffles_and_time_order(seed: str) -> None:
    for extra in ([], ["--order", "time"], ["--no-time"]):
        last = run_script(str(FIXTURE), "--seed", seed, *extra)[-1]
        assert last.startswith("bcubed_f1=1.0000 pairwise_f1=1.0000 per_s=")


def test_dev_set_reaches_the_target() -> None:
    dev = shared_dir("clustering", "uci-dev.csv")
    ev = load_eval()
    rows = ev.read_rows(dev)
    random.Random(13).shuffle(rows)
    result = ev.run(rows, ev.parse_params([]))
    _, _, f1 = ev.bcubed([row.story for row in rows], result.pred)
    assert f1 >= 0.80
    assert result.per_s >= 2000  # CPU time of one core


def test_the_original_tab_separated_headerless_file_reads_the_same(tmp_path: Path) -> None:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    tsv = tmp_path / "newsCorpora.csv"
    tsv.write_text("".join("\t".join(rec.values()) + "\n" for rec in records), encoding="utf-8")
    ev = load_eval()
    assert [r.item.title for r in ev.read_rows(tsv)] == [r["TITLE"] for r in records]
    assert run_script(str(tsv))[0] == "rows=20 stories=4 clusters=4"
