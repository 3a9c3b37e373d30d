"""A long job's transaction does not hold up other users (issue: one long job blocked
everyone on the audit chain's head lock). Behaviour tests with a generous bound (1 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from jiandu.core.tests.contention import measure

SRC = Path(__file__).resolve().parents[3]


@pytest.mark.django_db(transaction=True)
def test_postgres_long_transaction_does_not_delay_writes_or_logins():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run only (DATABASE_URL=postgres://...)")
    result = measure(hold=3.0)
    assert "job_error" not in result and "write_error" not in result, result
    assert result["job_running_after_write"], result  # measured while the job was open
    assert result["write_seconds"] < 1.0, result
    assert result["login_seconds"] < 1.0 and result["login_status"] == 302, result
    assert result["read_seconds"] < 1.0, result
    # Sealed in commit order: the other user's row committed first, so it comes first;
    # the job's rows follow together once it commits.
    assert result["write_committed_before_job"] and result["other_before_job"], result
    assert result["job_rows_contiguous"] and result["verify_ok"], result
    assert result["unsealed"] == 0


def test_sqlite_file_reads_go_on_and_writes_wait_instead_of_failing(tmp_path):
    """SQLite has one writer at a time: a business transaction holds the database's write
    lock until it commits. WAL keeps reads (a token client's included: its last use is
    stamped at most once a minute) from waiting at all; the busy timeout and immediate
    transactions make a write wait its turn instead of failing with "database is locked";
    the chain then links both in commit order."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    # A fresh SQLite file, migrated by the harness (the test database lives in memory).
    path = tmp_path / "contention.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [
            *(sys.executable, "-m", "jiandu.core.tests.contention", "--hold", "3", "--migrate"),
            *("--import-rows", "1000"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    assert "job_error" not in result and "write_error" not in result, result
    assert result["read_seconds"] < 1.0, result
    assert result["read_status"] in (200, 403), result  # answered, not an error
    assert result["login_status"] == 302, result
    assert not result["write_committed_before_job"] and not result["other_before_job"]
    assert result["job_rows_contiguous"] and result["verify_ok"], result
    assert result["unsealed"] == 0
    # A people import: checked and built before its write transaction, written in bulk,
    # sealed with one statement per batch. Another user's writes and logins meanwhile all
    # go through (none waits out the 20 s busy timeout, as they did with one service
    # call per row inside the transaction) and the chain verifies.
    (imported,) = result["imports"]
    assert "job_error" not in imported and imported["people_created"] == 1000, imported
    assert imported["probe_errors"] == [] and imported["probes"] >= 1, imported
    assert imported["worst_write_seconds"] < 5 and imported["worst_login_seconds"] < 10, imported
    assert imported["verify_ok"], imported


@pytest.fixture(autouse=True)
def _seal_after_commit(settings):
    """As in production: this process's own audit rows are sealed after commit, not
    inside its transactions (where they would hold the head the other process needs)."""
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
