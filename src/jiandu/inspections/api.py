"""API of the 巡察 rounds (``/api/v1/inspections/``): rounds with their targets and teams,
stored draws and new draws, stage moves. Reads go through the selectors (outside the
jurisdiction: 404), writes through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Path, Query, Router, Status, UploadedFile
from ninja.errors import HttpError

from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT, ErrorOut
from jiandu.inspections import selectors, services
from jiandu.inspections.models import FocusItem, InspectionRound, TalentEntry, TeamDraw
from jiandu.inspections.schemas import (
    InspectionCheckFindingIn,
    InspectionCheckIn,
    InspectionCheckOut,
    InspectionCheckOutcomeIn,
    InspectionCheckStepIn,
    InspectionConflictIn,
    InspectionDrawIn,
    InspectionDrawOut,
    InspectionEscalationDecideIn,
    InspectionEscalationOut,
    InspectionLedgerMonthIn,
    InspectionLedgerOverviewOut,
    InspectionLedgerPageOut,
    InspectionLedgerRowIn,
    InspectionLedgerRowOut,
    InspectionPlanIn,
    InspectionReportCommentIn,
    InspectionReportFileOut,
    InspectionReportIn,
    InspectionReportOut,
    InspectionRoundCreateIn,
    InspectionRoundDetailOut,
    InspectionRoundOut,
    InspectionStageIn,
    InspectionStatisticsOut,
    InspectionStatisticsRecordOut,
    InspectionTalentIn,
    InspectionTalentOut,
    InspectionUnitDetailOut,
    InspectionUnitIn,
    InspectionUnitOut,
    InspectionUnitRecordOut,
    InspectionUnitStatisticsOut,
)
from jiandu.orgs.selectors import visible_org, visible_orgs
from jiandu.people.selectors import person_get

# A calendar year the records can fall in (a year outside it is a 422, not a 500).
YEAR = Query(..., ge=1949, le=2999, description="年度")
YEAR_OPTIONAL = Query(None, ge=1949, le=2999, description="年度，默认今年")

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


# --- 单元制 supervision units -------------------------------------------------------------


def _org(o: Any) -> dict[str, Any]:
    return {"id": o.pk, "name": o.name}


def _unit(u: Any) -> dict[str, Any]:
    return {
        "id": u.pk,
        "name": u.name,
        "owner_org": _org(u.owner_org),
        "members": [
            {"org": _org(m.org), "role": m.role, "role_label": m.get_role_display()}
            for m in u.members.select_related("org").order_by("role", "org__path")
        ],
        "covered": [_org(o) for o in u.covered.order_by("path")],
    }


def _open_problem(p: Any) -> dict[str, Any]:
    rect = getattr(p, "rectification", None)
    return {"id": p.pk, "number": p.number or "", "org": _org(p.org),
            "description": p.description,
            "status_label": rect.get_status_display() if rect else "",
            "due_on": rect.due_on if rect else None}  # fmt: skip


def _unit_detail(u: Any, year: int) -> dict[str, Any]:
    from jiandu.inspections import units

    return _unit(u) | {
        "year": year,
        "figures": units.unit_figures(u, year),
        "plan": [
            {"org": _org(p.org), "key_check": p.key_check}
            for p in u.plans.filter(year=year).select_related("org").order_by("org__path")
        ],
        "unchecked": [_org(o) for o in units.coverage(u, year)["unchecked"]],
        "open_problems": [_open_problem(p) for p in units.open_problems(u)],
    }


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


@router.get("/units", response={200: list[InspectionUnitOut], **ERRORS}, summary="监督单元列表")
def list_units(request: HttpRequest):
    """The units of the user's commission and those the user's unit sits in."""
    require_perm(request, "inspections.view_supervisionunit")
    return [_unit(u) for u in selectors.unit_list(user=request.user)]


@router.post("/units", response={201: InspectionUnitDetailOut, **ERRORS}, summary="建立监督单元")
def create_unit(request: HttpRequest, payload: InspectionUnitIn):
    """1 派驻组 + 1 镇（园区）纪（工）委或纪检监察室 + departments and 村务监督委员会; every
    org in the jurisdiction (else 422)."""
    from jiandu.inspections import units

    require_perm(request, "inspections.add_supervisionunit")
    user = request.user
    member_orgs = visible_orgs(user, [m.org for m in payload.members], "members")
    by_id = {o.pk: o for o in member_orgs}
    unit = units.unit_create(
        actor=user, name=payload.name,
        members=[(by_id[m.org], m.role) for m in payload.members],
        covered=visible_orgs(user, payload.covered, "covered"),
    )  # fmt: skip
    return Status(201, _unit_detail(selectors.unit_get(user=user, pk=unit.pk), _this_year()))


@router.get(
    "/units/{int:unit_id}", response={200: InspectionUnitDetailOut, **ERRORS}, summary="监督单元"
)
def get_unit(request: HttpRequest, unit_id: int, year: int | None = YEAR_OPTIONAL):
    """With the year's figures, plan, covered units not yet checked and the open problems
    put before the group ahead of the next check."""
    require_perm(request, "inspections.view_supervisionunit")
    return _unit_detail(selectors.unit_get(user=request.user, pk=unit_id), year or _this_year())


@router.put(
    "/units/{int:unit_id}/plans/{int:year}",
    response={200: InspectionUnitDetailOut, **ERRORS},
    summary="年度监督计划",
)
def put_plan(
    request: HttpRequest,
    unit_id: int,
    payload: InspectionPlanIn,
    year: int = Path(..., ge=1949, le=2999, description="年度"),
):
    from jiandu.inspections import units
    from jiandu.orgs.models import Org

    require_perm(request, "inspections.change_supervisionunit")
    unit = selectors.unit_get(user=request.user, pk=unit_id)
    if not selectors.may_plan_unit(request.user, unit):
        raise HttpError(403, "只有建立监督单元的纪委监委可以制定监督计划")
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=[*payload.orgs, *payload.key])}
    missing = sorted((set(payload.orgs) | set(payload.key)) - set(orgs))
    if missing:
        raise ValidationError({"orgs": f"单位（编号{'、'.join(map(str, missing))}）不存在"})
    units.coverage_plan_set(actor=request.user, unit=unit, year=year,
                            orgs=[orgs[i] for i in payload.orgs],
                            key=[orgs[i] for i in payload.key])  # fmt: skip
    return _unit_detail(unit, year)


def _check(c: Any) -> dict[str, Any]:
    draw = c.draw or None
    leader = str((draw or {}).get("leader", ""))
    return {
        "id": c.pk, "unit": c.unit_id, "name": c.name, "topic": c.topic, "held_on": c.held_on,
        "step": c.step, "step_label": c.get_step_display(),
        "targets": [_org(o) for o in c.targets.order_by("path")],
        "team": [{"name": p.name, "role": "组长" if str(p.pk) == leader else "组员"}
                 for p in c.members.order_by("name")],
        "draw": draw,
        "problems": [_open_problem(link.problem) for link in
                     c.problems.select_related("problem__org", "problem__rectification")],
        "outcomes": [
            {"id": o.pk, "kind": o.kind, "kind_label": o.get_kind_display(), "org": _org(o.org),
             "person_name": o.person_name, "note": o.note, "recorded_at": o.recorded_at}
            for o in c.outcomes.select_related("org")
        ],
    }  # fmt: skip


def _run_check(request: HttpRequest, check_id: int) -> Any:
    check = selectors.check_get(user=request.user, pk=check_id)
    if not selectors.may_run_checks(request.user, check.unit):
        raise HttpError(403, "只有监督单元的派驻组、镇（园区）纪（工）委和组织单位可以开展检查")
    return check


@router.get(
    "/units/{int:unit_id}/checks",
    response={200: list[InspectionCheckOut], **ERRORS},
    summary="专项检查列表",
)
def list_checks(request: HttpRequest, unit_id: int):
    require_perm(request, "inspections.view_supervisionunit")
    unit = selectors.unit_get(user=request.user, pk=unit_id)
    return [_check(c) for c in unit.checks.order_by("-held_on", "-pk")]


@router.post(
    "/units/{int:unit_id}/checks",
    response={201: InspectionCheckOut, **ERRORS},
    summary="建立专项检查",
)
def create_check(request: HttpRequest, unit_id: int, payload: InspectionCheckIn):
    from jiandu.inspections import units

    require_perm(request, "inspections.add_specialcheck")
    unit = selectors.unit_get(user=request.user, pk=unit_id)
    if not selectors.may_run_checks(request.user, unit):
        raise HttpError(403, "只有监督单元的派驻组、镇（园区）纪（工）委和组织单位可以开展检查")
    covered = {o.pk: o for o in unit.covered.all()}
    strangers = [str(i) for i in payload.targets if i not in covered]
    if strangers:
        raise ValidationError(
            {"targets": f"单位（编号{'、'.join(strangers)}）不是本单元的监督单位"}
        )
    check = units.check_create(
        actor=request.user, unit=unit, name=payload.name, topic=payload.topic,
        held_on=payload.held_on, targets=[covered[i] for i in payload.targets],
        team_size=payload.team_size, required_skills=payload.required_skills,
    )  # fmt: skip
    return Status(201, _check(check))


@router.get(
    "/checks/{int:check_id}", response={200: InspectionCheckOut, **ERRORS}, summary="专项检查"
)
def get_check(request: HttpRequest, check_id: int):
    require_perm(request, "inspections.view_supervisionunit")
    return _check(selectors.check_get(user=request.user, pk=check_id))


@router.post(
    "/checks/{int:check_id}/draw",
    response={200: InspectionCheckOut, **ERRORS},
    summary="按回避规则抽取检查组",
)
def draw_check(request: HttpRequest, check_id: int, payload: InspectionDrawIn):
    """From the commission's 人才库 with the same 回避 rules as a round; an infeasible draw
    is stored and its ``draw.result`` says why."""
    from jiandu.inspections import units

    require_perm(request, "inspections.change_specialcheck")
    check = _run_check(request, check_id)
    units.check_draw(actor=request.user, check=check, seed=payload.seed, as_of=payload.as_of)
    return _check(selectors.check_get(user=request.user, pk=check_id))


@router.post(
    "/checks/{int:check_id}/step",
    response={200: InspectionCheckOut, **ERRORS_WITH_CONFLICT},
    summary="推进检查步骤",
)
def step_check(request: HttpRequest, check_id: int, payload: InspectionCheckStepIn):
    """One step forward (看问题 → 查台账 → 走访谈 → 找症结 → 促整改 → 回头看 → 已完成); any
    other move is a 409 with the reason."""
    from jiandu.inspections import units

    require_perm(request, "inspections.change_specialcheck")
    check = _run_check(request, check_id)
    try:
        units.check_advance(actor=request.user, check=check, to_step=payload.to_step)
    except ValidationError as exc:
        raise HttpError(409, "；".join(exc.messages)) from None
    return _check(selectors.check_get(user=request.user, pk=check_id))


@router.post(
    "/checks/{int:check_id}/findings",
    response={201: InspectionCheckOut, **ERRORS},
    summary="登记检查发现的问题",
)
def create_check_finding(request: HttpRequest, check_id: int, payload: InspectionCheckFindingIn):
    from jiandu.inspections import units
    from jiandu.oversight.models import ProblemCategory

    require_perm(request, "oversight.add_problem")
    check = _run_check(request, check_id)
    org = check.targets.filter(pk=payload.org).first()
    if org is None:
        raise ValidationError({"org": f"单位（编号{payload.org}）不是本次检查的被检查单位"})
    category = ProblemCategory.objects.filter(pk=payload.category, archived_at__isnull=True).first()
    if category is None:
        raise ValidationError({"category": "没有这个问题类别"})
    units.check_finding_add(actor=request.user, check=check, org=org,
                            description=payload.description, category=category)  # fmt: skip
    return Status(201, _check(selectors.check_get(user=request.user, pk=check_id)))


@router.post(
    "/checks/{int:check_id}/outcomes",
    response={201: InspectionCheckOut, **ERRORS},
    summary="记录责令整改、谈话、诫勉",
)
def create_check_outcome(request: HttpRequest, check_id: int, payload: InspectionCheckOutcomeIn):
    from jiandu.inspections import units

    require_perm(request, "inspections.change_specialcheck")
    check = _run_check(request, check_id)
    org = check.targets.filter(pk=payload.org).first()
    if org is None:
        raise ValidationError({"org": f"单位（编号{payload.org}）不是本次检查的被检查单位"})
    units.check_outcome_record(actor=request.user, check=check, kind=payload.kind, org=org,
                               person_name=payload.person_name, note=payload.note)  # fmt: skip
    return Status(201, _check(selectors.check_get(user=request.user, pk=check_id)))


# --- 双报告 --------------------------------------------------------------------------------


def _report(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "round": r.round_id, "org": _org(r.target.org), "kind": r.kind,
        "kind_label": r.get_kind_display(), "text": r.text,
        "files": [f.original_name for f in r.files.order_by("pk")],
        "comments": [
            {"id": c.pk, "text": c.text, "outcome": c.outcome,
             "outcome_label": c.get_outcome_display(), "problem_id": c.problem_id,
             "problem_number": c.problem.number if c.problem else None, "clue_id": c.clue_id,
             "clue_number": c.clue.number if c.clue else None, "at": c.at}
            for c in r.comments.select_related("problem", "clue").order_by("at", "pk")
        ],
    }  # fmt: skip


@router.get(
    "/rounds/{int:round_id}/reports",
    response={200: list[InspectionReportOut], **ERRORS},
    summary="巡察报告和专题报告",
)
def list_reports(request: HttpRequest, round_id: int):
    require_perm(request, VIEW)
    item = selectors.round_get(user=request.user, pk=round_id)
    return [_report(r) for r in item.reports.select_related("target__org").order_by("pk")]


@router.post(
    "/rounds/{int:round_id}/reports",
    response={201: InspectionReportOut, **ERRORS},
    summary="提交巡察报告或专题报告",
)
def file_report(request: HttpRequest, round_id: int, payload: InspectionReportIn):
    """报告阶段; filing the same kind again for a target replaces its text."""
    from jiandu.orgs.models import Org

    require_perm(request, "inspections.add_roundreport")
    item = _managed(request, round_id)
    org = Org.objects.filter(pk=payload.org).first()
    if org is None:
        raise ValidationError({"org": f"单位（编号{payload.org}）不存在"})
    report = services.report_file(actor=request.user, round=item, org=org, kind=payload.kind,
                                  text=payload.text)  # fmt: skip
    return Status(201, _report(report))


@router.post(
    "/reports/{int:report_id}/files",
    response={201: InspectionReportFileOut, **ERRORS_WITH_CONFLICT, 413: ErrorOut, 415: ErrorOut},
    summary="上传报告文件（签发的巡察报告或专题报告）",
)
def upload_report_file(request: HttpRequest, report_id: int, file: File[UploadedFile]):
    """multipart/form-data, field ``file``: the signed report (.pdf, .docx, .doc, .wps,
    .ofd; the content must match the ending). The round's team members and its 巡察办
    upload, in 报告阶段 only (409 otherwise); 413 over the size limit, 415 another type;
    a round the user does not see: 404."""
    from django.conf import settings

    from jiandu.inspections.choices import RoundStage

    report = selectors.report_get(user=request.user, pk=report_id)
    if not selectors.may_file_reports(request.user, report.round):
        raise HttpError(403, "只有本轮巡察组成员和巡察办可以上传报告文件")
    if report.round.stage != RoundStage.REPORTING:
        raise HttpError(409, "只有报告阶段可以上传报告文件")
    name = (file.name or "").rsplit("/", 1)[-1][:200] or "报告文件"
    limit = settings.JIANDU_MAX_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise HttpError(413, f"报告文件“{name}”超过大小上限（{limit // (1024 * 1024)}MB）")
    data = file.read(limit + 1)
    if len(data) > limit:
        raise HttpError(413, f"报告文件“{name}”超过大小上限（{limit // (1024 * 1024)}MB）")
    if not data:
        raise ValidationError({"file": f"文件“{name}”是空的"})
    refusal = services.report_file_type_refusal(name, data)
    if refusal:
        raise HttpError(415, refusal)
    row = services.report_file_attach(actor=request.user, report=report, name=name, data=data,
                                      content_type=file.content_type or "")  # fmt: skip
    return Status(201, {"id": row.pk, "report": report.pk, "name": row.original_name,
                        "content_type": row.content_type, "size": row.size,
                        "sha256": row.sha256, "uploaded_at": row.uploaded_at})  # fmt: skip


@router.get(
    "/reports/{int:report_id}", response={200: InspectionReportOut, **ERRORS}, summary="报告"
)
def get_report(request: HttpRequest, report_id: int):
    require_perm(request, VIEW)
    return _report(selectors.report_get(user=request.user, pk=report_id))


@router.post(
    "/reports/{int:report_id}/comments",
    response={201: InspectionReportOut, **ERRORS},
    summary="审核报告（可登记问题或问题线索）",
)
def comment_report(request: HttpRequest, report_id: int, payload: InspectionReportCommentIn):
    from jiandu.oversight.models import ProblemCategory

    require_perm(request, "inspections.add_reportcomment")
    report = selectors.report_get(user=request.user, pk=report_id)
    if not selectors.may_manage(request.user, report.round):
        raise HttpError(403, "只有组织本轮巡察的单位可以审核报告")
    category = None
    if payload.category is not None:
        category = ProblemCategory.objects.filter(pk=payload.category).first()
        if category is None:
            raise ValidationError({"category": "没有这个问题类别"})
    services.report_comment(actor=request.user, report=report, text=payload.text,
                            outcome=payload.outcome, category=category,
                            clue_title=payload.clue_title)  # fmt: skip
    return Status(201, _report(selectors.report_get(user=request.user, pk=report_id)))


# --- 提级 ----------------------------------------------------------------------------------


def _escalation(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "clue_id": s.clue_id, "rule": s.rule.label, "to_org": _org(s.to_org),
            "status": s.status, "status_label": s.get_status_display(),
            "reason": s.reason}  # fmt: skip


@router.get(
    "/clues/{int:clue_id}/escalations",
    response={200: list[InspectionEscalationOut], **ERRORS},
    summary="线索的提级建议",
)
def list_escalations(request: HttpRequest, clue_id: int):
    from jiandu.clues.selectors import clue_get

    require_perm(request, "clues.view_clue")
    clue = clue_get(user=request.user, pk=clue_id)
    return [_escalation(s) for s in clue.escalation_suggestions.select_related("rule", "to_org")]


@router.post(
    "/escalations/{int:suggestion_id}/decide",
    response={200: InspectionEscalationOut, **ERRORS_WITH_CONFLICT},
    summary="确认或不采纳提级建议",
)
def decide_escalation(
    request: HttpRequest, suggestion_id: int, payload: InspectionEscalationDecideIn
):
    """The handling unit confirms (the clue is 提级 to the county) or declines, with a
    reason; a decided suggestion is a 409."""
    from jiandu.clues.selectors import clue_list
    from jiandu.core.access import get_or_404, jurisdiction_org_ids
    from jiandu.inspections.models import EscalationSuggestion

    require_perm(request, "inspections.change_escalationsuggestion")
    require_perm(request, "clues.change_clue")
    visible = clue_list(user=request.user).values("pk")
    suggestion = get_or_404(
        EscalationSuggestion.objects.filter(clue__in=visible).select_related("clue"),
        pk=suggestion_id,
    )
    if suggestion.clue.handling_org_id not in jurisdiction_org_ids(request.user):
        raise HttpError(403, "只有承办单位可以确认提级建议")
    if suggestion.status != "pending":
        raise HttpError(409, "这条提级建议已经处理过")
    done = services.escalation_decide(actor=request.user, suggestion=suggestion,
                                      confirm=payload.confirm, reason=payload.reason)  # fmt: skip
    return _escalation(done)


# --- 三本账 --------------------------------------------------------------------------------


def _ledger_row(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "county": _org(r.county), "kind": r.kind,
            "kind_label": r.get_kind_display(), "title": r.title, "status": r.status,
            "status_label": r.get_status_display(), "progress": r.progress,
            "round_id": r.round_id, "clue_id": r.clue_id, "problem_id": r.problem_id}  # fmt: skip


@router.get("/ledgers", response={200: InspectionLedgerPageOut, **ERRORS}, summary="三本账条目")
def list_ledger_rows(
    request: HttpRequest,
    after: str | None = None,
    limit: int = 50,
    county: int | None = None,
    kind: str | None = None,
    status: str | None = None,
):
    """Newest first, keyset-paged by id (``after`` = the previous page's ``next_cursor``):
    page 5,000 costs what page 1 does, and nothing is counted. A county sees its own rows
    only (another county's id: an empty list)."""
    require_perm(request, "inspections.view_ledgerrow")
    page = selectors.ledger_page(user=request.user, county=county, kind=kind or None,
                                 status=status or None, after=after,
                                 limit=max(1, min(limit, 200)), count=False)  # fmt: skip
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/ledgers", response={201: InspectionLedgerRowOut, **ERRORS}, summary="记入三本账")
def create_ledger_row(request: HttpRequest, payload: InspectionLedgerRowIn):
    from jiandu.clues.selectors import clue_get
    from jiandu.inspections import ledgers
    from jiandu.oversight.selectors import problem_get

    require_perm(request, "inspections.add_ledgerrow")
    user = request.user
    county = selectors.ledger_counties(user=user).filter(pk=payload.county).first()
    if county is None:
        raise ValidationError({"county": f"县区（编号{payload.county}）不在您的管辖范围内"})
    clue = clue_get(user=user, pk=payload.clue) if payload.clue else None
    problem = problem_get(user=user, pk=payload.problem) if payload.problem else None
    link = getattr(clue, "inspection_link", None) if clue is not None else None
    row = ledgers.ledger_row_add(
        actor=user, county=county, kind=payload.kind, title=payload.title,
        round=link.round if link is not None else None, clue=clue, problem=problem,
    )  # fmt: skip
    return Status(201, _ledger_row(selectors.ledger_row_get(user=user, pk=row.pk)))


@router.get(
    "/ledgers/overview",
    response={200: list[InspectionLedgerOverviewOut], **ERRORS},
    summary="三本账：各县区进展",
)
def ledger_overview(request: HttpRequest, month: str | None = None):
    import datetime as dt

    from django.utils import timezone

    from jiandu.inspections import ledgers

    require_perm(request, "inspections.view_ledgerrow")
    try:
        day = dt.datetime.strptime(month or "", "%Y-%m").date()
    except ValueError:
        day = timezone.localdate()
    return ledgers.city_overview(user=request.user, month=day)


@router.get(
    "/ledgers/{int:row_id}", response={200: InspectionLedgerRowOut, **ERRORS}, summary="三本账条目"
)
def get_ledger_row(request: HttpRequest, row_id: int):
    require_perm(request, "inspections.view_ledgerrow")
    return _ledger_row(selectors.ledger_row_get(user=request.user, pk=row_id))


@router.post(
    "/ledgers/reports",
    response={200: list[InspectionLedgerRowOut], **ERRORS},
    summary="报送三本账月报",
)
def report_ledger_month(request: HttpRequest, payload: InspectionLedgerMonthIn):
    """All or nothing: every line checked first; errors name the line (第N行) and field."""
    from jiandu.inspections import ledgers

    require_perm(request, "inspections.add_ledgerreport")
    user = request.user
    county = selectors.ledger_counties(user=user).filter(pk=payload.county).first()
    if county is None:
        raise ValidationError({"county": f"县区（编号{payload.county}）不在您的管辖范围内"})
    lines = [ledgers.ProgressLine(x.row, x.progress, x.status) for x in payload.lines]
    ledgers.monthly_report(actor=user, county=county, month=payload.month, lines=lines)
    rows = selectors.ledger_rows(user=user).filter(pk__in=[x.row for x in payload.lines])
    return [_ledger_row(r) for r in rows.select_related("county").order_by("pk")]


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
def get_unit_statistics(request: HttpRequest, year: int = YEAR):
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
def get_unit_statistics_records(request: HttpRequest, unit_id: int, figure: str, year: int = YEAR):
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
