"""API of the 督导 campaigns (``/api/v1/supervision/``): campaigns with their counts and
the items behind each count, a unit's "5+2" lists, 督导检查 and their findings, and the
整改警示卡. Reads go through the selectors (outside the jurisdiction: 404), writes
through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from jiandu.core.access import require_perm
from jiandu.core.pagination import decode_cursor, keyset_paginate
from jiandu.core.schemas import ERRORS
from jiandu.orgs.selectors import visible_org, visible_orgs
from jiandu.oversight.models import ProblemCategory
from jiandu.oversight.schemas import ProblemOut
from jiandu.oversight.selectors import STAGE_FILTERS, StatusCounts, annotate_due
from jiandu.supervision import selectors, services
from jiandu.supervision.models import Campaign, WarningCard
from jiandu.supervision.schemas import (
    CampaignCreateIn,
    CampaignDetailOut,
    CampaignOut,
    CampaignProblemPageOut,
    CampaignProblemQuery,
    CardCheckOut,
    FindingIn,
    FindingOut,
    InspectionIn,
    InspectionOut,
    ListOut,
    ListReplaceIn,
    WarningCardOut,
    WarningCardPageOut,
)

router = Router(tags=["督导"])
VIEW = "supervision.view_campaign"


def _ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def _campaign(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "owner_org": _ref(c.owner_org),
        "lead_org": _ref(c.lead_org),
    }


def _counts(row: Any) -> dict[str, int]:
    if isinstance(row, StatusCounts):
        return {"immediate": row.immediate, "in_progress": row.in_progress,
                "pending": row.pending, "closed": row.closed}  # fmt: skip
    return {k: row.get(k, 0) for k in ("immediate", "in_progress", "pending", "closed")}


def _detail(user: Any, campaign: Campaign) -> dict[str, Any]:
    counts = selectors.campaign_counts(user=user, campaign=campaign)
    by_org = {r["id"]: r for r in counts.units}
    teams = []
    for team in campaign.teams.prefetch_related("memberships__person"):
        members = list(team.memberships.all())
        teams.append(
            {
                "id": team.pk,
                "name": team.name,
                "members": [m.person.name for m in members],
                "leader": next((m.person.name for m in members if m.is_leader), ""),
            }
        )
    return {
        **_campaign(campaign),
        "chain": [
            {"position": c.position, "name": c.name, "org": _ref(c.org)}
            for c in campaign.chain.select_related("org")
        ],
        "units": [
            {
                "org": _ref(u.org),
                "role": u.role,
                "role_label": u.get_role_display(),
                "counts": _counts(by_org.get(u.org_id, {})),
            }
            for u in selectors.campaign_units(user=user, campaign=campaign)
        ],
        "teams": teams,
        "counts": _counts(counts.totals),
    }


def _card(c: WarningCard) -> dict[str, Any]:
    problem = c.rectification.problem
    return {
        "id": c.pk,
        "number": c.document.number,
        "issued_on": c.issued_on,
        "org": _ref(c.org),
        "problem_id": problem.pk,
        "problem_number": problem.number,
        "reason": c.reason,
        "reason_label": c.get_reason_display(),
        "level_position": c.level_position,
        "level_name": c.level_name,
        "issuing_org": _ref(c.issuing_org),
        "campaign_id": c.campaign_id,
    }


def _page(qs: Any, *, after: str | None, limit: int, date_field: str) -> Any:
    if after:
        values = decode_cursor(after)
        if not values or len(values) != 2 or not isinstance(values[1], int):
            raise ValidationError({"after": "分页游标无效"})
    return keyset_paginate(qs, after=after or None, size=limit, date_field=date_field)


def _manage(user: Any, campaign: Campaign) -> None:
    if not selectors.may_manage(user, campaign):
        raise HttpError(403, "只有组织本次督导的纪委监委可以办理")


# --- campaigns -----------------------------------------------------------------------


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="督导列表")
def list_campaigns(request: HttpRequest):
    require_perm(request, VIEW)
    return [_campaign(c) for c in selectors.campaign_list(user=request.user)]


@router.get(
    "/campaigns/{int:campaign_id}", response={200: CampaignDetailOut, **ERRORS}, summary="督导详情"
)
def get_campaign(request: HttpRequest, campaign_id: int):
    """Chain, units with the four counts each, 督导组 and the campaign's totals (the
    user's jurisdiction: a unit sees its own row)."""
    require_perm(request, VIEW)
    return _detail(request.user, selectors.campaign_get(user=request.user, pk=campaign_id))


@router.post("/campaigns", response={201: CampaignDetailOut, **ERRORS}, summary="建立督导")
def create_campaign(request: HttpRequest, payload: CampaignCreateIn):
    require_perm(request, "supervision.add_campaign")
    user = request.user
    chain_orgs = visible_orgs(user, [c.org for c in payload.chain], "chain")
    by_id = {o.pk: o for o in chain_orgs}
    campaign = services.campaign_create(
        actor=user,
        name=payload.name,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        lead_org=visible_org(user, payload.lead_org, "lead_org"),
        units=visible_orgs(user, payload.units, "units"),
        chain=[services.ChainLevelSpec(c.name, by_id[c.org]) for c in payload.chain],
        description=payload.description,
    )
    return Status(201, _detail(user, campaign))


@router.get(
    "/campaigns/{int:campaign_id}/problems",
    response={200: CampaignProblemPageOut, **ERRORS},
    summary="督导问题（计数背后的条目）",
)
def list_campaign_problems(
    request: HttpRequest, campaign_id: int, query: Query[CampaignProblemQuery]
):
    """The items behind a count: ``count`` equals the count it opens."""
    require_perm(request, VIEW)
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    if query.stage and query.stage not in STAGE_FILTERS:
        raise ValidationError({"stage": f"取值无效，可选值为：{'、'.join(STAGE_FILTERS)}"})
    if query.org:
        selectors.campaign_unit_get(user=user, campaign=campaign, org_id=query.org)
    qs = selectors.campaign_problems(
        user=user, campaign=campaign, org_id=query.org, stage=query.stage
    )
    page = _page(qs, after=query.after, limit=query.limit, date_field="found_on")
    annotate_due(page.items)
    return {
        "count": qs.count(),
        "items": [ProblemOut.from_problem(p) for p in page.items],
        "next_cursor": page.next_cursor,
    }


# --- lists ---------------------------------------------------------------------------


def _list(user: Any, campaign: Campaign, org: Any, kind: Any) -> dict[str, Any]:
    entries = selectors.list_entries(user=user, campaign=campaign, org=org, kind=kind)
    return {
        "kind": kind.key,
        "name": kind.name,
        "org": _ref(org),
        "entries": [
            {"position": e.position, "item": e.item, "detail": e.detail,
             "responsible": e.responsible, "due_on": e.due_on, "note": e.note}
            for e in entries
        ],
    }  # fmt: skip


@router.get(
    "/campaigns/{int:campaign_id}/units/{int:org_id}/lists/{key}",
    response={200: ListOut, **ERRORS},
    summary="单位清单",
)
def get_list(request: HttpRequest, campaign_id: int, org_id: int, key: str):
    require_perm(request, VIEW)
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    org = selectors.campaign_unit_get(user=request.user, campaign=campaign, org_id=org_id).org
    return _list(request.user, campaign, org, selectors.list_kind_get(key))


@router.put(
    "/campaigns/{int:campaign_id}/units/{int:org_id}/lists/{key}",
    response={200: ListOut, **ERRORS},
    summary="填报单位清单（整份替换）",
)
def replace_list(
    request: HttpRequest, campaign_id: int, org_id: int, key: str, payload: ListReplaceIn
):
    """Rows, or the filled .xlsx template: all or nothing, errors name row and column."""
    require_perm(request, "supervision.fill_campaign_list")
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    org = selectors.campaign_unit_get(user=user, campaign=campaign, org_id=org_id).org
    kind = selectors.list_kind_get(key)
    if (payload.rows is None) == (payload.file is None):
        raise ValidationError({"rows": "rows 与 file 须且只须填写一项"})
    if payload.file is not None:
        upload = payload.file.upload("file")
        try:
            services.list_import(
                actor=user,
                campaign=campaign,
                org=org,
                kind=kind,
                name=upload.name,
                data=upload.data,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            # What is wrong with the file's rows is an error of the ``file`` field.
            raise ValidationError({"file": exc.messages}) from None
    else:
        rows = [services.EntryRow(**r.dict()) for r in payload.rows or []]
        services.list_replace(actor=user, campaign=campaign, org=org, kind=kind, rows=rows)
    return _list(user, campaign, org, kind)


# --- 督导检查 ---------------------------------------------------------------------------


def _inspection(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "held_on": i.held_on,
        "method": i.method,
        "team": i.team.name,
        "units": [_ref(o) for o in i.units.all()],
        "findings": i.findings.count(),
    }


@router.get(
    "/campaigns/{int:campaign_id}/inspections",
    response={200: list[InspectionOut], **ERRORS},
    summary="督导检查列表",
)
def list_inspections(request: HttpRequest, campaign_id: int):
    require_perm(request, VIEW)
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    qs = selectors.inspection_list(user=request.user, campaign=campaign).prefetch_related("units")
    return [_inspection(i) for i in qs]


@router.post(
    "/campaigns/{int:campaign_id}/inspections",
    response={201: InspectionOut, **ERRORS},
    summary="记录督导检查",
)
def create_inspection(request: HttpRequest, campaign_id: int, payload: InspectionIn):
    require_perm(request, "supervision.add_inspection")
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    _manage(request.user, campaign)
    team = campaign.teams.filter(pk=payload.team).first()
    if team is None:
        raise ValidationError({"team": "督导组不属于本次督导"})
    inspection = services.inspection_record(
        actor=request.user,
        campaign=campaign,
        held_on=payload.held_on,
        team=team,
        units=visible_orgs(request.user, payload.units, "units"),
        method=payload.method,
        summary=payload.summary,
    )
    return Status(201, _inspection(inspection))


@router.post(
    "/inspections/{int:inspection_id}/findings",
    response={201: FindingOut, **ERRORS},
    summary="登记督导检查发现的问题",
)
def create_finding(request: HttpRequest, inspection_id: int, payload: FindingIn):
    require_perm(request, "supervision.add_inspection")
    inspection = selectors.inspection_get(user=request.user, pk=inspection_id)
    _manage(request.user, inspection.campaign)
    category = ProblemCategory.objects.filter(pk=payload.category, archived_at__isnull=True).first()
    if category is None:
        raise ValidationError({"category": f"问题类别（编号{payload.category}）不存在或已停用"})
    problem = services.inspection_finding_add(
        actor=request.user,
        inspection=inspection,
        org=visible_org(request.user, payload.org, "org"),
        description=payload.description,
        category=category,
        immediate_reason=payload.immediate_reason,
        evidence=[f.upload("evidence") for f in payload.evidence],
    )
    notice = ""
    if payload.notice:
        notice = services.deadline_notice_issue(actor=request.user, problem=problem).number
    return Status(
        201, {"problem_id": problem.pk, "number": problem.number, "notice_number": notice}
    )


# --- 整改警示卡 -----------------------------------------------------------------------------


@router.get("/cards", response={200: WarningCardPageOut, **ERRORS}, summary="整改警示卡列表")
def list_cards(request: HttpRequest, after: str | None = None, limit: int = 50):
    require_perm(request, "supervision.view_warningcard")
    qs = selectors.warning_card_list(user=request.user)
    page = _page(qs, after=after, limit=max(1, min(limit, 200)), date_field="issued_on")
    return {"items": [_card(c) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/cards/{int:card_id}", response={200: WarningCardOut, **ERRORS}, summary="整改警示卡")
def get_card(request: HttpRequest, card_id: int):
    require_perm(request, "supervision.view_warningcard")
    return _card(selectors.warning_card_get(user=request.user, pk=card_id))


@router.post("/cards/check", response={200: CardCheckOut, **ERRORS}, summary="整改警示卡检查")
def check_cards(request: HttpRequest):
    """The daily check over the user's jurisdiction, now. Idempotent."""
    require_perm(request, "supervision.issue_warning_card")
    result = services.warning_cards_check(actor=request.user)
    return {"checked": result.checked, "issued": [_card(c) for c in result.issued]}
