"""The SQL generated for R01 on DuckDB is stable (compare with the stored snapshot).

After an intended change, refresh with ``JIANDU_UPDATE_SNAPSHOTS=1``.
"""

import os
from pathlib import Path

import ibis

from jiandu.datacheck.engine.datasets import DATASETS
from jiandu.datacheck.engine.rules import RULES

SNAPSHOT = Path(__file__).parent / "snapshots" / "r01_duckdb.sql"


def _unbound(name: str) -> ibis.Table:
    spec = DATASETS[name]
    types = {
        "id": "string",
        "text": "string",
        "month": "string",
        "region": "string",
        "gender": "string",
        "relation": "string",
        "date": "date",
        "bool": "boolean",
        "money": "decimal(12, 2)",
    }
    columns = {c.name: types[c.kind] for c in spec.columns}
    return ibis.table(columns | {key: "int64" for _, key in spec.keys}, name=name)


def test_r01_sql_snapshot():
    tables = {name: _unbound(name) for name in ("payments", "deaths")}
    sql = str(ibis.to_sql(RULES["R01"].expr(tables), dialect="duckdb")).strip() + "\n"
    if os.environ.get("JIANDU_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(sql, encoding="utf-8")
    assert sql == SNAPSHOT.read_text(encoding="utf-8")
