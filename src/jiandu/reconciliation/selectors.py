"""Reads of 零报告 flags, reconciliations and 质询会, always through the user's
jurisdiction (outside it a record does not exist: 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from jiandu.core.access import get_or_404
from jiandu.orgs.models import Org
from jiandu.oversight.models import Problem
from jiandu.reconciliation.choices import EvidenceKind
from jiandu.reconciliation.models import (
    GapAccountability,
    InquiryMeeting,
    LedgerPair,
    Reconciliation,
    ZeroReportEvidence,
    ZeroReportFlag,
    ZeroReportRule,
)
from jiandu.reconciliation.periods import Period
from jiandu.reconciliation.services import gap_problems, ledger_problems

PROBLEM_JOINS = ("org", "source", "category", "rectification")


# --- 零报告 ---------------------------------------------------------------------------


def zero_report_flag_list(
    *, user: Any, period_key: str = "", status: str = ""
) -> QuerySet[ZeroReportFlag]:
    qs = ZeroReportFlag.objects.restrict(user).select_related("org", "rule")
    if period_key:
        qs = qs.filter(period_key=period_key)
    if status:
        qs = qs.filter(status=status)
    return qs


def zero_report_flag_get(*, user: Any, pk: int) -> ZeroReportFlag:
    return get_or_404(zero_report_flag_list(user=user), pk=pk)


@dataclass
class EvidenceRow:
    """One record behind a count, as the viewer may see it. A petition handled outside
    the viewer's jurisdiction is counted but not opened (its title is withheld)."""

    kind: str
    number: str
    title: str
    date: Any
    url: str
    record_id: int | None = None


def zero_report_evidence(*, user: Any, flag: ZeroReportFlag) -> dict[str, list[EvidenceRow]]:
    """The records behind each of a flag's counts, by kind (self-found problems, problems
    from other sources, petitions)."""
    from django.urls import reverse

    from jiandu.clues.models import Petition

    rows = list(
        ZeroReportEvidence.objects.filter(flag=flag).select_related(
            "problem", "problem__source", "petition"
        )
    )
    visible_petitions = set(
        Petition.objects.restrict(user)
        .filter(pk__in=[r.petition_id for r in rows if r.petition_id])
        .values_list("pk", flat=True)
    )
    out: dict[str, list[EvidenceRow]] = {k: [] for k in EvidenceKind.values}
    for row in rows:
        if row.problem is not None:
            p = row.problem
            out[row.kind].append(
                EvidenceRow(
                    kind=row.kind,
                    number=p.number or "",
                    title=f"{p.description[:60]}（{p.source.name}）",
                    date=p.found_on,
                    url=reverse("oversight:problem_detail", args=[p.pk]),
                    record_id=p.pk,
                )
            )
        elif row.petition is not None:
            pet = row.petition
            seen = pet.pk in visible_petitions
            out[row.kind].append(
                EvidenceRow(
                    kind=row.kind,
                    number=(pet.number or "") if seen else "",
                    title=pet.title if seen else "信访举报（由管辖范围外单位办理）",
                    date=pet.received_date,
                    url=reverse("clues:petition_detail", args=[pet.pk]) if seen else "",
                    record_id=pet.pk if seen else None,
                )
            )
    return out


def zero_report_rules() -> list[ZeroReportRule]:
    """Every version of the rule, newest first."""
    return list(ZeroReportRule.objects.select_related("created_by", "archived_by"))


# --- 对账销账 --------------------------------------------------------------------------


def reconciliation_list(*, user: Any, period_key: str = "") -> QuerySet[Reconciliation]:
    qs = Reconciliation.objects.restrict(user).select_related("org")
    if period_key:
        qs = qs.filter(period_key=period_key)
    return qs


def reconciliation_get(*, user: Any, pk: int) -> Reconciliation:
    return get_or_404(reconciliation_list(user=user), pk=pk)


def reconciliation_for(*, user: Any, org: Org, period: Period) -> Reconciliation | None:
    return reconciliation_list(user=user).filter(org=org, period_key=period.key).first()


@dataclass
class Ledgers:
    """The three views of a unit's period: 自查台账, 被查台账, and the gap list, with the
    active pair of each paired problem and the accountability of each gap item."""

    self_ledger: list[Problem]
    other_ledger: list[Problem]
    gaps: list[Problem]
    pairs: list[LedgerPair]
    ended_pairs: list[LedgerPair]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "self": len(self.self_ledger),
            "other": len(self.other_ledger),
            "paired": len(self.pairs),
            "gap": len(self.gaps),
            "accounted": sum(1 for p in self.gaps if getattr(p, "accountability", None)),
        }


def ledgers(*, org: Org, period: Period, reconciliation: Reconciliation | None) -> Ledgers:
    """The ledgers of a unit's period (the caller has checked the unit is in the user's
    jurisdiction). Without a reconciliation nothing is paired yet: every problem found
    by others is on the gap list."""
    self_qs, other_qs = ledger_problems(org=org, period=period)
    self_list = list(self_qs.select_related(*PROBLEM_JOINS).order_by("found_on", "pk"))
    other_list = list(other_qs.select_related(*PROBLEM_JOINS).order_by("found_on", "pk"))
    ids = [p.pk for p in self_list + other_list]
    # A manual pair may reach a self-found problem of an earlier period.
    active = list(
        LedgerPair.objects.filter(ended_at__isnull=True)
        .filter(Q(self_problem_id__in=ids) | Q(other_problem_id__in=ids))
        .select_related("self_problem", "other_problem", "created_by")
        .order_by("pk")
    )
    by_problem = {}
    for pair in active:
        by_problem[pair.self_problem_id] = pair
        by_problem[pair.other_problem_id] = pair
    for p in self_list + other_list:
        p.pair = by_problem.get(p.pk)  # type: ignore[attr-defined]
    if reconciliation is None:
        gaps = [p for p in other_list if p.pair is None]  # type: ignore[attr-defined]
        ended: list[LedgerPair] = []
    else:
        gap_ids = set(gap_problems(reconciliation).values_list("pk", flat=True))
        gaps = [p for p in other_list if p.pk in gap_ids]
        ended = list(
            reconciliation.pairs.filter(ended_at__isnull=False).select_related(
                "self_problem", "other_problem", "ended_by"
            )
        )
    accountability = {
        a.problem_id: a
        for a in GapAccountability.objects.filter(problem__in=[p.pk for p in gaps]).select_related(
            "supervising_leader", "principal"
        )
    }
    for p in gaps:
        p.accountability = accountability.get(p.pk)  # type: ignore[attr-defined]
    return Ledgers(self_list, other_list, gaps, active, ended)


def unit_people(org: Org) -> QuerySet[Any]:
    """The people holding a post in the unit today, its 一把手 first (the accountability
    form's choices)."""
    from django.utils import timezone

    from jiandu.people.models import Person, Post

    today = timezone.localdate()
    current = Post.objects.filter(org=org, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return (
        Person.objects.filter(pk__in=current.values("person_id"))
        .prefetch_related(Prefetch("posts", queryset=current.order_by("-is_leader")))
        .order_by("name")
    )


def unit_principal(org: Org) -> Any:
    """The unit's 一把手 (主要负责人) today, if recorded."""
    from django.utils import timezone

    from jiandu.people.models import Post

    today = timezone.localdate()
    post = (
        Post.objects.filter(org=org, is_leader=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .first()
    )
    return post.person if post else None


# --- 质询会 ---------------------------------------------------------------------------


def inquiry_list(*, user: Any) -> QuerySet[InquiryMeeting]:
    return InquiryMeeting.objects.restrict(user).select_related("org", "convening_org")


def inquiry_get(*, user: Any, pk: int) -> InquiryMeeting:
    return get_or_404(inquiry_list(user=user), pk=pk)


def inquiry_items(meeting: InquiryMeeting) -> list[Any]:
    return list(
        meeting.items.select_related(
            "problem",
            "problem__source",
            "problem__category",
            "problem__rectification",
            "decided_by",
        ).order_by("order")
    )


def inquiry_minutes(meeting: InquiryMeeting) -> Any:
    from jiandu.documents.choices import DocumentType
    from jiandu.documents.services import document_for_record
    from jiandu.reconciliation.services import INQUIRY_RECORD

    return document_for_record(
        document_type=DocumentType.INQUIRY_MINUTES, record_type=INQUIRY_RECORD, record_id=meeting.pk
    )
