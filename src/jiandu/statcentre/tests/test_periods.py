"""Periods and the periods they are compared with (同比 across year ends, 29 February,
periods not yet over)."""

import datetime as dt

import pytest

from jiandu.statcentre.periods import parse_period

D = dt.date


def test_month_compares_with_the_same_month_last_year_and_the_month_before_across_the_year_end():
    january = parse_period("2026-01")
    assert (january.same_period_last_year().start, january.same_period_last_year().end) == (
        D(2025, 1, 1),
        D(2025, 1, 31),
    )
    assert (january.previous().start, january.previous().end) == (D(2025, 12, 1), D(2025, 12, 31))


def test_quarter_one_follows_quarter_four_of_the_previous_year():
    q1 = parse_period("2026-Q1")
    assert (q1.previous().start, q1.previous().end) == (D(2025, 10, 1), D(2025, 12, 31))
    assert q1.same_period_last_year().end == D(2025, 3, 31)


def test_february_of_a_leap_year_is_compared_whole():
    feb = parse_period("2025-02")
    last = feb.same_period_last_year()
    assert (last.start, last.end) == (D(2024, 2, 1), D(2024, 2, 29))
    leap_day = parse_period("2024-02-29..2024-02-29").same_period_last_year()
    assert leap_day.start == D(2023, 2, 28)


def test_a_range_is_compared_with_as_many_days_just_before():
    r = parse_period("2025-12-20..2026-01-10")
    assert r.days == 22
    assert (r.previous().start, r.previous().end) == (D(2025, 11, 28), D(2025, 12, 19))
    assert (r.same_period_last_year().start, r.same_period_last_year().end) == (
        D(2024, 12, 20),
        D(2025, 1, 10),
    )


def test_a_period_not_yet_over_is_compared_over_the_same_elapsed_days():
    dec = parse_period("2026-12").clipped(D(2026, 12, 4))
    assert dec.end == D(2026, 12, 4)
    assert "截至12月4日" in dec.label
    assert dec.previous().end == D(2026, 11, 4)
    assert dec.same_period_last_year().end == D(2025, 12, 4)
    year = parse_period("2026").clipped(D(2026, 3, 31))
    assert year.same_period_last_year().end == D(2025, 3, 31)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "2026-02-10..2026-01-01", "abc"])
def test_bad_periods_are_named_in_chinese(text):
    with pytest.raises(ValueError, match="无法识别"):
        parse_period(text)
