import itertools

import pytest
from django.db import connection

from jiandu.core.audit import audit_record, audit_seal, audit_verify
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog


def _rows(world, n=3):
    for i in range(n):
        audit_record(actor=world.users["city"], action=AuditAction.UPDATE, summary=f"第{i}次修改")
    # The test's transaction never commits, so seal as a commit would.
    audit_seal()


def test_chain_verifies_after_writes(world):
    _rows(world)
    report = audit_verify()
    assert report.ok
    assert report.rows_checked == AuditLog.objects.count()


def test_each_row_links_to_the_previous_hash(world):
    _rows(world)
    rows = list(AuditLog.objects.order_by("sequence"))
    for previous, row in itertools.pairwise(rows):
        assert row.previous_hash == previous.row_hash


def test_tampered_row_is_reported_by_sequence(world):
    _rows(world)
    victim = AuditLog.objects.order_by("sequence")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET summary = %s WHERE id = %s",
            ["篡改后的摘要", victim.pk],
        )
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_sequence == victim.sequence
    assert "篡改" in report.reason


def test_removed_row_is_reported(world):
    _rows(world)
    victim = AuditLog.objects.order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [victim.pk])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_sequence == victim.sequence


def test_log_cannot_be_changed_or_deleted_through_the_app(world):
    _rows(world, 1)
    row = AuditLog.objects.first()
    row.summary = "改"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().update(summary="改")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()


def test_logins_and_failed_logins_are_audited(world, client):
    from jiandu.testing import TEST_PASSWORD

    client.post("/accounts/login/", {"username": "city", "password": "wrong-password"})
    client.post("/accounts/login/", {"username": "city", "password": TEST_PASSWORD})
    actions = list(AuditLog.objects.order_by("sequence").values_list("action", flat=True))
    assert AuditAction.LOGIN_FAILED in actions
    assert AuditAction.LOGIN in actions
