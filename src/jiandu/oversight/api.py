"""API of the rectification loop (整改闭环): problems, the moves of their rectification,
回头看, and the deadlines' reference data (the working-day calendar, the deadline table).

Reads go through the oversight selectors (jurisdiction applied, 404 outside it); writes
through the services (validated, atomic, audited). An illegal move is 409 with a message
naming it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from jiandu.core.access import require_perm
from jiandu.core.deadlines import (
    calendar_file_rows,
    calendar_import,
    calendar_years,
    work_calendar,
)
from jiandu.core.models import CalendarDay, DeadlineRule
from jiandu.core.pagination import KeysetPage, decode_cursor, keyset_paginate
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.orgs.selectors import visible_org
from jiandu.oversight import selectors, services
from jiandu.oversight.choices import RectificationAction, RectificationStatus
from jiandu.oversight.models import FollowUp, ProblemCategory, ProblemSource
from jiandu.oversight.schemas import (
    CalendarImportIn,
    CalendarImportOut,
    CalendarOut,
    CalendarQuery,
    DeadlineRuleOut,
    FollowUpOut,
    FollowUpPageOut,
    FollowUpQuery,
    FollowUpRecordIn,
    MoveIn,
    ProblemCreateIn,
    ProblemDetailOut,
    ProblemOut,
    ProblemPageOut,
    ProblemQuery,
)

router = Router(tags=["整改闭环"])


def _keyset(qs: Any, *, after: str | None, limit: int, date_field: str) -> KeysetPage:
    """One page after the cursor; a cursor that is not ours is an error, not page one."""
    if after:
        values = decode_cursor(after)
        if not values or len(values) != 2 or not isinstance(values[1], int):
            raise ValidationError({"after": "分页游标无效"})
    return keyset_paginate(qs, after=after or None, size=limit, date_field=date_field)


def _follow_up(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "problem_id": f.problem_id,
        "problem_number": f.problem.number,
        "due_on": f.due_on,
        "status": f.status,
        "status_label": f.get_status_display(),
        "checked_on": f.checked_on,
        "note": f.note,
        "recurrence_id": f.recurrence_id,
    }


def _detail(user: Any, pk: int) -> dict[str, Any]:
    problem = selectors.problem_get(user=user, pk=pk)
    rect = problem.rectification
    problem.due = selectors.due_state(rect, calendar=work_calendar())  # type: ignore[attr-defined]
    body = ProblemOut.from_problem(problem)
    body.update(
        found_by_org={"id": problem.found_by_org_id, "name": problem.found_by_org.name},
        plan=rect.plan,
        report=rect.report,
        signed_at=rect.signed_at,
        closed_on=rect.closed_on,
        rejection_count=rect.rejection_count,
        origin_type=problem.origin_type,
        origin_id=problem.origin_id,
        events=[
            {
                "action": e.action,
                "action_label": e.get_action_display(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "due_before": e.due_before,
                "due_after": e.due_after,
                "actor": e.actor.display_name,
                "on_date": e.on_date,
                "at": e.at,
            }
            for e in selectors.problem_timeline(problem=problem)
        ],
        attachments=[
            {
                "id": a.pk,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in problem.attachments.all()
        ],
        actions=[
            {"action": a, "label": str(RectificationAction(a).label)}
            for a in selectors.problem_actions(user=user, problem=problem)
        ],
        follow_ups=[_follow_up(f) for f in problem.follow_ups.select_related("problem")],
    )
    return body


# --- problems --------------------------------------------------------------------


@router.get("/problems", response={200: ProblemPageOut, **ERRORS}, summary="问题列表")
def list_problems(request: HttpRequest, query: Query[ProblemQuery]):
    """Newest first (发现日期, id), keyset-paged: ``after`` = the previous
    ``next_cursor``. Each row has its due date and the working days left (or overdue)."""
    require_perm(request, "oversight.view_problem")
    if query.stage and query.stage not in selectors.STAGE_FILTERS:
        choices = "、".join(selectors.STAGE_FILTERS)
        raise ValidationError({"stage": f"取值无效，可选值为：{choices}"})
    filters = selectors.ProblemFilters(
        stage=query.stage,
        source_id=query.source,
        category_id=query.category,
        org_id=query.org,
        overdue=query.overdue,
        text=query.text,
    )
    qs = selectors.problem_rows(selectors.problem_list(user=request.user, filters=filters))
    page = _keyset(qs, after=query.after, limit=query.limit, date_field="found_on")
    calendar, today = work_calendar(), timezone.localdate()
    items = []
    for row in selectors.problem_rows_named(page.items):
        is_open = row["rectification__status"] != RectificationStatus.CLOSED
        due = selectors.due_state_at(
            row["rectification__due_on"], is_open, calendar=calendar, today=today
        )
        items.append(ProblemOut.from_row(row, due))
    return ProblemPageOut.model_construct(items=items, next_cursor=page.next_cursor)


@router.get(
    "/problems/{int:problem_id}", response={200: ProblemDetailOut, **ERRORS}, summary="问题详情"
)
def get_problem(request: HttpRequest, problem_id: int):
    """Facts, timeline, materials, 回头看 and the moves the user may make now."""
    require_perm(request, "oversight.view_problem")
    return _detail(request.user, problem_id)


@router.post("/problems", response={201: ProblemDetailOut, **ERRORS}, summary="登记问题")
def create_problem(request: HttpRequest, payload: ProblemCreateIn):
    require_perm(request, "oversight.add_problem")
    user = request.user
    org = visible_org(user, payload.org, "org")
    supervising = selectors.supervising_orgs(user).filter(pk=payload.supervising_org).first()
    if supervising is None:
        raise ValidationError({"supervising_org": "监督责任单位应为本单位或本单位所代表的纪委监委"})
    source = ProblemSource.objects.filter(key=payload.source, archived_at__isnull=True).first()
    if source is None:
        raise ValidationError({"source": f"问题来源“{payload.source}”不存在或已停用"})
    category = ProblemCategory.objects.filter(pk=payload.category, archived_at__isnull=True).first()
    if category is None:
        raise ValidationError({"category": f"问题类别（编号{payload.category}）不存在或已停用"})
    problem = services.problem_create(
        actor=user,
        org=org,
        description=payload.description,
        category=category,
        source=source,
        found_on=payload.found_on,
        supervising_org=supervising,
        evidence=[f.upload("evidence") for f in payload.evidence],
        immediate_reason=payload.immediate_reason,
    )
    return Status(201, _detail(user, problem.pk))


@router.post(
    "/problems/{int:problem_id}/moves",
    response={200: ProblemDetailOut, **ERRORS_WITH_CONFLICT},
    summary="办理整改（签收、整改方案、整改报告、验收通过/不通过、延期、立行立改）",
)
def move_problem(request: HttpRequest, problem_id: int, payload: MoveIn):
    """One move of the rectification, by the side allowed to make it: the responsible
    unit signs, plans and reports; the supervising body accepts, rejects (with a reason),
    extends (new date and reason) or closes on the spot. Anything else is 409."""
    require_perm(request, "oversight.view_problem")
    user = request.user
    problem = selectors.problem_get(user=user, pk=problem_id)
    services.rectification_move(
        actor=user,
        rectification=problem.rectification,
        action=payload.action,
        reason=payload.reason,
        text=payload.text,
        new_due=payload.new_due,
        files=[f.upload() for f in payload.files],
    )
    return _detail(user, problem.pk)


# --- 回头看 ------------------------------------------------------------------------


@router.get("/follow-ups", response={200: FollowUpPageOut, **ERRORS}, summary="回头看列表")
def list_follow_ups(request: HttpRequest, query: Query[FollowUpQuery]):
    require_perm(request, "oversight.view_problem")
    qs = selectors.follow_up_list(user=request.user, status=query.status)
    page = _keyset(qs, after=query.after, limit=query.limit, date_field="due_on")
    return {"items": [_follow_up(f) for f in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/follow-ups/{int:follow_up_id}",
    response={200: FollowUpOut, **ERRORS_WITH_CONFLICT},
    summary="记录回头看结果",
)
def record_follow_up(request: HttpRequest, follow_up_id: int, payload: FollowUpRecordIn):
    """The supervising body records the check; a recurrence opens a linked new problem."""
    require_perm(request, "oversight.accept_rectification")
    follow_up = selectors.follow_up_get(user=request.user, pk=follow_up_id)
    follow_up = services.follow_up_record(
        actor=request.user,
        follow_up=follow_up,
        recurred=payload.recurred,
        note=payload.note,
        checked_on=payload.checked_on,
        recurrence_description=payload.recurrence_description,
    )
    return _follow_up(follow_up)


# --- the working-day calendar and the deadline table -----------------------------


@router.get("/calendar", response={200: CalendarOut, **ERRORS}, summary="工作日历")
def get_calendar(request: HttpRequest, query: Query[CalendarQuery]):
    """A year's departures from the week (休 holidays, 班 调休 working weekends), the
    years loaded and the current/next years still missing."""
    year = query.year or timezone.localdate().year
    days = CalendarDay.objects.filter(date__year=year)
    return {
        "year": year,
        "loaded_years": calendar_years(),
        "missing_years": selectors.missing_calendar_years(),
        "days": [{"date": d.date, "kind": d.get_kind_display(), "note": d.note} for d in days],
    }


@router.post(
    "/calendar/import", response={200: CalendarImportOut, **ERRORS}, summary="导入工作日历"
)
def import_calendar(request: HttpRequest, payload: CalendarImportIn):
    """Replace the years the file (or rows) lists, all or nothing; errors name the row."""
    require_perm(request, "core.change_calendarday")
    if payload.file is not None:
        upload = payload.file.upload("file")
        rows: list[list[Any]] = calendar_file_rows(upload.name, upload.data)
        source = upload.name
    else:
        rows, source = [list(r) for r in payload.rows], "api"
    result = calendar_import(actor=request.user, rows=rows, source=source)
    return {
        "years": result.years,
        "rest_days": result.rest_days,
        "work_days": result.work_days,
        "replaced": result.removed,
    }


def _rule(rule: DeadlineRule) -> dict[str, Any]:
    return {
        "step": rule.step,
        "label": rule.label,
        "period_kind": rule.period_kind,
        "length": rule.length,
        "describe": rule.describe,
        "basis": rule.basis,
        "since": rule.created_at,
        "until": rule.archived_at,
        "change_reason": rule.archive_reason,
    }


@router.get("/deadline-rules", response={200: list[DeadlineRuleOut], **ERRORS}, summary="期限表")
def list_deadline_rules(request: HttpRequest, history: bool = False):
    """The rules in force (``history=true``: every version, newest first per step)."""
    qs = DeadlineRule.objects.order_by("step", "-created_at")
    if not history:
        qs = qs.filter(archived_at__isnull=True)
    return [_rule(r) for r in qs]
