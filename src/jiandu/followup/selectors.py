"""Reads of the follow-up work.

User-scoped lists (pages, API): every one starts from ``restrict(user)`` — outside the
jurisdiction a record does not exist (404).

Set-based statistics for the statistics centre: ``(org_ids, start, end)`` with
``org_ids`` None for the whole tree (the caller applies the jurisdiction, as with the
registry's statistics); each count has a ``*_records`` queryset listing exactly what is
counted, by the date named (docs/glossary.md gives each 口径)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiandu.clues.models import Outcome, Petition
from jiandu.core.access import get_or_404
from jiandu.core.deadlines import work_calendar
from jiandu.core.workdays import PeriodKind, due_date
from jiandu.followup.choices import SATISFIED_REPLIES, FeedbackKind
from jiandu.followup.models import (
    Clarification,
    FalseAccusation,
    FeedbackStep,
    FollowUpVisit,
    SanctionExecution,
)
from jiandu.followup.rules import SANCTION_KINDS

# --- states ---------------------------------------------------------------------------

OVERDUE = "overdue"
DUE_SOON = "due_soon"
OPEN = "open"
DONE = "done"
DUE = "due"
STATES = [
    (OVERDUE, "已超期"),
    (DUE_SOON, "3个工作日内到期"),
    (DUE, "已超期或3个工作日内到期"),
    (OPEN, "未完成"),
    (DONE, "已完成"),
]


def soon_end(today: dt.date | None = None) -> dt.date:
    """The end (exclusive) of "due soon": the 4th working day after today, so due today
    and in the next three working days (the reminders' T−3 and T−1 windows)."""
    today = today or timezone.localdate()
    return due_date(work_calendar(), today, PeriodKind.WORKDAYS, 4).due


def _state(qs: QuerySet, state: str, *, due: str, done: Q, today: dt.date) -> QuerySet:
    if state == OVERDUE:
        return qs.exclude(done).filter(**{f"{due}__lt": today})
    if state == DUE_SOON:
        return qs.exclude(done).filter(**{f"{due}__gte": today, f"{due}__lt": soon_end(today)})
    if state == DUE:
        return qs.exclude(done).filter(**{f"{due}__lt": soon_end(today)})
    if state == OPEN:
        return qs.exclude(done)
    if state == DONE:
        return qs.filter(done)
    return qs


# --- real-name feedback -----------------------------------------------------------------


def feedback_list(
    *, user: Any, state: str = "", kind: str = "", today: dt.date | None = None
) -> QuerySet[FeedbackStep]:
    today = today or timezone.localdate()
    qs: QuerySet = FeedbackStep.objects.restrict(user)
    if kind in FeedbackKind.values:
        qs = qs.filter(kind=kind)
    qs = _state(qs, state, due="due_on", done=Q(done_on__isnull=False), today=today)
    return qs.select_related("petition", "unit")


def feedback_get(*, user: Any, pk: int) -> FeedbackStep:
    return get_or_404(
        FeedbackStep.objects.restrict(user).select_related("petition", "unit", "rule"), pk=pk
    )


def petition_feedback(*, user: Any, petition: Petition) -> list[FeedbackStep]:
    return list(FeedbackStep.objects.restrict(user).filter(petition=petition).order_by("kind"))


# --- 处分执行 / 回访教育 --------------------------------------------------------------------


def sanction_outcomes(*, user: Any) -> QuerySet[Outcome]:
    return Outcome.objects.restrict(user).active().filter(kind__in=SANCTION_KINDS)


def execution_list(
    *, user: Any, state: str = "", heavy_only: bool = False, today: dt.date | None = None
) -> QuerySet[SanctionExecution]:
    today = today or timezone.localdate()
    qs: QuerySet = SanctionExecution.objects.restrict(user).filter(
        outcome__archived_at__isnull=True
    )
    if heavy_only or state in (OVERDUE, DUE_SOON, DUE):
        qs = qs.filter(personnel_required=True)
    qs = _state(qs, state, due="personnel_due", done=Q(completed_on__isnull=False), today=today)
    return qs.select_related("outcome", "outcome__clue", "outcome__person", "outcome__decided_by")


def execution_get(*, user: Any, pk: int) -> SanctionExecution:
    return get_or_404(
        SanctionExecution.objects.restrict(user).select_related(
            "outcome", "outcome__clue", "outcome__person", "outcome__decided_by", "rule"
        ),
        pk=pk,
    )


def visit_list(
    *, user: Any, state: str = "", today: dt.date | None = None
) -> QuerySet[FollowUpVisit]:
    today = today or timezone.localdate()
    qs: QuerySet = FollowUpVisit.objects.restrict(user).filter(outcome__archived_at__isnull=True)
    qs = _state(qs, state, due="planned_on", done=Q(held_on__isnull=False), today=today)
    return qs.select_related("outcome", "outcome__clue", "outcome__person", "org")


def visit_get(*, user: Any, pk: int) -> FollowUpVisit:
    return get_or_404(
        FollowUpVisit.objects.restrict(user).select_related(
            "outcome", "outcome__clue", "outcome__person", "org"
        ),
        pk=pk,
    )


def clarification_list(*, user: Any) -> QuerySet[Clarification]:
    return Clarification.objects.restrict(user).select_related("clue", "person", "org")


def false_accusation_list(*, user: Any) -> QuerySet[FalseAccusation]:
    return FalseAccusation.objects.restrict(user).select_related("clue", "outcome", "org")


@dataclass(frozen=True)
class Workload:
    """The follow-up work on a user's desk: open items by state, for the workbench, and
    the real-name feedback overdue or due soon (first ``limit``, most urgent first)."""

    feedback_overdue: int
    feedback_due_soon: int
    execution_overdue: int
    visits_due: int
    feedback_items: list[FeedbackStep]


def workload(
    *,
    user: Any,
    today: dt.date | None = None,
    feedback: bool = True,
    execution: bool = True,
    visits: bool = True,
    limit: int = 10,
) -> Workload:
    """At most one query per kind of work asked for, plus the calendar and the list."""
    today = today or timezone.localdate()
    end = soon_end(today)
    overdue = soon = executions = due_visits = 0
    items: list[FeedbackStep] = []
    if feedback:
        fb = (
            FeedbackStep.objects.restrict(user)
            .filter(done_on__isnull=True)
            .aggregate(
                overdue=Count("pk", filter=Q(due_on__lt=today)),
                soon=Count("pk", filter=Q(due_on__gte=today, due_on__lt=end)),
            )
        )
        overdue, soon = fb["overdue"], fb["soon"]
        if overdue or soon:
            items = list(
                FeedbackStep.objects.restrict(user)
                .filter(done_on__isnull=True, due_on__lt=end)
                .select_related("petition")
                .order_by("due_on", "pk")[:limit]
            )
    if execution:
        executions = execution_list(user=user, state=OVERDUE, today=today).count()
    if visits:
        due_visits = (
            FollowUpVisit.objects.restrict(user)
            .filter(held_on__isnull=True, planned_on__lt=end, outcome__archived_at__isnull=True)
            .count()
        )
    return Workload(
        feedback_overdue=overdue,
        feedback_due_soon=soon,
        execution_overdue=executions,
        visits_due=due_visits,
        feedback_items=items,
    )


# --- set-based statistics (the statistics centre registers these) ----------------------


def _orgs(qs: QuerySet, field: str, org_ids: list[int] | None) -> QuerySet:
    return qs if org_ids is None else qs.filter(**{f"{field}__in": list(org_ids)})


def satisfaction_records(
    org_ids: list[int] | None, start: dt.date, end: dt.date
) -> QuerySet[FeedbackStep]:
    """实名举报满意率's records: the reporters' replies to 结果反馈 with reply date in
    [start, end], placed with the unit that gave the feedback."""
    qs = FeedbackStep.objects.filter(
        kind=FeedbackKind.RESULT, reply_on__range=(start, end)
    ).exclude(reply="")
    return _orgs(qs, "unit", org_ids)


def satisfaction(org_ids: list[int] | None, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(满意 + 基本满意 replies, all replies) by reply date."""
    row = satisfaction_records(org_ids, start, end).aggregate(
        satisfied=Count("pk", filter=Q(reply__in=SATISFIED_REPLIES)), total=Count("pk")
    )
    return row["satisfied"], row["total"]


def clarification_records(
    org_ids: list[int] | None, start: dt.date, end: dt.date
) -> QuerySet[Clarification]:
    """澄清正名 held in [start, end] (by 澄清日期), placed with the clarifying unit."""
    return _orgs(Clarification.objects.filter(held_on__range=(start, end)), "org", org_ids)


def clarifications(org_ids: list[int] | None, start: dt.date, end: dt.date) -> int:
    return clarification_records(org_ids, start, end).count()


def false_accusation_records(
    org_ids: list[int] | None, start: dt.date, end: dt.date
) -> QuerySet[FalseAccusation]:
    """严查诬名: accusations found false or malicious in [start, end] (by 认定日期)."""
    return _orgs(FalseAccusation.objects.filter(found_on__range=(start, end)), "org", org_ids)


def false_accusations(org_ids: list[int] | None, start: dt.date, end: dt.date) -> int:
    return false_accusation_records(org_ids, start, end).count()


def real_name_share_records(
    org_ids: list[int] | None, start: dt.date, end: dt.date
) -> QuerySet[Petition]:
    """鼓励实名's records: the petitions received in [start, end] (by 受理日期), placed
    with the registering unit (as 检举控告量); the real-name ones are the numerator."""
    return _orgs(
        Petition.objects.filter(received_date__range=(start, end)), "received_org", org_ids
    )


def real_name_share(org_ids: list[int] | None, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(real-name petitions, all petitions) received in the period."""
    row = real_name_share_records(org_ids, start, end).aggregate(
        real=Count("pk", filter=Q(is_real_name=True)), total=Count("pk")
    )
    return row["real"], row["total"]
