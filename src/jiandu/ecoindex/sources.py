"""Where the computed leaves of the index come from: one statistic per leaf, counted for
every unit at once (one grouped query) and listed for one unit (the drill-down), from the
same queryset — so the value shown is the number of records listed.

A record counts for the unit it is *about*: a clue or petition for its 被反映单位, an
outcome for its clue's 被反映单位, a problem for its 责任单位, a talk for the unit talked
to, a 多色榜 warning for the warned unit. docs/glossary.md gives each statistic's 口径.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from jiandu.boards.models import BoardWarning
from jiandu.clues.choices import OutcomeKind, ResponsibilityType
from jiandu.clues.models import Clue, Outcome, Petition
from jiandu.core.db import fetch_rows
from jiandu.oversight.choices import RectificationStatus
from jiandu.oversight.models import Interview, Problem, Rectification

# Above this many units, Source.values groups every unit and keeps the wanted ones.
MANY_UNITS = 50

Records = Callable[[dt.date, dt.date, str], QuerySet]


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    org_field: str
    records: Callable[[dt.date, dt.date, str], QuerySet]  # (start, end, month) -> rows
    # row (a model instance of ``records``' queryset, whichever model) -> (date, text, url)
    describe: Callable[[Any], tuple[str, str, str]]
    # For a rate: the records of the denominator and of the numerator (a percentage).
    numerator: Callable[[QuerySet], QuerySet] | None = None

    def values(
        self, *, start: dt.date, end: dt.date, month: str, org_ids: Iterable[int]
    ) -> dict[int, Decimal]:
        """org id → value for every org in ``org_ids``: a count (0 without records), or a
        percentage (absent when the unit has nothing in the denominator)."""
        ids = list(org_ids)
        wanted = set(ids)
        # For many units (a close), every unit's group is counted and the wanted ones
        # kept: cheaper than sending hundreds of ids for the database to match.
        if len(ids) > MANY_UNITS:
            qs = self.records(start, end, month).filter(**{f"{self.org_field}__isnull": False})
        else:
            qs = self.records(start, end, month).filter(**{f"{self.org_field}__in": ids})
        grouped = qs.values(self.org_field).order_by()
        if self.numerator is None:
            counts = dict(fetch_rows(grouped.annotate(n=Count("pk", distinct=True)).values_list(
                self.org_field, "n")))  # fmt: skip
            return {i: Decimal(counts.get(i, 0)) for i in ids}
        done_ids = self.numerator(qs).values("pk")
        rows = grouped.annotate(
            n=Count("pk", distinct=True), done=Count("pk", filter=Q(pk__in=done_ids), distinct=True)
        ).values_list(self.org_field, "n", "done")
        out: dict[int, Decimal] = {}
        for org_id, n, done in fetch_rows(rows):
            if n and org_id in wanted:
                out[org_id] = (Decimal(100) * done / n).quantize(Decimal("0.01"))
        return out

    def rows(self, *, start: dt.date, end: dt.date, month: str, org_id: int) -> list[dict]:
        """The records behind one unit's value, as (date, text, link) rows."""
        qs = self.records(start, end, month).filter(**{self.org_field: org_id}).distinct()
        done: set[int] = set()
        if self.numerator is not None:
            done = set(self.numerator(qs).values_list("pk", flat=True))
        out = []
        for row in qs.order_by("pk")[:500]:
            date, text, url = self.describe(row)
            item = {"date": date, "text": text, "url": url}
            if self.numerator is not None:
                item["counted"] = "按期销号" if row.pk in done else "未按期销号"
            out.append(item)
        return out


def _clue_row(clue: Clue) -> tuple[str, str, str]:
    return (str(clue.received_date), f"{clue.number or ''} {clue.title}".strip(),
            reverse("clues:clue_detail", args=[clue.pk]))  # fmt: skip


def _petition_row(p: Petition) -> tuple[str, str, str]:
    return (str(p.received_date), f"{p.number or ''} {p.title}".strip(),
            reverse("clues:petition_detail", args=[p.pk]))  # fmt: skip


def _outcome_row(o: Outcome) -> tuple[str, str, str]:
    return (str(o.decision_date), f"{o.subject_name} {o.get_kind_display()}（{o.clue.title}）",
            reverse("clues:clue_detail", args=[o.clue_id]))  # fmt: skip


def _problem_row(p: Problem) -> tuple[str, str, str]:
    return (str(p.found_on), f"{p.number or ''} {p.description[:60]}".strip(),
            reverse("oversight:problem_detail", args=[p.pk]))  # fmt: skip


def _rectification_row(r: Rectification) -> tuple[str, str, str]:
    p = r.problem
    return (str(r.due_on), f"{p.number or ''} {p.description[:60]}（期限{r.due_on}）".strip(),
            reverse("oversight:problem_detail", args=[p.pk]))  # fmt: skip


def _interview_row(i: Interview) -> tuple[str, str, str]:
    url = reverse("oversight:problem_detail", args=[i.problem_id]) if i.problem_id else ""
    return (str(i.held_on), f"{i.get_kind_display()}：{i.leader}", url)


def _warning_row(w: BoardWarning) -> tuple[str, str, str]:
    return (w.month, f"{w.board.title}：{w.description}",
            reverse("boards:warning_detail", args=[w.pk]))  # fmt: skip


def _outcomes(**filters: object) -> Records:
    def records(start: dt.date, end: dt.date, month: str) -> QuerySet:
        return Outcome.objects.active().filter(decision_date__range=(start, end), **filters)

    return records


def _problems(**filters: object) -> Records:
    def records(start: dt.date, end: dt.date, month: str) -> QuerySet:
        return Problem.objects.filter(found_on__range=(start, end), **filters)

    return records


def _rectifications_due(start: dt.date, end: dt.date, month: str) -> QuerySet:
    return Rectification.objects.filter(due_on__range=(start, end)).select_related("problem")


def _on_time(qs: QuerySet) -> QuerySet:
    return qs.filter(status=RectificationStatus.CLOSED, closed_on__lte=F("due_on"))


def _overdue(start: dt.date, end: dt.date, month: str) -> QuerySet:
    return (
        Rectification.objects.filter(due_on__lt=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .filter(problem__found_on__lte=end)
        .select_related("problem")
    )


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        Source("clues_about", "问题线索件数", "subject_orgs",
               lambda a, b, m: Clue.objects.filter(received_date__range=(a, b)), _clue_row),
        Source("petitions_about", "检举控告件数", "subject_orgs",
               lambda a, b, m: Petition.objects.filter(received_date__range=(a, b)),
               _petition_row),
        Source("petitions_repeat_about", "重复举报件数", "subject_orgs",
               lambda a, b, m: Petition.objects.filter(received_date__range=(a, b),
                                                       repeat_of__isnull=False), _petition_row),
        *(
            Source(f"form{n}", f"第{'一二三四'[n - 1]}种形态人次", "clue__subject_orgs",
                   _outcomes(discipline_form=n), _outcome_row)
            for n in (1, 2, 3, 4)
        ),
        Source("principal_failures", "主体责任类问责", "clue__subject_orgs",
               _outcomes(kind=OutcomeKind.ACCOUNTABILITY,
                         responsibility_type=ResponsibilityType.PRINCIPAL), _outcome_row),
        Source("supervisory_failures", "监督责任类问责", "clue__subject_orgs",
               _outcomes(kind=OutcomeKind.ACCOUNTABILITY,
                         responsibility_type=ResponsibilityType.SUPERVISORY), _outcome_row),
        Source("problems_found", "监督检查发现问题数", "org", _problems(), _problem_row),
        Source("problems_self_found", "自查自纠发现问题数", "org",
               _problems(source__is_self_found=True), _problem_row),
        Source("problems_recurred", "整改问题反弹数", "org",
               _problems(recurrence_of__isnull=False), _problem_row),
        Source("rectification_rate", "问题整改按期完成率", "problem__org", _rectifications_due,
               _rectification_row, numerator=_on_time),
        Source("rectifications_overdue", "逾期未整改问题数", "problem__org", _overdue,
               _rectification_row),
        Source("interviews", "约谈、诫勉谈话次数", "org",
               lambda a, b, m: Interview.objects.filter(held_on__range=(a, b)), _interview_row),
        Source("board_warnings", "多色榜预警次数", "org",
               lambda a, b, m: BoardWarning.objects.filter(month=m).select_related("board"),
               _warning_row),
    ]
}  # fmt: skip
