"""Reads of the rectification loop, always through the user's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiandu.core.access import get_or_404
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.lifecycle import Side
from jiandu.oversight.models import Problem


def acting_org_ids(user: Any) -> set[int]:
    """The orgs a user acts as: their own, and the commission an office acts for."""
    org = getattr(user, "org", None)
    if org is None:
        return set()
    ids = {org.pk}
    if getattr(org, "acts_for_commission", False) and org.parent_id:
        ids.add(org.parent_id)
    return ids


def acting_sides(user: Any, problem: Problem) -> set[Side]:
    """On which side of this problem the user may act: the responsible unit's staff
    (with ``oversight.rectify_problem``), the supervising body's (with
    ``oversight.accept_rectification``), both or neither."""
    orgs = acting_org_ids(user)
    sides = set()
    if problem.org_id in orgs and user.has_perm("oversight.rectify_problem"):
        sides.add(Side.UNIT)
    if problem.supervising_org_id in orgs and user.has_perm("oversight.accept_rectification"):
        sides.add(Side.SUPERVISOR)
    return sides


def problem_list(*, user: Any) -> QuerySet[Problem]:
    return Problem.objects.restrict(user).select_related(
        "org", "supervising_org", "category", "source", "rectification"
    )


def problem_get(*, user: Any, pk: int) -> Problem:
    return get_or_404(problem_list(user=user), pk=pk)


@dataclass(frozen=True)
class StatusCounts:
    """The seed's four counts: 立行立改, 正在整改 (incl. awaiting acceptance), 待整改,
    and 已销号 after a regular rectification."""

    immediate: int
    in_progress: int
    pending: int
    closed: int

    @property
    def total(self) -> int:
        return self.immediate + self.in_progress + self.pending + self.closed


def problem_status_counts(problems: QuerySet[Problem]) -> StatusCounts:
    status = "rectification__status"
    working = [RectificationStatus.IN_PROGRESS, RectificationStatus.SUBMITTED]
    closed = Q(**{status: RectificationStatus.CLOSED})
    row = problems.aggregate(
        immediate=Count("pk", filter=closed & Q(rectification__immediate=True)),
        closed=Count("pk", filter=closed & Q(rectification__immediate=False)),
        in_progress=Count("pk", filter=Q(rectification__status__in=working)),
        pending=Count("pk", filter=Q(**{status: RectificationStatus.PENDING})),
    )
    return StatusCounts(**row)
