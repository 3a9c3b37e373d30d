"""The generator's planted anomalies are found exactly: recall 1.0, no false hits."""

import csv

import pytest

from jiandu.datacheck.engine.generator import generate
from jiandu.datacheck.engine.runner import run_suite

from .engine_support import BACKENDS, spark_engine


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "data"
    report = generate(out_dir=folder, persons=3000, seed=7, anomalies_per_rule=4)
    return folder, report


def _truth(folder):
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        return {(r["rule"], r["subject"]) for r in csv.DictReader(handle)}


def _hits(out):
    with (out / "hits.csv").open(encoding="utf-8-sig") as handle:
        return {(r["rule"], r["subject"]) for r in csv.DictReader(handle)}


def test_deterministic(demo, tmp_path):
    folder, report = demo
    again = generate(out_dir=tmp_path / "again", persons=3000, seed=7, anomalies_per_rule=4)
    assert again.rows == report.rows
    assert (tmp_path / "again" / "truth.csv").read_text() == (folder / "truth.csv").read_text()
    assert {rule for rule, _ in _truth(folder)} == {f"R{i:02d}" for i in range(1, 12)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_planted_anomalies_found_exactly(demo, tmp_path, backend):
    folder, _ = demo
    engine = spark_engine() if backend == "spark" else None
    summary = run_suite(data_dir=folder, out_dir=tmp_path / "out", backend=backend, engine=engine)
    truth, found = _truth(folder), _hits(tmp_path / "out")
    missed, false_hits = truth - found, found - truth
    recall = 1 - len(missed) / len(truth)
    print(f"{backend}: planted {len(truth)}, recall {recall:.3f}, false hits {len(false_hits)}")
    assert missed == set()
    assert false_hits == set()
    assert summary["datasets"]["payments"]["rows"] > 5000
