"""The clue filters of a 线索大起底, as stored with the campaign (JSON) and shown in words.

Keys (all optional, combined with "and"; a multi-value key holds one value as a string
or several as a list, any of which matches):

- ``disposal_method``: 处置方式 (the clue's current one);
- ``status``: 线索状态;
- ``source``: 线索来源;
- ``received_from`` / ``received_to``: 受理日期 range (ISO dates, inclusive);
- ``disposed_from`` / ``disposed_to``: 处置日期 range (a clue never disposed has none and
  is left out when either end is given);
- ``handling_org`` (id) with ``include_sub``: 承办单位, or it and the units under it;
  it must be within the user's jurisdiction;
- ``subject_level``: 被反映人职级 — a person the clue is about held, on the day the
  clue was received, a post of that 干部管理层级 (clues about units only are left out).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from jiandu.clues.choices import ClueSource, ClueStatus, DisposalMethod
from jiandu.clues.models import Clue
from jiandu.clues.selectors import clue_list
from jiandu.core.access import jurisdiction_org_ids
from jiandu.orgs.models import Org
from jiandu.people.choices import ManagementLevel
from jiandu.people.models import Post

# key -> (label, choices) of the multi-value filters, in the order they are described
MULTI: dict[str, tuple[str, Any]] = {
    "status": ("线索状态", ClueStatus),
    "disposal_method": ("处置方式", DisposalMethod),
    "source": ("线索来源", ClueSource),
    "subject_level": ("被反映人职级", ManagementLevel),
}
RANGES: dict[str, tuple[str, str, str]] = {
    "received": ("受理日期", "received_from", "received_to"),
    "disposed": ("处置日期", "disposed_from", "disposed_to"),
}


def values(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _day(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({key: f"“{value}”不是有效日期"}) from None


def normalize(*, user: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as stored: empty ones left out, dates ISO, one value a string, several
    a list; unknown values, reversed ranges and a unit outside the jurisdiction are
    errors naming the filter."""
    data: dict[str, Any] = {}
    for key, (label, choices) in MULTI.items():
        chosen = values(filters, key)
        unknown = [v for v in chosen if v not in choices.values]
        if unknown:
            raise ValidationError({key: f"{label}“{'、'.join(unknown)}”不存在"})
        chosen = [v for v in choices.values if v in chosen]  # the choices' order, no repeats
        if chosen:
            data[key] = chosen[0] if len(chosen) == 1 else chosen
    for label, start_key, end_key in RANGES.values():
        start, end = _day(filters, start_key), _day(filters, end_key)
        if start and end and start > end:
            raise ValidationError({end_key: f"{label}的截止日期早于起始日期"})
        if start:
            data[start_key] = start.isoformat()
        if end:
            data[end_key] = end.isoformat()
    org = filters.get("handling_org")
    if org:
        org_id = org.pk if isinstance(org, Org) else int(org)
        if org_id not in jurisdiction_org_ids(user):
            raise ValidationError({"handling_org": "承办单位不在您的管辖范围内"})
        data["handling_org"] = org_id
        if filters.get("include_sub"):
            data["include_sub"] = True
    return data


def clues_matching(*, user: Any, data: dict[str, Any]) -> QuerySet[Clue]:
    """The clues in the user's jurisdiction the stored filters select."""
    qs = clue_list(user=user)
    lookups = {"status": "status", "disposal_method": "disposal_method", "source": "source"}
    for key, field in lookups.items():
        chosen = values(data, key)
        if chosen:
            qs = qs.filter(**{f"{field}__in": chosen})
    fields = {"received": "received_date", "disposed": "disposed_at"}
    for name, (_label, start_key, end_key) in RANGES.items():
        start, end = _day(data, start_key), _day(data, end_key)
        if start:
            qs = qs.filter(**{f"{fields[name]}__gte": start})
        if end:
            qs = qs.filter(**{f"{fields[name]}__lte": end})
    if data.get("handling_org"):
        if data.get("include_sub"):
            org = Org.objects.filter(pk=data["handling_org"]).first()
            qs = qs.filter(handling_org__path__startswith=org.path) if org else qs.none()
        else:
            qs = qs.filter(handling_org_id=data["handling_org"])
    levels = values(data, "subject_level")
    if levels:
        held = Post.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("received_date")),
            person__clues=OuterRef("pk"),
            management_level__in=levels,
            start_date__lte=OuterRef("received_date"),
        )
        qs = qs.filter(Exists(held))
    return qs


def describe(data: dict[str, Any]) -> str:
    """The stored filters in words, as the campaign's pages show them."""
    parts = []
    for key, (label, choices) in MULTI.items():
        chosen = values(data, key)
        if chosen:
            words = "、".join(str(choices(v).label) if v in choices.values else v for v in chosen)
            parts.append(f"{label}：{words}")
    for label, start_key, end_key in RANGES.values():
        start, end = data.get(start_key), data.get(end_key)
        if start and end:
            parts.append(f"{label} {start} 至 {end}")
        elif start:
            parts.append(f"{label}自 {start}")
        elif end:
            parts.append(f"{label}至 {end}")
    if data.get("handling_org"):
        org = Org.objects.filter(pk=data["handling_org"]).first()
        name = org.name if org else "（已删除的单位）"
        parts.append(f"承办单位：{name}" + ("（含下级单位）" if data.get("include_sub") else ""))
    return "；".join(parts) or "管辖范围内全部线索"
