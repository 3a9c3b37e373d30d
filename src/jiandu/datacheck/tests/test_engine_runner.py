"""run_suite: outputs, progress, and nothing half-written when something fails."""

import csv
import json

import pyarrow.parquet as pq
import pytest

from jiandu.datacheck.engine.datasets import DatasetError, DatasetStore, table_from_rows
from jiandu.datacheck.engine.rules import RuleError
from jiandu.datacheck.engine.runner import run_suite

from .engine_support import A, B, pay


def _folder(tmp_path, *, csv_deaths: str | None = None):
    data = tmp_path / "data"
    data.mkdir()
    payments = [pay("P1", A, "2023-03"), pay("P2", A, "2023-04"), pay("P3", B, "2023-04")]
    pq.write_table(table_from_rows(dataset="payments", rows=payments), data / "payments.parquet")
    (data / "deaths.csv").write_text(
        csv_deaths or f"id_no,name,death_date,source\n{A},张三,2023-03-31,公安注销\n",
        encoding="utf-8",
    )
    return data


def test_writes_hits_and_summary_with_progress(tmp_path):
    data = _folder(tmp_path)
    seen = []
    summary = run_suite(
        data_dir=data,
        out_dir=tmp_path / "out",
        rules=["R01", "R03"],
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    with (tmp_path / "out" / "hits.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["rule"], r["subject"], r["period"], r["amount"]) for r in rows] == [
        ("R01", A, "2023-04", "160.00")
    ]
    assert json.loads(rows[0]["evidence"])["payment_id"] == "P2"
    saved = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert saved["rules"]["R01"]["hits"] == 1 and saved["rules"]["R03"]["hits"] == 0
    assert saved["datasets"]["payments"]["rows"] == 3
    assert saved["datasets"]["deaths"]["file"].endswith("deaths.csv")
    assert summary["total_hits"] == 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]


def test_bad_file_leaves_previous_result_untouched(tmp_path):
    data = _folder(tmp_path)
    out = tmp_path / "out"
    run_suite(data_dir=data, out_dir=out, rules=["R01"])
    before = (out / "hits.csv").read_bytes()
    (data / "deaths.csv").write_text(
        f"id_no,name,death_date,source\n{A},张三,2023-02-30,公安注销\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError) as caught:
        run_suite(data_dir=data, out_dir=out, rules=["R01"])
    assert str(caught.value).startswith("文件 deaths.csv，第2行，列 death_date：")
    assert (out / "hits.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]


def test_missing_dataset_and_unknown_rule(tmp_path):
    data = _folder(tmp_path)
    with pytest.raises(DatasetError, match="persons"):
        run_suite(data_dir=data, out_dir=tmp_path / "out", rules=["R06"])
    with pytest.raises(RuleError, match="R99"):
        run_suite(data_dir=data, out_dir=tmp_path / "out", rules=["R99"])
    with pytest.raises(RuleError, match="grace"):
        run_suite(
            data_dir=data,
            out_dir=tmp_path / "out",
            rules=["R01"],
            params={"R01": {"grace": 1}},
        )
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_runs_on_a_store(tmp_path):
    data = _folder(tmp_path)
    store = DatasetStore(tmp_path / "store")
    store.import_file(dataset="deaths", path=data / "deaths.csv")
    (tmp_path / "p.csv").write_text(
        "payment_id,program,id_no,name,period,paid_on,amount,account_no,region_code\n"
        f"P9,低保,{A},张三,2023-05,2023-05-15,780,6201,330803001001\n",
        encoding="utf-8",
    )
    store.import_file(dataset="payments", path=tmp_path / "p.csv")
    summary = run_suite(data_dir=tmp_path / "store", out_dir=tmp_path / "out", rules=["R01"])
    assert summary["rules"]["R01"]["hits"] == 1
    assert summary["datasets"]["payments"]["version"] == 1
