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
                    # Stamped on commit, before the sealing callbacks (which take turns
                    # with the other user's write for the lock).
                    transaction.on_commit(
                        lambda: out.__setitem__("job_committed", time.monotonic())
                    )
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
        job_rows = list(AuditLog.objects.filter(actor=job_user).values_list("sequence", flat=True))
        # Sealed above, so every row has its sequence; one without breaks contiguity.
        job_sequences = [s for s in job_rows if s is not None]
        other_sequence = AuditLog.objects.get(summary="另一用户的写操作").sequence
        out["job_rows"] = len(job_rows)
        out["job_rows_contiguous"] = len(job_sequences) == len(job_rows) and sorted(
            job_sequences
        ) == list(range(min(job_sequences), min(job_sequences) + len(job_sequences)))
        out["other_before_job"] = other_sequence is not None and other_sequence < min(job_sequences)
        out["write_committed_before_job"] = out["write_committed"] < out.get("job_committed", 0)
        for key in ("job_committed", "write_committed"):
            out.pop(key, None)
        return out


def people_workbook(rows: int, org_name: str) -> bytes:
    """A 党员干部 import file of ``rows`` valid, distinct people registered by ``org_name``."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    from jiandu.core import idnumbers

    book = Workbook(write_only=True)
    sheet = book.create_sheet("人员")
    sheet.append(["姓名", "身份证号码", "政治面貌", "登记单位", "备注"])
    start = dt.date(1960, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=i // 900)
        number = idnumbers.make("530102", birth, 100 + i % 900)
        sheet.append([f"压测人员{i}", number, "", org_name, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parsed_people(*, actor: Any, data: bytes) -> Any:
    from jiandu.imports.importers import ImportContext, parse_rows, read_workbook
    from jiandu.imports.kinds import KINDS

    spec = KINDS["people"]
    sheets, errors = read_workbook(spec, data, max_rows=10**6)
    assert not errors, errors[:3]
    rows, errors = parse_rows(spec, sheets, ImportContext(actor))
    assert not errors, errors[:3]
    return spec, rows


def _per_row_people_import(*, actor: Any, data: bytes) -> None:
    """The people import as first written: parsed and checked outside, then one
    ``person_create`` per row (its look-ups, validation, insert and audit row) inside
    the one write transaction. Kept here to be measured against."""
    from jiandu.imports.importers import Writer
    from jiandu.imports.kinds import PEOPLE_SHEET
    from jiandu.people.choices import PoliticalStatus
    from jiandu.people.services import person_create

    _spec, rows = _parsed_people(actor=actor, data=data)
    with transaction.atomic():
        writer = Writer(actor)
        for row in rows[PEOPLE_SHEET.title]:
            v = row.values
            writer.call(
                row,
                {},
                person_create,
                name=v["name"],
                id_number=v["id_number"],
                political_status=v.get("political_status") or PoliticalStatus.PARTY_MEMBER,
                registered_org=v["registered_org"].org,
                note=v.get("note") or "",
            )
        assert not writer.errors, writer.errors[:3]


def _one_transaction_people_import(*, actor: Any, data: bytes) -> None:
    """The people import as it was before staging: every person built and checked
    before the write transaction, then bulk inserts of the people and their audit rows
    inside it (a transaction as long as the rows are many). Kept here to be measured
    against."""
    from jiandu.core.audit import audit_record, audit_record_many, model_snapshot
    from jiandu.core.choices import AuditAction
    from jiandu.imports.importers import ImportContext, Writer
    from jiandu.people.models import Person

    spec, rows = _parsed_people(actor=actor, data=data)
    writer = Writer(actor)
    spec.prepare(rows, ImportContext(actor), writer)
    assert not writer.errors, writer.errors[:3]
    people = writer.prepared
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=500)
        audit_record_many(
            [
                {
                    "actor": actor,
                    "action": AuditAction.CREATE,
                    "obj": p,
                    "changes": model_snapshot(p),
                }
                for p in people
            ]
        )
        audit_record(actor=actor, action=AuditAction.IMPORT, summary=f"导入{len(people)}人")


WAYS = {
    "staged": "staged: built first, written ahead where nobody sees, published at once",
    "one-tx": "one transaction: built first, bulk inserts in the write transaction",
    "per-row": "per row: one person_create per row in the write transaction",
}


def _p99(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _time_publication(out: dict[str, Any], kind: str = "people") -> Any:
    """Record in ``out["publish_seconds"]`` how long the staged import's publishing
    transaction ran (from ``write`` to its commit: the only time it holds SQLite's write
    lock); returns the function that undoes the patch."""
    from jiandu.imports.kinds import KINDS

    spec = type(KINDS[kind])
    original = spec.write

    def write(self: Any, rows: Any, ctx: Any, writer: Any) -> None:
        started = time.monotonic()

        def committed() -> None:
            out["publish_seconds"] = round(time.monotonic() - started, 3)

        transaction.on_commit(committed)
        original(self, rows, ctx, writer)

    spec.write = write  # type: ignore[method-assign]

    def undo() -> None:
        spec.write = original  # type: ignore[method-assign]

    return undo


def measure_import(
    *,
    rows: int,
    way: str = "staged",
    probe_every: float = 0.05,
    data: bytes | None = None,
    kind: str = "people",
) -> dict[str, Any]:
    """A ``rows``-row people import running while another user keeps writing (an audited
    write in its own transaction) and logging in, one after the other: how long the
    import took and the worst and 99th-percentile wait of the other user's write and
    login meanwhile (until every audit row of the import is sealed). ``way`` is one of
    ``WAYS``: "staged" is ``imports.services.import_file`` as it is. ``kind="clues"``:
    a 问题线索 import instead (staged only)."""
    import uuid

    from jiandu.accounts import roles
    from jiandu.core.audit import audit_record, audit_seal, audit_verify
    from jiandu.core.choices import AuditAction
    from jiandu.core.models import AuditLog
    from jiandu.imports.services import import_file
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.people.models import Person
    from jiandu.testing import TEST_PASSWORD, make_user

    if way not in WAYS:
        raise ValueError(f"unknown way {way!r}: one of {', '.join(WAYS)}")
    tag = uuid.uuid4().hex[:6]
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, ALLOWED_HOSTS=["testserver"]):
        system = make_user(f"setup-{tag}", None)
        org = org_create(
            actor=system, name=f"导入测试区{tag}", kind=OrgKind.COUNTY, region_code="530102"
        )
        importer = make_user(f"importer-{tag}", org, roles.ROLE_CLUES)
        other = make_user(f"other-{tag}", None)
        if kind == "clues":
            from jiandu.clues.models import Clue

            if way != "staged":
                raise ValueError("a clue import is measured as it is (staged) only")
            data = data or clues_workbook(rows, org.name)
            counted: Any = Clue
        else:
            data = data or people_workbook(rows, org.name)
            counted = Person
        login = {"username": other.username, "password": TEST_PASSWORD}
        Client().post(reverse("accounts:login"), login)  # warm the login path
        audit_seal()
        before = counted.objects.count()
        out: dict[str, Any] = {
            "vendor": connection.vendor,
            "rows": rows,
            "way": way,
            "kind": kind,
        }
        done = threading.Event()

        def job() -> None:
            t0 = time.monotonic()
            try:
                if way == "staged":
                    publish = _time_publication(out, kind)
                    try:
                        result = import_file(
                            actor=importer,
                            kind=kind,
                            filename="导入.xlsx",
                            data=data,
                            max_rows=10**6,
                        )
                    finally:
                        publish()
                    assert result.ok, result.errors[:3]
                elif way == "one-tx":
                    _one_transaction_people_import(actor=importer, data=data)
                else:
                    _per_row_people_import(actor=importer, data=data)
                out["import_seconds"] = round(time.monotonic() - t0, 3)
                # Its audit rows joined the chain (sealed after commit, in this thread).
                audit_seal()
                out["sealed_seconds"] = round(time.monotonic() - t0, 3)
            except Exception as exc:  # reported, not raised: the measurement goes on
                out["job_error"] = repr(exc)
            finally:
                out.setdefault("import_seconds", round(time.monotonic() - t0, 3))
                done.set()
                connection.close()

        worker = threading.Thread(target=job)
        worker.start()
        writes: list[float] = []
        logins: list[float] = []
        errors: list[str] = []
        while not done.is_set():
            t0 = time.monotonic()
            try:
                audit_record(actor=other, action=AuditAction.UPDATE, summary="导入期间别人的写操作")
            except Exception as exc:  # counted: a write that failed waited in vain
                errors.append(f"write {time.monotonic() - t0:.1f}s {exc}")
            writes.append(time.monotonic() - t0)
            t0 = time.monotonic()
            try:
                status = (
                    Client(raise_request_exception=True)
                    .post(reverse("accounts:login"), login)
                    .status_code
                )
                if status != 302:
                    errors.append(f"login answered {status}")
            except Exception as exc:
                errors.append(f"login {time.monotonic() - t0:.1f}s {exc}")
            logins.append(time.monotonic() - t0)
            time.sleep(probe_every)
        out["probe_errors"] = errors[:5]
        out["probe_error_count"] = len(errors)
        worker.join()
        audit_seal()
        out[f"{kind}_created"] = counted.objects.count() - before
        out["probes"] = len(writes)
        out["worst_write_seconds"] = round(max(writes, default=0.0), 3)
        out["p99_write_seconds"] = round(_p99(writes), 3)
        out["worst_login_seconds"] = round(max(logins, default=0.0), 3)
        out["p99_login_seconds"] = round(_p99(logins), 3)
        out["verify_ok"] = audit_verify().ok
        out["unsealed"] = AuditLog.objects.filter(sequence__isnull=True).count()
        return out


def probe_while(job: Any, *, probe_every: float = 0.05) -> dict[str, Any]:
    """Run ``job()`` (a board close, a comparison write-back …) in a thread while
    another user keeps writing an audited row in its own transaction and logging in,
    one after the other, until the job has finished and its audit rows are sealed: the
    job's time and the worst and 99th-percentile waits of the probes."""
    import uuid

    from jiandu.core.audit import audit_record, audit_seal, audit_verify
    from jiandu.core.choices import AuditAction
    from jiandu.core.models import AuditLog
    from jiandu.testing import TEST_PASSWORD, make_user

    tag = uuid.uuid4().hex[:6]
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, ALLOWED_HOSTS=["testserver"]):
        other = make_user(f"probe-{tag}", None)
        login = {"username": other.username, "password": TEST_PASSWORD}
        Client().post(reverse("accounts:login"), login)  # warm the login path
        audit_seal()
        out: dict[str, Any] = {"vendor": connection.vendor}
        done = threading.Event()

        def run() -> None:
            t0 = time.monotonic()
            try:
                job()
                out["job_seconds"] = round(time.monotonic() - t0, 3)
                audit_seal()
                out["sealed_seconds"] = round(time.monotonic() - t0, 3)
            except Exception as exc:  # reported, not raised: the measurement goes on
                out["job_error"] = repr(exc)
            finally:
                done.set()
                connection.close()

        worker = threading.Thread(target=run)
        worker.start()
        writes: list[float] = []
        logins: list[float] = []
        errors: list[str] = []
        while not done.is_set():
            t0 = time.monotonic()
            try:
                audit_record(
                    actor=other, action=AuditAction.UPDATE, summary="长任务期间别人的写操作"
                )
            except Exception as exc:
                errors.append(f"write {time.monotonic() - t0:.1f}s {exc}")
            writes.append(time.monotonic() - t0)
            t0 = time.monotonic()
            try:
                status = (
                    Client(raise_request_exception=True)
                    .post(reverse("accounts:login"), login)
                    .status_code
                )
                if status != 302:
                    errors.append(f"login answered {status}")
            except Exception as exc:
                errors.append(f"login {time.monotonic() - t0:.1f}s {exc}")
            logins.append(time.monotonic() - t0)
            time.sleep(probe_every)
        worker.join()
        audit_seal()
        out["probe_errors"] = errors[:5]
        out["probe_error_count"] = len(errors)
        out["probes"] = len(writes)
        out["worst_write_seconds"] = round(max(writes, default=0.0), 3)
        out["p99_write_seconds"] = round(_p99(writes), 3)
        out["p50_write_seconds"] = round(sorted(writes)[len(writes) // 2], 3) if writes else 0.0
        out["worst_login_seconds"] = round(max(logins, default=0.0), 3)
        out["p99_login_seconds"] = round(_p99(logins), 3)
        out["p50_login_seconds"] = round(sorted(logins)[len(logins) // 2], 3) if logins else 0.0
        out["verify_ok"] = audit_verify().ok
        out["unsealed"] = AuditLog.objects.filter(sequence__isnull=True).count()
        return out


def orgs_workbook(rows: int, parent_name: str) -> bytes:
    """A 组织机构 import file of ``rows`` new 乡镇街道 under ``parent_name``."""
    import io

    from openpyxl import Workbook

    from jiandu.orgs.choices import OrgKind

    book = Workbook(write_only=True)
    sheet = book.create_sheet("组织机构")
    sheet.append(["名称", "简称", "类型", "上级单位", "行政区划代码", "标签", "监督对象"])
    for i in range(rows):
        sheet.append([f"压测街道{i}", "", str(OrgKind.TOWNSHIP.label), parent_name, "", "压测", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def clues_workbook(rows: int, org_name: str) -> bytes:
    """A 问题线索 import file of ``rows`` new clues handled by ``org_name`` (not yet
    disposed: their 处置 would go through 呈批 one by one)."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    from jiandu.clues.choices import ClueSource
    from jiandu.imports.kinds import CLUES_SHEET

    book = Workbook(write_only=True)
    sheet = book.create_sheet("线索")
    sheet.append([column.header for column in CLUES_SHEET.columns])
    source = str(ClueSource.choices[0][1])
    start = dt.date(2024, 1, 1)
    for i in range(rows):
        received = start + dt.timedelta(days=i % 300)
        sheet.append(
            [source, f"压测线索{i}：截留补贴", "反映截留补贴问题", received, org_name]
            + [""] * 6
            + [f"YC-{i}"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stall_while_staging(*, rows: int, kind: str = "people", search: bool = False) -> None:
    """Start a ``rows``-row import of ``kind`` (people, orgs or clues) and stop it for good in
    the middle of staging, printing ``people=<n> audit=<n>`` (or ``orgs=<n> …``: the
    visible rows before it began) and then ``staging`` once the first staged batch is
    written: for a test to kill -9 the process there. ``search``: stop once the first
    batch of the clues' search entries is written ahead instead (SQLite)."""
    import sys
    import uuid

    from jiandu.accounts import roles
    from jiandu.core.db import StagedTable
    from jiandu.core.models import AuditLog
    from jiandu.imports.services import import_file
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.models import Org
    from jiandu.orgs.services import org_create
    from jiandu.people.models import Person
    from jiandu.testing import make_user

    tag = uuid.uuid4().hex[:6]
    system = make_user(f"setup-{tag}", None)
    org = org_create(
        actor=system, name=f"中断测试区{tag}", kind=OrgKind.COUNTY, region_code="530102"
    )
    if kind == "orgs":
        importer = make_user(f"importer-{tag}", org, roles.ROLE_DATA)
        data = orgs_workbook(rows, org.name)
        visible = f"orgs={Org.objects.count()}"
    elif kind == "clues":
        from jiandu.clues.models import Clue

        importer = make_user(f"importer-{tag}", org, roles.ROLE_CLUES)
        data = clues_workbook(rows, org.name)
        visible = f"clues={Clue.objects.count()}"
    else:
        importer = make_user(f"importer-{tag}", org, roles.ROLE_CLUES)
        data = people_workbook(rows, org.name)
        visible = f"people={Person.objects.count()}"
    if search:
        # Stopped once the first batch of search entries is in the index (clues only).
        from jiandu.clues.search import SearchEntriesAhead

        write = SearchEntriesAhead._write

        def write_then_stop(self: SearchEntriesAhead, batch: list[Any]) -> None:
            write(self, batch)
            print("staging", flush=True)
            time.sleep(600)

        SearchEntriesAhead._write = write_then_stop  # type: ignore[method-assign]
    else:
        original = StagedTable.add

        def add(self: StagedTable, objs: Any, **kwargs: Any) -> int:
            written = original(self, list(objs)[:100], **kwargs)
            print("staging", flush=True)
            time.sleep(600)
            return written

        StagedTable.add = add  # type: ignore[method-assign]
    print(f"{visible} audit={AuditLog.objects.count()}", flush=True)
    result = import_file(actor=importer, kind=kind, filename="导入.xlsx", data=data, max_rows=10**6)
    sys.exit(f"the import was not stopped: {result.errors[:3]}")


def after_kill(*, rows: int) -> dict[str, Any]:
    """After an import was killed: the clean-up of what killed jobs left (as ``jiandu
    audit seal`` does after 12 hours; here at once), then a ``rows``-row clue import
    that must work and be found by a search."""
    import datetime as dt
    import uuid

    from jiandu.accounts import roles
    from jiandu.clues.models import Clue
    from jiandu.clues.search import text_filter
    from jiandu.core.audit import audit_discard_abandoned, audit_seal
    from jiandu.imports.services import import_file
    from jiandu.orgs.choices import OrgKind
    from jiandu.orgs.services import org_create
    from jiandu.testing import make_user

    out: dict[str, Any] = {"discarded_jobs": audit_discard_abandoned(older_than=dt.timedelta(0))}
    tag = uuid.uuid4().hex[:6]
    system = make_user(f"setup-{tag}", None)
    org = org_create(actor=system, name=f"再导入区{tag}", kind=OrgKind.COUNTY, region_code="530102")
    importer = make_user(f"importer-{tag}", org, roles.ROLE_CLUES)
    result = import_file(
        actor=importer,
        kind="clues",
        filename="再导入.xlsx",
        data=clues_workbook(rows, org.name),
        max_rows=10**6,
    )
    out["import_ok"] = result.ok
    out["import_errors"] = [str(e) for e in result.errors[:3]]
    audit_seal()
    out["imported"] = Clue.objects.filter(handling_org=org).count()
    out["found"] = text_filter(
        Clue.objects.filter(handling_org=org), "截留补贴", fields=("title", "content")
    ).count()
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
    parser.add_argument(
        "--import-rows", type=int, default=0, help="also measure a people import this long"
    )
    parser.add_argument("--ways", default="staged", help=",".join(WAYS))
    parser.add_argument(
        "--stall-while-staging", type=int, default=0, help="see stall_while_staging (rows)"
    )
    parser.add_argument("--stall-kind", default="people", help="people, orgs or clues")
    parser.add_argument("--import-kind", default="people", help="people or clues")
    parser.add_argument(
        "--stall-in-search", action="store_true", help="clues: stop while writing search entries"
    )
    parser.add_argument("--after-kill", type=int, default=0, help="see after_kill (rows)")
    args = parser.parse_args()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if args.stall_while_staging:
        stall_while_staging(
            rows=args.stall_while_staging, kind=args.stall_kind, search=args.stall_in_search
        )
    if args.after_kill:
        print(json.dumps(after_kill(rows=args.after_kill)))
        raise SystemExit(0)
    result = measure(hold=args.hold) if args.hold > 0 else {"vendor": connection.vendor}
    if args.import_rows:
        result["imports"] = [
            measure_import(rows=args.import_rows, way=way, kind=args.import_kind)
            for way in args.ways.split(",")
        ]
    print(json.dumps(result))
