"""The problem opened by an index warning links back to it (``oversight.origins``): for
users who may see the index and the warned unit (else no link)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from jiandu.ecoindex import selectors
from jiandu.ecoindex.close import WARNING_ORIGIN
from jiandu.ecoindex.models import month_label
from jiandu.oversight.origins import OriginLink, register_origin


def warning_link(user: Any, pk: int) -> OriginLink | None:
    if not user.has_perm("ecoindex.view_indextree"):
        return None
    try:
        warning = selectors.warning_get(user=user, pk=pk)
    except Http404:
        return None
    label = (
        f"政治生态指数预警 {warning.number}（{warning.org.name}，{month_label(warning.month)}"
        f"·{warning.get_colour_display()}色，指数{warning.index}）"
    )
    return OriginLink(label, f"{reverse('ecoindex:warning_list')}#eco-warning-{warning.pk}")


register_origin(WARNING_ORIGIN, warning_link)
