"""API of the 政治生态档案 (``/api/v1/dossiers/``): a person's or unit's dossier (opened
with a 查阅事由, audited; outside the jurisdiction 404), and the 廉政意见 batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from jiandu.core.access import get_or_404, require_perm
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT
from jiandu.dossiers import dots, periods, selectors, services
from jiandu.dossiers.choices import ItemKind
from jiandu.dossiers.models import ColourTable, GradingTable, OpinionBatch
from jiandu.dossiers.schemas import (
    DossierColourTableIn,
    DossierColourTableOut,
    DossierGradingTableIn,
    DossierGradingTableOut,
    DossierOut,
    DossierSanctionIn,
    DossierSanctionOut,
    OpinionBatchIn,
    OpinionBatchOut,
    OpinionReviewIn,
    OpinionYearOut,
)
from jiandu.orgs.models import Org
from jiandu.people.models import Person

router = Router(tags=["政治生态档案"])
VIEW = "dossiers.view_dossier"
BATCH_VIEW = "dossiers.view_opinionbatch"


class DossierQuery(Schema):
    reason: str
    as_of: dt.date | None = None
    purpose: str = "提拔任用"


def _dossier(subject: Any, d: selectors.Dossier) -> dict[str, Any]:
    deciding = {id(x) for x in (d.grade.deciding if d.grade else ())}
    grade = None
    if d.grade is not None:
        grade = {
            "grade": d.grade.grade, "score": d.grade.score, "counts": d.grade.counts,
            "window_from": d.grade.window_from, "window_to": d.grade.window_to,
            "explanation": d.grade.explain(),
            "table_version": d.grading_table.version if d.grading_table else None,
        }  # fmt: skip
    return {
        "subject": str(subject),
        "as_of": d.as_of,
        "colour_table": d.colour_table.version if d.colour_table else None,
        "grade": grade,
        "dots": [
            {"on": x.on, "colour": x.colour, "colour_label": dots.COLOUR_LABELS[x.colour],
             "kind": x.item.kind, "kind_label": selectors.KIND_LABEL.get(x.item.kind, x.item.kind),
             "label": x.item.label, "until": x.item.until, "deciding": id(x) in deciding}
            for x in d.dots
        ],
        "in_effect": [
            {"category": p.sanction.category, "kind": p.sanction.kind.label, "start": p.start,
             "until": p.until, "article": p.rule.article}
            for p in d.opinion.in_effect
        ],
        "open_matters": [{"category": c.stage, "decided_on": c.decided_on}
                         for c in d.opinion.open_matters],
        "eligible_for_award": d.opinion.eligible_for_award,
        "opinion": d.opinion.verdict,
        "warnings": d.warnings,
        "annulled": [
            {"on": i.on, "kind": i.kind, "kind_label": selectors.KIND_LABEL.get(i.kind, i.kind),
             "label": i.label, "annulled_on": i.annulled_on, "annul_reason": i.annul_reason}
            for i in d.annulled
        ],
    }  # fmt: skip


def _check(query: DossierQuery) -> dt.date:
    as_of = query.as_of or timezone.localdate()
    if as_of > timezone.localdate() or as_of < periods.EARLIEST:
        raise HttpError(422, "截至日期应在1950年以后、不晚于今天")
    if query.purpose not in periods.PURPOSES:
        raise HttpError(422, f"用途应为：{'、'.join(periods.PURPOSES)}")
    return as_of


@router.get("/people/{pk}/", response={200: DossierOut, **ERRORS}, summary="干部政治生态档案")
def person_dossier(request: HttpRequest, pk: int, query: Query[DossierQuery]) -> Any:
    require_perm(request, VIEW)
    person: Person = selectors.dossier_person(user=request.user, pk=pk)
    as_of = _check(query)
    try:
        services.dossier_opened(actor=request.user, subject=person, reason=query.reason,
                                as_of=as_of)  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    return _dossier(person, selectors.person_dossier(person, as_of=as_of, purpose=query.purpose))


@router.get("/units/{pk}/", response={200: DossierOut, **ERRORS}, summary="单位政治生态档案")
def org_dossier(request: HttpRequest, pk: int, query: Query[DossierQuery]) -> Any:
    require_perm(request, VIEW)
    org: Org = selectors.dossier_org(user=request.user, pk=pk)
    as_of = _check(query)
    try:
        services.dossier_opened(actor=request.user, subject=org, reason=query.reason,
                                as_of=as_of)  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    return _dossier(org, selectors.org_dossier(org, as_of=as_of))


def _batch(batch: OpinionBatch, *, lines: bool = True) -> dict[str, Any]:
    return {
        "id": batch.pk, "requester": batch.requester, "request_ref": batch.request_ref,
        "purpose": batch.purpose, "as_of": batch.as_of, "award_year": batch.award_year,
        "received_on": batch.received_on, "status": batch.status,
        "status_label": batch.get_status_display(),
        "document_number": batch.document.number if batch.document is not None else None,
        "lines": [
            {"id": x.pk, "order": x.order, "name": x.name, "is_unit": x.org_id is not None,
             "post": x.post, "drafted_verdict": x.drafted_verdict, "drafted_text": x.drafted_text,
             "verdict": x.verdict, "text": x.text, "override_reason": x.override_reason}
            for x in (batch.lines.order_by("order") if lines else [])
        ],
    }  # fmt: skip


@router.get("/batches/", response={200: list[OpinionBatchOut], **ERRORS}, summary="廉政意见批次")
def batch_list(request: HttpRequest) -> Any:
    require_perm(request, BATCH_VIEW)
    return [_batch(b, lines=False) for b in selectors.batch_list(user=request.user)[:500]]


@router.get("/batches/statistics/", response={200: list[OpinionYearOut], **ERRORS},
            summary="廉政意见年度统计")  # fmt: skip
def batch_statistics(request: HttpRequest) -> Any:
    require_perm(request, BATCH_VIEW)
    return selectors.batch_statistics(user=request.user)


@router.get("/batches/{pk}/", response={200: OpinionBatchOut, **ERRORS}, summary="批次详情")
def batch_detail(request: HttpRequest, pk: int) -> Any:
    require_perm(request, BATCH_VIEW)
    batch = selectors.batch_get(user=request.user, pk=pk)
    services.batch_viewed(actor=request.user, batch=batch, via="api")
    return _batch(batch)


@router.post("/batches/", response={201: OpinionBatchOut, **ERRORS}, summary="受理请求并起草")
def batch_create(request: HttpRequest, payload: OpinionBatchIn) -> Any:
    require_perm(request, "dossiers.add_opinionbatch")
    people_qs = selectors.dossier_people(user=request.user).filter(pk__in=payload.person_ids)
    people = {p.pk: p for p in people_qs}
    missing = [pk for pk in payload.person_ids if pk not in people]
    ids = selectors.jurisdiction_org_ids(request.user)
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=payload.org_ids).filter(pk__in=ids)}
    missing_orgs = [pk for pk in payload.org_ids if pk not in orgs]
    if missing or missing_orgs:
        raise HttpError(422, f"人员{missing}或单位{missing_orgs}不存在或不在管辖范围内")
    owner = getattr(request.user, "org", None)  # an authenticated user's unit
    if owner is None:
        raise HttpError(403, "请先为当前用户设置所属单位")
    try:
        batch = services.batch_create(
            actor=request.user, owner_org=owner, requester=payload.requester,
            request_ref=payload.request_ref, purpose=payload.purpose, as_of=payload.as_of,
            award_year=payload.award_year, received_on=payload.received_on,
            people=[people[pk] for pk in payload.person_ids],
            orgs=[orgs[pk] for pk in payload.org_ids],
        )  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    return 201, _batch(batch)


def _move(request: HttpRequest, pk: int, action: Any, **kwargs: Any) -> Any:
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        batch = action(actor=request.user, batch=batch, **kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        raise HttpError(409, "；".join(exc.messages)) from None
    return _batch(batch)


@router.post(
    "/batches/{pk}/review/", response={200: OpinionBatchOut, **ERRORS_WITH_CONFLICT}, summary="审核"
)
def batch_review(request: HttpRequest, pk: int, payload: OpinionReviewIn) -> Any:
    require_perm(request, "dossiers.review_opinion")
    return _move(request, pk, services.batch_review, decisions=payload.overrides)


@router.post(
    "/batches/{pk}/approve/",
    response={200: OpinionBatchOut, **ERRORS_WITH_CONFLICT},
    summary="审批",
)
def batch_approve(request: HttpRequest, pk: int) -> Any:
    require_perm(request, "dossiers.approve_opinion")
    return _move(request, pk, services.batch_approve)


@router.post(
    "/batches/{pk}/issue/", response={200: OpinionBatchOut, **ERRORS_WITH_CONFLICT}, summary="函复"
)
def batch_issue(request: HttpRequest, pk: int) -> Any:
    require_perm(request, "documents.add_document")
    return _move(request, pk, services.batch_issue)


@router.put("/sanctions/{pk}/", response={200: DossierSanctionOut, **ERRORS},
            summary="登记处分影响期信息（生效日期、留党察看期限、解除、撤销）")  # fmt: skip
def sanction_detail(request: HttpRequest, pk: int, payload: DossierSanctionIn) -> Any:
    require_perm(request, "dossiers.record_sanction_detail")
    outcome = selectors.sanction_outcome(user=request.user, pk=pk)
    try:
        detail = services.sanction_detail_set(actor=request.user, outcome=outcome,
                                              **payload.dict())  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from None
    kind, category = selectors.SANCTION_CATEGORY[outcome.subtype]
    sanction = periods.Sanction(
        kind=kind, category=category, decided_on=outcome.decision_date,
        effective_on=detail.effective_on, period_months=detail.period_months,
        lifted_on=detail.lifted_on, annulled_on=detail.annulled_on,
    )  # fmt: skip
    period = periods.effect_period(sanction, dt.date.max)
    return {
        "outcome_id": outcome.pk, "category": outcome.get_subtype_display(),
        "decided_on": outcome.decision_date, "until": period.until if period else None,
        **{f: getattr(detail, f) for f in ("effective_on", "period_months", "lifted_on",
                                            "lift_reason", "annulled_on", "annul_reason")},
    }  # fmt: skip


# --- the versioned colour and grading tables (reference data, the same for every
# jurisdiction: read with the dossier permission, new versions with the tables
# permission, each creation audited by the service) ------------------------------------------

TABLES_MANAGE = "dossiers.manage_dossier_tables"


def _in_force_today(model: Any) -> int | None:
    table = model.objects.filter(valid_from__lte=timezone.localdate()).order_by("-valid_from")
    return table.values_list("pk", flat=True).first()


def _colour_table(table: ColourTable, current: int | None) -> dict[str, Any]:
    labels = dict(ItemKind.choices)
    return {
        "id": table.pk, "version": table.version, "valid_from": table.valid_from,
        "note": table.note, "in_force_today": table.pk == current,
        "rules": [
            {"item_kind": r.item_kind, "item_kind_label": str(labels.get(r.item_kind, r.item_kind)),
             "colour": r.colour, "colour_label": dots.COLOUR_LABELS.get(r.colour, r.colour)}
            for r in sorted(table.rules.all(), key=lambda r: list(labels).index(r.item_kind)
                            if r.item_kind in labels else len(labels))
        ],
    }  # fmt: skip


def _grading_table(table: GradingTable, current: int | None) -> dict[str, Any]:
    described = next(
        (t.describe() for t in selectors.grading_tables() if t.version == table.version), ""
    )
    return {
        "id": table.pk, "version": table.version, "valid_from": table.valid_from,
        "note": table.note, "in_force_today": table.pk == current,
        "window_months": table.window_months, "weights": table.weights,
        "bands": [tuple(b) for b in table.bands], "caps": [tuple(c) for c in table.caps],
        "description": described,
    }  # fmt: skip


def _unprocessable(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        text = "；".join(f"{field}：{m}" for field, ms in exc.message_dict.items() for m in ms)
    else:
        text = "；".join(exc.messages)
    return HttpError(422, text)


@router.get("/colour-tables/", response={200: list[DossierColourTableOut], **ERRORS},
            summary="档案颜色表（各版本）")  # fmt: skip
def colour_table_list(request: HttpRequest) -> Any:
    require_perm(request, VIEW)
    current = _in_force_today(ColourTable)
    return [_colour_table(t, current) for t in ColourTable.objects.prefetch_related("rules")]


@router.get("/colour-tables/{pk}/", response={200: DossierColourTableOut, **ERRORS},
            summary="档案颜色表的一个版本")  # fmt: skip
def colour_table_detail(request: HttpRequest, pk: int) -> Any:
    require_perm(request, VIEW)
    table = get_or_404(ColourTable.objects.prefetch_related("rules"), pk=pk)
    return _colour_table(table, _in_force_today(ColourTable))


@router.post("/colour-tables/", response={201: DossierColourTableOut, **ERRORS},
             summary="新增档案颜色表版本（施行日期不早于今天）")  # fmt: skip
def colour_table_create(request: HttpRequest, payload: DossierColourTableIn) -> Any:
    require_perm(request, TABLES_MANAGE)
    try:
        table = services.colour_table_add(
            actor=request.user, version=payload.version, valid_from=payload.valid_from,
            colours=payload.colours, note=payload.note,
        )  # fmt: skip
    except ValidationError as exc:
        raise _unprocessable(exc) from None
    return 201, _colour_table(table, _in_force_today(ColourTable))


@router.get("/grading-tables/", response={200: list[DossierGradingTableOut], **ERRORS},
            summary="档案评定表（各版本）")  # fmt: skip
def grading_table_list(request: HttpRequest) -> Any:
    require_perm(request, VIEW)
    current = _in_force_today(GradingTable)
    return [_grading_table(t, current) for t in GradingTable.objects.all()]


@router.get("/grading-tables/{pk}/", response={200: DossierGradingTableOut, **ERRORS},
            summary="档案评定表的一个版本")  # fmt: skip
def grading_table_detail(request: HttpRequest, pk: int) -> Any:
    require_perm(request, VIEW)
    table = get_or_404(GradingTable.objects.all(), pk=pk)
    return _grading_table(table, _in_force_today(GradingTable))


@router.post("/grading-tables/", response={201: DossierGradingTableOut, **ERRORS},
             summary="新增档案评定表版本（施行日期不早于今天）")  # fmt: skip
def grading_table_create(request: HttpRequest, payload: DossierGradingTableIn) -> Any:
    require_perm(request, TABLES_MANAGE)
    try:
        table = services.grading_table_add(
            actor=request.user, version=payload.version, valid_from=payload.valid_from,
            window_months=payload.window_months, weights=payload.weights,
            bands=[list(b) for b in payload.bands], caps=[list(c) for c in payload.caps],
            note=payload.note,
        )  # fmt: skip
    except ValidationError as exc:
        raise _unprocessable(exc) from None
    return 201, _grading_table(table, _in_force_today(GradingTable))
