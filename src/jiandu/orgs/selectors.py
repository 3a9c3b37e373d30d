"""Reads of the organisation tree, always within the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from jiandu.core.access import get_or_404, jurisdiction_org_ids
from jiandu.orgs.models import Org


def org_list(*, user: Any, include_archived: bool = False) -> QuerySet[Org]:
    qs = Org.objects.filter(pk__in=jurisdiction_org_ids(user))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("path")


def org_get(*, user: Any, pk: int) -> Org:
    return get_or_404(org_list(user=user, include_archived=True), pk=pk)


def org_subtree_ids(*, org: Org) -> list[int]:
    return list(Org.objects.filter(path__startswith=org.path).values_list("id", flat=True))


def org_tree(*, user: Any) -> list[dict[str, Any]]:
    """The visible orgs as nested dicts (for the tree page and the API). Orgs whose
    parent is outside the jurisdiction become roots."""
    orgs = list(org_list(user=user).prefetch_related("labels"))
    nodes: dict[int, dict[str, Any]] = {
        o.pk: {"org": o, "children": [], "labels": [label.name for label in o.labels.all()]}
        for o in orgs
    }
    roots: list[dict[str, Any]] = []
    for o in orgs:
        node = nodes[o.pk]
        if o.parent_id in nodes:
            nodes[o.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def org_supervision_map(*, user: Any) -> dict[int, list[Org]]:
    """For every visible org, the visible, active orgs it supervises (one query; for the
    tree page). Supervised units outside the jurisdiction are left out like any other
    record outside it."""
    ids = jurisdiction_org_ids(user)
    links = (
        Org.supervises.through.objects.filter(
            from_org_id__in=ids, to_org_id__in=ids, to_org__archived_at__isnull=True
        )
        .select_related("to_org")
        .order_by("to_org__path")
    )
    result: dict[int, list[Org]] = {}
    for link in links:
        result.setdefault(link.from_org_id, []).append(link.to_org)
    return result


def visible_orgs(user: Any, ids: list[int], field: str) -> list[Org]:
    """The orgs with these ids, all within the user's jurisdiction (in the given order),
    or a ValidationError on ``field`` naming the ids that are not."""
    wanted = list(dict.fromkeys(ids))
    found = {org.pk: org for org in org_list(user=user).filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {field: f"单位（编号{'、'.join(missing)}）不存在、已归档或不在您的管辖范围内"}
        )
    return [found[pk] for pk in wanted]


def visible_org(user: Any, pk: int, field: str) -> Org:
    return visible_orgs(user, [pk], field)[0]
