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


COMMISSION_SUFFIX = "纪委监委"


def _region_parts(code: str) -> list[str]:
    """The codes of the places a region code lies in, widest first: a village's
    530102001003 is in 530100 (the city), 530102, 530102001."""
    parts = []
    if len(code) >= 6 and code[4:6] != "00":
        parts.append(code[:4] + "00")
    parts += [code[:n] for n in (6, 9, 12) if len(code) >= n]
    return parts


def region_names(codes: Any, *, nearest: bool = False) -> dict[str, str]:
    """Place names of region codes ("昆明市五华区红云街道"), one query.

    The registry names every region-coded org after its place: townships and villages
    by the place itself, commissions as the place plus 纪委监委 (五华区纪委监委 — the
    county names come from the shipped GeoJSON when the demo builds the tree). Archived
    orgs count too: a place keeps its name. A code no org carries stays a code, or with
    ``nearest`` reads as the nearest place that has one (a village of imported data no
    org carries: its township)."""
    wanted = {part for code in codes if code for part in _region_parts(code)}
    names: dict[str, str] = {}
    for code, name in (
        Org.objects.filter(region_code__in=wanted)
        .order_by("path")
        .values_list("region_code", "name")
    ):
        place = name.removesuffix(COMMISSION_SUFFIX)
        # Prefer the org named after the place (no suffix), else the commission's.
        if code not in names or name == place:
            names[code] = place
    result = {}
    for code in codes:
        if not code:
            continue
        parts = [names[p] for p in _region_parts(code) if p in names]
        result[code] = "".join(parts) if code in names or (nearest and parts) else code
    return result
