"""Writes of 零报告 detection, 对账销账 and the 质询会. Every function is keyword-only with
``actor=``, atomic, validated, and writes its audit row (and an event row where there is
a lifecycle).

- 零报告: :func:`zero_report_rule_set` (a new version of the rule),
  :func:`zero_report_detect` (idempotent over a period), :func:`zero_report_flag_supervise`.
- 对账销账: :func:`reconciliation_open`, :func:`reconciliation_match` (automatic, by unit,
  category and period), :func:`ledger_pair` / :func:`ledger_unpair` (by hand, with a
  reason), :func:`gap_accountability_record` (被动整改 → 问责), :func:`reconciliation_move`
  (销账 / 重新对账).
- 质询会: :func:`inquiry_create`, :func:`inquiry_hold`, :func:`inquiry_item_mark`,
  :func:`inquiry_minutes_issue`, and :func:`inquiry_agenda_docx` (rendered, not numbered).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jiandu.core.access import jurisdiction_org_ids
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.hooks import AgendaRecord
from jiandu.orgs.choices import COMMISSION_KINDS
from jiandu.orgs.models import Org
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import Problem
from jiandu.reconciliation.choices import (
    AccountabilityForm,
    EvidenceKind,
    FlagReason,
    FlagStatus,
    InquiryAction,
    InquiryDecision,
    InquiryStatus,
    PairKind,
    ReconciliationAction,
    ReconciliationStatus,
)
from jiandu.reconciliation.lifecycle import TransitionError, inquiry_next, reconciliation_next
from jiandu.reconciliation.models import (
    GapAccountability,
    InquiryItem,
    InquiryMeeting,
    InquiryRecordItem,
    LedgerPair,
    Reconciliation,
    ReconciliationEvent,
    ZeroReportEvidence,
    ZeroReportFlag,
    ZeroReportRule,
)
from jiandu.reconciliation.periods import Period

INQUIRY_RECORD = "reconciliation.inquirymeeting"
DEFAULT_RULE_BASIS = (
    "景县“对账销账定期化”：对“零报告”、自查问题较少但群众反映集中的单位进行专项督导"
)


def _in_jurisdiction(actor: Any, org: Org, field_name: str = "org") -> None:
    if actor is not None and org.pk not in jurisdiction_org_ids(actor):
        raise ValidationError({field_name: f"{org}不在您的管辖范围内"})


# --- the 零报告 rule ------------------------------------------------------------------


def zero_report_rule_current() -> ZeroReportRule:
    """The rule in force; the installation default when none was ever set."""
    rule = ZeroReportRule.objects.filter(archived_at__isnull=True).first()
    if rule is None:
        rule = ZeroReportRule.objects.create(basis=DEFAULT_RULE_BASIS)
    return rule


@transaction.atomic
def zero_report_rule_set(
    *,
    actor: Any,
    zero_min_other: int,
    share_threshold: Decimal,
    share_min_other: int,
    reason: str,
    basis: str = "",
) -> ZeroReportRule:
    """A new version of the rule: the one in force is archived (who, when, why); flags
    already raised keep the rule they were raised under."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写修改原因"})
    current = zero_report_rule_current()
    new = ZeroReportRule(
        zero_min_other=zero_min_other,
        share_threshold=Decimal(share_threshold),
        share_min_other=share_min_other,
        basis=basis.strip() or current.basis,
        created_by=actor,
    )
    new.full_clean(validate_constraints=False)
    current.archived_at = timezone.now()
    current.archived_by = actor
    current.archive_reason = reason.strip()[:200]
    current.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
    new.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=new,
        summary=f"修改零报告规则：{new.describe}"[:300],
        changes={"before": current.describe, "after": new.describe, "reason": reason.strip()},
    )
    return new


# --- 零报告 detection -----------------------------------------------------------------


def zero_report_evaluate(
    rule: ZeroReportRule, *, self_found: int, others: int
) -> FlagReason | None:
    """Whether a unit with these counts is flagged, and why (a pure function of the rule).
    "Below the share" is strict: exactly at the threshold is not flagged."""
    if self_found == 0 and others >= rule.zero_min_other:
        return FlagReason.ZERO
    if others >= rule.share_min_other and Decimal(self_found) < rule.share_threshold * others:
        return FlagReason.LOW_SHARE
    return None


@dataclass
class UnitRecords:
    """The records about one unit in a period, by kind."""

    self_found: list[int] = field(default_factory=list)
    other_problems: list[int] = field(default_factory=list)
    petitions: list[int] = field(default_factory=list)

    @property
    def others(self) -> int:
        return len(self.other_problems) + len(self.petitions)


def scope_units(*, actor: Any, within: Org | None = None) -> QuerySet[Org]:
    """The units a detection looks at: supervised units (not commissions or their
    offices), in force, within the actor's jurisdiction (everything when run by the
    system) and under ``within`` when given."""
    qs = Org.objects.filter(archived_at__isnull=True).exclude(kind__in=COMMISSION_KINDS)
    if actor is not None:
        qs = qs.filter(pk__in=jurisdiction_org_ids(actor))
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs


def inquiry_units(*, actor: Any) -> QuerySet[Org]:
    """The units a 质询会 may question: the supervised units of the jurisdiction and its
    county commissions (seed 002: counties account for their 三本账 at the meeting)."""
    from django.db.models import Q

    from jiandu.orgs.choices import OrgKind

    return Org.objects.filter(archived_at__isnull=True, pk__in=jurisdiction_org_ids(actor)).filter(
        ~Q(kind__in=COMMISSION_KINDS) | Q(kind=OrgKind.COUNTY)
    )


def unit_records(*, units: QuerySet[Org], period: Period) -> dict[int, UnitRecords]:
    """Per unit, the ids of its self-found problems, its problems from other sources and
    the petitions about it, of the period (two queries whatever the number of units)."""
    from jiandu.clues.models import Petition

    out: dict[int, UnitRecords] = defaultdict(UnitRecords)
    unit_ids = units.values("pk")
    problems = (
        Problem.objects.filter(org__in=unit_ids, found_on__range=(period.start, period.end))
        .order_by("found_on", "pk")
        .values_list("pk", "org_id", "source__is_self_found")
    )
    for pk, org_id, self_found in problems:
        (out[org_id].self_found if self_found else out[org_id].other_problems).append(pk)
    about = (
        Petition.subject_orgs.through.objects.filter(
            org__in=unit_ids,
            petition__received_date__range=(period.start, period.end),
        )
        .order_by("petition__received_date", "petition_id")
        .values_list("petition_id", "org_id")
    )
    for petition_id, org_id in about:
        out[org_id].petitions.append(petition_id)
    return out


@dataclass
class DetectionResult:
    period: Period
    rule: ZeroReportRule
    units: int
    created: list[ZeroReportFlag]
    existing: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "period_label": self.period.label,
            "rule": self.rule.describe,
            "units_checked": self.units,
            "flags_created": len(self.created),
            "flags_existing": self.existing,
            "created": [
                {
                    "id": f.pk,
                    "org": f.org.name,
                    "reason": f.get_reason_display(),
                    "self_found": f.self_found_count,
                    "other_problems": f.other_problem_count,
                    "petitions": f.petition_count,
                }
                for f in self.created
            ],
        }


@transaction.atomic
def zero_report_detect(*, actor: Any, period: Period, within: Org | None = None) -> DetectionResult:
    """Flag the units of the scope whose self-found problems of ``period`` are 0 or below
    the share the rule in force sets. Idempotent: a unit already flagged for the period
    keeps its flag unchanged (its counts, evidence and rule are those of its detection).
    ``actor`` None is a system run (the command line without ``--user``)."""
    if within is not None:
        _in_jurisdiction(actor, within, "within")
    rule = zero_report_rule_current()
    units = scope_units(actor=actor, within=within)
    records = unit_records(units=units, period=period)
    already = set(
        ZeroReportFlag.objects.filter(
            period_key=period.key, org__in=units.values("pk")
        ).values_list("org_id", flat=True)
    )
    unit_list = list(units.only("pk", "name"))
    created: list[ZeroReportFlag] = []
    for org in unit_list:
        if org.pk in already:
            continue
        found = records.get(org.pk) or UnitRecords()
        reason = zero_report_evaluate(rule, self_found=len(found.self_found), others=found.others)
        if reason is None:
            continue
        flag = ZeroReportFlag.objects.create(
            org=org,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            rule=rule,
            reason=reason,
            self_found_count=len(found.self_found),
            other_problem_count=len(found.other_problems),
            petition_count=len(found.petitions),
            detected_by=actor if getattr(actor, "pk", None) else None,
        )
        ZeroReportEvidence.objects.bulk_create(
            [ZeroReportEvidence(flag=flag, kind=EvidenceKind.SELF_FOUND, problem_id=pk)
             for pk in found.self_found]
            + [ZeroReportEvidence(flag=flag, kind=EvidenceKind.OTHER_PROBLEM, problem_id=pk)
               for pk in found.other_problems]
            + [ZeroReportEvidence(flag=flag, kind=EvidenceKind.PETITION, petition_id=pk)
               for pk in found.petitions]
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=flag,
            summary=f"零报告检测：{org.name} {period.label} {flag.get_reason_display()}"[:300],
            changes={
                "period": period.key,
                "rule": rule.pk,
                "self_found": flag.self_found_count,
                "other_problems": flag.other_problem_count,
                "petitions": flag.petition_count,
            },
        )
        created.append(flag)
    return DetectionResult(
        period=period, rule=rule, units=len(unit_list), created=created, existing=len(already)
    )


@transaction.atomic
def zero_report_flag_supervise(
    *, actor: Any, flag: ZeroReportFlag, supervised_on: dt.date, note: str
) -> ZeroReportFlag:
    """Record the 专项督导 held on a flagged unit."""
    flag = ZeroReportFlag.objects.select_for_update().get(pk=flag.pk)
    _in_jurisdiction(actor, flag.org)
    if flag.status != FlagStatus.OPEN:
        raise TransitionError("该单位的专项督导已登记")
    if not note.strip():
        raise ValidationError({"note": "请填写专项督导情况"})
    if supervised_on > timezone.localdate():
        raise ValidationError({"supervised_on": "督导日期不能晚于今天"})
    flag.status = FlagStatus.SUPERVISED
    flag.supervised_on = supervised_on
    flag.supervision_note = note.strip()
    flag.supervised_by = actor
    flag.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=flag,
        summary=f"登记专项督导：{flag.org.name} {flag.period_key}",
        changes={"supervised_on": supervised_on, "note": flag.supervision_note},
    )
    return flag


# --- 对账销账 --------------------------------------------------------------------------


def ledger_problems(*, org: Org, period: Period) -> tuple[QuerySet[Problem], QuerySet[Problem]]:
    """The two ledgers of a unit's period: self-found problems (自查台账) and problems
    found by others — supervision, inspection, reports … (被查台账)."""
    base = Problem.objects.filter(org=org, found_on__range=(period.start, period.end))
    return base.filter(source__is_self_found=True), base.filter(source__is_self_found=False)


@transaction.atomic
def reconciliation_open(*, actor: Any, org: Org, period: Period) -> Reconciliation:
    """The reconciliation of a unit's period, opened on first use."""
    _in_jurisdiction(actor, org)
    reconciliation, created = Reconciliation.objects.get_or_create(
        org=org,
        period_key=period.key,
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=reconciliation,
            summary=f"开始对账：{org.name} {period.label}",
            changes={"period": period.key},
        )
    return reconciliation


def _period(reconciliation: Reconciliation) -> Period:
    from jiandu.reconciliation.periods import period_parse

    return period_parse(reconciliation.period_key)


def _require_open(reconciliation: Reconciliation, what: str) -> None:
    if reconciliation.status != ReconciliationStatus.OPEN:
        raise TransitionError(f"“{reconciliation.get_status_display()}”的对账不能{what}")


def _paired_ids() -> tuple[QuerySet, QuerySet]:
    active = LedgerPair.objects.filter(ended_at__isnull=True)
    return active.values("self_problem_id"), active.values("other_problem_id")


@transaction.atomic
def reconciliation_match(*, actor: Any, reconciliation: Reconciliation) -> list[LedgerPair]:
    """Pair automatically, one to one, each unpaired problem found by others with an
    unpaired self-found problem of the same unit, category and period (the nearest in
    date, then the earliest). A couple unpaired by hand is never paired again. Running it
    again pairs nothing new unless the ledgers changed."""
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    _in_jurisdiction(actor, reconciliation.org)
    _require_open(reconciliation, "自动对账")
    period = _period(reconciliation)
    self_ledger, other_ledger = ledger_problems(org=reconciliation.org, period=period)
    paired_self, paired_other = _paired_ids()
    free_self = list(
        self_ledger.exclude(pk__in=paired_self)
        .order_by("found_on", "pk")
        .values_list("pk", "category_id", "found_on")
    )
    free_other = list(
        other_ledger.exclude(pk__in=paired_other)
        .order_by("found_on", "pk")
        .values_list("pk", "category_id", "found_on")
    )
    ended = set(
        LedgerPair.objects.filter(
            ended_at__isnull=False, reconciliation__org=reconciliation.org
        ).values_list("self_problem_id", "other_problem_id")
    )
    by_category: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for pk, category_id, found_on in free_self:
        by_category[category_id].append((pk, found_on))
    created = []
    for other_pk, category_id, found_on in free_other:
        candidates = [
            (abs((s_found - found_on).days), s_found, s_pk)
            for s_pk, s_found in by_category.get(category_id, [])
            if (s_pk, other_pk) not in ended
        ]
        if not candidates:
            continue
        _days, s_found, s_pk = min(candidates)
        by_category[category_id].remove((s_pk, s_found))
        created.append(
            LedgerPair.objects.create(
                reconciliation=reconciliation,
                self_problem_id=s_pk,
                other_problem_id=other_pk,
                kind=PairKind.AUTO,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    reconciliation.matched_at = timezone.now()
    reconciliation.save(update_fields=["matched_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=reconciliation,
        summary=f"自动对账：{reconciliation} 新配对{len(created)}组",
        changes={"pairs": [[p.self_problem_id, p.other_problem_id] for p in created]},
    )
    return created


@transaction.atomic
def ledger_pair(
    *,
    actor: Any,
    reconciliation: Reconciliation,
    self_problem: Problem,
    other_problem: Problem,
    reason: str,
) -> LedgerPair:
    """Pair by hand, with a reason: a self-found problem of the unit (of this period or an
    earlier one) with a problem of the 被查台账 of this period, neither already paired."""
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    _in_jurisdiction(actor, reconciliation.org)
    _require_open(reconciliation, "配对")
    if not reason.strip():
        raise ValidationError({"reason": "人工配对须填写理由"})
    period = _period(reconciliation)
    if (
        self_problem.org_id != reconciliation.org_id
        or other_problem.org_id != reconciliation.org_id
    ):
        raise ValidationError({"__all__": "配对的两个问题都应是本单位的问题"})
    if not self_problem.source.is_self_found:
        raise ValidationError({"self_problem": f"{self_problem.number}不是自查自纠问题"})
    if self_problem.found_on > period.end:
        raise ValidationError({"self_problem": f"{self_problem.number}发现于本期之后"})
    if other_problem.source.is_self_found or not (
        period.start <= other_problem.found_on <= period.end
    ):
        raise ValidationError({"other_problem": f"{other_problem.number}不在本期被查台账中"})
    active = LedgerPair.objects.filter(ended_at__isnull=True)
    if active.filter(self_problem=self_problem).exists():
        raise ValidationError({"self_problem": f"{self_problem.number}已有配对，请先解除"})
    if active.filter(other_problem=other_problem).exists():
        raise ValidationError({"other_problem": f"{other_problem.number}已有配对，请先解除"})
    pair = LedgerPair.objects.create(
        reconciliation=reconciliation,
        self_problem=self_problem,
        other_problem=other_problem,
        kind=PairKind.MANUAL,
        reason=reason.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=pair,
        summary=f"人工配对：{self_problem.number} ↔ {other_problem.number}",
        changes={"reason": pair.reason, "reconciliation": reconciliation.pk},
    )
    return pair


@transaction.atomic
def ledger_unpair(*, actor: Any, pair: LedgerPair, reason: str) -> LedgerPair:
    """End a pair (automatic or manual) with a reason; the other party's problem goes
    back to the gap list."""
    pair = LedgerPair.objects.select_for_update().select_related("reconciliation").get(pk=pair.pk)
    _in_jurisdiction(actor, pair.reconciliation.org)
    _require_open(pair.reconciliation, "解除配对")
    if pair.ended_at is not None:
        raise TransitionError("该配对已解除")
    if not reason.strip():
        raise ValidationError({"reason": "解除配对须填写理由"})
    pair.ended_at = timezone.now()
    pair.ended_by = actor
    pair.end_reason = reason.strip()
    pair.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=pair,
        summary=f"解除配对：{pair.self_problem_id} ↔ {pair.other_problem_id}",
        changes={"reason": pair.end_reason, "kind": pair.kind},
    )
    return pair


def gap_problems(reconciliation: Reconciliation) -> QuerySet[Problem]:
    """The gap list: problems of the 被查台账 without an active pair — found by others,
    not by the unit itself (被动整改)."""
    _self_ledger, other_ledger = ledger_problems(
        org=reconciliation.org, period=_period(reconciliation)
    )
    return other_ledger.exclude(pk__in=_paired_ids()[1])


@transaction.atomic
def gap_accountability_record(
    *,
    actor: Any,
    reconciliation: Reconciliation,
    problem: Problem,
    supervising_leader: Any,
    principal: Any,
    form: str,
    decided_on: dt.date,
    decision: str,
) -> GapAccountability:
    """Record the accountability of a gap item's 主管领导 and 一把手 (seed 003)."""
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    _in_jurisdiction(actor, reconciliation.org)
    _require_open(reconciliation, "登记问责")
    if not gap_problems(reconciliation).filter(pk=problem.pk).exists():
        raise ValidationError({"problem": f"{problem.number}不在本期差额清单中"})
    if GapAccountability.objects.filter(problem=problem).exists():
        raise ValidationError({"problem": f"{problem.number}已登记问责"})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "决定日期不能晚于今天"})
    record = GapAccountability(
        reconciliation=reconciliation,
        problem=problem,
        supervising_leader=supervising_leader,
        principal=principal,
        form=AccountabilityForm(form),
        decided_on=decided_on,
        decision=decision.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        summary=f"被动整改问责：{problem.number} {record.get_form_display()}"[:300],
        changes={
            "supervising_leader": supervising_leader.pk,
            "principal": principal.pk,
            "form": record.form,
            "decided_on": decided_on,
        },
    )
    return record


@transaction.atomic
def reconciliation_move(
    *, actor: Any, reconciliation: Reconciliation, action: str, reason: str = ""
) -> Reconciliation:
    """销账 (every gap item has its accountability; the counts are frozen) or 重新对账
    (with a reason)."""
    reconciliation = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    _in_jurisdiction(actor, reconciliation.org)
    action = ReconciliationAction(action)
    old = reconciliation.status
    new = reconciliation_next(old, action)
    reason = reason.strip()
    if action == ReconciliationAction.CLOSE:
        gaps = gap_problems(reconciliation)
        unaccounted = gaps.filter(gap_accountability__isnull=True)
        missing = [n or "" for n in unaccounted.values_list("number", flat=True)]
        if missing:
            raise TransitionError(
                f"差额清单中还有{len(missing)}个问题未登记问责（{'、'.join(missing[:5])}），不能销账"
            )
        self_ledger, other_ledger = ledger_problems(
            org=reconciliation.org, period=_period(reconciliation)
        )
        reconciliation.self_count = self_ledger.count()
        reconciliation.other_count = other_ledger.count()
        reconciliation.gap_count = gaps.count()
        reconciliation.closed_on = timezone.localdate()
        reconciliation.closed_by = actor
    else:
        if not reason:
            raise ValidationError({"reason": "重新对账须填写理由"})
        reconciliation.closed_on = None
        reconciliation.closed_by = None
    reconciliation.status = new
    reconciliation.save()
    ReconciliationEvent.objects.create(
        reconciliation=reconciliation,
        action=action,
        from_status=old,
        to_status=new,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=reconciliation,
        summary=f"{reconciliation}：{action.label}",
        changes={"from": old, "to": new, "reason": reason},
    )
    return reconciliation


# --- 质询会 ---------------------------------------------------------------------------


@transaction.atomic
def inquiry_create(
    *,
    actor: Any,
    title: str,
    org: Org,
    convening_org: Org,
    held_on: dt.date,
    place: str,
    chair: str,
    participants: str,
    problems: list[Problem],
    requirements: str = "",
    records: Sequence[AgendaRecord] = (),
) -> InquiryMeeting:
    """Plan a 质询会 of ``convening_org`` (the actor's own body, or the commission an office
    acts for) on problems of one unit of the actor's jurisdiction, and on ``records`` of
    other apps about that unit (its 三本账 rows, resolved by their source in
    :mod:`jiandu.core.hooks`)."""
    from jiandu.oversight.selectors import acting_org_ids

    _in_jurisdiction(actor, org)
    if convening_org.pk not in acting_org_ids(actor):
        raise ValidationError({"convening_org": "召集单位应为本单位或本单位所代表的纪委监委"})
    if not problems and not records:
        raise ValidationError({"problems": "请至少选择一个质询的问题或台账事项"})
    strangers = [p.number or "" for p in problems if p.org_id != org.pk]
    if strangers:
        raise ValidationError({"problems": f"问题{'、'.join(strangers)}不是被质询单位的问题"})
    meeting = InquiryMeeting(
        title=title.strip(),
        org=org,
        convening_org=convening_org,
        held_on=held_on,
        place=place.strip(),
        chair=chair.strip(),
        participants=participants.strip(),
        requirements=requirements.strip(),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    InquiryItem.objects.bulk_create(
        InquiryItem(meeting=meeting, problem=p, order=i)
        for i, p in enumerate(dict.fromkeys(problems), start=1)
    )
    InquiryRecordItem.objects.bulk_create(
        InquiryRecordItem(meeting=meeting, record_type=r.record_type, record_id=r.record_id,
                          reference=r.reference[:100], text=r.text, order=i)
        for i, r in enumerate(dict.fromkeys(records), start=1)
    )  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=meeting,
        summary=f"筹备质询会：{meeting.title}（{org.name}）"[:300],
        changes={
            "problems": [p.pk for p in problems],
            "held_on": held_on,
            "records": [[r.record_type, r.record_id] for r in records],
        },
    )
    return meeting


def _inquiry_move(*, actor: Any, meeting: InquiryMeeting, action: str) -> InquiryMeeting:
    old = meeting.status
    meeting.status = inquiry_next(old, action)
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=meeting,
        summary=f"{meeting.title}：{InquiryAction(action).label}"[:300],
        changes={"from": old, "to": meeting.status},
    )
    return meeting


@transaction.atomic
def inquiry_hold(*, actor: Any, meeting: InquiryMeeting) -> InquiryMeeting:
    """The meeting has been held: its problems can now be marked."""
    meeting = InquiryMeeting.objects.select_for_update().get(pk=meeting.pk)
    _in_jurisdiction(actor, meeting.org)
    if meeting.held_on > timezone.localdate():
        raise TransitionError(f"会议日期{meeting.held_on:%Y-%m-%d}未到，不能登记为已召开")
    return _inquiry_move(actor=actor, meeting=meeting, action=InquiryAction.HOLD)


@transaction.atomic
def inquiry_item_mark(*, actor: Any, item: InquiryItem, decision: str, text: str) -> InquiryItem:
    """Mark one problem 交账, 销账 or 清账 with the decision. 销账 strikes the problem off
    the ledger, so its rectification must be closed (已销号). A mark can be changed until
    the minutes are issued."""
    item = (
        InquiryItem.objects.select_for_update().select_related("meeting", "problem").get(pk=item.pk)
    )
    meeting = item.meeting
    _in_jurisdiction(actor, meeting.org)
    decision = InquiryDecision(decision)
    if meeting.status != InquiryStatus.HELD:
        raise TransitionError(f"“{meeting.get_status_display()}”的质询会不能标记“{decision.label}”")
    if not text.strip():
        raise ValidationError({"text": f"请填写“{decision.label}”的决定内容"})
    if decision == InquiryDecision.CLOSE:
        status = item.problem.rectification.status
        if status != RectificationStatus.CLOSED:
            raise ValidationError(
                {
                    "decision": f"{item.problem.number}的整改尚未销号"
                    f"（{RectificationStatus(status).label}），不能销账"
                }
            )
    before = item.decision
    item.decision = decision
    item.decision_text = text.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=f"{meeting.title}：{item.problem.number} {decision.label}"[:300],
        changes={"item": item.pk, "before": before, "after": decision, "text": item.decision_text},
    )
    return item


def _ledger_decision(decision: str) -> Any:
    from jiandu.documents.renderers import LedgerDecision

    return LedgerDecision(str(InquiryDecision(decision).label))


def _issuing_organ(org: Org) -> Org:
    if org.acts_for_commission and org.parent_id:
        return org.parent  # type: ignore[return-value]
    return org


@transaction.atomic
def inquiry_minutes_issue(*, actor: Any, meeting: InquiryMeeting) -> Any:
    """Issue the minutes (质询会纪要) with a 文号 of the convening body once every problem
    is marked; the meeting is then closed to changes."""
    from jiandu.documents import renderers
    from jiandu.documents.choices import DocumentType
    from jiandu.documents.services import document_issue

    meeting = InquiryMeeting.objects.select_for_update().get(pk=meeting.pk)
    _in_jurisdiction(actor, meeting.org)
    inquiry_next(meeting.status, InquiryAction.ISSUE_MINUTES)
    items = list(meeting.items.select_related("problem").order_by("order"))
    record_items = list(meeting.record_items.order_by("order"))
    unmarked = [i.problem.number or "" for i in items if not i.decision]
    unmarked += [f"{r.reference} {r.text[:20]}" for r in record_items if not r.decision]
    if unmarked:
        raise TransitionError(f"还有{len(unmarked)}个问题未作决定（{'、'.join(unmarked[:5])}）")
    organ = _issuing_organ(meeting.convening_org)

    def render(number: str, day: dt.date) -> bytes:
        minutes = renderers.InquiryMinutes(
            number=number,
            issuer=organ.name,
            header=organ.name,
            meeting=meeting.title,
            held_on=meeting.held_on,
            place=meeting.place,
            chair=meeting.chair,
            attendees=meeting.participant_list,
            items=[
                renderers.InquiryItem(
                    unit=meeting.org.name,
                    problem=f"{i.problem.description}（{i.problem.number}）",
                    decision=_ledger_decision(i.decision),
                    note=i.decision_text,
                )
                for i in items
            ]
            + [
                renderers.InquiryItem(
                    unit=meeting.org.name,
                    problem=f"{r.text}（{r.reference}）",
                    decision=_ledger_decision(r.decision),
                    note=r.decision_text,
                )
                for r in record_items
            ],
            date=day,
            requirements=meeting.requirement_list,
        )
        return renderers.render_inquiry_minutes_docx(minutes=minutes)

    document = document_issue(
        actor=actor,
        organ=organ,
        document_type=DocumentType.INQUIRY_MINUTES,
        title=f"{meeting.title}纪要",
        render=render,
        file_name=f"质询会纪要_{meeting.org.name}_{meeting.held_on:%Y%m%d}.docx",
        recipient_org=meeting.org,
        record_type=INQUIRY_RECORD,
        record_id=meeting.pk,
    )
    _inquiry_move(actor=actor, meeting=meeting, action=InquiryAction.ISSUE_MINUTES)
    return document


def inquiry_agenda_docx(*, actor: Any, meeting: InquiryMeeting) -> bytes:
    """The agenda (会议议程) as .docx, in the same layout as the minutes; not numbered.
    The download is audited."""
    from jiandu.documents import renderers

    organ = _issuing_organ(meeting.convening_org)
    items = list(meeting.items.select_related("problem", "problem__rectification"))
    agenda = renderers.InquiryAgenda(
        issuer=organ.name,
        meeting=meeting.title,
        held_on=meeting.held_on,
        place=meeting.place,
        chair=meeting.chair,
        unit=meeting.org.name,
        attendees=meeting.participant_list,
        items=[
            renderers.InquiryAgendaItem(
                problem=i.problem.description,
                reference=i.problem.number or "",
                status=i.problem.rectification.get_status_display(),
            )
            for i in items
        ]
        + [
            renderers.InquiryAgendaItem(problem=r.text, reference=r.reference, status="")
            for r in meeting.record_items.order_by("order")
        ],
        date=timezone.localdate(),
    )
    data = renderers.render_inquiry_agenda_docx(agenda=agenda)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=meeting,
        summary=f"下载质询会议程：{meeting.title}"[:300],
        changes={"format": "docx", "size": len(data)},
    )
    return data


@transaction.atomic
def inquiry_record_mark(
    *, actor: Any, item: InquiryRecordItem, decision: str, text: str
) -> InquiryRecordItem:
    """Mark a record on the agenda (a 三本账 row) 交账, 销账 or 清账 with the decision, as
    :func:`inquiry_item_mark` marks a problem. 销账 asks the record's source whether it
    may be struck off (a ledger row must be 已办结)."""
    from jiandu.core.hooks import agenda_source

    item = InquiryRecordItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    _in_jurisdiction(actor, meeting.org)
    decision = InquiryDecision(decision)
    if meeting.status != InquiryStatus.HELD:
        raise TransitionError(f"“{meeting.get_status_display()}”的质询会不能标记“{decision.label}”")
    if not text.strip():
        raise ValidationError({"text": f"请填写“{decision.label}”的决定内容"})
    if decision == InquiryDecision.CLOSE:
        source = agenda_source(item.record_type)
        refusal = source.close_refusal(item.record_id) if source is not None else "来源模块未安装"
        if refusal:
            raise ValidationError({"decision": f"{item.reference}：{refusal}，不能销账"})
    before = item.decision
    item.decision = decision
    item.decision_text = text.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=f"{meeting.title}：{item.reference} {decision.label}"[:300],
        changes={"record_item": item.pk, "record": [item.record_type, item.record_id],
                 "before": before, "after": decision, "text": item.decision_text},
    )  # fmt: skip
    return item
