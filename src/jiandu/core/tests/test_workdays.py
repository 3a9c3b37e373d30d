"""Deadlines on the working-day calendar (jiandu.core.workdays): the three period kinds
across 春节 and 国庆 with 调休 weekends, month ends and leap years, years without a
calendar, file errors by row, and the vectorised answer equal to the scalar one."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import numpy as np
import pytest

from jiandu.core.workdays import (
    CalendarError,
    PeriodKind,
    WorkCalendar,
    add_months,
    due_date,
    due_dates,
)

HOLIDAYS = Path(__file__).resolve().parents[1] / "data" / "holidays"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal():
    rows = []
    for year in (2025, 2026):
        text = (HOLIDAYS / f"{year}.csv").read_text(encoding="utf-8").splitlines()[1:]
        rows += [line.split(",") for line in text]
    return WorkCalendar.from_rows(rows)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # 国庆 2026: 10-01..07 off, 09-20 (Sun) and 10-10 (Sat) worked.
        ("2026-09-28", 5, "2026-10-10"),  # 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, 班)
        ("2026-09-18", 1, "2026-09-20"),  # Friday → the next working day is Sunday 09-20 (班)
        ("2026-09-24", 1, "2026-09-28"),  # 中秋 09-25..27 off
        # 春节 2026: 02-15..23 off, 02-14 (Sat) and 02-28 (Sat) worked.
        ("2026-02-12", 1, "2026-02-13"),
        ("2026-02-12", 2, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-24", 4, "2026-02-28"),
        # The start never counts, even on a rest day.
        ("2026-10-03", 1, "2026-10-08"),
        ("2025-12-31", 1, "2026-01-04"),  # 元旦 01-01..03 off, 01-04 (Sun) worked
    ],
)
def test_working_days(cal, start, n, due):
    assert due_date(cal, D(start), PeriodKind.WORKDAYS, n).due == D(due)


def test_working_days_counted_one_by_one(cal):
    start = D("2026-09-28")
    days, day = [], start
    while len(days) < 5:
        day += dt.timedelta(days=1)
        if cal.is_workday(day):
            days.append(day)
    assert days == [D("2026-09-29"), D("2026-09-30"), D("2026-10-08"), D("2026-10-09"),
                    D("2026-10-10")]  # fmt: skip
    assert due_date(cal, start, "workdays", 5).due == days[-1]


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-01", 30, "2026-10-08"),  # 10-01 is in 国庆: the first working day after
        ("2026-09-01", 29, "2026-09-30"),
        ("2026-01-16", 30, "2026-02-24"),  # 02-15 → 春节 off until 02-23
        ("2026-11-02", 5, "2026-11-09"),  # 11-07 is a Saturday → Monday
        ("2026-09-19", 1, "2026-09-20"),  # 09-20 Sunday is 班: a working day
    ],
)
def test_calendar_days(cal, start, n, due):
    assert due_date(cal, D(start), PeriodKind.DAYS, n).due == D(due)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        ("2026-04-30", 1, "2026-05-30"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-12-15", 2, "2027-02-15"),
    ],
)
def test_add_months_corresponding_day_or_last(start, n, end):
    assert add_months(D(start), n) == D(end)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-04-30", 1, "2026-06-01"),  # 05-30 is a Saturday → Monday 06-01
        ("2026-08-07", 2, "2026-10-08"),  # 10-07 in 国庆 → 10-08
        ("2026-03-31", 1, "2026-04-30"),  # no 04-31: the month's last day
        ("2025-12-14", 2, "2026-02-14"),  # 02-14 is 班 (a Saturday worked): stays
    ],
)
def test_months(cal, start, n, due):
    assert due_date(cal, D(start), PeriodKind.MONTHS, n).due == D(due)


def test_a_weekday_marked_work_and_a_weekend_marked_rest_change_nothing():
    plain = WorkCalendar.from_rows([("2026-03-02", "班"), ("2026-03-07", "休")])
    assert plain.is_workday(D("2026-03-02")) and not plain.is_workday(D("2026-03-07"))
    empty_2026 = WorkCalendar.from_rows([("2026-01-01", "休")])
    for n in (1, 5, 20):
        assert (
            due_date(plain, D("2026-03-01"), "workdays", n).due
            == due_date(empty_2026, D("2026-03-01"), "workdays", n).due
        )


def test_years_without_calendar_are_named(cal):
    due = due_date(cal, D("2026-12-28"), "workdays", 5)
    assert due.due == D("2027-01-04")  # weekends alone in 2027
    assert due.missing_years == (2027,)
    assert "2027年的节假日安排尚未载入" in due.warning
    assert due_date(cal, D("2026-11-02"), "workdays", 5).missing_years == ()


@pytest.mark.parametrize("n", [0, -1, 1.5, True])
def test_n_must_be_a_positive_integer(cal, n):
    with pytest.raises(ValueError, match="不小于1"):
        due_date(cal, D("2026-01-05"), "days", n)


def test_file_errors_name_the_row():
    text = "date,kind\n2026-10-01,休\n2026-13-01,休\n2026-10-02,上\n2026-10-01,班\n2026-10-01,休\n"
    with pytest.raises(CalendarError) as error:
        WorkCalendar.read_csv(io.StringIO(text))
    lines = error.value.lines
    assert lines[0].startswith("第3行“日期”列")
    assert lines[1].startswith("第4行“类型”列")
    assert lines[2].startswith("第5行：2026-10-01已在第2行记为“休”")
    assert len(lines) == 3  # the same date twice with the same kind is no error


def test_chinese_header_and_gb18030(tmp_path):
    path = tmp_path / "cal.csv"
    path.write_bytes("日期,类型\n2026-10-01,休\n".encode("gb18030"))
    assert not WorkCalendar.read_csv(path).is_workday(D("2026-10-01"))
    path.write_text("day,type\n", encoding="utf-8")
    with pytest.raises(CalendarError, match="第1行"):
        WorkCalendar.read_csv(path)


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_vectorised_equals_scalar(cal, kind):
    rng = random.Random(f"workdays:{kind}")
    starts = [D("2024-11-01") + dt.timedelta(days=rng.randrange(0, 800)) for _ in range(600)]
    for n in (1, 2, 5, 13, 30):
        dues, missing = due_dates(cal, np.array(starts, dtype="datetime64[D]"), kind, n)
        scalar = [due_date(cal, s, kind, n) for s in starts]
        assert [d.due for d in scalar] == dues.astype(dt.date).tolist()
        assert set(missing) == {y for d in scalar for y in d.missing_years}
