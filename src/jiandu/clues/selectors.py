"""Reads of the case registry, always within the user's jurisdiction (404 outside)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiandu.clues import lifecycle
from jiandu.clues.choices import ClueStatus, PetitionStatus
from jiandu.clues.models import (
    Attachment,
    Clue,
    ExposureBatch,
    ExposureCase,
    Outcome,
    Petition,
)
from jiandu.clues.search import text_filter
from jiandu.core.access import get_or_404


@dataclass(frozen=True)
class ClueFilters:
    """The clue list's filters (page, API and export share them)."""

    status: str = ""
    source: str = ""
    domain: str = ""
    org_id: int | None = None
    disposal_method: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""
    overdue: bool = False


_NUMBER = re.compile(r"^(XF|XS)\d{11}$", re.IGNORECASE)


_Q = TypeVar("_Q", bound=QuerySet)


def _text(qs: _Q, text: str) -> _Q:
    """A whole 编号 finds that record; other text searches 标题 and 内容 through the
    bigram index (clues.search)."""
    if _NUMBER.match(text):
        return qs.filter(number=text.upper())
    return text_filter(qs, text, fields=("title", "content"))


def clue_list(*, user: Any, filters: ClueFilters | None = None) -> QuerySet[Clue]:
    f = filters or ClueFilters()
    qs = Clue.objects.restrict(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.disposal_method:
        qs = qs.filter(disposal_method=f.disposal_method)
    if f.domain:
        qs = qs.filter(domains__code=f.domain)
    if f.org_id:
        qs = qs.filter(handling_org_id=f.org_id)
    if f.received_from:
        qs = qs.filter(received_date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_date__lte=f.received_to)
    if f.text.strip():
        qs = _text(qs, f.text.strip())
    if f.overdue:
        qs = qs.exclude(status=ClueStatus.CLOSED).filter(due_date__lt=timezone.localdate())
    return qs.select_related("handling_org")


def clue_get(*, user: Any, pk: int) -> Clue:
    qs = Clue.objects.restrict(user).select_related(
        "handling_org", "registered_org", "petition", "created_by__org"
    )
    return get_or_404(qs, pk=pk)


def clue_timeline(*, clue: Clue) -> QuerySet:
    return clue.events.select_related("actor__org", "from_org", "to_org").order_by("at", "pk")


def clue_next_actions(*, user: Any, clue: Clue) -> list[str]:
    """The lifecycle actions the user may take on this clue now."""
    if not user.has_perm("clues.change_clue"):
        return []
    return lifecycle.allowed_clue_actions(clue.status)


def clue_outcomes(*, clue: Clue) -> QuerySet[Outcome]:
    return clue.outcomes.select_related("person", "decided_by").order_by("decision_date", "pk")


@dataclass(frozen=True)
class PetitionFilters:
    status: str = ""
    channel: str = ""
    domain: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""
    repeat_only: bool = False


def petition_list(*, user: Any, filters: PetitionFilters | None = None) -> QuerySet[Petition]:
    f = filters or PetitionFilters()
    qs = Petition.objects.restrict(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.domain:
        qs = qs.filter(domains__code=f.domain)
    if f.received_from:
        qs = qs.filter(received_date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_date__lte=f.received_to)
    if f.text.strip():
        qs = _text(qs, f.text.strip())
    if f.repeat_only:
        qs = qs.filter(repeat_of__isnull=False)
    return qs.select_related("handling_org", "received_org")


def petition_get(*, user: Any, pk: int) -> Petition:
    qs = Petition.objects.restrict(user).select_related(
        "handling_org", "received_org", "repeat_of", "created_by__org"
    )
    return get_or_404(qs, pk=pk)


def petition_timeline(*, petition: Petition) -> QuerySet:
    return petition.events.select_related("actor__org", "from_org", "to_org").order_by("at", "pk")


def outcome_list(*, user: Any) -> QuerySet[Outcome]:
    return Outcome.objects.restrict(user).select_related("clue", "person", "decided_by")


def exposure_list(*, user: Any) -> QuerySet[ExposureBatch]:
    return (
        ExposureBatch.objects.restrict(user)
        .select_related("org")
        .annotate(case_count=Count("cases", distinct=True), person_count=Count("cases__persons"))
    )


def exposure_get(*, user: Any, pk: int) -> ExposureBatch:
    return get_or_404(ExposureBatch.objects.restrict(user).select_related("org"), pk=pk)


@dataclass(frozen=True)
class Workbench:
    open_by_stage: dict[str, int]
    overdue: list[Clue]
    recent_petitions: list[Petition]
    pending_petitions: int


def workbench_for(*, user: Any, limit: int = 10, whole_jurisdiction: bool = False) -> Workbench:
    """My open clues by stage (or, with ``whole_jurisdiction``, every open clue in the
    jurisdiction: a leader's overview), overdue items and recent petitions, for the
    home page."""
    clues = Clue.objects.restrict(user)
    if whole_jurisdiction:
        mine = clues
    else:
        mine = clues.filter(handling_org_id=user.org_id) if user.org_id else clues.none()
    stages: dict[str, int] = {}
    for row in mine.open().values("status", "disposal_method").annotate(n=Count("pk")).order_by():
        key = row["disposal_method"] or row["status"]
        stages[key] = stages.get(key, 0) + row["n"]
    overdue = list(
        clues.open()
        .filter(due_date__lt=timezone.localdate())
        .select_related("handling_org")
        .order_by("due_date", "pk")[:limit]
    )
    petitions = Petition.objects.restrict(user)
    recent = list(
        petitions.select_related("handling_org").order_by("-received_date", "-pk")[:limit]
    )
    pending = petitions.filter(status=PetitionStatus.PENDING).count()
    return Workbench(
        open_by_stage=stages, overdue=overdue, recent_petitions=recent, pending_petitions=pending
    )


def clue_received_by_month(
    *, user: Any, months: int = 12, today: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """Clues received per calendar month within the user's jurisdiction: the last
    ``months`` months up to and including the current one, oldest first, each as
    (first day of the month, count); a month without clues counts 0. One query."""
    from django.db.models.functions import TruncMonth

    today = today or timezone.localdate()
    firsts: list[dt.date] = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    rows = (
        Clue.objects.restrict(user)
        .filter(received_date__gte=firsts[0], received_date__lte=today)
        .annotate(month=TruncMonth("received_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["month"]: row["n"] for row in rows}
    return [(first, counts.get(first, 0)) for first in firsts]


def attachment_get(*, user: Any, pk: int) -> Attachment:
    """An attachment whose petition or clue is within the user's jurisdiction (404
    otherwise): files are only ever served through this, never by a public URL."""
    petitions = Petition.objects.restrict(user).values("pk")
    clues = Clue.objects.restrict(user).values("pk")
    qs = Attachment.objects.filter(Q(petition__in=petitions) | Q(clue__in=clues))
    return get_or_404(qs, pk=pk)


def exposure_cases(*, batch: ExposureBatch) -> QuerySet[ExposureCase]:
    """The typical cases (起) of a batch with their clue and persons."""
    return batch.cases.select_related("clue").prefetch_related("persons").order_by("pk")


def petition_next_actions(*, user: Any, petition: Petition) -> list[str]:
    """The triage actions the user may take on this petition now (转为问题线索 also
    needs the right to add clues)."""
    from jiandu.clues.choices import PetitionAction

    if not user.has_perm("clues.change_petition"):
        return []
    actions = lifecycle.allowed_petition_actions(petition.status)
    if not user.has_perm("clues.add_clue"):
        actions = [a for a in actions if a != PetitionAction.CONVERT]
    return actions
