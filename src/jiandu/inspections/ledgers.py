"""三本账 (seed 002): per county, the 巡察移交问题线索台账, 专项治理建议台账 and 市级交办事项台账,
rows linked to rounds, clues and problems; counties report progress monthly on the page or
through an .xlsx template, all or nothing (row-named errors); the city sees where each
county stands."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiandu.clues.choices import ClueSource
from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.xlsx import Column, export_rows
from jiandu.inspections.choices import LedgerKind, LedgerStatus
from jiandu.inspections.models import InspectionRound, LedgerReport, LedgerRow
from jiandu.orgs.models import Org

STATUS_BY_LABEL: dict[str, str] = {str(label): value for value, label in LedgerStatus.choices}


@transaction.atomic
def ledger_row_add(
    *,
    actor: Any,
    county: Org,
    kind: str,
    title: str,
    round: InspectionRound | None = None,
    clue: Any = None,
    problem: Any = None,
) -> LedgerRow:
    if kind not in LedgerKind.values:
        raise ValidationError({"kind": "没有这本台账"})
    if county.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"county": f"{county.name}不在您的管辖范围内"})
    if kind == LedgerKind.TRANSFERRED and (clue is None or clue.source != ClueSource.INSPECTION):
        raise ValidationError({"clue": "巡察移交问题线索台账的条目须关联一件巡察移交的线索"})
    row = LedgerRow.objects.create(county=county, kind=kind, title=title.strip(), round=round,
                                   clue=clue, problem=problem)  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row,
                 summary=f"{county.name}{row.get_kind_display()}：{row.title}")  # fmt: skip
    return row


def ledger_rows_from_round(*, actor: Any, round: InspectionRound, county: Org) -> list[LedgerRow]:
    """Put the round's transferred clues handled in the county into its 巡察移交 ledger
    (those already there are skipped)."""
    have = set(LedgerRow.objects.filter(county=county, kind=LedgerKind.TRANSFERRED)
               .values_list("clue_id", flat=True))  # fmt: skip
    made = []
    for link in round.clues.select_related("clue", "clue__handling_org"):
        clue = link.clue
        if clue.pk in have or not clue.handling_org.path.startswith(county.path):
            continue
        made.append(ledger_row_add(actor=actor, county=county, kind=LedgerKind.TRANSFERRED,
                                   title=clue.title, round=round, clue=clue))  # fmt: skip
    return made


@dataclass(frozen=True)
class ProgressLine:
    row_id: int
    progress: str
    status: str  # LedgerStatus value
    line: int = 0  # the sheet's row number, when read from the template


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def monthly_report(
    *, actor: Any, county: Org, month: dt.date, lines: Sequence[ProgressLine], first_row: int = 1
) -> list[LedgerReport]:
    """The county's month report: every line checked first, nothing saved if one is wrong
    (errors name the line, counted from ``first_row``). Reporting a month again replaces it."""
    if county.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"county": f"{county.name}不在您的管辖范围内"})
    rows = {
        r.pk: r for r in LedgerRow.objects.filter(county=county, pk__in=[x.row_id for x in lines])
    }
    errors = []
    for i, line in enumerate(lines, start=first_row):
        n = line.line or i
        if line.row_id not in rows:
            errors.append(f"第{n}行“编号”列：编号 {line.row_id} 不是{county.name}三本账中的条目")
        if not line.progress.strip():
            errors.append(f"第{n}行“进展”列：请填写进展")
        if line.status not in LedgerStatus.values:
            errors.append(f"第{n}行“状态”列：状态应为“办理中”或“已办结”")
    if errors:
        raise ValidationError({"lines": errors})
    month = _month(month)
    now = timezone.now()
    saved = []
    for line in lines:
        report, _ = LedgerReport.objects.update_or_create(
            row_id=line.row_id, month=month,
            defaults={"progress": line.progress.strip(), "status": line.status,
                      "reported_by": actor, "reported_at": now},
        )  # fmt: skip
        LedgerRow.objects.filter(pk=line.row_id).update(
            progress=line.progress.strip(), status=line.status, updated_at=now
        )
        saved.append(report)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="inspections.ledgerrow",
        object_id=str(county.pk),
        summary=f"{county.name}三本账{month:%Y年%m月}月报：{len(saved)}条",
    )
    return saved


TEMPLATE_HEADERS = ("编号", "台账", "事项", "进展", "状态")


def monthly_template(county: Org) -> bytes:
    """The .xlsx template: one line per open row, 进展 and 状态 to fill in."""
    rows = LedgerRow.objects.filter(county=county, status=LedgerStatus.OPEN).order_by("kind", "pk")
    columns = [
        Column("编号", lambda r: r.pk, 8),
        Column("台账", lambda r: r.get_kind_display(), 24),
        Column("事项", lambda r: r.title, 40),
        Column("进展", lambda r: r.progress, 40),
        Column("状态", lambda r: r.get_status_display(), 10),
    ]
    return export_rows(title="三本账月报", columns=columns, rows=rows)


def lines_from_xlsx(data: bytes) -> list[ProgressLine]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception:  # not a workbook at all
        raise ValidationError({"file": "不是有效的 .xlsx 文件"}) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or tuple(str(c or "").strip() for c in rows[0][:5]) != TEMPLATE_HEADERS:
        raise ValidationError({"file": f"第1行应为表头：{'、'.join(TEMPLATE_HEADERS)}"})
    lines, errors = [], []
    for n, values in enumerate(rows[1:], start=2):
        if not any(values):
            continue
        number, _, _, progress, status = (list(values) + [None] * 5)[:5]
        try:
            row_id = int(number)
        except (TypeError, ValueError):
            errors.append(f"第{n}行“编号”列：编号“{number}”不是数字")
            continue
        lines.append(
            ProgressLine(
                row_id,
                str(progress or ""),
                STATUS_BY_LABEL.get(str(status or "").strip(), ""),
                line=n,
            )
        )
    if errors:
        raise ValidationError({"file": errors})
    return lines


def city_overview(*, user: Any, month: dt.date) -> list[dict[str, Any]]:
    """Per county and ledger: rows, done, reported this month (the city's view)."""
    month = _month(month)
    counts = (
        LedgerRow.objects.restrict(user)
        .values("county_id", "county__name", "kind")
        .annotate(
            total=Count("pk", distinct=True),
            done=Count("pk", filter=Q(status=LedgerStatus.DONE), distinct=True),
            reported=Count("reports", filter=Q(reports__month=month), distinct=True),
        )
        .order_by("county__name", "kind")
    )
    return [
        {"county": {"id": c["county_id"], "name": c["county__name"]},
         "kind": str(LedgerKind(c["kind"]).label), "kind_key": c["kind"],
         "total": c["total"], "done": c["done"], "open": c["total"] - c["done"],
         "reported": c["reported"]}
        for c in counts
    ]  # fmt: skip
