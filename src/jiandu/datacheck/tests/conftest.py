"""Fixtures of the comparison-engine tests: DuckDB, and Spark local for ``spark`` tests."""

from collections.abc import Iterator

import pytest

from jiandu.datacheck.engine.backends import Engine, connect

from .engine_support import BACKENDS, spark_engine


@pytest.fixture(scope="session")
def spark() -> Iterator[Engine]:
    yield spark_engine()


@pytest.fixture(scope="session")
def duckdb_engine() -> Iterator[Engine]:
    engine = connect(backend="duckdb", threads=2)
    yield engine
    engine.close()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, duckdb_engine: Engine) -> Engine:
    if request.param == "spark":
        return spark_engine()
    return duckdb_engine
