"""The working-day calendar and the deadline table as stored in the database.

Reads: :func:`work_calendar` (the stored calendar as a :class:`~jiandu.core.workdays.
WorkCalendar`), :func:`deadline_rule` (the rule in force for a step) and
:func:`deadline_compute` (a step's due date from a start date). Writes:
:func:`calendar_import` (a year's holidays from a file, all or nothing),
:func:`calendar_day_set` (one date on the page) and :func:`deadline_rule_set` (a new
version of a step's rule). Apps declare their steps with :func:`deadline_rule_ensure`
in a data migration or at install; the numbers live in the table, not in code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.core.audit import audit_record
from jiandu.core.choices import AuditAction, CalendarDayKind, PeriodKind
from jiandu.core.models import CalendarDay, DeadlineRule
from jiandu.core.workdays import REST, CalendarError, Due, WorkCalendar, due_date

_KIND_TO_WORD = {CalendarDayKind.REST: REST, CalendarDayKind.WORK: "班"}


# The holiday arrangements shipped with the platform, one file a year (data/holidays).
SHIPPED_HOLIDAYS = Path(__file__).resolve().parent / "data" / "holidays"


def shipped_holiday_rows(year: int) -> list[list[str]] | None:
    """The (date, 休/班) rows of a shipped year's file, or None when none is shipped."""
    path = SHIPPED_HOLIDAYS / f"{year}.csv"
    if not path.exists():
        return None
    return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]


# --- reads -----------------------------------------------------------------------------


def work_calendar() -> WorkCalendar:
    """The stored calendar (a few dozen rows a year)."""
    return WorkCalendar.from_entries(
        (day, _KIND_TO_WORD[CalendarDayKind(kind)])
        for day, kind in CalendarDay.objects.values_list("date", "kind")
    )


def calendar_years() -> list[int]:
    """The years with holidays loaded, ascending."""
    return sorted({d.year for d in CalendarDay.objects.values_list("date", flat=True)})


def deadline_rule(step: str) -> DeadlineRule:
    """The rule in force for ``step``; a missing rule is an installation error."""
    rule = DeadlineRule.objects.filter(step=step, archived_at__isnull=True).first()
    if rule is None:
        raise LookupError(f"期限表中没有环节“{step}”的规则")
    return rule


@dataclass(frozen=True)
class Deadline:
    """A due date with the rule it was computed under (stored with the record, so a
    later change of the table does not move it) and the calendar's warning, if any."""

    due: dt.date
    rule: DeadlineRule
    warning: str = ""


def deadline_compute(
    step: str, start: dt.date, *, calendar: WorkCalendar | None = None
) -> Deadline:
    rule = deadline_rule(step)
    due: Due = due_date(calendar or work_calendar(), start, rule.period_kind, rule.length)
    return Deadline(due=due.due, rule=rule, warning=due.warning)


# --- writes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarImportResult:
    years: list[int]
    rest_days: int
    work_days: int
    removed: int


_HEADERS = (["date", "kind"], ["日期", "类型"])


def calendar_file_rows(name: str, data: bytes) -> list[list[Any]]:
    """The (date, kind) rows of an uploaded calendar file, .csv or .xlsx, after its
    header row (``date,kind`` or ``日期,类型``); dates of a spreadsheet become
    YYYY-MM-DD. A file that cannot be read is a :class:`ValidationError`."""
    import csv
    import io

    rows: list[list[Any]]
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(["无法读取 Excel 文件（应为 .xlsx）"]) from exc
        sheet = workbook.worksheets[0]
        rows = [
            [c.date().isoformat() if isinstance(c, dt.datetime) else c for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
    elif name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(["文件编码无法识别（应为 UTF-8 或 GB18030）"])
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise ValidationError(["文件类型应为 .csv 或 .xlsx"])
    header = [str(h or "").strip().lower() for h in (rows[0] if rows else [])]
    if header[:2] not in _HEADERS:
        raise ValidationError(["第1行：表头应为“date,kind”或“日期,类型”"])
    return [[c.isoformat() if isinstance(c, dt.date) else c for c in r] for r in rows[1:]]


def calendar_import(
    *, actor: Any, rows: Iterable[Sequence[Any]], source: str = "", first_row: int = 2
) -> CalendarImportResult:
    """Replace the calendar of every year the rows list with exactly those rows.

    All or nothing: any bad row (date, kind, the same date twice with different kinds)
    is reported by its number and nothing is written."""
    try:
        parsed = WorkCalendar.from_rows(rows, first_row=first_row)
    except CalendarError as exc:
        raise ValidationError(exc.lines) from exc
    entries = sorted(
        [(d, CalendarDayKind.REST) for d in parsed.rest]
        + [(d, CalendarDayKind.WORK) for d in parsed.work]
    )
    if not entries:
        raise ValidationError(["文件中没有任何日期"])
    years = sorted(parsed.years)
    with transaction.atomic():
        old = CalendarDay.objects.filter(date__year__in=years)
        removed = [
            f"{d.isoformat()} {_KIND_TO_WORD[CalendarDayKind(k)]}"
            for d, k in old.values_list("date", "kind")
        ]
        old.delete()  # reference data replaced whole per year; the audit row keeps the old
        CalendarDay.objects.bulk_create(CalendarDay(date=d, kind=k) for d, k in entries)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="core.calendarday",
            summary=f"导入{'、'.join(str(y) for y in years)}年工作日历",
            changes={
                "source": source,
                "years": years,
                "entries": [f"{d.isoformat()} {_KIND_TO_WORD[k]}" for d, k in entries],
                "replaced": removed,
            },
        )
    return CalendarImportResult(
        years=years,
        rest_days=len(parsed.rest),
        work_days=len(parsed.work),
        removed=len(removed),
    )


def calendar_day_set(*, actor: Any, date: dt.date, kind: str | None, note: str = "") -> None:
    """Mark one date 休 or 班 (``kind``), or clear it back to the week (``kind=None``)."""
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date=date).first()
        before = existing.get_kind_display() if existing else "按周计"
        if kind is None:
            if existing is None:
                return
            existing.delete()
            after = "按周计"
        else:
            kind = CalendarDayKind(kind)
            day = existing or CalendarDay(date=date)
            day.kind = kind
            day.note = note.strip()[:50]
            day.full_clean()
            day.save()
            after = day.get_kind_display()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="core.calendarday",
            summary=f"工作日历 {date.isoformat()}：{before} → {after}",
            changes={"date": date, "before": before, "after": after},
        )


def deadline_rule_ensure(
    *, step: str, label: str, period_kind: str, length: int, basis: str = ""
) -> DeadlineRule:
    """The rule in force for ``step``, created with these values when there is none
    (installation and data migrations; an existing rule is never changed here)."""
    rule = DeadlineRule.objects.filter(step=step, archived_at__isnull=True).first()
    if rule is None:
        rule = DeadlineRule(
            step=step, label=label, period_kind=PeriodKind(period_kind), length=length, basis=basis
        )
        rule.full_clean()
        rule.save()
    return rule


def deadline_rule_set(
    *, actor: Any, step: str, period_kind: str, length: int, basis: str = "", reason: str
) -> DeadlineRule:
    """A new version of ``step``'s rule. The rule in force is archived (with who, when
    and why); deadlines already set keep their due dates."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写修改原因"})
    with transaction.atomic():
        current = deadline_rule(step)
        new = DeadlineRule(
            step=step,
            label=current.label,
            period_kind=PeriodKind(period_kind),
            length=length,
            basis=basis.strip() or current.basis,
        )
        new.full_clean(validate_constraints=False)
        current.archived_at = timezone.now()
        current.archived_by = actor
        current.archive_reason = reason.strip()[:200]
        current.save(update_fields=["archived_at", "archived_by", "archive_reason", "updated_at"])
        new.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=new,
            summary=f"期限表“{current.label}”：{current.describe} → {new.describe}",
            changes={
                "step": step,
                "before": current.describe,
                "after": new.describe,
                "reason": reason.strip(),
            },
        )
    return new
