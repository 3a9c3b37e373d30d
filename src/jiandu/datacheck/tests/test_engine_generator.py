"""The generator's planted anomalies are found exactly: recall 1.0, no false hits."""

import csv
import shutil

import pyarrow.parquet as pq
import pytest

from jiandu.datacheck.demo import relocate
from jiandu.datacheck.engine.datasets import DATASETS, canonical_parquet_ok, id_keys
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


def _assert_keys_match_numbers(folder):
    for name, spec in DATASETS.items():
        assert canonical_parquet_ok(folder / f"{name}.parquet", spec)  # used as it is
        table = pq.read_table(folder / f"{name}.parquet")
        for column, key in spec.keys:
            texts, keys = table.column(column), table.column(key).to_pylist()
            if key == "household_key":
                values = texts.to_pylist()
                assert (
                    len(set(zip(values, keys, strict=True))) == len(set(values)) == len(set(keys))
                )
            else:
                assert keys == id_keys(texts).to_pylist(), (name, column)


def test_files_carry_the_keys_of_their_numbers(demo):
    _assert_keys_match_numbers(demo[0])


def test_relocated_files_are_keyed_again(demo, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(demo[0], moved)
    relocate(moved, region_code="530102", place_names={})
    assert pq.read_table(moved / "persons.parquet").column("id_no")[0].as_py().startswith("530102")
    _assert_keys_match_numbers(moved)
