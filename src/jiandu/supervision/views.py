"""Pages of the 督导 campaigns: the list and set-up (党风政风监督室, 案管室), a campaign's
overview with the four counts per unit (each opening exactly its items), the 督导组 and
督导检查 with their findings, a unit's "5+2" lists (filled on the page or from the .xlsx
template) and the 整改警示卡.

Views stay thin: a permission check, a selector (404 outside the jurisdiction), a form,
one service call.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.contenttypes import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from jiandu.core.pagination import keyset_paginate
from jiandu.documents.services import document_file_read
from jiandu.orgs.models import Org
from jiandu.oversight.forms import uploads
from jiandu.oversight.lifecycle import TransitionError
from jiandu.oversight.selectors import STAGE_FILTERS, annotate_due
from jiandu.supervision import selectors, services
from jiandu.supervision.forms import (
    CampaignForm,
    EntryFormSet,
    FindingForm,
    InspectionForm,
    ListUploadForm,
    TeamForm,
    add_service_errors,
)
from jiandu.supervision.models import Campaign, ListKind

PAGE_SIZE = 50
VIEW = "supervision.view_campaign"


def _manage_or_403(user: Any, campaign: Campaign) -> None:
    if not selectors.may_manage(user, campaign):
        raise PermissionDenied("只有组织本次督导的纪委监委可以办理")


def _counts_url(campaign: Campaign, org_id: int | None, stage: str) -> str:
    url = reverse("supervision:campaign_problems", args=[campaign.pk])
    params = [f"stage={stage}"] if stage else []
    if org_id:
        params.append(f"org={org_id}")
    return f"{url}?{'&'.join(params)}" if params else url


# --- campaigns -----------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaign_list(user=request.user))
    return render(request, "supervision/campaign_list.html", {"campaigns": campaigns})


@login_required
@permission_required("supervision.add_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                lead_org=data["lead_org"],
                units=list(data["units"]),
                chain=form.chain(),
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已建立督导“{campaign.name}”")
            return redirect("supervision:campaign_detail", pk=campaign.pk)
    status = 422 if form.errors else 200
    chain_rows = [(form[f"chain_name_{i}"], form[f"chain_org_{i}"]) for i in range(1, 5)]
    return render(
        request,
        "supervision/campaign_form.html",
        {"form": form, "chain_rows": chain_rows},
        status=status,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    counts = selectors.campaign_counts(user=user, campaign=campaign)
    by_org = {row["id"]: row for row in counts.units}
    units = []
    for unit in selectors.campaign_units(user=user, campaign=campaign):
        row = by_org.get(unit.org_id) or {
            "immediate": 0, "in_progress": 0, "pending": 0, "closed": 0, "total": 0
        }  # fmt: skip
        units.append(
            {
                "unit": unit,
                "row": row,
                "links": {s: _counts_url(campaign, unit.org_id, s) for s in selectors.COUNT_STAGES},
                "all": _counts_url(campaign, unit.org_id, ""),
            }
        )
    context = {
        "campaign": campaign,
        "totals": counts.totals,
        "total_links": {s: _counts_url(campaign, None, s) for s in selectors.COUNT_STAGES},
        "units": units,
        "chain": list(campaign.chain.select_related("org")),
        "teams": list(campaign.teams.prefetch_related("memberships__person")),
        "inspections": list(
            selectors.inspection_list(user=user, campaign=campaign).prefetch_related("units")
        ),
        "cards": list(selectors.warning_card_list(user=user, campaign=campaign)[:20]),
        "may_manage": selectors.may_manage(user, campaign),
    }
    return render(request, "supervision/campaign_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def campaign_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """The items behind a count: the campaign's problems of one unit and/or one of the
    four counts; the page says how many, which is the number that opened it."""
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    stage = request.GET.get("stage", "")
    stage = stage if stage in STAGE_FILTERS else ""
    org_id = request.GET.get("org", "")
    org = None
    if org_id:
        org = selectors.campaign_unit_get(
            user=user, campaign=campaign, org_id=int(org_id) if org_id.isdigit() else -1
        ).org
    qs = selectors.campaign_problems(
        user=user, campaign=campaign, org_id=org.pk if org else None, stage=stage
    )
    page = keyset_paginate(
        qs, after=request.GET.get("after"), size=PAGE_SIZE, date_field="found_on", query=request.GET
    )
    annotate_due(page.items)
    return render(
        request,
        "supervision/campaign_problems.html",
        {
            "campaign": campaign,
            "page": page,
            "count": qs.count(),
            "org": org,
            "stage_label": selectors.stage_label(stage),
        },
    )


# --- 督导组 and 督导检查 -------------------------------------------------------------------


@login_required
@permission_required("supervision.change_campaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    _manage_or_403(request.user, campaign)
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        members = form.ordered_members()
        try:
            team = services.team_create(
                actor=request.user,
                campaign=campaign,
                name=form.cleaned_data["name"],
                members=members,
                leader=members[0] if members else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已组建{team.name}")
            return redirect("supervision:campaign_detail", pk=campaign.pk)
    selected = list(form.cleaned_data["members"]) if form.is_bound and form.is_valid() else []
    return render(
        request,
        "supervision/team_form.html",
        {"form": form, "campaign": campaign, "selected_people": selected},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("supervision.add_inspection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    _manage_or_403(request.user, campaign)
    form = InspectionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                actor=request.user,
                campaign=campaign,
                held_on=data["held_on"],
                team=data["team"],
                units=list(data["units"]),
                method=data["method"],
                summary=data["summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录督导检查，可逐项登记发现的问题")
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "campaign": campaign},
        status=422 if form.errors else 200,
    )


def _inspection_context(request: HttpRequest, inspection: Any, form: Any = None) -> dict[str, Any]:
    campaign = inspection.campaign
    manage = selectors.may_manage(request.user, campaign)
    findings = list(
        selectors.campaign_problems(user=request.user, campaign=campaign).filter(
            campaign_link__inspection=inspection
        )
    )
    annotate_due(findings)
    return {
        "inspection": inspection,
        "campaign": campaign,
        "units": list(inspection.units.order_by("path")),
        "findings": findings,
        "form": form or (FindingForm(inspection=inspection) if manage else None),
        "may_manage": manage,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return render(
        request, "supervision/inspection_detail.html", _inspection_context(request, inspection)
    )


@login_required
@permission_required("supervision.add_inspection", raise_exception=True)
@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    _manage_or_403(request.user, inspection.campaign)
    form = FindingForm(request.POST, request.FILES, inspection=inspection)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.inspection_finding_add(
                actor=request.user,
                inspection=inspection,
                org=data["org"],
                description=data["description"],
                category=data["category"],
                evidence=uploads(data["evidence"]),
                immediate_reason=data["immediate_reason"] if data["immediate"] else "",
            )
            notice = None
            if data["notice"]:
                notice = services.deadline_notice_issue(actor=request.user, problem=problem)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            text = f"已登记问题 {problem.number}"
            if notice is not None:
                text += f"，已下发限期整改通知（{notice.number}）"
            messages.success(request, text)
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    context = _inspection_context(request, inspection, form)
    return render(request, "supervision/inspection_detail.html", context, status=422)


# --- a unit's 5+2 lists ----------------------------------------------------------------


def _unit(request: HttpRequest, pk: int, org_id: int) -> tuple[Campaign, Org]:
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    unit = selectors.campaign_unit_get(user=request.user, campaign=campaign, org_id=org_id)
    return campaign, unit.org


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def unit_lists(request: HttpRequest, pk: int, org_id: int) -> HttpResponse:
    """The seven lists of one unit: the entries of the lists it fills, and the campaign's
    problems and rectifications of the unit for the 问题清单 and 整改清单."""
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    unit = selectors.campaign_unit_get(user=user, campaign=campaign, org_id=org_id)
    org = unit.org
    problems = list(selectors.campaign_problems(user=user, campaign=campaign, org_id=org.pk))
    annotate_due(problems)
    lists = []
    for kind in selectors.list_kinds():
        lists.append(
            {
                "kind": kind,
                "entries": list(
                    selectors.list_entries(user=user, campaign=campaign, org=org, kind=kind)
                )
                if kind.is_entries
                else [],
                "may_fill": selectors.may_fill(user, campaign, org, kind),
            }
        )
    cards = [
        c for c in selectors.warning_card_list(user=user, campaign=campaign) if c.org_id == org.pk
    ]
    return render(
        request,
        "supervision/unit_lists.html",
        {
            "campaign": campaign,
            "org": org,
            "unit": unit,
            "lists": lists,
            "problems": problems,
            "cards": cards,
            "problems_url": _counts_url(campaign, org.pk, ""),
        },
    )


def _fillable(
    request: HttpRequest, pk: int, org_id: int, key: str
) -> tuple[Campaign, Org, ListKind]:
    campaign, org = _unit(request, pk, org_id)
    kind = selectors.list_kind_get(key)
    if not selectors.may_fill(request.user, campaign, org, kind):
        raise PermissionDenied(f"您不能填报{org.name}的{kind.name}")
    return campaign, org, kind


def _list_page(
    request: HttpRequest,
    campaign: Campaign,
    org: Org,
    kind: ListKind,
    *,
    formset: Any = None,
    upload_form: Any = None,
    import_errors: list[str] | None = None,
    list_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = list(selectors.list_entries(user=request.user, campaign=campaign, org=org, kind=kind))
    if formset is None:
        formset = EntryFormSet(
            initial=[
                {
                    "item": e.item,
                    "detail": e.detail,
                    "responsible": e.responsible,
                    "due_on": e.due_on,
                    "note": e.note,
                }
                for e in entries
            ]
        )
    return render(
        request,
        "supervision/list_form.html",
        {
            "campaign": campaign,
            "org": org,
            "kind": kind,
            "formset": formset,
            "upload_form": upload_form or ListUploadForm(),
            "import_errors": import_errors or [],
            "list_errors": list_errors or [],
        },
        status=status,
    )


@login_required
@permission_required("supervision.fill_campaign_list", raise_exception=True)
@require_http_methods(["GET", "POST"])
def list_edit(request: HttpRequest, pk: int, org_id: int, key: str) -> HttpResponse:
    campaign, org, kind = _fillable(request, pk, org_id, key)
    if request.method == "GET":
        return _list_page(request, campaign, org, kind)
    formset = EntryFormSet(request.POST)
    if formset.is_valid():
        rows = [r for r in (f.row() for f in formset.forms) if r is not None]
        try:
            entries = services.list_replace(
                actor=request.user, campaign=campaign, org=org, kind=kind, rows=rows
            )
        except ValidationError as exc:
            return _list_page(
                request, campaign, org, kind, formset=formset, list_errors=exc.messages, status=422
            )
        else:
            messages.success(request, f"已保存{kind.name}（{len(entries)}项）")
            return redirect("supervision:unit_lists", pk=campaign.pk, org_id=org.pk)
    return _list_page(request, campaign, org, kind, formset=formset, status=422)


@login_required
@permission_required("supervision.fill_campaign_list", raise_exception=True)
@require_POST
def list_upload(request: HttpRequest, pk: int, org_id: int, key: str) -> HttpResponse:
    campaign, org, kind = _fillable(request, pk, org_id, key)
    form = ListUploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            entries = services.list_import(
                actor=request.user,
                campaign=campaign,
                org=org,
                kind=kind,
                name=upload.name,
                data=upload.read(),
            )
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, f"已从文件导入{kind.name}（{len(entries)}项）")
            return redirect("supervision:unit_lists", pk=campaign.pk, org_id=org.pk)
    return _list_page(
        request, campaign, org, kind, upload_form=form, import_errors=errors, status=422
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def list_template(request: HttpRequest, pk: int, org_id: int, key: str) -> HttpResponse:
    """The .xlsx template of the list, with its current rows."""
    campaign, org = _unit(request, pk, org_id)
    kind = selectors.list_kind_get(key)
    if not kind.is_entries:
        raise PermissionDenied(f"{kind.name}在问题整改中办理，没有填报模板")
    entries = list(selectors.list_entries(user=request.user, campaign=campaign, org=org, kind=kind))
    data = selectors.list_template_xlsx(campaign=campaign, org=org, kind=kind, entries=entries)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = f"{org.name}_{kind.name}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


# --- 整改警示卡 ----------------------------------------------------------------------------


@login_required
@permission_required("supervision.view_warningcard", raise_exception=True)
@require_GET
def card_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.warning_card_list(user=request.user)
    page = keyset_paginate(
        qs,
        after=request.GET.get("after"),
        size=PAGE_SIZE,
        date_field="issued_on",
        query=request.GET,
    )
    return render(request, "supervision/card_list.html", {"page": page})


@login_required
@permission_required("supervision.issue_warning_card", raise_exception=True)
@require_POST
def card_check(request: HttpRequest) -> HttpResponse:
    """Run the daily check now, over the user's jurisdiction (idempotent)."""
    result = services.warning_cards_check(actor=request.user)
    messages.success(
        request,
        f"已检查{result.checked}项逾期或验收未通过的整改，新发整改警示卡{len(result.issued)}张",
    )
    return redirect("supervision:card_list")


@login_required
@permission_required("supervision.view_warningcard", raise_exception=True)
@require_GET
def card_download(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.warning_card_get(user=request.user, pk=pk)
    data = document_file_read(actor=request.user, document=card.document)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, card.document.file_name) or ""
    )
    return response
