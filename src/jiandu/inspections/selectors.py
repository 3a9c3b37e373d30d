"""Reads of the 巡察 rounds, scoped: the commission that runs a round and every target
(a county sees its own rounds) see it; outside the jurisdiction a round is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from jiandu.core.access import get_or_404
from jiandu.inspections.models import InspectionRound, TeamDraw
from jiandu.oversight.selectors import acting_org_ids


def round_list(*, user: Any) -> QuerySet[InspectionRound]:
    return (
        InspectionRound.objects.restrict(user)
        .select_related("owner_org")
        .annotate(
            problem_count=Count("problems", distinct=True),
            clue_count=Count("clues", distinct=True),
        )
    )


def round_get(*, user: Any, pk: int) -> InspectionRound:
    return get_or_404(round_list(user=user), pk=pk)


def may_manage(user: Any, item: InspectionRound) -> bool:
    """The round's commission (its offices) with the right to run rounds."""
    return item.owner_org_id in acting_org_ids(user) and user.has_perm(
        "inspections.change_inspectionround"
    )


def adopted_draw(item: InspectionRound) -> TeamDraw | None:
    return item.draws.filter(adopted=True).first()


def teams(item: InspectionRound) -> list[dict[str, Any]]:
    """The adopted draw's teams: per target, the leader first, names as people read them."""
    draw = adopted_draw(item)
    if draw is None:
        return []
    rows: dict[int, dict[str, Any]] = {}
    for a in draw.assignments.select_related("person", "target__org").order_by(
        "target__org__path", "role", "person__name"
    ):
        row = rows.setdefault(
            a.target_id, {"target": {"id": a.target.org_id, "name": a.target.org.name},
                          "members": []}
        )  # fmt: skip
        row["members"].append({"name": a.person.name, "role": a.get_role_display()})
    return list(rows.values())
