"""Backup and restore by the operations guide's procedure (docs/operations.md §5):
SQLite's online backup (what ``sqlite3 … ".backup …"`` does) and ``pg_dump -Fc`` +
``pg_restore`` into a fresh database. Afterwards every table has the same number of rows,
the audit chain verifies to the same last hash, and the protected fields decrypt to the
same values. The PostgreSQL part runs in the PostgreSQL run (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from jiandu.core.tests.backup_roundtrip import fingerprint

SRC = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


def _fingerprint_of(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [sys.executable, "-m", "jiandu.core.tests.backup_roundtrip"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _original(demo) -> dict:
    """The small demo the tests share, committed (its audit chain sealed when built)."""
    demo.snapshot.restore()
    ContentType.objects.clear_cache()
    before = fingerprint()
    assert before["audit"]["ok"] and before["audit"]["rows_checked"] > 100
    assert before["audit"]["unsealed_rows"] == 0
    assert before["protected_values"] > 100
    assert before["counts"]["clues_clue"] > 0
    return before


def test_sqlite_backup_and_restore_round_trip(tmp_path, small_demo_built):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    before = _original(small_demo_built)
    backup = tmp_path / "jiandu-backup.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(backup)
    connection.connection.backup(target)
    target.close()
    after = _fingerprint_of(f"sqlite:///{backup}")
    assert after == before


def test_postgres_dump_and_restore_round_trip(tmp_path, small_demo_built):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run only (DATABASE_URL=postgres://...)")
    before = _original(small_demo_built)
    db = connection.settings_dict
    conn_args = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    conn_args += ["-U", db["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = tmp_path / "jiandu.dump"
    fresh = f"{db['NAME']}_restored"
    subprocess.run(["pg_dump", *conn_args, "-Fc", "-d", db["NAME"], "-f", str(dump)], env=env,
                   check=True)  # fmt: skip
    subprocess.run(["dropdb", *conn_args, "--if-exists", fresh], env=env, check=True)
    subprocess.run(["createdb", *conn_args, fresh], env=env, check=True)
    try:
        subprocess.run(["pg_restore", *conn_args, "-d", fresh, str(dump)], env=env, check=True)
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = (
            f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{fresh}"
        )
        after = _fingerprint_of(url)
    finally:
        subprocess.run(["dropdb", *conn_args, "--if-exists", fresh], env=env, check=False)
    assert after == before
