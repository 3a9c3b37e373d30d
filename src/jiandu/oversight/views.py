"""Pages of the rectification loop (整改闭环): the problem list, registration, the
detail with the moves the user may make, the four counts, 回头看, 约谈 records, and the
reference data the deadlines run on (the working-day calendar and the deadline table).

Views stay thin: a permission check, a selector (404 outside the jurisdiction), a form,
one service call.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.access import get_or_404
from jiandu.core.choices import CalendarDayKind
from jiandu.core.deadlines import (
    calendar_day_set,
    calendar_file_rows,
    calendar_import,
    deadline_rule_set,
    work_calendar,
)
from jiandu.core.models import CalendarDay, DeadlineRule
from jiandu.core.pagination import keyset_paginate
from jiandu.oversight import selectors, services
from jiandu.oversight.choices import FollowUpStatus, RectificationAction, RectificationStatus
from jiandu.oversight.forms import (
    MOVE_FIELDS,
    CalendarDayForm,
    CalendarImportForm,
    DeadlineRuleForm,
    FollowUpForm,
    InterviewForm,
    MoveForm,
    ProblemFilterForm,
    ProblemForm,
    add_service_errors,
    uploads,
)
from jiandu.oversight.lifecycle import Side, TransitionError
from jiandu.oversight.models import InterviewAttachment, Problem, ProblemAttachment
from jiandu.oversight.origins import origin_link

PAGE_SIZE = 50

STATUS_TONES: dict[str, str] = {
    RectificationStatus.PENDING: "orange",
    RectificationStatus.IN_PROGRESS: "blue",
    RectificationStatus.SUBMITTED: "yellow",
    RectificationStatus.CLOSED: "green",
}
EVENT_TONES: dict[str, str] = {
    RectificationAction.REJECT: "red",
    RectificationAction.ACCEPT: "green",
    RectificationAction.IMMEDIATE: "green",
    RectificationAction.EXTEND: "orange",
}


# --- problems --------------------------------------------------------------------


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    form = ProblemFilterForm(request.GET, user=request.user)
    qs = selectors.problem_list(user=request.user, filters=form.filters())
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="found_on", query=request.GET
    )
    selectors.annotate_due(page.items)
    for problem in page.items:
        problem.status_tone = STATUS_TONES.get(problem.rectification.status, "gray")
    context = {"filter_form": form, "page": page}
    if request.headers.get("HX-Target") == "problem-results":
        return render(request, "oversight/problem_list.html#results", context)
    return render(request, "oversight/problem_list.html", context)


@login_required
@permission_required("oversight.add_problem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def problem_create(request: HttpRequest) -> HttpResponse:
    form = ProblemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_create(
                actor=request.user,
                org=data["org"],
                description=data["description"],
                category=data["category"],
                source=data["source"],
                found_on=data["found_on"],
                supervising_org=data["supervising_org"],
                evidence=uploads(data["evidence"]),
                immediate_reason=data["immediate_reason"] if data["immediate"] else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记问题 {problem.number}")
            return redirect("oversight:problem_detail", pk=problem.pk)
    status = 422 if form.errors else 200
    return render(request, "oversight/problem_form.html", {"form": form}, status=status)


def _move_forms(user: Any, problem: Problem, bound: MoveForm | None) -> list[dict[str, Any]]:
    items = []
    for action in selectors.problem_actions(user=user, problem=problem):
        form = bound if bound is not None and bound.data.get("action") == action else None
        form = form or MoveForm(initial={"action": action}, prefix=None)
        fields = MOVE_FIELDS.get(action, {})
        items.append(
            {
                "action": action,
                "label": RectificationAction(action).label,
                "form": form,
                "fields": [(form[name], label) for name, label in fields.items()],
            }
        )
    return items


def _origin_link(user: Any, problem: Problem) -> dict[str, str] | None:
    """The record a problem came from, when the user may open it: the app that opened
    the problem links it (``oversight.origins``); 多色榜 warnings as before."""
    found = origin_link(user, problem.origin_type, problem.origin_id)
    if found is not None:
        return {"label": found.label, "url": found.url}
    if problem.origin_type == services.BOARD_WARNING_ORIGIN and user.has_perm("boards.view_board"):
        return {
            "label": "多色榜预警",
            "url": reverse("boards:warning_detail", args=[problem.origin_id]),
        }
    if problem.recurrence_of is not None:
        return {
            "label": f"反弹自 {problem.recurrence_of.number}",
            "url": reverse("oversight:problem_detail", args=[problem.recurrence_of_id]),
        }
    return None


def _problem_context(request: HttpRequest, problem: Problem, **extra: Any) -> dict[str, Any]:
    user = request.user
    rect = problem.rectification
    events = [
        {
            "at": e.at,
            "actor": e.actor.display_name,
            "title": f"{e.get_action_display()}（{e.on_date:%Y-%m-%d}）",
            "note": "\n".join(
                part
                for part in (
                    e.reason,
                    f"期限 {e.due_before:%Y-%m-%d} → {e.due_after:%Y-%m-%d}"
                    if e.due_before and e.due_after
                    else "",
                    f"批准人：{e.approved_by.display_name}" if e.approved_by else "",
                )
                if part
            ),
            "tone": EVENT_TONES.get(e.action, ""),
        }
        for e in selectors.problem_timeline(problem=problem)
    ]
    sides = selectors.acting_sides(user, problem)
    return {
        "problem": problem,
        "rect": rect,
        "status_tone": STATUS_TONES.get(rect.status, "gray"),
        "due": selectors.due_state(rect, calendar=work_calendar()),
        "events": events,
        "attachments": list(problem.attachments.select_related("uploaded_by")),
        "move_forms": _move_forms(user, problem, extra.pop("bound", None)),
        "sides": [s.label for s in sides],
        "is_supervisor": Side.SUPERVISOR in sides,
        "interviews": list(problem.interviews.order_by("-held_on", "-pk")),
        "follow_ups": list(problem.follow_ups.select_related("recurrence")),
        "origin": _origin_link(user, problem),
        **extra,
    }


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    return render(request, "oversight/problem_detail.html", _problem_context(request, problem))


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_POST
def problem_move(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = MoveForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        action = data["action"]
        try:
            services.rectification_move(
                actor=request.user,
                rectification=problem.rectification,
                action=action,
                reason=data["reason"],
                text=data["text"],
                files=uploads(data["attachments"]),
                new_due=data["new_due"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            error = str(exc)
        else:
            messages.success(request, f"已办理：{RectificationAction(action).label}")
            return redirect("oversight:problem_detail", pk=problem.pk)
    problem = selectors.problem_get(user=request.user, pk=pk)
    error = error or "办理未完成，请按提示修改。"
    context = _problem_context(request, problem, bound=form, error=error)
    return render(request, "oversight/problem_detail.html", context, status=422)


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A problem's material within the jurisdiction (404 otherwise)."""
    visible = selectors.problem_list(user=request.user).values("pk")
    attachment = get_or_404(ProblemAttachment.objects.filter(problem__in=visible), pk=pk)
    return _file(attachment)


def _file(attachment: ProblemAttachment | InterviewAttachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def problem_counts(request: HttpRequest) -> HttpResponse:
    """立行立改 / 正在整改 / 待整改 / 已销号 per source and per unit; each figure opens
    its items in the list."""
    problems = selectors.problem_list(user=request.user)
    list_url = reverse("oversight:problem_list")
    tables = []
    for field, title, param in (("source", "按问题来源", "source"), ("org", "按责任单位", "org")):
        rows = selectors.problem_counts_by(problems, field)
        for row in rows:
            base = f"{list_url}?{param}={row['id']}"
            row["links"] = {
                stage: f"{base}&stage={stage}"
                for stage in ("immediate", "working", "pending", "closed")
            }
            row["url"] = base
        tables.append({"title": title, "rows": rows})
    totals = selectors.problem_status_counts(problems)
    return render(request, "oversight/problem_counts.html", {"tables": tables, "totals": totals})


# --- 回头看 ------------------------------------------------------------------------


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FollowUpStatus.SCHEDULED)
    if status not in FollowUpStatus.values and status != "all":
        status = FollowUpStatus.SCHEDULED
    qs = selectors.follow_up_list(user=request.user, status="" if status == "all" else status)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="due_on", query=request.GET
    )
    today = timezone.localdate()
    return render(
        request,
        "oversight/follow_up_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*FollowUpStatus.choices, ("all", "全部")],
            "today": today,
        },
    )


@login_required
@permission_required("oversight.accept_rectification", raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(user=request.user, pk=pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_record(
                actor=request.user,
                follow_up=follow_up,
                recurred=data["recurred"],
                note=data["note"],
                checked_on=data["checked_on"],
                recurrence_description=data["recurrence_description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已记录回头看结果")
            return redirect("oversight:problem_detail", pk=follow_up.problem_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "oversight/follow_up_form.html",
        {"form": form, "follow_up": follow_up},
        status=status,
    )


# --- 约谈 / 诫勉谈话 ---------------------------------------------------------------


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.interview_list(user=request.user)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="held_on", query=request.GET
    )
    return render(request, "oversight/interview_list.html", {"page": page})


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    return render(
        request,
        "oversight/interview_detail.html",
        {"interview": interview, "attachments": list(interview.attachments.all())},
    )


@login_required
@permission_required("oversight.accept_rectification", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a 约谈/诫勉谈话/提醒谈话 held about a problem (the warning's)."""
    problem = selectors.problem_get(user=request.user, pk=pk)
    if not selectors.acting_sides(request.user, problem) & {Side.SUPERVISOR}:
        raise PermissionDenied("约谈记录应由监督单位登记")
    form = InterviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = services.interview_record(
                actor=request.user,
                kind=data["kind"],
                org=problem.org,
                problem=problem,
                held_on=data["held_on"],
                leader=data["leader"],
                participants=data["participants"],
                minutes=data["minutes"],
                files=uploads(data["attachments"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已记录{interview.get_kind_display()}")
            return redirect("oversight:problem_detail", pk=problem.pk)
    status = 422 if form.errors else 200
    return render(
        request, "oversight/interview_form.html", {"form": form, "problem": problem}, status=status
    )


@login_required
@permission_required("oversight.view_problem", raise_exception=True)
@require_GET
def interview_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    visible = selectors.interview_list(user=request.user).values("pk")
    attachment = get_or_404(InterviewAttachment.objects.filter(interview__in=visible), pk=pk)
    return _file(attachment)


# --- the working-day calendar and the deadline table -----------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


def _calendar_context(year: int, **extra: Any) -> dict[str, Any]:
    days = list(CalendarDay.objects.filter(date__year=year))
    return {
        "year": year,
        "rest_days": [d for d in days if d.kind == CalendarDayKind.REST],
        "work_days": [d for d in days if d.kind == CalendarDayKind.WORK],
        "loaded_years": sorted({d.year for d in CalendarDay.objects.dates("date", "year")}),
        "import_form": extra.pop("import_form", None) or CalendarImportForm(),
        "day_form": extra.pop("day_form", None) or CalendarDayForm(),
        **extra,
    }


@login_required
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    return render(request, "oversight/calendar.html", _calendar_context(_year(request)))


@login_required
@permission_required("core.change_calendarday", raise_exception=True)
@require_POST
def calendar_import_view(request: HttpRequest) -> HttpResponse:
    form = CalendarImportForm(request.POST, request.FILES)
    import_errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = calendar_file_rows(upload.name, upload.read())
            result = calendar_import(actor=request.user, rows=rows, source=upload.name)
        except ValidationError as exc:
            import_errors = list(exc.messages)
        else:
            years = "、".join(f"{y}年" for y in result.years)
            messages.success(
                request,
                f"已导入{years}工作日历：休息日{result.rest_days}天，调休上班{result.work_days}天",
            )
            return redirect(f"{reverse('oversight:calendar')}?year={result.years[0]}")
    context = _calendar_context(_year(request), import_form=form, import_errors=import_errors)
    return render(request, "oversight/calendar.html", context, status=422)


@login_required
@permission_required("core.change_calendarday", raise_exception=True)
@require_POST
def calendar_day_view(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_day_set(
                actor=request.user, date=data["date"], kind=data["kind"] or None, note=data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已更新 {data['date']:%Y-%m-%d}")
            return redirect(f"{reverse('oversight:calendar')}?year={data['date'].year}")
    context = _calendar_context(_year(request), day_form=form)
    return render(request, "oversight/calendar.html", context, status=422)


def _deadline_context(**extra: Any) -> dict[str, Any]:
    rules = list(DeadlineRule.objects.select_related("archived_by").order_by("step", "-created_at"))
    in_force = [r for r in rules if r.archived_at is None]
    bound = extra.pop("bound", None)
    forms = {
        r.step: bound
        if bound is not None and bound.data.get("step") == r.step
        else DeadlineRuleForm(
            initial={
                "step": r.step,
                "period_kind": r.period_kind,
                "length": r.length,
                "basis": r.basis,
            },
            auto_id=f"id_{r.step.replace('.', '_')}_%s",
        )
        for r in in_force
    }
    return {
        "rules": [{"rule": r, "form": forms[r.step]} for r in in_force],
        "history": [r for r in rules if r.archived_at is not None],
        **extra,
    }


@login_required
@require_GET
def deadline_table(request: HttpRequest) -> HttpResponse:
    return render(request, "oversight/deadlines.html", _deadline_context())


@login_required
@permission_required("core.change_deadlinerule", raise_exception=True)
@require_POST
def deadline_rule_change(request: HttpRequest) -> HttpResponse:
    form = DeadlineRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule = deadline_rule_set(
                actor=request.user,
                step=data["step"],
                period_kind=data["period_kind"],
                length=data["length"],
                basis=data["basis"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except LookupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已修改“{rule.label}”：{rule.describe}")
            return redirect("oversight:deadlines")
    return render(request, "oversight/deadlines.html", _deadline_context(bound=form), status=422)
