"""Pages of the case registry: 信访举报 (list, intake, detail with triage and the
protected reporter panel), 问题线索 (list, direct entry, detail with lifecycle actions
and 处理结果), 通报曝光, the person picker and attachment downloads.

Views stay thin: a permission check, a selector (404 outside the jurisdiction), a form,
one service call. htmx requests get the partial they target.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from jiandu.clues import exports, lifecycle, selectors, services
from jiandu.clues.choices import (
    ClueAction,
    ClueStatus,
    DisposalMethod,
    PetitionAction,
    PetitionStatus,
)
from jiandu.clues.decisions import (
    clue_approval_requests,
    clue_request_action,
    petition_approval_requests,
    petition_request_action,
)
from jiandu.clues.forms import (
    CLUE_ACTION_FORMS,
    PICKER_FIELD,
    ClueFilterForm,
    ClueForm,
    ConvertForm,
    ExposureBatchForm,
    ExposureCaseFormSet,
    OutcomeArchiveForm,
    OutcomeForm,
    PetitionAssignForm,
    PetitionFileForm,
    PetitionFilterForm,
    PetitionForm,
    PetitionTransferForm,
    add_service_errors,
)
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.models import Clue, ClueEvent, Petition, PetitionEvent
from jiandu.core import idnumbers
from jiandu.core.access import get_or_404
from jiandu.core.contenttypes import XLSX_CONTENT_TYPE
from jiandu.core.hooks import detail_panels
from jiandu.core.ids import parse_id
from jiandu.core.pagination import SortOption, paginate_list
from jiandu.core.ratelimit import answers_429
from jiandu.core.templatetags.names import with_unit
from jiandu.people.selectors import person_get, person_list, person_lookup_check

PAGE_SIZE = 50

# The columns users sort the case lists by (NOT NULL fields, see core.pagination).
PETITION_SORTS = [
    SortOption("received", "received_date", "受理日期"),
    SortOption("number", "number", "编号"),
]
CLUE_SORTS = [
    SortOption("received", "received_date", "受理日期"),
    SortOption("number", "number", "编号"),
]
EXPOSURE_SORTS = [
    SortOption("published", "published_on", "通报日期"),
    SortOption("title", "title", "标题"),
]
PERSON_SEARCH_LIMIT = 10


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


PETITION_TONES: dict[str, str] = {
    PetitionStatus.PENDING: "orange",
    PetitionStatus.CONVERTED: "blue",
    PetitionStatus.TRANSFERRED: "gray",
    PetitionStatus.FILED: "green",
}
CLUE_TONES: dict[str, str] = {
    ClueStatus.RECEIVED: "orange",
    ClueStatus.DISPOSING: "blue",
    ClueStatus.CLOSED: "green",
}
PETITION_EVENT_TONES: dict[str, str] = {
    PetitionAction.REGISTER: "blue",
    PetitionAction.CONVERT: "red",
    PetitionAction.ASSIGN: "orange",
    PetitionAction.TRANSFER: "gray",
    PetitionAction.FILE: "green",
}
CLUE_EVENT_TONES: dict[str, str] = {
    ClueAction.RECEIVE: "blue",
    ClueAction.DISPOSE: "orange",
    ClueAction.CHANGE_DISPOSAL: "yellow",
    ClueAction.CLOSE: "green",
    ClueAction.ESCALATE: "red",
    ClueAction.DIRECT_HANDLE: "red",
    ClueAction.ASSIGN_DOWN: "gray",
    ClueAction.EXTEND: "yellow",
}


def _targets(request: HtmxHttpRequest, element_id: str) -> bool:
    """True for an htmx request aimed at ``element_id`` (answered with its partial)."""
    return bool(request.htmx) and request.htmx.target == element_id


def _xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = f"{name}_{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _export_query(page: Any) -> str:
    return f"?{page.base_query}" if page.base_query else ""


# --- 信访举报 ----------------------------------------------------------------------


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def petition_list(request: HtmxHttpRequest) -> HttpResponse:
    form = PetitionFilterForm(request.GET)
    qs = selectors.petition_list(user=request.user, filters=form.filters())
    page = paginate_list(
        qs, params=request.GET, sorts=PETITION_SORTS, default_sort="-received", size=PAGE_SIZE
    )
    for petition in page.items:
        petition.status_tone = PETITION_TONES.get(petition.status, "gray")
    context = {
        "filter_form": form,
        "page": page,
        "xlsx_url": reverse("clues:petition_export") + _export_query(page),
    }
    if _targets(request, "petition-results"):
        return render(request, "clues/petition_list.html#results", context)
    return render(request, "clues/petition_list.html", context)


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def petition_export(request: HtmxHttpRequest) -> HttpResponse:
    form = PetitionFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, "筛选条件有误，未导出。请按提示修改后再导出。")
        return redirect(reverse("clues:petition_list") + f"?{request.GET.urlencode()}")
    data = exports.petitions_xlsx(
        actor=request.user, filters=form.filters(), description=form.describe()
    )
    return _xlsx_response(data, "信访举报")


@login_required
@permission_required("clues.add_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_create(request: HtmxHttpRequest) -> HttpResponse:
    form = PetitionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_register_with_attachments(
                actor=request.user,
                attachments=form.cleaned_data["attachments"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, _rename(exc, {"file": "attachments"}))
        else:
            messages.success(request, f"已登记信访件 {petition.number}")
            if petition.repeat_of is not None:
                messages.warning(request, f"该件为重复举报，首次举报为 {petition.repeat_of.number}")
            return redirect("clues:petition_detail", pk=petition.pk)
    context = {"form": form, "selected_people": _selected_people(form, "subject_people")}
    return render(request, "clues/petition_form.html", context)


def _petition_events(petition: Petition) -> list[dict[str, Any]]:
    events = []
    for event in selectors.petition_timeline(petition=petition):
        title = event.get_action_display()
        if event.action == PetitionAction.ASSIGN:
            title += f"：{event.from_org} → {event.to_org}"
        elif event.action == PetitionAction.CONVERT and event.to_org:
            title += f"（承办单位：{event.to_org}）"
        events.append(_event(event, title, PETITION_EVENT_TONES, event.reason))
    return events


def _event(event: PetitionEvent | ClueEvent, title: str, tones: dict, note: str) -> dict:
    return {
        "at": event.at,
        "actor": with_unit(event.actor),
        "title": title,
        "note": note,
        "tone": tones.get(event.action, ""),
    }


TRIAGE_FORMS: dict[str, tuple[str, type]] = {
    PetitionAction.CONVERT: ("转为问题线索", ConvertForm),
    PetitionAction.ASSIGN: ("交办", PetitionAssignForm),
    PetitionAction.TRANSFER: ("转办", PetitionTransferForm),
    PetitionAction.FILE: ("存档了结", PetitionFileForm),
}


def _can_triage(user: Any, action: str) -> bool:
    if not user.has_perm("clues.change_petition"):
        return False
    return action != PetitionAction.CONVERT or user.has_perm("clues.add_clue")


def _triage_forms(user: Any, petition: Petition, bound: Any = None) -> list[dict[str, Any]]:
    """The triage actions legal for the petition now (and allowed to the user)."""
    forms = []
    for action in lifecycle.allowed_petition_actions(petition.status):
        if action not in TRIAGE_FORMS or not _can_triage(user, action):
            continue
        label, form_class = TRIAGE_FORMS[action]
        if bound is not None and bound.prefix == action:
            form = bound  # shown with its errors, whatever else has changed
        else:
            form = form_class(user=user, petition=petition, prefix=action)
            if not form.is_available():
                continue
        forms.append({"action": action, "label": label, "form": form})
    return forms


def _petition_workflow(user: Any, petition: Petition, **extra: Any) -> dict[str, Any]:
    requests = petition_approval_requests(user, petition)
    return {
        "petition": petition,
        "approval_requests": requests,
        "pending_request": any(row["waiting_for"] for row in requests),
        "status_tone": PETITION_TONES.get(petition.status, "gray"),
        "clues": list(selectors.clue_list(user=user).filter(petition=petition)),
        "triage_forms": _triage_forms(user, petition, extra.pop("bound", None)),
        "events": _petition_events(petition),
        **extra,
    }


def _petition_context(request: HtmxHttpRequest, petition: Petition, **extra: Any) -> dict[str, Any]:
    user = request.user
    visible = selectors.petition_list(user=user)
    return {
        **_petition_workflow(user, petition, **extra),
        "domains": list(petition.domains.all()),
        "subject_people": list(petition.subject_people.select_related("registered_org")),
        "subject_orgs": list(petition.subject_orgs.all()),
        "attachments": list(petition.attachments.order_by("pk")),
        "repeat_of_visible": petition.repeat_of_id is not None
        and visible.filter(pk=petition.repeat_of_id).exists(),
        "repeats": list(visible.filter(repeat_of=petition).order_by("received_date", "pk")[:20]),
        "can_view_identity": user.has_perm("clues.view_reporter_identity"),
    }


@login_required
@permission_required("clues.view_petition", raise_exception=True)
@require_GET
def petition_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get(user=request.user, pk=pk)
    return render(request, "clues/petition_detail.html", _petition_context(request, petition))


@login_required
@permission_required(["clues.view_petition", "clues.view_reporter_identity"], raise_exception=True)
@require_POST
def petition_reporter(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """查看举报人信息: reveals the identity through the audited service."""
    petition = selectors.petition_get(user=request.user, pk=pk)
    try:
        identity = services.petition_reveal_reporter(actor=request.user, petition=petition)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    extra = {"revealed": True, "identity": identity}
    if _targets(request, "reporter-panel"):
        context = {"petition": petition, "can_view_identity": True, **extra}
        return render(request, "clues/petition_detail.html#reporter", context)
    return render(
        request, "clues/petition_detail.html", _petition_context(request, petition, **extra)
    )


@login_required
@permission_required(["clues.view_petition", "clues.change_petition"], raise_exception=True)
@require_POST
def petition_triage(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """转为问题线索 / 交办 / 转办 / 存档了结 a pending petition, submitted for approval
    (呈批, ``petition_request_action``); it takes effect when its route approves."""
    if action not in TRIAGE_FORMS:
        raise Http404("未知的办理动作")
    if not _can_triage(request.user, action):
        raise PermissionDenied("没有执行该办理动作的权限")
    petition = selectors.petition_get(user=request.user, pk=pk)
    form = TRIAGE_FORMS[action][1](
        request.POST, user=request.user, petition=petition, prefix=action
    )
    error, success = "", ""
    if form.is_valid():
        try:
            submitted = petition_request_action(
                actor=request.user, petition=petition, action=action, **form.cleaned_data
            )
        except TransitionError as exc:
            error = str(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            # Not about a field (a request already under way): shown above the forms.
            if hasattr(exc, "error_dict"):
                error = "；".join(
                    m
                    for key, msgs in exc.message_dict.items()
                    if key not in form.fields
                    for m in msgs
                )
        else:
            success = f"已呈批：{submitted.summary}（批准后生效）"
    if not success and not error:
        error = f"“{TRIAGE_FORMS[action][0]}”未完成，请按提示修改。"
    petition = selectors.petition_get(user=request.user, pk=pk)
    if not request.htmx:
        if success:
            messages.success(request, success)
            return redirect("clues:petition_detail", pk=petition.pk)
        context = _petition_context(request, petition, bound=form, error=error)
        return render(request, "clues/petition_detail.html", context)
    context = _petition_workflow(
        request.user, petition, bound=None if success else form, error=error, success=success
    )
    return render(
        request, "clues/petition_detail.html#workflow", context, status=422 if error else 200
    )


# --- 问题线索 ----------------------------------------------------------------------


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_GET
def clue_list(request: HtmxHttpRequest) -> HttpResponse:
    form = ClueFilterForm(request.GET, user=request.user)
    qs = selectors.clue_list(user=request.user, filters=form.filters())
    page = paginate_list(
        qs, params=request.GET, sorts=CLUE_SORTS, default_sort="-received", size=PAGE_SIZE
    )
    today = timezone.localdate()
    for clue in page.items:
        clue.status_tone = CLUE_TONES.get(clue.status, "gray")
        clue.is_overdue = _is_overdue(clue, today)
    context = {
        "filter_form": form,
        "page": page,
        "xlsx_url": reverse("clues:clue_export") + _export_query(page),
    }
    if _targets(request, "clue-results"):
        return render(request, "clues/clue_list.html#results", context)
    return render(request, "clues/clue_list.html", context)


def _is_overdue(clue: Clue, today: dt.date) -> bool:
    return clue.status != ClueStatus.CLOSED and clue.due_date is not None and clue.due_date < today


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_GET
def clue_export(request: HtmxHttpRequest) -> HttpResponse:
    form = ClueFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, "筛选条件有误，未导出。请按提示修改后再导出。")
        return redirect(reverse("clues:clue_list") + f"?{request.GET.urlencode()}")
    data = exports.clues_xlsx(
        actor=request.user, filters=form.filters(), description=form.describe()
    )
    return _xlsx_response(data, "问题线索")


@login_required
@permission_required("clues.add_clue", raise_exception=True)
@require_http_methods(["GET", "POST"])
def clue_create(request: HtmxHttpRequest) -> HttpResponse:
    """登记问题线索 received directly (巡察移交, 审计移交, 监督检查, 上级交办 …)."""
    form = ClueForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.clue_create_with_attachments(
                actor=request.user,
                attachments=form.cleaned_data["attachments"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, _rename(exc, {"file": "attachments"}))
        else:
            messages.success(request, f"已登记问题线索 {clue.number}")
            return redirect("clues:clue_detail", pk=clue.pk)
    context = {"form": form, "selected_people": _selected_people(form, "subject_people")}
    return render(request, "clues/clue_form.html", context)


def _clue_events(clue: Clue) -> list[dict[str, Any]]:
    events = []
    for event in selectors.clue_timeline(clue=clue):
        label = event.get_action_display()
        if event.action == ClueAction.RECEIVE:
            title = f"{label}（承办单位：{event.to_org}）" if event.to_org else label
        elif event.action in (ClueAction.DISPOSE, ClueAction.CHANGE_DISPOSAL):
            method = _method_label(event.disposal_method)
            title = f"{label}：{method}" if method else label
        elif event.from_org or event.to_org:
            title = f"{label}：{event.from_org} → {event.to_org}"
        else:
            title = label
        note = f"业务日期：{event.on_date:%Y-%m-%d}"
        if event.note:
            note += f"\n{event.note}"
        events.append(_event(event, title, CLUE_EVENT_TONES, note))
    return events


def _method_label(value: str) -> str:
    try:
        return str(DisposalMethod(value).label)
    except ValueError:
        return value


def _action_forms(user: Any, clue: Clue, bound: Any = None) -> list[dict[str, Any]]:
    """The lifecycle actions legal for this clue now, each with its form; actions with
    nothing to choose (no higher commission in reach …) are left out."""
    items = []
    for action in selectors.clue_next_actions(user=user, clue=clue):
        form_class = CLUE_ACTION_FORMS.get(action)
        if form_class is None:
            continue
        if bound is not None and bound.action == action:
            form = bound  # shown with its errors, whatever else has changed
        else:
            form = form_class(user=user, clue=clue)
            if not form.is_available():
                continue
        items.append({"action": action, "label": ClueAction(action).label, "form": form})
    return items


def _clue_workflow(user: Any, clue: Clue, **extra: Any) -> dict[str, Any]:
    requests = clue_approval_requests(user, clue)
    return {
        "clue": clue,
        "status_tone": CLUE_TONES.get(clue.status, "gray"),
        "is_overdue": _is_overdue(clue, timezone.localdate()),
        "action_forms": _action_forms(user, clue, extra.pop("bound", None)),
        "approval_requests": requests,
        "pending_request": any(row["waiting_for"] for row in requests),
        "events": _clue_events(clue),
        **extra,
    }


def _clue_outcomes(user: Any, clue: Clue, **extra: Any) -> dict[str, Any]:
    can_add = user.has_perm("clues.add_outcome")
    form = extra.pop("outcome_form", None)
    if form is None and can_add:
        form = OutcomeForm(user=user, clue=clue)
    subjects = list(clue.subject_people.all())
    chosen = getattr(form, "cleaned_data", {}).get("person") if form is not None else None
    if chosen is not None and chosen not in subjects:
        subjects.append(chosen)  # found by search: keep it offered when the form comes back
    return {
        "clue": clue,
        "outcomes": list(selectors.clue_outcomes(clue=clue)),
        "outcome_form": form,
        "subjects": subjects,
        "can_add_outcome": can_add,
        "can_archive_outcome": user.has_perm("clues.change_outcome"),
        **extra,
    }


def _clue_context(request: HtmxHttpRequest, clue: Clue, **extra: Any) -> dict[str, Any]:
    user = request.user
    outcome_extra = {k: extra.pop(k) for k in list(extra) if k.startswith("outcome_")}
    return {
        **_clue_outcomes(user, clue, **outcome_extra),
        **_clue_workflow(user, clue, **extra),
        "domains": list(clue.domains.all()),
        "subject_people": list(clue.subject_people.select_related("registered_org")),
        "subject_orgs": list(clue.subject_orgs.all()),
        "attachments": list(clue.attachments.order_by("pk")),
        "petition_visible": clue.petition_id is not None
        and selectors.petition_list(user=user).filter(pk=clue.petition_id).exists(),
        "evidence": evidence_tree(clue.evidence) if clue.evidence else None,
        # Panels of apps above this one (提级 suggestions of a 巡察移交 clue …).
        "panels": detail_panels("clues.clue", request, clue),
    }


@login_required
@permission_required("clues.view_clue", raise_exception=True)
@require_GET
def clue_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get(user=request.user, pk=pk)
    return render(request, "clues/clue_detail.html", _clue_context(request, clue))


@login_required
@permission_required(["clues.view_clue", "clues.change_clue"], raise_exception=True)
@require_POST
def clue_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One lifecycle action (处置, 变更处置方式, 办结, 提级查办, 直查直办, 交办) submitted
    for approval (呈批, ``clue_request_action``); it takes effect when approved. Answers
    with the refreshed actions, pending requests and timeline."""
    clue = selectors.clue_get(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    form = None
    error, success = "", ""
    form_class = CLUE_ACTION_FORMS.get(action)
    if form_class is None:
        error = f"未知的线索办理动作“{action}”"
    else:
        try:
            # Refuse a move the lifecycle does not allow before looking at its fields,
            # so the message names the move rather than a missing field.
            lifecycle.next_clue_status(clue.status, action)
        except TransitionError as exc:
            error = str(exc)
        else:
            form = form_class(request.POST, user=request.user, clue=clue)
            if form.is_valid():
                try:
                    # 呈批: the action takes effect when its route's last step approves.
                    submitted = clue_request_action(
                        actor=request.user, clue=clue, action=action, **form.service_fields()
                    )
                except TransitionError as exc:
                    error = str(exc)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    success = f"已呈批：{submitted.summary}（批准后生效）"
            if not success and not error:
                error = f"“{ClueAction(action).label}”未完成，请按提示修改。"
    clue = selectors.clue_get(user=request.user, pk=pk)
    bound = None if success else form
    if not request.htmx:
        if success:
            messages.success(request, success)
            return redirect("clues:clue_detail", pk=clue.pk)
        context = _clue_context(request, clue, bound=bound, error=error)
        return render(request, "clues/clue_detail.html", context)
    context = _clue_workflow(request.user, clue, bound=bound, error=error, success=success)
    return render(request, "clues/clue_detail.html#workflow", context, status=422 if error else 200)


@login_required
@permission_required(["clues.view_clue", "clues.add_outcome"], raise_exception=True)
@require_POST
def outcome_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """录入处理结果 for one person on the clue."""
    clue = selectors.clue_get(user=request.user, pk=pk)
    form = OutcomeForm(request.POST, user=request.user, clue=clue)
    success = ""
    if form.is_valid():
        try:
            outcome = services.outcome_record(
                actor=request.user, clue=clue, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            success = f"已录入{outcome.subject_name}的处理结果"
    if not request.htmx:
        if success:
            messages.success(request, success)
            return redirect(reverse("clues:clue_detail", args=[clue.pk]) + "#outcomes")
        context = _clue_context(request, clue, outcome_form=form)
        return render(request, "clues/clue_detail.html", context)
    context = _clue_outcomes(
        request.user,
        clue,
        outcome_form=None if success else form,
        outcome_success=success,
        outcome_open=not success,
    )
    return render(
        request, "clues/clue_detail.html#outcomes", context, status=200 if success else 422
    )


@login_required
@permission_required(["clues.view_clue", "clues.add_outcome"], raise_exception=True)
@require_GET
def outcome_kind_fields(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The 处理方式 (and 责任类型 for 问责) that go with the chosen 处理类别."""
    clue = selectors.clue_get(user=request.user, pk=pk)
    kind = request.GET.get("outcome-kind", "")
    form = OutcomeForm(user=request.user, clue=clue, initial={"kind": kind})
    return render(request, "clues/clue_detail.html#kind_fields", {"outcome_form": form})


@login_required
@permission_required(["clues.view_clue", "clues.change_outcome"], raise_exception=True)
@require_POST
def outcome_archive(request: HtmxHttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    """撤销 a wrongly recorded outcome (kept, struck through, with the reason)."""
    clue = selectors.clue_get(user=request.user, pk=pk)
    outcome = get_or_404(selectors.clue_outcomes(clue=clue), pk=outcome_pk)
    form = OutcomeArchiveForm(request.POST)
    error, success = "", ""
    if form.is_valid():
        try:
            services.outcome_archive(
                actor=request.user, outcome=outcome, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            success = f"已撤销{outcome.subject_name}的处理结果"
    else:
        error = "撤销须填写原因"
    if not request.htmx:
        if success:
            messages.success(request, success)
        else:
            messages.error(request, error)
        return redirect(reverse("clues:clue_detail", args=[clue.pk]) + "#outcomes")
    context = _clue_outcomes(request.user, clue, outcome_error=error, outcome_success=success)
    return render(request, "clues/clue_detail.html#outcomes", context, status=422 if error else 200)


def evidence_tree(value: Any) -> dict[str, Any]:
    """Comparison evidence (any JSON) as nested tables for the page. Anything shaped like
    a valid ID number is shown masked: evidence is not a way around the ID protection."""
    if isinstance(value, dict):
        return {"kind": "pairs", "items": [(str(k), evidence_tree(v)) for k, v in value.items()]}
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            headers: list[str] = []
            for item in value:
                headers.extend(str(k) for k in item if str(k) not in headers)
            rows = [[evidence_tree(item.get(h, "")) for h in headers] for item in value]
            return {"kind": "table", "headers": headers, "rows": rows}
        return {"kind": "list", "items": [evidence_tree(item) for item in value]}
    if value is None:
        return {"kind": "text", "value": ""}
    if isinstance(value, bool):
        return {"kind": "text", "value": "是" if value else "否"}
    text = str(value)
    if len(text) == 18 and idnumbers.is_valid(text):
        text = idnumbers.mask(text)
    return {"kind": "text", "value": text}


# --- 通报曝光 ----------------------------------------------------------------------


@login_required
@permission_required("clues.view_exposurebatch", raise_exception=True)
@require_GET
def exposure_list(request: HtmxHttpRequest) -> HttpResponse:
    qs = selectors.exposure_list(user=request.user).prefetch_related("domains")
    page = paginate_list(
        qs, params=request.GET, sorts=EXPOSURE_SORTS, default_sort="-published", size=PAGE_SIZE
    )
    context = {"page": page}
    if _targets(request, "exposure-results"):
        return render(request, "clues/exposure_list.html#results", context)
    return render(request, "clues/exposure_list.html", context)


@login_required
@permission_required("clues.view_exposurebatch", raise_exception=True)
@require_GET
def exposure_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    batch = selectors.exposure_get(user=request.user, pk=pk)
    cases = list(selectors.exposure_cases(batch=batch))
    visible_clues = set(
        selectors.clue_list(user=request.user)
        .filter(pk__in=[c.clue_id for c in cases if c.clue_id])
        .values_list("pk", flat=True)
    )
    context = {
        "batch": batch,
        "cases": cases,
        "visible_clues": visible_clues,
        "domains": list(batch.domains.all()),
        "person_count": sum(len(case.persons.all()) for case in cases),
    }
    return render(request, "clues/exposure_detail.html", context)


@login_required
@permission_required("clues.add_exposurebatch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exposure_create(request: HtmxHttpRequest) -> HttpResponse:
    form = ExposureBatchForm(request.POST or None)
    formset = ExposureCaseFormSet(request.POST or None, user=request.user, prefix="cases")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            batch = services.exposure_batch_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                published_on=form.cleaned_data["published_on"],
                medium=form.cleaned_data["medium"],
                domains=list(form.cleaned_data["domains"]),
                cases=formset.cases(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已发布通报曝光“{batch.title}”")
            return redirect("clues:exposure_detail", pk=batch.pk)
    rows = [
        {"form": case_form, "people": _selected_people(case_form, "persons"), "number": i + 1}
        for i, case_form in enumerate(formset.forms)
    ]
    context = {"form": form, "formset": formset, "rows": rows}
    return render(request, "clues/exposure_form.html", context)


@login_required
@permission_required("clues.add_exposurebatch", raise_exception=True)
@require_GET
def exposure_case_row(request: HtmxHttpRequest) -> HttpResponse:
    """One more empty case row for the 通报曝光 form (htmx), with the formset's count."""
    index = request.GET.get("index", "")
    if not index.isdigit() or int(index) >= ExposureCaseFormSet.absolute_max:
        raise Http404("案例行号无效")
    formset = ExposureCaseFormSet(user=request.user, prefix="cases")
    form = formset.form(
        user=request.user,
        prefix=formset.add_prefix(int(index)),
        empty_permitted=True,
        use_required_attribute=False,
    )
    context = {
        "row": {"form": form, "people": [], "number": int(index) + 1},
        "next_index": int(index) + 1,
        "oob": True,
    }
    return render(request, "clues/exposure_form.html#case_row", context)


# --- people picker and attachments ------------------------------------------------


def _selected_people(form: Any, field: str) -> list[Any]:
    """People already chosen in a (bound) picker field, for its chips."""
    if not form.is_bound:
        return []
    ids = [i for i in map(parse_id, form.data.getlist(form.add_prefix(field))) if i]
    if not ids:
        return []
    return list(form.fields[field].queryset.filter(pk__in=ids))


def _picker_field(request: HtmxHttpRequest) -> str:
    field = request.GET.get("field", "")
    if not PICKER_FIELD.match(field):
        raise Http404("无效的字段")
    return field


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_GET
@answers_429
def person_search(request: HtmxHttpRequest) -> HttpResponse:
    """Find people by name or full ID number (via the blind index; numbers are never
    shown in full) for a picker."""
    field = _picker_field(request)
    person_lookup_check(request.user)
    query = request.GET.get("q", "").strip()
    chosen = [i for i in map(parse_id, request.GET.getlist(field)) if i]
    people: list[Any] = []
    if query:
        people = list(
            person_list(user=request.user, query=query).exclude(pk__in=chosen)[:PERSON_SEARCH_LIMIT]
        )
    context = {
        "people": people,
        "field": field,
        "query": query,
        "single": request.GET.get("mode") == "single",
    }
    return render(request, "clues/person_picker.html#results", context)


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_GET
@answers_429
def person_chip(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    field = _picker_field(request)
    person = person_get(user=request.user, pk=pk)
    return render(request, "clues/person_picker.html#chip", {"person": person, "field": field})


@login_required
@require_GET
def attachment_download(request: HtmxHttpRequest, pk: int) -> FileResponse:
    """An attachment of a petition or clue within the jurisdiction (404 otherwise)."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    perm = "clues.view_petition" if attachment.petition_id else "clues.view_clue"
    if not request.user.has_perm(perm):
        raise PermissionDenied("没有查看该附件的权限")
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


def _rename(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service error with some field names mapped onto the form's names."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.message_dict.items()}
    )
