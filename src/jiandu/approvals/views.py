"""Pages of 呈批: 待我审批, the requests I drafted, one request with its route."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.approvals import registry, selectors, services
from jiandu.approvals.choices import RequestStatus, SignerRole
from jiandu.approvals.forms import (
    ResubmitForm,
    RouteArchiveForm,
    RouteForm,
    SignForm,
    WithdrawForm,
)
from jiandu.approvals.models import ApprovalRequest, ApprovalRoute
from jiandu.orgs.models import Org

VIEW = "approvals.view_approvalrequest"


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """待我审批 first, then every request in reach (filtered by 状态)."""
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    qs = selectors.request_list(user=request.user, status=status)
    rows = list(qs[:200])
    awaiting = selectors.requests_awaiting(user=request.user)
    for row in [*rows, *awaiting]:
        row.kind_label = registry.label(row.kind)  # type: ignore[attr-defined]
    return render(
        request,
        "approvals/request_list.html",
        {
            "awaiting": awaiting,
            "requests": rows,
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


def _context(user: Any, req: ApprovalRequest, **extra: Any) -> dict[str, Any]:
    step = services.current_step(req)
    can_sign = step is not None and services.may_sign(user, req, step)
    kind = registry.get(req.kind)
    return {
        "req": req,
        "kind": kind,
        "rows": kind.describe(req.payload),
        "target_url": kind.url(req.target_id),
        "source": registry.describe_source(user, req.source),
        "steps": selectors.request_steps(request=req),
        "current": step,
        # Who may sign the waiting step; none at all (nobody active in the unit holds the
        # role) reads “暂无签批人”, so a stuck request shows.
        "current_signers": selectors.step_signers(request=req, step=step) if step else [],
        "can_sign": can_sign,
        "sign_form": extra.pop("sign_form", None) or (SignForm() if can_sign else None),
        "is_drafter": user.pk == req.drafted_by_id,
        "can_withdraw": user.pk == req.drafted_by_id
        and req.status in (RequestStatus.PENDING, RequestStatus.RETURNED),
        "can_resubmit": user.pk == req.drafted_by_id and req.status == RequestStatus.RETURNED,
        "resubmit_form": extra.pop("resubmit_form", None) or ResubmitForm(),
        "withdraw_form": WithdrawForm(),
        **extra,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(user=request.user, pk=pk)
    return render(request, "approvals/request_detail.html", _context(request.user, req))


def _error_text(exc: ValidationError) -> str:
    return "；".join(m for msgs in exc.message_dict.values() for m in msgs)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def request_sign(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(user=request.user, pk=pk)
    form = SignForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.request_sign(
                actor=request.user,
                request=req,
                approve=form.cleaned_data["decision"] == "approve",
                opinion=form.cleaned_data["opinion"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            req.refresh_from_db()
            messages.success(request, f"已签批：{req.get_status_display()}")
            return redirect("approvals:request_detail", pk=req.pk)
    req = selectors.request_get(user=request.user, pk=pk)
    context = _context(request.user, req, sign_form=form, error=error or "请按提示修改。")
    return render(request, "approvals/request_detail.html", context, status=422)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.request_withdraw(actor=request.user, request=req, reason=reason)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已撤回")
    return redirect("approvals:request_detail", pk=req.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def request_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(user=request.user, pk=pk)
    form = ResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.request_resubmit(
                actor=request.user, request=req, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已重新呈批")
        return redirect("approvals:request_detail", pk=req.pk)
    context = _context(request.user, req, resubmit_form=form, error="请填写修改情况。")
    return render(request, "approvals/request_detail.html", context, status=422)


def _route_orgs(user: Any) -> tuple[Org, list[Org]]:
    """The signer's commission and its 内设机构: the orgs whose routes the page sets."""
    if user.org is None:
        raise PermissionDenied("账号未设置单位")
    commission = services.commission_of(user.org)
    return commission, [commission, *services.commission_offices(commission)]


@login_required
@permission_required("approvals.manage_route", raise_exception=True)
@require_http_methods(["GET", "POST"])
def route_list(request: HttpRequest) -> HttpResponse:
    """审批流程 of the signer's commission or one of its offices (``?org=``), one row per
    呈批事项 with the steps in effect and where they come from (the office's own →
    the commission's → the shipped default), and the form to set the org's own route.
    An org outside the commission is not there (404)."""
    user: Any = request.user
    commission, orgs = _route_orgs(user)
    by_id = {o.pk: o for o in orgs}
    raw = request.GET.get("org", "")
    if raw:
        if not raw.isdigit() or int(raw) not in by_id:
            raise Http404("没有该单位")
        org = by_id[int(raw)]
    else:
        org = commission
    kinds = [(k.key, k.label) for k in registry.kinds()]
    form = RouteForm(request.POST or None, kinds=kinds)
    here = reverse("approvals:route_list") + (f"?org={org.pk}" if org != commission else "")
    if request.method == "POST" and form.is_valid():
        order = [role for role, _label in SignerRole.choices]
        steps = sorted(form.cleaned_data["steps"], key=order.index)
        try:
            services.route_set(actor=user, org=org, kind=form.cleaned_data["kind"], steps=steps)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"已设置{org}的审批流程（在途的呈批件不受影响）")
            return redirect(here)
    rows = []
    for key, label in kinds:
        roles, route = services.route_steps(org=org, kind=key)
        rows.append(
            {
                "label": label,
                "steps": " → ".join(str(SignerRole(r).label) for r in roles),
                "source": services.route_source(org=org, route=route),
                "own": route is not None and route.org_id == org.pk,
                "route": route,
            }
        )
    own_counts = dict(
        ApprovalRoute.objects.filter(org_id__in=list(by_id), archived_at__isnull=True)
        .values_list("org_id")
        .annotate(n=Count("pk"))
    )
    context = {
        "commission": commission,
        "org": org,
        "is_office": org != commission,
        "orgs": [{"org": o, "own": own_counts.get(o.pk, 0)} for o in orgs],
        "rows": rows,
        "form": form,
        "here": here,
    }
    return render(request, "approvals/route_list.html", context)


@login_required
@permission_required("approvals.manage_route", raise_exception=True)
@require_POST
def route_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """取消单独设置: archive an org's own route; the org then follows its commission's
    route (or the default)."""
    user: Any = request.user
    commission, orgs = _route_orgs(user)
    route = get_object_or_404(
        ApprovalRoute, pk=pk, archived_at__isnull=True, org_id__in=[o.pk for o in orgs]
    )
    form = RouteArchiveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.route_archive(actor=user, route=route, reason=reason)
    messages.success(request, f"已归档{route.org}的“{registry.label(route.kind)}”审批流程")
    url = reverse("approvals:route_list")
    return redirect(url if route.org_id == commission.pk else f"{url}?org={route.org_id}")
