"""Pages of the follow-up work: real-name feedback, 处分执行, 回访教育, 三名 and their
counts. Reads go through the selectors (404 outside the jurisdiction), writes through
the services (validated, audited). Who may write: docs/user-guide/followup.md#谁来做."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.clues.models import Clue, Petition
from jiandu.core.pagination import keyset_paginate
from jiandu.followup import selectors, services
from jiandu.followup.choices import FeedbackKind, Reply
from jiandu.followup.forms import (
    ClarificationForm,
    ClueNumberForm,
    ExecutionForm,
    FalseAccusationForm,
    FeedbackForm,
    ReplyForm,
    VisitPlanForm,
    VisitRecordForm,
    add_service_errors,
)
from jiandu.followup.models import FeedbackStep
from jiandu.followup.rules import VISIT_STEP
from jiandu.people.models import Person

PAGE_SIZE = 50
FEEDBACK_PERM = "clues.change_petition"
EXECUTION_PERM = "clues.change_outcome"
VISIT_PERM = "clues.change_clue"


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The ``from``/``to`` of the query, default this year up to today."""
    today = timezone.localdate()

    def read(name: str, default: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    start = read("from", today.replace(month=1, day=1))
    end = read("to", today)
    return (start, end) if start <= end else (end, start)


def _state(request: HttpRequest, default: str = "") -> str:
    state = request.GET.get("state", default)
    return state if state in dict(selectors.STATES) else ""


# --- counts (三名 and the follow-up work) ---------------------------------------------


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    start, end = _period(request)
    span = f"from={start.isoformat()}&to={end.isoformat()}"
    petitions = selectors.real_name_share_records(None, start, end) & Petition.objects.restrict(
        user
    )
    real = petitions.filter(is_real_name=True).count()
    total = petitions.count()
    replies = selectors.satisfaction_records(None, start, end) & FeedbackStep.objects.restrict(user)
    satisfied = replies.filter(reply__in=[Reply.SATISFIED, Reply.BASICALLY]).count()
    answered = replies.count()
    clarified = (
        selectors.clarification_records(None, start, end) & selectors.clarification_list(user=user)
    ).count()
    false = (
        selectors.false_accusation_records(None, start, end)
        & selectors.false_accusation_list(user=user)
    ).count()
    load = selectors.workload(user=user)

    def share(part: int, whole: int) -> str:
        return f"{part * 100 / whole:.1f}%" if whole else "—"

    rows = [
        ("鼓励实名", "实名举报", real, "件", f"realname/?{span}&real=1"),
        ("鼓励实名", "受理信访举报", total, "件", f"realname/?{span}"),
        ("鼓励实名", "实名举报占比", share(real, total), "", f"realname/?{span}&real=1"),
        ("鼓励实名", "实名举报满意（含基本满意）", satisfied, "件", f"feedback/?{span}&reply=ok"),
        ("鼓励实名", "举报人评价", answered, "件", f"feedback/?{span}&reply=any"),
        (
            "鼓励实名",
            "实名举报满意率",
            share(satisfied, answered),
            "",
            f"feedback/?{span}&reply=any",
        ),
        ("澄清正名", "澄清正名", clarified, "次", f"clarifications/?{span}"),
        ("严查诬名", "查处诬告陷害、恶意举报", false, "起", f"false-accusations/?{span}"),
    ]
    work = [
        ("告知反馈已超期", load.feedback_overdue, "feedback/?state=overdue"),
        ("告知反馈3个工作日内到期", load.feedback_due_soon, "feedback/?state=due_soon"),
        ("职务工资变更已超期", load.execution_overdue, "executions/?state=overdue"),
        ("回访教育到期未回访", load.visits_due, "visits/?state=due"),
    ]
    return render(
        request,
        "followup/index.html",
        {"rows": rows, "work": work, "start": start, "end": end, "page_title": "三名与处分执行"},
    )


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def realname_list(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    qs = selectors.real_name_share_records(None, start, end) & Petition.objects.restrict(
        request.user
    )
    if request.GET.get("real"):
        qs = qs.filter(is_real_name=True)
    qs = qs.select_related("received_org")
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="received_date",
        query=request.GET,
    )  # fmt: skip
    return render(
        request,
        "followup/realname_list.html",
        {"page": page, "start": start, "end": end, "real": bool(request.GET.get("real"))},
    )


# --- real-name feedback ---------------------------------------------------------------


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    kind = request.GET.get("kind", "")
    qs = selectors.feedback_list(user=request.user, state=state, kind=kind)
    reply = request.GET.get("reply", "")
    if reply in ("ok", "any"):
        start, end = _period(request)
        qs = qs & selectors.satisfaction_records(None, start, end)
        if reply == "ok":
            qs = qs.filter(reply__in=[Reply.SATISFIED, Reply.BASICALLY])
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="due_on", query=request.GET
    )
    return render(
        request,
        "followup/feedback_list.html",
        {
            "page": page,
            "state": state,
            "kind": kind,
            "states": selectors.STATES,
            "kinds": FeedbackKind.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.feedback_get(user=request.user, pk=pk)
    can = request.user.has_perm(FEEDBACK_PERM)
    form = FeedbackForm(request.POST if request.POST.get("form") == "record" else None)
    reply_form = ReplyForm(request.POST if request.POST.get("form") == "reply" else None)
    if request.method == "POST":
        if not can:
            raise PermissionDenied("告知、反馈由信访受理人员记录")
        try:
            if request.POST.get("form") == "record" and form.is_valid():
                d = form.cleaned_data
                services.feedback_record(
                    actor=request.user,
                    step=step,
                    done_on=d["done_on"],
                    method=d["method"],
                    note=d["note"],
                )
                messages.success(request, f"已记录{step.get_kind_display()}")
                return redirect("followup:feedback_detail", pk=step.pk)
            if request.POST.get("form") == "reply" and reply_form.is_valid():
                d = reply_form.cleaned_data
                services.feedback_reply(
                    actor=request.user,
                    step=step,
                    reply=d["reply"],
                    reply_on=d["reply_on"],
                    objection=d["objection"],
                )
                messages.success(request, "已记录举报人评价")
                return redirect("followup:feedback_detail", pk=step.pk)
        except ValidationError as exc:
            add_service_errors(form if request.POST.get("form") == "record" else reply_form, exc)
    others = [
        s
        for s in selectors.petition_feedback(user=request.user, petition=step.petition)
        if s.pk != step.pk
    ]
    status = 422 if (form.errors or reply_form.errors) else 200
    return render(
        request,
        "followup/feedback_detail.html",
        {
            "step": step,
            "others": others,
            "form": form,
            "reply_form": reply_form,
            "can": can,
            "today": timezone.localdate(),
        },
        status=status,
    )


# --- 处分执行 --------------------------------------------------------------------------


@login_required
@permission_required("clues.view_outcome", raise_exception=True)
@require_GET
def execution_list(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    heavy = bool(request.GET.get("heavy"))
    qs = selectors.execution_list(user=request.user, state=state, heavy_only=heavy)
    page = keyset_paginate(
        qs.annotate(decided=F("outcome__decision_date")),
        after=request.GET.get("after"),
        size=PAGE_SIZE,
        date_field="decided",
        query=request.GET,
    )
    return render(
        request,
        "followup/execution_list.html",
        {
            "page": page,
            "state": state,
            "heavy": heavy,
            "states": selectors.STATES,
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required("clues.view_outcome", raise_exception=True)
@require_http_methods(["GET", "POST"])
def execution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.execution_get(user=request.user, pk=pk)
    can = request.user.has_perm(EXECUTION_PERM)
    form = ExecutionForm(request.POST or None, personnel=row.personnel_required)
    if request.method == "POST":
        if not can:
            raise PermissionDenied("处分执行由案件审理人员记录")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.execution_record(
                    actor=request.user,
                    execution=row,
                    served_on=d.get("served_on"),
                    post_changed_on=d.get("post_changed_on"),
                    pay_changed_on=d.get("pay_changed_on"),
                    note=d.get("note", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已记录处分执行")
                return redirect("followup:execution_detail", pk=row.pk)
    visits = selectors.visit_list(user=request.user).filter(outcome=row.outcome)
    return render(
        request,
        "followup/execution_detail.html",
        {
            "row": row,
            "form": form,
            "can": can,
            "can_visit": request.user.has_perm(VISIT_PERM),
            "visits": visits,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


# --- 回访教育 --------------------------------------------------------------------------


@login_required
@permission_required("clues.view_outcome", raise_exception=True)
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    qs = selectors.visit_list(user=request.user, state=state)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="planned_on",
        query=request.GET,
    )  # fmt: skip
    return render(
        request,
        "followup/visit_list.html",
        {"page": page, "state": state, "states": selectors.STATES, "today": timezone.localdate()},
    )


@login_required
@permission_required(VISIT_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a 回访教育 for the sanction of 处分执行 row ``pk``, by the user's unit."""
    from jiandu.core.deadlines import deadline_compute

    row = selectors.execution_get(user=request.user, pk=pk)
    suggested = deadline_compute(VISIT_STEP, row.outcome.decision_date).due
    form = VisitPlanForm(request.POST or None, initial={"planned_on": suggested})
    user: Any = request.user
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_plan(
                actor=user,
                outcome=row.outcome,
                org=user.org,
                visitors=form.cleaned_data["visitors"],
                planned_on=form.cleaned_data["planned_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已安排回访教育")
            return redirect("followup:visit_detail", pk=visit.pk)
    return render(
        request,
        "followup/visit_plan.html",
        {"row": row, "form": form, "suggested": suggested},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("clues.view_outcome", raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    can = request.user.has_perm(VISIT_PERM)
    form = VisitRecordForm(request.POST or None)
    if request.method == "POST":
        if not can:
            raise PermissionDenied("回访教育由监督检查室、派驻纪检监察组或县区纪委监委记录")
        if form.is_valid():
            try:
                services.visit_record(
                    actor=request.user,
                    visit=visit,
                    held_on=form.cleaned_data["held_on"],
                    findings=form.cleaned_data["findings"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已记录回访情况")
                return redirect("followup:visit_detail", pk=visit.pk)
    execution = getattr(visit.outcome, "execution", None)
    return render(
        request,
        "followup/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "can": can,
            "execution": execution,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


# --- 三名: 澄清正名, 严查诬名 -------------------------------------------------------------


def _clue_by_number(request: HttpRequest) -> tuple[ClueNumberForm, Clue | None]:
    number_form = ClueNumberForm(request.GET or None)
    clue = None
    if number_form.is_valid():
        number = number_form.cleaned_data["clue"].strip().upper()
        clue = Clue.objects.restrict(request.user).filter(number=number).first()
        if clue is None:
            number_form.add_error("clue", f"线索“{number}”不存在或不在您的管辖范围内")
    return number_form, clue


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_GET
def clarification_list(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    qs = selectors.clarification_list(user=request.user)
    if request.GET.get("from") or request.GET.get("to"):
        qs = qs & selectors.clarification_records(None, start, end)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="held_on",
        query=request.GET,
    )  # fmt: skip
    return render(request, "followup/clarification_list.html", {"page": page})


@login_required
@permission_required(VISIT_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def clarification_create(request: HttpRequest) -> HttpResponse:
    number_form, clue = _clue_by_number(request)
    form = None
    if clue is not None:
        people = Person.objects.defer("id_number").filter(
            Q(pk__in=clue.subject_people.values("pk")) | Q(pk__in=clue.outcomes.values("person"))
        )
        form = ClarificationForm(request.POST or None, people=people)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.clarification_record(
                    actor=request.user,
                    clue=clue,
                    person=d["person"],
                    method=d["method"],
                    held_on=d["held_on"],
                    scope=d["scope"],
                    note=d["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已登记澄清正名")
                return redirect("followup:clarification_list")
    elif request.method == "POST":
        raise PermissionDenied("请先选择线索")
    return render(
        request,
        "followup/clarification_form.html",
        {"number_form": number_form, "clue": clue, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_GET
def false_accusation_list(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    qs = selectors.false_accusation_list(user=request.user)
    if request.GET.get("from") or request.GET.get("to"):
        qs = qs & selectors.false_accusation_records(None, start, end)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="found_on",
        query=request.GET,
    )  # fmt: skip
    return render(request, "followup/false_accusation_list.html", {"page": page})


@login_required
@permission_required(EXECUTION_PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def false_accusation_create(request: HttpRequest) -> HttpResponse:
    number_form, clue = _clue_by_number(request)
    form = None
    if clue is not None:
        outcomes = clue.outcomes.filter(archived_at__isnull=True).select_related("person")
        form = FalseAccusationForm(request.POST or None, outcomes=outcomes)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.false_accusation_record(
                    actor=request.user,
                    outcome=d["outcome"],
                    nature=d["nature"],
                    found_on=d["found_on"],
                    description=d["description"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已登记严查诬名")
                return redirect("followup:false_accusation_list")
    elif request.method == "POST":
        raise PermissionDenied("请先选择线索")
    return render(
        request,
        "followup/false_accusation_form.html",
        {"number_form": number_form, "clue": clue, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


# --- the petition page's feedback panel -------------------------------------------------


def _panel_response(
    request: HttpRequest, petition: Petition, *, status: int = 200, **extra: Any
) -> HttpResponse:
    from jiandu.followup.panels import TEMPLATE, panel_context

    context = {"panel": panel_context(request, petition, **extra)}
    return render(request, TEMPLATE, context, status=status)


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The feedback panel of petition ``pk`` (GET: the panel as it stands, for htmx), and
    the recording of 受理告知 / 结果反馈 / the reporter's reply from it (POST). An htmx
    post is answered with the panel (422 with the form's errors); a plain post goes back
    to the petition page with the result as a message."""
    from jiandu.clues.selectors import petition_get

    petition = petition_get(user=request.user, pk=pk)
    if request.method == "GET":
        if not petition.is_real_name:
            return HttpResponse(status=204)
        return _panel_response(request, petition)
    if not request.user.has_perm(FEEDBACK_PERM):
        raise PermissionDenied("告知、反馈由信访受理人员记录")
    steps = {s.pk: s for s in selectors.petition_feedback(user=request.user, petition=petition)}
    try:
        step = steps[int(request.POST.get("step", ""))]
    except (KeyError, ValueError):
        raise Http404("该信访件没有这一告知反馈环节") from None
    kind = request.POST.get("form")
    form: Any = None
    success = ""
    if kind == "record":
        form = FeedbackForm(request.POST, prefix="feedback")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.feedback_record(
                    actor=request.user,
                    step=step,
                    done_on=d["done_on"],
                    method=d["method"],
                    note=d["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                success = f"已记录{step.get_kind_display()}"
    elif kind == "reply":
        form = ReplyForm(request.POST, prefix="reply")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.feedback_reply(
                    actor=request.user,
                    step=step,
                    reply=d["reply"],
                    reply_on=d["reply_on"],
                    objection=d["objection"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                success = "已记录举报人评价"
    else:
        raise Http404("未知的记录")
    htmx = request.headers.get("HX-Request") == "true"
    if success:
        if htmx:
            return _panel_response(request, petition, success=success)
        messages.success(request, success)
    elif htmx:
        bound = {"record_form": form} if kind == "record" else {"reply_form": form}
        return _panel_response(request, petition, status=422, **bound)
    else:
        errors = "；".join(
            f"{form.fields[name].label if name in form.fields else step.get_kind_display()}：{e}"
            for name, errs in form.errors.items()
            for e in errs
        )
        messages.error(request, f"{step.get_kind_display()}未记录：{errors}")
    return redirect("clues:petition_detail", pk=petition.pk)
