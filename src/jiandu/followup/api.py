"""API of the follow-up work (/api/v1/followup/…): real-name feedback, 处分执行,
回访教育, 澄清正名, 严查诬名 and their counts. Reads within the jurisdiction (404
outside), writes through the services (validated, audited), permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from jiandu.clues.models import Clue, Outcome, Petition
from jiandu.core.access import get_or_404, require_perm
from jiandu.core.pagination import decode_cursor, keyset_paginate
from jiandu.core.schemas import ERRORS
from jiandu.followup import selectors, services
from jiandu.followup.models import FeedbackStep, SanctionExecution
from jiandu.followup.schemas import (
    ClarificationIn,
    ClarificationOut,
    ClarificationPageOut,
    CountsOut,
    ExecutionIn,
    ExecutionOut,
    ExecutionPageOut,
    FalseAccusationIn,
    FalseAccusationOut,
    FalseAccusationPageOut,
    FeedbackOut,
    FeedbackPageOut,
    FeedbackQuery,
    FeedbackRecordIn,
    FeedbackReplyIn,
    PeriodQuery,
    StateQuery,
    VisitOut,
    VisitPageOut,
    VisitPlanIn,
    VisitRecordIn,
)
from jiandu.people.models import Person

router = Router(tags=["实名反馈与处分执行"])

FEEDBACK_PERM = "clues.change_petition"
EXECUTION_PERM = "clues.change_outcome"
VISIT_PERM = "clues.change_clue"


def _state(value: str) -> str:
    if value and value not in dict(selectors.STATES):
        raise ValidationError({"state": f"办理情况“{value}”无效"})
    return value


def _page(qs: QuerySet, *, after: str | None, limit: int, date_field: str) -> Any:
    if after:
        values = decode_cursor(after)
        if not values or len(values) != 2 or not isinstance(values[1], int):
            raise ValidationError({"after": "分页游标无效"})
    return keyset_paginate(qs, after=after or None, size=limit, date_field=date_field)


def _name(outcome: Outcome) -> str:
    return outcome.subject_name or (outcome.person.name if outcome.person else "")


def _feedback(s: FeedbackStep, today: dt.date) -> dict[str, Any]:
    return {
        "id": s.pk,
        "petition_id": s.petition_id,
        "petition_number": s.petition.number,
        "petition_title": s.petition.title,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "unit": s.unit.name,
        "start_on": s.start_on,
        "due_on": s.due_on,
        "rule": f"{s.rule.label}：{s.rule.basis}",
        "done_on": s.done_on,
        "method": s.method,
        "method_label": s.get_method_display() if s.method else "",
        "note": s.note,
        "reply": s.reply,
        "reply_label": s.get_reply_display() if s.reply else "",
        "reply_on": s.reply_on,
        "objection": s.objection,
        "overdue": s.done_on is None and s.due_on < today,
    }


def _execution(r: SanctionExecution, today: dt.date) -> dict[str, Any]:
    o = r.outcome
    return {
        "id": r.pk,
        "outcome_id": o.pk,
        "clue_number": o.clue.number,
        "person": _name(o),
        "sanction": o.get_subtype_display() if o.subtype else o.get_kind_display(),
        "decision_date": o.decision_date,
        "decided_by": o.decided_by.name,
        "served_on": r.served_on,
        "personnel_required": r.personnel_required,
        "personnel_due": r.personnel_due,
        "post_changed_on": r.post_changed_on,
        "pay_changed_on": r.pay_changed_on,
        "completed_on": r.completed_on,
        "overdue": bool(
            r.personnel_required
            and r.completed_on is None
            and r.personnel_due
            and r.personnel_due < today
        ),
        "note": r.note,
    }


def _visit(v: Any, today: dt.date) -> dict[str, Any]:
    return {
        "id": v.pk,
        "outcome_id": v.outcome_id,
        "person": _name(v.outcome),
        "org": v.org.name,
        "visitors": v.visitors,
        "planned_on": v.planned_on,
        "held_on": v.held_on,
        "findings": v.findings,
        "overdue": v.held_on is None and v.planned_on < today,
    }


def _clarification(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "clue_id": c.clue_id,
        "clue_number": c.clue.number,
        "person": c.person.name,
        "org": c.org.name,
        "method": c.method,
        "method_label": c.get_method_display(),
        "held_on": c.held_on,
        "scope": c.scope,
        "note": c.note,
    }


def _accusation(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "clue_id": f.clue_id,
        "clue_number": f.clue.number,
        "outcome_id": f.outcome_id,
        "org": f.org.name,
        "nature": f.nature,
        "nature_label": f.get_nature_display(),
        "found_on": f.found_on,
        "description": f.description,
    }


# --- real-name feedback -----------------------------------------------------------------


@router.get("/feedback", response={200: FeedbackPageOut, **ERRORS}, summary="实名举报告知反馈列表")
def list_feedback(request: HttpRequest, query: Query[FeedbackQuery]):
    require_perm(request, "clues.view_petition")
    today = timezone.localdate()
    qs = selectors.feedback_list(user=request.user, state=_state(query.state), kind=query.kind)
    page = _page(qs.select_related("rule"), after=query.after, limit=query.limit,
                 date_field="due_on")  # fmt: skip
    return {"items": [_feedback(s, today) for s in page.items], "next_cursor": page.next_cursor}


@router.get("/feedback/{int:step_id}", response={200: FeedbackOut, **ERRORS}, summary="告知反馈")
def get_feedback(request: HttpRequest, step_id: int):
    require_perm(request, "clues.view_petition")
    return _feedback(selectors.feedback_get(user=request.user, pk=step_id), timezone.localdate())


@router.post(
    "/feedback/{int:step_id}/record", response={200: FeedbackOut, **ERRORS}, summary="记录告知反馈"
)
def record_feedback(request: HttpRequest, step_id: int, payload: FeedbackRecordIn):
    require_perm(request, FEEDBACK_PERM)
    step = selectors.feedback_get(user=request.user, pk=step_id)
    services.feedback_record(actor=request.user, step=step, done_on=payload.done_on,
                             method=payload.method, note=payload.note)  # fmt: skip
    return _feedback(selectors.feedback_get(user=request.user, pk=step_id), timezone.localdate())


@router.post(
    "/feedback/{int:step_id}/reply", response={200: FeedbackOut, **ERRORS}, summary="记录举报人评价"
)
def reply_feedback(request: HttpRequest, step_id: int, payload: FeedbackReplyIn):
    require_perm(request, FEEDBACK_PERM)
    step = selectors.feedback_get(user=request.user, pk=step_id)
    services.feedback_reply(actor=request.user, step=step, reply=payload.reply,
                            reply_on=payload.reply_on, objection=payload.objection)  # fmt: skip
    return _feedback(selectors.feedback_get(user=request.user, pk=step_id), timezone.localdate())


# --- 处分执行 / 回访教育 ------------------------------------------------------------------


@router.get("/executions", response={200: ExecutionPageOut, **ERRORS}, summary="处分执行列表")
def list_executions(request: HttpRequest, query: Query[StateQuery]):
    require_perm(request, "clues.view_outcome")
    today = timezone.localdate()
    qs = selectors.execution_list(user=request.user, state=_state(query.state))
    page = _page(qs.annotate(decided=F("outcome__decision_date")), after=query.after,
                 limit=query.limit, date_field="decided")  # fmt: skip
    return {"items": [_execution(r, today) for r in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/executions/{int:execution_id}",
    response={200: ExecutionOut, **ERRORS},
    summary="记录处分执行（送达、职务工资变更）",
)
def record_execution(request: HttpRequest, execution_id: int, payload: ExecutionIn):
    require_perm(request, EXECUTION_PERM)
    row = selectors.execution_get(user=request.user, pk=execution_id)
    services.execution_record(actor=request.user, execution=row, served_on=payload.served_on,
                              post_changed_on=payload.post_changed_on,
                              pay_changed_on=payload.pay_changed_on, note=payload.note)  # fmt: skip
    return _execution(selectors.execution_get(user=request.user, pk=row.pk), timezone.localdate())


@router.get("/visits", response={200: VisitPageOut, **ERRORS}, summary="回访教育列表")
def list_visits(request: HttpRequest, query: Query[StateQuery]):
    require_perm(request, "clues.view_outcome")
    today = timezone.localdate()
    qs = selectors.visit_list(user=request.user, state=_state(query.state))
    page = _page(qs, after=query.after, limit=query.limit, date_field="planned_on")
    return {"items": [_visit(v, today) for v in page.items], "next_cursor": page.next_cursor}


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="安排回访教育（本单位）")
def plan_visit(request: HttpRequest, payload: VisitPlanIn):
    require_perm(request, VISIT_PERM)
    user: Any = request.user
    row = selectors.execution_get(user=user, pk=payload.execution_id)
    visit = services.visit_plan(
        actor=user,
        outcome=row.outcome,
        org=user.org,
        visitors=payload.visitors,
        planned_on=payload.planned_on,
    )
    return Status(201, _visit(selectors.visit_get(user=user, pk=visit.pk), timezone.localdate()))


@router.post("/visits/{int:visit_id}", response={200: VisitOut, **ERRORS}, summary="记录回访情况")
def record_visit(request: HttpRequest, visit_id: int, payload: VisitRecordIn):
    require_perm(request, VISIT_PERM)
    visit = selectors.visit_get(user=request.user, pk=visit_id)
    services.visit_record(actor=request.user, visit=visit, held_on=payload.held_on,
                          findings=payload.findings)  # fmt: skip
    return _visit(selectors.visit_get(user=request.user, pk=visit_id), timezone.localdate())


# --- 三名 --------------------------------------------------------------------------------


@router.get("/clarifications", response={200: ClarificationPageOut, **ERRORS}, summary="澄清正名")
def list_clarifications(request: HttpRequest, query: Query[StateQuery]):
    require_perm(request, "clues.view_clue")
    qs = selectors.clarification_list(user=request.user)
    page = _page(qs, after=query.after, limit=query.limit, date_field="held_on")
    return {"items": [_clarification(c) for c in page.items], "next_cursor": page.next_cursor}


@router.post("/clarifications", response={201: ClarificationOut, **ERRORS}, summary="登记澄清正名")
def create_clarification(request: HttpRequest, payload: ClarificationIn):
    require_perm(request, VISIT_PERM)
    clue = get_or_404(Clue.objects.restrict(request.user), pk=payload.clue_id)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": "该人员不存在"})
    row = services.clarification_record(actor=request.user, clue=clue, person=person,
                                        method=payload.method, held_on=payload.held_on,
                                        scope=payload.scope, note=payload.note)  # fmt: skip
    return Status(201, _clarification(row))


@router.get(
    "/false-accusations", response={200: FalseAccusationPageOut, **ERRORS}, summary="严查诬名"
)
def list_false_accusations(request: HttpRequest, query: Query[StateQuery]):
    require_perm(request, "clues.view_clue")
    qs = selectors.false_accusation_list(user=request.user)
    page = _page(qs, after=query.after, limit=query.limit, date_field="found_on")
    return {"items": [_accusation(f) for f in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/false-accusations", response={201: FalseAccusationOut, **ERRORS}, summary="登记严查诬名"
)
def create_false_accusation(request: HttpRequest, payload: FalseAccusationIn):
    require_perm(request, EXECUTION_PERM)
    outcome = get_or_404(
        Outcome.objects.restrict(request.user).select_related("clue"), pk=payload.outcome_id
    )
    row = services.false_accusation_record(actor=request.user, outcome=outcome,
                                           nature=payload.nature, found_on=payload.found_on,
                                           description=payload.description)  # fmt: skip
    return Status(201, _accusation(row))


@router.get("/counts", response={200: CountsOut, **ERRORS}, summary="三名统计")
def counts(request: HttpRequest, query: Query[PeriodQuery]):
    """Within the jurisdiction: 实名举报 of all petitions received, 满意（含基本满意）of
    the replies, 澄清正名 and 严查诬名, each by its date (docs/glossary.md)."""
    require_perm(request, "clues.view_petition")
    user = request.user
    start, end = query.start, query.end
    petitions = selectors.real_name_share_records(None, start, end) & Petition.objects.restrict(
        user
    )
    replies = selectors.satisfaction_records(None, start, end) & FeedbackStep.objects.restrict(user)
    return {
        "real_name": petitions.filter(is_real_name=True).count(),
        "petitions": petitions.count(),
        "satisfied": replies.filter(reply__in=["satisfied", "basically"]).count(),
        "replies": replies.count(),
        "clarifications": (
            selectors.clarification_records(None, start, end)
            & selectors.clarification_list(user=user)
        ).count(),
        "false_accusations": (
            selectors.false_accusation_records(None, start, end)
            & selectors.false_accusation_list(user=user)
        ).count(),
    }
