"""A transaction that writes many audit rows seals them once after it commits (one
hook, not one per row); a hook registered in a savepoint that is rolled back goes with
it, and the next write registers it again."""

import pytest
from django.db import transaction

from jiandu.core import audit
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _write(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action=AuditAction.CREATE, object_type="x.y", summary=f"{i}")


def _seals(callbacks) -> int:
    return sum(1 for callback in callbacks if isinstance(callback, audit._SealAfterCommit))


def test_many_rows_one_seal_after_commit(settings, django_capture_on_commit_callbacks):
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _write(5)
    assert _seals(callbacks) == 1
    assert not AuditLog.objects.filter(sequence__isnull=True).exists()
    assert AuditLog.objects.filter(object_type="x.y").count() == 5


def test_a_rolled_back_savepoint_takes_its_hook_and_the_next_write_registers_again(
    settings, django_capture_on_commit_callbacks
):
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            _write(2)
            raise Boom
        _write(3)
        with transaction.atomic():
            _write(1)  # the hook of the outer writes already covers it
    assert _seals(callbacks) == 1
    assert AuditLog.objects.filter(object_type="x.y").count() == 4
    assert not AuditLog.objects.filter(sequence__isnull=True).exists()


def test_a_transaction_of_more_than_a_batch_of_single_records_seals_all_of_them(
    settings, django_capture_on_commit_callbacks
):
    """Not only long jobs' bulk writes: a transaction that audits record after record
    past one batch seals every one of its rows after commit, not just the first batch."""
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _write(audit.SEAL_BATCH + 7)
    assert _seals(callbacks) == 1
    assert not AuditLog.objects.filter(sequence__isnull=True).exists()
