"""Shared helpers for the engine tests: backends (DuckDB, Spark local) and tiny tables.

Imported by the ``test_engine_*`` modules; the Spark session is created once per test
session and only when a Spark test runs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from jiandu.datacheck.engine.backends import Engine, connect
from jiandu.datacheck.engine.datasets import DATASETS, table_from_rows, write_parquet
from jiandu.datacheck.engine.rules import RULES

BACKENDS = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]

_SPARK: dict[str, Any] = {}


def java_available() -> bool:
    return shutil.which("java") is not None


def spark_engine() -> Engine:
    """One small local Spark session for the whole test run."""
    if "engine" not in _SPARK:
        if not java_available():
            pytest.skip("未找到 Java，跳过 Spark 测试")
        _SPARK["engine"] = connect(backend="spark", master="local[2]", driver_memory="1g")
    return _SPARK["engine"]


_COUNTER = [0]


def load_tables(
    engine: Engine, folder: Path, names: list[str] | None = None, **rows: list[Mapping[str, Any]]
) -> dict:
    """Write the datasets ``names`` (empty unless given rows) as Parquet and register them."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name in names or list(DATASETS):
        path = folder / f"{name}.parquet"
        write_parquet(table_from_rows(dataset=name, rows=rows.get(name, [])), path)
        _COUNTER[0] += 1
        tables[name] = engine.read_parquet(path, table_name=f"t{_COUNTER[0]}_{name}")
    return tables


def run_rule(
    engine: Engine,
    folder: Path,
    code: str,
    *,
    params: Mapping[str, Any] | None = None,
    **rows: list[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Run one rule on hand-made rows; hits as dicts with the evidence parsed."""
    tables = load_tables(engine, folder, list(RULES[code].datasets), **rows)
    result = engine.to_pyarrow(RULES[code].expr(tables, params)).to_pylist()
    for hit in result:
        hit["evidence"] = json.loads(hit["evidence"])
    return sorted(result, key=lambda h: (h["subject"], h["program"], h["period"] or ""))


def pay(
    payment_id: str,
    id_no: str,
    period: str,
    *,
    program: str = "困难残疾人生活补贴",
    amount: str = "160.00",
    account_no: str | None = None,
    holder: str | None = None,
    name: str = "张三",
) -> dict[str, Any]:
    return {
        "payment_id": payment_id,
        "program": program,
        "id_no": id_no,
        "name": name,
        "period": period,
        "paid_on": f"{period}-15",
        "amount": amount,
        "account_no": account_no or f"62{id_no[-14:]}",
        "account_holder_id_no": holder,
        "region_code": "330803001001",
    }


def enrol(
    id_no: str,
    start: str,
    end: str | None = None,
    *,
    program: str = "低保",
    standard: str = "780.00",
    region: str = "330803001001",
    name: str = "张三",
) -> dict[str, Any]:
    return {
        "program": program,
        "id_no": id_no,
        "name": name,
        "region_code": region,
        "start_date": start,
        "end_date": end,
        "standard_amount": standard,
    }


def person(
    id_no: str,
    *,
    household: str,
    name: str = "张三",
    region: str = "330803001001",
    birth: str | None = None,
) -> dict[str, Any]:
    birth = birth or f"{id_no[6:10]}-{id_no[10:12]}-{id_no[12:14]}"
    return {
        "id_no": id_no,
        "name": name,
        "gender": "男" if int(id_no[16]) % 2 else "女",
        "birth_date": birth,
        "region_code": region,
        "household_no": household,
        "relation_to_head": None,
    }


def subjects(hits: list[dict[str, Any]]) -> set[str]:
    return {h["subject"] for h in hits}


# Valid ID numbers for hand-made cases (check digits computed by jiandu.core.idnumbers).
A = "330803195003010119"
B = "330803196005020227"
C = "330803197007030335"
D = "330803198001040449"
E = "33080319440615055X"
F = "330803194502200668"
