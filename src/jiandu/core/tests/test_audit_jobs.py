"""A long job's audit rows are published by one UPDATE of its job row, whatever their
number, and join the chain after the commit in the job's place in the commit order
(ADR 0010, "审计行的发布与行数无关")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jiandu.core import audit as audit_module
from jiandu.core.audit import (
    AuditStage,
    audit_discard_abandoned,
    audit_log_list,
    audit_record,
    audit_seal,
    audit_verify,
)
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditJob, AuditJobRow, AuditLog

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seal_explicitly(settings, monkeypatch):
    """Nothing is sealed behind the test's back: it calls ``audit_seal`` itself, so the
    order in which rows became visible is the test's to arrange."""
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    monkeypatch.setattr(audit_module, "_seal_after_write", lambda **kwargs: None)


def _entries(count: int, tag: str) -> list[dict]:
    return [
        {"actor": None, "action": AuditAction.CREATE, "object_type": tag, "object_id": str(i)}
        for i in range(count)
    ]


def _publish(stage: AuditStage) -> list[str]:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        stage.publish()
    return [q["sql"] for q in queries.captured_queries]


def test_publish_is_the_same_few_statements_for_5_rows_and_for_1200():
    """Publishing touches no audit row: the statements are the same for 5 rows and for
    1,200, and none of them inserts into or updates the log (before this, publishing
    copied every row into the log inside the short transaction)."""
    small, large = AuditStage(), AuditStage()
    small.add(_entries(5, "small"))
    large.add(_entries(1200, "large"))
    assert AuditLog.objects.filter(object_type__in=["small", "large"]).count() == 0
    small_sql, large_sql = _publish(small), _publish(large)
    assert len(small_sql) == len(large_sql)
    table = AuditLog._meta.db_table
    for sql in large_sql:
        assert not (f'INSERT INTO "{table}"' in sql or f'UPDATE "{table}"' in sql), sql
    # Published but not yet sealed: still in the jobs' rows, then moved by the sealer.
    assert AuditJobRow.objects.count() == 1205
    audit_seal(pause=0)
    assert AuditJobRow.objects.count() == 0
    assert AuditLog.objects.filter(object_type="large", sequence__isnull=False).count() == 1200
    assert AuditJob.objects.filter(sealed_at__isnull=True).count() == 0
    assert audit_verify().ok


def test_job_rows_are_invisible_until_published_and_timed_at_publication(django_user_model):
    reader = django_user_model.objects.create_user("audit-reader", password="x")
    reader.is_superuser = True
    reader.save()
    stage = AuditStage()
    stage.add(_entries(30, "invisible"))
    audit_seal(pause=0)  # the sealer does not touch an unpublished job
    assert not audit_log_list(user=reader).filter(object_type="invisible").exists()
    report = audit_verify()
    assert report.ok and report.unsealed_rows == 0
    _publish(stage)
    published_at = AuditJob.objects.get().published_at
    assert audit_verify(seal=False).unsealed_rows == 30  # published, waiting for the sealer
    audit_seal(pause=0)
    rows = list(audit_log_list(user=reader).filter(object_type="invisible").order_by("sequence"))
    assert [r.object_id for r in rows] == [str(i) for i in range(30)]  # the order staged
    assert {r.at for r in rows} == {published_at}
    assert audit_verify().ok


def test_sealed_in_commit_order_around_the_job():
    """A row committed before the job was published comes before the job's rows, even
    if the job was staged earlier; one committed after comes after; the job's rows are
    contiguous. Batches split the job (1,100 rows > two batches of 500)."""
    stage = AuditStage()
    stage.add(_entries(1100, "job"))
    audit_record(actor=None, action=AuditAction.UPDATE, object_type="before")
    _publish(stage)
    audit_record(actor=None, action=AuditAction.UPDATE, object_type="after")
    audit_seal(pause=0)
    order = list(
        AuditLog.objects.filter(object_type__in=["before", "job", "after"])
        .order_by("sequence")
        .values_list("object_type", flat=True)
    )
    assert order == ["before", *["job"] * 1100, "after"]
    sequences = list(
        AuditLog.objects.filter(object_type="job").order_by("sequence").values_list("sequence")
    )
    assert sequences[-1][0] - sequences[0][0] == 1099
    assert audit_verify().ok


def test_a_job_that_fails_to_publish_leaves_nothing():
    stage = AuditStage()
    stage.add(_entries(40, "failed"))
    with pytest.raises(RuntimeError), transaction.atomic():
        stage.publish()
        raise RuntimeError("a constraint broke while publishing")
    stage.discard()
    assert AuditJob.objects.count() == 0 and AuditJobRow.objects.count() == 0
    audit_seal(pause=0)
    assert not AuditLog.objects.filter(object_type="failed").exists()
    assert audit_verify().ok


def test_a_published_job_is_kept_by_discard():
    stage = AuditStage()
    stage.add(_entries(3, "kept"))
    _publish(stage)
    stage.discard()
    audit_seal(pause=0)
    assert AuditLog.objects.filter(object_type="kept").count() == 3


def test_abandoned_jobs_are_discarded_by_age_only():
    """A job killed before publishing leaves its staged rows, which nobody reads; they are
    discarded once older than any job runs before publishing — not while it may still run."""
    stage = AuditStage()
    stage.add(_entries(25, "abandoned"))
    stage.job = None  # as if the process had died: no discard
    assert audit_discard_abandoned() == 0
    assert AuditJobRow.objects.count() == 25
    assert audit_discard_abandoned(older_than=dt.timedelta(0)) == 1
    assert AuditJob.objects.count() == 0 and AuditJobRow.objects.count() == 0
    assert audit_verify().ok
