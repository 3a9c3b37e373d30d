"""Exporting a run's hits as .xlsx: masked numbers and an EXPORT audit row, or — for
holders of ``people.view_id_number`` — full numbers and an EXPORT_PROTECTED row naming
the hits."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from jiandu.core.choices import AuditAction
from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.core.idnumbers import mask
from jiandu.core.models import AuditLog
from jiandu.datacheck.models import Hit

from .platform_data import P_WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_masked_and_audited(client, dc):
    run = small_run(dc)
    client.force_login(dc.city_data)
    header, rows = _sheet(client.get(reverse("datacheck:run_export", args=[run.pk])))
    assert header[:3] == ("疑点编号", "规则", "比对对象")
    assert len(rows) == Hit.objects.filter(run=run).count() == 3
    subjects = {row[2] for row in rows}
    assert mask(P_WUHUA) in subjects and P_WUHUA not in subjects
    assert "发放记录编号：P2" in " ".join(str(r[-1]) for r in rows)
    audit = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert audit.object_id == str(run.pk) and audit.changes["count"] == 3


def test_export_with_full_ids_is_audited_as_protected(client, dc):
    run = small_run(dc)
    client.force_login(dc.identity)
    url = reverse("datacheck:run_export", args=[run.pk]) + "?rule=R01&status=pending"
    _header, rows = _sheet(client.get(url))
    assert P_WUHUA in {row[2] for row in rows}
    audit = AuditLog.objects.get(action=AuditAction.EXPORT_PROTECTED)
    assert audit.actor == dc.identity
    assert sorted(audit.changes["hits"]) == sorted(
        Hit.objects.filter(run=run).values_list("pk", flat=True)
    )
    assert audit.changes["criteria"] == {"run": run.pk, "rule": "R01", "status": "pending"}
