"""API of the 巡察 rounds (``/api/v1/inspections/``): rounds with their targets and teams,
stored draws and new draws, stage moves. Reads go through the selectors (outside the
jurisdiction: 404), writes through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.inspections import selectors, services
from jiandu.inspections.models import FocusItem, InspectionRound, TalentEntry, TeamDraw
from jiandu.inspections.schemas import (
    InspectionConflictIn,
    InspectionDrawIn,
    InspectionDrawOut,
    InspectionRoundCreateIn,
    InspectionRoundDetailOut,
    InspectionRoundOut,
    InspectionStageIn,
    InspectionStatisticsOut,
    InspectionStatisticsRecordOut,
    InspectionTalentIn,
    InspectionTalentOut,
    InspectionUnitRecordOut,
    InspectionUnitStatisticsOut,
)
from jiandu.orgs.selectors import visible_org, visible_orgs
from jiandu.people.selectors import person_get

router = Router(tags=["巡察"])
VIEW = "inspections.view_inspectionround"


def _round(r: InspectionRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "form": r.form,
        "form_label": r.get_form_display(),
        "level": r.level,
        "level_label": r.get_level_display(),
        "stage": r.stage,
        "stage_label": r.get_stage_display(),
        "starts_on": r.starts_on,
        "ends_on": r.ends_on,
        "owner_org": {"id": r.owner_org_id, "name": r.owner_org.name},
        "problem_count": getattr(r, "problem_count", 0),
        "clue_count": getattr(r, "clue_count", 0),
    }


def _detail(r: InspectionRound) -> dict[str, Any]:
    targets = [
        {"org": {"id": t.org_id, "name": t.org.name},
         "focus_items": [f.name for f in t.focus_items.all()]}
        for t in r.targets.select_related("org").prefetch_related("focus_items")
    ]  # fmt: skip
    return _round(r) | {
        "team_size": r.team_size,
        "required_skills": list(r.required_skills),
        "targets": targets,
        "teams": selectors.teams(r),
        "figures": selectors.round_figures(r),
    }


def _draw(d: TeamDraw) -> dict[str, Any]:
    return {"id": d.pk, "seed": d.seed, "as_of": d.as_of, "feasible": d.feasible,
            "adopted": d.adopted, "result": d.result}  # fmt: skip


def _managed(request: HttpRequest, round_id: int) -> InspectionRound:
    item = selectors.round_get(user=request.user, pk=round_id)
    if not selectors.may_manage(request.user, item):
        raise HttpError(403, "只有组织本轮巡察的单位可以操作")
    return item


@router.get("/rounds", response={200: list[InspectionRoundOut], **ERRORS}, summary="巡察轮次列表")
def list_rounds(request: HttpRequest):
    """The rounds the user's jurisdiction runs or is inspected in."""
    require_perm(request, VIEW)
    return [_round(r) for r in selectors.round_list(user=request.user)]


@router.post("/rounds", response={201: InspectionRoundDetailOut, **ERRORS}, summary="建立巡察轮次")
def create_round(request: HttpRequest, payload: InspectionRoundCreateIn):
    """Run by the user's commission; every target in the jurisdiction (else 422)."""
    require_perm(request, "inspections.add_inspectionround")
    user = request.user
    orgs = visible_orgs(user, [t.org for t in payload.targets], "targets")
    items = {f.key: f for f in FocusItem.objects.filter(archived_at__isnull=True)}
    unknown = sorted({k for t in payload.targets for k in t.focus_items} - set(items))
    if unknown:
        raise ValidationError({"focus_items": f"没有这些重点事项：{'、'.join(unknown)}"})
    item = services.round_create(
        actor=user,
        name=payload.name,
        form=payload.form,
        level=payload.level,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        targets=orgs,
        focus_items={t.org: [items[k] for k in t.focus_items] for t in payload.targets},
        team_size=payload.team_size,
        required_skills=payload.required_skills,
        cooldown_months=payload.cooldown_months,
    )
    return Status(201, _detail(selectors.round_get(user=user, pk=item.pk)))


@router.get(
    "/rounds/{int:round_id}", response={200: InspectionRoundDetailOut, **ERRORS}, summary="巡察详情"
)
def get_round(request: HttpRequest, round_id: int):
    require_perm(request, VIEW)
    return _detail(selectors.round_get(user=request.user, pk=round_id))


@router.get(
    "/rounds/{int:round_id}/draws",
    response={200: list[InspectionDrawOut], **ERRORS},
    summary="巡察组抽取记录",
)
def list_draws(request: HttpRequest, round_id: int):
    """Every stored draw with its seed and result (the organising commission only)."""
    require_perm(request, VIEW)
    item = _managed(request, round_id)
    return [_draw(d) for d in item.draws.all()]


@router.post(
    "/rounds/{int:round_id}/draws",
    response={201: InspectionDrawOut, **ERRORS},
    summary="按回避规则抽取巡察组",
)
def create_draw(request: HttpRequest, round_id: int, payload: InspectionDrawIn):
    """Draw and store; a feasible draw is adopted. An infeasible one is stored too and
    its ``result`` names each target that cannot be staffed and why."""
    require_perm(request, "inspections.add_teamdraw")
    item = _managed(request, round_id)
    draw = services.round_draw(actor=request.user, round=item, seed=payload.seed,
                               as_of=payload.as_of)  # fmt: skip
    return Status(201, _draw(draw))


@router.post(
    "/rounds/{int:round_id}/stage",
    response={200: InspectionRoundDetailOut, **ERRORS_WITH_CONFLICT},
    summary="推进巡察阶段",
)
def advance_stage(request: HttpRequest, round_id: int, payload: InspectionStageIn):
    """One stage forward; any other move is a 409 with the reason."""
    require_perm(request, "inspections.change_inspectionround")
    item = _managed(request, round_id)
    try:
        services.round_advance(actor=request.user, round=item, to_stage=payload.to_stage,
                               note=payload.note)  # fmt: skip
    except ValidationError as exc:
        raise HttpError(409, "；".join(exc.messages)) from None
    return _detail(selectors.round_get(user=request.user, pk=round_id))


def _talent(e: TalentEntry) -> dict[str, Any]:
    return {"person_id": e.person_id, "name": e.person.name, "skills": list(e.skills),
            "can_lead": e.can_lead, "available": e.available}  # fmt: skip


@router.get("/talent", response={200: list[InspectionTalentOut], **ERRORS}, summary="人才库")
def list_talent(request: HttpRequest):
    """The 人才库 of the user's commission (shared by 巡察 and 单元制 checks)."""
    require_perm(request, "inspections.add_teamdraw")
    owner = services.owner_org_of(request.user)
    rows = TalentEntry.objects.filter(owner_org=owner).select_related("person")
    return [_talent(e) for e in rows]


@router.put(
    "/talent/{int:person_id}", response={200: InspectionTalentOut, **ERRORS}, summary="放入人才库"
)
def put_talent(request: HttpRequest, person_id: int, payload: InspectionTalentIn):
    """Put a cadre of the registry (within the jurisdiction, else 404) into the pool."""
    require_perm(request, "inspections.add_teamdraw")
    person = person_get(user=request.user, pk=person_id)
    entry = services.talent_set(actor=request.user, person=person, skills=payload.skills,
                                can_lead=payload.can_lead, available=payload.available,
                                note=payload.note)  # fmt: skip
    return _talent(entry)


@router.post("/conflicts", response={201: dict, **ERRORS}, summary="登记申报回避")
def create_conflict(request: HttpRequest, payload: InspectionConflictIn):
    require_perm(request, "inspections.add_teamdraw")
    person = person_get(user=request.user, pk=payload.person)
    org = visible_org(request.user, payload.org, "org")
    conflict = services.conflict_declare(actor=request.user, person=person, org=org,
                                         reason=payload.reason, note=payload.note)  # fmt: skip
    return Status(201, {"id": conflict.pk})


# --- statistics across rounds and per 单元 (inspections.statistics) ------------------

_ROUND_FIGURES = ("problems", "closed", "clues", "case_filed", "funds")
_UNIT_FIGURES = ("checks", "problems", "orders", "talks", "admonitions", "covered", "checked")


def _statistics_error(exc: Exception) -> HttpError:
    return HttpError(404, str(exc))


@router.get(
    "/statistics", response={200: InspectionStatisticsOut, **ERRORS}, summary="巡察统计（跨轮次）"
)
def get_statistics(request: HttpRequest, by: str = "round"):
    """Problems, clues, 成案率, funds and 整改完成率 by ``round``, ``form``, ``level`` or
    ``kind`` (unit / village), scoped; each figure's records under ``records``."""
    from urllib.parse import urlencode

    from jiandu.inspections import statistics as stats

    require_perm(request, VIEW)
    if by not in stats.GROUPINGS:
        raise HttpError(400, f"分组应为 {'、'.join(stats.GROUPINGS)} 之一")
    base = "/api/v1/inspections/statistics/records?"
    rows = [
        row.as_dict()
        | {"records": {f: base + urlencode({"figure": f, "by": by, "key": row.key})
                       for f in _ROUND_FIGURES}}
        for row in stats.round_statistics(user=request.user, by=by)
    ]  # fmt: skip
    return {"by": by, "rows": rows}


@router.get(
    "/statistics/records",
    response={200: list[InspectionStatisticsRecordOut], **ERRORS},
    summary="巡察统计数字对应的记录",
)
def get_statistics_records(request: HttpRequest, figure: str, by: str, key: str):
    """Exactly the records a figure counts (problems, clues, or outcomes for funds)."""
    from jiandu.inspections import statistics as stats

    require_perm(request, VIEW)
    try:
        rows = list(stats.round_records(user=request.user, figure=figure, by=by, key=key))
    except stats.StatisticsError as exc:
        raise _statistics_error(exc) from None
    if figure in ("problems", "closed"):
        return [{"kind": "problem", "id": r.problem_id, "number": r.problem.number or "",
                 "text": r.problem.description, "round": r.round.name,
                 "org": {"id": r.target.org_id, "name": r.target.org.name},
                 "status": r.problem.rectification.get_status_display()} for r in rows]  # fmt: skip
    if figure in ("clues", "case_filed"):
        return [{"kind": "clue", "id": r.clue_id, "number": r.clue.number or "",
                 "text": r.clue.title, "round": r.round.name,
                 "org": {"id": r.target.org_id, "name": r.target.org.name},
                 "status": r.clue.get_disposal_method_display()} for r in rows]  # fmt: skip
    return [{"kind": "outcome", "id": o.pk, "number": o.clue.number or "", "text": o.subject_name,
             "org": {"id": o.decided_by_id, "name": o.decided_by.name},
             "funds_recovered": o.funds_recovered} for o in rows]  # fmt: skip


@router.get(
    "/statistics/units",
    response={200: list[InspectionUnitStatisticsOut], **ERRORS},
    summary="“单元制”监督统计",
)
def get_unit_statistics(request: HttpRequest, year: int):
    """Per 监督单元 the user sees: checks, problems, 责令整改, 谈话, 诫勉, coverage."""
    from urllib.parse import urlencode

    from jiandu.inspections import statistics as stats

    require_perm(request, VIEW)
    out = []
    for row in stats.unit_statistics(user=request.user, year=year):
        base = f"/api/v1/inspections/statistics/units/{row.unit_id}/records?"
        data = row.as_dict()
        data["records"] = {f: base + urlencode({"figure": f, "year": year}) for f in _UNIT_FIGURES}
        out.append(data)
    return out


@router.get(
    "/statistics/units/{int:unit_id}/records",
    response={200: list[InspectionUnitRecordOut], **ERRORS},
    summary="“单元制”统计数字对应的记录",
)
def get_unit_statistics_records(request: HttpRequest, unit_id: int, figure: str, year: int):
    from jiandu.inspections import statistics as stats

    require_perm(request, VIEW)
    if not stats.units_visible(request.user).filter(pk=unit_id).exists():
        raise HttpError(404, "记录不存在")
    try:
        rows = list(stats.unit_records(user=request.user, unit_id=unit_id, figure=figure,
                                       year=year))  # fmt: skip
    except stats.StatisticsError as exc:
        raise _statistics_error(exc) from None
    if figure == "checks":
        return [{"kind": "check", "id": c.pk, "text": c.name, "status": c.get_step_display()}
                for c in rows]  # fmt: skip
    if figure == "problems":
        return [{"kind": "problem", "id": r.problem_id, "text": r.problem.description,
                 "org": {"id": r.problem.org_id, "name": r.problem.org.name},
                 "status": r.problem.rectification.get_status_display()} for r in rows]  # fmt: skip
    if figure in ("covered", "checked", "unchecked"):
        return [{"kind": "org", "id": r.org_id, "text": r.org.name,
                 "org": {"id": r.org_id, "name": r.org.name},
                 "status": "已检查" if r.was_checked else "未检查"} for r in rows]  # fmt: skip
    return [{"kind": "outcome", "id": o.pk, "text": o.person_name or o.note,
             "org": {"id": o.org_id, "name": o.org.name}, "status": o.get_kind_display()}
            for o in rows]  # fmt: skip
