"""Working days left to a due date (negative: overdue), on the calendar with 调休."""

import datetime as dt

from jiandu.core.workdays import WorkCalendar, workdays_between

# 国庆 2026: 10-01..10-07 off, Sunday 09-27 and Saturday 10-10 worked.
CAL = WorkCalendar.from_entries(
    [(dt.date(2026, 10, d), "休") for d in range(1, 8)]
    + [(dt.date(2026, 9, 27), "班"), (dt.date(2026, 10, 10), "班")]
)


def test_days_left_skip_the_holiday_and_count_the_worked_weekend():
    # From Friday 09-25: 09-27 (班), 09-28, 09-29, 09-30, then 10-08, 10-09.
    assert workdays_between(CAL, dt.date(2026, 9, 25), dt.date(2026, 10, 9)) == 6
    assert workdays_between(CAL, dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3


def test_same_day_is_zero_and_past_due_is_negative():
    assert workdays_between(CAL, dt.date(2026, 10, 9), dt.date(2026, 10, 9)) == 0
    assert workdays_between(CAL, dt.date(2026, 10, 12), dt.date(2026, 10, 8)) == -3


def test_across_a_year_end():
    assert workdays_between(CAL, dt.date(2026, 12, 31), dt.date(2027, 1, 4)) == 2
