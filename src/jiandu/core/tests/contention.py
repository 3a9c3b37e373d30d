"""A long job's transaction against another user's audited write, login and token read.

Used by test_audit_not_blocking on PostgreSQL (in the test process) and on a SQLite file
(``python -m jiandu.core.tests.contention`` with DATABASE_URL, printing JSON). The long
job holds one transaction open for ``hold`` seconds, writing audit rows all along, as an
import, a board close or a comparison write-back does.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def measure(*, hold: float = 3.0) -> dict[str, Any]:
    from jiandu.accounts.services import api_token_create
    from jiandu.core.audit import audit_record, audit_seal, audit_verify
    from jiandu.core.choices import AuditAction
    from jiandu.core.models import AuditLog
    from jiandu.testing import TEST_PASSWORD, make_user

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, ALLOWED_HOSTS=["testserver"]):
        job_user = make_user("longjob", None)
        other = make_user("other", None)
        _token, secret = api_token_create(actor=other, name="并发测试")
        reader = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        reader.get("/api/v1/boards/")  # first use stamps last_used_at (once a minute)
        # Warm the login path (imports, URL resolver) so the timing below is the locks'.
        Client().post(reverse("accounts:login"), {"username": "other", "password": TEST_PASSWORD})
        audit_seal()

        started = threading.Event()
        out: dict[str, Any] = {"vendor": connection.vendor, "hold": hold}

        def long_job() -> None:
            try:
                with transaction.atomic():
                    audit_record(actor=job_user, action=AuditAction.IMPORT, summary="长任务开始")
                    started.set()
                    deadline = time.monotonic() + hold
                    step = 0
                    while time.monotonic() < deadline:
                        step += 1
                        audit_record(
                            actor=job_user, action=AuditAction.IMPORT, summary=f"长任务第{step}步"
                        )
                        time.sleep(0.1)
                out["job_committed"] = time.monotonic()
            except Exception as exc:  # reported, not raised: the measurement goes on
                out["job_error"] = repr(exc)
            finally:
                started.set()
                close_old_connections()
                connection.close()

        job = threading.Thread(target=long_job)
        job.start()
        started.wait(30)
        time.sleep(0.2)
        out["job_running_at_start"] = job.is_alive()

        t0 = time.monotonic()
        response = reader.get("/api/v1/boards/")
        out["read_seconds"] = time.monotonic() - t0
        out["read_status"] = response.status_code

        t0 = time.monotonic()
        try:
            audit_record(actor=other, action=AuditAction.UPDATE, summary="另一用户的写操作")
        except Exception as exc:
            out["write_error"] = repr(exc)
        out["write_committed"] = time.monotonic()
        out["write_seconds"] = out["write_committed"] - t0
        out["job_running_after_write"] = job.is_alive()

        t0 = time.monotonic()
        response = Client().post(
            reverse("accounts:login"), {"username": "other", "password": TEST_PASSWORD}
        )
        out["login_seconds"] = time.monotonic() - t0
        out["login_status"] = response.status_code

        job.join(60)
        # Every committed row joins the chain, in the order the transactions committed.
        audit_seal()
        report = audit_verify()
        out["verify_ok"] = report.ok
        out["unsealed"] = report.unsealed_rows
        job_sequences = list(
            AuditLog.objects.filter(actor=job_user).values_list("sequence", flat=True)
        )
        other_sequence = AuditLog.objects.get(summary="另一用户的写操作").sequence
        out["job_rows"] = len(job_sequences)
        out["job_rows_contiguous"] = sorted(job_sequences) == list(
            range(min(job_sequences), min(job_sequences) + len(job_sequences))
        )
        out["other_before_job"] = other_sequence < min(job_sequences)
        out["write_committed_before_job"] = out["write_committed"] < out.get("job_committed", 0)
        for key in ("job_committed", "write_committed"):
            out.pop(key, None)
        return out


if __name__ == "__main__":
    import argparse
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--hold", type=float, default=3.0)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    args = parser.parse_args()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    print(json.dumps(measure(hold=args.hold)))
