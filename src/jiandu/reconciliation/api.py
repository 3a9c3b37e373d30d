"""API of 零报告 detection, 对账销账 and the 质询会 (/api/v1/reconciliation/).

Reads go through the selectors (jurisdiction applied, 404 outside it), writes through the
services (validated, atomic, audited); an illegal move is 409 naming it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from jiandu.core.access import get_or_404, require_perm
from jiandu.core.pagination import decode_cursor, keyset_paginate
from jiandu.core.schemas import ERRORS, ERRORS_WITH_CONFLICT, CursorPageQuery
from jiandu.orgs.selectors import visible_org
from jiandu.oversight.models import Problem
from jiandu.oversight.selectors import problem_list
from jiandu.people.models import Person
from jiandu.reconciliation import selectors, services
from jiandu.reconciliation.choices import EvidenceKind
from jiandu.reconciliation.models import (
    InquiryItem,
    InquiryRecordItem,
    LedgerPair,
    ZeroReportFlag,
    ZeroReportRule,
)
from jiandu.reconciliation.periods import period_parse
from jiandu.reconciliation.schemas import (
    AccountabilityIn,
    AccountabilityOut,
    DetectIn,
    DetectOut,
    FlagDetailOut,
    FlagPageOut,
    FlagQuery,
    InquiryIn,
    InquiryOut,
    InquiryPageOut,
    LedgerOut,
    LedgerQuery,
    MarkIn,
    MatchIn,
    PairIn,
    PairOut,
    ReconcileMoveIn,
    ReconcileReasonIn,
    RuleIn,
    SuperviseIn,
    ZeroReportRuleOut,
)

router = Router(tags=["对账销账"])


def _page(qs: Any, *, after: str | None, limit: int, date_field: str) -> Any:
    if after:
        values = decode_cursor(after)
        if not values or len(values) != 2 or not isinstance(values[1], int):
            raise ValidationError({"after": "分页游标无效"})
    return keyset_paginate(qs, after=after or None, size=limit, date_field=date_field)


# --- 零报告 ---------------------------------------------------------------------------


def _rule(rule: ZeroReportRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "zero_min_other": rule.zero_min_other,
        "share_threshold": rule.share_threshold,
        "share_min_other": rule.share_min_other,
        "describe": rule.describe,
        "basis": rule.basis,
        "since": rule.created_at,
        "until": rule.archived_at,
        "change_reason": rule.archive_reason,
    }


def _flag(flag: ZeroReportFlag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "org": {"id": flag.org_id, "name": flag.org.name},
        "period": flag.period_key,
        "period_start": flag.period_start,
        "period_end": flag.period_end,
        "reason": flag.reason,
        "reason_label": flag.get_reason_display(),
        "self_found_count": flag.self_found_count,
        "other_problem_count": flag.other_problem_count,
        "petition_count": flag.petition_count,
        "status": flag.status,
        "status_label": flag.get_status_display(),
        "rule_id": flag.rule_id,
        "rule": flag.rule.describe,
        "detected_at": flag.created_at,
    }


def _flag_detail(user: Any, flag: ZeroReportFlag) -> dict[str, Any]:
    evidence = selectors.zero_report_evidence(user=user, flag=flag)

    def rows(kind: str, record_type: str) -> list[dict[str, Any]]:
        return [
            {
                "number": r.number,
                "title": r.title,
                "date": r.date,
                "record_type": record_type,
                "record_id": r.record_id,
            }
            for r in evidence[kind]
        ]

    body = _flag(flag)
    body.update(
        self_found=rows(EvidenceKind.SELF_FOUND, "problem"),
        other_problems=rows(EvidenceKind.OTHER_PROBLEM, "problem"),
        petitions=rows(EvidenceKind.PETITION, "petition"),
        supervised_on=flag.supervised_on,
        supervision_note=flag.supervision_note,
    )
    return body


@router.get(
    "/zero-report-rules", response={200: list[ZeroReportRuleOut], **ERRORS}, summary="零报告规则"
)
def list_rules(request: HttpRequest):
    """Every version, newest first (the first is in force)."""
    require_perm(request, "reconciliation.view_zeroreportflag")
    services.zero_report_rule_current()
    return [_rule(r) for r in selectors.zero_report_rules()]


@router.post(
    "/zero-report-rules", response={201: ZeroReportRuleOut, **ERRORS}, summary="修改零报告规则"
)
def set_rule(request: HttpRequest, payload: RuleIn):
    """A new version; flags already raised keep the rule they were raised under."""
    require_perm(request, "reconciliation.change_zeroreportrule")
    rule = services.zero_report_rule_set(
        actor=request.user,
        zero_min_other=payload.zero_min_other,
        share_threshold=payload.share_threshold,
        share_min_other=payload.share_min_other,
        basis=payload.basis,
        reason=payload.reason,
    )
    return Status(201, _rule(rule))


@router.get("/zero-report-flags", response={200: FlagPageOut, **ERRORS}, summary="零报告标记")
def list_flags(request: HttpRequest, query: Query[FlagQuery]):
    require_perm(request, "reconciliation.view_zeroreportflag")
    period = period_parse(query.period).key if query.period else ""
    qs = selectors.zero_report_flag_list(user=request.user, period_key=period, status=query.status)
    page = _page(qs, after=query.after, limit=query.limit, date_field="period_start")
    return {"items": [_flag(f) for f in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/zero-report-flags/{int:flag_id}",
    response={200: FlagDetailOut, **ERRORS},
    summary="零报告标记详情（含依据）",
)
def get_flag(request: HttpRequest, flag_id: int):
    """The counts and the records behind each of them."""
    require_perm(request, "reconciliation.view_zeroreportflag")
    flag = selectors.zero_report_flag_get(user=request.user, pk=flag_id)
    return _flag_detail(request.user, flag)


@router.post("/zero-report-runs", response={200: DetectOut, **ERRORS}, summary="运行零报告检测")
def detect(request: HttpRequest, payload: DetectIn):
    """Over the caller's jurisdiction (or under ``within``); idempotent per unit and
    period."""
    require_perm(request, "reconciliation.detect_zeroreport")
    within = visible_org(request.user, payload.within, "within") if payload.within else None
    result = services.zero_report_detect(
        actor=request.user, period=period_parse(payload.period), within=within
    )
    return result.as_dict()


@router.post(
    "/zero-report-flags/{int:flag_id}/supervise",
    response={200: FlagDetailOut, **ERRORS_WITH_CONFLICT},
    summary="登记专项督导",
)
def supervise_flag(request: HttpRequest, flag_id: int, payload: SuperviseIn):
    require_perm(request, "reconciliation.detect_zeroreport")
    flag = selectors.zero_report_flag_get(user=request.user, pk=flag_id)
    flag = services.zero_report_flag_supervise(
        actor=request.user, flag=flag, supervised_on=payload.supervised_on, note=payload.note
    )
    return _flag_detail(request.user, selectors.zero_report_flag_get(user=request.user, pk=flag.pk))


# --- 对账销账 --------------------------------------------------------------------------


def _ledger_problem(p: Problem, *, gap: bool = False) -> dict[str, Any]:
    pair = getattr(p, "pair", None)
    other = None
    if pair is not None:
        other = pair.other_problem_id if pair.self_problem_id == p.pk else pair.self_problem_id
    acc = getattr(p, "accountability", None) if gap else None
    return {
        "id": p.pk,
        "number": p.number or "",
        "description": p.description,
        "source": p.source.name,
        "category": p.category.name,
        "found_on": p.found_on,
        "rectification_status": p.rectification.get_status_display(),
        "paired_with": other,
        "accountability": (
            f"{acc.get_form_display()}：主管领导{acc.supervising_leader.name}，一把手{acc.principal.name}"
            if acc
            else None
        ),
    }


def _pair(pair: LedgerPair) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "self_problem": pair.self_problem_id,
        "other_problem": pair.other_problem_id,
        "kind": pair.kind,
        "kind_label": pair.get_kind_display(),
        "reason": pair.reason,
    }


def _unit(user: Any, org_id: int) -> Any:
    return get_or_404(services.scope_units(actor=user), pk=org_id)


def _ledger(user: Any, org: Any, period: Any) -> dict[str, Any]:
    reconciliation = selectors.reconciliation_for(user=user, org=org, period=period)
    books = selectors.ledgers(org=org, period=period, reconciliation=reconciliation)
    return {
        "org": {"id": org.pk, "name": org.name},
        "period": period.key,
        "period_label": period.label,
        "reconciliation_id": reconciliation.pk if reconciliation else None,
        "status": reconciliation.status if reconciliation else None,
        "counts": books.counts,
        "self_ledger": [_ledger_problem(p) for p in books.self_ledger],
        "other_ledger": [_ledger_problem(p) for p in books.other_ledger],
        "gaps": [_ledger_problem(p, gap=True) for p in books.gaps],
        "pairs": [_pair(p) for p in books.pairs],
    }


@router.get("/ledgers", response={200: LedgerOut, **ERRORS}, summary="对账台账（自查、被查、差额）")
def get_ledger(request: HttpRequest, query: Query[LedgerQuery]):
    require_perm(request, "reconciliation.view_reconciliation")
    org = _unit(request.user, query.org)
    return _ledger(request.user, org, period_parse(query.period))


@router.post(
    "/ledgers/match", response={200: LedgerOut, **ERRORS_WITH_CONFLICT}, summary="自动对账"
)
def match(request: HttpRequest, payload: MatchIn):
    """Open the unit's reconciliation of the period (once) and pair by unit, category
    and period; running again pairs nothing new unless the ledgers changed."""
    require_perm(request, "reconciliation.change_reconciliation")
    org = _unit(request.user, payload.org)
    period = period_parse(payload.period)
    reconciliation = services.reconciliation_open(actor=request.user, org=org, period=period)
    services.reconciliation_match(actor=request.user, reconciliation=reconciliation)
    return _ledger(request.user, org, period)


def _problem(user: Any, pk: int, field: str) -> Problem:
    problem = problem_list(user=user).filter(pk=pk).first()
    if problem is None:
        raise ValidationError({field: f"问题（编号{pk}）不存在或不在您的管辖范围内"})
    return problem


@router.post(
    "/reconciliations/{int:reconciliation_id}/pairs",
    response={201: PairOut, **ERRORS_WITH_CONFLICT},
    summary="人工配对",
)
def pair(request: HttpRequest, reconciliation_id: int, payload: PairIn):
    require_perm(request, "reconciliation.change_reconciliation")
    reconciliation = selectors.reconciliation_get(user=request.user, pk=reconciliation_id)
    created = services.ledger_pair(
        actor=request.user,
        reconciliation=reconciliation,
        self_problem=_problem(request.user, payload.self_problem, "self_problem"),
        other_problem=_problem(request.user, payload.other_problem, "other_problem"),
        reason=payload.reason,
    )
    return Status(201, _pair(created))


@router.post(
    "/pairs/{int:pair_id}/unpair",
    response={200: PairOut, **ERRORS_WITH_CONFLICT},
    summary="解除配对",
)
def unpair(request: HttpRequest, pair_id: int, payload: ReconcileReasonIn):
    require_perm(request, "reconciliation.change_reconciliation")
    visible = selectors.reconciliation_list(user=request.user).values("pk")
    found = get_or_404(LedgerPair.objects.filter(reconciliation__in=visible), pk=pair_id)
    return _pair(services.ledger_unpair(actor=request.user, pair=found, reason=payload.reason))


@router.post(
    "/reconciliations/{int:reconciliation_id}/accountabilities",
    response={201: AccountabilityOut, **ERRORS_WITH_CONFLICT},
    summary="登记被动整改问责",
)
def account(request: HttpRequest, reconciliation_id: int, payload: AccountabilityIn):
    """On a gap item: the 主管领导 and the 一把手 held to account (seed 003)."""
    require_perm(request, "reconciliation.add_gapaccountability")
    reconciliation = selectors.reconciliation_get(user=request.user, pk=reconciliation_id)
    people = Person.objects.filter(archived_at__isnull=True)
    leader = people.filter(pk=payload.supervising_leader).first()
    principal = people.filter(pk=payload.principal).first()
    if leader is None or principal is None:
        raise ValidationError({"supervising_leader": "人员不存在"})
    record = services.gap_accountability_record(
        actor=request.user,
        reconciliation=reconciliation,
        problem=_problem(request.user, payload.problem, "problem"),
        supervising_leader=leader,
        principal=principal,
        form=payload.form,
        decided_on=payload.decided_on,
        decision=payload.decision,
    )
    return Status(
        201,
        {
            "id": record.pk,
            "problem": record.problem_id,
            "supervising_leader": leader.name,
            "principal": principal.name,
            "form": record.form,
            "form_label": record.get_form_display(),
            "decided_on": record.decided_on,
            "decision": record.decision,
        },
    )


@router.post(
    "/reconciliations/{int:reconciliation_id}/moves",
    response={200: LedgerOut, **ERRORS_WITH_CONFLICT},
    summary="销账、重新对账",
)
def move(request: HttpRequest, reconciliation_id: int, payload: ReconcileMoveIn):
    require_perm(request, "reconciliation.change_reconciliation")
    reconciliation = selectors.reconciliation_get(user=request.user, pk=reconciliation_id)
    reconciliation = services.reconciliation_move(
        actor=request.user,
        reconciliation=reconciliation,
        action=payload.action,
        reason=payload.reason,
    )
    return _ledger(request.user, reconciliation.org, period_parse(reconciliation.period_key))


# --- 质询会 ---------------------------------------------------------------------------


def _inquiry(meeting: Any) -> dict[str, Any]:
    minutes = selectors.inquiry_minutes(meeting)
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "org": {"id": meeting.org_id, "name": meeting.org.name},
        "convening_org": {"id": meeting.convening_org_id, "name": meeting.convening_org.name},
        "held_on": meeting.held_on,
        "place": meeting.place,
        "chair": meeting.chair,
        "participants": meeting.participant_list,
        "requirements": meeting.requirement_list,
        "status": meeting.status,
        "status_label": meeting.get_status_display(),
        "minutes_number": minutes.number if minutes else None,
        "items": [
            {
                "id": i.pk,
                "order": i.order,
                "problem_id": i.problem_id,
                "problem_number": i.problem.number or "",
                "problem": i.problem.description,
                "decision": i.decision,
                "decision_label": i.get_decision_display() if i.decision else "",
                "decision_text": i.decision_text,
            }
            for i in selectors.inquiry_items(meeting)
        ],
        "records": [
            {
                "id": r.pk,
                "order": r.order,
                "record_type": r.record_type,
                "record_id": r.record_id,
                "reference": r.reference,
                "text": r.text,
                "decision": r.decision,
                "decision_label": r.get_decision_display() if r.decision else "",
                "decision_text": r.decision_text,
            }
            for r in meeting.record_items.order_by("order")
        ],
    }


@router.get("/inquiries", response={200: InquiryPageOut, **ERRORS}, summary="质询会列表")
def list_inquiries(request: HttpRequest, query: Query[CursorPageQuery]):
    require_perm(request, "reconciliation.view_inquirymeeting")
    qs = selectors.inquiry_list(user=request.user)
    page = _page(qs, after=query.after, limit=query.limit, date_field="held_on")
    return {"items": [_inquiry(m) for m in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/inquiries/{int:meeting_id}", response={200: InquiryOut, **ERRORS}, summary="质询会详情"
)
def get_inquiry(request: HttpRequest, meeting_id: int):
    require_perm(request, "reconciliation.view_inquirymeeting")
    return _inquiry(selectors.inquiry_get(user=request.user, pk=meeting_id))


@router.post("/inquiries", response={201: InquiryOut, **ERRORS}, summary="筹备质询会")
def create_inquiry(request: HttpRequest, payload: InquiryIn):
    require_perm(request, "reconciliation.add_inquirymeeting")
    user = request.user
    org = get_or_404(services.inquiry_units(actor=user), pk=payload.org)
    from jiandu.oversight.selectors import supervising_orgs

    convening = supervising_orgs(user).filter(pk=payload.convening_org).first()
    if convening is None:
        raise ValidationError({"convening_org": "召集单位应为本单位或本单位所代表的纪委监委"})
    meeting = services.inquiry_create(
        actor=user,
        title=payload.title,
        org=org,
        convening_org=convening,
        held_on=payload.held_on,
        place=payload.place,
        chair=payload.chair,
        participants="\n".join(payload.participants),
        requirements="\n".join(payload.requirements),
        problems=[_problem(user, pk, "problems") for pk in payload.problems],
        records=_records(user, org, payload.records),
    )
    return Status(201, _inquiry(meeting))


def _records(user: Any, org: Any, wanted: list[Any]) -> list[Any]:
    """The chosen records of other apps about the unit, resolved by their source
    (unknown, foreign or out-of-jurisdiction ones: 422 naming them)."""
    from jiandu.core.hooks import agenda_source

    found = []
    for record_type in dict.fromkeys(w.record_type for w in wanted):
        ids = [w.record_id for w in wanted if w.record_type == record_type]
        source = agenda_source(record_type)
        got = source.resolve(user, org.pk, ids) if source is not None else []
        missing = sorted(set(ids) - {r.record_id for r in got})
        if missing:
            raise ValidationError(
                {"records": f"{org.name}没有这些台账事项：{record_type} {missing}"}
            )
        found += got
    return found


@router.post(
    "/inquiries/{int:meeting_id}/hold",
    response={200: InquiryOut, **ERRORS_WITH_CONFLICT},
    summary="登记会议已召开",
)
def hold_inquiry(request: HttpRequest, meeting_id: int):
    require_perm(request, "reconciliation.change_inquirymeeting")
    meeting = selectors.inquiry_get(user=request.user, pk=meeting_id)
    services.inquiry_hold(actor=request.user, meeting=meeting)
    return _inquiry(selectors.inquiry_get(user=request.user, pk=meeting_id))


@router.post(
    "/inquiry-items/{int:item_id}/mark",
    response={200: InquiryOut, **ERRORS_WITH_CONFLICT},
    summary="标记交账、销账、清账",
)
def mark_item(request: HttpRequest, item_id: int, payload: MarkIn):
    require_perm(request, "reconciliation.change_inquirymeeting")
    visible = selectors.inquiry_list(user=request.user).values("pk")
    item = get_or_404(InquiryItem.objects.filter(meeting__in=visible), pk=item_id)
    services.inquiry_item_mark(
        actor=request.user, item=item, decision=payload.decision, text=payload.text
    )
    return _inquiry(selectors.inquiry_get(user=request.user, pk=item.meeting_id))


@router.post(
    "/inquiries/{int:meeting_id}/minutes",
    response={200: InquiryOut, **ERRORS_WITH_CONFLICT},
    summary="印发质询会纪要（取文号）",
)
def issue_minutes(request: HttpRequest, meeting_id: int):
    require_perm(request, "reconciliation.change_inquirymeeting")
    require_perm(request, "documents.add_document")
    meeting = selectors.inquiry_get(user=request.user, pk=meeting_id)
    services.inquiry_minutes_issue(actor=request.user, meeting=meeting)
    return _inquiry(selectors.inquiry_get(user=request.user, pk=meeting_id))


@router.post(
    "/inquiry-records/{int:item_id}/mark",
    response={200: InquiryOut, **ERRORS_WITH_CONFLICT},
    summary="台账事项标记交账、销账、清账",
)
def mark_record(request: HttpRequest, item_id: int, payload: MarkIn):
    require_perm(request, "reconciliation.change_inquirymeeting")
    visible = selectors.inquiry_list(user=request.user).values("pk")
    item = get_or_404(InquiryRecordItem.objects.filter(meeting__in=visible), pk=item_id)
    services.inquiry_record_mark(
        actor=request.user, item=item, decision=payload.decision, text=payload.text
    )
    return _inquiry(selectors.inquiry_get(user=request.user, pk=item.meeting_id))
