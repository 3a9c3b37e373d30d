"""Files of the index, each audited: the ranked table as .xlsx (fills by colour), a
warning's 预警通知书 and the month's 分析研判 report as .docx."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.xlsx import set_cell
from jiandu.ecoindex import documents, selectors
from jiandu.ecoindex.choices import LABEL_BY_COLOUR
from jiandu.ecoindex.models import EcoWarning, IndexScore, IndexSnapshot, month_label

FILLS = {"green": "C6E7CF", "yellow": "FBEFB0", "orange": "F8D2AE", "red": "F2B8B5"}


def table_xlsx(*, actor: Any, table: selectors.Table) -> bytes:
    """The ranked table: 名次, 单位, 指数, 颜色 (filled), 较上月, the 7 dimensions."""
    snapshot = table.snapshot
    if snapshot is None:
        raise ValueError("the month is not closed: no table to export")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{snapshot.month_label}政治生态指数"[:31]
    headers = [
        "名次",
        "单位",
        "所在区县",
        "指数",
        "颜色",
        "较上月",
        *(d.name for d in table.dimensions),
    ]
    for col, text in enumerate(headers, start=1):
        cell = set_cell(sheet.cell(row=1, column=col), text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = 28 if col == 2 else 12
    sheet.freeze_panes = "C2"
    for r, row in enumerate(table.rows, start=2):
        score = row.score
        values = [
            score.rank, row.org.name, _area(row),
            float(score.index) if score.index is not None else None, row.colour_label,
            float(row.change) if row.change is not None else None,
            *(round(v, 2) if v is not None else None for v in row.dimensions),
        ]  # fmt: skip
        for col, value in enumerate(values, start=1):
            cell = set_cell(sheet.cell(row=r, column=col), value)
            if col == 5 and score.colour in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[score.colour])
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor, action=AuditAction.EXPORT, obj=snapshot,
        summary=f"导出政治生态指数表：{snapshot.month_label}第{snapshot.version}版（{len(table.rows)}个单位）",
    )  # fmt: skip
    return buffer.getvalue()


def _area(row: selectors.Row) -> str:
    return row.area.name.removesuffix("纪委监委") if row.area else "市直"


def notice_docx(*, actor: Any, warning: EcoWarning) -> tuple[bytes, str]:
    units = IndexScore.objects.filter(snapshot=warning.snapshot).exclude(index=None).count()
    rank = (
        IndexScore.objects.filter(snapshot=warning.snapshot, org=warning.org)
        .values_list("rank", flat=True)
        .first()
    )
    issued = timezone.localtime(warning.created_at).date()
    problem = warning.problem if warning.problem_id else None
    data = documents.render_warning_notice(
        documents.WarningNotice(
            number=warning.number, unit=warning.org.name, month_label=warning.month_label,
            index=f"{warning.index:.2f}", colour=warning.colour, rank=rank, units=units,
            pulled_down=warning.pulled_down, issuer=warning.supervising_org.name, date=issued,
            reply_by=problem.rectification.due_on
            if problem is not None and hasattr(problem, "rectification") else None,
        )
    )  # fmt: skip
    audit_record(
        actor=actor, action=AuditAction.EXPORT, obj=warning,
        summary=f"下载政治生态预警通知书：{warning.number} {warning.org.name}",
    )  # fmt: skip
    return data, f"政治生态预警通知书_{warning.org.name}_{warning.month}.docx"


def analysis_docx(*, actor: Any, snapshot: IndexSnapshot, issuer: str) -> tuple[bytes, str]:
    """The month's 分析研判 report, over every unit of the snapshot."""
    scores = list(IndexScore.objects.filter(snapshot=snapshot).select_related("org"))
    previous = selectors.snapshot_for_exact(selectors._shift(snapshot.month, -1))
    before = {}
    if previous is not None:
        before = dict(IndexScore.objects.filter(snapshot=previous).values_list("org_id", "index"))

    def distribution(rows: list[Any]) -> list[dict[str, Any]]:
        counts = {c: 0 for c in selectors.COLOUR_ORDER}
        for colour in rows:
            if colour:
                counts[colour] += 1
        return [{"colour": c, "label": LABEL_BY_COLOUR[c], "count": n} for c, n in counts.items()]

    dims = list(snapshot.tree.nodes.filter(level=1).order_by("position"))
    means = []
    for d in dims:
        got = [s.nodes.get(d.key) for s in scores if s.nodes.get(d.key) is not None]
        if got:
            means.append({"name": d.name, "mean": sum(got) / len(got)})
    means.sort(key=lambda d: d["mean"])
    changes = [
        {"unit": s.org.name, "change": s.index - before[s.org_id], "index": s.index}
        for s in scores
        if s.index is not None and before.get(s.org_id) is not None
    ]
    changes.sort(key=lambda c: c["change"])
    warned = EcoWarning.objects.filter(month=snapshot.month).select_related("org")
    regreened = EcoWarning.objects.filter(regreened_month=snapshot.month).select_related("org")
    prev_dist = None
    if previous is not None:
        prev_dist = distribution(
            list(IndexScore.objects.filter(snapshot=previous).values_list("colour", flat=True))
        )
    report = documents.Analysis(
        month_label=snapshot.month_label, issuer=issuer, date=timezone.localdate(),
        distribution=distribution([s.colour for s in scores]),
        previous_distribution=prev_dist, dimensions=means,
        risers=[c for c in reversed(changes[-5:]) if c["change"] > Decimal(0)],
        fallers=[c for c in changes[:5] if c["change"] < Decimal(0)],
        warned=[{"unit": w.org.name, "colour": w.colour, "number": w.number,
                 "index": f"{w.index:.2f}"} for w in warned],
        regreened=[{"unit": w.org.name,
                    "months": "、".join(month_label(m) for m in w.proving_months)}
                   for w in regreened],
        units=len(scores), missing=snapshot.data.get("missing_reported", []),
    )  # fmt: skip
    data = documents.render_analysis(report)
    audit_record(
        actor=actor, action=AuditAction.EXPORT, obj=snapshot,
        summary=f"下载政治生态分析研判报告：{snapshot.month_label}",
    )  # fmt: skip
    return data, f"政治生态分析研判报告_{snapshot.month}.docx"
