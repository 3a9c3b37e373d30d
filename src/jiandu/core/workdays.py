"""Deadlines on the calendar people work by: working days with statutory holidays and
调休, and periods of days and months per 民法典 第二百零一条至第二百零三条.

Pure Python (no Django, no database): the platform and the command-line calculator
``jiandu calendar due`` run this same code. The rules, exactly:

* **A calendar** lists dates as 休 (a rest day: a statutory holiday) or 班 (a working
  day: a weekend day worked in exchange, 调休). Every other Monday–Friday is a working
  day and every other Saturday and Sunday a rest day. A weekday marked 班 or a weekend
  day marked 休 changes nothing. A year is *loaded* when the calendar lists at least one
  date in it; a period that reaches a year not loaded is computed on weekends alone and
  the answer names the year (``missing_years``), so the platform can warn.
* **Working days** (``workdays``, N ≥ 1): the due date is the N-th working day after the
  start date; the start date itself never counts, whether or not it is a working day.
* **Calendar days** (``days``, N ≥ 1): the start day does not count (第二百零一条), so the
  period ends N days after the start date; an end that falls on a rest day moves to the
  first working day after it (第二百零三条).
* **Months** (``months``, N ≥ 1): the period ends on the start's day number in the month
  N months later (04-30 + 1 month → 05-30), or on that month's last day when the month
  is shorter (01-31 + 1 month → 02-28, or 02-29 in a leap year) (第二百零二条); then, if
  that day is a rest day, the first working day after it.

:func:`due_date` answers one start date; :func:`due_dates` answers an array of them with
NumPy (the same table of working days, searched with ``searchsorted``).
"""

from __future__ import annotations

import bisect
import calendar as _calendar
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

REST = "休"
WORK = "班"
KIND_WORDS = {REST: REST, WORK: WORK, "rest": REST, "work": WORK, "holiday": REST, "workday": WORK}


class PeriodKind(StrEnum):
    """How a deadline counts."""

    WORKDAYS = "workdays"
    DAYS = "days"
    MONTHS = "months"

    @property
    def label(self) -> str:
        return {"workdays": "个工作日", "days": "日", "months": "个月"}[self.value]


class CalendarError(ValueError):
    """Errors in a calendar file, one line per problem, each naming its row."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("；".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class WorkCalendar:
    """Rest days and 调休 working days; every other day follows the week."""

    rest: frozenset[dt.date] = frozenset()
    work: frozenset[dt.date] = frozenset()
    _tables: dict[tuple[int, int], list[int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def years(self) -> frozenset[int]:
        """The years this calendar has entries for (its loaded years)."""
        return frozenset(d.year for d in self.rest | self.work)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        if day in self.rest:
            return False
        return day.weekday() < 5

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[dt.date, str]]) -> WorkCalendar:
        rest: set[dt.date] = set()
        work: set[dt.date] = set()
        for day, kind in entries:
            (rest if kind == REST else work).add(day)
        return cls(rest=frozenset(rest), work=frozenset(work))

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]], *, first_row: int = 2) -> WorkCalendar:
        """A calendar from (date, kind) rows; every bad row is reported, by number
        (``first_row`` is the number of the first row given, 2 after a header)."""
        errors: list[str] = []
        seen: dict[dt.date, tuple[str, int]] = {}
        for number, row in enumerate(rows, start=first_row):
            cells = [("" if c is None else str(c)).strip() for c in row]
            if not any(cells):
                continue
            if len(cells) < 2:
                errors.append(f"第{number}行：应有两列（日期、类型）")
                continue
            raw_date, raw_kind = cells[0], cells[1]
            day = parse_date(raw_date)
            if day is None:
                errors.append(f"第{number}行“日期”列：“{raw_date}”不是有效日期（应为 YYYY-MM-DD）")
                continue
            kind = KIND_WORDS.get(raw_kind.lower())
            if kind is None:
                errors.append(f"第{number}行“类型”列：“{raw_kind}”无法识别（应为“休”或“班”）")
                continue
            if day in seen and seen[day][0] != kind:
                errors.append(
                    f"第{number}行：{day.isoformat()}已在第{seen[day][1]}行记为“{seen[day][0]}”，"
                    f"此处又记为“{kind}”"
                )
                continue
            seen.setdefault(day, (kind, number))
        if errors:
            raise CalendarError(errors)
        return cls.from_entries((day, kind) for day, (kind, _) in seen.items())

    @classmethod
    def read_csv(cls, source: str | Path | io.TextIOBase) -> WorkCalendar:
        """A calendar from CSV text with the header ``date,kind`` (or ``日期,类型``)."""
        if isinstance(source, (str, Path)):
            raw = Path(source).read_bytes()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise CalendarError(["文件编码无法识别（应为 UTF-8 或 GB18030）"])
            handle: Any = io.StringIO(text)
        else:
            handle = source
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header[:2] not in (["date", "kind"], ["日期", "类型"]):
            raise CalendarError(["第1行：表头应为“date,kind”或“日期,类型”"])
        return cls.from_rows(reader)

    @cached_property
    def exceptions(self) -> tuple[list[int], list[int]]:
        """The ordinals, ascending, of the rest days that fall on a weekday and of the
        working days that fall on a weekend: where the calendar departs from the week."""
        rest = sorted(d.toordinal() for d in self.rest if d.weekday() < 5)
        work = sorted(d.toordinal() for d in self.work if d.weekday() >= 5)
        return rest, work

    # -- the table of working days, shared by the scalar and the vectorised answers --

    def workday_ordinals(self, first_year: int, last_year: int) -> list[int]:
        """Ordinals of every working day from 1 January ``first_year`` to 31 December
        ``last_year``, ascending (cached per span)."""
        key = (first_year, last_year)
        table = self._tables.get(key)
        if table is None:
            start = dt.date(first_year, 1, 1).toordinal()
            end = dt.date(last_year, 12, 31).toordinal()
            table = [o for o in range(start, end + 1) if self.is_workday(dt.date.fromordinal(o))]
            if len(self._tables) > 32:
                self._tables.clear()
            self._tables[key] = table
        return table


@dataclass(frozen=True)
class Due:
    """A computed deadline and the years it reached that the calendar has no entries
    for (computed on weekends alone there)."""

    due: dt.date
    missing_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        if not self.missing_years:
            return ""
        years = "、".join(f"{y}年" for y in self.missing_years)
        return f"{years}的节假日安排尚未载入，期限仅按周末计算"


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later, or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _check(kind: PeriodKind | str, n: int) -> PeriodKind:
    kind = PeriodKind(kind)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"期限长度应为不小于1的整数（收到 {n!r}）")
    return kind


def _span(start_year: int, kind: PeriodKind, n: int) -> tuple[int, int]:
    """Years of working days enough for any start in ``start_year``."""
    if kind is PeriodKind.WORKDAYS:
        return start_year, start_year + n // 200 + 1
    if kind is PeriodKind.DAYS:
        return start_year, start_year + n // 365 + 1
    return start_year, start_year + n // 12 + 1


def _missing(calendar: WorkCalendar, first: dt.date, last: dt.date) -> tuple[int, ...]:
    loaded = calendar.years
    return tuple(y for y in range(first.year, last.year + 1) if y not in loaded)


def due_date(calendar: WorkCalendar, start: dt.date, kind: PeriodKind | str, n: int) -> Due:
    """The deadline of a period of ``n`` ``kind`` starting on ``start``."""
    kind = _check(kind, n)
    first_year, last_year = _span(start.year, kind, n)
    table = calendar.workday_ordinals(first_year, last_year)
    if kind is PeriodKind.WORKDAYS:
        due = dt.date.fromordinal(table[bisect.bisect_right(table, start.toordinal()) + n - 1])
        return Due(due, _missing(calendar, start + dt.timedelta(days=1), due))
    end = start + dt.timedelta(days=n) if kind is PeriodKind.DAYS else add_months(start, n)
    due = dt.date.fromordinal(table[bisect.bisect_left(table, end.toordinal())])
    return Due(due, _missing(calendar, end, due))


def workdays_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``: how many are left from
    today (``start``) to a due date (``end``); negative when ``end`` is earlier (the
    working days an item is overdue by).

    Counted without walking the days: Monday to Friday by arithmetic, then the
    calendar's exceptions in between (a 休 on a weekday one fewer, a 班 on a weekend one
    more), so a list of overdue items costs the same however long ago they were due."""
    rest_weekdays, work_weekends = calendar.exceptions
    a, b = start.toordinal(), end.toordinal()

    def upto(n: int) -> int:  # working days with ordinal in [1, n]
        weekdays = (n // 7) * 5 + min(n % 7, 5)  # ordinal 1 (0001-01-01) is a Monday
        return (
            weekdays - bisect.bisect_right(rest_weekdays, n) + bisect.bisect_right(work_weekends, n)
        )

    return upto(b) - upto(a)


def due_dates(
    calendar: WorkCalendar, starts: np.ndarray, kind: PeriodKind | str, n: int
) -> tuple[np.ndarray, tuple[int, ...]]:
    """:func:`due_date` for an array of start dates (``datetime64[D]``) at once: the
    due dates (``datetime64[D]``) and the years reached that have no calendar."""
    import numpy as np

    kind = _check(kind, n)
    starts = np.asarray(starts, dtype="datetime64[D]")
    if starts.size == 0:
        return starts.copy(), ()
    years = starts.astype("datetime64[Y]").astype(int) + 1970
    first_year, last_year = _span(int(years.min()), kind, n)
    last_year = max(last_year, _span(int(years.max()), kind, n)[1])
    epoch = dt.date(1970, 1, 1).toordinal()
    table = np.asarray(calendar.workday_ordinals(first_year, last_year), dtype=np.int64) - epoch
    days = starts.astype(np.int64)
    if kind is PeriodKind.WORKDAYS:
        due = table[np.searchsorted(table, days, side="right") + n - 1]
        lowest = days + 1
    else:
        if kind is PeriodKind.DAYS:
            end = days + n
        else:
            months = starts.astype("datetime64[M]")
            target = months + n
            day_in_month = days - months.astype("datetime64[D]").astype(np.int64)
            last_day = (target + 1).astype("datetime64[D]").astype(np.int64) - 1
            end = np.minimum(target.astype("datetime64[D]").astype(np.int64) + day_in_month,
                             last_day)  # fmt: skip
        due = table[np.searchsorted(table, end, side="left")]
        lowest = end
    low = dt.date.fromordinal(int(lowest.min()) + epoch)
    high = dt.date.fromordinal(int(due.max()) + epoch)
    missing = _missing(calendar, low, high)
    return due.astype("datetime64[D]"), missing
