"""Statistical periods and the periods they are compared with.

A period is a closed range of days: a month (``2026-03``), a quarter (``2026-Q1``), a
year (``2026``) or any range (``2026-01-05..2026-02-10``).

- 同比 compares with the same period of the previous year: the same dates one year
  earlier; 29 February becomes 28 February, and a period ending on a month's last day
  ends on that month's last day a year earlier (February 2025 ↔ 1–29 February 2024).
- 环比 compares with the previous period of the same kind: the previous month (January
  ↔ December of the previous year), quarter (Q1 ↔ Q4 of the previous year) or year;
  for a range, the same number of days just before it.
- A period not yet over counts up to ``today`` (:meth:`Period.clipped`); the periods
  it is compared with are cut after the same number of days (1–4 December ↔ 1–4
  November and 1–4 December of the previous year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
RANGE = "range"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: dt.date) -> bool:
    return day == month_end(day.year, day.month)


def year_earlier(day: dt.date, *, as_end: bool = False) -> dt.date:
    """The same day a year earlier (29 Feb → 28 Feb); with ``as_end`` a month's last day
    maps to the same month's last day."""
    if as_end and is_month_end(day):
        return month_end(day.year - 1, day.month)
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            text = f"{self.start.year}年{self.start.month}月"
        elif self.kind == QUARTER:
            text = f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        elif self.kind == YEAR:
            text = f"{self.start.year}年"
        else:
            return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"
        if self.end != self.full_end:
            text += f"（截至{self.end.month}月{self.end.day}日）"
        return text

    @property
    def full_end(self) -> dt.date:
        """The period's last day had it run its whole course."""
        if self.kind == MONTH:
            return month_end(self.start.year, self.start.month)
        if self.kind == QUARTER:
            return month_end(self.start.year, self.start.month + 2)
        if self.kind == YEAR:
            return dt.date(self.start.year, 12, 31)
        return self.end

    def clipped(self, today: dt.date) -> Period:
        if self.end <= today or self.start > today:
            return self
        return Period(self.kind, self.start, today)

    def _cut(self, start: dt.date, full_end: dt.date) -> dt.date:
        if self.end == self.full_end:
            return full_end
        return min(full_end, start + (self.end - self.start))

    def same_period_last_year(self) -> Period:
        start = year_earlier(self.start)
        if self.kind in (MONTH, QUARTER, YEAR):
            full = Period(self.kind, start, start).full_end
            return Period(self.kind, start, self._cut(start, full))
        return Period(RANGE, start, year_earlier(self.end, as_end=True))

    def previous(self) -> Period:
        if self.kind == MONTH:
            last = self.start - dt.timedelta(days=1)
            start = last.replace(day=1)
        elif self.kind == QUARTER:
            last = self.start - dt.timedelta(days=1)
            start = dt.date(last.year, last.month - 2, 1)
        elif self.kind == YEAR:
            start = dt.date(self.start.year - 1, 1, 1)
            last = dt.date(self.start.year - 1, 12, 31)
        else:
            return Period(
                RANGE, self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1)
            )
        return Period(self.kind, start, self._cut(start, last))

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period."""
        out = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            start = max(dt.date(year, month, 1), self.start)
            out.append(Period(MONTH, start, min(month_end(year, month), self.end)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """A period from its code; ValueError with a Chinese message otherwise."""
    text = (text or "").strip()
    try:
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return Period(MONTH, dt.date(year, month, 1), month_end(year, month))
        if m := _QUARTER.match(text):
            year, quarter = int(m[1]), int(m[2])
            first = 3 * quarter - 2
            return Period(QUARTER, dt.date(year, first, 1), month_end(year, first + 2))
        if m := _YEAR.match(text):
            year = int(m[1])
            return Period(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := _RANGE.match(text):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if end < start:
                raise ValueError
            if (end - start).days > 3660:
                raise ValueError
            return Period(RANGE, start, end)
    except ValueError:
        pass
    raise ValueError(
        f"统计期间“{text}”无法识别：应为月份（2026-03）、季度（2026-Q1）、年度（2026）"
        "或日期区间（2026-01-05..2026-02-10，起日不晚于止日，最长十年）"
    )
