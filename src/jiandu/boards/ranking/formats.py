"""Months and numbers of the 多色榜 calculator: parsing the months people write, the
labels printed for months and quarters, and exact decimal values."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH_RE = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER_NAMES = ("一", "二", "三", "四")


def parse_month(value: object) -> str:
    """A month as ``YYYY-MM``; accepts ``2019-9``, ``2019/09``, ``201909``, ``2019年9月``, dates."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    match = _MONTH_RE.match(raw) or _COMPACT_MONTH_RE.match(raw)
    if not match:
        raise ValueError(f"“{raw}”不是有效的月份，应写作 2019-09")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"“{raw}”中的月份应在1到12之间")
    return f"{year:04d}-{month:02d}"


def _month_parts(month: str) -> tuple[int, int]:
    year, number = month.split("-")
    return int(year), int(number)


def _month_index(month: str) -> int:
    year, number = _month_parts(month)
    return year * 12 + number - 1


def month_label(month: str) -> str:
    """``2019-09`` → ``2019年9月``."""
    year, number = _month_parts(month)
    return f"{year}年{number}月"


def months_label(months: Sequence[str]) -> str:
    """A span of consecutive months as the bulletins write it: ``2019年1—9月``."""
    if not months:
        return ""
    if len(months) == 1:
        return month_label(months[0])
    (y1, m1), (y2, m2) = _month_parts(months[0]), _month_parts(months[-1])
    if y1 == y2:
        return f"{y1}年{m1}—{m2}月"
    return f"{y1}年{m1}月—{y2}年{m2}月"


def join_month_labels(months: Sequence[str]) -> str:
    """Separate months listed the way a notice does: ``2019年8月、9月``."""
    parts: list[str] = []
    previous_year = None
    for month in months:
        year, number = _month_parts(month)
        parts.append(f"{number}月" if year == previous_year else f"{year}年{number}月")
        previous_year = year
    return "、".join(parts)


def quarter_of(months: Sequence[str]) -> str | None:
    """``2019年第三季度`` when the months are exactly one calendar quarter, else None."""
    if len(months) != 3:
        return None
    (year, first), *_ = (_month_parts(m) for m in months)
    if first not in (1, 4, 7, 10):
        return None
    expected = [f"{year:04d}-{first + i:02d}" for i in range(3)]
    if list(months) != expected:
        return None
    return f"{year}年第{_QUARTER_NAMES[(first - 1) // 3]}季度"


def to_decimal(value: object) -> Decimal:
    """A figure as an exact decimal (so that ties are real ties); rejects text and NaN."""
    # Fast paths for the figures a close produces by the hundred thousand.
    kind = type(value)
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    if kind is Decimal and value.is_finite():  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or value is None:
        raise ValueError("应为数字")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            raise ValueError("数值为空")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    else:
        raise ValueError(f"“{value}”不是数字")
    if not number.is_finite():
        raise ValueError(f"“{value}”不是有限的数字")
    return number


@functools.lru_cache(maxsize=8192)
def format_number(value: Decimal) -> str:
    """``12`` for whole numbers, ``0.85`` otherwise (no trailing zeros, no exponent)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


@functools.lru_cache(maxsize=8192)
def _json_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)
