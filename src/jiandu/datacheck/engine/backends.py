"""Execution backends for the comparison engine.

This is the only module that knows which engine executes the rules. Everything else
speaks Ibis: rules are pure functions over Ibis tables, and the runner asks this module
for a connection and for tables read from Parquet files.

- ``duckdb`` (default): embedded, in-process, spills to disk beyond ``memory_limit``.
- ``spark``: PySpark, ``local[N]`` or a cluster master URL.
- any other Ibis backend name is passed to ``ibis.<name>.connect(**options)``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis

DEFAULT_SPARK_MASTER = "local[2]"


class BackendError(RuntimeError):
    """A backend that cannot be started; the message says why, in Chinese."""


@dataclass
class Engine:
    """An open connection plus what the runner needs to know about it."""

    name: str
    con: Any
    _session: Any = field(default=None, repr=False)

    def read_parquet(self, path: str | os.PathLike[str], *, table_name: str) -> ibis.Table:
        """Register a Parquet file as a table of this backend (read lazily)."""
        return self.con.read_parquet(str(path), table_name=table_name)

    def to_pyarrow(self, expr: ibis.Expr):
        return self.con.to_pyarrow(expr)

    def compile(self, expr: ibis.Expr) -> str:
        return str(ibis.to_sql(expr, dialect=_DIALECTS.get(self.name, self.name)))

    def close(self) -> None:
        """Release the connection; a Spark session built here is stopped too."""
        with contextlib.suppress(Exception):
            self.con.disconnect()
        if self._session is not None and getattr(self, "_owns_session", False):
            self._session.stop()


_DIALECTS = {"spark": "pyspark", "duckdb": "duckdb"}


def connect(*, backend: str = "duckdb", **options: Any) -> Engine:
    """Open a backend.

    DuckDB options: ``threads``, ``memory_limit`` (e.g. ``"8GB"``), ``temp_directory``,
    ``database`` (default in-memory). Spark options: ``master`` (default ``local[2]``),
    ``driver_memory``, ``shuffle_partitions``, ``session`` (reuse an existing one).
    """
    if backend == "duckdb":
        return _connect_duckdb(**options)
    if backend in ("spark", "pyspark"):
        return _connect_spark(**options)
    module = getattr(ibis, backend, None)
    if module is None or not hasattr(module, "connect"):
        raise BackendError(f"未知的计算后端：{backend}")
    return Engine(name=backend, con=module.connect(**options))


def _connect_duckdb(
    *,
    database: str = ":memory:",
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> Engine:
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory:
        Path(temp_directory).mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = temp_directory
    con = ibis.duckdb.connect(database, **config)
    con.raw_sql("SET enable_progress_bar = false")
    return Engine(name="duckdb", con=con)


def spark_session(
    *,
    master: str = DEFAULT_SPARK_MASTER,
    driver_memory: str = "1g",
    shuffle_partitions: int = 4,
    app_name: str = "jiandu-datacheck",
):
    """A small Spark session: few shuffle partitions, no UI, quiet logs."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dev dependency
        raise BackendError("未安装 PySpark，无法使用 spark 后端") from exc
    try:
        session = (
            SparkSession.builder.master(master)
            .appName(app_name)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
            .config("spark.default.parallelism", str(shuffle_partitions))
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
            .getOrCreate()
        )
    except Exception as exc:
        raise BackendError(f"无法启动 Spark（{master}）：{exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def _connect_spark(*, session: Any = None, **options: Any) -> Engine:
    owns = session is None
    if session is None:
        session = spark_session(**options)
    engine = Engine(name="spark", con=ibis.pyspark.connect(session), _session=session)
    engine._owns_session = owns  # type: ignore[attr-defined]
    return engine
