"""Reads of the cadre registry within the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from jiandu.core import idnumbers
from jiandu.core.access import get_or_404
from jiandu.core.crypto import search_key
from jiandu.people.models import Person


def person_list(
    *,
    user: Any,
    query: str = "",
    org_id: int | None = None,
    management_level: str = "",
    include_archived: bool = False,
) -> QuerySet[Person]:
    """People visible to the user. ``query`` matches a name, or — when it is a valid
    ID number — the person with that number (via the search key, never by decrypting)."""
    qs = Person.objects.restrict(user)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    query = query.strip()
    if query:
        normalised = idnumbers.normalize(query)
        if idnumbers.is_valid(normalised):
            qs = qs.filter(id_search_key=search_key(normalised))
        else:
            qs = qs.filter(name__icontains=query)
    if org_id:
        qs = qs.filter(Q(posts__org_id=org_id, posts__end_date__isnull=True)).distinct()
    if management_level:
        qs = qs.filter(
            posts__management_level=management_level, posts__end_date__isnull=True
        ).distinct()
    return qs.select_related("registered_org").order_by("name", "pk")


def person_get(*, user: Any, pk: int) -> Person:
    return get_or_404(person_list(user=user, include_archived=True), pk=pk)


def person_find_by_id_number(*, user: Any, id_number: str) -> Person | None:
    normalised = idnumbers.normalize(id_number)
    if not normalised:
        return None
    return Person.objects.restrict(user).filter(id_search_key=search_key(normalised)).first()


def visible_people(user: Any, ids: list[int], field: str) -> list[Person]:
    """The people with these ids, all visible to the user (in the given order), or a
    ValidationError on ``field`` naming the ids that are not."""
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in person_list(user=user).defer("id_number").filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {field: f"人员（编号{'、'.join(missing)}）不存在、已归档或不在您的管辖范围内"}
        )
    return [found[pk] for pk in wanted]
