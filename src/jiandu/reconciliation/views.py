"""Pages of 零报告 detection, 对账销账 and the 质询会, for 党风政风监督室 (统计分析) and,
read-only, 领导查阅. Views stay thin: a permission check, a selector (404 outside the
jurisdiction), a form, one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.access import get_or_404
from jiandu.core.hooks import agenda_sources
from jiandu.core.pagination import keyset_paginate
from jiandu.core.tasks import task_submit
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem
from jiandu.reconciliation import selectors, services
from jiandu.reconciliation.choices import (
    EvidenceKind,
    FlagStatus,
    InquiryStatus,
    ReconciliationAction,
    ReconciliationStatus,
)
from jiandu.reconciliation.forms import (
    DetectForm,
    GapAccountabilityForm,
    InquiryForm,
    InquiryOrgForm,
    LedgerSelectForm,
    MarkForm,
    MoveForm,
    PairForm,
    ReasonForm,
    RuleForm,
    SuperviseForm,
    add_service_errors,
    current_period_key,
)
from jiandu.reconciliation.lifecycle import TransitionError
from jiandu.reconciliation.models import InquiryItem, InquiryRecordItem, LedgerPair
from jiandu.reconciliation.periods import Period, period_parse, recent_periods
from jiandu.reconciliation.tasks import ZERO_REPORT_TASK

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- 零报告 ---------------------------------------------------------------------------


@login_required
@permission_required("reconciliation.view_zeroreportflag", raise_exception=True)
@require_GET
def flag_list(request: HttpRequest) -> HttpResponse:
    period_key = request.GET.get("period", "").strip().upper()
    status = request.GET.get("status", "")
    if status not in FlagStatus.values:
        status = ""
    qs = selectors.zero_report_flag_list(user=request.user, period_key=period_key, status=status)
    page = keyset_paginate(
        qs,
        after=request.GET.get("after"),
        size=PAGE_SIZE,
        date_field="period_start",
        query=request.GET,
    )
    return render(
        request,
        "reconciliation/flag_list.html",
        {
            "page": page,
            "period_key": period_key,
            "status": status,
            "statuses": FlagStatus.choices,
            "periods": recent_periods(_today()),
            "detect_form": DetectForm(user=request.user),
            "rule": services.zero_report_rule_current(),
        },
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
@permission_required("reconciliation.detect_zeroreport", raise_exception=True)
@require_POST
def flag_detect(request: HttpRequest) -> HttpResponse:
    """Start the detection over a period as a background task (its page shows the
    result)."""
    form = DetectForm(request.POST, user=request.user)
    if form.is_valid():
        within = form.cleaned_data["within"]
        task = task_submit(
            actor=request.user,
            kind=ZERO_REPORT_TASK,
            params={
                "period": form.cleaned_data["period"].key,
                "within": within.pk if within else None,
            },
        )
        messages.success(request, f"已开始检测{form.cleaned_data['period'].label}的零报告")
        return redirect("core:task_detail", pk=task.pk)
    qs = selectors.zero_report_flag_list(user=request.user)
    page = keyset_paginate(qs, after=None, size=PAGE_SIZE, date_field="period_start")
    context = {
        "page": page,
        "statuses": FlagStatus.choices,
        "periods": recent_periods(_today()),
        "detect_form": form,
        "rule": services.zero_report_rule_current(),
    }
    return render(request, "reconciliation/flag_list.html", context, status=422)


def _flag_context(request: HttpRequest, flag: Any, **extra: Any) -> dict[str, Any]:
    evidence = selectors.zero_report_evidence(user=request.user, flag=flag)
    return {
        "flag": flag,
        "sections": [
            {
                "key": EvidenceKind.SELF_FOUND,
                "label": "自查自纠问题",
                "count": flag.self_found_count,
                "rows": evidence[EvidenceKind.SELF_FOUND],
            },
            {
                "key": EvidenceKind.OTHER_PROBLEM,
                "label": "其他来源问题",
                "count": flag.other_problem_count,
                "rows": evidence[EvidenceKind.OTHER_PROBLEM],
            },
            {
                "key": EvidenceKind.PETITION,
                "label": "反映该单位的信访举报",
                "count": flag.petition_count,
                "rows": evidence[EvidenceKind.PETITION],
            },
        ],
        "supervise_form": extra.pop("supervise_form", None) or SuperviseForm(),
        **extra,
    }


@login_required
@permission_required("reconciliation.view_zeroreportflag", raise_exception=True)
@require_GET
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.zero_report_flag_get(user=request.user, pk=pk)
    return render(request, "reconciliation/flag_detail.html", _flag_context(request, flag))


@login_required
@permission_required("reconciliation.detect_zeroreport", raise_exception=True)
@require_POST
def flag_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.zero_report_flag_get(user=request.user, pk=pk)
    form = SuperviseForm(request.POST)
    if form.is_valid():
        try:
            services.zero_report_flag_supervise(
                actor=request.user,
                flag=flag,
                supervised_on=form.cleaned_data["supervised_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已登记专项督导")
            return redirect("reconciliation:flag_detail", pk=flag.pk)
    context = _flag_context(request, flag, supervise_form=form)
    return render(request, "reconciliation/flag_detail.html", context, status=422)


def _rule_context(**extra: Any) -> dict[str, Any]:
    rules = selectors.zero_report_rules()
    current = services.zero_report_rule_current()
    form = extra.pop("form", None) or RuleForm(
        initial={
            "zero_min_other": current.zero_min_other,
            "share_percent": (current.share_threshold * 100).normalize(),
            "share_min_other": current.share_min_other,
            "basis": current.basis,
        }
    )
    return {
        "current": current,
        "history": [r for r in rules if r.archived_at is not None],
        "form": form,
        **extra,
    }


@login_required
@permission_required("reconciliation.view_zeroreportflag", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rule_page(request: HttpRequest) -> HttpResponse:
    """The rule in force, its history and (for those allowed) the form of a new
    version."""
    if request.method == "GET":
        return render(request, "reconciliation/rule.html", _rule_context())
    if not request.user.has_perm("reconciliation.change_zeroreportrule"):
        raise PermissionDenied("没有修改零报告规则的权限")
    form = RuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.zero_report_rule_set(
                actor=request.user,
                zero_min_other=data["zero_min_other"],
                share_threshold=data["share_percent"] / 100,
                share_min_other=data["share_min_other"],
                basis=data["basis"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已修改零报告规则：{rule.describe}")
            return redirect("reconciliation:rule")
    return render(request, "reconciliation/rule.html", _rule_context(form=form), status=422)


# --- 对账销账 --------------------------------------------------------------------------


def _ledger_url(org: Org, period: Period, anchor: str = "") -> str:
    query = urlencode({"org": str(org.pk), "period": period.key})
    return f"{reverse('reconciliation:ledger')}?{query}{anchor}"


def _gap_choices(ids: list[int]) -> Any:
    return Problem.objects.filter(pk__in=ids).select_related("category").order_by("found_on", "pk")


def _ledger_context(request: HttpRequest, org: Org, period: Period, **extra: Any) -> dict[str, Any]:
    user = request.user
    reconciliation = selectors.reconciliation_for(user=user, org=org, period=period)
    books = selectors.ledgers(org=org, period=period, reconciliation=reconciliation)
    paired_self = {p.self_problem_id for p in books.pairs}
    free_self = (
        Problem.objects.filter(org=org, source__is_self_found=True, found_on__lte=period.end)
        .exclude(pk__in=paired_self)
        .select_related("category")
        .order_by("-found_on", "-pk")
    )
    gap_ids = [p.pk for p in books.gaps]
    pair_form = extra.pop("pair_form", None) or PairForm(
        self_choices=free_self,
        other_choices=Problem.objects.filter(pk__in=gap_ids).select_related("category"),
    )
    unaccounted = [p.pk for p in books.gaps if p.accountability is None]  # type: ignore[attr-defined]
    accountability_form = extra.pop("accountability_form", None)
    if accountability_form is None and unaccounted:
        accountability_form = GapAccountabilityForm(
            gaps=_gap_choices(unaccounted),
            people=selectors.unit_people(org),
            principal=selectors.unit_principal(org),
        )
    can_change = user.has_perm("reconciliation.change_reconciliation")
    is_open = reconciliation is None or reconciliation.status == ReconciliationStatus.OPEN
    return {
        "org": org,
        "period": period,
        "reconciliation": reconciliation,
        "books": books,
        "counts": books.counts,
        "select_form": LedgerSelectForm(initial={"org": org.pk, "period": period.key}, user=user),
        "pair_form": pair_form,
        "accountability_form": accountability_form,
        "can_change": can_change and is_open,
        "can_account": is_open and user.has_perm("reconciliation.add_gapaccountability"),
        "can_move": can_change and reconciliation is not None,
        "events": list(reconciliation.events.select_related("actor")) if reconciliation else [],
        "error": extra.pop("error", ""),
        **extra,
    }


@login_required
@permission_required("reconciliation.view_reconciliation", raise_exception=True)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """A unit's three ledgers for a period: 自查台账, 被查台账, 差额清单."""
    if "org" not in request.GET:
        form = LedgerSelectForm(user=request.user, initial={"period": current_period_key()})
        recent = selectors.reconciliation_list(user=request.user).order_by("-updated_at")[:20]
        return render(
            request, "reconciliation/ledger_index.html", {"select_form": form, "recent": recent}
        )
    form = LedgerSelectForm(request.GET, user=request.user)
    if not form.is_valid():
        if "org" in form.errors:
            raise Http404("记录不存在")
        return render(
            request,
            "reconciliation/ledger_index.html",
            {"select_form": form, "recent": []},
            status=422,
        )
    org, period = form.cleaned_data["org"], form.cleaned_data["period"]
    return render(request, "reconciliation/ledger.html", _ledger_context(request, org, period))


def _ledger_target(request: HttpRequest) -> tuple[Org, Period]:
    """The unit and period a ledger write names (404 outside the jurisdiction)."""
    units = services.scope_units(actor=request.user)
    org = get_or_404(units, pk=request.POST.get("org", ""))
    try:
        period = period_parse(request.POST.get("period", ""))
    except ValidationError as exc:
        raise Http404("期间无效") from exc
    return org, period


@login_required
@permission_required("reconciliation.change_reconciliation", raise_exception=True)
@require_POST
def ledger_match(request: HttpRequest) -> HttpResponse:
    """对账: open the unit's reconciliation of the period and pair automatically."""
    org, period = _ledger_target(request)
    try:
        reconciliation = services.reconciliation_open(actor=request.user, org=org, period=period)
        created = services.reconciliation_match(actor=request.user, reconciliation=reconciliation)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"自动对账完成：新配对{len(created)}组")
    return redirect(_ledger_url(org, period))


@login_required
@permission_required("reconciliation.change_reconciliation", raise_exception=True)
@require_POST
def ledger_pair(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = selectors.reconciliation_get(user=request.user, pk=pk)
    org, period = reconciliation.org, period_parse(reconciliation.period_key)
    units = Problem.objects.filter(org=org)
    form = PairForm(request.POST, self_choices=units, other_choices=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_pair(
                actor=request.user,
                reconciliation=reconciliation,
                self_problem=data["self_problem"],
                other_problem=data["other_problem"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已人工配对")
            return redirect(_ledger_url(org, period, "#pairs"))
    context = _ledger_context(request, org, period, pair_form=form)
    return render(request, "reconciliation/ledger.html", context, status=422)


@login_required
@permission_required("reconciliation.change_reconciliation", raise_exception=True)
@require_POST
def ledger_unpair(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.reconciliation_list(user=request.user).values("pk")
    pair = get_or_404(LedgerPair.objects.filter(reconciliation__in=visible), pk=pk)
    reconciliation = pair.reconciliation
    org, period = reconciliation.org, period_parse(reconciliation.period_key)
    form = ReasonForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.ledger_unpair(
                actor=request.user, pair=pair, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, TransitionError) as exc:
            error = "；".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, "已解除配对，被查问题回到差额清单")
            return redirect(_ledger_url(org, period, "#gaps"))
    else:
        error = "解除配对须填写理由"
    context = _ledger_context(request, org, period, error=error)
    return render(request, "reconciliation/ledger.html", context, status=422)


@login_required
@permission_required("reconciliation.add_gapaccountability", raise_exception=True)
@require_POST
def gap_accountability(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = selectors.reconciliation_get(user=request.user, pk=pk)
    org, period = reconciliation.org, period_parse(reconciliation.period_key)
    gaps = services.gap_problems(reconciliation).filter(gap_accountability__isnull=True)
    form = GapAccountabilityForm(
        request.POST,
        gaps=_gap_choices(list(gaps.values_list("pk", flat=True))),
        people=selectors.unit_people(org),
    )
    if form.is_valid():
        data = form.cleaned_data
        problem = data["problem"]
        try:
            services.gap_accountability_record(
                actor=request.user,
                reconciliation=reconciliation,
                problem=problem,
                supervising_leader=data["supervising_leader"],
                principal=data["principal"],
                form=data["form"],
                decided_on=data["decided_on"],
                decision=data["decision"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记{problem.number}的被动整改问责")
            return redirect(_ledger_url(org, period, "#gaps"))
    context = _ledger_context(request, org, period, accountability_form=form)
    return render(request, "reconciliation/ledger.html", context, status=422)


@login_required
@permission_required("reconciliation.change_reconciliation", raise_exception=True)
@require_POST
def ledger_move(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = selectors.reconciliation_get(user=request.user, pk=pk)
    org, period = reconciliation.org, period_parse(reconciliation.period_key)
    form = MoveForm(request.POST)
    error = "请求无效"
    if form.is_valid() and form.cleaned_data["action"] in ReconciliationAction.values:
        action = form.cleaned_data["action"]
        try:
            services.reconciliation_move(
                actor=request.user,
                reconciliation=reconciliation,
                action=action,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, TransitionError) as exc:
            error = "；".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, f"已{ReconciliationAction(action).label}")
            return redirect(_ledger_url(org, period))
    context = _ledger_context(request, org, period, error=error)
    return render(request, "reconciliation/ledger.html", context, status=422)


# --- 质询会 ---------------------------------------------------------------------------


@login_required
@permission_required("reconciliation.view_inquirymeeting", raise_exception=True)
@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.inquiry_list(user=request.user)
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="held_on", query=request.GET
    )
    return render(request, "reconciliation/inquiry_list.html", {"page": page})


def _inquiry_problems(org: Org) -> Any:
    return (
        Problem.objects.filter(org=org)
        .select_related("source", "rectification")
        .order_by("-found_on", "-pk")[:200]
    )


@login_required
@permission_required("reconciliation.add_inquirymeeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest) -> HttpResponse:
    """Choose the unit (``?org=``), then the problems and the meeting's facts."""
    org_form = InquiryOrgForm(request.GET or None, user=request.user)
    if not org_form.is_valid():
        return render(request, "reconciliation/inquiry_form.html", {"org_form": org_form})
    org = org_form.cleaned_data["org"]
    problems = (
        Problem.objects.filter(pk__in=[p.pk for p in _inquiry_problems(org)])
        .select_related("source", "rectification")
        .order_by("-found_on", "-pk")
    )
    records = [r for source in agenda_sources() for r in source.records_for(request.user, org.pk)]
    form = InquiryForm(
        request.POST or None, user=request.user, org=org, problems=problems, records=records
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.inquiry_create(
                actor=request.user,
                title=data["title"],
                org=org,
                convening_org=data["convening_org"],
                held_on=data["held_on"],
                place=data["place"],
                chair=data["chair"],
                participants=data["participants"],
                requirements=data["requirements"],
                problems=list(data["problems"]),
                records=form.chosen_records(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已建立{meeting.title}")
            return redirect("reconciliation:inquiry_detail", pk=meeting.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "reconciliation/inquiry_form.html",
        {"org_form": org_form, "org": org, "form": form},
        status=status,
    )


def _inquiry_context(request: HttpRequest, meeting: Any, **extra: Any) -> dict[str, Any]:
    items = selectors.inquiry_items(meeting)
    bound = extra.pop("bound", None)
    for item in items:
        if bound is not None and bound[0] == item.pk:
            item.form = bound[1]
        else:
            item.form = MarkForm(
                initial={"decision": item.decision, "text": item.decision_text},
                auto_id=f"id_item{item.pk}_%s",
            )
    record_items = list(meeting.record_items.select_related("decided_by").order_by("order"))
    for record in record_items:
        if bound is not None and bound[0] == ("record", record.pk):
            record.form = bound[1]
        else:
            record.form = MarkForm(
                initial={"decision": record.decision, "text": record.decision_text},
                auto_id=f"id_record{record.pk}_%s",
            )
    marked = [*items, *record_items]
    counts = {label: sum(1 for i in marked if i.get_decision_display() == label)
              for label in ("交账", "销账", "清账")}  # fmt: skip
    user = request.user
    can_change = user.has_perm("reconciliation.change_inquirymeeting")
    return {
        "meeting": meeting,
        "items": items,
        "counts": counts,
        "record_items": record_items,
        "unmarked": sum(1 for i in marked if not i.decision),
        "can_hold": can_change and meeting.status == InquiryStatus.PLANNED,
        "can_mark": can_change and meeting.status == InquiryStatus.HELD,
        "can_issue": can_change
        and meeting.status == InquiryStatus.HELD
        and user.has_perm("documents.add_document"),
        "minutes": selectors.inquiry_minutes(meeting),
        "error": extra.pop("error", ""),
        **extra,
    }


@login_required
@permission_required("reconciliation.view_inquirymeeting", raise_exception=True)
@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.inquiry_get(user=request.user, pk=pk)
    return render(request, "reconciliation/inquiry_detail.html", _inquiry_context(request, meeting))


@login_required
@permission_required("reconciliation.change_inquirymeeting", raise_exception=True)
@require_POST
def inquiry_hold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.inquiry_get(user=request.user, pk=pk)
    try:
        services.inquiry_hold(actor=request.user, meeting=meeting)
    except TransitionError as exc:
        context = _inquiry_context(request, meeting, error=str(exc))
        return render(request, "reconciliation/inquiry_detail.html", context, status=422)
    messages.success(request, "已登记会议召开，可逐项标记交账、销账、清账")
    return redirect("reconciliation:inquiry_detail", pk=meeting.pk)


@login_required
@permission_required("reconciliation.change_inquirymeeting", raise_exception=True)
@require_POST
def inquiry_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """交账 / 销账 / 清账 of a problem on the agenda."""
    return _mark(request, pk, InquiryItem, services.inquiry_item_mark, anchor="item")


@login_required
@permission_required("reconciliation.change_inquirymeeting", raise_exception=True)
@permission_required("documents.add_document", raise_exception=True)
@require_POST
def inquiry_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.inquiry_get(user=request.user, pk=pk)
    try:
        document = services.inquiry_minutes_issue(actor=request.user, meeting=meeting)
    except (ValidationError, TransitionError) as exc:
        error = "；".join(getattr(exc, "messages", [str(exc)]))
        context = _inquiry_context(request, meeting, error=error)
        return render(request, "reconciliation/inquiry_detail.html", context, status=422)
    messages.success(request, f"已印发纪要：{document.number}")
    return redirect("reconciliation:inquiry_detail", pk=meeting.pk)


@login_required
@permission_required("reconciliation.view_inquirymeeting", raise_exception=True)
@require_GET
def inquiry_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.inquiry_get(user=request.user, pk=pk)
    data = services.inquiry_agenda_docx(actor=request.user, meeting=meeting)
    response = HttpResponse(data, content_type=DOCX)
    name = f"质询会议程_{meeting.org.name}_{meeting.held_on:%Y%m%d}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@login_required
@permission_required("reconciliation.change_inquirymeeting", raise_exception=True)
@require_POST
def inquiry_record_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """交账 / 销账 / 清账 of a 三本账 row (or another app's record) on the agenda."""
    return _mark(request, pk, InquiryRecordItem, services.inquiry_record_mark, anchor="record")


def _mark(request: HttpRequest, pk: int, model: Any, mark: Any, *, anchor: str) -> HttpResponse:
    """Mark one agenda line (a problem, or another app's record) through its service; a line
    of a meeting outside the user's jurisdiction does not exist."""
    visible = selectors.inquiry_list(user=request.user).values("pk")
    item = get_or_404(model.objects.filter(meeting__in=visible), pk=pk)
    meeting = selectors.inquiry_get(user=request.user, pk=item.meeting_id)
    form = MarkForm(request.POST, auto_id=f"id_{anchor}{item.pk}_%s")
    if form.is_valid():
        try:
            mark(
                actor=request.user,
                item=item,
                decision=form.cleaned_data["decision"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已标记")
            url = reverse("reconciliation:inquiry_detail", args=[meeting.pk])
            return redirect(f"{url}#{anchor}-{item.pk}")
    bound_key = item.pk if anchor == "item" else (anchor, item.pk)
    context = _inquiry_context(request, meeting, bound=(bound_key, form))
    return render(request, "reconciliation/inquiry_detail.html", context, status=422)
