"""Writes of the rectification loop. Every mechanism that finds a problem (a board
warning, an inspection, a 督导 check, a 提醒卡 spot check, 自查自纠) calls
:func:`problem_create`; every move of a rectification goes through
:func:`rectification_move`, checked against ``lifecycle.TRANSITIONS``, with an event row
and an audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record, audit_record_many
from jiandu.core.choices import AuditAction
from jiandu.core.deadlines import deadline_compute, work_calendar
from jiandu.core.files import stored_file_add
from jiandu.core.workdays import add_months
from jiandu.oversight.choices import (
    AttachmentKind,
    FollowUpStatus,
    InterviewKind,
    RectificationAction,
    RectificationStatus,
)
from jiandu.oversight.lifecycle import REASON_REQUIRED, Side, TransitionError, next_status
from jiandu.oversight.messages import (
    message_problem_opened,
    message_rectification_moved,
    messages_problems_opened,
)
from jiandu.oversight.models import (
    FollowUp,
    Interview,
    InterviewAttachment,
    Problem,
    ProblemAttachment,
    ProblemCategory,
    ProblemSource,
    Rectification,
    RectificationEvent,
)
from jiandu.oversight.selectors import acting_sides

# The deadline table's step for a rectification (core.DeadlineRule.step).
RECTIFICATION_STEP = "oversight.rectification"


@dataclass(frozen=True)
class Upload:
    """A file handed to a service: its name, bytes and declared type."""

    name: str
    data: bytes
    content_type: str = ""


def _attach(*, actor: Any, problem: Problem, kind: str, upload: Upload) -> ProblemAttachment:
    attachment = ProblemAttachment(problem=problem, kind=AttachmentKind(kind))
    return stored_file_add(
        attachment,
        actor=actor,
        name=upload.name,
        data=upload.data,
        content_type=upload.content_type,
        what="材料",
        summary=f"上传{attachment.get_kind_display()}“{upload.name}”",
        changes={"problem": problem.pk},
    )


def _event(
    *,
    actor: Any,
    rectification: Rectification,
    action: str,
    from_status: str,
    on_date: dt.date,
    reason: str = "",
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
    approved_by: Any = None,
) -> RectificationEvent:
    return RectificationEvent.objects.create(
        rectification=rectification,
        action=action,
        from_status=from_status,
        to_status=rectification.status,
        reason=reason,
        due_before=due_before,
        due_after=due_after,
        approved_by=approved_by,
        actor=actor,
        on_date=on_date,
        at=timezone.now(),
    )


@transaction.atomic
def problem_create(
    *,
    actor: Any,
    org: Any,
    description: str,
    category: ProblemCategory,
    source: ProblemSource,
    found_on: dt.date,
    supervising_org: Any,
    found_by_org: Any = None,
    person: Any = None,
    responsible_leader: Any = None,
    origin: tuple[str, int] | None = None,
    recurrence_of: Problem | None = None,
    evidence: list[Upload] | None = None,
    immediate_reason: str = "",
) -> Problem:
    """Record a problem and open its rectification, due under the deadline table's rule
    in force today. With ``immediate_reason`` it was rectified on the spot (立行立改):
    evidence is required and the rectification is closed at once."""
    if source.is_archived or category.is_archived:
        raise ValidationError({"source": "问题来源或类别已停用"})
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": "发现日期不能晚于今天"})
    problem = Problem(
        org=org,
        person=person,
        description=description.strip(),
        category=category,
        source=source,
        found_on=found_on,
        found_by=actor if getattr(actor, "pk", None) else None,
        found_by_org=found_by_org or actor.org,
        responsible_leader=responsible_leader,
        supervising_org=supervising_org,
        origin_type=origin[0] if origin else "",
        origin_id=origin[1] if origin else None,
        recurrence_of=recurrence_of,
    )
    problem.full_clean(exclude=["number", "found_by"])
    problem.save()
    problem.number = f"WT{found_on:%Y}{problem.pk:07d}"
    problem.save(update_fields=["number"])
    deadline = deadline_compute(RECTIFICATION_STEP, found_on)
    rectification = Rectification.objects.create(
        problem=problem, due_on=deadline.due, deadline_rule=deadline.rule
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=problem,
        summary=f"登记问题 {problem.number}（{org}）",
        changes={
            "org": org.pk,
            "source": source.name,
            "category": category.name,
            "found_on": found_on,
            "due_on": deadline.due,
            "origin": list(origin) if origin else None,
        },
    )
    for upload in evidence or []:
        _attach(actor=actor, problem=problem, kind=AttachmentKind.EVIDENCE, upload=upload)
    if immediate_reason:
        problem.rectification = rectification_move(
            actor=actor,
            rectification=rectification,
            action=RectificationAction.IMMEDIATE,
            reason=immediate_reason,
            on_date=found_on,
        )
    message_problem_opened(actor=actor, problem=problem)
    return problem


@dataclass
class ProblemSpec:
    """One problem for :func:`problems_create_many`: the arguments of
    :func:`problem_create` without evidence or 立行立改."""

    org: Any
    description: str
    category: ProblemCategory
    source: ProblemSource
    found_on: dt.date
    supervising_org: Any
    found_by_org: Any = None
    person: Any = None
    responsible_leader: Any = None
    origin: tuple[str, int] | None = None
    recurrence_of: Problem | None = None


# Foreign keys are given as instances: their lookups are not repeated per problem.
_BULK_CLEAN_EXCLUDE = [
    "number", "found_by", "org", "person", "category", "source", "found_by_org",
    "responsible_leader", "supervising_org", "recurrence_of",
]  # fmt: skip


@transaction.atomic
def problems_create_many(*, actor: Any, specs: list[ProblemSpec]) -> list[Problem]:
    """:func:`problem_create` for many problems at once (a monthly close warning a
    hundred units): the same problems, rectifications, audit rows and inbox messages,
    written set-based — one insert per table, the deadline table and the calendar read
    once. Returns the problems in the order given, each with ``rectification`` set."""
    if not specs:
        return []
    today = timezone.localdate()
    for spec in specs:
        if spec.source.is_archived or spec.category.is_archived:
            raise ValidationError({"source": "问题来源或类别已停用"})
        if spec.found_on > today:
            raise ValidationError({"found_on": "发现日期不能晚于今天"})
    found_by = actor if getattr(actor, "pk", None) else None
    problems = []
    for spec in specs:
        problem = Problem(
            org=spec.org,
            person=spec.person,
            description=spec.description.strip(),
            category=spec.category,
            source=spec.source,
            found_on=spec.found_on,
            found_by=found_by,
            found_by_org=spec.found_by_org or actor.org,
            responsible_leader=spec.responsible_leader,
            supervising_org=spec.supervising_org,
            origin_type=spec.origin[0] if spec.origin else "",
            origin_id=spec.origin[1] if spec.origin else None,
            recurrence_of=spec.recurrence_of,
        )
        problem.full_clean(exclude=_BULK_CLEAN_EXCLUDE)
        problems.append(problem)
    Problem.objects.bulk_create(problems, batch_size=500)
    for problem in problems:
        problem.number = f"WT{problem.found_on:%Y}{problem.pk:07d}"
    Problem.objects.bulk_update(problems, ["number"], batch_size=500)
    calendar = work_calendar()
    deadlines = {
        day: deadline_compute(RECTIFICATION_STEP, day, calendar=calendar)
        for day in {p.found_on for p in problems}
    }
    rectifications = [
        Rectification(
            problem=p, due_on=deadlines[p.found_on].due, deadline_rule=deadlines[p.found_on].rule
        )
        for p in problems
    ]
    Rectification.objects.bulk_create(rectifications, batch_size=500)
    audit_record_many(
        [
            {
                "actor": actor,
                "action": AuditAction.CREATE,
                "obj": p,
                "summary": f"登记问题 {p.number}（{spec.org}）",
                "changes": {
                    "org": spec.org.pk,
                    "source": spec.source.name,
                    "category": spec.category.name,
                    "found_on": p.found_on,
                    "due_on": deadlines[p.found_on].due,
                    "origin": list(spec.origin) if spec.origin else None,
                },
            }
            for p, spec in zip(problems, specs, strict=True)
        ]
    )
    for problem, rectification in zip(problems, rectifications, strict=True):
        problem.rectification = rectification
    messages_problems_opened(actor=actor, problems=problems)
    return problems


@transaction.atomic
def rectification_move(
    *,
    actor: Any,
    rectification: Rectification,
    action: str,
    reason: str = "",
    text: str = "",
    files: list[Upload] | None = None,
    new_due: dt.date | None = None,
    approved_by: Any = None,
    on_date: dt.date | None = None,
) -> Rectification:
    """Make one move of the lifecycle as ``actor``.

    ``text`` is the plan (PLAN) or the report (SUBMIT); ``files`` are attached as plan,
    report or acceptance material; EXTEND needs ``new_due`` after the current due date
    and is approved by the actor unless ``approved_by`` is given."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    problem = rectification.problem
    action = RectificationAction(action)
    new_status, side = next_status(rectification.status, action)
    sides = acting_sides(actor, problem)
    if side not in sides:
        raise TransitionError(f"“{action.label}”应由{side.label}办理")
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": f"“{action.label}”须填写理由"})
    on_date = on_date or timezone.localdate()
    old_status = rectification.status
    due_before = due_after = None
    kind = {
        RectificationAction.PLAN: AttachmentKind.PLAN,
        RectificationAction.SUBMIT: AttachmentKind.REPORT,
        RectificationAction.IMMEDIATE: AttachmentKind.EVIDENCE,
    }.get(action, AttachmentKind.ACCEPTANCE)
    if action == RectificationAction.SIGN:
        if rectification.signed_at:
            raise TransitionError("该整改已签收")
        rectification.signed_at = timezone.now()
        rectification.signed_by = actor
    elif action == RectificationAction.PLAN:
        if not text.strip():
            raise ValidationError({"text": "请填写整改方案"})
        rectification.plan = text.strip()
        if not rectification.signed_at:
            rectification.signed_at = timezone.now()
            rectification.signed_by = actor
    elif action == RectificationAction.SUBMIT:
        if not text.strip():
            raise ValidationError({"text": "请填写整改报告"})
        rectification.report = text.strip()
        rectification.submitted_on = on_date
    elif action in (RectificationAction.ACCEPT, RectificationAction.IMMEDIATE):
        if action == RectificationAction.IMMEDIATE:
            has_evidence = problem.attachments.filter(kind=AttachmentKind.EVIDENCE).exists()
            if not (has_evidence or files):
                raise ValidationError({"file": "立行立改须上传整改证据"})
            rectification.immediate = True
            rectification.report = reason
        rectification.closed_on = on_date
        rectification.closed_by = actor
    elif action == RectificationAction.REJECT:
        rectification.rejection_count += 1
    elif action == RectificationAction.EXTEND:
        if new_due is None or new_due <= rectification.due_on:
            raise ValidationError({"new_due": "延期后的期限应晚于原期限"})
        due_before, due_after = rectification.due_on, new_due
        rectification.due_on = new_due
        approved_by = approved_by or actor
    rectification.status = new_status
    rectification.save()
    for upload in files or []:
        _attach(actor=actor, problem=problem, kind=kind, upload=upload)
    _event(
        actor=actor,
        rectification=rectification,
        action=action,
        from_status=old_status,
        on_date=on_date,
        reason=reason,
        due_before=due_before,
        due_after=due_after,
        approved_by=approved_by if action == RectificationAction.EXTEND else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=rectification,
        summary=f"{problem.number}：{action.label}",
        changes={
            "from": old_status,
            "to": new_status,
            "reason": reason,
            "due_before": due_before,
            "due_after": due_after,
        },
    )
    if new_status == RectificationStatus.CLOSED:
        _schedule_follow_up(problem=problem, closed_on=on_date)
    message_rectification_moved(actor=actor, rectification=rectification, action=action)
    return rectification


def _schedule_follow_up(*, problem: Problem, closed_on: dt.date) -> FollowUp:
    """The 回头看 after 销号: ``follow_up_months`` later (the corresponding day, or that
    month's last day)."""
    return FollowUp.objects.create(
        problem=problem, due_on=add_months(closed_on, problem.source.follow_up_months)
    )


@transaction.atomic
def follow_up_record(
    *,
    actor: Any,
    follow_up: FollowUp,
    recurred: bool,
    note: str,
    checked_on: dt.date | None = None,
    recurrence_description: str = "",
) -> FollowUp:
    """Record a 回头看. When the problem has come back, a new problem is opened for the
    same unit and category, linked to the old one (source 回头看)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.SCHEDULED:
        raise TransitionError("该回头看已有结果")
    problem = follow_up.problem
    if Side.SUPERVISOR not in acting_sides(actor, problem):
        raise TransitionError("回头看应由监督单位办理")
    if not note.strip():
        raise ValidationError({"note": "请填写检查情况"})
    checked_on = checked_on or timezone.localdate()
    follow_up.checked_on = checked_on
    follow_up.checked_by = actor
    follow_up.note = note.strip()
    follow_up.status = FollowUpStatus.RECURRED if recurred else FollowUpStatus.PASSED
    if recurred:
        source = ProblemSource.objects.get(key="follow_up")
        follow_up.recurrence = problem_create(
            actor=actor,
            org=problem.org,
            person=problem.person,
            description=recurrence_description.strip() or f"回头看发现问题反弹：{note.strip()}",
            category=problem.category,
            source=source,
            found_on=checked_on,
            supervising_org=problem.supervising_org,
            responsible_leader=problem.responsible_leader,
            recurrence_of=problem,
            origin=("oversight.followup", follow_up.pk),
        )
    follow_up.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=follow_up,
        summary=f"{problem.number} 回头看：{follow_up.get_status_display()}",
        changes={"note": follow_up.note, "recurrence": getattr(follow_up.recurrence, "pk", None)},
    )
    return follow_up


# --- the 多色榜 warnings join the loop ---------------------------------------------

BOARD_WARNING_SOURCE = "board_warning"
BOARD_WARNING_ORIGIN = "boards.boardwarning"
# The category a board warning's problem is filed under (reference data; the first one
# in force is used).
BOARD_WARNING_CATEGORIES = ("主体责任落实", "其他")


def problem_for_origin(origin_type: str, origin_id: int) -> Problem | None:
    """The problem opened for a record elsewhere (a board warning …), if any."""
    return (
        Problem.objects.filter(origin_type=origin_type, origin_id=origin_id)
        .select_related("rectification")
        .first()
    )


@transaction.atomic
def problem_from_board_warning(*, actor: Any, warning: Any) -> Problem:
    """Open the problem of a 多色榜 warning: about the warned unit, found by the board's
    owner commission (which supervises the rectification), source 多色榜预警, due under
    the deadline table from the day it is issued. Idempotent per warning. ``actor`` may
    be None (a close run from the command line)."""
    existing = problem_for_origin(BOARD_WARNING_ORIGIN, warning.pk)
    if existing is not None:
        return existing
    owner = warning.board.owner_org
    category = (
        ProblemCategory.objects.filter(name__in=BOARD_WARNING_CATEGORIES, archived_at__isnull=True)
        .order_by("sort_order")
        .first()
    )
    if category is None:
        raise ValidationError({"category": "问题类别“主体责任落实”已停用，无法登记预警问题"})
    return problem_create(
        actor=actor,
        org=warning.org,
        description=f"{warning.board.title}：{warning.description}",
        category=category,
        source=ProblemSource.objects.get(key=BOARD_WARNING_SOURCE),
        found_on=timezone.localdate(),
        supervising_org=owner,
        found_by_org=owner,
        origin=(BOARD_WARNING_ORIGIN, warning.pk),
    )


# --- 约谈 / 诫勉谈话 / 提醒谈话 ------------------------------------------------------


@transaction.atomic
def interview_record(
    *,
    actor: Any,
    kind: str,
    org: Any,
    held_on: dt.date,
    leader: str,
    participants: str,
    minutes: str,
    problem: Problem | None = None,
    person: Any = None,
    files: list[Upload] | None = None,
) -> Interview:
    """Record a talk held (约谈, 诫勉谈话, 提醒谈话) as an event with its minutes. About a
    problem, it is recorded by the problem's supervising side and concerns its unit."""
    if problem is not None:
        if Side.SUPERVISOR not in acting_sides(actor, problem):
            raise TransitionError("约谈记录应由监督单位登记")
        org = problem.org
    elif org.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({"org": f"{org}不在您的管辖范围内"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "谈话日期不能晚于今天"})
    interview = Interview(
        kind=InterviewKind(kind),
        problem=problem,
        org=org,
        person=person,
        held_on=held_on,
        leader=leader.strip(),
        participants=participants.strip(),
        minutes=minutes.strip(),
        recorded_by=actor,
        recorded_by_org=actor.org,
    )
    interview.full_clean()
    interview.save()
    for upload in files or []:
        stored_file_add(
            InterviewAttachment(interview=interview),
            actor=actor,
            name=upload.name,
            data=upload.data,
            content_type=upload.content_type,
            what="材料",
            audited=False,  # the interview's own audit row counts its files
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=interview,
        summary=f"{interview.get_kind_display()}：{org}（{held_on.isoformat()}）",
        changes={
            "problem": getattr(problem, "pk", None),
            "org": org.pk,
            "leader": interview.leader,
            "files": len(files or []),
        },
    )
    return interview
