"""A problem 交办 from a unit's yellow dossier item links back to the unit's dossier
(``oversight.origins``), for users who may open dossiers of that unit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jiandu.core.access import jurisdiction_org_ids
from jiandu.dossiers.models import DossierItem
from jiandu.dossiers.selectors import ORIGIN
from jiandu.oversight.origins import OriginLink, register_origin


def item_link(user: Any, pk: int) -> OriginLink | None:
    if not user.has_perm("dossiers.view_dossier"):
        return None
    item = DossierItem.objects.filter(pk=pk, org__isnull=False).select_related("org").first()
    if item is None or item.org_id not in jurisdiction_org_ids(user):
        return None
    label = f"政治生态档案黄点 {item.occurred_on}（{item.org.name}：{item.get_kind_display()}）"
    return OriginLink(label, reverse("dossiers:org", args=[item.org_id]))


register_origin(ORIGIN, item_link)
