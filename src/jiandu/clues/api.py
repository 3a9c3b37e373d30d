"""API of the case registry: 信访举报 and their triage, 问题线索 and their lifecycle,
处理结果, 通报曝光 batches, and the statistics with their records.

Everything is read through the clue selectors (jurisdiction applied, 404 outside it) and
written through the clue services (validated, atomic, audited). The reporter's identity
is answered by one endpoint only, for holders of ``clues.view_reporter_identity``, and
each look is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from ninja import Query, Router, Status

from jiandu.approvals.schemas import RequestOut
from jiandu.approvals.selectors import request_data
from jiandu.clues.choices import ClueAction, PetitionAction
from jiandu.clues.decisions import clue_request_action, petition_request_action
from jiandu.clues.lifecycle import TransitionError
from jiandu.clues.models import Clue, DomainTag, ExposureCase, Petition
from jiandu.clues.schemas import (
    ClueActionIn,
    ClueCreateIn,
    ClueDetailOut,
    ClueOut,
    CluePageOut,
    ClueQuery,
    DomainOut,
    ExposureBatchCreateIn,
    ExposureBatchDetailOut,
    ExposurePageOut,
    OutcomeArchiveIn,
    OutcomeCreateIn,
    OutcomeOut,
    PetitionAssignIn,
    PetitionConvertIn,
    PetitionCreateIn,
    PetitionDetailOut,
    PetitionFileIn,
    PetitionPageOut,
    PetitionQuery,
    PetitionTransferIn,
    ReporterOut,
    StatisticInfoOut,
    StatisticOut,
    StatisticQuery,
)
from jiandu.clues.selectors import (
    ClueFilters,
    PetitionFilters,
    clue_get,
    clue_list,
    clue_outcomes,
    exposure_list,
    outcome_list,
    petition_get,
    petition_list,
)
from jiandu.clues.services import (
    clue_create,
    exposure_batch_create,
    outcome_archive,
    outcome_record,
    petition_register,
    petition_reveal_reporter,
)
from jiandu.clues.statistics import STATISTICS
from jiandu.core.access import get_or_404, jurisdiction_org_ids, require_perm
from jiandu.core.pagination import (
    KeysetPage,
    count_or_estimate,
    decode_cursor,
    keyset_paginate,
)
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT, CursorPageQuery, ErrorOut
from jiandu.orgs.selectors import org_get, org_subtree_ids, visible_org, visible_orgs
from jiandu.people.models import Person
from jiandu.people.selectors import visible_people

router = Router(tags=["信访举报与问题线索"])


# People mentioned by a record are shown by name and masked number; the encrypted full
# number is not even loaded.
_PEOPLE = Person.objects.defer("id_number")


def _domains(codes: list[str]) -> list[DomainTag]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {d.code: d for d in DomainTag.objects.filter(code__in=wanted, archived_at__isnull=True)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationError({"domains": f"领域代码“{'、'.join(missing)}”不存在或已停用"})
    return [found[code] for code in wanted]


def _keyset(qs: QuerySet, *, after: str | None, limit: int, date_field: str) -> KeysetPage:
    """One page after the cursor; a cursor that is not ours is an error, not page one."""
    if after:
        values = decode_cursor(after)
        try:
            if not values or len(values) != 2 or not isinstance(values[1], int):
                raise ValueError(after)
            dt.date.fromisoformat(str(values[0]))
        except ValueError:
            raise ValidationError({"after": "分页游标无效"}) from None
    return keyset_paginate(qs, after=after or None, size=limit, date_field=date_field)


# --- petitions -------------------------------------------------------------------


def _petition_detail(user: Any, pk: int) -> Petition:
    petition = petition_get(user=user, pk=pk)
    prefetch_related_objects(
        [petition], "domains", Prefetch("subject_people", queryset=_PEOPLE), "subject_orgs"
    )
    return petition


@router.get("/petitions", response={200: PetitionPageOut, **ERRORS}, summary="信访举报列表")
def list_petitions(request: HttpRequest, query: Query[PetitionQuery]):
    """Newest first (受理日期, id), keyset-paged: ``after`` = the previous ``next_cursor``."""
    require_perm(request, "clues.view_petition")
    filters = PetitionFilters(
        status=query.status or "",
        channel=query.channel or "",
        domain=query.domain,
        received_from=query.received_from,
        received_to=query.received_to,
        text=query.text,
        repeat_only=query.repeat_only,
    )
    qs = petition_list(user=request.user, filters=filters)
    page = _keyset(qs, after=query.after, limit=query.limit, date_field="received_date")
    total, exact = count_or_estimate(qs)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "total": total,
        "total_exact": exact,
    }


@router.get(
    "/petitions/{int:petition_id}",
    response={200: PetitionDetailOut, **ERRORS},
    summary="信访举报详情",
)
def get_petition(request: HttpRequest, petition_id: int):
    require_perm(request, "clues.view_petition")
    return _petition_detail(request.user, petition_id)


@router.post("/petitions", response={201: PetitionDetailOut, **ERRORS}, summary="登记信访举报")
def create_petition(request: HttpRequest, payload: PetitionCreateIn):
    """Register at the user's org (or ``received_org`` within the jurisdiction). The
    reporter's identity, if given, is stored encrypted and never answered here."""
    require_perm(request, "clues.add_petition")
    user = request.user
    reporter = payload.reporter
    petition = petition_register(
        actor=user,
        received_date=payload.received_date,
        channel=payload.channel,
        title=payload.title,
        content=payload.content,
        received_org=(
            visible_org(user, payload.received_org, "received_org")
            if payload.received_org is not None
            else None
        ),
        is_real_name=payload.is_real_name,
        reporter_name=reporter.name.strip() if reporter else "",
        reporter_phone=reporter.phone.strip() if reporter else "",
        reporter_id_number=reporter.id_number.strip() if reporter else "",
        reporter_address=reporter.address.strip() if reporter else "",
        domains=_domains(payload.domains),
        subject_people=visible_people(user, payload.subject_people, "subject_people"),
        subject_orgs=visible_orgs(user, payload.subject_orgs, "subject_orgs"),
    )
    return Status(201, _petition_detail(user, petition.pk))


@router.get(
    "/petitions/{int:petition_id}/reporter",
    response={200: ReporterOut, **ERRORS},
    summary="查看举报人身份（留痕）",
)
def reveal_reporter(request: HttpRequest, petition_id: int):
    """The reporter's identity, for holders of ``clues.view_reporter_identity`` only;
    every call writes an audit row, also when no identity was recorded."""
    require_perm(request, "clues.view_petition")
    require_perm(request, "clues.view_reporter_identity")
    petition = petition_get(user=request.user, pk=petition_id)
    identity = petition_reveal_reporter(actor=request.user, petition=petition)
    return {
        "petition_id": petition.pk,
        "recorded": identity is not None,
        "name": identity.name if identity else "",
        "phone": identity.phone if identity else "",
        "id_number": identity.id_number if identity else "",
        "address": identity.address if identity else "",
    }


def _submit_triage(request: HttpRequest, petition_id: int, action: str, **data: Any):
    """Triage (分办) of a petition is submitted for approval (呈批): 202 with the request;
    it takes effect when the last step of its route approves
    (/api/v1/approvals/{id}/sign). A move the petition's state does not allow is 409;
    missing or bad fields, or a request already under way for the petition, 422."""
    require_perm(request, "clues.change_petition")
    user = request.user
    petition = petition_get(user=user, pk=petition_id)
    submitted = petition_request_action(actor=user, petition=petition, action=action, **data)
    return Status(202, request_data(submitted))


@router.post(
    "/petitions/{int:petition_id}/convert",
    response={202: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="呈批转为问题线索",
)
def convert_petition(request: HttpRequest, petition_id: int, payload: PetitionConvertIn):
    """转为问题线索, submitted for approval (呈批): answers 202 with the request; the clue
    is made when the route's last step approves, received that day (``on_date`` is not
    used)."""
    require_perm(request, "clues.change_petition")
    require_perm(request, "clues.add_clue")
    user = request.user
    handling_org = (
        visible_org(user, payload.handling_org, "handling_org")
        if payload.handling_org is not None
        else None
    )
    return _submit_triage(
        request,
        petition_id,
        PetitionAction.CONVERT,
        reason=payload.reason,
        title=payload.title.strip(),
        handling_org=handling_org,
    )


@router.post(
    "/petitions/{int:petition_id}/assign",
    response={202: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="呈批交办",
)
def assign_petition(request: HttpRequest, petition_id: int, payload: PetitionAssignIn):
    """交办, submitted for approval (呈批): 202 with the request."""
    require_perm(request, "clues.change_petition")
    to_org = visible_org(request.user, payload.to_org, "to_org")
    return _submit_triage(
        request, petition_id, PetitionAction.ASSIGN, reason=payload.reason, to_org=to_org
    )


@router.post(
    "/petitions/{int:petition_id}/transfer",
    response={202: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="呈批转办",
)
def transfer_petition(request: HttpRequest, petition_id: int, payload: PetitionTransferIn):
    """转办, submitted for approval (呈批): 202 with the request."""
    return _submit_triage(
        request,
        petition_id,
        PetitionAction.TRANSFER,
        reason=payload.reason,
        transferred_to=payload.transferred_to,
    )


@router.post(
    "/petitions/{int:petition_id}/file",
    response={202: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="呈批存档了结",
)
def file_petition(request: HttpRequest, petition_id: int, payload: PetitionFileIn):
    """存档了结, submitted for approval (呈批): 202 with the request."""
    return _submit_triage(request, petition_id, PetitionAction.FILE, reason=payload.reason)


# --- clues -----------------------------------------------------------------------


def _clue_detail(user: Any, pk: int) -> Clue:
    clue = clue_get(user=user, pk=pk)
    prefetch_related_objects(
        [clue], "domains", Prefetch("subject_people", queryset=_PEOPLE), "subject_orgs"
    )
    return clue


@router.get("/clues", response={200: CluePageOut, **ERRORS}, summary="问题线索列表")
def list_clues(request: HttpRequest, query: Query[ClueQuery]):
    """Newest first (受理日期, id), keyset-paged: ``after`` = the previous
    ``next_cursor``. No total count: a page costs the same at any depth."""
    require_perm(request, "clues.view_clue")
    filters = ClueFilters(
        status=query.status or "",
        source=query.source or "",
        domain=query.domain,
        org_id=query.org,
        disposal_method=query.disposal_method or "",
        received_from=query.received_from,
        received_to=query.received_to,
        text=query.text,
        overdue=query.overdue,
    )
    clues = clue_list(user=request.user, filters=filters)
    qs = clues.values(*ClueOut.ROW_FIELDS)
    page = _keyset(qs, after=query.after, limit=query.limit, date_field="received_date")
    total, exact = count_or_estimate(clues)
    return CluePageOut.model_construct(
        items=[ClueOut.from_row(row) for row in page.items],
        next_cursor=page.next_cursor,
        total=total,
        total_exact=exact,
    )


@router.get("/clues/{int:clue_id}", response={200: ClueDetailOut, **ERRORS}, summary="问题线索详情")
def get_clue(request: HttpRequest, clue_id: int):
    """Facts, timeline, outcomes and the actions the user may take now."""
    require_perm(request, "clues.view_clue")
    return _clue_detail(request.user, clue_id)


@router.post("/clues", response={201: ClueDetailOut, **ERRORS}, summary="登记问题线索")
def create_clue(request: HttpRequest, payload: ClueCreateIn):
    require_perm(request, "clues.add_clue")
    user = request.user
    clue = clue_create(
        actor=user,
        source=payload.source,
        title=payload.title,
        received_date=payload.received_date,
        handling_org=(
            visible_org(user, payload.handling_org, "handling_org")
            if payload.handling_org is not None
            else None
        ),
        content=payload.content,
        domains=_domains(payload.domains),
        subject_people=visible_people(user, payload.subject_people, "subject_people"),
        subject_orgs=visible_orgs(user, payload.subject_orgs, "subject_orgs"),
        funds_involved=payload.funds_involved,
    )
    return Status(201, _clue_detail(user, clue.pk))


_MOVES = {ClueAction.ESCALATE, ClueAction.DIRECT_HANDLE, ClueAction.ASSIGN_DOWN}


@router.post(
    "/clues/{int:clue_id}/actions",
    response={202: RequestOut, **ERRORS_WITH_CONFLICT},
    summary="呈批问题线索办理事项（处置、变更处置方式、办结、提级查办、直查直办、交办、延期）",
)
def apply_clue_action(request: HttpRequest, clue_id: int, payload: ClueActionIn):
    """One lifecycle step, submitted for approval (呈批): answers 202 with the request;
    the step takes effect when the last step of its route approves
    (/api/v1/approvals/{id}/sign). An action the clue's state does not allow is refused
    with 409 and a message naming the move; missing or bad fields give 422; a clue with a
    request under way refuses another (422). ``on_date`` is not used: an approved
    decision takes effect on the day of its last approval."""
    require_perm(request, "clues.change_clue")
    user = request.user
    clue = clue_get(user=user, pk=clue_id)
    action = payload.action
    data: dict[str, Any] = {"on_date": payload.on_date}
    if action == ClueAction.RECEIVE:
        raise TransitionError("问题线索登记时即已受理，不能再执行“受理”")
    if action in (ClueAction.DISPOSE, ClueAction.CHANGE_DISPOSAL):
        if payload.method is None:
            raise ValidationError({"method": "请选择处置方式"})
        data.update(method=payload.method, note=payload.note)
    elif action == ClueAction.CLOSE:
        data.update(conclusion=payload.conclusion or "", conclusion_text=payload.conclusion_text)
    elif action in _MOVES:
        if payload.to_org is None:
            raise ValidationError({"to_org": "请选择目标单位"})
        data.update(to_org=visible_org(user, payload.to_org, "to_org"), note=payload.note)
    elif action == ClueAction.EXTEND:
        if payload.new_due is None:
            raise ValidationError({"new_due": "请填写延期后的办理期限"})
        data.update(new_due=payload.new_due, note=payload.note)
    submitted = clue_request_action(actor=user, clue=clue, action=action, **data)
    return Status(202, request_data(submitted))


# --- outcomes --------------------------------------------------------------------


@router.get(
    "/clues/{int:clue_id}/outcomes",
    response={200: list[OutcomeOut], **ERRORS},
    summary="问题线索的处理结果",
)
def list_clue_outcomes(request: HttpRequest, clue_id: int):
    """All outcomes of the clue, withdrawn ones included (with their reason)."""
    require_perm(request, "clues.view_outcome")
    clue = clue_get(user=request.user, pk=clue_id)
    return clue_outcomes(clue=clue).defer("person__id_number")


@router.post(
    "/clues/{int:clue_id}/outcomes",
    response={201: OutcomeOut, **ERRORS},
    summary="录入处理结果",
)
def create_outcome(request: HttpRequest, clue_id: int, payload: OutcomeCreateIn):
    require_perm(request, "clues.add_outcome")
    user = request.user
    clue = clue_get(user=user, pk=clue_id)
    outcome = outcome_record(
        actor=user,
        clue=clue,
        kind=payload.kind,
        decision_date=payload.decision_date,
        person=(
            visible_people(user, [payload.person], "person")[0]
            if payload.person is not None
            else None
        ),
        subject_name=payload.subject_name,
        subtype=payload.subtype or "",
        responsibility_type=payload.responsibility_type or "",
        funds_recovered=payload.funds_recovered,
        decided_by=(
            visible_org(user, payload.decided_by, "decided_by")
            if payload.decided_by is not None
            else None
        ),
        note=payload.note,
    )
    return Status(201, outcome)


@router.post(
    "/outcomes/{int:outcome_id}/archive",
    response={200: OutcomeOut, **ERRORS},
    summary="撤销处理结果（保留记录）",
)
def archive_outcome(request: HttpRequest, outcome_id: int, payload: OutcomeArchiveIn):
    require_perm(request, "clues.change_outcome")
    outcome = get_or_404(outcome_list(user=request.user), pk=outcome_id)
    return outcome_archive(actor=request.user, outcome=outcome, reason=payload.reason)


# --- exposure batches ------------------------------------------------------------


def _exposure_detail(user: Any, pk: int):
    cases = ExposureCase.objects.select_related("clue").prefetch_related(
        Prefetch("persons", queryset=_PEOPLE)
    )
    return get_or_404(
        exposure_list(user=user).prefetch_related(
            "domains", Prefetch("cases", queryset=cases.order_by("pk"))
        ),
        pk=pk,
    )


@router.get(
    "/exposure-batches", response={200: ExposurePageOut, **ERRORS}, summary="通报曝光批次列表"
)
def list_exposure_batches(request: HttpRequest, query: Query[CursorPageQuery]):
    """Newest first (通报日期, id), keyset-paged, with 起数 and 人次."""
    require_perm(request, "clues.view_exposurebatch")
    qs = exposure_list(user=request.user)
    page = _keyset(qs, after=query.after, limit=query.limit, date_field="published_on")
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/exposure-batches/{int:batch_id}",
    response={200: ExposureBatchDetailOut, **ERRORS},
    summary="通报曝光批次详情",
)
def get_exposure_batch(request: HttpRequest, batch_id: int):
    require_perm(request, "clues.view_exposurebatch")
    return _exposure_detail(request.user, batch_id)


@router.post(
    "/exposure-batches",
    response={201: ExposureBatchDetailOut, **ERRORS},
    summary="新增通报曝光批次",
)
def create_exposure_batch(request: HttpRequest, payload: ExposureBatchCreateIn):
    """Cases may link a clue and persons; all of them must be within the jurisdiction."""
    require_perm(request, "clues.add_exposurebatch")
    user = request.user
    clue_ids = {case.clue for case in payload.cases if case.clue is not None}
    clues = {c.pk: c for c in clue_list(user=user).filter(pk__in=clue_ids)}
    cases = []
    for index, case in enumerate(payload.cases):
        if case.clue is not None and case.clue not in clues:
            raise ValidationError(
                {f"cases.{index}.clue": f"问题线索（编号{case.clue}）不存在或不在您的管辖范围内"}
            )
        cases.append(
            {
                "title": case.title,
                "clue": clues.get(case.clue) if case.clue is not None else None,
                "persons": visible_people(user, case.persons, f"cases.{index}.persons"),
            }
        )
    batch = exposure_batch_create(
        actor=user,
        title=payload.title,
        published_on=payload.published_on,
        cases=cases,
        org=visible_org(user, payload.org, "org") if payload.org is not None else None,
        domains=_domains(payload.domains),
        medium=payload.medium.strip(),
    )
    return Status(201, _exposure_detail(user, batch.pk))


# --- reference data and statistics -----------------------------------------------


@router.get(
    "/domains", response={200: list[DomainOut], 401: ErrorOut, 500: ErrorOut}, summary="领域标签"
)
def list_domains(request: HttpRequest):
    """The active problem domains; their ``code`` is what filters and bodies take."""
    return DomainTag.objects.filter(archived_at__isnull=True)


@router.get(
    "/statistics/keys", response={200: list[StatisticInfoOut], **ERRORS}, summary="统计指标"
)
def list_statistics(request: HttpRequest):
    require_perm(request, "clues.view_clue")
    return [{"key": s.key, "name": s.name, "unit": s.unit} for s in STATISTICS.values()]


@router.get("/statistics", response={200: StatisticOut, **ERRORS}, summary="统计数与下钻记录")
def get_statistic(request: HttpRequest, query: Query[StatisticQuery]):
    """One statistic over a period, for the user's whole jurisdiction or one org in it
    (``include_subtree`` adds its lower orgs). With ``records=true`` the answer lists
    the ids of exactly the records counted, so every figure can be opened."""
    require_perm(request, "clues.view_clue")
    user = request.user
    stat = STATISTICS.get(query.key)
    if stat is None:
        raise ValidationError({"key": f"未知的统计指标“{query.key}”"})
    if query.start > query.end:
        raise ValidationError({"end": "截止日期不能早于起始日期"})
    domain = query.domain.strip()
    if domain and not DomainTag.objects.filter(code=domain).exists():
        raise ValidationError({"domain": f"领域代码“{domain}”不存在"})
    visible = jurisdiction_org_ids(user)
    org_ids: set[int] = set(visible)
    if query.org is not None:
        if query.org not in visible:
            raise ValidationError({"org": f"单位（编号{query.org}）不存在或不在您的管辖范围内"})
        org_ids = {query.org}
        if query.include_subtree:
            org = org_get(user=user, pk=query.org)
            org_ids = set(org_subtree_ids(org=org)) & visible
    counted = stat.queryset(start=query.start, end=query.end, domain=domain, org_ids=org_ids)
    records = None
    if query.records:
        rows = counted.order_by().values_list(stat.count_field, flat=True).distinct()
        records = sorted(pk for pk in rows if pk is not None)
    model: Any = stat.model
    if stat.count_field != "pk":
        model = model._meta.get_field(stat.count_field).related_model
    return {
        "key": stat.key,
        "name": stat.name,
        "unit": stat.unit,
        "start": query.start,
        "end": query.end,
        "domain": domain,
        "org_id": query.org,
        "count": stat.count(start=query.start, end=query.end, domain=domain, org_ids=org_ids),
        "record_type": model._meta.label_lower,
        "records": records,
    }
