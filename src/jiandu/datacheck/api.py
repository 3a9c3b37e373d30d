"""API of 大数据比对 (/api/v1/datacheck/): the rules, datasets and their versions, runs
(list, get, start) and hits (list, get, verification moves).

Reads go through the selectors (jurisdiction and region applied, 404 outside them),
writes through the services. A hit's subject and the identities in its evidence are
masked unless the caller holds ``people.view_id_number``; every answer carrying them in
full is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from jiandu.core.access import require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.datacheck import evidence as ev
from jiandu.datacheck import selectors, services
from jiandu.datacheck.choices import HitAction, HitPresence
from jiandu.datacheck.engine.catalog import DATASETS, RULE_SPECS
from jiandu.datacheck.models import DatasetVersion, Hit, Run
from jiandu.datacheck.schemas import (
    DatasetOut,
    HitAssignIn,
    HitConvertIn,
    HitDetailOut,
    HitPageOut,
    HitQuery,
    HitReasonIn,
    IdPageQuery,
    RuleOut,
    RunDetailOut,
    RunPageOut,
    RunStartIn,
    VersionDetailOut,
    VersionPageOut,
)
from jiandu.datacheck.scope import default_region
from jiandu.orgs.selectors import visible_org

router = Router(tags=["大数据比对"])

VIEW = "datacheck.view_run"
VERIFY = "datacheck.verify_hit"


def _after(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({"after": "分页游标无效"})
    return int(value)


def _page(qs: Any, *, after: str | None, limit: int, descending: bool) -> tuple[list, str | None]:
    cursor = _after(after)
    if cursor is not None:
        qs = qs.filter(pk__lt=cursor) if descending else qs.filter(pk__gt=cursor)
    rows = list(qs.order_by("-pk" if descending else "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].pk) if more and rows else None)


# --- rules and datasets ----------------------------------------------------------


@router.get("/rules", response={200: list[RuleOut], **ERRORS}, summary="比对规则")
def list_rules(request: HttpRequest):
    require_perm(request, VIEW)
    return selectors.rule_catalogue()


@router.get("/datasets", response={200: list[DatasetOut], **ERRORS}, summary="数据集及最新版本")
def list_datasets(request: HttpRequest):
    require_perm(request, VIEW)
    return [
        {
            "name": d.name,
            "label": d.label,
            "columns": d.columns,
            "rules": d.rules,
            "versions": d.versions,
            "latest": d.latest,
        }
        for d in selectors.dataset_overview(user=request.user)
    ]


@router.get(
    "/datasets/{name}/versions",
    response={200: VersionPageOut, **ERRORS},
    summary="数据集的版本（新到旧）",
)
def list_versions(request: HttpRequest, name: str, query: Query[IdPageQuery]):
    require_perm(request, VIEW)
    if name not in DATASETS:
        raise Http404("没有这个数据集")
    qs = selectors.dataset_version_list(user=request.user, dataset=name)
    items, cursor = _page(qs, after=query.after, limit=query.limit, descending=True)
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/versions/{int:version_id}",
    response={200: VersionDetailOut, **ERRORS},
    summary="数据集版本及导入报告",
)
def get_version(request: HttpRequest, version_id: int):
    require_perm(request, VIEW)
    return selectors.dataset_version_get(user=request.user, pk=version_id)


# --- runs ------------------------------------------------------------------------


def _run_detail(user: Any, run: Run) -> Run:
    run.results = (  # type: ignore[attr-defined]
        selectors.run_rule_results(user=user, run=run) if run.succeeded else []
    )
    return run


@router.get("/runs", response={200: RunPageOut, **ERRORS}, summary="比对任务列表（新到旧）")
def list_runs(request: HttpRequest, query: Query[IdPageQuery]):
    require_perm(request, VIEW)
    qs = selectors.run_list(user=request.user)
    items, cursor = _page(qs, after=query.after, limit=query.limit, descending=True)
    return {"items": items, "next_cursor": cursor}


@router.get("/runs/{int:run_id}", response={200: RunDetailOut, **ERRORS}, summary="比对任务详情")
def get_run(request: HttpRequest, run_id: int):
    require_perm(request, VIEW)
    return _run_detail(request.user, selectors.run_get(user=request.user, pk=run_id))


@router.post("/runs", response={201: RunDetailOut, **ERRORS}, summary="发起比对")
def start_run(request: HttpRequest, payload: RunStartIn):
    """Runs in the background (``datacheck.run``); follow ``status`` or the task. Dataset
    versions not given default to the newest visible version of each dataset."""
    require_perm(request, VIEW)
    require_perm(request, "datacheck.add_run")
    user = request.user
    codes = payload.rules if payload.rules else list(RULE_SPECS)
    latest = selectors.latest_versions(user=user)
    chosen: dict[str, DatasetVersion] = {}
    for name, pk in payload.versions.items():
        if name not in DATASETS:
            raise ValidationError({"versions": f"未知的数据集“{name}”"})
        version = DatasetVersion.objects.restrict(user).filter(pk=pk, dataset=name).first()
        if version is None:
            raise ValidationError(
                {"versions": f"{name} 的数据集版本（编号{pk}）不存在或不在您的管辖范围内"}
            )
        chosen[name] = version
    for code in codes:
        for name in RULE_SPECS[code].datasets if code in RULE_SPECS else ():
            if name not in chosen and name in latest:
                chosen[name] = latest[name]
    run = services.run_start(
        actor=user,
        rules=codes,
        versions=list(chosen.values()),
        region_code=payload.region_code or default_region(user),
        params=payload.params,
        backend=payload.backend,
    )
    return Status(201, _run_detail(user, selectors.run_get(user=user, pk=run.pk)))


# --- hits ------------------------------------------------------------------------


def _hit_out(hit: Hit, *, full: bool) -> dict[str, Any]:
    return {
        "id": hit.pk,
        "run_id": hit.run_id,
        "rule": hit.rule_code,
        "rule_name": hit.rule_name,
        "subject": hit.subject if full else hit.subject_masked,
        "subject_masked": hit.subject_masked,
        "subject_name": hit.subject_name,
        "program": hit.program,
        "period": hit.period,
        "amount": hit.amount,
        "region_code": hit.region_code,
        "status": hit.status,
        "status_label": hit.get_status_display(),
        "handling_org": hit.handling_org,
        "clue_id": hit.clue_id,
        "clue_number": hit.clue.number if hit.clue_id and hit.clue else None,
        "evidence": ev.protect(hit.evidence, full=full),
        "presence": HitPresence.GONE if hit.gone_in_run_id else hit.presence,
        "presence_label": hit.presence_label,
        "previous_id": hit.previous_id,
        "is_current": hit.is_current,
    }


def _hit_detail(request: HttpRequest, hit: Hit) -> dict[str, Any]:
    full = request.user.has_perm("people.view_id_number")
    if full:
        services.hits_reveal(actor=request.user, hits=[hit], where="接口：疑点详情")
    return {
        **_hit_out(hit, full=full),
        "decision_reason": hit.decision_reason,
        "allowed_actions": selectors.hit_next_actions(user=request.user, hit=hit),
        "events": [
            {
                "action": e.action,
                "action_label": e.get_action_display(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_org": e.to_org,
                "reason": e.reason,
                "actor": str(e.actor),
                "at": e.at,
            }
            for e in selectors.hit_timeline(hit=hit)
        ],
        "full_ids": full,
    }


@router.get("/hits", response={200: HitPageOut, **ERRORS}, summary="比对疑点列表")
def list_hits(request: HttpRequest, query: Query[HitQuery]):
    """Oldest first by id; filters: run, rule, status. Without ``run``: the latest finding
    of each hit across runs."""
    require_perm(request, VIEW)
    filters = selectors.HitFilters(
        run_id=query.run, rule=query.rule, status=query.status, current_only=query.run is None
    )
    qs = selectors.hit_list(user=request.user, filters=filters)
    items, cursor = _page(qs, after=query.after, limit=query.limit, descending=False)
    full = request.user.has_perm("people.view_id_number")
    if full:
        services.hits_reveal(actor=request.user, hits=items, where="接口：疑点列表")
    return {
        "items": [_hit_out(h, full=full) for h in items],
        "next_cursor": cursor,
        "full_ids": full,
    }


@router.get("/hits/{int:hit_id}", response={200: HitDetailOut, **ERRORS}, summary="比对疑点详情")
def get_hit(request: HttpRequest, hit_id: int):
    require_perm(request, VIEW)
    return _hit_detail(request, selectors.hit_get(user=request.user, pk=hit_id))


def _require_verify(request: HttpRequest, action: str) -> None:
    require_perm(request, VIEW)
    require_perm(request, VERIFY)
    if action == HitAction.CONVERT:
        require_perm(request, "clues.add_clue")


def _move(request: HttpRequest, hit_id: int, action: str, **data: Any) -> dict[str, Any]:
    hit = selectors.hit_get(user=request.user, pk=hit_id)
    services.hit_apply(actor=request.user, hit=hit, action=action, **data)
    return _hit_detail(request, selectors.hit_get(user=request.user, pk=hit_id))


@router.post(
    "/hits/{int:hit_id}/assign",
    response={200: HitDetailOut, **ERRORS_WITH_CONFLICT},
    summary="分派核查",
)
def assign_hit(request: HttpRequest, hit_id: int, payload: HitAssignIn):
    _require_verify(request, HitAction.ASSIGN)
    selectors.hit_get(user=request.user, pk=hit_id)
    org = visible_org(request.user, payload.handling_org, "handling_org")
    return _move(request, hit_id, HitAction.ASSIGN, handling_org=org, reason=payload.reason)


@router.post(
    "/hits/{int:hit_id}/confirm",
    response={200: HitDetailOut, **ERRORS_WITH_CONFLICT},
    summary="确认问题",
)
def confirm_hit(request: HttpRequest, hit_id: int, payload: HitReasonIn):
    _require_verify(request, HitAction.CONFIRM)
    return _move(request, hit_id, HitAction.CONFIRM, reason=payload.reason)


@router.post(
    "/hits/{int:hit_id}/exclude",
    response={200: HitDetailOut, **ERRORS_WITH_CONFLICT},
    summary="排除疑点（须填写理由）",
)
def exclude_hit(request: HttpRequest, hit_id: int, payload: HitReasonIn):
    _require_verify(request, HitAction.EXCLUDE)
    return _move(request, hit_id, HitAction.EXCLUDE, reason=payload.reason)


@router.post(
    "/hits/{int:hit_id}/convert",
    response={200: HitDetailOut, **ERRORS_WITH_CONFLICT},
    summary="转为问题线索",
)
def convert_hit(request: HttpRequest, hit_id: int, payload: HitConvertIn):
    _require_verify(request, HitAction.CONVERT)
    selectors.hit_get(user=request.user, pk=hit_id)
    org = (
        visible_org(request.user, payload.handling_org, "handling_org")
        if payload.handling_org is not None
        else None
    )
    return _move(request, hit_id, HitAction.CONVERT, title=payload.title, handling_org=org)
