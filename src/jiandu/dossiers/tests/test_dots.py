"""Colour and grading tables (pure): versions by date, window, weights, bands, caps."""

import datetime as dt

import pytest

from jiandu.dossiers.dots import (
    Band,
    Cap,
    ColourTable,
    GradingTable,
    Item,
    TableError,
    colour_items,
    grade,
    in_force,
)
from jiandu.dossiers.reference import DEFAULT_COLOURS, DEFAULT_GRADING

D = dt.date
TABLE = GradingTable(
    version="t", valid_from=D(2000, 1, 1), window_months=DEFAULT_GRADING["window_months"],
    weights=DEFAULT_GRADING["weights"],
    bands=tuple(Band(s, g) for s, g in DEFAULT_GRADING["bands"]),
    caps=tuple(Cap(c, n, g) for c, n, g in DEFAULT_GRADING["caps"]),
)  # fmt: skip
COLOURS = ColourTable("c", D(2000, 1, 1), DEFAULT_COLOURS)


AS_OF = D(2026, 6, 30)


def dots_of(*items, as_of=AS_OF):
    return colour_items([Item(k, on, k) for k, on in items], COLOURS, as_of)[0]


def test_no_dots_is_better_than_nothing_bad():
    assert grade([], TABLE, D(2026, 6, 30)).grade == "较好"


def test_a_commendation_makes_good():
    result = grade(dots_of(("commendation", D(2025, 1, 1))), TABLE, D(2026, 6, 30))
    assert (result.grade, result.score) == ("好", 2)
    assert len(result.deciding) == 1


def test_a_black_dot_caps_at_worst_whatever_the_reds():
    found = dots_of(("outcome_party", D(2025, 1, 1)), *[("commendation", D(2025, 2, 1))] * 5)
    result = grade(found, TABLE, D(2026, 6, 30))
    assert result.score == 4 and result.band.grade == "好"
    assert result.grade == "较差" and result.cap.colour == "black"
    assert "最高为较差" in result.explain()


def test_two_yellows_cap_at_average():
    found = dots_of(("audit_finding", D(2025, 1, 1)), ("police_record", D(2025, 3, 1)),
                    *[("commendation", D(2025, 2, 1))] * 3)  # fmt: skip
    assert grade(found, TABLE, D(2026, 6, 30)).grade == "一般"


def test_the_window_counts_both_ends_and_nothing_older():
    as_of = D(2026, 6, 30)
    inside = dots_of(("outcome_party", D(2023, 6, 30)))
    outside = dots_of(("outcome_party", D(2023, 6, 29)))
    assert grade(inside, TABLE, as_of).grade == "较差"
    assert grade(outside, TABLE, as_of).grade == "较好"


def test_items_after_the_as_of_date_and_unknown_kinds():
    found, uncoloured = colour_items(
        [Item("commendation", D(2026, 7, 1), "later"), Item("mystery", D(2026, 1, 1), "?")],
        COLOURS, D(2026, 6, 30),
    )  # fmt: skip
    assert found == [] and [i.label for i in uncoloured] == ["?"]


def test_versions_in_force_by_date():
    old = ColourTable("a", D(2000, 1, 1), {"commendation": "red"})
    new = ColourTable("b", D(2026, 1, 1), {"commendation": "blue"})
    assert in_force([new, old], D(2025, 12, 31)) is old
    assert in_force([new, old], D(2026, 1, 1)) is new
    assert in_force([new], D(2025, 1, 1)) is None


def test_bad_tables_are_refused():
    with pytest.raises(TableError):
        ColourTable("x", D(2000, 1, 1), {"commendation": "green"})
    with pytest.raises(TableError):
        GradingTable("x", D(2000, 1, 1), 12, {}, (Band(0, "a"), Band(5, "b")))
    with pytest.raises(TableError):
        GradingTable("x", D(2000, 1, 1), 12, {}, (Band(0, "a"),), (Cap("black", 1, "z"),))
