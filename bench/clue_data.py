"""The scratch database of the clue benchmarks (clue_list_bench, text_search_bench):
settings, the PostgreSQL database, an org tree with one officer, and the bulk load of
clue rows (COPY on PostgreSQL, executemany on SQLite, the text index built once)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def configure(db: str, *, sqlite_file: str, pg_database: str) -> None:
    """Django settings for a run on ``var/bench/<sqlite_file>`` or on PostgreSQL
    (``BENCH_PG_URL``, default the local server's ``pg_database``)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    os.environ["JIANDU_DEBUG"] = "0"
    os.environ["JIANDU_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    if db == "sqlite":
        path = ROOT / "var" / "bench" / sqlite_file
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", f"postgres://postgres@127.0.0.1:5432/{pg_database}"
        )


def ensure_pg_database(*, jit: bool = True) -> None:
    """Create the PostgreSQL database when missing; ``jit=False`` turns JIT off for it
    (compiling a 50-row list query costs more than running it, docs/benchmarks.md)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
        if not jit:
            conn.execute(f'ALTER DATABASE "{name}" SET jit = off')


def org_world(*, groups: int = 0) -> tuple[Any, list[Any]]:
    """A city commission, 14 counties and ``groups`` stationed groups, and the officer
    ``bench`` (线索管理, the whole city). Returns (officer, units)."""
    from jiandu.accounts.models import User
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.testing import role_group

    system = User.objects.create_user(username="bench-system", password=None)
    city = org_create(
        actor=system, name="市纪委监委", kind=OrgKind.COMMISSION, region_code="530100"
    )
    specs = [(f"第{i + 1}县区纪委监委", OrgKind.COUNTY, f"5301{i + 10:02d}") for i in range(14)] + [
        (f"派驻第{i + 1}纪检监察组", OrgKind.STATIONED_GROUP, "") for i in range(groups)
    ]
    units = [city] + [
        org_create(actor=system, name=name, kind=kind, parent=city, region_code=region)
        for name, kind, region in specs
    ]
    officer = User.objects.create_user(username="bench", password=None, org=city)
    officer.groups.add(role_group("线索管理"))
    return officer, units


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def bulk_load_clues(
    rows: Iterable[tuple[Any, ...]],
    *,
    columns: str,
    batch: int,
    domain_links: bool = False,
) -> float:
    """Insert clue rows (values in the order of ``columns``) into the empty clue table in
    one transaction, ``batch`` rows per statement; with ``domain_links``, also the
    domain-tag links that each row's ``domain_key`` (",3,") names. The text-search index
    is built once at the end. Returns the seconds taken."""
    from django.db import connection, transaction

    from jiandu.clues.models import Clue
    from jiandu.clues.search import ensure_sqlite_index

    table = Clue._meta.db_table
    m2m = Clue.domains.through._meta.db_table
    marks = ", ".join(["%s"] * len(columns.split(",")))
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        # Bulk load: index the text once at the end instead of row by row.
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER clues_clue_search_ai")
    key_at = [c.strip() for c in columns.split(",")].index("domain_key")
    next_id = 1  # ids of a fresh table
    with transaction.atomic():
        for chunk in _batches(rows, batch):
            pairs = []
            if domain_links:
                for n, row in enumerate(chunk, start=next_id):
                    pairs += [(n, int(tag)) for tag in row[key_at].strip(",").split(",") if tag]
            next_id += len(chunk)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                    if pairs:
                        with cursor.copy(f"COPY {m2m} (clue_id, domaintag_id) FROM STDIN") as copy:
                            for pair in pairs:
                                copy.write_row(pair)
                else:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk)
                    if pairs:
                        cursor.executemany(
                            f"INSERT INTO {m2m} (clue_id, domaintag_id) VALUES (%s, %s)", pairs
                        )
    ensure_sqlite_index(connection)  # SQLite: the trigger back, the index rebuilt
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - t0, 1)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and the slowest of ``samples`` (seconds) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "n": len(ordered),
    }
