"""集体排查 会议纪要 as a .docx in the register's layout: the meeting, its attendees, the
minutes and the decision on each clue (with where its 呈批件 stands)."""

from __future__ import annotations

from typing import Any

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.documents.layout import (
    cell_text,
    chinese_date,
    heading,
    new_document,
    paragraph,
    row_properties,
    title,
    to_bytes,
)
from jiandu.sweeps.models import CollectiveReview


def render_collective_minutes_docx(*, review: CollectiveReview) -> bytes:
    document = new_document()
    title(document, f"{review.title}会议纪要")
    paragraph(document, f"{review.org}，{chinese_date(review.held_on)}", indent=0)
    heading(document, "一、参会人员")
    paragraph(document, review.attendees)
    heading(document, "二、会议纪要")
    for line in review.minutes.splitlines():
        if line.strip():
            paragraph(document, line.strip())
    heading(document, "三、排查决定")
    items = list(review.items.select_related("clue", "request"))
    table = document.add_table(rows=len(items) + 1, cols=4)
    table.style = "Table Grid"
    row_properties(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, ("线索", "决定", "理由", "呈批"), strict=True):
        cell_text(cell, text, bold=True)
    for row, item in zip(table.rows[1:], items, strict=True):
        row_properties(row, header=False)
        values = (
            f"{item.clue.number} {item.clue.title}",
            item.get_method_display(),
            item.note,
            item.request.get_status_display(),
        )
        for cell, text in zip(row.cells, values, strict=True):
            cell_text(cell, text)
    return to_bytes(document)


def collective_minutes_read(*, actor: Any, review: CollectiveReview) -> bytes:
    data = render_collective_minutes_docx(review=review)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=review,
        summary=f"下载集体排查会议纪要：{review.title}",
        changes={"format": "docx", "size": len(data)},
    )
    return data
