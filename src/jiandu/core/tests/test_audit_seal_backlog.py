"""After commit, an ordinary audited write (a login, an edit) seals at most one batch,
and none while a long job's backlog waits: it must not queue behind that sealing. The
long job's own rows are all sealed after its commit."""

from contextlib import contextmanager

from django.db import connection

from jiandu.core import audit
from jiandu.core.audit import audit_record, audit_record_many
from jiandu.core.choices import AuditAction
from jiandu.core.models import AuditLog


@contextmanager
def _transaction(capture, *, execute: bool):
    """One transaction of the story: its commit hooks run (or, for a job that died after
    committing, do not) and are gone. A test runs inside one outer transaction whose
    hook list would otherwise carry them into the next "transaction"."""
    with capture(execute=execute):
        yield
    connection.run_on_commit.clear()


def _unsealed() -> int:
    return AuditLog.objects.filter(sequence__isnull=True).count()


def _entries(count: int) -> list[dict]:
    return [{"action": AuditAction.CREATE, "summary": f"长任务第{i}行"} for i in range(count)]


def test_an_ordinary_write_leaves_a_long_jobs_backlog_to_it(
    world, settings, django_capture_on_commit_callbacks
):
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    audit.audit_seal()
    with _transaction(django_capture_on_commit_callbacks, execute=False):  # job died
        audit_record_many(_entries(audit.SEAL_BATCH + 20))
    with _transaction(django_capture_on_commit_callbacks, execute=True):
        audit_record(actor=None, action=AuditAction.LOGIN, summary="登录")
    assert _unsealed() == audit.SEAL_BATCH + 21  # the login did not seal anyone's rows


def test_an_ordinary_write_seals_a_small_backlog_and_a_long_job_all_of_its_own(
    world, settings, django_capture_on_commit_callbacks
):
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = False
    audit.audit_seal()
    with _transaction(django_capture_on_commit_callbacks, execute=False):
        audit_record_many(_entries(3))
    with _transaction(django_capture_on_commit_callbacks, execute=True):
        audit_record(actor=None, action=AuditAction.LOGIN, summary="登录")
    assert _unsealed() == 0
    with _transaction(django_capture_on_commit_callbacks, execute=True):
        audit_record_many(_entries(2 * audit.SEAL_BATCH + 5))
    assert _unsealed() == 0
    assert audit.audit_verify().ok
