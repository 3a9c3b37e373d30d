"""Warnings drawn from the boards: consecutive months last, quarter last, bottom K."""

import json

import pytest

from jiandu.boards.ranking import (
    BoardSpec,
    Observation,
    PeriodResult,
    WarningFinding,
    WarningKind,
    consecutive_last,
    cumulative_bottom,
    last_units,
    quarter_last,
    rank_board,
)

MONTHS = [f"2019-{m:02d}" for m in range(1, 10)]


def draw(values, months=MONTHS):
    """values: unit -> list of one figure per month (a single indicator)."""
    spec = BoardSpec.from_dict(
        {"months": months, "indicators": [{"key": "accepted", "name": "问题受理", "unit": "件"}]}
    )
    observations = [
        Observation(unit=u, month=m, indicator="accepted", value=v)
        for u, row in values.items()
        for m, v in zip(months, row, strict=True)
    ]
    return rank_board(spec=spec, observations=observations)


# Last (lowest figure) per month:  1:D  2:D  3:C  4:C,D  5:C,D  6:B  7:A  8:A  9:A
VALUES = {
    "A": [5, 5, 5, 5, 5, 5, 0, 0, 0],
    "B": [4, 4, 4, 4, 4, 0, 4, 4, 4],
    "C": [3, 3, 0, 1, 1, 3, 3, 3, 3],
    "D": [0, 0, 3, 1, 1, 3, 3, 3, 3],
}


def runs(findings):
    return [(f.unit, [e.period for e in f.evidence]) for f in findings]


def test_last_units_includes_ties_and_none_when_all_equal():
    result = draw(VALUES)
    assert last_units(result.period("2019-04")) == ("C", "D")
    equal = draw({"A": [1], "B": [1]}, months=["2019-01"])
    assert last_units(equal.months[0]) == ()


def test_two_consecutive_months_last():
    findings = consecutive_last(periods=draw(VALUES).months)
    assert runs(findings) == [
        ("D", ["2019-01", "2019-02"]),
        ("C", ["2019-03", "2019-04", "2019-05"]),
        ("D", ["2019-04", "2019-05"]),
        ("A", ["2019-07", "2019-08", "2019-09"]),
    ]
    a = findings[-1]
    assert a.kind is WarningKind.CONSECUTIVE_LAST
    assert a.threshold == 2
    assert a.evidence[0].overall_rank == 4 and a.evidence[0].participants == 4
    assert (
        a.describe(unit_name="甲纪检组") == "甲纪检组2019年7月、8月、9月综合排名连续3个月位列末位"
    )


def test_ties_at_last_are_all_last():
    findings = consecutive_last(periods=draw(VALUES).months[3:5])
    assert runs(findings) == [("C", ["2019-04", "2019-05"]), ("D", ["2019-04", "2019-05"])]


def test_latest_only_keeps_runs_reaching_the_latest_month():
    findings = consecutive_last(periods=draw(VALUES).months, latest_only=True)
    assert runs(findings) == [("A", ["2019-07", "2019-08", "2019-09"])]
    assert consecutive_last(periods=draw(VALUES).months[:6], latest_only=True) == []


def test_run_length_is_configurable():
    findings = consecutive_last(periods=draw(VALUES).months, months=3)
    assert [f.unit for f in findings] == ["C", "A"]


def test_a_gap_in_the_calendar_breaks_the_run_and_order_does_not_matter():
    months = draw(VALUES).months
    assert consecutive_last(periods=[months[6], months[8]]) == []
    shuffled = [months[8], months[6], months[7]]
    assert runs(consecutive_last(periods=shuffled)) == [("A", ["2019-07", "2019-08", "2019-09"])]


def test_consecutive_last_works_on_re_read_snapshots():
    snapshots = [json.loads(json.dumps(p.to_dict())) for p in draw(VALUES).months]
    periods = [PeriodResult.from_dict(s) for s in snapshots]
    assert runs(consecutive_last(periods=periods, latest_only=True)) == [
        ("A", ["2019-07", "2019-08", "2019-09"])
    ]


def test_consecutive_last_refuses_cumulative_periods():
    result = draw(VALUES)
    with pytest.raises(ValueError, match="累计"):
        consecutive_last(periods=[*result.months, result.cumulative])


def test_quarter_last():
    quarter = ["2019-07", "2019-08", "2019-09"]
    values = {u: row[6:] for u, row in VALUES.items()}
    result = draw(values, months=quarter)
    findings = quarter_last(period=result.cumulative)
    assert [f.unit for f in findings] == ["A"]
    assert findings[0].scope == "2019年第三季度"
    assert findings[0].evidence[0].period == "cumulative"
    assert findings[0].evidence[0].months == tuple(quarter)
    assert "2019年第三季度综合排名位列末位" in findings[0].describe()


def test_quarter_last_with_ties_and_a_wrong_span():
    values = {"A": [1, 1, 1], "B": [1, 1, 1], "C": [2, 2, 2]}
    result = draw(values, months=["2019-01", "2019-02", "2019-03"])
    assert [f.unit for f in quarter_last(period=result.cumulative)] == ["A", "B"]
    not_a_quarter = draw(values, months=["2019-02", "2019-03", "2019-04"])
    with pytest.raises(ValueError, match="不是一个完整季度"):
        quarter_last(period=not_a_quarter.cumulative)
    with pytest.raises(ValueError):
        quarter_last(period=result.months[0])


def test_bottom_k_of_a_cumulative_result_includes_ties_at_the_cut():
    values = {"A": [9], "B": [7], "C": [5], "D": [5], "E": [3], "F": [1]}
    spec = BoardSpec.from_dict(
        {
            "months": ["2019-07"],
            "indicators": [
                {"key": "a", "name": "问题受理"},
                {"key": "b", "name": "处置办结"},
            ],
        }
    )
    obs = [
        Observation(unit=u, month="2019-07", indicator=k, value=v[0])
        for u, v in values.items()
        for k in ("a", "b")
    ]
    cumulative = rank_board(spec=spec, observations=obs).cumulative
    # On both indicators A, B, C, D are red (C and D tie at rank 3), E blue, F white.
    assert [(r.unit, r.composite) for r in cumulative.rows][-2:] == [("E", 6), ("F", 2)]
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=1)] == ["F"]
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=2)] == ["F", "E"]
    # The 3rd lowest composite is 10, shared by A, B, C and D: all of them are at the cut.
    assert [f.unit for f in cumulative_bottom(period=cumulative, k=3)] == [
        "F",
        "E",
        "A",
        "B",
        "C",
        "D",
    ]
    finding = cumulative_bottom(period=cumulative, k=2)[1]
    assert finding.kind is WarningKind.CUMULATIVE_BOTTOM
    assert finding.threshold == 2
    assert finding.describe() == "E2019年7月综合排名第5位（共6个单位），位列后2名"


def test_bottom_k_singles_out_nobody_when_all_equal_and_refuses_monthly_periods():
    result = draw({"A": [1, 1], "B": [1, 1]}, months=["2019-01", "2019-02"])
    assert cumulative_bottom(period=result.cumulative, k=1) == []
    with pytest.raises(ValueError, match="不是累计排名"):
        cumulative_bottom(period=result.months[0], k=1)


def test_findings_round_trip_through_json():
    findings = consecutive_last(periods=draw(VALUES).months)
    data = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert [WarningFinding.from_dict(d) for d in data] == findings
    assert data[0]["description"].startswith("D2019年1月、2月")
