"""A long job's transaction does not hold up other users (issue: one long job blocked
everyone on the audit chain's head lock). Behaviour tests with a generous bound (1 s)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
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


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite file (the test database lives in memory), made once: each test
    works on a copy."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    path = tmp_path_factory.mktemp("contention") / "migrated.sqlite3"
    run = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "migrate", "-v0"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return path


def _env(path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONPATH": str(SRC)}


def _copy(migrated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "contention.sqlite3"
    shutil.copyfile(migrated, path)
    return path


def _contention(path: Path, *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "jiandu.core.tests.contention", *args],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_sqlite_file_reads_go_on_and_writes_wait_instead_of_failing(migrated_sqlite, tmp_path):
    """SQLite has one writer at a time: a business transaction holds the database's write
    lock until it commits. WAL keeps reads (a token client's included: its last use is
    stamped at most once a minute) from waiting at all; the busy timeout and immediate
    transactions make a write wait its turn instead of failing with "database is locked";
    the chain then links both in commit order."""
    result = _contention(_copy(migrated_sqlite, tmp_path), "--hold", "3")
    assert result["vendor"] == "sqlite"
    assert "job_error" not in result and "write_error" not in result, result
    assert result["read_seconds"] < 1.0, result
    assert result["read_status"] in (200, 403), result  # answered, not an error
    assert result["login_status"] == 302, result
    assert not result["write_committed_before_job"] and not result["other_before_job"]
    assert result["job_rows_contiguous"] and result["verify_ok"], result
    assert result["unsealed"] == 0


IMPORT_ROWS = 10_000


def test_sqlite_large_import_delays_no_login_or_write_by_a_second(migrated_sqlite, tmp_path):
    """A 10,000-row people import on a SQLite file: built, checked and written ahead
    where nobody sees it, then published in one short transaction and sealed in batches
    with pauses. Meanwhile another user's audited writes and logins, one after another,
    each wait under 1 s and none fails; every row of the import is visible, sealed and
    the chain verifies. (Written in one transaction, as before, the import kept them
    waiting for seconds: ``python bench/import_lock_bench.py`` shows both.)"""
    result = _contention(
        _copy(migrated_sqlite, tmp_path),
        *("--hold", "0", "--import-rows", str(IMPORT_ROWS), "--ways", "staged"),
    )
    (imported,) = result["imports"]
    assert "job_error" not in imported, imported
    assert imported["people_created"] == IMPORT_ROWS, imported
    assert imported["probe_errors"] == [] and imported["probes"] >= 10, imported
    assert imported["worst_write_seconds"] < 1.0, imported
    assert imported["worst_login_seconds"] < 1.0, imported
    assert imported["verify_ok"] and imported["unsealed"] == 0, imported


def test_sqlite_import_killed_while_staging_leaves_nothing(migrated_sqlite, tmp_path):
    """kill -9 in the middle of staging: not one person nor audit row of the import is
    visible, nothing staged is left in the file, and the chain verifies."""
    path = _copy(migrated_sqlite, tmp_path)
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "jiandu.core.tests.contention"),
            *("--hold", "0", "--stall-while-staging", "3000"),
        ],
        env=_env(path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = child.stdout.readline().strip()
        assert before.startswith("people="), child.stderr.read()[-3000:]
        assert child.stdout.readline().strip() == "staging", child.stderr.read()[-3000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
        child.stderr.close()
    with closing(sqlite3.connect(path)) as db:
        people = db.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
        audit = db.execute("SELECT COUNT(*) FROM core_auditlog").fetchone()[0]
        tables = db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%stage%'").fetchall()
    assert before == f"people={people} audit={audit}"
    assert tables == []
    verify = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "audit", "verify", "--json"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["ok"] is True


@pytest.fixture(autouse=True)
def _seal_after_commit(settings):
    """As in production: this process's own audit rows are sealed after commit, not
    inside its transactions (where they would hold the head the other process needs)."""
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False


def test_sqlite_orgs_import_killed_while_staging_leaves_nothing(migrated_sqlite, tmp_path):
    """The 组织机构 import is staged as the people import is: kill -9 in the middle of
    staging leaves not one org, label link or audit row of it visible, nothing staged in
    the file, and the chain verifies. (Written through ``org_create`` in its transaction,
    as before, it never staged anything.)"""
    path = _copy(migrated_sqlite, tmp_path)
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "jiandu.core.tests.contention"),
            *("--hold", "0", "--stall-while-staging", "500", "--stall-kind", "orgs"),
        ],
        env=_env(path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = child.stdout.readline().strip()
        assert before.startswith("orgs="), child.stderr.read()[-3000:]
        assert child.stdout.readline().strip() == "staging", child.stderr.read()[-3000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
        child.stderr.close()
    with closing(sqlite3.connect(path)) as db:
        orgs = db.execute("SELECT COUNT(*) FROM orgs_org").fetchone()[0]
        audit = db.execute("SELECT COUNT(*) FROM core_auditlog").fetchone()[0]
        labels = db.execute("SELECT COUNT(*) FROM orgs_orglabel WHERE name = '压测'").fetchone()[0]
        tables = db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%stage%'").fetchall()
    assert before == f"orgs={orgs} audit={audit}"
    assert labels == 0 and tables == []
    verify = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "audit", "verify", "--json"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["ok"] is True


def test_sqlite_clues_import_killed_while_staging_leaves_nothing(migrated_sqlite, tmp_path):
    """The 问题线索 import is staged as the people and orgs imports are: kill -9 in the
    middle of staging leaves not one clue, 受理 event or audit row of it visible, nothing
    staged in the file, no audit job published, and the chain verifies. (Written
    through ``clue_create`` in its transaction, as before, it never staged anything.)"""
    path = _copy(migrated_sqlite, tmp_path)
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "jiandu.core.tests.contention"),
            *("--hold", "0", "--stall-while-staging", "500", "--stall-kind", "clues"),
        ],
        env=_env(path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = child.stdout.readline().strip()
        assert before.startswith("clues="), child.stderr.read()[-3000:]
        assert child.stdout.readline().strip() == "staging", child.stderr.read()[-3000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
        child.stderr.close()
    with closing(sqlite3.connect(path)) as db:
        clues = db.execute("SELECT COUNT(*) FROM clues_clue").fetchone()[0]
        events = db.execute("SELECT COUNT(*) FROM clues_clueevent").fetchone()[0]
        audit = db.execute("SELECT COUNT(*) FROM core_auditlog").fetchone()[0]
        published = db.execute(
            "SELECT COUNT(*) FROM core_auditjob WHERE published_at IS NOT NULL"
        ).fetchone()[0]
        tables = db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%stage%'").fetchall()
    assert before == f"clues={clues} audit={audit}"
    assert events == 0 and published == 0 and tables == []
    verify = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "audit", "verify", "--json"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    report = json.loads(verify.stdout)
    assert report["ok"] is True and report["unsealed_rows"] == 0


# The publishing transaction of a clue import no longer indexes the rows for search nor
# queries them back for the statistics (the structural tests below); what is left grows
# with the rows only by the INSERTs themselves. The benchmark measures 50,000.
CLUE_IMPORT_ROWS = 5_000


def test_sqlite_clue_import_delays_no_login_or_write_by_a_second(migrated_sqlite, tmp_path):
    """A 5,000-row 问题线索 import on a SQLite file, staged and published in one short
    transaction: another user's audited writes and logins meanwhile each wait under 1 s
    and none fails; every clue is there, every audit row sealed, the chain verifies.
    (``python bench/import_lock_bench.py --kind clues --rows 50000`` measures 50,000.)"""
    result = _contention(
        _copy(migrated_sqlite, tmp_path),
        *("--hold", "0", "--import-rows", str(CLUE_IMPORT_ROWS), "--import-kind", "clues"),
    )
    (imported,) = result["imports"]
    assert "job_error" not in imported, imported
    assert imported["clues_created"] == CLUE_IMPORT_ROWS, imported
    assert imported["probe_errors"] == [] and imported["probes"] >= 10, imported
    assert imported["worst_write_seconds"] < 1.0, imported
    assert imported["worst_login_seconds"] < 1.0, imported
    assert imported["verify_ok"] and imported["unsealed"] == 0, imported


# --- what the clue import's publishing transaction does on SQLite (structural) -------


def _search_docs(where: str = "", params: tuple = ()) -> int:
    """Entries in the clues' FTS5 index (one row of its docsize table each)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM clues_clue_search_docsize {where}", params)
        return cursor.fetchone()[0]


def _ahead_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM clues_clue_search_ahead)"
            " + (SELECT COUNT(*) FROM clues_clue_search_ahead_batch)"
        )
        return cursor.fetchone()[0]


def _integrity_check() -> None:
    """FTS5's own check that the index matches the table (raises when it does not)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clues_clue_search(clues_clue_search) VALUES ('integrity-check')"
        )


def _clue_import(rows: int, tag: str, watch: dict, monkeypatch, *, fail: bool = False):
    """A ``rows``-row clue import of a new county, with what its publication did in
    ``watch``: the statements run, the index's entries of the staged ids and what a
    search finds, before and after (inside the publishing transaction)."""
    from django.db import IntegrityError
    from django.test.utils import CaptureQueriesContext

    from jiandu.accounts import roles
    from jiandu.clues.models import Clue
    from jiandu.clues.search import text_filter
    from jiandu.core.audit import StagedWrite
    from jiandu.core.tests.contention import clues_workbook
    from jiandu.imports.services import import_file
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.testing import make_user

    system = make_user(f"setup-{tag}", None)
    org = org_create(
        actor=system, name=f"发布测试区{tag}", kind=OrgKind.COUNTY, region_code="530102"
    )
    importer = make_user(f"importer-{tag}", org, roles.ROLE_CLUES)
    original = StagedWrite.publish

    def found() -> int:
        mine = Clue.objects.filter(handling_org=org)
        return text_filter(mine, "截留补贴", fields=("title", "content")).count()

    def publish(self: StagedWrite) -> None:
        (clues,) = [t for t in self.tables if t.model is Clue]
        span = (min(clues.pks), max(clues.pks))
        watch["staged"] = len(clues.pks)
        watch["entries_before"] = _search_docs("WHERE id BETWEEN %s AND %s", span)
        watch["found_before"] = found()
        with CaptureQueriesContext(connection) as queries:
            original(self)
        watch["statements"] = [q["sql"] for q in queries.captured_queries]
        watch["entries_after"] = _search_docs("WHERE id BETWEEN %s AND %s", span)
        watch["found_after"] = found()
        if fail:
            raise IntegrityError("a constraint broke while publishing")

    monkeypatch.setattr(StagedWrite, "publish", publish)
    result = import_file(
        actor=importer,
        kind="clues",
        filename=f"{tag}.xlsx",
        data=clues_workbook(rows, org.name),
        max_rows=10**6,
    )
    monkeypatch.setattr(StagedWrite, "publish", original)
    return result, org, found


@pytest.mark.django_db
def test_sqlite_clue_publication_indexes_nothing_and_is_the_same_statements_for_5_and_600(
    monkeypatch,
):
    """SQLite has one writer: whatever the publishing transaction does per row, every
    login waits for. The search entries of the staged clues are in the index before it
    starts (written ahead in short transactions) and it adds none; the statistics cells
    are read from the staged rows, not queried back: the same statements for 5 clues
    and for 600 (before: the insert trigger indexed each clue inside it, and the cells
    took a query per 500 rows — 18.9 s at 50,000 rows, docs/benchmarks.md §21)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    small: dict = {}
    large: dict = {}
    for rows, tag, watch in ((5, "small", small), (600, "large", large)):
        result, _org, _found = _clue_import(rows, tag, watch, monkeypatch)
        assert result.ok, result.errors[:3]
        assert watch["staged"] == rows
        assert watch["entries_before"] == rows, watch  # written ahead
        assert watch["entries_after"] == rows, watch  # none written while publishing
    assert len(small["statements"]) == len(large["statements"]), (
        small["statements"],
        large["statements"],
    )
    _integrity_check()


@pytest.mark.django_db
def test_sqlite_search_finds_imported_clues_after_publication_and_not_before(monkeypatch):
    """The entries written ahead match nothing while the clues are staged (a search
    answers rows of the table, and the reserved ids have none yet); once published, a
    search finds every clue, and the index agrees with the table."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    watch: dict = {}
    result, _org, found = _clue_import(40, "search", watch, monkeypatch)
    assert result.ok, result.errors[:3]
    assert watch["entries_before"] == 40 and watch["found_before"] == 0, watch
    assert watch["found_after"] == 40 and found() == 40, watch
    assert _ahead_rows() == 0  # the job's range and its copies are gone
    _integrity_check()


@pytest.mark.django_db
def test_sqlite_failed_clue_publication_leaves_no_search_entry(monkeypatch):
    """A publication that fails (a constraint broke) leaves nothing: no clue, and the
    entries written ahead taken out of the index again, its bookkeeping too."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    from jiandu.clues.models import Clue

    before = _search_docs()
    watch: dict = {}
    result, org, found = _clue_import(30, "failed", watch, monkeypatch, fail=True)
    assert not result.ok and "重新导入" in str(result.errors), result.errors
    assert watch["entries_before"] == 30, watch  # they had been written ahead
    assert not Clue.objects.filter(handling_org=org).exists() and found() == 0
    assert _search_docs() == before and _ahead_rows() == 0
    _integrity_check()


def test_sqlite_clue_import_killed_while_writing_search_entries_ahead(migrated_sqlite, tmp_path):
    """kill -9 after the first batch of search entries went into the index: no clue is
    visible and no search finds one; the clean-up (``jiandu audit seal`` and the task
    worker, for jobs older than 12 hours; here at once) takes the entries out, the index
    then agrees with the table, and a later import works and is found."""
    path = _copy(migrated_sqlite, tmp_path)
    with closing(sqlite3.connect(path)) as db:
        docs_before = db.execute("SELECT COUNT(*) FROM clues_clue_search_docsize").fetchone()[0]
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "jiandu.core.tests.contention"),
            *("--hold", "0", "--stall-while-staging", "2500", "--stall-kind", "clues"),
            "--stall-in-search",
        ],
        env=_env(path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = child.stdout.readline().strip()
        assert before.startswith("clues="), child.stderr.read()[-3000:]
        assert child.stdout.readline().strip() == "staging", child.stderr.read()[-3000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
        child.stderr.close()
    match = (
        "SELECT COUNT(*) FROM clues_clue WHERE id IN (SELECT rowid FROM clues_clue_search "
        'WHERE clues_clue_search MATCH \'"截留" AND "补贴"\')'
    )
    with closing(sqlite3.connect(path)) as db:
        clues = db.execute("SELECT COUNT(*) FROM clues_clue").fetchone()[0]
        docs = db.execute("SELECT COUNT(*) FROM clues_clue_search_docsize").fetchone()[0]
        matched = db.execute(match).fetchone()[0]
        ahead = db.execute("SELECT COUNT(*) FROM clues_clue_search_ahead").fetchone()[0]
    assert before.split()[0] == f"clues={clues}"
    assert docs > docs_before and ahead == 1  # entries of ids that have no clue
    assert matched == 0
    after = _contention(path, "--after-kill", "30")
    assert after["import_ok"] and after["imported"] == 30 and after["found"] == 30, after
    with closing(sqlite3.connect(path)) as db:
        clues = db.execute("SELECT COUNT(*) FROM clues_clue").fetchone()[0]
        docs = db.execute("SELECT COUNT(*) FROM clues_clue_search_docsize").fetchone()[0]
        ahead = db.execute(
            "SELECT (SELECT COUNT(*) FROM clues_clue_search_ahead)"
            " + (SELECT COUNT(*) FROM clues_clue_search_ahead_batch)"
        ).fetchone()[0]
        db.execute("INSERT INTO clues_clue_search(clues_clue_search) VALUES ('integrity-check')")
    assert docs == clues and ahead == 0
