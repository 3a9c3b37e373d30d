"""Statistics of the case registry: each one is a set of records, counted.

A statistic says which records count (its base queryset for a period and an optional
domain), which org field places a record with a unit, and what is counted. Boards group
by that field to count every unit at once; a drill-down lists the same queryset for one
unit, so the number shown always equals the records listed. docs/glossary.md defines
each statistic in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import CharField, Count, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from jiandu.clues.choices import ClueAction, OutcomeKind, ResponsibilityType
from jiandu.clues.models import (
    Clue,
    ClueEvent,
    DomainTag,
    ExposureBatch,
    ExposureCase,
    Outcome,
    Petition,
)
from jiandu.core.db import fetch_rows


@dataclass(frozen=True)
class Statistic:
    key: str
    name: str
    unit: str
    model: type
    org_field: str  # the field placing a record with an org
    records: Callable[[dt.date, dt.date, str], QuerySet]  # (start, end, domain) -> rows
    count_field: str = "pk"  # what is counted: the record, or e.g. its clue (once)
    record_label: str = ""

    def queryset(
        self, *, start: dt.date, end: dt.date, domain: str = "", org_ids: Iterable[int] | None
    ) -> QuerySet:
        qs = self.records(start, end, domain)
        if org_ids is not None:
            qs = qs.filter(**{f"{self.org_field}__in": list(org_ids)})
        return qs

    def count(
        self, *, start: dt.date, end: dt.date, domain: str = "", org_ids: Iterable[int] | None
    ) -> int:
        qs = self.queryset(start=start, end=end, domain=domain, org_ids=org_ids)
        return qs.aggregate(n=self.counter())["n"] or 0

    def counter(self) -> Count:
        """Rows are never repeated (the domain test is a column, other joins follow
        foreign keys), so the record itself is counted plainly; another counted field
        (a clue behind several outcomes) is counted once."""
        if self.count_field == "pk":
            return Count("*")  # COUNT(*): answered from a covering index alone
        return Count(self.count_field, distinct=True)

    def counts_by_org(
        self, *, start: dt.date, end: dt.date, domain: str = "", org_ids: Iterable[int] | None
    ) -> dict[int, int]:
        """One grouped query: org id -> count, for every org with at least one record."""
        qs = self.queryset(start=start, end=end, domain=domain, org_ids=org_ids)
        rows = qs.values(self.org_field).annotate(n=self.counter()).values_list(self.org_field, "n")
        return dict(fetch_rows(rows.order_by()))


def _domain(qs: QuerySet, domain: str, path: str = "domain_key") -> QuerySet:
    """Records of one domain (by code), through the record's ``domain_key`` column (the
    clue's, for outcomes and timeline rows): a plain column test, never a join that could
    repeat rows. The tag's id is looked up inside the same query."""
    if not domain:
        return qs
    tag_id = DomainTag.objects.filter(code=domain).values("pk")[:1]
    pattern = Concat(Value(","), Cast(Subquery(tag_id), CharField()), Value(","))
    return qs.filter(**{f"{path}__contains": pattern})


def _clues_received(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _domain(Clue.objects.filter(received_date__range=(start, end)), domain)


def _clues_disposed(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _domain(Clue.objects.filter(disposed_at__range=(start, end)), domain)


def _clues_closed(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _domain(Clue.objects.filter(closed_at__range=(start, end)), domain)


def _outcomes(kind: str) -> Callable[[dt.date, dt.date, str], QuerySet]:
    def records(start: dt.date, end: dt.date, domain: str) -> QuerySet:
        qs = Outcome.objects.active().filter(kind=kind, decision_date__range=(start, end))
        return _domain(qs, domain)

    return records


def _accountability(responsibility: str) -> Callable[[dt.date, dt.date, str], QuerySet]:
    def records(start: dt.date, end: dt.date, domain: str) -> QuerySet:
        qs = Outcome.objects.active().filter(
            kind=OutcomeKind.ACCOUNTABILITY,
            responsibility_type=responsibility,
            decision_date__range=(start, end),
        )
        return _domain(qs, domain)

    return records


def _direct_handling(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    qs = ClueEvent.objects.filter(action=ClueAction.DIRECT_HANDLE, on_date__range=(start, end))
    return _domain(qs, domain)


def _exposure_batches(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _domain(ExposureBatch.objects.filter(published_on__range=(start, end)), domain)


def _exposure_cases(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    qs = ExposureCase.objects.filter(batch__published_on__range=(start, end))
    return _domain(qs, domain, "batch__domain_key")


def _exposure_persons(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    through = ExposureCase.persons.through
    qs = through.objects.filter(exposurecase__batch__published_on__range=(start, end))
    return _domain(qs, domain, "exposurecase__batch__domain_key")


def _petitions_received(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _domain(Petition.objects.filter(received_date__range=(start, end)), domain)


def _petitions_first(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _petitions_received(start, end, domain).filter(is_first_time=True)


def _petitions_repeat(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    return _petitions_received(start, end, domain).filter(repeat_of__isnull=False)


def _petitions_first_closed(start: dt.date, end: dt.date, domain: str) -> QuerySet:
    """First-time petitions received in the period and closed by its end (before the
    first moment of the day after ``end``): a past period's figure stays what it was."""
    after_end = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return _petitions_first(start, end, domain).filter(closed_at__lt=after_end)


STATISTICS: dict[str, Statistic] = {
    s.key: s
    for s in [
        Statistic("clues_received", "受理问题线索", "件", Clue, "registered_org", _clues_received),
        Statistic("clues_disposed", "处置问题线索", "件", Clue, "handling_org", _clues_disposed),
        Statistic("clues_closed", "处置办结", "件", Clue, "handling_org", _clues_closed),
        Statistic(
            "criticism", "批评教育", "人", Outcome, "decided_by", _outcomes(OutcomeKind.CRITICISM)
        ),
        Statistic(
            "accountability",
            "问责处理",
            "人",
            Outcome,
            "decided_by",
            _outcomes(OutcomeKind.ACCOUNTABILITY),
        ),
        Statistic(
            "party_discipline",
            "党纪处分",
            "人",
            Outcome,
            "decided_by",
            _outcomes(OutcomeKind.PARTY_DISCIPLINE),
        ),
        Statistic(
            "government_sanction",
            "政务处分",
            "人",
            Outcome,
            "decided_by",
            _outcomes(OutcomeKind.GOVERNMENT_SANCTION),
        ),
        Statistic(
            "organisational",
            "组织处理",
            "人",
            Outcome,
            "decided_by",
            _outcomes(OutcomeKind.ORGANISATIONAL),
        ),
        Statistic(
            "judicial_transfer",
            "移送司法机关",
            "人",
            Outcome,
            "decided_by",
            _outcomes(OutcomeKind.JUDICIAL_TRANSFER),
        ),
        Statistic(
            "direct_handling", "直查直办", "件", ClueEvent, "to_org", _direct_handling, "clue"
        ),
        Statistic(
            "principal_failures",
            "主体责任类失职失责",
            "件",
            Outcome,
            "decided_by",
            _accountability(ResponsibilityType.PRINCIPAL),
            "clue",
        ),
        Statistic(
            "supervisory_failures",
            "监督责任类失职失责",
            "件",
            Outcome,
            "decided_by",
            _accountability(ResponsibilityType.SUPERVISORY),
            "clue",
        ),
        Statistic(
            "exposure_batches", "通报曝光批次", "批次", ExposureBatch, "org", _exposure_batches
        ),
        Statistic(
            "exposure_cases", "通报曝光起数", "起", ExposureCase, "batch__org", _exposure_cases
        ),
        Statistic(
            "exposure_persons",
            "通报曝光人次",
            "人次",
            ExposureCase.persons.through,
            "exposurecase__batch__org",
            _exposure_persons,
        ),
        Statistic(
            "petitions_received", "检举控告量", "件", Petition, "received_org", _petitions_received
        ),
        Statistic(
            "petitions_first", "初信初访量", "件", Petition, "received_org", _petitions_first
        ),
        Statistic(
            "petitions_first_closed",
            "初信初访办结量",
            "件",
            Petition,
            "received_org",
            _petitions_first_closed,
        ),
        Statistic(
            "petitions_repeat", "重复举报量", "件", Petition, "received_org", _petitions_repeat
        ),
    ]
}


def statistic(key: str) -> Statistic:
    try:
        return STATISTICS[key]
    except KeyError:
        raise KeyError(f"未知的统计指标“{key}”") from None
