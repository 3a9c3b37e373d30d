"""Writes of the follow-up work: validated, atomic, audited (actor and what changed).

The steps and rows with a period are created by :func:`feedback_steps_ensure` and
:func:`execution_ensure` (called on the registry's saves, see ``signals``); people
record what was done with the ``*_record`` functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from jiandu.clues.choices import ClueStatus, PetitionStatus
from jiandu.clues.models import Clue, Outcome, Petition
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import deadline_compute
from jiandu.followup.choices import (
    AccusationNature,
    ClarificationMethod,
    FeedbackKind,
    FeedbackMethod,
    Reply,
)
from jiandu.followup.models import (
    Clarification,
    FalseAccusation,
    FeedbackStep,
    FollowUpVisit,
    SanctionExecution,
)
from jiandu.followup.rules import (
    ACCEPTANCE_STEP,
    CLARIFIABLE_CONCLUSIONS,
    PERSONNEL_STEP,
    PERSONNEL_SUBTYPES,
    RESULT_STEP,
    SANCTION_KINDS,
)
from jiandu.orgs.models import Org
from jiandu.people.models import Person


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(field: str, day: dt.date | None, label: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: f"{label}不能晚于今天"})


# --- real-name feedback: the steps ------------------------------------------------------


def petition_closing_date(petition: Petition) -> dt.date | None:
    """The day a petition's matter was closed (办结), from which 结果反馈 is due:
    存档了结 or 转办 — the day of that decision; 转为问题线索 — the day the last of its
    clues was closed (None while any is open)."""
    if petition.status in (PetitionStatus.FILED, PetitionStatus.TRANSFERRED):
        return timezone.localdate(petition.closed_at) if petition.closed_at else None
    if petition.status == PetitionStatus.CONVERTED:
        clues = Clue.objects.filter(petition=petition)
        if not clues.exists() or clues.exclude(status=ClueStatus.CLOSED).exists():
            return None
        last: dt.date | None = clues.aggregate(last=Max("closed_at"))["last"]
        return last
    return None


def _step(petition: Petition, kind: str, step: str, start: dt.date) -> FeedbackStep:
    deadline = deadline_compute(step, start)
    return FeedbackStep(
        petition=petition,
        kind=kind,
        unit_id=petition.received_org_id,
        start_on=start,
        due_on=deadline.due,
        rule=deadline.rule,
    )


def feedback_steps_ensure(petition: Petition) -> list[FeedbackStep]:
    """Create the feedback steps a real-name petition owes and does not have yet: 受理告知
    from its receipt; 结果反馈 once it is closed. Existing steps keep their due dates."""
    if not petition.is_real_name:
        return []
    have = set(FeedbackStep.objects.filter(petition=petition).values_list("kind", flat=True))
    new: list[FeedbackStep] = []
    if FeedbackKind.ACCEPTANCE not in have:
        new.append(
            _step(petition, FeedbackKind.ACCEPTANCE, ACCEPTANCE_STEP, petition.received_date)
        )
    if FeedbackKind.RESULT not in have:
        closed = petition_closing_date(petition)
        if closed is not None:
            new.append(_step(petition, FeedbackKind.RESULT, RESULT_STEP, closed))
    for step in new:
        step.save()
    return new


@dataclass(frozen=True)
class BackfillResult:
    """What :func:`feedback_backfill` found missing (and created unless a dry run)."""

    acceptance: int
    result: int
    dry_run: bool

    @property
    def total(self) -> int:
        return self.acceptance + self.result


def _closing_dates(petitions: list[dict[str, Any]]) -> dict[int, dt.date]:
    """The closing day of each closed petition of ``petitions`` (rows with pk, status,
    closed_at), by :func:`petition_closing_date`'s rule, in one query for the converted."""
    dates: dict[int, dt.date] = {}
    converted = [p["pk"] for p in petitions if p["status"] == PetitionStatus.CONVERTED]
    for p in petitions:
        if p["status"] in (PetitionStatus.FILED, PetitionStatus.TRANSFERRED) and p["closed_at"]:
            dates[p["pk"]] = timezone.localdate(p["closed_at"])
    if converted:
        rows = (
            Clue.objects.filter(petition_id__in=converted)
            .values("petition_id")
            .annotate(
                open=Count("pk", filter=~Q(status=ClueStatus.CLOSED)),
                last=Max("closed_at"),
            )
        )
        for row in rows:
            if row["open"] == 0 and row["last"] is not None:
                dates[row["petition_id"]] = row["last"]
    return dates


def feedback_backfill(
    *, actor: Any, dry_run: bool = False, batch_size: int = 2000
) -> BackfillResult:
    """Create the feedback steps that real-name petitions registered before the follow-up
    records existed (or loaded around the registry's saves) lack: 受理告知 from receipt,
    结果反馈 for those closed. Periods are computed as for a new petition, under today's
    rule of the deadline table. Idempotent: a petition that has a step keeps it (a second
    run finds nothing); ``dry_run`` only counts. One audit row for the run."""
    from jiandu.core.deadlines import deadline_rule, work_calendar
    from jiandu.core.workdays import due_date

    calendar = work_calendar()
    rules: dict[str, Any] = {
        FeedbackKind.ACCEPTANCE: deadline_rule(ACCEPTANCE_STEP),
        FeedbackKind.RESULT: deadline_rule(RESULT_STEP),
    }

    def lacking(kind: str) -> Any:
        have = FeedbackStep.objects.filter(petition=OuterRef("pk"), kind=kind)
        return Petition.objects.filter(is_real_name=True).exclude(Exists(have)).order_by("pk")

    def step(petition_id: int, org_id: int, kind: str, start: dt.date) -> FeedbackStep:
        rule = rules[kind]
        due = due_date(calendar, start, rule.period_kind, rule.length).due
        return FeedbackStep(
            petition_id=petition_id,
            kind=kind,
            unit_id=org_id,
            start_on=start,
            due_on=due,
            rule=rule,
        )

    counts = {FeedbackKind.ACCEPTANCE: 0, FeedbackKind.RESULT: 0}
    with transaction.atomic():
        after = 0
        while True:  # 受理告知: every real-name petition
            rows = list(
                lacking(FeedbackKind.ACCEPTANCE)
                .filter(pk__gt=after)
                .values_list("pk", "received_org_id", "received_date")[:batch_size]
            )
            if not rows:
                break
            after = rows[-1][0]
            counts[FeedbackKind.ACCEPTANCE] += len(rows)
            if not dry_run:
                FeedbackStep.objects.bulk_create(
                    [step(pk, org, FeedbackKind.ACCEPTANCE, day) for pk, org, day in rows],
                    ignore_conflicts=True,
                )
        after = 0
        closed = ~Q(status=PetitionStatus.PENDING)
        while True:  # 结果反馈: the closed ones
            rows_r = list(
                lacking(FeedbackKind.RESULT)
                .filter(closed, pk__gt=after)
                .values("pk", "status", "closed_at", "received_org_id")[:batch_size]
            )
            if not rows_r:
                break
            after = rows_r[-1]["pk"]
            dates = _closing_dates(rows_r)
            new = [
                step(r["pk"], r["received_org_id"], FeedbackKind.RESULT, dates[r["pk"]])
                for r in rows_r
                if r["pk"] in dates
            ]
            counts[FeedbackKind.RESULT] += len(new)
            if new and not dry_run:
                FeedbackStep.objects.bulk_create(new, ignore_conflicts=True)
        result = BackfillResult(
            acceptance=counts[FeedbackKind.ACCEPTANCE],
            result=counts[FeedbackKind.RESULT],
            dry_run=dry_run,
        )
        if not dry_run and result.total:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="followup.feedbackstep",
                summary=f"补建实名举报告知反馈环节：受理告知{result.acceptance}个，"
                f"结果反馈{result.result}个",
                changes={"acceptance": result.acceptance, "result": result.result},
            )
    return result


@transaction.atomic
def feedback_record(
    *, actor: Any, step: FeedbackStep, done_on: dt.date, method: str, note: str = ""
) -> FeedbackStep:
    """受理告知 / 结果反馈 given to the reporter: the date and the method."""
    step = FeedbackStep.objects.select_for_update().get(pk=step.pk)
    if step.done_on is not None:
        raise ValidationError({"done_on": f"{step.get_kind_display()}已于{step.done_on}记录"})
    if method not in FeedbackMethod.values:
        raise ValidationError({"method": "请选择告知方式"})
    if done_on is None:
        raise ValidationError({"done_on": "请填写告知日期"})
    if done_on < step.start_on:
        label = "受理日期" if step.kind == FeedbackKind.ACCEPTANCE else "办结日期"
        raise ValidationError({"done_on": f"告知日期不能早于{label}（{step.start_on}）"})
    _not_future("done_on", done_on, "告知日期")
    if step.kind == FeedbackKind.RESULT:
        acceptance = FeedbackStep.objects.filter(
            petition_id=step.petition_id, kind=FeedbackKind.ACCEPTANCE
        ).first()
        if acceptance is not None and acceptance.done_on is None:
            raise ValidationError({"done_on": "请先记录受理告知"})
    step.done_on = done_on
    step.method = method
    step.note = note.strip()
    step.recorded_by = actor
    step.save()
    late = (done_on - step.due_on).days if done_on > step.due_on else 0
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=step,
        summary=f"{step.get_kind_display()}：{step.get_method_display()}，{done_on}"
        + (f"（超期{late}日）" if late else ""),
        changes={"kind": step.kind, "done_on": done_on, "method": method, "due_on": step.due_on},
    )
    return step


@transaction.atomic
def feedback_reply(
    *, actor: Any, step: FeedbackStep, reply: str, reply_on: dt.date, objection: str = ""
) -> FeedbackStep:
    """The reporter's reply to the 结果反馈 (满意 / 基本满意 / 不满意 with the objection)."""
    step = FeedbackStep.objects.select_for_update().get(pk=step.pk)
    if step.kind != FeedbackKind.RESULT:
        raise ValidationError({"reply": "举报人评价记在结果反馈上"})
    if step.done_on is None:
        raise ValidationError({"reply": "请先记录结果反馈"})
    if step.reply:
        raise ValidationError({"reply": f"举报人评价已于{step.reply_on}记录"})
    if reply not in Reply.values:
        raise ValidationError({"reply": "请选择举报人评价"})
    if reply_on is None:
        raise ValidationError({"reply_on": "请填写评价日期"})
    if reply_on < step.done_on:
        raise ValidationError({"reply_on": f"评价日期不能早于结果反馈日期（{step.done_on}）"})
    _not_future("reply_on", reply_on, "评价日期")
    if reply == Reply.DISSATISFIED and not objection.strip():
        raise ValidationError({"objection": "不满意的，请填写举报人的异议内容"})
    step.reply = reply
    step.reply_on = reply_on
    step.objection = objection.strip()
    step.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=step,
        summary=f"举报人评价：{step.get_reply_display()}（{reply_on}）",
        changes={"reply": reply, "reply_on": reply_on, "objection": step.objection},
    )
    return step


# --- 处分执行 ---------------------------------------------------------------------------


def is_sanction(outcome: Outcome) -> bool:
    return outcome.kind in SANCTION_KINDS


def execution_ensure(outcome: Outcome) -> SanctionExecution | None:
    """The 处分执行 row of a sanction outcome (created once; the personnel due date
    from the decision date under the table's rule when the sanction is 降级 or above)."""
    if not is_sanction(outcome) or outcome.archived_at is not None:
        return None
    existing = SanctionExecution.objects.filter(outcome=outcome).first()
    if existing is not None:
        return existing
    row = SanctionExecution(outcome=outcome)
    if outcome.subtype in PERSONNEL_SUBTYPES:
        deadline = deadline_compute(PERSONNEL_STEP, outcome.decision_date)
        row.personnel_required = True
        row.personnel_due = deadline.due
        row.rule = deadline.rule
    row.save()
    return row


def execution_completed_on(row: SanctionExecution) -> dt.date | None:
    if row.personnel_required:
        if row.post_changed_on and row.pay_changed_on:
            return max(row.post_changed_on, row.pay_changed_on)
        return None
    return row.served_on


@transaction.atomic
def execution_record(
    *,
    actor: Any,
    execution: SanctionExecution,
    served_on: dt.date | None,
    post_changed_on: dt.date | None = None,
    pay_changed_on: dt.date | None = None,
    note: str = "",
) -> SanctionExecution:
    """Record (or complete) the 处分执行: served, and the post and pay changed. A date
    once recorded is kept; a later call fills what is still missing."""
    row = (
        SanctionExecution.objects.select_for_update().select_related("outcome").get(pk=execution.pk)
    )
    decided = row.outcome.decision_date
    values = {
        "served_on": (served_on, "处分决定送达日期"),
        "post_changed_on": (post_changed_on, "职务（级别）变更日期"),
        "pay_changed_on": (pay_changed_on, "工资待遇变更日期"),
    }
    if not row.personnel_required and (post_changed_on or pay_changed_on):
        raise ValidationError(
            {"post_changed_on": "该处分不属于降级以上处分，无须记录职务、工资变更"}
        )
    changed: dict[str, Any] = {}
    for field, (value, label) in values.items():
        if value is None:
            continue
        current = getattr(row, field)
        if current is not None and current != value:
            raise ValidationError({field: f"{label}已记录为{current}"})
        if value < decided:
            raise ValidationError({field: f"{label}不能早于处分决定日期（{decided}）"})
        _not_future(field, value, label)
        if current is None:
            setattr(row, field, value)
            changed[field] = value
    if row.served_on is None and (row.post_changed_on or row.pay_changed_on):
        raise ValidationError({"served_on": "请先填写处分决定送达日期"})
    if not changed and not note.strip():
        raise ValidationError({"served_on": "请填写至少一个日期"})
    if note.strip():
        row.note = note.strip()
    row.completed_on = execution_completed_on(row)
    row.recorded_by = actor
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=row,
        summary=f"处分执行：{row.outcome.subject_name or row.outcome.person or ''}"
        f"{row.outcome.get_subtype_display() or row.outcome.get_kind_display()}"
        + ("（执行完毕）" if row.completed_on else ""),
        changes={**changed, "note": row.note},
    )
    return row


# --- 回访教育 ---------------------------------------------------------------------------


@transaction.atomic
def visit_plan(
    *, actor: Any, outcome: Outcome, org: Org, visitors: str, planned_on: dt.date
) -> FollowUpVisit:
    if not is_sanction(outcome) or outcome.archived_at is not None:
        raise ValidationError({"outcome": "回访教育针对受党纪处分或政务处分的人员"})
    if org is None:
        raise ValidationError({"org": "请先为当前用户设置所属单位"})
    if not visitors.strip():
        raise ValidationError({"visitors": "请填写回访人员"})
    if planned_on is None or planned_on < outcome.decision_date:
        raise ValidationError(
            {"planned_on": f"计划回访日期不能早于处分决定日期（{outcome.decision_date}）"}
        )
    visit = FollowUpVisit.objects.create(
        outcome=outcome,
        org=org,
        visitors=visitors.strip()[:100],
        planned_on=planned_on,
        planned_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=visit,
        summary=f"安排回访教育：{outcome.subject_name or outcome.person or ''}，{planned_on}",
        changes={"outcome": outcome.pk, "org": org.pk, "visitors": visit.visitors},
    )
    return visit


@transaction.atomic
def visit_record(
    *, actor: Any, visit: FollowUpVisit, held_on: dt.date, findings: str
) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_for_update().select_related("outcome").get(pk=visit.pk)
    if visit.held_on is not None:
        raise ValidationError({"held_on": f"回访已于{visit.held_on}记录"})
    if held_on is None or held_on < visit.outcome.decision_date:
        raise ValidationError(
            {"held_on": f"回访日期不能早于处分决定日期（{visit.outcome.decision_date}）"}
        )
    _not_future("held_on", held_on, "回访日期")
    if not findings.strip():
        raise ValidationError({"findings": "请填写回访情况"})
    visit.held_on = held_on
    visit.findings = findings.strip()
    visit.recorded_by = actor
    visit.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=visit,
        summary=f"回访教育：{held_on}",
        changes={"held_on": held_on, "findings": visit.findings},
    )
    return visit


# --- 三名 -------------------------------------------------------------------------------


@transaction.atomic
def clarification_record(
    *,
    actor: Any,
    clue: Clue,
    person: Person,
    method: str,
    held_on: dt.date,
    scope: str,
    note: str = "",
) -> Clarification:
    """澄清正名 of a person named in a closed clue found untrue (in whole or in part)."""
    if clue.status != ClueStatus.CLOSED or clue.conclusion not in CLARIFIABLE_CONCLUSIONS:
        raise ValidationError({"clue": "澄清正名针对已办结、结论为不属实或部分属实的线索"})
    named = (
        clue.subject_people.filter(pk=person.pk).exists()
        or clue.outcomes.filter(person=person).exists()
    )
    if not named:
        raise ValidationError({"person": f"{person.name}不是该线索的被反映人"})
    if method not in ClarificationMethod.values:
        raise ValidationError({"method": "请选择澄清方式"})
    if held_on is None or (clue.closed_at and held_on < clue.closed_at):
        raise ValidationError({"held_on": f"澄清日期不能早于线索办结日期（{clue.closed_at}）"})
    _not_future("held_on", held_on, "澄清日期")
    if not scope.strip():
        raise ValidationError({"scope": "请填写澄清范围"})
    row = Clarification.objects.create(
        clue=clue,
        person=person,
        org_id=clue.handling_org_id,
        method=method,
        held_on=held_on,
        scope=scope.strip()[:200],
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        summary=f"澄清正名：{person.name}（{row.get_method_display()}，{held_on}）",
        changes={"clue": clue.pk, "person": person.pk, "scope": row.scope},
    )
    return row


@transaction.atomic
def false_accusation_record(
    *,
    actor: Any,
    outcome: Outcome,
    nature: str,
    found_on: dt.date,
    description: str,
) -> FalseAccusation:
    """严查诬名: an accusation found false or malicious, with the outcome decided."""
    if outcome.archived_at is not None:
        raise ValidationError({"outcome": "该处理结果已作废"})
    if nature not in AccusationNature.values:
        raise ValidationError({"nature": "请选择性质"})
    if found_on is None:
        raise ValidationError({"found_on": "请填写认定日期"})
    _not_future("found_on", found_on, "认定日期")
    if not description.strip():
        raise ValidationError({"description": "请填写认定情况"})
    row = FalseAccusation.objects.create(
        clue_id=outcome.clue_id,
        outcome=outcome,
        org_id=outcome.clue.handling_org_id,
        nature=nature,
        found_on=found_on,
        description=description.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        summary=f"严查诬名：{row.get_nature_display()}（{found_on}）",
        changes={"clue": outcome.clue_id, "outcome": outcome.pk},
    )
    return row
