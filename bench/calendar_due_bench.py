"""``calendar due`` for many start dates at once: the vectorised answer
(:func:`jiandu.core.workdays.due_dates`, NumPy over one table of working days) against
the naive way (walking the calendar day by day from each start), in one run, and checks
that both give the same dates.

Target (issue #13): 1,000,000 start dates in < 2 s for each period kind.

Usage::

    .venv/bin/python bench/calendar_due_bench.py [--starts 1000000] [--naive 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jiandu.core.workdays import (  # noqa: E402
    PeriodKind,
    WorkCalendar,
    add_months,
    due_dates,
)

HOLIDAYS = ROOT / "src" / "jiandu" / "core" / "data" / "holidays"


def naive_due(cal: WorkCalendar, start: dt.date, kind: PeriodKind, n: int) -> dt.date:
    """Day by day, as a spreadsheet formula or a first implementation would."""
    if kind is PeriodKind.WORKDAYS:
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            counted += cal.is_workday(day)
        return day
    day = start + dt.timedelta(days=n) if kind is PeriodKind.DAYS else add_months(start, n)
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def main() -> int:
    parser = argparse.ArgumentParser(description="工作日历期限计算：向量化与逐日推算对比")
    parser.add_argument("--starts", type=int, default=1_000_000, help="起算日期个数")
    parser.add_argument("--naive", type=int, default=50_000, help="逐日推算的样本个数")
    options = parser.parse_args()
    rows = []
    for year in (2025, 2026):
        lines = (HOLIDAYS / f"{year}.csv").read_text(encoding="utf-8").splitlines()[1:]
        rows += [line.split(",") for line in lines]
    cal = WorkCalendar.from_rows(rows)
    rng = np.random.default_rng(2026)
    first = np.datetime64("2025-01-01")
    starts = first + rng.integers(0, 700, options.starts).astype("timedelta64[D]")
    sample = starts[: options.naive].astype(dt.date).tolist()
    print(
        f"{options.starts:,} 个起算日期（2025-01-01 起 700 天内），"
        f"逐日推算样本 {options.naive:,} 个"
    )
    print(f"{'期限':<14}{'向量化':>10}{'逐日推算（折算）':>18}{'倍数':>8}  结果一致")
    for kind, n in (
        (PeriodKind.WORKDAYS, 5),
        (PeriodKind.WORKDAYS, 20),
        (PeriodKind.DAYS, 30),
        (PeriodKind.MONTHS, 2),
    ):
        cal._tables.clear()
        started = time.perf_counter()
        dues, _missing = due_dates(cal, starts, kind, n)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        naive = [naive_due(cal, s, kind, n) for s in sample]
        naive_total = (time.perf_counter() - started) * options.starts / options.naive
        same = dues[: options.naive].astype(dt.date).tolist() == naive
        label = f"{n}{kind.label}"
        print(f"{label:<14}{ours:>9.3f}s{naive_total:>17.1f}s{naive_total / ours:>7.0f}×  {same}")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
