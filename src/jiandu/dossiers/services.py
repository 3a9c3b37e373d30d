"""Writes of the 政治生态档案: imported items, sanction details (effective date, period,
lift, annulment), the audited opening of a dossier with its 查阅事由, and the 廉政意见
batches (request → drafted lines → review → approval → 函复 with a 文号)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.clues.choices import OutcomeKind
from jiandu.clues.models import Outcome
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.documents.choices import DocumentType
from jiandu.documents.services import document_issue
from jiandu.dossiers import periods, selectors
from jiandu.dossiers.choices import BatchStatus, Colour, ItemKind, Verdict
from jiandu.dossiers.models import (
    ColourRule,
    ColourTable,
    DossierItem,
    GradingTable,
    OpinionBatch,
    OpinionLine,
    SanctionDetail,
)
from jiandu.orgs.choices import OrgKind
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem, ProblemCategory, ProblemSource
from jiandu.oversight.services import problem_create
from jiandu.people.models import Person

if TYPE_CHECKING:
    from jiandu.dossiers.documents import ReplyLine


def dossier_items_create(
    *, actor: Any, items: list[dict[str, Any]], audit: bool = True
) -> list[DossierItem]:
    """Store imported items (the importer audits the file as a whole)."""
    rows = [DossierItem(created_by=actor, **item) for item in items]
    for row in rows:
        if (row.person is None) == (row.org is None):
            raise ValidationError("每条档案信息须属于一名干部或一个单位")
    created = DossierItem.objects.bulk_create(rows, batch_size=1000)
    if settings.JIANDU_DOSSIER_PRE_BLACK["unit_yellow_assign"]:
        unit_yellow_assign(actor=actor, items=[r for r in created if r.org_id])
    if audit:
        audit_record(
            actor=actor, action=AuditAction.CREATE, object_type="dossiers.dossieritem",
            summary=f"记入档案信息{len(created)}条",
            changes={"count": len(created)},
        )  # fmt: skip
    return created


def _check_new_version(model: Any, version: str, valid_from: dt.date) -> None:
    """A new version starts today or later, after the latest one: what an earlier as-of
    date shows never changes."""
    if not version.strip():
        raise ValidationError({"version": "请填写版本"})
    if model.objects.filter(version=version.strip()).exists():
        raise ValidationError({"version": f"版本“{version}”已存在"})
    if valid_from < timezone.localdate():
        raise ValidationError({"valid_from": "施行日期不能早于今天（已施行的规则不能追溯修改）"})
    latest = model.objects.order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError({"valid_from": f"施行日期应晚于现行版本（{latest.valid_from}）"})


@transaction.atomic
def colour_table_add(
    *, actor: Any, version: str, valid_from: dt.date, colours: dict[str, str], note: str = ""
) -> ColourTable:
    """Add a version of the colour table (item kind → colour; a kind left out gets none)."""
    _check_new_version(ColourTable, version, valid_from)
    bad = [k for k, c in colours.items() if k not in ItemKind.values or c not in Colour.values]
    if bad:
        raise ValidationError({"colours": f"未知的信息类别或颜色：{'、'.join(bad)}"})
    table = ColourTable.objects.create(version=version.strip(), valid_from=valid_from,
                                       note=note.strip())  # fmt: skip
    ColourRule.objects.bulk_create(
        ColourRule(table=table, item_kind=k, colour=c) for k, c in colours.items() if c
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=table,
                 summary=f"新增档案颜色表版本：{table}", changes={"colours": colours})  # fmt: skip
    return table


@transaction.atomic
def grading_table_add(
    *, actor: Any, version: str, valid_from: dt.date, window_months: int,
    weights: dict[str, int], bands: list[list[Any]], caps: list[list[Any]], note: str = "",
) -> GradingTable:  # fmt: skip
    """Add a version of the grading table, checked as the grading code reads it."""
    _check_new_version(GradingTable, version, valid_from)
    try:
        selectors.dots.GradingTable(
            version=version, valid_from=valid_from, window_months=window_months, weights=weights,
            bands=tuple(selectors.dots.Band(int(s), str(g)) for s, g in bands),
            caps=tuple(selectors.dots.Cap(str(c), int(n), str(g)) for c, n, g in caps),
        )  # fmt: skip
    except (selectors.dots.TableError, TypeError, ValueError) as exc:
        raise ValidationError({"bands": str(exc) or "等次或封顶的格式不正确"}) from None
    table = GradingTable.objects.create(
        version=version.strip(), valid_from=valid_from, window_months=window_months,
        weights=weights, bands=[[int(s), str(g)] for s, g in bands],
        caps=[[str(c), int(n), str(g)] for c, n, g in caps], note=note.strip(),
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=table,
                 summary=f"新增档案评定表版本：{table}",
                 changes={"window_months": window_months, "weights": weights, "bands": bands,
                          "caps": caps})  # fmt: skip
    return table


def supervising_group(org: Org) -> Org | None:
    """The 派驻纪检监察组 that supervises ``org`` (or its nearest supervised ancestor)."""
    node: Org | None = org
    while node is not None:
        group = (
            Org.objects.filter(supervises=node, kind=OrgKind.STATIONED_GROUP,
                               archived_at__isnull=True).order_by("pk").first()
        )  # fmt: skip
        if group is not None:
            return group
        node = node.parent
    return None


def unit_yellow_assign(*, actor: Any, items: list[DossierItem]) -> list[Problem]:
    """预黑预警 for units: each new yellow item on a unit becomes a problem 交办 to the
    派驻组 that supervises it (seed 001's canteen case), evidence = the item."""
    tables = selectors.colour_tables()
    source = ProblemSource.objects.filter(key="dossier").first()
    category = ProblemCategory.objects.filter(name="其他").first()
    if source is None or category is None:
        return []
    created = []
    for item in items:
        table = selectors.dots.in_force(tables, item.occurred_on)
        if table is None or table.colour(item.kind) != "yellow":
            continue
        group = supervising_group(item.org) if item.org is not None else None
        if group is None:
            continue
        created.append(
            problem_create(
                actor=actor, org=item.org, category=category, source=source,
                description=f"政治生态档案黄点：{item.get_kind_display()}（{item.source_body}）"
                f"{item.title}",
                found_on=min(item.occurred_on, timezone.localdate()), supervising_org=group,
                origin=(selectors.ORIGIN, item.pk),
            )
        )  # fmt: skip
    return created


@transaction.atomic
def sanction_detail_set(
    *,
    actor: Any,
    outcome: Outcome,
    effective_on: dt.date | None = None,
    period_months: int | None = None,
    lifted_on: dt.date | None = None,
    lift_reason: str = "",
    annulled_on: dt.date | None = None,
    annul_reason: str = "",
) -> SanctionDetail:
    """Record what the period rules need for a 党纪/政务 sanction; checked by the rules."""
    if outcome.kind not in (OutcomeKind.PARTY_DISCIPLINE, OutcomeKind.GOVERNMENT_SANCTION):
        raise ValidationError("只有党纪处分和政务处分有影响期")
    category = selectors.SANCTION_CATEGORY.get(outcome.subtype)
    if category is None:
        raise ValidationError("处理结果未登记处分种类")
    today = timezone.localdate()
    if effective_on and not (outcome.decision_date <= effective_on <= today + dt.timedelta(366)):
        raise ValidationError({"effective_on": "生效日期应在决定日期之后、一年之内"})
    for field, day in (("lifted_on", lifted_on), ("annulled_on", annulled_on)):
        if day and day > today:
            raise ValidationError({field: "日期不能晚于今天"})
    if len(lift_reason) > 200 or len(annul_reason) > 200:
        raise ValidationError("理由不能超过200字")
    if lifted_on and not lift_reason.strip():
        raise ValidationError({"lift_reason": "解除处分须填写理由"})
    if annulled_on and not annul_reason.strip():
        raise ValidationError({"annul_reason": "撤销处分须填写理由"})
    if annulled_on and annulled_on < outcome.decision_date:
        raise ValidationError({"annulled_on": "撤销日期不能早于决定日期"})
    sanction = periods.Sanction(
        kind=category[0], category=category[1], decided_on=outcome.decision_date,
        effective_on=effective_on, period_months=period_months, lifted_on=lifted_on,
    )  # fmt: skip
    try:
        periods.check_sanction(sanction)
    except periods.RecordError as exc:
        raise ValidationError(str(exc)) from None
    detail, created = SanctionDetail.objects.update_or_create(
        outcome=outcome,
        defaults={
            "effective_on": effective_on, "period_months": period_months,
            "lifted_on": lifted_on, "lift_reason": lift_reason.strip(),
            "annulled_on": annulled_on, "annul_reason": annul_reason.strip(),
            "recorded_by": actor,
        },
    )  # fmt: skip
    audit_record(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=detail,
        summary=f"登记处分影响期信息：{outcome}",
        changes={"effective_on": effective_on, "period_months": period_months,
                 "lifted_on": lifted_on, "annulled_on": annulled_on},
    )  # fmt: skip
    return detail


def dossier_opened(*, actor: Any, subject: Person | Org, reason: str, as_of: dt.date) -> None:
    """Every opening of a dossier is audited with its stated purpose (查阅事由)."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查阅事由"})
    kind = "干部" if isinstance(subject, Person) else "单位"
    audit_record(
        actor=actor, action=AuditAction.VIEW_PROTECTED, obj=subject,
        summary=f"查阅{kind}政治生态档案：{subject}（事由：{reason}）"[:300],
        changes={"reason": reason, "as_of": as_of, "dossier": kind},
    )  # fmt: skip


def batch_viewed(*, actor: Any, batch: OpinionBatch, via: str = "page") -> None:
    """A batch's lines tell each person's sanctions and open matters: every view is audited."""
    audit_record(
        actor=actor, action=AuditAction.VIEW_PROTECTED, obj=batch,
        summary=f"查阅廉政意见：{batch}"[:300], changes={"via": via},
    )  # fmt: skip


# --- 廉政意见 batches ------------------------------------------------------------------------


def _post_text(posts: list[Any]) -> str:
    return "；".join(f"{p.org.name}{p.title}" for p in posts[:2])


def unit_opinions(
    orgs: list[Org], *, as_of: dt.date, award_year: int
) -> dict[int, tuple[str, str, dict]]:
    """Each unit's opinion (in three queries for any number of units): problems found and
    not rectified (销号) by the as-of date, and yellow or black items (imported: audit,
    police …) dated in the award year up to the as-of date."""
    ids = [o.pk for o in orgs]
    open_problems: dict[int, list[int]] = {pk: [] for pk in ids}
    rows = Problem.objects.filter(org_id__in=ids, found_on__lte=as_of).values_list(
        "pk", "org_id", "rectification__closed_on"
    )
    for pk, org_id, closed_on in rows:
        if closed_on is None or closed_on > as_of:
            open_problems[org_id].append(pk)
    table = selectors.dots.in_force(selectors.colour_tables(), as_of)
    bad: dict[int, list[DossierItem]] = {pk: [] for pk in ids}
    items = DossierItem.objects.filter(
        org_id__in=ids, archived_at__isnull=True, occurred_on__year=award_year,
        occurred_on__lte=as_of,
    ).order_by("occurred_on", "pk")  # fmt: skip
    for item in items:
        if table is not None and table.colour(item.kind) in ("yellow", "black"):
            bad[item.org_id].append(item)
    found = {}
    for pk in ids:
        lines = [f"有{len(open_problems[pk])}个问题尚未整改销号"] if open_problems[pk] else []
        lines += [f"{i.occurred_on:%Y年%-m月}{i.get_kind_display()}：{i.title}" for i in bad[pk]]
        facts = {"open_problems": open_problems[pk], "items": [i.pk for i in bad[pk]]}
        if lines:
            found[pk] = (Verdict.IMPACT.value, "；".join(lines) + "。", facts)
        else:
            found[pk] = (Verdict.NO_IMPACT.value, periods.NO_PROBLEM_TEXT + "。", facts)
    return found


def draft_lines(
    *, people: list[Person], orgs: list[Org], as_of: dt.date, purpose: str, award_year: int
) -> list[OpinionLine]:
    """The drafted lines (unsaved), people then units, from the same period code as the
    calculator; the records of all people are read in one bulk pass."""
    records = selectors.person_records([p.pk for p in people], items=False)
    posts = selectors.current_posts([p.pk for p in people])
    lines = []
    for order, person in enumerate(people, start=1):
        rec = records[person.pk]
        opinion = periods.draft_opinion(
            sanctions=rec.sanctions, clues=rec.clues, as_of=as_of, purpose=purpose,
            award_year=award_year,
        )  # fmt: skip
        text = opinion.text()
        verdict = opinion.verdict
        if rec.incomplete:
            text += "另有处分记录信息不全，需人工核对：" + "；".join(rec.incomplete) + "。"
            verdict = Verdict.IMPACT
        facts = {
            "in_effect": [
                {"category": p.sanction.category, "kind": p.sanction.kind.value,
                 "from": p.start.isoformat(),
                 "until": p.until.isoformat() if p.until else None,
                 "outcome": getattr(p.sanction.ref, "pk", None), "article": p.rule.article}
                for p in opinion.in_effect
            ],
            "open_matters": [
                {"category": c.stage, "decided_on": c.decided_on.isoformat(),
                 "clue": getattr(c.ref, "pk", None)}
                for c in opinion.open_matters
            ],
            "eligible_for_award": opinion.eligible_for_award,
            "incomplete": rec.incomplete,
        }  # fmt: skip
        lines.append(
            OpinionLine(
                order=order, person=person, name=person.name,
                post=_post_text(posts.get(person.pk, [])), drafted_verdict=verdict,
                drafted_text=text, facts=facts, verdict=verdict, text=text,
            )
        )  # fmt: skip
    unit_answers = unit_opinions(orgs, as_of=as_of, award_year=award_year)
    for order, org in enumerate(orgs, start=len(people) + 1):
        verdict, text, facts = unit_answers[org.pk]
        lines.append(
            OpinionLine(
                order=order, org=org, name=org.name, drafted_verdict=verdict,
                drafted_text=text, facts=facts, verdict=verdict, text=text,
            )
        )  # fmt: skip
    return lines


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    owner_org: Org,
    requester: str,
    purpose: str,
    as_of: dt.date,
    received_on: dt.date,
    people: list[Person],
    orgs: list[Org] = (),  # type: ignore[assignment]
    award_year: int | None = None,
    request_ref: str = "",
    source_file: str = "",
) -> OpinionBatch:
    """Create a batch and draft every line. ``people`` must already be matched (within
    the actor's jurisdiction); nothing is created when anything is wrong."""
    if purpose not in periods.PURPOSES:
        raise ValidationError({"purpose": f"用途应为：{'、'.join(periods.PURPOSES)}"})
    if not requester.strip():
        raise ValidationError({"requester": "请填写来函单位"})
    if not people and not orgs:
        raise ValidationError("名单中没有人员或单位")
    if as_of > timezone.localdate() or as_of < periods.EARLIEST:
        raise ValidationError({"as_of": "截至日期应在1950年以后、不晚于今天"})
    if not periods.EARLIEST <= received_on <= timezone.localdate():
        raise ValidationError({"received_on": "收函日期应在1950年以后、不晚于今天"})
    if award_year is not None and not 1950 <= award_year <= as_of.year + 1:
        raise ValidationError({"award_year": "评先评优年度应在1950年至截至日期次年之间"})
    if len(requester.strip()) > 100 or len(request_ref.strip()) > 100:
        raise ValidationError("来函单位和来函文号不能超过100字")
    people = list(dict.fromkeys(people))
    orgs = list(dict.fromkeys(orgs))
    batch = OpinionBatch.objects.create(
        owner_org=owner_org, requester=requester.strip(), request_ref=request_ref.strip(),
        purpose=purpose, as_of=as_of, award_year=award_year or as_of.year,
        received_on=received_on, source_file=source_file[:200], created_by=actor,
    )  # fmt: skip
    lines = draft_lines(people=people, orgs=orgs, as_of=as_of, purpose=purpose,
                        award_year=batch.award_year)  # fmt: skip
    for line in lines:
        line.batch = batch
    OpinionLine.objects.bulk_create(lines, batch_size=1000)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=batch,
        summary=f"受理廉政意见请求：{requester}，{purpose}，{len(people)}人、{len(orgs)}家单位",
        changes={"people": len(people), "units": len(orgs), "as_of": as_of,
                 "source_file": source_file},
    )  # fmt: skip
    return batch


def _lock(batch: OpinionBatch, expected: str, action: str) -> OpinionBatch:
    locked = OpinionBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != expected:
        raise ValidationError(f"当前状态为“{locked.get_status_display()}”，不能{action}")
    return locked


@transaction.atomic
def batch_review(
    *, actor: Any, batch: OpinionBatch, decisions: dict[int, tuple[str, str]] | None = None
) -> OpinionBatch:
    """The reviewer confirms every drafted line, or overrides some with a reason
    (``{line id: (verdict, reason)}``; an override towards 有影响 is a 不同意见)."""
    if not actor.has_perm("dossiers.review_opinion"):
        raise PermissionDenied("没有审核廉政意见的权限")
    locked = _lock(batch, BatchStatus.DRAFTED, "审核")
    decisions = decisions or {}
    lines = {line.pk: line for line in locked.lines.all()}
    errors = []
    changed = []
    for line_id, (verdict, reason) in decisions.items():
        line = lines.get(int(line_id))
        if line is None:
            errors.append(f"第{line_id}条意见不属于本批次")
            continue
        if verdict not in Verdict.values:
            errors.append(f"{line.name}：意见应为“有影响”或“无影响”")
            continue
        if verdict == line.drafted_verdict:
            continue
        reason = (reason or "").strip()
        if not reason:
            errors.append(f"{line.name}：改变起草意见须填写理由")
            continue
        line.verdict = verdict
        line.override_reason = reason[:300]
        line.text = (
            f"{line.drafted_text}审核意见：{verdict}（{reason}）。"
            if verdict == Verdict.IMPACT else f"{periods.NO_PROBLEM_TEXT}。（{reason}）"
        )  # fmt: skip
        changed.append(line)
    if errors:
        raise ValidationError(errors)
    OpinionLine.objects.bulk_update(changed, ["verdict", "override_reason", "text"])
    locked.status = BatchStatus.REVIEWED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=locked,
        summary=f"审核廉政意见：{len(lines)}条，改变{len(changed)}条",
        changes={"overrides": {line.pk: [line.drafted_verdict, line.verdict,
                                         line.override_reason] for line in changed}},
    )  # fmt: skip
    return locked


@transaction.atomic
def batch_approve(*, actor: Any, batch: OpinionBatch) -> OpinionBatch:
    if not actor.has_perm("dossiers.approve_opinion"):
        raise PermissionDenied("没有审批廉政意见的权限")
    locked = _lock(batch, BatchStatus.REVIEWED, "审批")
    locked.status = BatchStatus.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=locked,
                 summary="审批廉政意见", changes={"status": ["reviewed", "approved"]})  # fmt: skip
    return locked


def reply_lines(batch: OpinionBatch) -> list[ReplyLine]:
    from jiandu.dossiers.documents import ReplyLine

    return [
        ReplyLine(order=line.order, name=line.name, post=line.post, verdict=line.verdict,
                  text=line.text, is_unit=line.org_id is not None)
        for line in batch.lines.order_by("order")
    ]  # fmt: skip


def issuing_organ(org: Org) -> Org:
    if org.acts_for_commission and org.parent_id:
        return org.parent  # type: ignore[return-value]
    return org


@transaction.atomic
def batch_issue(*, actor: Any, batch: OpinionBatch, issued_on: dt.date | None = None):
    """Issue the 函复 with the next 文号 of the commission (documents register)."""
    if not actor.has_perm("documents.add_document"):
        raise PermissionDenied("没有印发公文的权限")
    locked = _lock(batch, BatchStatus.APPROVED, "函复")
    organ = issuing_organ(locked.owner_org)
    lines = reply_lines(locked)

    def render(number: str, day: dt.date) -> bytes:
        from jiandu.dossiers.documents import Reply, render_reply_docx

        return render_reply_docx(
            Reply(number=number, issuer=organ.name, recipient=locked.requester,
                  request_ref=locked.request_ref, purpose=locked.purpose, as_of=locked.as_of,
                  date=day, lines=lines)
        )  # fmt: skip

    document = document_issue(
        actor=actor, organ=organ, document_type=DocumentType.REPLY_LETTER,
        title=f"关于{locked.purpose}人选党风廉政情况的函复（{locked.requester}）",
        render=render, file_name=f"廉政意见函复-{locked.pk}.docx", issued_on=issued_on,
        record_type="dossiers.opinionbatch", record_id=locked.pk,
    )  # fmt: skip
    locked.document = document
    locked.issued_on = document.issued_on
    locked.status = BatchStatus.ISSUED
    locked.save(update_fields=["document", "issued_on", "status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=locked,
                 summary=f"函复廉政意见：{document.number}",
                 changes={"status": ["approved", "issued"], "number": document.number})  # fmt: skip
    return locked
