"""Jurisdiction over the org tree (ADR 0001, 0009): registered with ``core.access``
when Django starts, which caches it per user and per process."""

from __future__ import annotations

from django.db.models import Count, Q, Subquery, Value

from jiandu.core.access import WholeTree
from jiandu.orgs.models import Org


def org_jurisdiction(org_id: int) -> frozenset[int]:
    """Ids of every org the users of org ``org_id`` may see: its subtree (a commission's
    office: the commission's), and every org that an org in it supervises, with their
    subtrees. Uncached: ``core.access.jurisdiction_org_ids`` caches it."""
    # With the number of orgs there are (one query): a jurisdiction of all of them is a
    # WholeTree, which scoped querysets need not list.
    total = Org.objects.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("id"))
    row = (
        Org.objects.filter(pk=org_id)
        .annotate(total=Subquery(total.values("n")[:1]))
        .values_list("path", "acts_for_commission", "parent__path", "total")
        .first()
    )
    if row is None:
        return frozenset()
    own_path, acts_for, parent_path, org_count = row
    # An office acting for its commission works in the commission's jurisdiction (a
    # commission itself never acts for another: Org.clean), so one level is enough.
    own = parent_path if acts_for and parent_path else own_path
    if not own:
        return frozenset()
    sub_ids = set(Org.objects.filter(path__startswith=own).values_list("id", flat=True))
    supervised_paths = set(
        Org.supervises.through.objects.filter(from_org_id__in=sub_ids).values_list(
            "to_org__path", flat=True
        )
    )
    query = Q()
    for path in supervised_paths:
        query |= Q(path__startswith=path)
    extra = set(Org.objects.filter(query).values_list("id", flat=True)) if query else set()
    ids = sub_ids | extra
    if len(ids) == org_count:
        return WholeTree(ids)
    return frozenset(ids)
