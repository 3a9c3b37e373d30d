"""Reads of the cadre registry within the user's jurisdiction.

ID numbers are protected against being recovered by trying numbers:

- an exact search by ID number (a ``q`` that is a valid number, or its keyed hash
  ``id_key``) is answered only for holders of ``people.view_id_number``; for anyone else
  it finds nobody, as if the number were absent;
- every search by ID number — answered or not — writes an audit row carrying the
  number's keyed hash (never the number), so repeated tries show in the audit log;
- look-ups of people count against a per-user rate limit (:func:`person_lookup_check`);
- what a user without the permission sees of a person hides what the mask hides: the
  mask keeps only the first two and the last character (``idnumbers.mask``), and the
  birth date derived from the number is not shown (:func:`shown_birth_date`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from jiandu.core import idnumbers
from jiandu.core.access import get_or_404
from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction
from jiandu.core.crypto import search_key
from jiandu.core.ratelimit import check_rate
from jiandu.people.models import Person

ID_NUMBER_PERMISSION = "people.view_id_number"


def can_see_id_numbers(user: Any) -> bool:
    return bool(user.has_perm(ID_NUMBER_PERMISSION))


def shown_birth_date(person: Person, user: Any) -> dt.date | None:
    """The birth date as ``user`` may see it: when it comes from the ID number, only for
    holders of ``people.view_id_number`` (with the mask it would narrow the hidden
    digits to a handful of candidates)."""
    if person.id_masked and not can_see_id_numbers(user):
        return None
    return person.birth_date


def person_lookup_check(user: Any) -> None:
    """Count one look-up of people by ``user``; raise ``RateLimited`` (429) past the
    configured rate (``JIANDU_PERSON_LOOKUP_LIMIT`` per ``JIANDU_PERSON_LOOKUP_WINDOW``
    seconds)."""
    check_rate(
        user=user,
        scope="person_lookup",
        limit=settings.JIANDU_PERSON_LOOKUP_LIMIT,
        window=settings.JIANDU_PERSON_LOOKUP_WINDOW,
        label="查询人员",
    )


def _id_search(qs: QuerySet[Person], *, user: Any, key: str) -> QuerySet[Person]:
    """Narrow to the person with this ID number's keyed hash — for holders of the
    permission; nobody otherwise. Audited either way."""
    permitted = can_see_id_numbers(user)
    audit_record(
        actor=user,
        action=AuditAction.VIEW_PROTECTED,
        object_type=Person._meta.label_lower,
        summary="按身份证号码查询人员" if permitted else "按身份证号码查询人员（无权限，未予查询）",
        changes={"id_search_key": key, "permitted": permitted},
    )
    return qs.filter(id_search_key=key) if permitted else qs.none()


def person_list(
    *,
    user: Any,
    query: str = "",
    id_key: str = "",
    org_id: int | None = None,
    management_level: str = "",
    include_archived: bool = False,
) -> QuerySet[Person]:
    """People visible to the user. ``query`` matches a name, or — when it is a valid
    ID number — the person with that number (via the search key, never by decrypting);
    ``id_key`` is such a search already turned into the key. Searches by ID number:
    see the module."""
    qs: QuerySet[Person] = Person.objects.restrict(user)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    query = query.strip()
    if query:
        normalised = idnumbers.normalize(query)
        if idnumbers.is_valid(normalised):
            qs = _id_search(qs, user=user, key=search_key(normalised))
        else:
            qs = qs.filter(name__icontains=query)
    if id_key:
        qs = _id_search(qs, user=user, key=id_key)
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
    """The person in the user's jurisdiction with this number (imports link rows to
    people by number). An ID number is unique per registering org: should two orgs of
    the jurisdiction both have registered it, the earlier registration is taken."""
    normalised = idnumbers.normalize(id_number)
    if not normalised:
        return None
    return (
        Person.objects.restrict(user)
        .filter(id_search_key=search_key(normalised))
        .order_by("pk")
        .first()
    )


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
