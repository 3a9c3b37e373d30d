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


def test_counted_by_arithmetic_it_agrees_with_walking_the_days():
    """Across years, both directions, weekends, holidays and 调休 days: the count equals
    the working days found by walking from one date to the other."""
    import random

    rng = random.Random(7)
    base = dt.date(2024, 6, 1)
    for _ in range(2000):
        a = base + dt.timedelta(days=rng.randrange(1100))
        b = base + dt.timedelta(days=rng.randrange(1100))
        low, high = min(a, b), max(a, b)
        walked = sum(
            CAL.is_workday(low + dt.timedelta(days=i)) for i in range(1, (high - low).days + 1)
        )
        assert workdays_between(CAL, a, b) == (walked if b >= a else -walked)
