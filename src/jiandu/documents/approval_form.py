"""呈批表: the approved 呈批件 as a .docx in the register's GB/T 9704 layout, numbered
once from the 文号 register (type 呈批表, the drafting office's commission as organ).

A 呈批表 is numbered when its request is approved (the form then carries every
signature); asking again returns the same number (one issued document per request)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jiandu.approvals import registry
from jiandu.approvals.choices import RequestStatus
from jiandu.approvals.models import ApprovalRequest
from jiandu.approvals.selectors import request_steps
from jiandu.approvals.services import commission_of, request_record_document
from jiandu.documents.choices import DocumentType
from jiandu.documents.layout import (
    cell_text,
    new_document,
    paragraph,
    row_properties,
    title,
    to_bytes,
)
from jiandu.documents.models import Document
from jiandu.documents.services import document_issue

APPROVAL_FORM_RECORD = "approvals.approvalrequest"


def _moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def render_approval_form_docx(*, request: ApprovalRequest, number: str, organ: str) -> bytes:
    """One 呈批表: the request's particulars and each signature (step, signer, opinion,
    time) in a table."""
    document = new_document()
    title(document, f"{organ}呈批表")
    paragraph(document, number, indent=0)
    drafter = request.drafted_by.display_name
    if request.drafted_by.org_id and request.drafted_by.org_id != request.org_id:
        drafter = f"{drafter}（{request.drafted_by.org}）"  # e.g. a 线索大起底's reviewer
    source = registry.describe_source(None, request.source)
    rows: list[tuple[str, str]] = [
        ("呈批事项", registry.label(request.kind)),
        ("呈批事由", request.summary),
        ("对象", request.target_label),
        ("承办单位", str(request.org)),
        ("承办人", drafter),
        *([("来源", source[0])] if source else []),
        ("呈批时间", _moment(request.submitted_at)),
        *registry.describe(request),
        ("拟办意见", request.reason or "—"),
    ]
    steps = [s for s in request_steps(request=request) if s.decision]
    table = document.add_table(rows=len(rows) + 1 + len(steps), cols=4)
    table.style = "Table Grid"
    for n, (label, value) in enumerate(rows):
        row = table.rows[n]
        row_properties(row, header=False)
        cells = row.cells
        cell_text(cells[0], label, bold=True)
        merged = cells[1].merge(cells[3])
        cell_text(merged, value)
    head = table.rows[len(rows)]
    row_properties(head, header=False)
    for cell, text in zip(head.cells, ("签批步骤", "签批人", "意见", "签批时间"), strict=True):
        cell_text(cell, text, bold=True)
    for n, step in enumerate(steps, start=len(rows) + 1):
        row = table.rows[n]
        row_properties(row, header=False)
        opinion = step.get_decision_display()
        if step.opinion:
            opinion += f"：{step.opinion}"
        values = (
            f"第{step.round}次·{step.label}",
            step.signer.display_name if step.signer else "",
            opinion,
            _moment(step.signed_at),
        )
        for cell, text in zip(row.cells, values, strict=True):
            cell_text(cell, text)
    return to_bytes(document)


@transaction.atomic
def approval_form_issue(*, actor: Any, request: ApprovalRequest) -> Document:
    """Number (once) and store the 呈批表 of an approved request."""
    if request.status != RequestStatus.APPROVED:
        raise ValidationError({"request": "呈批件批准后才能编号印制呈批表"})
    organ = commission_of(request.org)
    document = document_issue(
        actor=actor,
        organ=organ,
        document_type=DocumentType.APPROVAL_FORM,
        title=f"呈批表：{request.summary}",
        render=lambda number, _day: render_approval_form_docx(
            request=request, number=number, organ=organ.name
        ),
        file_name=f"呈批表-{request.pk}.docx",
        record_type=APPROVAL_FORM_RECORD,
        record_id=request.pk,
    )
    if request.document_number != document.number:
        request_record_document(actor=actor, request=request, number=document.number)
    return document
