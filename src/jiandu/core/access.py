"""Jurisdiction: which orgs a user may see, and the one way every page, API endpoint,
export and background job narrows a queryset to them.

A user's jurisdiction is the subtree of the user's org, plus every org that an org in
that subtree supervises, with their subtrees. Outside it, a record does not exist: the
selectors raise Http404.
"""

from __future__ import annotations

import contextlib
from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

_CACHE_ATTR = "_jiandu_jurisdiction_ids"
M = TypeVar("M", bound=Model)


def jurisdiction_org_ids(user: Any) -> frozenset[int]:
    """Ids of every org the user may see (cached on the user object for the request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from jiandu.orgs.models import Org

    ids: frozenset[int] = frozenset()
    org_id = getattr(user, "org_id", None)
    if user is not None and getattr(user, "is_authenticated", False) and org_id:
        own = Org.objects.filter(pk=org_id).values_list("path", flat=True).first()
        if own:
            subtree = set(Org.objects.filter(path__startswith=own).values_list("id", "path"))
            sub_ids = {i for i, _ in subtree}
            supervised_paths = set(
                Org.supervises.through.objects.filter(from_org_id__in=sub_ids).values_list(
                    "to_org__path", flat=True
                )
            )
            query = Q()
            for path in supervised_paths:
                query |= Q(path__startswith=path)
            extra = set(Org.objects.filter(query).values_list("id", flat=True)) if query else set()
            ids = frozenset(sub_ids | extra)
    with contextlib.suppress(AttributeError):
        setattr(user, _CACHE_ATTR, ids)
    return ids


def forget_jurisdiction(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(QuerySet):
    """A queryset that knows which org fields place its rows in a jurisdiction.

    Subclasses set ``scope_fields``: a row is visible when any of them points at an org
    in the user's jurisdiction."""

    scope_fields: tuple[str, ...] = ()

    def restrict(self, user: Any) -> Self:
        ids = jurisdiction_org_ids(user)
        if not ids or not self.scope_fields:
            return self.none()
        query = Q()
        for field in self.scope_fields:
            query |= Q(**{f"{field}__in": ids})
        if any("__" in field for field in self.scope_fields):
            # OR across relations can repeat rows; an id subquery keeps ordering and
            # pagination simple.
            return self.filter(pk__in=self.model._default_manager.filter(query).values("pk"))
        return self.filter(query)


def get_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """``queryset.get`` that turns both "absent" and "outside jurisdiction" into 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("记录不存在") from exc
