"""The periods a detection or a reconciliation covers, written as people say them:
``2026Q3`` (a quarter), ``2026-09`` (a month), ``2026H1`` (a half year), ``2026`` (a year).
A period is a closed range of dates; its key is stored with each flag and ledger."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

_PATTERNS = (
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)
_QUARTER_NAMES = "一二三四"
_HOW = "2026Q3（季度）、2026-09（月）、2026H1（半年）或 2026（年）"


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date
    label: str

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_parse(text: str, *, field: str = "period") -> Period:
    """The period a key names, or a ValidationError on ``field`` saying how to write one."""
    key = (text or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(key)
        if not match:
            continue
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            break
        if kind == "quarter":
            q = int(match.group(2))
            start = dt.date(year, 3 * q - 2, 1)
            return Period(
                key, start, _month_end(year, 3 * q), f"{year}年第{_QUARTER_NAMES[q - 1]}季度"
            )
        if kind == "half":
            h = int(match.group(2))
            start = dt.date(year, 1 if h == 1 else 7, 1)
            end = _month_end(year, 6 if h == 1 else 12)
            return Period(key, start, end, f"{year}年{'上' if h == 1 else '下'}半年")
        if kind == "month":
            month = int(match.group(2))
            if not 1 <= month <= 12:
                break
            return Period(
                key, dt.date(year, month, 1), _month_end(year, month), f"{year}年{month}月"
            )
        return Period(key, dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")
    raise ValidationError({field: f"期间“{text}”无法识别：应写作 {_HOW}"})


def period_of(day: dt.date) -> Period:
    """The quarter a date falls in."""
    return period_parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def recent_periods(today: dt.date, count: int = 6) -> list[Period]:
    """The current quarter and the ones before it, newest first (the pages' choices)."""
    out = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        out.append(period_parse(f"{year}Q{quarter}"))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return out
