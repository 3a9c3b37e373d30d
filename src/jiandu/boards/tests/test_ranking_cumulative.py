"""Cumulative boards (e.g. 1—9月): on summed values (default) or on summed monthly points."""

from jiandu.boards.ranking import (
    BoardSpec,
    Colour,
    CumulativeMode,
    Observation,
    PeriodKind,
    RankingBasis,
    rank_board,
)

MONTHS = ["2019-07", "2019-08", "2019-09"]
# One indicator, three months. A wins July big; B and C are steadier.
VALUES = {
    "A": [20, 0, 0],
    "B": [3, 6, 6],
    "C": [4, 5, 5],
    "D": [1, 1, 1],
    "E": [2, 2, 2],
}


def draw(mode):
    spec = BoardSpec.from_dict(
        {
            "months": MONTHS,
            "indicators": [{"key": "accepted", "name": "问题受理", "unit": "件"}],
            "cumulative_mode": mode,
        }
    )
    observations = [
        Observation(unit=u, month=m, indicator="accepted", value=v)
        for u, row in VALUES.items()
        for m, v in zip(MONTHS, row, strict=True)
    ]
    return rank_board(spec=spec, observations=observations)


def test_default_mode_ranks_the_summed_values_like_a_month():
    result = draw("sum_values")
    cumulative = result.cumulative
    assert result.spec.cumulative_mode is CumulativeMode.SUM_VALUES
    assert cumulative.kind is PeriodKind.CUMULATIVE
    assert cumulative.basis is RankingBasis.VALUES
    assert cumulative.label == "2019年7—9月"
    assert cumulative.months == tuple(MONTHS)
    sums = {r.unit: r.cell("accepted").value[0] for r in cumulative.rows}
    assert sums == {"A": 20, "B": 15, "C": 14, "D": 3, "E": 6}
    cells = {r.unit: (r.cell("accepted").rank, r.cell("accepted").colour) for r in cumulative.rows}
    assert cells == {
        "A": (1, Colour.RED),
        "B": (2, Colour.RED),
        "C": (3, Colour.RED),
        "E": (4, Colour.BLUE),
        "D": (5, Colour.WHITE),
    }
    assert {r.unit: r.composite for r in cumulative.rows} == {
        "A": 5,
        "B": 5,
        "C": 5,
        "E": 3,
        "D": 1,
    }


def test_sum_points_mode_adds_monthly_composites():
    result = draw("sum_points")
    cumulative = result.cumulative
    assert cumulative.basis is RankingBasis.POINTS
    # July: A20 red, C4 red, B3 red, E2 blue, D1 white -> A5 B5 C5 E3 D1
    # Aug:  B6 red, C5 red, E2 red, D1 blue, A0 white -> B5 C5 E5 D3 A1
    # Sep: same as August.
    expected = {"A": 7, "B": 15, "C": 15, "E": 13, "D": 7}
    assert {r.unit: r.composite for r in cumulative.rows} == expected
    for row in cumulative.rows:
        assert row.composite == sum(p.row(row.unit).composite for p in result.months)
    assert {r.unit: r.overall_rank for r in cumulative.rows} == {
        "B": 1,
        "C": 1,
        "E": 3,
        "A": 4,
        "D": 4,
    }
    cell = cumulative.row("A").cell("accepted")
    # The cell keeps the summed value for reference; points and rank come from points.
    assert cell.value == (20,)
    assert cell.points == 7
    assert cell.rank == 4
    assert cell.colour is None


def test_the_two_modes_can_disagree():
    by_values = draw("sum_values").cumulative
    by_points = draw("sum_points").cumulative
    assert by_values.row("A").overall_rank == 1
    assert by_points.row("A").overall_rank == 4


def test_monthly_periods_are_the_same_in_both_modes():
    assert draw("sum_values").months == draw("sum_points").months


def test_single_month_cumulative_equals_the_month():
    spec = BoardSpec.from_dict(
        {"months": ["2019-09"], "indicators": [{"key": "a", "name": "问题受理"}]}
    )
    obs = [
        Observation(unit=u, month="2019-09", indicator="a", value=v)
        for u, v in [("X", 2), ("Y", 1)]
    ]
    result = rank_board(spec=spec, observations=obs)
    assert result.cumulative.rows == result.months[0].rows
    assert result.cumulative.label == "2019年9月"


def test_cross_year_label_and_compound_sums():
    spec = BoardSpec.from_dict(
        {
            "months": ["2018-12", "2019-01"],
            "indicators": [
                {
                    "key": "exposure",
                    "name": "通报曝光",
                    "components": [
                        {"key": "batches", "name": "批次"},
                        {"key": "persons", "name": "人次"},
                    ],
                }
            ],
        }
    )
    obs = []
    for unit, rows in {"X": [(1, 2), (1, 1)], "Y": [(2, 0), (0, 9)]}.items():
        for month, (b, p) in zip(spec.months, rows, strict=True):
            obs += [
                Observation(
                    unit=unit, month=month, indicator="exposure", component="batches", value=b
                ),
                Observation(
                    unit=unit, month=month, indicator="通报曝光", component="人次", value=p
                ),
            ]
    result = rank_board(spec=spec, observations=obs)
    assert result.cumulative.label == "2018年12月—2019年1月"
    x, y = result.cumulative.row("X").cell("exposure"), result.cumulative.row("Y").cell("exposure")
    assert (x.value, y.value) == ((2, 3), (2, 9))
    assert x.display == "2/3"
    assert (y.rank, y.colour, x.colour) == (1, Colour.RED, Colour.WHITE)
