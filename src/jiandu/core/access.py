"""Jurisdiction: which orgs a user may see, and the one way every page, API endpoint,
export and background job narrows a queryset to them.

A user's jurisdiction is the subtree of the user's org, plus every org that an org in
that subtree supervises, with their subtrees. An internal office of a commission
(信访室, 案件监督管理室, 党风政风监督室 …, marked ``acts_for_commission``) works for its
commission: its users have the commission's jurisdiction (ADR 0009). Outside it, a
record does not exist: the selectors raise Http404.

What needs no app is here (the cache under the access stamp, scoped querysets, 404s,
the API's permission check); the walk over the org tree is ``orgs.jurisdiction``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404

_CACHE_ATTR = "_jiandu_jurisdiction_ids"
_STAMP_ATTR = "_jiandu_access_stamp"
_CACHE_LIMIT = 4096
M = TypeVar("M", bound=Model)


class WholeTree(frozenset):
    """The ids of every org there is: a jurisdiction that covers the whole tree (the top
    commission and its offices). Restricting to it changes nothing, so querysets skip the
    condition (two ``IN`` lists of every org id cost more to send and plan than the page
    they narrow). Valid under the access stamp it was computed under: adding or removing
    an org changes the stamp."""


# Per process: (org id, access stamp) -> jurisdiction. A stale entry can never be read:
# any change to the org tree or to supervision changes the stamp (core.signals).
_jurisdictions: dict[tuple[int, str], frozenset[int]] = {}


def access_stamp(user: Any = None) -> str | None:
    """The current access token (None when the row is missing, e.g. right after a
    database flush: callers then compute without caching). Read once per request when
    a user object is given."""
    if user is not None:
        cached = getattr(user, _STAMP_ATTR, None)
        if cached is not None:
            return cached
    from jiandu.core.models import AccessStamp

    table = connection.ops.quote_name(AccessStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    stamp = row[0] if row else None
    if user is not None and stamp is not None:
        with contextlib.suppress(AttributeError):
            setattr(user, _STAMP_ATTR, stamp)
    return stamp


def access_changed() -> None:
    """Give the access stamp a new token: every process recomputes jurisdictions and
    permissions on its next request. Called in the transaction of the change."""
    from jiandu.core.models import AccessStamp

    token = uuid.uuid4().hex
    if not AccessStamp.objects.filter(pk=1).update(token=token):
        AccessStamp.objects.update_or_create(pk=1, defaults={"token": token})


def remember(cache: dict, key: Any, value: Any) -> Any:
    """Store in a small per-process cache (emptied when full: entries are cheap to
    recompute, and an old stamp's entries are never asked for again)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


# Which org ids a user's org sees: the org tree is the orgs app's, which registers its
# calculation here when Django starts (OrgsConfig.ready); core imports no app.
_jurisdiction_of_org: Callable[[int], frozenset[int]] | None = None


def register_jurisdiction(compute: Callable[[int], frozenset[int]]) -> None:
    """Set the function giving the ids of every org an org's users may see."""
    global _jurisdiction_of_org
    _jurisdiction_of_org = compute


def _compute_jurisdiction(org_id: int) -> frozenset[int]:
    if _jurisdiction_of_org is None:
        raise ImproperlyConfigured("jiandu.orgs is not installed: no jurisdiction to compute")
    return _jurisdiction_of_org(org_id)


def jurisdiction_org_ids(user: Any) -> frozenset[int]:
    """Ids of every org the user may see (cached on the user object for the request,
    and per process under the access stamp)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    ids: frozenset[int] = frozenset()
    org_id = getattr(user, "org_id", None)
    if user is not None and getattr(user, "is_authenticated", False) and org_id:
        stamp = access_stamp(user)
        found = _jurisdictions.get((org_id, stamp)) if stamp else None
        if found is None:
            found = _compute_jurisdiction(org_id)
            if stamp:
                remember(_jurisdictions, (org_id, stamp), found)
        ids = found
    with contextlib.suppress(AttributeError):
        setattr(user, _CACHE_ATTR, ids)
    return ids


def forget_jurisdiction(user: Any) -> None:
    for attr in (_CACHE_ATTR, _STAMP_ATTR, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


class ScopedQuerySet(QuerySet):
    """A queryset that knows which org fields place its rows in a jurisdiction.

    Subclasses set ``scope_fields``: a row is visible when any of them points at an org
    in the user's jurisdiction."""

    scope_fields: tuple[str, ...] = ()

    def restrict(self, user: Any) -> Self:
        ids = jurisdiction_org_ids(user)
        if not ids or not self.scope_fields:
            return self.none()
        if isinstance(ids, WholeTree) and not any("__" in f for f in self.scope_fields):
            # Every org is in it: only rows placed in no org at all stay outside.
            placed = Q()
            for field in self.scope_fields:
                placed |= Q(**{f"{field}__isnull": False})
            return self.filter(placed)
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


def require_perm(request: Any, perm: str) -> None:
    """Permission check for API endpoints: 403 with the permission's name."""
    from ninja.errors import HttpError

    if not request.user.has_perm(perm):
        raise HttpError(403, f"没有权限：{perm}")
