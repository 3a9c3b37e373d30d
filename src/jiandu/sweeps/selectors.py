"""Reads of 线索大起底 within the user's jurisdiction; progress and results counted, each
count opening its clues (a bucket of the items)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from jiandu.approvals.choices import RequestStatus
from jiandu.core.access import get_or_404
from jiandu.sweeps.choices import SweepDecision
from jiandu.sweeps.models import CollectiveReview, Sweep, SweepItem

# bucket key -> (label, condition on the items)
BUCKETS: dict[str, tuple[str, Q]] = {
    "all": ("纳入起底", Q()),
    "unreviewed": ("未复核", Q(decision="")),
    "reviewed": ("已复核", ~Q(decision="")),
    "maintain": ("维持原处置", Q(decision=SweepDecision.MAINTAIN)),
    "redispose": ("重新处置", Q(decision=SweepDecision.REDISPOSE)),
    "approving": ("重新处置审批中", Q(request__status=RequestStatus.PENDING)),
    "approved": ("重新处置已生效", Q(request__status=RequestStatus.APPROVED)),
    "returned": (
        "重新处置被退回或撤回",
        Q(request__status__in=[RequestStatus.RETURNED, RequestStatus.WITHDRAWN]),
    ),
}


def sweep_list(*, user: Any) -> QuerySet[Sweep]:
    return Sweep.objects.restrict(user).select_related("org", "created_by")


def sweep_get(*, user: Any, pk: int) -> Sweep:
    return get_or_404(sweep_list(user=user), pk=pk)


def sweep_items(*, user: Any, sweep: Sweep, bucket: str = "all") -> QuerySet[SweepItem]:
    """The campaign's clues in the user's jurisdiction, in one bucket."""
    _label, condition = BUCKETS.get(bucket, BUCKETS["all"])
    return (
        SweepItem.objects.restrict(user)
        .filter(sweep=sweep)
        .filter(condition)
        .select_related("clue", "clue__handling_org", "reviewer", "request")
        .order_by("pk")
    )


def sweep_counts(*, user: Any, sweep: Sweep) -> list[dict[str, Any]]:
    """One row per bucket: key, label, count (one query)."""
    qs = SweepItem.objects.restrict(user).filter(sweep=sweep)
    totals = qs.aggregate(
        **{key: Count("pk", filter=condition) for key, (_l, condition) in BUCKETS.items()}
    )
    return [
        {"key": key, "label": label, "count": totals[key]} for key, (label, _c) in BUCKETS.items()
    ]


def sweep_item_get(*, user: Any, sweep: Sweep, pk: int) -> SweepItem:
    return get_or_404(sweep_items(user=user, sweep=sweep), pk=pk)


def request_source_sweep(user: Any, pk: int) -> tuple[str, str]:
    """A 呈批件's source when a 线索大起底 drafted it: the sweep's name, and its page when
    the user may open it (``approvals.registry.register_source``)."""
    sweep = Sweep.objects.filter(pk=pk).only("name").first()
    if sweep is None:
        return "线索大起底", ""
    visible = (
        user is not None
        and user.has_perm("clues.view_clue")
        and sweep_list(user=user).filter(pk=pk).exists()
    )
    url = reverse("sweeps:sweep_detail", args=[pk]) if visible else ""
    return f"线索大起底“{sweep.name}”", url


def request_source_review(user: Any, pk: int) -> tuple[str, str]:
    """A 呈批件's source when a 集体排查 decided it: the meeting, and its page when the
    user may open it."""
    review = CollectiveReview.objects.filter(pk=pk).only("title", "held_on").first()
    if review is None:
        return "集体排查", ""
    visible = (
        user is not None
        and user.has_perm("clues.view_clue")
        and CollectiveReview.objects.restrict(user).filter(pk=pk).exists()
    )
    url = reverse("sweeps:review_detail", args=[pk]) if visible else ""
    return f"集体排查“{review.title}”（{review.held_on:%Y-%m-%d}）", url
