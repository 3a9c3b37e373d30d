"""Run a suite of rules over a folder of datasets and write the hits, atomically.

``run_suite`` reads ``<dataset>.parquet|.csv|.xlsx`` from a folder (or the latest
versions of a ``DatasetStore``), validates them, runs the selected rules on the chosen
backend and writes ``hits.csv`` and ``summary.json``. Output is first written into a
temporary folder beside ``out_dir`` and renamed into place, so a failure at any point
leaves ``out_dir`` as it was (absent, or the previous complete result).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .backends import Engine, connect
from .datasets import (
    DATASETS,
    DEFAULT_MAX_BYTES,
    DatasetError,
    DatasetStore,
    canonical_columns_ok,
    check_size,
    dataset_for,
    find_dataset_file,
    key_parquet,
    keyed,
    read_dataset,
    required_nulls,
    write_parquet_atomic,
)
from .rules import HIT_COLUMNS, Rule, get_rules

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class PreparedDataset:
    """A dataset ready for the engine: a canonical Parquet file and where it came from."""

    name: str
    source: Path
    path: Path
    rows: int
    version: int | None = None


def _no_progress(fraction: float, message: str) -> None:
    return None


def prepare_dataset(
    *,
    name: str,
    source: Path,
    scratch: Path,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    version: int | None = None,
) -> PreparedDataset:
    """Validate one file; a canonical Parquet file is used as it is (keyed into
    ``scratch`` first if it lacks the integer keys), anything else is normalised
    (strictly: any rejected row stops the run) into ``scratch``."""
    spec = dataset_for(name)
    suffix = source.suffix.lower()
    if suffix == ".parquet":
        check_size(source, max_bytes=None)
        if canonical_columns_ok(source, spec):
            nulls = required_nulls(source, spec)
            if not nulls:
                rows = pq.ParquetFile(source).metadata.num_rows
                if rows == 0:
                    raise DatasetError("文件没有数据行", file=source.name, row=2)
                if keyed(source, spec):
                    return PreparedDataset(name, source, source, rows, version)
                # Canonical but not keyed (e.g. imported before the keys): add them.
                target = scratch / f"{name}.parquet"
                key_parquet(source, target, spec)
                return PreparedDataset(name, source, target, rows, version)
    result = read_dataset(dataset=name, path=source, max_bytes=max_bytes, guess=True)
    if result.errors:
        first = result.errors[0]
        more = f"（共{result.rows_rejected}行有误）" if result.rows_rejected > 1 else ""
        raise DatasetError(
            first.message + more, file=source.name, row=first.row, column=first.column
        )
    target = scratch / f"{name}.parquet"
    write_parquet_atomic(result.table, target)
    return PreparedDataset(name, source, target, result.table.num_rows, version)


def _sources(data_dir: Path, names: list[str]) -> dict[str, tuple[Path, int | None]]:
    store_manifest = data_dir / DatasetStore.MANIFEST
    found: dict[str, tuple[Path, int | None]] = {}
    if store_manifest.exists():
        store = DatasetStore(data_dir)
        for name in names:
            latest = store.latest(name)
            if latest is not None:
                found[name] = (latest.path, latest.version)
        return found
    for name in names:
        path = find_dataset_file(data_dir, name)
        if path is not None:
            found[name] = (path, None)
    return found


def _needed(rules: list[Rule]) -> list[str]:
    needed: list[str] = []
    for rule in rules:
        for name in rule.datasets:
            if name not in needed:
                needed.append(name)
    return [name for name in DATASETS if name in needed]


def _format_amount(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


def _write_hits(path: Path, tables: list[pa.Table]) -> int:
    rows: list[tuple[Any, ...]] = []
    for table in tables:
        columns = [table.column(c).to_pylist() for c in HIT_COLUMNS]
        rows.extend(zip(*columns, strict=True))
    rows.sort(key=lambda r: tuple("" if v is None else str(v) for v in r))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HIT_COLUMNS)
        for rule, subject, program, period, amount, evidence in rows:
            writer.writerow(
                [rule, subject, program or "", period or "", _format_amount(amount), evidence]
            )
    return len(rows)


def _replace_dir(temp: Path, out_dir: Path) -> None:
    """Move the finished ``temp`` folder to ``out_dir``, replacing an older result."""
    if out_dir.exists():
        backup = out_dir.with_name(f".{out_dir.name}.previous-{os.getpid()}")
        out_dir.rename(backup)
        try:
            temp.rename(out_dir)
        except BaseException:
            backup.rename(out_dir)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    else:
        temp.rename(out_dir)


def run_suite(
    *,
    data_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    rules: list[str] | None = None,
    backend: str = "duckdb",
    params: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    backend_options: Mapping[str, Any] | None = None,
    max_file_bytes: int | None = DEFAULT_MAX_BYTES,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Run ``rules`` (default: all) over the datasets in ``data_dir``; return the summary.

    ``params`` maps a rule code to parameter overrides, e.g. ``{"R01": {"grace_months":
    1}}``. ``progress(fraction, message)`` is called as the run advances (0 → 1).
    Raises ``DatasetError`` for a bad or missing file (message names file, row, column)
    and ``RuleError`` for an unknown rule or parameter; ``out_dir`` is then untouched.
    """
    started = time.perf_counter()
    report = progress or _no_progress
    data_dir = Path(data_dir)
    out_dir = Path(out_dir)
    if not data_dir.is_dir():
        raise DatasetError(f"数据目录不存在：{data_dir}")
    selected = get_rules(rules)
    params = dict(params or {})
    unknown = [code for code in params if code not in {r.code for r in selected}]
    if unknown:
        raise DatasetError(f"参数中的规则未被选中或不存在：{'、'.join(unknown)}")
    merged = {rule.code: rule.params(params.get(rule.code)) for rule in selected}
    names = _needed(selected)
    sources = _sources(data_dir, names)
    missing = [n for n in names if n not in sources]
    if missing:
        users = {n: [r.code for r in selected if n in r.datasets] for n in missing}
        detail = "；".join(f"{n}（{'、'.join(users[n])} 需要）" for n in missing)
        raise DatasetError(
            f"缺少数据文件 <数据集>.parquet/.csv/.xlsx：{detail}", file=str(data_dir)
        )

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    own_engine = engine is None
    try:
        scratch = temp / ".scratch"
        scratch.mkdir()
        prepared: dict[str, PreparedDataset] = {}
        for i, name in enumerate(names):
            report(0.25 * i / len(names), f"读取并校验 {sources[name][0].name}")
            path, version = sources[name]
            prepared[name] = prepare_dataset(
                name=name, source=path, scratch=scratch, max_bytes=max_file_bytes, version=version
            )
        report(0.25, "连接计算引擎")
        if engine is None:
            engine = connect(backend=backend, **dict(backend_options or {}))
        tables = {
            name: engine.read_parquet(p.path, table_name=f"{name}_{os.getpid()}_{id(temp)}")
            for name, p in prepared.items()
        }
        results: list[pa.Table] = []
        per_rule: dict[str, Any] = {}
        for i, rule in enumerate(selected):
            report(0.3 + 0.65 * i / len(selected), f"执行规则 {rule.code} {rule.name}")
            t0 = time.perf_counter()
            table = engine.to_pyarrow(rule.expr(tables, merged[rule.code]))
            seconds = time.perf_counter() - t0
            results.append(table)
            per_rule[rule.code] = {
                "name": rule.name,
                "hits": table.num_rows,
                "seconds": round(seconds, 3),
                "params": merged[rule.code],
            }
        report(0.96, "写出结果")
        total = _write_hits(temp / "hits.csv", results)
        summary = {
            "backend": engine.name,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started, 3),
            "total_hits": total,
            "rules": per_rule,
            "datasets": {
                name: {
                    "file": str(p.source),
                    "rows": p.rows,
                    **({"version": p.version} if p.version is not None else {}),
                }
                for name, p in prepared.items()
            },
        }
        with (temp / "summary.json").open("w", encoding="utf-8") as handle:
            json.dump(summary, handle, ensure_ascii=False, indent=2, default=str)
        shutil.rmtree(scratch, ignore_errors=True)
        _replace_dir(temp, out_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if own_engine and engine is not None:
            engine.close()
    report(1.0, "完成")
    summary["out_dir"] = str(out_dir)
    return summary
