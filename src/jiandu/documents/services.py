"""Writes of the 文号 register: numbering rules, issuing a document (number, file, audit in
one transaction), voiding a number, downloading a stored file (audited), and the
督促整改通知书 issued from a problem.

A number is handed out by the organ/type/year counter row, locked with SELECT … FOR
UPDATE, so two concurrent issues never get the same number; the counter only moves
forward, so a void number is never handed out again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.documents.choices import DEFAULT_TYPE_CHARACTERS, DocumentStatus, DocumentType
from jiandu.documents.models import Document, NumberCounter, NumberingRule
from jiandu.orgs.models import Org

if TYPE_CHECKING:
    from jiandu.documents import renderers

# Called with the assigned 文号 and the 成文日期; returns the file's bytes.
Render = Callable[[str, dt.date], bytes]


def format_number(*, organ_prefix: str, type_character: str, year: int, sequence: int) -> str:
    """``昆纪预〔2026〕3号``."""
    return f"{organ_prefix}{type_character}〔{year}〕{sequence}号"


def numbering_prefix(*, organ: Org, document_type: str) -> tuple[str, str]:
    """The organ abbreviation and type character of a 文号: the organ's rule for the type
    when set, otherwise the organ's 简称 (or name) and the type's default character."""
    rule = (
        NumberingRule.objects.filter(
            organ=organ, document_type=document_type, archived_at__isnull=True
        )
        .only("organ_prefix", "type_character")
        .first()
    )
    if rule is not None:
        return rule.organ_prefix, rule.type_character
    return organ.short_name or organ.name, DEFAULT_TYPE_CHARACTERS[document_type]


@transaction.atomic
def numbering_rule_set(
    *, actor: Any, organ: Org, document_type: str, organ_prefix: str, type_character: str
) -> NumberingRule:
    """Set how ``organ`` numbers ``document_type``: the rule in force is archived and a new
    one added (numbers already issued keep their text)."""
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": f"未知的公文种类：{document_type}"})
    current = (
        NumberingRule.objects.select_for_update()
        .filter(organ=organ, document_type=document_type, archived_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if current is not None:
        current.archived_at = now
        current.archived_by = actor
        current.archive_reason = "文号规则变更"
        current.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    rule = NumberingRule(
        organ=organ,
        document_type=document_type,
        organ_prefix=organ_prefix.strip(),
        type_character=type_character.strip(),
    )
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if current is None else AuditAction.UPDATE,
        obj=rule,
        summary=f"设置文号规则：{organ.name} {DocumentType(document_type).label} "
        f"{rule.organ_prefix}{rule.type_character}〔年份〕序号号",
        changes={"organ": organ.pk, "document_type": document_type},
    )
    return rule


def _next_sequence(*, organ: Org, document_type: str, year: int) -> int:
    """Lock the counter row (creating it on first use) and move it one forward."""
    lookup = {"organ": organ, "document_type": document_type, "year": year}
    counter = NumberCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = NumberCounter.objects.create(**lookup, last_sequence=0)
        except IntegrityError:
            # Another issue created the row first; wait for its lock and read it.
            counter = NumberCounter.objects.select_for_update().get(**lookup)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def document_for_record(*, document_type: str, record_type: str, record_id: Any) -> Document | None:
    """The issued (not void) document of a record, if any."""
    return (
        Document.objects.filter(
            document_type=document_type,
            record_type=record_type,
            record_id=str(record_id),
            status=DocumentStatus.ISSUED,
        )
        .select_related("organ")
        .first()
    )


@transaction.atomic
def document_issue(
    *,
    actor: Any,
    organ: Org,
    document_type: str,
    title: str,
    render: Render,
    file_name: str,
    issued_on: dt.date | None = None,
    recipient_org: Org | None = None,
    record_type: str = "",
    record_id: Any = "",
) -> Document:
    """Issue a document: assign the next 文号 of ``organ``/``document_type``/year, render
    the file with it, store the file and the register row, audit. A record has one
    issued document per type: when it already has one, that one is returned unchanged
    (its number is reused, nothing new is numbered)."""
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": f"未知的公文种类：{document_type}"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "标题不能为空"})
    if bool(record_type) != (record_id not in ("", None)):
        raise ValidationError({"record_id": "所属记录的类型和编号须同时填写"})
    if record_type:
        existing = (
            Document.objects.select_for_update()
            .filter(
                document_type=document_type,
                record_type=record_type,
                record_id=str(record_id),
                status=DocumentStatus.ISSUED,
            )
            .first()
        )
        if existing is not None:
            return existing
    issued_on = issued_on or timezone.localdate()
    year = issued_on.year
    sequence = _next_sequence(organ=organ, document_type=document_type, year=year)
    prefix, character = numbering_prefix(organ=organ, document_type=document_type)
    number = format_number(
        organ_prefix=prefix, type_character=character, year=year, sequence=sequence
    )
    data = render(number, issued_on)
    digest = hashlib.sha256(data).hexdigest()
    document = Document(
        number=number,
        organ=organ,
        document_type=document_type,
        year=year,
        sequence=sequence,
        title=title[:300],
        recipient_org=recipient_org,
        issued_on=issued_on,
        issued_by=actor,
        record_type=record_type,
        record_id=str(record_id) if record_type else "",
        file_name=file_name[:200],
        size=len(data),
        sha256=digest,
    )
    document.file.save(f"{digest}.docx", ContentFile(data), save=False)
    # The field values checked; not what is known already, at a query each: the organ,
    # recipient and issuer are rows the caller holds, the number is fresh from the
    # counter locked above and the record's issued document was looked for under lock
    # (the database's constraints still guard all of it).
    document.full_clean(
        exclude=["organ", "recipient_org", "issued_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=document,
        summary=f"印发{DocumentType(document_type).label}：{number} {title}"[:300],
        changes={
            "number": number,
            "organ": organ.pk,
            "document_type": document_type,
            "year": year,
            "sequence": sequence,
            "record_type": record_type,
            "record_id": str(record_id) if record_type else "",
            "size": len(data),
            "sha256": digest,
        },
    )
    return document


@transaction.atomic
def document_void(*, actor: Any, document: Document, reason: str) -> Document:
    """Void a document's number with a reason. The row and the number stay in the
    register; the number is never handed out again, and the record may be issued anew
    under a new number."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "作废文号必须填写原因"})
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status == DocumentStatus.VOID:
        raise ValidationError({"status": f"文号{locked.number}已于此前作废"})
    locked.status = DocumentStatus.VOID
    locked.voided_at = timezone.now()
    locked.voided_by = actor
    locked.void_reason = reason[:200]
    locked.save(update_fields=["status", "voided_at", "voided_by", "void_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=locked,
        summary=f"作废文号：{locked.number}（{reason}）"[:300],
        changes={"status": ["issued", "void"], "reason": reason},
    )
    return locked


def document_file_read(*, actor: Any, document: Document) -> bytes:
    """The stored file of a document, with an audit row for the download."""
    with document.file.open("rb") as handle:
        data = handle.read()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=document,
        summary=f"下载公文：{document.number} {document.title}"[:300],
        changes={"format": "docx", "size": len(data)},
    )
    return data


# --------------------------------------------------------------------------- 督促整改通知书

RECTIFICATION_NOTICE_RECORD = "oversight.problem"


def _issuing_organ(org: Org) -> Org:
    """An office acting for its commission issues in the commission's name."""
    if getattr(org, "acts_for_commission", False) and org.parent_id:
        parent = org.parent
        assert parent is not None
        return parent
    return org


def rectification_notice_issue(*, actor: Any, problem: Any, copy_to: str = "") -> Document:
    """Issue the 督促整改通知书 of a problem to its responsible unit, in the name of the
    supervising body: the problem, the deadline on the working-day calendar, what to
    submit. Issued once per problem; a later call returns the issued one."""
    from jiandu.oversight.models import Rectification

    organ = _issuing_organ(problem.supervising_org)
    rectification = Rectification.objects.select_related("deadline_rule").get(problem=problem)
    rule = rectification.deadline_rule
    period = rule.describe if rule is not None else ""

    def render(number: str, day: dt.date) -> bytes:
        from jiandu.documents import renderers

        notice = renderers.RectificationNotice(
            number=number,
            issuer=organ.name,
            header=organ.name,
            recipient=problem.org.name,
            date=day,
            problems=[
                renderers.NoticeProblem(
                    description=problem.description,
                    found_on=problem.found_on,
                    source=problem.source.name,
                    category=problem.category.name,
                    reference=problem.number or "",
                )
            ],
            due_on=rectification.due_on,
            period=period,
            reply_to=organ.name,
            copy_to=copy_to,
        )
        return renderers.render_rectification_notice_docx(notice=notice)

    return document_issue(
        actor=actor,
        organ=organ,
        document_type=DocumentType.RECTIFICATION_NOTICE,
        title=f"关于督促{problem.org.name}限期整改的通知",
        render=render,
        file_name=f"督促整改通知书_{problem.org.name}_{problem.number or problem.pk}.docx",
        recipient_org=problem.org,
        record_type=RECTIFICATION_NOTICE_RECORD,
        record_id=problem.pk,
    )


def warning_card_from_rectification(
    *,
    rectification: Any,
    level: str,
    issuer: str,
    number: str = "",
    date: dt.date | None = None,
    respond_days: int = 5,
) -> renderers.WarningCard:
    """The 整改警示卡 data of a rectification (overdue, or rejected twice) at a level of
    the 督导 chain; the card model that issues it calls this and the renderer."""
    from jiandu.documents import renderers

    day = date or timezone.localdate()
    problem = rectification.problem
    reasons = []
    if rectification.is_open and rectification.due_on < day:
        reasons.append(f"超过整改期限{(day - rectification.due_on).days}日未完成整改")
    if rectification.rejection_count >= 2:
        reasons.append(f"整改验收{rectification.rejection_count}次未通过")
    return renderers.WarningCard(
        number=number,
        issuer=issuer,
        recipient=problem.org.name,
        date=day,
        problem=problem.description,
        reference=problem.number or "",
        due_on=rectification.due_on,
        status=rectification.get_status_display(),
        reason="；".join(reasons) or "整改不到位",
        level=level,
        rejections=rectification.rejection_count,
        respond_by=day + dt.timedelta(days=respond_days),
    )
