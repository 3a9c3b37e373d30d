"""Where comparison data belongs: region codes and the jurisdiction they follow from.

A hit names a person (or an account) somewhere: its ``region_code`` is the 行政区划代码
of the subject (12 digits for a village). A user sees a hit only when that code lies in
a region of an org in the user's jurisdiction, on top of the org scoping of runs. A
region contains every longer code that starts with it; a city's code ends in ``00``
(昆明市 ``530100``), which is dropped to get the prefix its counties share (``5301``).
"""

from __future__ import annotations

import contextlib
import re
from types import SimpleNamespace
from typing import Any

from django.db.models import Q

from jiandu.core.access import jurisdiction_org_ids

REGION_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


def region_prefix(code: str) -> str:
    """The prefix every code inside ``code`` starts with: trailing ``00`` pairs of a
    6-digit province or city code dropped (530100 → 5301, 530000 → 53)."""
    code = (code or "").strip()
    if len(code) == 6:
        while len(code) > 2 and code.endswith("00"):
            code = code[:-2]
    return code


def minimal_prefixes(prefixes: list[str] | set[str]) -> list[str]:
    """The prefixes, without any that a shorter one already contains."""
    kept: list[str] = []
    for prefix in sorted({p for p in prefixes if p}, key=lambda p: (len(p), p)):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return kept


def _prefixes_of(org_ids: frozenset[int] | set[int]) -> list[str]:
    from jiandu.orgs.models import Org

    codes = Org.objects.filter(pk__in=org_ids).exclude(region_code="")
    return minimal_prefixes({region_prefix(c) for c in codes.values_list("region_code", flat=True)})


def user_region_prefixes(user: Any) -> list[str]:
    """The region prefixes of the orgs in the user's jurisdiction (cached per request)."""
    cached = getattr(user, "_jiandu_region_prefixes", None)
    if cached is not None:
        return cached
    prefixes = _prefixes_of(jurisdiction_org_ids(user))
    with contextlib.suppress(AttributeError):
        user._jiandu_region_prefixes = prefixes
    return prefixes


def org_region_prefixes(org: Any) -> list[str]:
    """The region prefixes an org's own officers would see (the org's jurisdiction)."""
    stand_in = SimpleNamespace(org_id=org.pk, is_authenticated=True)
    return _prefixes_of(jurisdiction_org_ids(stand_in))


def region_q(prefixes: list[str], field: str = "region_code") -> Q:
    """A filter for rows whose ``field`` starts with any of ``prefixes`` (none: no row)."""
    if not prefixes:
        return Q(pk__in=[])
    query = Q()
    for prefix in prefixes:
        query |= Q(**{f"{field}__startswith": prefix})
    return query


def region_covered(code: str, prefixes: list[str]) -> bool:
    return any((code or "").startswith(p) for p in prefixes)


def region_choices(user: Any) -> list[tuple[str, str]]:
    """County- and township-level region codes of the user's jurisdiction, for the
    "which region is this data about" selects (value: code, label: code and org)."""
    from jiandu.orgs.models import Org

    rows = (
        Org.objects.filter(pk__in=jurisdiction_org_ids(user), archived_at__isnull=True)
        .exclude(region_code="")
        .order_by("region_code", "path")
        .values_list("region_code", "name")
    )
    choices: dict[str, str] = {}
    for code, name in rows:
        if len(code) in (6, 9) and code not in choices:
            choices[code] = f"{code} {name}"
    return list(choices.items())


def default_region(user: Any) -> str:
    org = getattr(user, "org", None)
    code = getattr(org, "region_code", "") if org is not None else ""
    if code:
        return code
    choices = region_choices(user)
    return choices[0][0] if choices else ""
