"""The colour rules of the 多色榜, case by case, on one indicator and on whole boards."""

from decimal import Decimal

import pytest

from jiandu.boards.ranking import (
    BoardSpec,
    Colour,
    ColourSettings,
    Direction,
    Observation,
    rank_board,
    rank_by_score,
    score_indicator,
)


def colours(values, **kwargs):
    placements = score_indicator(values=values, **kwargs)
    return {unit: (p.rank, p.colour.value, p.points) for unit, p in placements.items()}


def test_top_three_red_middle_blue_last_white():
    result = colours(values={"A": 9, "B": 8, "C": 7, "D": 5, "E": 4, "F": 1})
    assert result == {
        "A": (1, "red", 5),
        "B": (2, "red", 5),
        "C": (3, "red", 5),
        "D": (4, "blue", 3),
        "E": (5, "blue", 3),
        "F": (6, "white", 1),
    }


def test_tie_at_the_top_shares_rank_one_and_the_next_rank_is_skipped():
    result = colours(values={"A": 9, "B": 9, "C": 7, "D": 6, "E": 1})
    assert result["A"] == result["B"] == (1, "red", 5)
    assert result["C"] == (3, "red", 5)
    assert result["D"] == (4, "blue", 3)


def test_tie_at_the_bottom_makes_every_tied_unit_white():
    result = colours(values={"A": 9, "B": 8, "C": 7, "D": 6, "E": 2, "F": 2})
    assert result["E"] == result["F"] == (5, "white", 1)
    assert result["D"] == (4, "blue", 3)


def test_tie_spanning_rank_three_makes_all_of_them_red():
    result = colours(values={"A": 9, "B": 8, "C": 7, "D": 7, "E": 7, "F": 1})
    assert [result[u][1] for u in "ABCDEF"] == ["red"] * 5 + ["white"]
    assert result["E"][0] == 3


def test_tie_just_after_rank_three_is_blue():
    result = colours(values={"A": 9, "B": 8, "C": 8, "D": 7, "E": 7, "F": 1})
    assert [result[u] for u in "DE"] == [(4, "blue", 3), (4, "blue", 3)]


def test_four_units_tied_first_are_all_red():
    result = colours(values={"A": 5, "B": 5, "C": 5, "D": 5, "E": 1})
    assert [result[u][1] for u in "ABCD"] == ["red"] * 4
    assert result["E"] == (5, "white", 1)


def test_all_equal_makes_everyone_blue():
    result = colours(values={"A": 0, "B": 0, "C": 0, "D": 0})
    assert set(result.values()) == {(1, "blue", 3)}


def test_two_units():
    assert colours(values={"A": 3, "B": 1}) == {"A": (1, "red", 5), "B": (2, "white", 1)}
    assert colours(values={"A": 3, "B": 3}) == {"A": (1, "blue", 3), "B": (1, "blue", 3)}


def test_single_unit_is_blue():
    assert colours(values={"A": 7}) == {"A": (1, "blue", 3)}


def test_worst_value_shared_by_the_top_three_is_white_not_red():
    # Two distinct values among four units: the worst is white even at rank 3.
    result = colours(values={"A": 5, "B": 5, "C": 1, "D": 1})
    assert result["C"] == result["D"] == (3, "white", 1)
    assert result["A"] == (1, "red", 5)


def test_lower_is_better():
    result = colours(values={"A": 1, "B": 2, "C": 3, "D": 4, "E": 9}, direction=Direction.LOWER)
    assert result["A"] == (1, "red", 5)
    assert result["D"] == (4, "blue", 3)
    assert result["E"] == (5, "white", 1)


def test_compound_indicator_ranks_on_first_component_then_the_next():
    values = {"A": (3, 5), "B": (3, 9), "C": (4, 0), "D": (1, 8), "E": (1, 2)}
    result = colours(values=values)
    assert result["C"] == (1, "red", 5)
    assert result["B"] == (2, "red", 5)
    assert result["A"] == (3, "red", 5)
    assert result["D"] == (4, "blue", 3)
    assert result["E"] == (5, "white", 1)


def test_compound_indicator_ties_only_when_every_component_ties():
    result = colours(values={"A": (2, 4), "B": (2, 4), "C": (2, 3)})
    assert result["A"] == result["B"] == (1, "red", 5)
    assert result["C"] == (3, "white", 1)


def test_decimal_values_tie_exactly():
    result = colours(values={"A": 0.1 + 0.2, "B": Decimal("0.3"), "C": 0.3})
    # 0.1 + 0.2 is 0.30000000000000004 as a float: it is strictly better, not a tie.
    assert result["A"][0] == 1
    assert result["B"] == result["C"] == (2, "white", 1)


def test_custom_points_and_top_n():
    settings = ColourSettings(red_points=10, blue_points=6, white_points=2, top_n=1)
    result = colours(values={"A": 3, "B": 2, "C": 1}, colours=settings)
    assert result == {"A": (1, "red", 10), "B": (2, "blue", 6), "C": (3, "white", 2)}


def test_rank_by_score_shares_ranks():
    assert rank_by_score(scores={"A": 20, "B": 20, "C": 18, "D": 10}) == {
        "A": 1,
        "B": 1,
        "C": 3,
        "D": 4,
    }


SPEC = {
    "months": ["2019-09"],
    "indicators": [
        {"key": "accepted", "name": "问题受理", "unit": "件"},
        {"key": "handled", "name": "处置办结", "unit": "件"},
        {"key": "late", "name": "超期未办结", "unit": "件", "direction": "lower"},
    ],
    "yellow_units": {"B": "牵头单位纪检组"},
}


def board(values, spec=SPEC):
    spec = BoardSpec.from_dict(spec)
    observations = [
        Observation(unit=u, month="2019-09", indicator=k, value=v)
        for u, row in values.items()
        for k, v in row.items()
    ]
    return rank_board(spec=spec, observations=observations)


def test_composite_is_the_sum_of_points_and_overall_rank_shares_ties():
    result = board(
        {
            "A": {"accepted": 9, "handled": 9, "late": 0},
            "B": {"accepted": 8, "handled": 8, "late": 0},
            "C": {"accepted": 1, "handled": 1, "late": 5},
            "D": {"accepted": 2, "handled": 2, "late": 0},
        }
    )
    month = result.months[0]
    # late: A, B, D tie at 0 (rank 1, red); C worst (white).
    assert {r.unit: r.composite for r in month.rows} == {"A": 15, "B": 15, "C": 3, "D": 15}
    assert [(r.unit, r.overall_rank) for r in month.rows] == [
        ("A", 1),
        ("B", 1),
        ("D", 1),
        ("C", 4),
    ]
    assert month.row("C").cell("late").colour is Colour.WHITE


def test_yellow_is_carried_and_does_not_change_points():
    values = {
        "A": {"accepted": 3, "handled": 3, "late": 1},
        "B": {"accepted": 3, "handled": 3, "late": 1},
        "C": {"accepted": 1, "handled": 1, "late": 2},
    }
    month = board(values).months[0]
    assert month.row("B").yellow == "牵头单位纪检组"
    assert month.row("A").yellow is None
    assert month.row("A").composite == month.row("B").composite == 15
    assert month.row("A").overall_rank == month.row("B").overall_rank == 1


def test_rows_follow_overall_rank_then_participant_order():
    spec = {**SPEC, "units": ["C", "B", "A"], "yellow_units": {}}
    values = {
        "A": {"accepted": 1, "handled": 1, "late": 0},
        "B": {"accepted": 5, "handled": 5, "late": 0},
        "C": {"accepted": 1, "handled": 1, "late": 0},
    }
    month = board(values, spec).months[0]
    assert month.units == ("B", "C", "A")


@pytest.mark.parametrize("count", [1, 2])
def test_small_boards_draw(count):
    values = {u: {"accepted": i, "handled": i, "late": 0} for i, u in enumerate("AB"[:count])}
    month = board(values, {**SPEC, "yellow_units": {}}).months[0]
    assert len(month.rows) == count
    assert month.rows[0].overall_rank == 1
